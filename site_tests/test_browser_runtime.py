"""The assessment pages' runtime in a real Chromium: what the service worker keeps for offline use and
what it shows for the rest, drafts shared by several tabs, and start-up failures explained.

Fixtures from conftest.py: `built_site`, `site_url`, `artifacts_dir` and Debian's Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sitebuild import offline
from site_tests import gates
from site_tests.test_accessibility import assert_valid_html, axe_problems, snapshot, with_axe
from site_tests.test_browser_assess import READY_MS, YEAR, form_url, open_form, wait_until

browser = pytest.mark.browser

STYLED = "(el) => getComputedStyle(el).backgroundColor"


def expect_styled(page: Page) -> None:
    """Material's stylesheet applied: the header has its colour, not the browser's transparent default."""
    header = page.locator(".md-header")
    expect(header).to_be_visible()
    assert header.evaluate(STYLED) not in ("", "rgba(0, 0, 0, 0)", "transparent")


# ---------------------------------------------------------------- offline

def precached(site: Path) -> set[str]:
    sw = (site / "sw.js").read_text("utf-8")
    return {url for url, _ in json.loads(re.search(r"^const BUILD = (\{.*\}); // written by", sw, re.M).group(1))["precache"]}


def test_every_page_a_scoring_page_links_to_is_precached_with_the_offline_page(built_site):
    listed = precached(built_site)
    assert "offline/" in listed and "" in listed  # the fallback, and the home page every page links to
    for section in ("assess", "office"):
        for page in built_site.joinpath(section).rglob("index.html"):
            folder = page.parent.relative_to(built_site).as_posix()
            assert folder + "/" in listed
            for href in re.findall(r'<a [^>]*href="([^"#:?]*)', page.read_text("utf-8")):
                target = (page.parent / href).resolve()
                if href and (target / "index.html").is_file():
                    rel = target.relative_to(built_site.resolve()).as_posix()
                    assert ("" if rel == "." else rel + "/") in listed, f"{folder} links to {href}, not precached"


def test_linked_pages_keeps_only_built_pages_of_the_site(tmp_path):
    for folder in ("a/b", "c", "d e"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_text("x", "utf-8")
    (tmp_path / "index.html").write_text("x", "utf-8")
    links = ["../../", "../../c/#top", "../../d%20e/", "https://example.org/", "//example.org/c/", "#here",
             "../../../../etc/", "/c/", "../../missing/", "mailto:x@example.org", "?q=1", "../../c/file.json"]
    (tmp_path / "a/b/index.html").write_text("".join(f'<a href="{h}">x</a>' for h in links), "utf-8")
    assert offline.linked_pages(tmp_path, "a/b") == {"", "c", "d e"}


@browser
def test_offline_the_forms_links_open_and_any_other_page_gets_the_styled_fallback(page: Page, site_url, artifacts_dir):
    open_form(page, site_url)
    expect(page.get_by_test_id("scorer-status")).to_contain_text("本页已可离线使用", timeout=READY_MS)
    page.context.set_offline(True)
    try:
        # The form's own links: the standard's full text, the year's grades, the Measures (navigation).
        for name, path in (("查看本标准全文", f"standards/{YEAR}/dept/"), ("等级与结果运用", f"standards/{YEAR}/")):
            page.goto(form_url(site_url))
            page.get_by_role("link", name=name).first.click()
            expect(page).to_have_url(site_url + path + ("#grades" if name == "等级与结果运用" else ""))
            expect(page.locator("h1").first).not_to_contain_text("当前没有网络连接")
            expect_styled(page)
        page.goto(form_url(site_url))
        page.goto(page.locator('a.md-nav__link[href$="measures/"]').first.evaluate("(a) => a.href"))
        expect(page).to_have_url(site_url + "measures/")
        expect_styled(page)

        # A page never stored (at any depth): the site's offline page, styled, with a way home.
        for missing in ("editors-never-built/", f"standards/{YEAR + 10}/dept/"):
            response = page.goto(site_url + missing)
            assert response.status == 503
            expect(page.locator("h1")).to_contain_text("当前没有网络连接")
            expect(page).to_have_url(site_url + missing)  # a reload shows the real page once online
            expect_styled(page)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(artifacts_dir / "offline-fallback.png"))
        page.get_by_role("link", name="返回首页").click()
        expect(page).to_have_url(site_url)
        expect_styled(page)
    finally:
        page.context.set_offline(False)


# ---------------------------------------------------------------- drafts in several tabs

KEY = f"gm-draft:{YEAR}:dept"
STORED_NAME = f"(JSON.parse(localStorage.getItem('{KEY}') || 'null') || {{draft: {{organization: {{}}}}}}).draft.organization.name"


def stored_name(page: Page):
    return page.evaluate(STORED_NAME)


def wait_stored_name(page: Page, name: str) -> None:
    wait_until(page, f"{STORED_NAME} === {name!r}")


@browser
def test_a_stale_tab_never_overwrites_a_newer_draft_without_asking(page: Page, site_url, artifacts_dir, tmp_path):
    tab_a = with_axe(page)
    tab_b = page.context.new_page()
    for tab in (tab_a, tab_b):  # both opened before anything was saved
        tab.goto(form_url(site_url))
        expect(tab.locator("#gm-org-name")).to_have_value("")
    tab_a.fill("#gm-org-name", "甲标签页")
    tab_a.locator('.gm-item[data-item="ORG-01a"] [data-action="add-occurrence"]').click()
    tab_a.locator('.gm-item[data-item="ORG-01a"] [data-field="date"]').fill(f"{YEAR}-03-03")
    wait_stored_name(tab_a, "甲标签页")

    # Tab B learns of it at once (storage event) and asks; its own edits are held, not saved.
    notice = tab_b.locator("#gm-draft-conflict")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("另一个标签页")
    problems = axe_problems(tab_b, "draft conflict")
    tab_b.set_viewport_size(gates.PHONE)
    problems += gates.narrow_problems(tab_b, "draft conflict at 375 px")
    notice.scroll_into_view_if_needed()
    tab_b.screenshot(path=str(artifacts_dir / "draft-conflict-375.png"))
    assert problems == [], "\n".join(problems)
    assert_valid_html([snapshot(tab_b, tmp_path, "draft-conflict")])
    tab_b.fill("#gm-org-name", "乙标签页（旧表单）")
    tab_b.wait_for_timeout(1200)  # well past the save delay
    assert stored_name(tab_b) == "甲标签页"
    expect(tab_b.locator("#gm-draft-status")).to_contain_text("草稿未保存")

    # Load the newer draft: B now shows A's work, and B's later edits are saved over it.
    tab_b.get_by_role("button", name="载入较新的草稿").click()
    expect(notice).to_have_count(0)
    expect(tab_b.locator("#gm-org-name")).to_have_value("甲标签页")
    expect(tab_b.locator('.gm-item[data-item="ORG-01a"] [data-field="date"]')).to_have_value(f"{YEAR}-03-03")
    tab_b.fill("#gm-org-name", "乙标签页接着填")
    wait_stored_name(tab_b, "乙标签页接着填")

    # Now A is the stale one; keeping A's form is a choice, and then it is saved.
    expect(tab_a.locator("#gm-draft-conflict")).to_be_visible()
    tab_a.get_by_role("button", name="保留本页的填写").click()
    wait_stored_name(tab_a, "甲标签页")
    expect(tab_a.locator("#gm-draft-conflict")).to_have_count(0)
    expect(tab_a.locator("#gm-draft-status")).to_contain_text("已自动保存")

    # A tab that missed the event (here: a write from its own document, which fires none) finds out
    # when it saves, and closing it then writes nothing either.
    tab_b.get_by_role("button", name="保留本页的填写").click()  # B was told of A's save: keep B's
    wait_stored_name(tab_b, "乙标签页接着填")
    tab_a.get_by_role("button", name="载入较新的草稿").click()
    expect(tab_a.locator("#gm-org-name")).to_have_value("乙标签页接着填")
    tab_a.evaluate(f"""localStorage.setItem('{KEY}', JSON.stringify({{format: 'gm-draft/1', revision: 'elsewhere',
        saved: new Date().toISOString(), hash: null, draft: {{organization: {{name: '第三处'}}, assessor: {{}}, items: {{}}}}}}))""")
    tab_a.fill("#gm-org-name", "甲改了又改")
    expect(tab_a.locator("#gm-draft-conflict")).to_be_visible()
    tab_a.close(run_before_unload=True)
    tab_b.wait_for_timeout(500)
    assert stored_name(tab_b) == "第三处"


# ---------------------------------------------------------------- start-up failures explained

STARTUP_LIMIT_MS = 20000


def wrong_type(content_type: str):
    """A route handler serving the real file with another Content-Type (a misconfigured server)."""
    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-type": content_type})
    return handle


def missing(route):
    route.fulfill(status=404, body="Not Found", headers={"content-type": "text/html"})


def wasm_without_head(route):
    """A server that refuses HEAD (405) and serves the .wasm as application/octet-stream."""
    if route.request.method == "HEAD":
        route.fulfill(status=405, body="", headers={"allow": "GET"})
    else:
        wrong_type("application/octet-stream")(route)


MJS = wrong_type("text/plain")
# name -> ([(url pattern, handler)], what the message must name, the fix it must give)
STARTUP_FAILURES = {
    "page module": ([(r"/javascripts/assess\.mjs(\?|$)", MJS)], "assess.mjs", "text/javascript"),
    "page module's import": ([(r"/scorer-client\.mjs(\?|$)", MJS)], "scorer-client.mjs", "text/javascript"),
    "worker module": ([(r"/scorer-worker\.mjs(\?|$)", MJS)], "scorer-worker.mjs", "text/javascript"),
    "worker module's import": ([(r"/snapshot-pages\.mjs(\?|$)", MJS)], "snapshot-pages.mjs", "text/javascript"),
    "runtime module": ([(r"/pyodide/pyodide\.mjs(\?|$)", MJS)], "pyodide.mjs", "text/javascript"),
    "runtime's second module": ([(r"/pyodide\.asm\.mjs(\?|$)", MJS)], "pyodide.asm.mjs", "text/javascript"),
    "standard data missing": ([(rf"/data/{YEAR}/dept\.json(\?|$)", missing)], f"data/{YEAR}/dept.json", "部署"),
    "snapshot and stdlib missing": ([(r"/startup/snapshot-[0-9a-f]+\.bin(\?|$)", missing),
                                     (r"/python_stdlib\.zip(\?|$)", missing)], "python_stdlib.zip", "部署"),
    "wasm type, HEAD refused": ([(r"/pyodide\.asm\.wasm(\?|$)", wasm_without_head)], "pyodide.asm.wasm", "application/wasm"),
}


@browser
@pytest.mark.parametrize("failure", list(STARTUP_FAILURES))
def test_each_startup_failure_says_which_file_and_what_to_do_within_20_s(page: Page, site_url, failure):
    routes, file_name, fix = STARTUP_FAILURES[failure]
    for pattern, handler in routes:
        page.route(re.compile(pattern), handler)
    status = page.get_by_test_id("scorer-status")
    page.goto(form_url(site_url), wait_until="commit")
    expect(status).to_have_attribute("data-state", "error", timeout=STARTUP_LIMIT_MS)
    expect(status).to_contain_text(file_name)
    expect(status).to_contain_text(fix)
    message = status.inner_text()
    assert "Program terminated" not in message and "Failed to" not in message, message
    # Final: whatever the worker reports later (it may still start) does not replace the reason.
    page.wait_for_timeout(4000)
    expect(status).to_have_attribute("data-state", "error")
    assert status.inner_text() == message


@browser
@pytest.mark.parametrize("path, pattern, handler, file_name, fix", [
    ("office/", r"/data/index\.json(\?|$)", missing, "data/index.json", "刷新"),
    ("office/plan/", r"/javascripts/office-plan\.mjs(\?|$)", MJS, "office-plan.mjs", "text/javascript"),
    ("office/", r"/javascripts/office-common\.mjs(\?|$)", MJS, "office-common.mjs", "text/javascript"),
])
def test_the_office_pages_say_why_they_did_not_start(page: Page, site_url, path, pattern, handler, file_name, fix):
    page.route(re.compile(pattern), handler)
    status = page.get_by_test_id("scorer-status")
    page.goto(site_url + path, wait_until="commit")
    expect(status).to_have_attribute("data-state", "error", timeout=STARTUP_LIMIT_MS)
    expect(status).to_contain_text(file_name)
    expect(status).to_contain_text(fix)
    message = status.inner_text()
    page.wait_for_timeout(4000)  # the worker may still start: its progress does not hide the reason
    assert status.get_attribute("data-state") == "error" and status.inner_text() == message


GENERATED = 400
SEED = 20191231


def _draft_model(sequence: list) -> list:
    """What the tabs should see: a save lands only over the version its tab last read or wrote."""
    stored = None  # (version, name) or None
    seen: dict = {}
    versions = 0
    results = []
    for op, tab, *rest in sequence:
        if op == "open":
            seen[tab] = stored[0] if stored else None
            results.append(stored[1] if stored else "")
            continue
        if op == "legacy":  # an older copy of the page wrote it: no tab has seen it
            versions += 1
            stored = (versions, rest[0]) if rest[0] else stored
            results.append("saved")
            continue
        if op == "save" and seen.get(tab) != (stored[0] if stored else None):
            results.append("conflict")
            continue
        versions += 1
        stored = (versions, rest[0]) if rest[0] else None  # an empty form removes the draft
        seen[tab] = stored[0] if stored else None
        results.append("saved")
    return results


def test_drafts_compare_and_set_over_generated_tab_interleavings():
    """Random interleavings of 1-4 tabs opening, saving, emptying and overriding one form's draft:
    assess-draft.mjs answers exactly as the model (no save lands over a version its tab did not see),
    including over a draft saved before revisions existed and after removals (no ABA)."""
    import random
    import shutil
    import subprocess

    if not shutil.which("node"):
        pytest.skip("node is not installed")
    rng = random.Random(SEED)
    sequences = []
    for _ in range(GENERATED):
        tabs = rng.randint(1, 4)
        sequence = []
        for _ in range(rng.randint(1, 14)):
            op = rng.choices(["open", "save", "force", "legacy"], weights=[3, 6, 1, 1])[0]
            tab = -1 if op == "legacy" else rng.randrange(tabs)
            name = rng.choice(["甲", "乙"]) if op == "legacy" else rng.choice(["", "甲", "乙", "丙", "丁"])
            sequence.append([op, tab] if op == "open" else [op, tab, name])
        sequences.append(sequence)
    done = subprocess.run(["node", str(Path(__file__).parent / "node" / "drafts.mjs")], input=json.dumps(sequences),
                          capture_output=True, text=True, timeout=120, check=True)
    for sequence, got in zip(sequences, json.loads(done.stdout), strict=True):
        assert got == _draft_model(sequence), sequence
    assert sum(r.count("conflict") for r in json.loads(done.stdout)) > GENERATED // 4  # the case is exercised
