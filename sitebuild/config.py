"""The build plugin's declared options (`plugins: - gm-portal:` in mkdocs.yml), apart from the plugin
as mkdocs-material's plugins keep theirs: every option the portal's build takes is listed here, with
its default, and the engine validates it before the build starts (an unknown option fails the build).
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PortalConfig(Config):
    # The top-level nav entry (a placeholder in mkdocs.yml) that becomes the standards section:
    # overview, the current year's standards, its settings, the comparison (sitebuild/pages.py).
    standards_nav = c.Type(str, default="指标评价标准")
    # Material's search, fixed for Chinese (sitebuild/theme_search.py). Off only when the site's
    # search is no longer Material's: the patches then have nothing to patch.
    search_fixes = c.Type(bool, default=True)
    # Folders whose changes rebuild the site under `mkdocs serve`, besides mkdocs.yml's `watch:`
    # (the wheel the browser runs is built from scorer/, so the browser never runs an old one).
    serve_watch = c.ListOfItems(c.Type(str), default=["scorer"])
