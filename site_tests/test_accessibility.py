"""Accessibility gates in a real Chromium: axe-core on every built page and on the pages in the states
scripts put them in, the whole self-assessment with the keyboard alone, a visible focus on every
control of the form, and grades, charts and heatmap cells that say in text what their colour says.

axe-core (npm, pinned in package.json) is injected with `add_init_script`: the pages' Content-Security-
Policy (a meta element, sitebuild/csp.py) refuses the inline script `add_script_tag` would add, and an
init script is run by the browser itself, so the axe run sees each page under its real policy.
A violation of impact "serious" or "critical" fails; the others are printed (`pytest -s` shows them).

The states' DOM (the filled form, the office's tables and charts, a comparison) is also checked with
the Nu Html Checker here, where those states are made; the built files are checked in
test_html_valid.py.

Fixtures from conftest.py: `built_site`, `site_url`, `years_site` and Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, scoring, tree
from site_tests import gates, vnu
from site_tests.test_browser_assess import add_occurrence, item, open_form  # the form's own helpers

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
READY_MS = 60000
SHIPPED = tree.load("standards")
YEAR = SHIPPED.current.year
BUNDLE = SHIPPED.current.bundle("dept").to_json()

# Transitions finish first (Material fades its back-to-top button in): a colour half-way through a fade
# is not the page's. Then every rule axe runs by default (WCAG 2 A/AA and best practices).
RUN_AXE = """async () => {
  const finite = (a) => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime);
  await Promise.all(document.getAnimations().filter(finite).map((a) => a.finished.catch(() => null)));
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${(n.failureSummary || "").replace(/\\s+/g, " ")}`),
  }));
}"""

# Rendered form controls with no accessible name: no <label>, aria-label or aria-labelledby. (Material's
# display:none toggles are not controls anyone meets.)
UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type="hidden"]), select, textarea'))
  .filter((c) => c.getClientRects().length > 0)
  .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
  .map((c) => c.outerHTML.slice(0, 160))"""


def _require_axe():
    if AXE.is_file():
        return
    message = f"{AXE} is missing: run `make setup` (npm ci)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def with_axe(page: Page) -> Page:
    """Give every document this page's context opens axe-core, before the page's own scripts."""
    _require_axe()
    page.context.add_init_script(path=str(AXE))
    return page


def axe_problems(page: Page, label: str) -> list[str]:
    """The blocking violations on the page as it is now, one line each; the others are printed."""
    problems = []
    for v in page.evaluate(RUN_AXE):
        lines = [f"{label}: {v['impact']} {v['id']} ({v['help']})"] + [f"    {n}" for n in v["nodes"][:8]]
        if v["impact"] in BLOCKING:
            problems.append("\n".join(lines))
        else:
            print("\n".join(lines))
    return problems


def snapshot(page: Page, folder: Path, name: str) -> Path:
    """The DOM as scripts left it, as a file for the Nu Html Checker."""
    path = folder / f"{name}.html"
    path.write_text("<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
    return path


def assert_valid_html(snapshots: list[Path]) -> None:
    ours, _ = vnu.split(vnu.check(snapshots))
    assert ours == [], "HTML errors in the pages as scripts left them:\n" + vnu.describe(ours)


def cpython_total(items: dict, organization: str = "") -> dict:
    value = assessment.empty(BUNDLE, organization=organization)
    value["items"] = items
    return json.loads(json.dumps(scoring.score(BUNDLE, value), ensure_ascii=False))


# ---------------------------------------------------------------- every page

def test_every_page_has_no_serious_violations_and_labels_every_control(page: Page, built_site, site_url,
                                                                          years_site, years_url):
    """Every page of the shipped site, and the fixture site's year pages (older, draft, several years),
    as a reader first sees them. The in-browser scorer is held back (its worker never arrives), so
    the forms stay in their "starting" state and the sweep does not wait for Pyodide on each form;
    the started and failed states are the next test's."""
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.route("**/assets/javascripts/scorer-worker.mjs", lambda route: None)  # never answered
    pages = [(site_url, p) for p in gates.page_paths(built_site)]
    pages += [(years_url, p) for p in gates.page_paths(years_site) if p.startswith(("standards/", "assess/"))]
    assert len(pages) >= 25
    problems, unlabelled = [], []
    for base, path in pages:
        page.goto(base + path)
        page.wait_for_load_state("load")
        label = ("years: " if base == years_url else "") + (path or "/")
        problems += axe_problems(page, label)
        unlabelled += [f"{label}: {c}" for c in page.evaluate(UNLABELLED)]
    assert problems == [], "\n".join(problems)
    assert unlabelled == [], "form controls without a label:\n" + "\n".join(unlabelled)


# ---------------------------------------------------------------- the self-assessment in its states

def test_the_assessment_form_in_its_states(page: Page, browser, site_url, tmp_path):
    """Empty; filled with occurrences (a bonus, a grade limit, evidence) and one wrong value; an import
    refused; the clear dialog open; and a scorer that cannot start (the wasm sent with a wrong MIME
    type). The grade is always a word, and the chart writes every area's score."""
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    problems, snapshots = [], []
    open_form(page, site_url)
    problems += axe_problems(page, "empty form")
    snapshots.append(snapshot(page, tmp_path, "empty"))

    page.fill("#gm-org-name", "区某局党组")
    add_occurrence(page, "POL-01a", f"{YEAR}-03-01", 2)
    add_occurrence(page, "BON-01", f"{YEAR}-05-01")
    row = add_occurrence(page, "LIM-01", f"{YEAR}-08-08")
    row.locator('[data-action="add-evidence"]').click()
    row.locator('[data-field="file"]').fill("记录.pdf")
    expected = cpython_total({"POL-01a": [{"date": f"{YEAR}-03-01", "count": 2}], "BON-01": [{"date": f"{YEAR}-05-01", "count": 1}],
                              "LIM-01": [{"date": f"{YEAR}-08-08", "count": 1}]}, "区某局党组")
    expect(page.get_by_test_id("total-score")).to_have_text(str(expected["total"]))
    # Colour is never the only signal: the grade is its name, in text, here and in the sticky bar;
    # the lowered grade says why; the chart writes each area's name and score.
    expect(page.get_by_test_id("grade")).to_have_text(expected["grade"]["name"])
    expect(page.locator('[data-sticky="grade"]')).to_have_text(expected["grade"]["name"])
    expect(page.locator('[data-grade="limit-note"]')).to_contain_text("LIM-01")
    for area in expected["areas"]:
        chart_row = page.locator(f'#gm-chart svg [data-area="{area["id"]}"]')
        expect(chart_row.locator(".gm-chart-label")).to_have_text(area["name"])
        expect(chart_row.locator(".gm-chart-value")).to_have_text(f'{area["score"]} / {area["points"]} 分')
    problems += axe_problems(page, "filled form")

    late = add_occurrence(page, "ORG-01a", f"{YEAR - 1}-11-11", 1, "上年度")
    expect(late.locator('[data-slot="message"]')).to_contain_text(f"不在 {YEAR} 年度内")  # the reason in words
    expect(page.get_by_test_id("score-notes")).to_be_visible()
    expect(page.get_by_test_id("declared")).to_contain_text("未计入得分")
    problems += axe_problems(page, "form with a record of another year")
    snapshots.append(snapshot(page, tmp_path, "another-year"))

    wrong = add_occurrence(page, "POL-02a", f"{YEAR}-02-02", -2)
    expect(wrong.locator('[data-field="count"]')).to_have_attribute("aria-invalid", "true")
    expect(wrong.locator('[data-slot="message"]')).to_contain_text("过小")  # the reason in words, not a red border
    expect(page.locator("#gm-result-problems")).to_be_visible()
    problems += axe_problems(page, "form with a wrong value")
    snapshots.append(snapshot(page, tmp_path, "filled"))

    page.get_by_test_id("import-file").set_input_files(
        {"name": "坏文件.json", "mimeType": "application/json", "buffer": "{不是 JSON".encode("utf-8")})
    expect(page.locator("#gm-alert")).to_contain_text("未导入")
    problems += axe_problems(page, "import refused")
    snapshots.append(snapshot(page, tmp_path, "import-refused"))

    page.click('[data-action="clear"]')
    expect(page.locator("#gm-clear-dialog")).to_be_visible()
    problems += axe_problems(page, "clear dialog")
    page.keyboard.press("Escape")

    # A scorer that cannot start: its own context, with no service worker to serve a good copy.
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    try:
        broken = with_axe(context.new_page())
        broken.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=200, body=b"\0asm", content_type="text/plain"))
        broken.goto(f"{site_url}assess/{YEAR}/dept/")
        status = broken.get_by_test_id("scorer-status")
        expect(status).to_have_attribute("data-state", "error", timeout=READY_MS)
        expect(status).to_contain_text("application/wasm")  # the cause, in words
        problems += axe_problems(broken, "scorer error")
        snapshots.append(snapshot(broken, tmp_path, "scorer-error"))
    finally:
        context.close()

    assert problems == [], "\n".join(problems)
    assert_valid_html(snapshots)


def test_the_carry_offer_and_its_reminders(page: Page, years_url, tmp_path):
    """An earlier year's file offered for carrying forward, then its reminders with a date field and a
    copy button per occurrence: no serious violation, every control labelled, valid HTML."""
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{years_url}assess/2020/dept/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    years = tree.load("site_tests/fixtures/years")
    value = assessment.empty(years.years[2019].bundle("dept").to_json(), "区某局党组")
    value["items"] = {"POL-02a": [{"date": "2019-05-01", "note": "会议"}], "INS-01a": [{"date": "2019-06-01"}]}
    page.get_by_test_id("import-file").set_input_files(files=[{
        "name": "2019.json", "mimeType": "application/json", "buffer": json.dumps(value, ensure_ascii=False).encode("utf-8")}])
    panel = page.locator("#gm-carry")
    expect(panel).to_be_visible(timeout=30000)
    problems = axe_problems(page, "carry offer")
    snapshots = [snapshot(page, tmp_path, "carry-offer")]
    panel.get_by_role("button", name="结转到本年度").click()
    expect(panel.get_by_test_id("carry-reminders")).to_be_visible()
    assert page.evaluate(UNLABELLED) == []
    problems += axe_problems(page, "carry reminders")
    snapshots.append(snapshot(page, tmp_path, "carry-reminders"))
    assert problems == [], "\n".join(problems)
    assert_valid_html(snapshots)


# ---------------------------------------------------------------- the office pages and the comparison

def test_the_office_pages_with_data(page: Page, site_url, tmp_path):
    """The collection page with two dozen assessments (bad files and a duplicate among them) and the
    plan page with an impossible share, then a plan. Every heatmap cell and bar writes its number."""
    from site_tests.test_browser_office import ORGS_CSV, all_payloads

    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    problems, snapshots = [], []
    page.goto(site_url + "office/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    page.get_by_test_id("office-files").set_input_files(all_payloads())
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", "1", timeout=READY_MS)
    expect(page.get_by_test_id("rejected")).to_be_visible()

    # Colour is never the only signal: each shaded cell has its score written in it, each bar its
    # count, the legend names the bands, and the grade column is words.
    cells = page.locator('[data-testid="heatmap"] rect.gmo-cell')
    texts = page.locator('[data-testid="heatmap"] text.gmo-cell-text').all_text_contents()
    assert cells.count() > 0 and len(texts) == cells.count() and all(t.strip() for t in texts)
    for bar in page.locator('[data-testid="distribution"] svg g[data-grade]').all():
        assert bar.locator(".gmo-bar-label").text_content().strip()
        assert bar.locator(".gmo-bar-value").text_content().strip()
    expect(page.locator(".gmo-legend")).to_contain_text("90% 及以上")
    grades = {g["name"] for g in BUNDLE["year"]["grades"]}
    shown = page.evaluate("""() => {
        const table = document.querySelector('[data-testid="office-table"]');
        const column = Array.from(table.querySelectorAll('thead th')).findIndex((th) => th.dataset.column === 'grade');
        return Array.from(table.querySelectorAll('tbody tr'), (tr) => tr.children[column].textContent);
    }""")
    assert shown and set(shown) <= grades, shown
    problems += axe_problems(page, "office with data")
    snapshots.append(snapshot(page, tmp_path, "office"))
    # One organization's detail, opened from its row: the dialog as a screen reader meets it.
    page.locator('[data-testid="office-table"] tbody button[data-detail]').first.click()
    expect(page.get_by_test_id("detail-body").locator(".gmo-detail-facts")).to_be_visible(timeout=READY_MS)
    problems += axe_problems(page, "office detail")
    snapshots.append(snapshot(page, tmp_path, "office-detail"))
    page.keyboard.press("Escape")

    page.goto(site_url + "office/plan/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    page.get_by_test_id("organizations").fill(ORGS_CSV)
    page.get_by_test_id("share").fill("10%")
    page.get_by_test_id("make-plan").click()
    expect(page.locator("#gmo-plan-alert")).to_contain_text("最小比例")
    problems += axe_problems(page, "plan refused")
    page.get_by_test_id("share").fill("25%")
    page.get_by_test_id("make-plan").click()
    expect(page.get_by_test_id("plan-table").locator("tbody tr")).to_have_count(35)
    problems += axe_problems(page, "plan")
    snapshots.append(snapshot(page, tmp_path, "plan"))

    assert problems == [], "\n".join(problems)
    assert_valid_html(snapshots)


def test_the_comparison_with_a_result(page: Page, years_url, tmp_path):
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(years_url + "standards/compare/?from=2019&to=2020&standard=dept")
    # Not wait_for_function: it eval()s in the page, which the site's CSP refuses (see gates.use_compare).
    expect(page.locator("#gm-compare")).to_have_attribute("data-state", re.compile(r"^(done|error)$"), timeout=90000)
    assert page.locator("#gm-compare").get_attribute("data-state") == "done"
    # Inserted and deleted text is marked in words for screen readers, not only by colour.
    assert page.locator("#gm-compare-result .gm-visually-hidden").count() > 0
    problems = axe_problems(page, "comparison 2019 → 2020")
    snapshots = [snapshot(page, tmp_path, "compare")]
    # An editor's draft preview: the drafts box, the draft notice, the change notes.
    page.goto(years_url + "standards/compare/?from=2020&to=2022&standard=dept&draft=1")
    expect(page.locator("#gm-compare")).to_have_attribute("data-state", re.compile(r"^(done|error)$"), timeout=90000)
    assert page.locator("#gm-compare").get_attribute("data-state") == "done"
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    problems += axe_problems(page, "comparison 2020 → 2022 draft")
    snapshots.append(snapshot(page, tmp_path, "compare-draft"))
    assert problems == [], "\n".join(problems)
    assert_valid_html(snapshots)


def test_search_results_with_table_rows_and_section_titles(page: Page, site_url):
    """The search results as sitebuild/theme_search.py makes them: rows of table cells as paragraphs,
    group titles linking to their best section."""
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("八项规定")
    box.press("End")
    expect(page.locator('.md-search-result__item a[href*="#conduct"]').first).to_be_visible(timeout=30_000)
    problems = axe_problems(page, "search results 八项规定")
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------- keyboard only

def press_until(page: Page, selector: str, key: str = "Tab", limit: int = 400) -> None:
    """Press `key` (Tab or Shift+Tab) until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => Boolean(document.activeElement && document.activeElement.matches(s))", selector):
            return
    pytest.fail(f"{limit} × {key} never reached {selector}")


def date_segments(page: Page) -> list[str]:
    """Order of a date field's parts as this browser shows them (year, month, day), from its
    accessibility tree: the typed digits go in that order, whatever the browser's locale."""
    names = {"year": "year", "年": "year", "month": "month", "月": "month", "day": "day", "日": "day"}
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    order = []
    for node in nodes:
        if node.get("role", {}).get("value") == "spinbutton":
            words = str(node.get("name", {}).get("value", "")).lower().split()  # e.g. "Month Month"
            name = names.get(words[0]) if words else None
            if name and name not in order:
                order.append(name)
    assert sorted(order) == ["day", "month", "year"], order
    return order


def type_date(page: Page, iso: str, order: list[str]) -> None:
    """Type a date into the focused date field: month and day move on by themselves after two digits;
    the year (up to six digits) is left with Tab when another part follows it."""
    year, month, day = iso.split("-")
    parts = {"year": year, "month": month, "day": day}
    for i, name in enumerate(order):
        page.keyboard.type(parts[name])
        if name == "year" and i < len(order) - 1:
            page.keyboard.press("Tab")


def test_the_whole_assessment_can_be_done_with_the_keyboard(page: Page, site_url):
    """No mouse: Tab, Shift+Tab, typing, Enter and Space. Fill in the organization, record one
    deduction with its date and count, see the total change, and export the file."""
    open_form(page, site_url)
    before = page.get_by_test_id("total-score").text_content()
    order = date_segments(page)

    press_until(page, "#gm-org-name")
    page.keyboard.type("键盘党组")
    press_until(page, '.gm-item[data-item="POL-01a"] [data-action="add-occurrence"]')
    page.keyboard.press("Enter")
    date = item(page, "POL-01a").locator('.gm-occurrence [data-field="date"]')
    expect(date).to_be_focused()  # the new row's first field
    type_date(page, f"{YEAR}-03-01", order)
    expect(date).to_have_value(f"{YEAR}-03-01")
    press_until(page, '.gm-item[data-item="POL-01a"] .gm-occurrence [data-field="count"]')
    page.keyboard.type("2")  # Tab selected the field's 1: typing replaces it
    expect(item(page, "POL-01a").locator('.gm-occurrence [data-field="count"]')).to_have_value("2")

    expected = cpython_total({"POL-01a": [{"date": f"{YEAR}-03-01", "count": 2}]}, "键盘党组")
    expect(page.get_by_test_id("total-score")).to_have_text(str(expected["total"]))
    assert str(expected["total"]) != before

    press_until(page, '[data-action="export-json"]', key="Shift+Tab")
    with page.expect_download() as download:
        page.keyboard.press("Space")
    exported = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert exported["organization"]["name"] == "键盘党组"
    assert exported["items"] == {"POL-01a": [{"date": f"{YEAR}-03-01", "count": 2}]}


# ---------------------------------------------------------------- visible focus

# The focused element's ring, or for a visually hidden control (the file input behind its big label)
# the ring of what stands in for it. "auto" is the browser's own focus ring.
FOCUS_RING = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const box = e.getBoundingClientRect();
  const hidden = getComputedStyle(e).opacity === "0" || box.width <= 1 || box.height <= 1;
  const shown = hidden && e.labels && e.labels.length ? e.labels[0] : e;
  const s = getComputedStyle(shown);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== "rgba(0, 0, 0, 0)";
  const shadow = s.boxShadow !== "none" && !/^rgba\\(0, 0, 0, 0\\)/.test(s.boxShadow);
  const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "")
    + (e.dataset.action ? `[data-action=${e.dataset.action}]` : "") + (e.dataset.field ? `[data-field=${e.dataset.field}]` : "");
  return { name, visible: outline || shadow, style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}` };
}"""


def test_focus_is_visible_on_every_control_of_the_form(page: Page, site_url):
    """Tab through the whole form page (header, navigation, toolbar, every item, an occurrence row with
    evidence, the result): at every stop the focused control has an outline or a box-shadow."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_form(page, site_url)
    row = add_occurrence(page, "POL-01a", f"{YEAR}-03-01", 1)
    row.locator('[data-action="add-evidence"]').click()
    row.locator('[data-field="file"]').fill("记录.pdf")
    page.reload()  # the draft brings the rows back; Tab starts from the top of the page
    expect(item(page, "POL-01a").locator('[data-field="file"]')).to_have_value("记录.pdf")
    stops, invisible = [], {}
    for _ in range(1500):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None:
            break  # past the last control, back to the document
        stops.append(ring["name"])
        if not ring["visible"]:
            invisible.setdefault(ring["name"], ring["style"])
        if len(stops) > 1 and stops.count(stops[0]) > 1 and ring["name"] == stops[0]:
            break  # wrapped around
    names = set(stops)
    assert len(stops) > 100, stops
    for needed in ("input#gm-org-name", "input#gm-import-file", "[data-action=add-occurrence]", "[data-field=date]",
                   "[data-field=count]", "[data-field=note]", "[data-field=file]", "[data-action=remove-occurrence]"):
        assert any(needed in n for n in names), f"Tab never reached {needed}"
    assert invisible == {}, "focused with no visible ring:\n" + "\n".join(f"{k}: {v}" for k, v in invisible.items())
