"""Gate: phones. At 375 px wide every page, driven to its working state (the form scored, a file
imported, the plan made, years compared), is usable without scrolling sideways, on screen and
printed; whatever scrolls inside its own box (wide tables) can be reached and named by keyboard and
screen-reader users. Screenshots of the main pages at 375 and 1280 px go to test-artifacts/ for a
person to look at (gate-<page>-<width>.png).

Fixtures: `built_site`, `site_url`, `years_site`, `artifacts_dir` (conftest.py); site_tests/gates.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from site_tests import gates

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Elements that scroll sideways inside the page, and whether a keyboard can reach them and a screen
# reader can name them (WCAG 2.1.1 and 4.1.2; axe's scrollable-region-focusable).
SCROLLERS = """() => Array.from(document.querySelectorAll('body *')).filter((el) => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  }).map((el) => ({
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''),
    focusable: el.tabIndex >= 0,
    named: Boolean(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
  }))"""

WIDTH = "document.documentElement.scrollWidth"


def check_narrow(page: Page, where: str) -> list[str]:
    problems = []
    width = page.evaluate(WIDTH)
    if width > PHONE["width"]:
        wide = page.evaluate("""(limit) => Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.getClientRects().length)
            .slice(-3).map((el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0]
                               + ' right=' + Math.round(el.getBoundingClientRect().right))""", PHONE["width"])
        problems.append(f"{where}: scrollWidth {width} > {PHONE['width']} ({wide})")
    for scroller in page.evaluate(SCROLLERS):
        if not (scroller["focusable"] and scroller["named"]):
            problems.append(f"{where}: {scroller['element']} scrolls sideways but is not focusable and named")
    return problems


def walk_narrow(page: Page, base: str, site, paths, *, compare_query: str = "") -> list[str]:
    page.set_viewport_size(PHONE)
    problems = []
    for path in paths:
        gates.visit(page, base, path, site, compare_query=compare_query)
        problems += check_narrow(page, path or "/")
        if path.startswith("assess/") and path.count("/") == 3:  # the printed report, from a phone
            page.emulate_media(media="print")
            problems += check_narrow(page, f"{path} (print)")
            page.emulate_media(media="screen")
    return problems


def test_every_page_fits_375_px_on_screen_and_in_print(page: Page, site_url, built_site):
    assert walk_narrow(page, site_url, built_site, gates.page_paths(built_site)) == []


def test_every_page_of_the_multi_year_site_fits_375_px(page: Page, years_site):
    with gates.serving(years_site) as base:
        assert walk_narrow(page, base, years_site, gates.page_paths(years_site),
                           compare_query="?from=2019&to=2020&standard=dept") == []


# Main pages for the screenshots: (name, path, query).
MAIN = [
    ("home", "", ""),
    ("measures", "measures/", ""),
    ("standards", "standards/", ""),
    ("year", "standards/{year}/", ""),
    ("standard", "standards/{year}/dept/", ""),
    ("assess-index", "assess/", ""),
    ("assess-form", "assess/{year}/dept/", ""),
    ("office", "office/", ""),
    ("plan", "office/plan/", ""),
    ("editors", "editors/", ""),
]


def test_screenshots_of_the_main_pages_at_375_and_1280(page: Page, site_url, built_site, years_site, artifacts_dir):
    year = gates.current_year(built_site)
    for old in artifacts_dir.glob("gate-*.png"):
        old.unlink()
    for width, viewport in ((375, PHONE), (1280, DESKTOP)):
        page.set_viewport_size(viewport)
        for name, path, query in MAIN:
            path = path.format(year=year)
            gates.visit(page, site_url, path, built_site)
            page.screenshot(path=str(artifacts_dir / f"gate-{name}-{width}.png"), full_page=True)
            if name == "assess-form":
                page.emulate_media(media="print")
                page.screenshot(path=str(artifacts_dir / f"gate-assess-report-{width}.png"), full_page=True)
                page.emulate_media(media="screen")
        with gates.serving(years_site) as base:
            gates.visit(page, base, "standards/compare/", years_site, compare_query="?from=2019&to=2020&standard=dept")
            page.screenshot(path=str(artifacts_dir / f"gate-compare-{width}.png"), full_page=True)
    assert len(list(artifacts_dir.glob("gate-*.png"))) == 2 * (len(MAIN) + 2)
