"""The Measures in a real browser (Debian's Chromium via pytest-playwright): search, permanent links,
copy-link, print, and nothing fetched from anywhere but the local server.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from site_tests import gates
from test_site_build import SEARCH_TERMS

pytestmark = pytest.mark.browser


@pytest.fixture
def guard(page, site_url):
    """Blocks and records requests to other hosts (the search worker's included) and console errors."""
    return gates.Guard(page, urlsplit(site_url).hostname)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


def search(page: Page, term: str, anchor: str):
    """Type into Material's search box; return the result hrefs once the expected result is listed.

    Material listens to key events, so `fill` alone would not search: press End afterwards.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")
    expect(page.locator(f'.md-search-result__list a[href*="#{anchor}"]').first).to_be_attached(timeout=15_000)
    return page.locator(".md-search-result__list a").evaluate_all("els => els.map(e => e.href)")


def fragment_results(hrefs: list[str]) -> list[tuple[str, str]]:
    return [(urlsplit(h).path, urlsplit(h).fragment) for h in hrefs if urlsplit(h).fragment]


def test_search_finds_rongcuo_and_opens_the_article(page, site_url, guard, artifacts_dir):
    number = SEARCH_TERMS["容错"]
    page.goto(site_url)
    page.screenshot(path=str(artifacts_dir / "home.png"), full_page=True)
    search(page, "容错", f"article-{number}")
    link = page.locator(f'.md-search-result__list a[href*="#article-{number}"]').first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**/measures/**#article-{number}")
    url = urlsplit(page.url)
    assert url.path.endswith("/measures/") and url.fragment == f"article-{number}"
    heading = page.locator(f"h3#article-{number}")
    expect(heading).to_be_visible()
    expect(heading).to_be_in_viewport()
    expect(heading).to_contain_text("第二十六条")
    guard.assert_clean()


@pytest.mark.parametrize("term, number", SEARCH_TERMS.items())
def test_search_lists_the_right_article_first(page, site_url, guard, term, number):
    page.goto(site_url)
    hrefs = search(page, term, f"article-{number}")
    sections = [(path, frag) for path, frag in fragment_results(hrefs) if frag.startswith("article-")]
    assert sections, f"{term}: no article results in {[unquote(h) for h in hrefs]}"
    path, fragment = sections[0]
    assert path.endswith("/measures/") and fragment == f"article-{number}", (
        f"{term}: first article result is {fragment}, expected article-{number}"
    )
    guard.assert_clean()


def test_article_permalink_lands_on_the_heading(page, site_url, guard, artifacts_dir):
    page.goto(site_url + "measures/#article-13")
    heading = page.locator("h3#article-13")
    expect(heading).to_have_text("第十三条 政治建设责任¶")
    expect(heading).to_be_in_viewport()
    page.screenshot(path=str(artifacts_dir / "measures-article-13.png"))
    guard.assert_clean()


def test_copy_link_copies_the_absolute_article_url(page, site_url, guard):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url + "measures/")
    button = page.locator('button.gm-copy-link[data-anchor="article-13"]')
    expect(button).to_be_visible()
    expect(button).to_have_accessible_name("复制链接：第十三条")
    button.click()
    expect(button).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == site_url + "measures/#article-13"
    expect(page.locator("#gm-live")).to_have_text("已复制")

    # Keyboard: focus and Enter, no mouse.
    other = page.locator('button.gm-copy-link[data-anchor="article-26"]')
    other.focus()
    page.keyboard.press("Enter")
    expect(other).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == site_url + "measures/#article-26"
    expect(button).to_have_text("复制链接", timeout=5_000)
    guard.assert_clean()


def test_print_button_and_print_link(page, site_url, guard):
    # Counted on <html data-printed>: waited for with an assertion, not wait_for_function, which eval()s
    # in the page and the site's CSP refuses that (microsoft/playwright#36982).
    page.add_init_script("window.__printed = 0; window.print = () => {"
                         " document.documentElement.dataset.printed = String(++window.__printed); };")
    # The home page's "打印全文" link opens the print dialog once, and drops #print from the URL.
    page.goto(site_url)
    page.get_by_role("link", name="打印全文（A4）").click()
    expect(page.locator("html")).to_have_attribute("data-printed", "1")
    assert urlsplit(page.url).fragment == ""
    page.locator("button.gm-print").click()
    expect(page.locator("html")).to_have_attribute("data-printed", "2")
    guard.assert_clean()


def test_print_media_shows_only_the_text(page, site_url, guard):
    page.goto(site_url + "measures/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   "button.gm-print", 'button.gm-copy-link[data-anchor="article-1"]'):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".gm-notice")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('h3#article-1')).color") == "rgb(0, 0, 0)"
    guard.assert_clean()


@pytest.mark.parametrize("path", ["", "measures/"])
def test_no_horizontal_overflow_on_a_phone(page, site_url, guard, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    guard.assert_clean()
