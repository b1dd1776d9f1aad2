"""Material's search on the shipped site in a real Chromium, with this build's fixes to it
(sitebuild/theme_search.py): a multi-word Chinese query reports no term missing where the text has it,
a result group's title leads to its best-matching section with the match highlighted, and table
rows read as rows. The worker's behaviour over many queries is tested in Node (test_site_build.py).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from site_tests import gates

pytestmark = pytest.mark.browser


@pytest.fixture
def guard(page):
    return gates.Guard(page)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


def search(page: Page, query: str, expected_href: str):
    """Type `query` (Material listens to key events: fill, then End); wait for a result linking to
    `expected_href`; return the result groups."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    expect(page.locator(f'.md-search-result__item a[href*="{expected_href}"]').first).to_be_attached(timeout=30_000)
    return page.locator(".md-search-result__item")


def test_a_chinese_query_finds_its_words_and_leads_to_the_best_section(page, site_url, built_site, guard, artifacts_dir):
    year = gates.current_year(built_site)
    page.goto(site_url)
    groups = search(page, "八项规定", f"standards/{year}/dept/")

    # Material lists the query terms a result lacks as 缺少: …; a result holding 八项规定 lacks none.
    # (Other sections listed under 在该页上还有… hold 规定 alone and rightly say 缺少: 八项.)
    sections = page.locator(f'.md-search-result__link:has(h2):is([href$="#article-16"], [href*="standards/{year}/dept/"][href$="#conduct"])')
    assert sections.count() == 2
    for section in sections.all():
        assert "八项规定" in section.inner_text().replace("\u200b", "")
        assert section.locator(".md-search-result__terms").count() == 0, section.inner_text()
    dept = groups.filter(has=page.locator(f'a[href*="standards/{year}/dept/"]')).first

    # Table rows read as rows: the matching row, its cells apart, not the column headers run together.
    snippet = dept.inner_text().replace("\u200b", "")
    assert "指标分值评价内容" not in snippet
    assert "CON-01 严格执行中央八项规定及其实施细则精神\u30005\u3000严格执行" in snippet
    page.screenshot(path=str(artifacts_dir / "search-results-1280.png"))

    # The group's title (the page, which did not match itself) leads to the best section, highlighted.
    title = dept.locator("a.md-search-result__link").first
    href = urlsplit(title.get_attribute("href"))
    assert href.fragment == "conduct", title.get_attribute("href")
    assert parse_qs(href.query)["h"] == ["八项 规定"]
    title.click()
    expect(page).to_have_url(f"{site_url}standards/{year}/dept/?h=%E5%85%AB%E9%A1%B9+%E8%A7%84%E5%AE%9A#conduct")
    marks = page.locator("#CON-01 mark")
    expect(marks.first).to_be_visible()
    assert "八项" in marks.all_inner_texts()
    assert page.evaluate("document.getElementById('conduct').getBoundingClientRect().top") < 200, "scrolled to the section"
    page.screenshot(path=str(artifacts_dir / "search-landed-1280.png"))
    guard.assert_clean()


def test_a_page_that_matches_itself_keeps_its_own_title_link(page, site_url, guard):
    """Material's own behaviour where it was right: a page whose top matches links its title to itself."""
    page.goto(site_url)
    groups = search(page, "实施办法", "measures/")
    title = groups.first.locator("a.md-search-result__link").first
    href = urlsplit(title.get_attribute("href"))
    assert href.fragment == "" and parse_qs(href.query)["h"] == ["实施办法"], title.get_attribute("href")
    guard.assert_clean()


def test_results_on_a_phone_fit_the_width(page, site_url, built_site, guard, artifacts_dir):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site_url)
    page.locator('label.md-header__button[for="__search"]').click()
    year = gates.current_year(built_site)
    search(page, "八项规定", f"standards/{year}/dept/")
    # Material opens search with CSS transitions (the overlay scales up from a small circle, the
    # panel slides in); while they run, their transforms widen the page. Measure the settled layout.
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    widest = page.locator(".md-search-result__article").evaluate_all("as => Math.max(...as.map((a) => a.scrollWidth - a.clientWidth))")
    assert widest <= 0, "a result scrolls sideways"
    page.screenshot(path=str(artifacts_dir / "search-results-375.png"))
    guard.assert_clean()
