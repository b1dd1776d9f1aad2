"""The self-assessment pages in a real Chromium: the form scores through the worker exactly as CPython
does, keeps drafts, imports only what the scorer accepts (listing every reason otherwise), shows
user text as text, prints an A4 report, exports .xlsx, and keeps working offline.

Fixtures from conftest.py: `built_site` (one strict build), `site_url` (a local server over it),
`artifacts_dir` (screenshots, gitignored) and Debian's Chromium for pytest-playwright.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, model, scoring, tree
from site_tests import gates, scoring_cases

pytestmark = pytest.mark.browser

READY_MS = 60000
SHIPPED = tree.load("standards")
YEAR = SHIPPED.current.year
BUNDLES = {sid: SHIPPED.current.bundle(sid).to_json() for sid in SHIPPED.current.standards}
GENERATED = 300
SEED = 20191231
XSS = "<img src=x onerror=alert(1)>"

# Runs in the page: a second scorer from the same client, fed a batch of (bundle, assessment) texts.
SCORE_BATCH = """async (requests) => {
  const root = new URL(document.getElementById("gm-assess").dataset.root, location.href);
  const { startScorer } = await import(new URL("assets/javascripts/scorer-client.mjs", root).href);
  const scorer = startScorer();
  await scorer.ready;
  const answers = await Promise.all(requests.map(([op, bundle, value]) => scorer.call(op, bundle, value)));
  scorer.terminate();
  return answers;
}"""


def form_url(site_url: str, sid: str = "dept", year: int = YEAR) -> str:
    return f"{site_url}assess/{year}/{sid}/"


def open_form(page: Page, site_url: str, sid: str = "dept") -> None:
    page.goto(form_url(site_url, sid))
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect(page.get_by_test_id("total-score")).not_to_have_text("—")


def item(page: Page, item_id: str):
    return page.locator(f'.gm-item[data-item="{item_id}"]')


def add_occurrence(page: Page, item_id: str, date: str | None = None, count: int | None = None, note: str | None = None):
    block = item(page, item_id)
    block.locator('[data-action="add-occurrence"]').click()
    row = block.locator(".gm-occurrence").last
    if date is not None:
        row.locator('[data-field="date"]').fill(date)
    if count is not None:
        row.locator('[data-field="count"]').fill(str(count))
    if note is not None:
        row.locator('[data-field="note"]').fill(note)
    return row


def cpython(sid: str, items: dict, organization: str = "", **extra) -> dict:
    bundle = BUNDLES[sid]
    value = assessment.empty(bundle, organization=organization)
    value["items"] = items
    value.update(extra)
    return json.loads(json.dumps(scoring.score(bundle, value), ensure_ascii=False))


def expect_result(page: Page, result: dict) -> None:
    expect(page.get_by_test_id("total-score")).to_have_text(str(result["total"]))
    expect(page.get_by_test_id("grade")).to_have_text(result["grade"]["name"])


def wait_until(page: Page, expression: str, timeout_ms: int = 15000) -> None:
    """Poll a JS expression with page.evaluate. Not wait_for_function: that one evaluates its predicate
    with eval() inside the page, which a Content-Security-Policy without 'unsafe-eval' forbids."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


def stored_draft(page: Page, sid: str = "dept"):
    return page.evaluate(f"localStorage.getItem('gm-draft:{YEAR}:{sid}')")


# ---------------------------------------------------------------- the same engine as CPython

