"""Macros the pages call. Data is loaded once per build, so a broken YAML file fails the build with
the scorer's file:line:col messages instead of rendering a half-empty page."""

from __future__ import annotations

from pathlib import Path

from sitebuild.settings import load_tree, standards_dir

from . import render, render_standards


def define_env(env):
    root = Path(env.project_dir)
    tree = load_tree(standards_dir(root))
    data = tree.measures

    @env.macro
    def measures_page() -> str:
        """The whole Measures page (docs/measures/index.md)."""
        return render.render_measures(data, render_standards.citations(tree))

    @env.macro
    def measures_intro() -> str:
        """One paragraph on what the Measures are (home page)."""
        return render.render_document_intro(data)

    @env.macro
    def standards_index() -> str:
        """The standards landing page (docs/standards/index.md): current year first, then every year."""
        return render_standards.render_index(tree)

    @env.macro
    def year_page(year: int) -> str:
        """A generated year page (sitebuild/pages.py): standards, grades, limits, change notes."""
        return render_standards.render_year(tree, year)

    @env.macro
    def standard_page(year: int, standard_id: str) -> str:
        """A generated standard page (sitebuild/pages.py): six areas as tables, bonuses."""
        return render_standards.render_standard(tree, year, standard_id)

    from . import render_assess

    @env.macro
    def assess_index() -> str:
        """The self-assessment landing page (docs/assess/index.md): choose the year and the standard."""
        return render_assess.render_index(tree)

    @env.macro
    def assess_form(year: int, standard_id: str) -> str:
        """A generated self-assessment form (sitebuild/pages.py), fillable before the scorer starts."""
        return render_assess.render_form(tree, year, standard_id)
