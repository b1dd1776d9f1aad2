"""Macros the pages call. Data is loaded once per build, so a broken YAML file fails the build with
the scorer's file:line:col messages instead of rendering a half-empty page."""

from __future__ import annotations

from pathlib import Path

from scorer import measures

from . import render

MEASURES_FILE = "standards/measures.yaml"


def define_env(env):
    root = Path(env.project_dir)
    data = measures.load(root / MEASURES_FILE, source=MEASURES_FILE)

    @env.macro
    def measures_page() -> str:
        """The whole Measures page (docs/measures/index.md)."""
        return render.render_measures(data)

    @env.macro
    def measures_intro() -> str:
        """One paragraph on what the Measures are (home page)."""
        return render.render_document_intro(data)

