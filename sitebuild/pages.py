"""The generated pages: one per year and per standard, from the folder tree of `standards/`.

Editors add a year by adding a folder; no Markdown stub has to be written for it. The generated pages
only call macros (rendered by mkdocs-macros like any page), so all presentation stays in `macros/`.
The nav entry 指标评价标准 becomes a section with the current year's standards.

Search covers the current year only: the pages of older and draft years, and every self-assessment
form (which repeats its standard's text), carry `search: exclude: true`. So a reader searching for
an indicator finds the standard in force, once, and the search index stays the same size as years
are added (it grew ~42 KB gzipped per year with every year indexed; site_tests/test_gate_weight.py).
Older years stay one click away (指标评价标准 → 历年标准, 年度对比).

Engine-free: these functions return page sources and nav entries; the build plugin
(sitebuild/plugin.py) hands them to the engine.
"""

from __future__ import annotations

import html
import json

from portal.paths import COMPARE_PATH, INDEX_PATH, assess_path, standard_path, year_path


def searchable(tree, year) -> bool:
    """Whether a year's pages go into the search index: the current year's (or, before any year is
    published, every year's)."""
    return tree.current is None or year.year == tree.current.year


def page_sources(tree) -> dict:
    """Generated page path -> its Markdown (front matter and one macro call)."""
    pages = {}
    for year in tree.years.values():
        search = searchable(tree, year)
        pages[year_path(year.year)] = _page(f"{year.year} 年度", f"{{{{ year_page({year.year}) }}}}", search=search)
        for sid, standard in year.standards.items():
            title = html_title(f"{standard.short_title}（{year.year}）")
            pages[standard_path(year.year, sid)] = _page(title, f'{{{{ standard_page({year.year}, "{sid}") }}}}',
                                                         search=search)
    return pages


def assess_page_sources(tree) -> dict:
    """The self-assessment forms, one per year and standard (assess/<year>/<id>/). The landing page
    docs/assess/index.md is hand-written. Forms hide the sidebars: the form and its result need the width."""
    pages = {}
    for year in tree.years.values():
        for sid, standard in year.standards.items():
            title = html_title(f"{standard.short_title}自评（{year.year}）")
            pages[assess_path(year.year, sid)] = _page(title, f'{{{{ assess_form({year.year}, "{sid}") }}}}',
                                                       search=False, hide=("navigation", "toc"))
    return pages


def _page(title: str, body: str, *, search: bool = True, hide: tuple = ()) -> str:
    # A JSON string is a YAML scalar: a title starting with a quote or holding ": " stays one string.
    meta = f"render_macros: true\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
    if hide:
        meta += "hide:\n" + "".join(f"  - {part}\n" for part in hide)
    if not search:
        meta += "search:\n  exclude: true\n"
    return f"---\n{meta}---\n\n{body}\n"


def html_title(text: str) -> str:
    """A page or nav title from the YAML, made safe for where it goes: the theme writes titles into the
    page as HTML (mkdocs' templates do not escape), and mkdocs-macros renders a title holding `{{`,
    `{%` or `{#` as a Jinja template. So: HTML-escaped, and braces as character references."""
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


def nav_section(tree) -> list:
    """The nav section: overview, then the current year's standards."""
    section = [{"概览": INDEX_PATH}]
    if tree.current is not None:
        for sid, standard in tree.current.standards.items():
            section.append({html_title(standard.short_title): standard_path(tree.current.year, sid)})
        section.append({f"{tree.current.year} 年度设置": year_path(tree.current.year)})
    section.append({"年度对比": COMPARE_PATH})
    return section


def with_section(nav: list, title: str, tree) -> list:
    """The site's nav with the entry named `title` (in mkdocs.yml a placeholder) as the section of
    nav_section(tree); the list is changed in place, as the engine holds it, and returned."""
    for i, entry in enumerate(nav):
        if isinstance(entry, dict) and title in entry:
            nav[i] = {title: nav_section(tree)}
    return nav


def generated_pages(tree) -> dict:
    """Every page the build generates: source path -> Markdown."""
    return {**page_sources(tree), **assess_page_sources(tree)}
