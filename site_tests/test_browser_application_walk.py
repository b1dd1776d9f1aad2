"""Issue #16's "Done means" in headless Chromium, through the office's pages and the organization's
page, with the workspace reloaded after every step and compared with what was stored before it:

1. 运用建议与决定: from a final result to the proposals for the organization and two individuals (one
   with a 容错 finding), an edited wording with its reason, a 澄清保护 finding that blocks a proposal;
2. the leading group's decision for two organizations (one adopted, one changed), then a later change
   as a new dated entry; the notice (A4) and the proposals table (A4 landscape); every text the page
   shows equals CPython's `application_org` / `application_view` of the very workspace stored;
3. 整改: two items issued, the list exported, opened on the organization's report page, progress
   reported with an evidence fingerprint, the report imported, one item accepted, the other overdue on
   the as-of date and highlighted; a report for items never issued refused, changing nothing.
Screenshots of the proposals table, a notice and the rectification view go to test-artifacts/.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scorer import browser
from site_tests import gates
from site_tests import year_workspaces as yw
from site_tests.workspace_pages import READY_MS, ready, reload_intact, stored

pytestmark = pytest.mark.browser
WORKSPACE = yw.generate(6, 2, seed=3, reviewed=1.0, related_share=1.0)
X = "光明区测试党组织0001"  # decided with a change, individuals, rectification
Y = "光明区测试党组织0002"  # adopted as proposed
AS_OF = f"{yw.YEAR + 1}-03-01"


def call(name: str, *args) -> dict:
    """CPython's answer of a browser operation, by the same registry the page calls."""
    answer = json.loads(browser.REGISTRY[name].function(*args))
    assert answer["ok"], answer
    return answer["result"]


def cpython_org(workspace_text: str, name: str, as_of: str = AS_OF) -> dict:
    return call("application_org", yw.bundles_json(), workspace_text, name, as_of)


def reopened(page: Page, name: str) -> tuple[str, dict]:
    """Reload (the stored workspace intact), open `name` again: the workspace stored and CPython's view of it."""
    text = reload_intact(page)
    open_org(page, name)
    return text, cpython_org(text, name)


def open_org(page: Page, name: str) -> None:
    before = int(page.locator("#gm-office-application").get_attribute("data-org-rendered") or "0")
    page.get_by_test_id("org-select").select_option(name)
    expect(page.locator("#gm-office-application")).to_have_attribute("data-org-rendered", str(before + 1), timeout=READY_MS)


def record(page: Page, form: str, button: str | None = None) -> None:
    count = page.locator("#gm-office-application").get_attribute("data-recorded") or "0"
    page.get_by_test_id(form).locator('button[type="submit"]').click()
    expect(page.locator("#gm-office-application")).to_have_attribute("data-recorded", str(int(count) + 1), timeout=READY_MS)


def open_items(page: Page, name: str) -> None:
    """Open an organization's items in the district rectification view (one row per organization)."""
    toggle = page.locator(f'[data-testid="rect-table"] tbody[data-organization="{name}"] [data-action="toggle-org"]')
    expect(toggle).to_have_attribute("aria-expanded", "false", timeout=READY_MS)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true", timeout=READY_MS)
    expect(page.locator(f'[data-testid="rect-table"] tr[data-items-of="{name}"]')).to_be_visible()


