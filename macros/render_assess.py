"""The self-assessment pages: the landing page and one fillable form per year and standard.

The form is rendered here, at build time, from the same YAML as the standards pages: a reader sees
every area, indicator and item (with its rule) and can start filling it in before the in-browser
scorer has started. `assess.mjs` only adds behaviour (occurrence rows, drafts, scoring through the
worker); it never builds the standard's text. Templates autoescape; links are relative (`rel`).
"""

from __future__ import annotations

from portal.paths import ASSESS_INDEX, assess_path
from portal.scripts import SCRIPTS, module_graph
from scorer.items import rule_text, walk
from scorer.numbers import num

from .render_standards import INDEX_PATH, _env, rel, standard_path, year_notice, year_path

ASSETS_FROM = "index.md"  # rel(page, "index.md") is the site root, whatever the base path


def item_rules(standard, settings) -> dict:
    """item id -> the rule shown next to it, as the standards pages word it (`model.Standard`, `model.Year`)."""
    return {e.id: rule_text(e, settings.grades) for e in walk(standard, settings.grade_limits)}


def _assess_env():
    env = _env()
    env.globals.update(assess_path=assess_path, ASSESS_INDEX=ASSESS_INDEX, STANDARDS_INDEX=INDEX_PATH,
                       site_root=lambda page: rel(page, ASSETS_FROM), module_graph=module_graph)
    return env


def render_form(tree, year_number: int, standard_id: str, scripts=SCRIPTS) -> str:
    """Markdown (with raw HTML) of the form page for one year's standard. `scripts`: the folder of the
    page scripts the build publishes (docs/assets/javascripts/), whose import graph the page preloads."""
    year = tree.year(year_number)
    standard = year.standards[standard_id]
    bundle = year.bundle(standard_id)
    page = assess_path(year_number, standard_id)
    return _assess_env().get_template("assess_form.md.j2").render(
        page=page, year=year, standard=standard, settings=year.settings, notice=year_notice(tree, year),
        hash=bundle.hash, rules=item_rules(standard, year.settings), points=num,
        current=tree.current, scripts=scripts,
    )


def render_index(tree, page: str = ASSESS_INDEX) -> str:
    """The landing page: the current year's three standards first, then every other year."""
    years = list(reversed(list(tree.years.values())))
    current = tree.current
    return _assess_env().get_template("assess_index.md.j2").render(
        page=page, tree=tree, current=current, years=years,
        default_year=current.year if current else (years[0].year if years else None),
    )
