"""The portal's build plugin for MkDocs-1.x-compatible engines (MkDocs 1.6, ProperDocs), registered
as `gm-portal` under the `mkdocs.plugins` entry points in pyproject.toml.

An adapter only: at each engine event it calls the portal's own steps (sitebuild/build.py says
which, in what order and why) and turns a BuildError into the engine's failed build with the same
message. Its state is this instance's, made afresh for each build; the engine's objects (config,
files, nav) are touched here and nowhere else in sitebuild/.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from portal import data
from scorer.errors import InvalidInput

from . import build, pages, theme_a11y, theme_search
from .config import PortalConfig
from .errors import BuildError

log = logging.getLogger("mkdocs.plugins.gm-portal")


class PortalPlugin(BasePlugin[PortalConfig]):
    def __init__(self):
        self.serving = False
        self.build: build.Build | None = None

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        try:
            tree = data.load_tree(root)
        except InvalidInput as exc:
            raise PluginError(str(exc)) from exc
        self.build = build.Build(root=root, site=Path(config.site_dir), tree=tree, serving=self.serving,
                                 search_fixes=self.config.search_fixes)
        pages.with_section(config.nav or [], self.config.standards_nav, tree)
        if self.config.search_fixes:
            _engine(theme_search.install_table_parser)
        return config

    def on_files(self, files, *, config):
        for path, content in pages.generated_pages(self.build.tree).items():
            files.append(File.generated(config, path, content=content))
        return files

    def on_post_page(self, output, *, page, config):
        return _engine(theme_a11y.name_search_dialog, output, page.file.src_uri)

    def on_post_template(self, output_content, *, template_name, config):
        # 404.html is a theme template, not a page.
        if template_name.endswith(".html") and "md-search" in output_content:
            return _engine(theme_a11y.name_search_dialog, output_content, template_name)
        return output_content

    def on_post_build(self, *, config):
        _engine(build.run, self.build, lambda step, report: log.info("%s: %s", step, report))

    def on_serve(self, server, *, config, builder):
        for folder in self.config.serve_watch:
            server.watch(str(self.build.root / folder))
        return server


def _engine(step, *args):
    """Call a portal step; its BuildError becomes the engine's failed build with the same message."""
    try:
        return step(*args)
    except BuildError as exc:
        raise PluginError(str(exc)) from exc
