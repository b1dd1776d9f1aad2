"""Gate: phones (and paper). At 375 px wide every page, driven to its working state (the form scored, a
file imported, the plan made, years compared), is usable without scrolling sideways, on screen, and
the self-assessment's printed report too; whatever scrolls inside its own box (wide tables) can be
reached and named by keyboard and screen-reader users. Printed on A4, no page loses its right-hand
side (the office's summary table did, and its heatmap's last column). Screenshots of the main pages at 375 px
(taken during conftest.py's walk) and 1280 px (here) go to test-artifacts/gate-<page>-<width>.png
for a person to look at.

Fixtures: `site_walk`, `years_walk`, `built_site`, `site_url`, `years_site`, `artifacts_dir`
(conftest.py); site_tests/gates.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from site_tests import gates

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def narrow(walk: dict) -> list:
    return [problem for report in walk.values() for problem in report.narrow]


def test_every_page_fits_375_px_and_the_printed_report_too(site_walk, built_site):
    assert set(site_walk) == set(gates.page_paths(built_site))
    assert narrow(site_walk) == []


def test_every_page_of_the_multi_year_site_fits_375_px(years_walk):
    assert "standards/compare/" in years_walk
    assert narrow(years_walk) == []


def test_every_page_prints_on_a4_without_losing_its_right_edge(site_walk, years_walk):
    assert [p for walk in (site_walk, years_walk) for report in walk.values() for p in report.paper] == []


def test_screenshots_of_the_main_pages_at_1280_px(page: Page, site_url, built_site, years_site, artifacts_dir,
                                                  site_walk, years_walk):
    year = gates.current_year(built_site)
    for old in artifacts_dir.glob("gate-*-1280.png"):
        old.unlink()
    page.set_viewport_size(DESKTOP)
    for path, name in gates.SHOTS.items():
        path = path.format(year=year)
        gates.visit(page, site_url, path, built_site)
        page.screenshot(path=str(artifacts_dir / f"gate-{name}-1280.png"), full_page=True)
        if gates.is_form(path):
            page.emulate_media(media="print")
            page.screenshot(path=str(artifacts_dir / "gate-assess-report-1280.png"), full_page=True)
            page.emulate_media(media="screen")
    with gates.serving(years_site) as base:
        gates.visit(page, base, "standards/compare/", years_site, compare_query="?from=2019&to=2020&standard=dept")
        page.screenshot(path=str(artifacts_dir / "gate-compare-1280.png"), full_page=True)
    # Both widths are there (the 375 px ones come from the walks).
    for width in (375, 1280):
        names = {p.name for p in artifacts_dir.glob(f"gate-*-{width}.png")}
        assert len(names) == len(gates.SHOTS) + 2, (width, sorted(names))