def _random_assessment(rng: random.Random, bundle: dict, n: int) -> dict:
    year = bundle["year"]["year"]
    value = assessment.empty(bundle, organization=f"随机党组织{n}")
    if rng.random() < 0.5:
        value["organization"]["kind"] = rng.choice(bundle["standard"]["organization_kinds"])
    if rng.random() < 0.5:
        value["assessor"] = {"name": "张三", "date": f"{year}-12-{rng.randint(1, 31):02d}"}
    ids = list(assessment.item_ids(bundle))
    for item_id in rng.sample(ids, k=rng.randint(0, min(len(ids), 20))):
        occurrences = []
        for _ in range(rng.randint(1, 3)):
            occurrence = {"date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
            if rng.random() < 0.7:
                occurrence["count"] = rng.choice([1, 1, 2, 3, 4, 7, 25])
            if rng.random() < 0.3:
                occurrence["note"] = rng.choice(["会议记录缺失", XSS, "整改中"])
            if rng.random() < 0.2:
                occurrence["evidence"] = [{"file": "记录.pdf", "location": "档案室", "sha256": "ab" * 32}]
            occurrences.append(occurrence)
        value["items"][item_id] = occurrences
    return value


def test_scoring_cases_and_generated_assessments_score_as_in_cpython(page: Page, site_url):
    """Every YAML scoring case and a few hundred seeded assessments: the page's worker gives the
    whole result CPython gives, and the cases' expectations hold in the browser too."""
    open_form(page, site_url)
    requests, expected, labels = [], [], []
    for path in scoring_cases.files():
        suite = scoring_cases.load(path)
        bundle = scoring_cases.bundle_for(suite)
        bundle_json = json.dumps(bundle, ensure_ascii=False)
        for case in suite["cases"]:
            value = scoring_cases.to_assessment(case, bundle)
            requests.append(["score", bundle_json, json.dumps(value, ensure_ascii=False)])
            expected.append((scoring.score(bundle, value), case["expected"]))
            labels.append(f"{Path(path).stem}: {case['name']}")
    cases = len(requests)
    assert cases >= 10
    rng = random.Random(SEED)
    sids = list(BUNDLES)
    for n in range(GENERATED):
        bundle = BUNDLES[sids[n % len(sids)]]
        value = _random_assessment(rng, bundle, n)
        requests.append(["score", json.dumps(bundle, ensure_ascii=False), json.dumps(value, ensure_ascii=False)])
        expected.append((scoring.score(bundle, value), None))
        labels.append(f"generated #{n}")

    answers = page.evaluate(SCORE_BATCH, requests)

    assert len(answers) == len(requests)
    grades = set()
    for answer, (result, case_expected), label in zip(answers, expected, labels):
        assert answer["ok"], (label, answer)
        assert answer["result"] == json.loads(json.dumps(result, ensure_ascii=False)), label
        if case_expected is not None:
            assert scoring_cases.mismatches(answer["result"], case_expected) == [], label
        grades.add(answer["result"]["grade"]["id"])
    assert len(grades) >= 3  # the generated set reaches several grades, not just 好


# ---------------------------------------------------------------- the form

def test_filling_the_form_scores_as_cpython(page: Page, site_url, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_form(page, site_url)
    expect_result(page, cpython("dept", {}))
    page.screenshot(path=str(artifacts_dir / "assess-empty.png"), full_page=False)

    row = add_occurrence(page, "POL-01a")
    expect(item(page, "POL-01a").locator('[data-slot="warning"]')).to_contain_text("请填写日期")
    row.locator('[data-field="date"]').fill(f"{YEAR}-03-01")
    expect_result(page, cpython("dept", {"POL-01a": [{"date": f"{YEAR}-03-01", "count": 1}]}))
    row.locator('[data-field="count"]').fill("5")  # over the item's cap
    items = {"POL-01a": [{"date": f"{YEAR}-03-01", "count": 5}]}
    expected = cpython("dept", items)
    expect_result(page, expected)
    expect(item(page, "POL-01a").locator(".gm-item-tally")).to_contain_text("已达单项上限")

    add_occurrence(page, "IDE-01a", f"{YEAR}-04-02", 2, "传达不及时")
    add_occurrence(page, "BON-01", f"{YEAR}-05-01")
    items.update({"IDE-01a": [{"date": f"{YEAR}-04-02", "count": 2, "note": "传达不及时"}],
                  "BON-01": [{"date": f"{YEAR}-05-01", "count": 1}]})
    expected = cpython("dept", items)
    expect_result(page, expected)
    add_occurrence(page, "LIM-01", f"{YEAR}-08-08")
    items["LIM-01"] = [{"date": f"{YEAR}-08-08", "count": 1}]
    expected = cpython("dept", items)
    assert expected["grade"]["id"] != expected["grade_by_score"]  # the limit lowered the grade
    expect_result(page, expected)
    expect(page.locator('[data-grade="limit-note"]')).to_contain_text("LIM-01")

    # Everything the result shows is the scorer's: areas, application texts, receipt lines.
    for area in expected["areas"]:
        expect(page.locator(f'[data-area-row="{area["id"]}"] [data-cell="score"]')).to_have_text(str(area["score"]))
        expect(page.locator(f'svg [data-area="{area["id"]}"] .gm-chart-value')).to_have_text(
            f'{area["score"]} / {area["points"]} 分')
    for key in ("organization", "principal", "members"):
        expect(page.locator(f'[data-grade="{key}"]')).to_have_text(expected["grade"]["application"][key])
    expect(page.locator("#gm-receipt li")).to_have_text(expected["receipt"])

    page.fill("#gm-org-name", "区某局党组")
    page.select_option("#gm-org-kind", BUNDLES["dept"]["standard"]["organization_kinds"][0])
    page.fill("#gm-assessor-name", "张三")
    page.fill("#gm-assessor-date", f"{YEAR}-12-20")
    item(page, "POL-01a").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "assess-filled.png"), full_page=False)


