"""Turn the yearly standards into pages: the year index, one page per year, one per standard.

Links are made relative to the page they appear on (`rel`), so the site works under any base path
(GitHub Pages project sites, an intranet sub-folder). Every value comes from `standards/`; templates
autoescape; the sample/draft/older-year notices are decided here from the data, never typed by hand.
"""

from __future__ import annotations

import posixpath

from portal.paths import INDEX_PATH, MEASURES_PATH, standard_path, year_path  # noqa: F401 (templates, tests)
from scorer.items import bonus_rule, deduction_rule
from scorer.numbers import num

from .render import article_label, environment


def page_dir(page: str) -> str:
    """Directory URL of a page source path under use_directory_urls: 'standards/2019/dept.md' -> 'standards/2019/dept/'."""
    stem = page[:-3] if page.endswith(".md") else page
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem.rstrip("/") + "/" if stem.strip("/") else ""


def rel(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative URL from one page (source path) to another, e.g. to 'measures/index.md' + '#article-13'."""
    here, there = page_dir(from_page), page_dir(to_page)
    url = posixpath.relpath(there or ".", here or ".") + "/"
    url = "./" if url == "./" or url == "././" else url
    return url + (f"#{anchor}" if anchor else "")


def band_text(grades, i: int) -> str:
    """Score range of grade i (`model.Grade`s), inclusive lower bound: '90 分及以上', '80 分至 90 分（不含）',
    '60 分以下'."""
    low = grades[i].min
    if i == 0:
        return f"{num(low)} 分及以上"
    high = grades[i - 1].min
    if i == len(grades) - 1 and low == 0:
        return f"{num(high)} 分以下"
    return f"{num(low)} 分至 {num(high)} 分（不含 {num(high)} 分）"


def _articles(measures) -> dict:
    return {article.id: article for _chapter, article in measures.articles()}


def _env():
    env = environment()
    env.globals.update(fmt=num, rel=rel, deduction_rule=deduction_rule, bonus_rule=bonus_rule,
                       band_text=band_text, article_label=article_label, standard_path=standard_path,
                       year_path=year_path, INDEX_PATH=INDEX_PATH, MEASURES_PATH=MEASURES_PATH)
    return env


def year_notice(tree, year) -> dict | None:
    """What a reader must be told about a year that is not the current one, or None."""
    current = tree.current
    if not year.settings.published:
        return {"kind": "draft", "current": current}
    if current is not None and year.year != current.year:
        return {"kind": "older" if year.year < current.year else "newer", "current": current}
    return None


def render_standard(tree, year_number: int, standard_id: str) -> str:
    """Markdown for one standard of one year: notices, who it applies to, six areas, bonuses."""
    year = tree.year(year_number)
    standard = year.standards[standard_id]
    page = standard_path(year_number, standard_id)
    return _env().get_template("standard.md.j2").render(
        page=page, year=year, standard=standard, notice=year_notice(tree, year),
        articles=_articles(tree.measures), bundle=year.bundle(standard_id),
    )


def render_year(tree, year_number: int) -> str:
    """Markdown for a year: its standards, grade bands and what they mean, caps, limits, change notes."""
    year = tree.year(year_number)
    return _env().get_template("year.md.j2").render(
        page=year_path(year_number), year=year, notice=year_notice(tree, year),
        previous=max((y for y in tree.years if y < year_number), default=None),
    )


def render_index(tree, page: str = INDEX_PATH) -> str:
    """The standards landing page: the current year's three standards first, then every year."""
    return _env().get_template("standards_index.md.j2").render(
        page=page, tree=tree, current=tree.current, years=list(reversed(list(tree.years.values()))),
    )


def citations(tree) -> dict:
    """article id -> the current year's indicators that cite it, for the Measures page."""
    year = tree.current
    found: dict = {}
    if year is None:
        return found
    for standard in year.standards.values():
        for _area, indicator in standard.indicators():
            for article_id in indicator.basis:
                found.setdefault(article_id, []).append({
                    "year": year.year, "standard": standard.id, "short_title": standard.short_title,
                    "id": indicator.id, "title": indicator.title,
                    "url": rel(MEASURES_PATH, standard_path(year.year, standard.id), indicator.id),
                })
    return found
