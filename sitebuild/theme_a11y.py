"""Accessibility fixes to Material for MkDocs' own markup, made on every built page (an mkdocs hook).

- The search overlay is a `role="dialog"` with no accessible name (axe: aria-dialog-name, serious):
  screen readers announce an unnamed dialog. It gets `aria-label="站内搜索"`.

The fix is an exact replacement of the theme's markup; if a Material update changes that markup, the
build fails here rather than shipping the unnamed dialog again (look at the theme's
`partials/search.html` and update SEARCH_DIALOG). The tests' axe run checks the result.

Material's known HTML-validity errors (not accessibility problems) are left as they are and listed,
with reasons, in site_tests/test_html_valid.py.
"""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_DIALOG_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="站内搜索">'


def name_search_dialog(output: str, where: str) -> str:
    if SEARCH_DIALOG_NAMED in output:
        return output
    if output.count(SEARCH_DIALOG) != 1:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{where}: Material's search dialog markup changed; update sitebuild/theme_a11y.py")
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG_NAMED)


def on_post_page(output, page, config, **kwargs):
    return name_search_dialog(output, page.file.src_uri)


def on_post_template(output_content, template_name, config, **kwargs):
    # 404.html is a theme template, not a page.
    if template_name.endswith(".html") and "md-search" in output_content:
        return name_search_dialog(output_content, template_name)
    return output_content