def test_every_control_has_a_label_and_rows_are_keyboard_usable(page: Page, site_url):
    open_form(page, site_url)
    block = item(page, "ORG-01a")
    block.locator('[data-action="add-occurrence"]').focus()
    page.keyboard.press("Enter")  # a real button: the keyboard adds a row
    date = block.locator('.gm-occurrence [data-field="date"]')
    expect(date).to_be_focused()  # and focus moves into it
    block.locator('[data-action="add-evidence"]').click()
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#gm-assess input, #gm-assess select, #gm-assess textarea'))
        .filter((c) => !c.labels || c.labels.length === 0).map((c) => c.outerHTML)""")
    assert unlabelled == []
    # exact: the evidence picker's label (#15) also contains 文件名 ("…自动填写文件名和校验值")
    assert page.get_by_label("日期（必填）", exact=True).count() == 1 and page.get_by_label("文件名", exact=True).count() == 1


def test_a_wrong_value_is_shown_at_its_field_with_the_scorers_reason(page: Page, site_url):
    open_form(page, site_url)
    row = add_occurrence(page, "POL-02a", f"{YEAR}-02-02")
    row.locator('[data-field="count"]').fill("-2")
    expect(page.get_by_test_id("total-score")).to_have_text("—")
    expect(page.locator("#gm-result-problems")).to_contain_text("POL-02a 第 1 次记录的次数")
    expect(row.locator('[data-field="count"]')).to_have_attribute("aria-invalid", "true")
    expect(row.locator('[data-slot="message"]')).to_contain_text("过小")
    row.locator('[data-field="count"]').fill("2")
    expect_result(page, cpython("dept", {"POL-02a": [{"date": f"{YEAR}-02-02", "count": 2}]}))
    expect(row.locator('[data-field="count"]')).not_to_have_attribute("aria-invalid", "true")


# ---------------------------------------------------------------- no other origin, ever

def test_nothing_is_requested_from_another_origin(page: Page, site_url):
    local = gates.LocalOnly(page)
    open_form(page, site_url, "street")
    add_occurrence(page, "POL-01a", f"{YEAR}-01-05")
    expect_result(page, cpython("street", {"POL-01a": [{"date": f"{YEAR}-01-05", "count": 1}]}))
    page.goto(f"{site_url}assess/")
    page.wait_for_load_state("load")
    local.assert_local()
    paths = {urlsplit(u).path for u in local.seen}
    assert "/assets/pyodide/pyodide.asm.wasm" in paths and f"/data/{YEAR}/street.json" in paths


# ---------------------------------------------------------------- drafts, export, import

def test_draft_survives_a_reload_and_a_new_tab(page: Page, site_url):
    open_form(page, site_url)
    page.fill("#gm-org-name", "区某局党组")
    add_occurrence(page, "CON-01a", f"{YEAR}-06-01", 2, "草稿中的说明")
    expected = cpython("dept", {"CON-01a": [{"date": f"{YEAR}-06-01", "count": 2, "note": "草稿中的说明"}]},
                       organization="区某局党组")
    expect_result(page, expected)
    page.reload()  # immediately: the pending save is flushed on pagehide
    expect(page.locator("#gm-org-name")).to_have_value("区某局党组")
    expect(item(page, "CON-01a").locator('[data-field="note"]')).to_have_value("草稿中的说明")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect_result(page, expected)
    expect(page.locator("#gm-draft-status")).to_contain_text("已恢复")

    other = page.context.new_page()  # the tab was closed; another one opens the form
    page.close()
    other.goto(form_url(site_url))
    expect(other.locator("#gm-org-name")).to_have_value("区某局党组")
    expect(other.locator('.gm-item[data-item="CON-01a"] [data-field="count"]')).to_have_value("2")
    # Another standard has its own draft.
    other.goto(form_url(site_url, "street"))
    expect(other.locator("#gm-org-name")).to_have_value("")


def test_clear_asks_first_and_offers_an_export(page: Page, site_url):
    open_form(page, site_url)
    page.fill("#gm-org-name", "要清空的党组织")
    add_occurrence(page, "DIS-01a", f"{YEAR}-07-07")
    page.click('[data-action="clear"]')
    dialog = page.locator("#gm-clear-dialog")
    expect(dialog).to_be_visible()
    page.click('#gm-clear-dialog [data-action="dialog-cancel"]')
    expect(dialog).to_be_hidden()
    expect(page.locator("#gm-org-name")).to_have_value("要清空的党组织")

    page.click('[data-action="clear"]')
    with page.expect_download() as download:
        page.click('#gm-clear-dialog [data-action="clear-export"]')
    assert json.loads(Path(download.value.path()).read_text("utf-8"))["organization"]["name"] == "要清空的党组织"
    expect(dialog).to_be_visible()  # exporting does not clear
    page.click('#gm-clear-dialog [data-action="clear-confirm"]')
    expect(page.locator("#gm-org-name")).to_have_value("")
    expect(item(page, "DIS-01a").locator(".gm-occurrence")).to_have_count(0)
    expect_result(page, cpython("dept", {}))
    assert stored_draft(page) is None


def test_export_then_import_gives_the_same_result(page: Page, site_url, tmp_path):
    open_form(page, site_url)
    page.fill("#gm-org-name", "区某局/党组")
    page.select_option("#gm-org-kind", BUNDLES["dept"]["standard"]["organization_kinds"][1])
    page.fill("#gm-assessor-name", "李四")
    page.fill("#gm-assessor-date", f"{YEAR}-12-30")
    row = add_occurrence(page, "POL-03a", f"{YEAR}-03-03", 1, "未召开民主生活会")
    row.locator('[data-action="add-evidence"]').click()
    row.locator('[data-field="file"]').fill("通知.pdf")
    row.locator('[data-field="location"]').fill("办公室")
    row.locator('[data-field="sha256"]').fill("AB" * 32)  # forgiving: upper case is accepted
    add_occurrence(page, "BON-02", f"{YEAR}-09-09", 3)
    add_occurrence(page, "LIM-03")  # no date: kept in the draft, left out of the file
    total = page.get_by_test_id("total-score").text_content()
    grade = page.get_by_test_id("grade").text_content()

    with page.expect_download() as download:
        page.click('[data-action="export-json"]')
    name = download.value.suggested_filename
    assert name == f"自评_区某局_党组_{YEAR}年度_dept.json"
    exported = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert exported["format"] == "gm-assessment/1" and exported["standard_hash"] == BUNDLES["dept"]["hash"]
    assert "LIM-03" not in exported["items"]
    assert exported["items"]["POL-03a"][0]["evidence"] == [{"file": "通知.pdf", "location": "办公室", "sha256": "ab" * 32}]
    assert str(scoring.score(BUNDLES["dept"], exported)["total"]) == total
    expect(page.locator("#gm-alert")).to_contain_text("1 条记录未填写日期")

    # Start over, then import the file: the same form and the same result.
    page.click('[data-action="clear"]')
    page.click('#gm-clear-dialog [data-action="clear-confirm"]')
    expect(page.get_by_test_id("total-score")).to_have_text("100")
    saved = tmp_path / name
    shutil.copy(download.value.path(), saved)
    page.get_by_test_id("import-file").set_input_files(str(saved))
    expect(page.locator("#gm-alert")).to_contain_text("已导入")
    expect(page.get_by_test_id("total-score")).to_have_text(total)
    expect(page.get_by_test_id("grade")).to_have_text(grade)
    expect(page.locator("#gm-org-name")).to_have_value("区某局/党组")
    expect(page.locator("#gm-assessor-date")).to_have_value(f"{YEAR}-12-30")
    expect(item(page, "POL-03a").locator('[data-field="sha256"]')).to_have_value("ab" * 32)
    assert json.loads(stored_draft(page))["draft"]["organization"]["name"] == "区某局/党组"

    # Importing over a filled form asks first; cancelling keeps the form.
    page.fill("#gm-org-name", "改过的名称")
    page.get_by_test_id("import-file").set_input_files(str(saved))
    expect(page.locator("#gm-replace-dialog")).to_be_visible()
    page.click('#gm-replace-dialog [data-action="dialog-cancel"]')
    expect(page.locator("#gm-org-name")).to_have_value("改过的名称")
    page.get_by_test_id("import-file").set_input_files(str(saved))
    page.click('#gm-replace-dialog [data-action="replace-confirm"]')
    expect(page.locator("#gm-org-name")).to_have_value("区某局/党组")


def _file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}


def _valid(**changes) -> dict:
    value = assessment.empty(BUNDLES["dept"], organization="导入测试")
    value["items"] = {"POL-01a": [{"date": f"{YEAR}-01-01"}]}
    value.update(changes)
    return value


MALFORMED = {
    "not-json": ("{这不是 JSON", ["不是有效的 JSON"]),
    "format": (json.dumps(_valid(format="gm-assessment/9")), ["不支持的格式版本"]),
    "unknown-id": (json.dumps(_valid(items={"NOPE-01z": [{"date": f"{YEAR}-01-01"}]})), ["NOPE-01z", "未知的扣分项"]),
    "negative": (json.dumps(_valid(items={"POL-01a": [{"date": f"{YEAR}-01-01", "count": -3}]})), ["POL-01a 第 1 次记录的次数", "过小"]),
    "other-year": (json.dumps(_valid(year=YEAR + 1)), [f"{YEAR + 1} 年度"]),
    # another standard's file is named by its title (from the site's data/index.json), with a link to its page
    "other-standard": (json.dumps(_valid(standard="street")), [f"《{BUNDLES['street']['standard']['title']}》的自评文件",
                                                               "打开该标准的自评页面"]),
    "hash": (json.dumps(_valid(standard_hash="sha256:" + "0" * 64)), ["标准内容与当前标准不一致"]),
    "everything": (json.dumps(_valid(format="x", year=YEAR + 1, items={
        "NOPE-01z": [{"date": f"{YEAR}-13-01", "count": 0}]})), ["不支持的格式版本", f"{YEAR + 1} 年度", "NOPE-01z", "过小", "无法识别"]),
}


def test_malformed_imports_are_refused_with_every_reason_and_the_draft_intact(page: Page, site_url):
    open_form(page, site_url)
    page.fill("#gm-org-name", "原有草稿")
    add_occurrence(page, "POL-02b", f"{YEAR}-02-02", 2)
    expected = cpython("dept", {"POL-02b": [{"date": f"{YEAR}-02-02", "count": 2}]}, organization="原有草稿")
    expect_result(page, expected)
    wait_until(page, f"""(() => {{
        const stored = JSON.parse(localStorage.getItem('gm-draft:{YEAR}:dept') || 'null');
        return stored && stored.draft.organization.name === '原有草稿' && stored.draft.items['POL-02b'][0].count === '2';
    }})()""")
    before = json.loads(stored_draft(page))["draft"]
    alert = page.locator("#gm-alert")
    for label, (text, reasons) in MALFORMED.items():
        page.get_by_test_id("import-file").set_input_files(_file(f"{label}.json", text))
        expect(alert).to_contain_text(f"未导入“{label}.json”", timeout=15000)
        expect(alert).to_have_attribute("role", "alert")
        for reason in reasons:
            expect(alert).to_contain_text(reason)
        if label == "everything":
            assert alert.locator("li").count() >= len(reasons)
        if label == "other-standard":
            href = alert.get_by_role("link", name="打开该标准的自评页面").get_attribute("href")
            assert href == form_url(site_url, "street"), href
        assert json.loads(stored_draft(page))["draft"] == before, label
        expect(page.locator("#gm-org-name")).to_have_value("原有草稿")
        expect_result(page, expected)
        expect(page.locator("#gm-replace-dialog")).to_be_hidden()


# ---------------------------------------------------------------- user text stays text

def test_user_text_is_shown_as_text(page: Page, site_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_form(page, site_url)
    page.fill("#gm-org-name", XSS)
    page.fill("#gm-assessor-name", XSS)
    add_occurrence(page, "POL-01b", f"{YEAR}-01-01", note=XSS)
    expect(page.locator('[data-echo="org-name"]')).to_have_text(XSS)
    page.reload()
    expect(page.locator('[data-echo="org-name"]')).to_have_text(XSS)
    # Imported text too.
    value = _valid(organization={"name": XSS, "kind": BUNDLES["dept"]["standard"]["organization_kinds"][0]},
                   items={"POL-01a": [{"date": f"{YEAR}-01-01", "note": XSS, "evidence": [{"file": XSS, "location": XSS}]}]})
    page.get_by_test_id("import-file").set_input_files(_file(f"{XSS}.json", json.dumps(value)))
    page.click('#gm-replace-dialog [data-action="replace-confirm"]')
    expect(page.locator("#gm-alert")).to_contain_text(XSS)
    page.get_by_test_id("import-file").set_input_files(_file(f"{XSS}.json", "{"))
    expect(page.locator("#gm-alert")).to_contain_text(f"未导入“{XSS}.json”")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("document.querySelectorAll('img[onerror]').length") == 0


# ---------------------------------------------------------------- print, xlsx, small screens

def test_print_is_an_a4_report(page: Page, site_url, artifacts_dir, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_form(page, site_url)
    page.fill("#gm-org-name", "区某局党组")
    page.select_option("#gm-org-kind", BUNDLES["dept"]["standard"]["organization_kinds"][0])
    page.fill("#gm-assessor-name", "张三")
    page.fill("#gm-assessor-date", f"{YEAR}-12-20")
    add_occurrence(page, "POL-01a", f"{YEAR}-03-01", 2)
    add_occurrence(page, "ORG-02a", f"{YEAR}-06-01", 1)
    add_occurrence(page, "BON-01", f"{YEAR}-05-01")
    expected = cpython("dept", {"POL-01a": [{"date": f"{YEAR}-03-01", "count": 2}],
                                "ORG-02a": [{"date": f"{YEAR}-06-01", "count": 1}],
                                "BON-01": [{"date": f"{YEAR}-05-01", "count": 1}]}, organization="区某局党组")
    expect_result(page, expected)
    page.locator(".gm-receipt-box > summary").click()  # folded on screen: still printed

    page.emulate_media(media="print")
    for hidden in (".md-header", ".gm-toolbar", "#gm-form", ".md-sidebar--primary", ".gm-status"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown, text in ((".gm-report-title", BUNDLES["dept"]["standard"]["title"]),
                        ('[data-echo="org-name"]', "区某局党组"), ('[data-echo="assessor-name"]', "张三"),
                        ('[data-echo="assessor-date"]', f"{YEAR}-12-20"), (".gm-signatures", "党组织主要负责人（签字）"),
                        (".gm-signatures", "日期"), ('[data-grade="principal"]', expected["grade"]["application"]["principal"])):
        expect(page.locator(shown)).to_be_visible()
        expect(page.locator(shown)).to_contain_text(text)
    expect(page.locator("#gm-receipt li").first).to_be_visible()
    expect(page.locator(".gm-area-table")).to_be_visible()

    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        for old in artifacts_dir.glob("assess-report-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(artifacts_dir / "assess-report")], check=True)
        pages = sorted(artifacts_dir.glob("assess-report-*.png"))
        assert 1 <= len(pages) <= 3, pages


def test_out_of_year_rows_are_flagged_and_the_report_lists_what_was_declared(page: Page, site_url, artifacts_dir, tmp_path):
    """An occurrence dated in another year is left out by the scorer, with its reason on the row, in the
    result's notes, the receipt and the printed report; the report lists every occurrence declared
    (date, count, note, evidence) under its item, and the receipt's arithmetic is in words."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_form(page, site_url)
    page.fill("#gm-org-name", "区某局党组")
    row = add_occurrence(page, "ORG-01a", f"{YEAR - 1}-11-11", 1, "上年度的会议")
    kept = add_occurrence(page, "POL-01a", f"{YEAR}-03-01", 4, XSS)
    kept.locator('[data-action="add-evidence"]').click()
    kept.locator('[data-field="file"]').fill("会议纪要.pdf")
    kept.locator('[data-field="location"]').fill("档案室")
    items = {"ORG-01a": [{"date": f"{YEAR - 1}-11-11", "count": 1, "note": "上年度的会议"}],
             "POL-01a": [{"date": f"{YEAR}-03-01", "count": 4, "note": XSS,
                          "evidence": [{"file": "会议纪要.pdf", "location": "档案室"}]}]}
    expected = cpython("dept", items, organization="区某局党组")
    assert expected["total"] == cpython("dept", {"POL-01a": items["POL-01a"]})["total"]  # ORG-01a costs nothing
    expect_result(page, expected)
    reason = f"日期 {YEAR - 1}-11-11 不在 {YEAR} 年度内，未计入得分"
    expect(row.locator('[data-slot="message"]')).to_have_text(reason)
    expect(page.get_by_test_id("score-notes")).to_have_text(expected["notes"][0])
    expect(page.locator("#gm-receipt li")).to_have_text(expected["receipt"])
    expect(page.locator("#gm-receipt")).to_contain_text("发生 4 次 × 1 分 = 4 分")
    row.screenshot(path=str(artifacts_dir / "assess-row-another-year.png"))
    page.locator("#gm-result").screenshot(path=str(artifacts_dir / "assess-result-another-year.png"))
    page.locator(".gm-declared-box > summary").click()  # folded on screen: still printed

    page.emulate_media(media="print")
    declared = page.get_by_test_id("declared")
    expect(declared).to_be_visible()
    expect(page.get_by_test_id("score-notes")).to_be_visible()
    pol = declared.locator("tbody", has_text="POL-01a")
    expect(pol).to_contain_text(f"{YEAR}-03-01")
    expect(pol).to_contain_text(XSS)  # as text
    expect(pol).to_contain_text("会议纪要.pdf（存放于：档案室）")
    expect(pol).to_contain_text("计入")
    expect(declared.locator("tbody", has_text="ORG-01a")).to_contain_text(reason)
    assert page.locator('img[src="x"]').count() == 0
    assert gates.paper_problems(page, "report with what was declared") == []
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi: what the print shows
    page.screenshot(path=str(artifacts_dir / "assess-declared-print.png"), full_page=True)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    if shutil.which("pdftoppm"):
        for old in artifacts_dir.glob("assess-declared-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(artifacts_dir / "assess-declared")], check=True)
        assert 1 <= len(list(artifacts_dir.glob("assess-declared-*.png"))) <= 3


def test_xlsx_export_downloads_a_workbook(browser, site_url):
    # Service workers blocked here: the offline cache would fetch the wheel too, after start-up.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    open_form(page, site_url)
    page.fill("#gm-org-name", "区某局党组")
    add_occurrence(page, "POL-01a", f"{YEAR}-03-01", 2, "会议记录缺失")
    expect(page.get_by_test_id("total-score")).to_have_text("98")
    assert not [p for p in requested if "xlsxwriter" in p], "XlsxWriter must not load at start-up"
    with page.expect_download(timeout=60000) as download:
        page.click('[data-action="export-xlsx"]')
    assert download.value.suggested_filename == f"自评_区某局党组_{YEAR}年度_dept.xlsx"
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        xml = workbook.read("xl/workbook.xml").decode("utf-8")
    assert re.findall(r'<sheet name="([^"]+)"', xml) == ["汇总", "计分明细", "扣分与奖励"]
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(data))["扣分与奖励"].iter_rows(values_only=True))
    assert rows[1][0] == "POL-01a" and rows[1][4] == 2 and rows[1][5] == "会议记录缺失"
    assert len([p for p in requested if "xlsxwriter" in p]) == 1  # loaded on the first export, once
    with page.expect_download(timeout=60000):
        page.click('[data-action="export-xlsx"]')
    assert len([p for p in requested if "xlsxwriter" in p]) == 1
    context.close()