def shown_lines(page: Page) -> dict:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('[data-testid="org-proposals"] tbody tr'),
        (tr) => [tr.dataset.key, {text: tr.children[2].firstChild.textContent, tolerance: tr.dataset.tolerance === 'true',
                                  none: tr.dataset.none === 'true'}]))""")


def test_application_and_rectification_walked_through(page: Page, site_url, artifacts_dir):
    guard = gates.Guard(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    app = f"{site_url}office/application/"
    ready(page, app)
    page.get_by_test_id("workspace-file").set_input_files(gates.json_file("工作区.json", WORKSPACE))
    expect(page.locator("#gmo-ws-alert")).to_contain_text("已合并", timeout=READY_MS)
    expect(page.get_by_test_id("proposals-table")).to_be_visible(timeout=READY_MS)
    reload_intact(page)

    # 1. Proposals of X: two individuals, one with 容错; an edited wording; a clarified report.
    open_org(page, X)
    start = cpython_org(stored(page), X)
    problems = [p["key"] for p in start["problems"]]
    page.fill("#gma-person-name", "张三")
    page.fill("#gma-person-post", "党组书记")
    page.select_option("#gma-person-resp", "principal-leadership")
    page.select_option("#gma-person-problem", problems[0])
    record(page, "form-person")
    page.fill("#gma-person-name", "李四")
    page.fill("#gma-person-post", "办公室主任")
    page.select_option("#gma-person-resp", "direct")
    page.select_option("#gma-person-problem", problems[1])
    record(page, "form-person")
    persons = reopened(page, X)[1]["persons"]
    assert [p["name"] for p in persons] == ["张三", "李四"]
    li = persons[1]
    page.select_option("#gma-t-person", li["id"])
    page.select_option("#gma-t-situation", "TOL-2")
    page.fill("#gma-t-reason", "按程序请示后先行先试，未谋取私利，已主动纠正")
    page.get_by_test_id("tolerance-pick").set_input_files({"name": "请示件.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 request"})
    expect(page.locator("#gma-t-sha")).to_have_value(hashlib.sha256(b"%PDF-1.4 request").hexdigest())
    record(page, "form-tolerance")
    page.select_option("#gma-p-target", "organization")
    page.fill("#gma-p-text", "反馈问题，督促党组织限期整改并在全区通报整改情况。")
    page.fill("#gma-p-reason", "问题集中在会议文件精简，需通报推动")
    record(page, "form-proposal")
    view = reopened(page, X)[1]
    lines = shown_lines(page)
    expected = {p["key"]: {"text": p["text"], "tolerance": p.get("tolerance") is not None, "none": bool(p.get("none"))}
                for p in view["proposals"] + view["persons"]}
    assert lines == expected, (lines, expected)
    settings = call("application_settings", json.dumps(json.loads(yw.bundles_json())[0]))
    assert lines[f"person:{li['id']}"] == {"text": settings["tolerance"]["proposal"], "tolerance": True, "none": False}
    assert lines["organization"]["text"] == "反馈问题，督促党组织限期整改并在全区通报整改情况。"

    # 2. Decisions: Y adopted; X changed (one person's text), then a later change with its reason.
    open_org(page, Y)
    page.fill("#gma-d-date", f"{yw.YEAR + 1}-01-10")
    page.fill("#gma-d-meeting", "领导小组 2020 年第 1 次会议（光纪办〔2020〕1 号）")
    record(page, "form-decision")
    open_org(page, X)
    page.check('#gma-form-decision input[value="changed"]')
    key = f"person:{persons[0]['id']}"
    page.locator(f'#gma-decision-texts textarea[data-key="{key}"]').fill("予以约谈，责令作出书面检查。")
    page.fill("#gma-d-date", f"{yw.YEAR + 1}-01-10")
    page.fill("#gma-d-meeting", "领导小组 2020 年第 1 次会议（光纪办〔2020〕1 号）")
    record(page, "form-decision")
    expect(page.get_by_test_id("decision-state")).to_have_attribute("data-state", "decided")
    text = reload_intact(page)
    open_org(page, X)
    page.check('#gma-form-decision input[value="changed"]')  # the earlier changed text is kept, prefilled
    page.locator('#gma-decision-texts textarea[data-key="members"]').fill("领导班子成员逐一谈话提醒。")
    page.fill("#gma-d-date", f"{yw.YEAR + 1}-02-15")
    page.fill("#gma-d-meeting", "领导小组 2020 年第 2 次会议")
    page.fill("#gma-d-reason", "本人补充说明后复议")
    record(page, "form-decision")
    text, view = reopened(page, X)
    assert view["decision"]["state"] == "changed" and len(view["decision"]["entries"]) == 2
    assert view["decision"]["texts"][key] == "予以约谈，责令作出书面检查。"
    assert view["decision"]["texts"]["members"] == "领导班子成员逐一谈话提醒。"
    assert [h["step"] for h in view["history"]] == ["self-declared", "reviewed", "proposed", "decided", "changed"]
    expect(page.get_by_test_id("history").locator("li")).to_have_count(5)
    expect(page.get_by_test_id("decision-state")).to_have_attribute("data-state", "changed")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("予以约谈，责令作出书面检查。")
    expect(notice).to_contain_text("本人补充说明后复议")
    page.evaluate("document.body.dataset.gmaPrint = 'notice'")
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "application-notice-a4.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True)
    (artifacts_dir / "application-notice.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the notice alone, on one A4 page
    page.evaluate("document.body.dataset.gmaPrint = 'table'")
    page.screenshot(path=str(artifacts_dir / "application-proposals-a4-landscape.png"), full_page=True)
    page.emulate_media(media="screen")
    page.evaluate("delete document.body.dataset.gmaPrint")
    district = call("application_view", yw.bundles_json(), text)
    expect(page.get_by_test_id("decision-summary")).to_contain_text(f"已作运用决定 {district['summary']['decided']} 个")
    assert district["summary"]["decided"] == 2 and district["summary"]["changed"] == 1
    page.get_by_test_id("proposals-table").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "application-proposals-table.png"), full_page=True)

    # 3. Rectification: two items issued to X, the list to the organization, its report back.
    ready(page, f"{site_url}office/rectification/")
    page.fill("#gmx-as-of", AS_OF)
    page.get_by_test_id("rect-org").select_option(X)
    expect(page.get_by_test_id("issue-form")).to_be_visible(timeout=READY_MS)
    for n, (problem, deadline) in enumerate(((problems[2], f"{yw.YEAR + 1}-06-30"), (problems[3], f"{yw.YEAR + 1}-02-20")), 1):
        page.select_option("#gmx-problem", problem)
        page.fill("#gmx-measure", "对照问题制定整改方案，完善制度并组织专题学习")
        page.fill("#gmx-responsible", "张三")
        page.fill("#gmx-issued", f"{yw.YEAR + 1}-01-15")
        page.fill("#gmx-deadline", deadline)
        page.get_by_test_id("issue-save").click()
        expect(page.get_by_test_id("org-items")).to_contain_text(f"下发 {n} 项", timeout=READY_MS)
        expect(page.get_by_test_id("issue-alert")).to_contain_text("已下发整改事项")
    text = reload_intact(page)
    items = cpython_org(text, X)["rectification"]["items"]
    assert len(items) == 2
    page.get_by_test_id("rect-org").select_option(X)
    expect(page.get_by_test_id("issue-form")).to_be_visible(timeout=READY_MS)
    with page.expect_download(timeout=READY_MS) as download:
        page.get_by_test_id("export-list").click()
    listed = Path(download.value.path()).read_bytes()

    ready(page, f"{site_url}assess/rectification/")
    page.get_by_test_id("list-file").set_input_files({"name": "整改清单.json", "mimeType": "application/json", "buffer": listed})
    expect(page.get_by_test_id("list-summary")).to_contain_text("整改事项 2 项", timeout=READY_MS)
    done_item = next(i for i in items if i["deadline"] == f"{yw.YEAR + 1}-06-30")
    late_item = next(i for i in items if i["id"] != done_item["id"])
    box = page.locator(f'fieldset[data-item="{done_item["id"]}"]')
    box.locator('[data-field="status"]').select_option("done")
    box.locator('[data-field="done"]').fill(f"{yw.YEAR + 1}-02-10")
    box.locator('[data-field="note"]').fill("已修订会议制度并组织专题学习")
    box.locator('[data-field="pick"]').set_input_files({"name": "会议制度.pdf", "mimeType": "application/pdf", "buffer": b"%PDF rules"})
    expect(box.locator('[data-field="sha256"]')).to_have_value(hashlib.sha256(b"%PDF rules").hexdigest())
    page.fill("#gmy-reported", f"{yw.YEAR + 1}-02-12")
    page.reload()  # the organization's progress survives a reload
    expect(page.get_by_test_id("list-summary")).to_contain_text("整改事项 2 项", timeout=READY_MS)
    box = page.locator(f'fieldset[data-item="{done_item["id"]}"]')
    expect(box.locator('[data-field="note"]')).to_have_value("已修订会议制度并组织专题学习")
    expect(box.locator('[data-field="sha256"]')).to_have_value(hashlib.sha256(b"%PDF rules").hexdigest())
    with page.expect_download(timeout=READY_MS) as download:
        page.get_by_test_id("export-report").click()
    report = Path(download.value.path()).read_bytes()
    assert json.loads(report)["items"][0]["evidence"][0]["file"] == "会议制度.pdf"

    ready(page, f"{site_url}office/rectification/")
    before = stored(page)
    forged = json.loads(report)
    forged["items"][0]["id"] = "never-issued"
    page.get_by_test_id("report-file").set_input_files(gates.json_file("伪造报告.json", forged))
    expect(page.get_by_test_id("report-alert")).to_contain_text("未下发编号为 'never-issued'", timeout=READY_MS)
    assert stored(page) == before
    page.get_by_test_id("report-file").set_input_files({"name": "整改情况报告.json", "mimeType": "application/json", "buffer": report})
    expect(page.get_by_test_id("report-alert")).to_contain_text("已导入", timeout=READY_MS)
    reload_intact(page)
    page.fill("#gmx-as-of", AS_OF)
    page.locator("#gmx-as-of").dispatch_event("change")
    open_items(page, X)
    row = page.locator(f'[data-testid="rect-table"] tr[data-item="{done_item["id"]}"]')
    expect(row).to_have_attribute("data-status", "reported", timeout=READY_MS)
    row.get_by_role("button", name="验收销号").click()
    expect(page.get_by_test_id("decide-alert")).to_contain_text("验收销号", timeout=READY_MS)
    # shown at once from the organization's answer: its row of the district view and its item
    expect(row).to_have_attribute("data-status", "accepted")
    expect(page.locator(f'[data-testid="rect-table"] tr.gmx-org-row[data-organization="{X}"]')).to_have_attribute("data-open", "1")
    text = reload_intact(page)
    page.fill("#gmx-as-of", AS_OF)
    page.locator("#gmx-as-of").dispatch_event("change")
    open_items(page, X)
    expect(page.locator(f'[data-testid="rect-table"] tr[data-item="{done_item["id"]}"]')).to_have_attribute("data-status", "accepted", timeout=READY_MS)
    late = page.locator(f'[data-testid="overdue-items"] tr[data-item="{late_item["id"]}"]')
    expect(late).to_have_attribute("data-overdue", "true")
    expect(late).to_have_class("gmx-overdue")
    view = call("rectification_view", yw.bundles_json(), text, AS_OF)
    assert view["organizations"][0]["name"] == X and view["counts"]["overdue"] == 1 and view["counts"]["accepted"] == 1
    expect(page.get_by_test_id("rect-table").locator("tr.gmx-org-row").first).to_have_attribute("data-organization", X)
    page.screenshot(path=str(artifacts_dir / "rectification-view.png"), full_page=True)
    guard.assert_clean()
