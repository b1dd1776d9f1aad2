"""Accessibility fixes to Material for MkDocs' own markup, made on every built page (the build plugin
calls `name_search_dialog` on each page and on each theme template it writes, such as 404.html).

- The search overlay is a `role="dialog"` with no accessible name (axe: aria-dialog-name, serious):
  screen readers announce an unnamed dialog. It gets `aria-label="站内搜索"`.

The fix is an exact replacement of the theme's markup; if a Material update changes that markup, the
build fails here rather than shipping the unnamed dialog again (look at the theme's
`partials/search.html` and update SEARCH_DIALOG). The tests' axe run checks the result.

Material's known HTML-validity errors (not accessibility problems) are left as they are and listed,
with reasons, in site_tests/test_html_valid.py.
"""

from __future__ import annotations

from .errors import ThemeChanged

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_DIALOG_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="站内搜索">'


def name_search_dialog(output: str, where: str) -> str:
    if SEARCH_DIALOG_NAMED in output:
        return output
    if output.count(SEARCH_DIALOG) != 1:
        raise ThemeChanged(f"{where}: Material's search dialog markup changed; update sitebuild/theme_a11y.py")
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG_NAMED)