def test_a_scorer_that_cannot_start_says_why_and_the_form_still_saves(page: Page, site_url):
    page.route("**/assets/wheels/manifest.json", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(form_url(site_url))
    status = page.get_by_test_id("scorer-status")
    expect(status).to_have_attribute("data-state", "error", timeout=READY_MS)
    expect(status).to_contain_text("manifest.json")  # the cause
    expect(status).to_contain_text("请")  # and what to do
    page.fill("#gm-org-name", "离线也要保存")
    wait_until(page, f"(localStorage.getItem('gm-draft:{YEAR}:dept') || '').includes('离线也要保存')")
    expect(page.get_by_test_id("total-score")).to_have_text("—")


def test_a_page_and_data_of_different_builds_are_refused(page: Page, site_url):
    """A cached page with fresher data (or the reverse) must not score against the wrong standard."""
    other = json.dumps(BUNDLES["street"], ensure_ascii=False)
    page.route(f"**/data/{YEAR}/dept.json", lambda route: route.fulfill(status=200, body=other,
                                                                      content_type="application/json"))
    page.goto(form_url(site_url))
    status = page.get_by_test_id("scorer-status")
    expect(status).to_have_attribute("data-state", "error", timeout=READY_MS)
    expect(status).to_contain_text("版本不一致")
    expect(status).to_contain_text("请刷新页面")


@pytest.mark.parametrize("path", ["assess/", f"assess/{YEAR}/dept/"])
def test_no_horizontal_scrolling_at_375_px(page: Page, site_url, artifacts_dir, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + path)
    if path != "assess/":
        expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
        row = add_occurrence(page, "POL-01a", f"{YEAR}-03-01", 2, "较长的说明文字，用来检查窄屏上的换行是否正常，不出现横向滚动条。")
        row.locator('[data-action="add-evidence"]').click()
        row.locator('[data-field="file"]').fill("一个很长很长的文件名-2019年度党委会议记录汇编（第一册）.pdf")
        row.locator('[data-field="sha256"]').fill("ab" * 32)
        page.fill("#gm-org-name", "中共深圳市光明区某某局机关委员会（很长的党组织名称）")
        expect(page.get_by_test_id("total-score")).to_have_text("98")
        item(page, "POL-01a").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "assess-375.png"))
    else:
        page.screenshot(path=str(artifacts_dir / "assess-index-375.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_landing_page_offers_the_current_years_three_standards(page: Page, site_url):
    page.goto(f"{site_url}assess/")
    expect(page.locator("#gm-year-select")).to_have_value(str(YEAR))
    links = page.locator(f'.gm-assess-year[data-year="{YEAR}"] a.gm-choice-link')
    expect(links).to_have_count(len(BUNDLES))
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [f"{YEAR}/{sid}/" for sid in BUNDLES]  # relative: any base path works
    page.evaluate(f"""localStorage.setItem('gm-draft:{YEAR}:street', JSON.stringify(
        {{format: 'gm-draft/1', saved: new Date().toISOString(), hash: null,
          draft: {{organization: {{name: '某街道党工委'}}, assessor: {{}}, items: {{}}}}}}))""")
    page.reload()
    expect(page.locator(f'[data-draft-note="{YEAR}:street"]')).to_contain_text("未完成的草稿")
    expect(page.locator(f'[data-draft-note="{YEAR}:dept"]')).to_be_hidden()
    links.nth(0).click()
    expect(page).to_have_url(form_url(site_url, "dept"))


# ---------------------------------------------------------------- offline

def test_after_one_visit_the_form_works_offline(page: Page, site_url):
    open_form(page, site_url)
    expect(page.get_by_test_id("scorer-status")).to_contain_text("本页已可离线使用", timeout=READY_MS)
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
        add_occurrence(page, "ORG-01a", f"{YEAR}-04-04", 2)
        expect_result(page, cpython("dept", {"ORG-01a": [{"date": f"{YEAR}-04-04", "count": 2}]}))
        # Another standard's form and the landing page were stored too.
        page.goto(form_url(site_url, "stationed"))
        expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
        expect_result(page, cpython("stationed", {}))
        with page.expect_download(timeout=60000) as download:
            page.click('[data-action="export-xlsx"]')
        assert zipfile.is_zipfile(download.value.path())
    finally:
        page.context.set_offline(False)


def test_service_worker_build_version_and_precache_list(built_site):
    """The build writes the version into sw.js (so browsers see a new worker) and lists the runtime."""
    sw = (built_site / "sw.js").read_text("utf-8")
    line = re.search(r"^const BUILD = (\{.*\}); // written by", sw, re.MULTILINE)
    assert line, "sw.js has no build line"
    build = json.loads(line.group(1))
    info = json.loads((built_site / "assets" / "build.json").read_text("utf-8"))
    assert build["version"] == info["version"] and len(build["version"]) == 16
    urls = {url for url, _ in build["precache"]}
    manifest = json.loads((built_site / "assets" / "wheels" / "manifest.json").read_text("utf-8"))
    for needed in ("assets/pyodide/pyodide.mjs", "assets/pyodide/pyodide.asm.wasm", "assets/wheels/manifest.json",
                   f"assets/wheels/{manifest['scorer']}", f"assets/wheels/{manifest['xlsxwriter']['file']}",
                   "assets/javascripts/scorer-worker.mjs", "assets/javascripts/scorer-client.mjs",
                   "assets/javascripts/assess.mjs", "data/index.json", f"data/{YEAR}/dept.json",
                   "assess/", f"assess/{YEAR}/dept/", "office/", "office/plan/"):
        assert needed in urls, needed
    assert not any(u.endswith(".map") for u in urls)
    wheel = built_site / "assets" / "wheels" / manifest["xlsxwriter"]["file"]
    import hashlib

    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == manifest["xlsxwriter"]["sha256"]
    assert zipfile.ZipFile(wheel).getinfo("xlsxwriter/__init__.py")


# ---------------------------------------------------------------- the pages as rendered (no browser needed)

def test_forms_of_older_and_draft_years_carry_the_standards_pages_notices():
    from macros import render_assess

    years = tree.load("site_tests/fixtures/years")
    older = render_assess.render_form(years, 2019, "dept")
    assert "这是 2019 年度的标准，不是现行标准" in older and 'data-year="2019"' in older
    draft = render_assess.render_form(years, 2022, "dept")
    assert "草稿：2022 年度标准尚未发布" in draft
    current = render_assess.render_form(years, years.current.year, "dept")
    assert "不是现行标准" not in current and "草稿：" not in current
    index = render_assess.render_index(years)
    assert f'<option value="{years.current.year}" selected>' in index
    assert "（草稿，未发布）" in index and f'href="{years.current.year}/dept/"' in index


def test_the_form_lists_every_item_with_its_rule_and_escapes_the_yaml():
    import copy

    from macros import render_assess

    html = render_assess.render_form(SHIPPED, YEAR, "dept")
    bundle = BUNDLES["dept"]
    for item_id in assessment.item_ids(bundle):
        assert f'data-item="{item_id}"' in html, item_id
    assert "每次扣 1 分，最多扣 3 分" in html and f'data-hash="{bundle["hash"]}"' in html
    for kind in bundle["standard"]["organization_kinds"]:
        assert f'<option value="{kind}">' in html
    assert "<script>" not in html.replace('<script type="module"', "")  # no inline scripts
    assert not re.search(r"\son[a-z]+=", html)  # no inline handlers

    hostile = copy.deepcopy(SHIPPED)
    standard = hostile.current.standards["dept"].to_json()  # the records are frozen: edit their plain form
    standard["areas"][0]["indicators"][0]["deductions"][0]["text"] = XSS
    standard["organization_kinds"][0] = "<script>alert(1)</script>"
    hostile.current.standards["dept"] = model.Standard.from_json(standard)
    html = render_assess.render_form(hostile, YEAR, "dept")
    assert "<img src=x" not in html and "<script>alert(1)" not in html and "&lt;img src=x" in html


def test_a_new_build_replaces_the_offline_cache_and_reuses_unchanged_files(page: Page, built_site, tmp_path):
    """A new sw.js (new build version) installs a new cache, copies the files whose revision did not
    change from the old one, downloads the rest, and deletes the old cache."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    caches = """async () => { const out = {}; for (const n of await caches.keys()) {
        out[n] = (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname); } return out; }"""
    with gates.serving(site) as url:
        open_form(page, url)
        expect(page.get_by_test_id("scorer-status")).to_contain_text("本页已可离线使用", timeout=READY_MS)
        sw = (site / "sw.js").read_text("utf-8")
        line = re.search(r"^const BUILD = (\{.*\}); // written by.*$", sw, re.MULTILINE)
        build = json.loads(line.group(1))
        assert list(page.evaluate(caches)) == [f"gm-offline-{build['version']}"]

        changed = "data/index.json"
        newer = {"version": "0123456789abcdef",
                 "precache": [[u, "changed-rev" if u == changed else r] for u, r in build["precache"]]}
        (site / "sw.js").write_text(sw.replace(line.group(0), "const BUILD = " + json.dumps(newer) + ";"), "utf-8")
        fetched = []
        page.context.on("request", lambda r: fetched.append(urlsplit(r.url).path))
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        # Poll the names only: opening a cache the worker is deleting would create it again.
        for _ in range(240):
            names = page.evaluate("caches.keys()")
            if names == ["gm-offline-0123456789abcdef"]:
                break
            page.wait_for_timeout(250)
        assert names == ["gm-offline-0123456789abcdef"], names  # the old build's cache is gone
        held = page.evaluate(caches)
        assert {"/" + u for u, _ in build["precache"]} <= set(held["gm-offline-0123456789abcdef"])
        listed = {"/" + u for u, _ in build["precache"]}
        downloaded = [p for p in fetched if p in listed]
        assert downloaded == ["/" + changed], downloaded  # everything else was copied from the old cache
