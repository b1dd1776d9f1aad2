"""The review screen (office/review/) in a real Chromium, on the worked example's workspace: each kind
of decision, an addition adopted from a supervision record and one found on site, the qualitative
judgement and related results; the page's final result equals CPython's for the very review it
exports; the review survives a reload in the workspace; a changed self-assessment is refused with its
reason; evidence fingerprints; the A4 sheet (screen shot, PDF, nothing past the paper's edge); axe,
the Nu checker and 375 px on the way.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from site_tests import gates, review_walk as rw
from site_tests.test_accessibility import assert_valid_html, axe_problems, snapshot, with_axe

pytestmark = pytest.mark.browser
READY_MS = 90_000


def open_review_page(page: Page, site_url: str, workspace: dict | None) -> None:
    page.goto(site_url + "office/review/")
    if workspace is not None:
        page.evaluate(rw.PUT_WORKSPACE, json.dumps(workspace, ensure_ascii=False))
        page.reload()
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)


def renders(page: Page) -> int:
    return int(page.locator("#gm-review").get_attribute("data-renders") or 0)


def settled(page: Page, before: int) -> None:
    """Wait until the page has shown a result newer than `before`."""
    expect(page.locator("#gm-review")).not_to_have_attribute("data-renders", str(before), timeout=20_000)
    page.wait_for_timeout(150)  # a burst of input events: the last answer wins


def decide(page: Page, item: str, decision: str, *, count=None, date=None, reason=None) -> None:
    row = page.locator(f'#gmr-declared > li[data-item="{item}"]')
    row.locator(f'input[data-field="decision"][value="{decision}"]').check()
    if count is not None:
        row.locator('[data-field="count"]').fill(str(count))
    if date is not None:
        row.locator('[data-field="date"]').fill(date)
    if reason is not None:
        row.locator('[data-field="reason"]').fill(reason)


def review_each_kind(page: Page) -> None:
    """Open the worked example's organization and review it with `fill_review`."""
    page.select_option("#gmr-org", "区示例局党组")
    page.get_by_test_id("open-review").click()
    expect(page.locator("#gm-review")).to_have_attribute("data-renders", "1", timeout=20_000)
    fill_review(page)


def fill_review(page: Page) -> None:
    """认定, 核减, 不予认定, an addition from supervision and one found on site, judgement, related, team:
    the worked example's review, on an opened organization; waits for the last result."""
    decide(page, "POL-01a", "adjust", count=1, reason="核实仅一次学习延期")
    decide(page, "POL-02a", "reject", reason="已按程序报告，有请示件为证")
    decide(page, "ORG-01a", "confirm")
    page.locator('#gmr-supervision [data-action="adopt"]').first.click()
    page.locator('[data-action="add-addition"]').click()
    added = page.locator("#gmr-additions > li").last
    added.locator('[data-field="item"]').select_option("ORG-02a")
    added.locator('[data-field="date"]').fill(f"{rw.YEAR}-11-20")
    added.locator('[data-field="source"]').select_option("on-site")
    added.locator('[data-field="note"]').fill("现场核查发现：<b>组织生活记录不全</b>")
    added.locator('[data-field="file"]').fill("现场照片.jpg")
    added.locator('[data-field="sha256"]').fill(hashlib.sha256(b"photo").hexdigest())
    page.select_option("#gmr-level", "fair")
    page.fill("#gmr-level-text", "班子重视，但组织生活制度执行有差距。")
    related = page.locator("#gmr-related input")
    related.nth(0).fill("88")
    related.nth(1).fill("55")
    page.fill("#gmr-leader", "王五")
    page.fill("#gmr-members", "赵六、钱七")
    before = renders(page)
    page.fill("#gmr-date", f"{rw.YEAR}-12-20")
    settled(page, before)


def exported_review(page: Page) -> dict:
    with page.expect_download() as download:
        page.get_by_test_id("export-review").click()
    return json.loads(Path(download.value.path()).read_text("utf-8"))


def test_review_screen_each_decision_kind_equals_cpython(page: Page, site_url, artifacts_dir, tmp_path):
    guard = gates.Guard(page)
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    workspace = rw.example_workspace()
    open_review_page(page, site_url, workspace)
    problems = axe_problems(page, "review: chosen nothing")
    review_each_kind(page)
    review = exported_review(page)
    kinds = {d["item"]: d["decision"] for d in review["decisions"]}
    assert kinds == {"POL-01a": "adjust", "POL-02a": "reject", "ORG-01a": "confirm"}
    assert [a.get("record") for a in review["additions"]] == ["sup-2019-0001", None]
    own = workspace["assessments"][0]["assessment"]
    expected = rw.cpython_final(review, own)
    assert expected["method"] == "reviewed" and len(expected["changes"]) == 4
    expect(page.get_by_test_id("final-total")).to_have_text(f'{expected["total"]} 分')
    expect(page.get_by_test_id("final-grade")).to_have_text(expected["grade"]["name"])
    expect(page.get_by_test_id("self-total")).to_have_text(f'{expected["self_declared"]["total"]} 分')
    expect(page.get_by_test_id("changes").locator("li")).to_have_count(4)
    expect(page.get_by_test_id("changes")).to_contain_text("理由：已按程序报告")
    receipt = page.get_by_test_id("receipt").locator("li").all_text_contents()
    assert receipt == expected["receipt"]
    assert any("<b>" in line for line in receipt)  # a user's text is text, never markup
    assert page.locator("#gm-review b").count() == 0
    problems += axe_problems(page, "review: decided")
    page.screenshot(path=str(artifacts_dir / "review-screen.png"), full_page=True)

    # Evidence: a received file under a declared name but other bytes differs; the photo matches.
    page.get_by_test_id("evidence-files").set_input_files([
        {"name": "学习记录.pdf", "mimeType": "application/pdf", "buffer": b"another file"},
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": b"photo"},
    ])
    table = page.locator("#gmr-evidence-table")
    expect(table.locator('tr[data-status="differ"]')).to_contain_text("学习记录.pdf")
    expect(table.locator('tr[data-status="match"]')).to_contain_text("IMG_0001.jpg")
    expect(page.get_by_test_id("evidence-summary")).to_contain_text("一致 1，不一致 1")
    problems += axe_problems(page, "review: evidence checked")
    assert gates.narrow_problems(page, "review at 1280", width=1280) == []

    # Saved into the workspace, it is there after a reload and opens with its decisions.
    page.get_by_test_id("save-review").click()
    expect(page.get_by_test_id("saved")).to_contain_text("已保存")
    stored = json.loads(page.evaluate(rw.GET_WORKSPACE, rw.YEAR))
    assert [r["id"] for r in stored["reviews"]] == [review["id"]]
    page.reload()
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    page.select_option("#gmr-org", "区示例局党组")
    page.get_by_test_id("open-review").click()
    expect(page.get_by_test_id("final-total")).to_have_text(f'{expected["total"]} 分', timeout=20_000)
    expect(page.locator('#gmr-declared > li[data-item="POL-02a"] input[value="reject"]')).to_be_checked()

    # The A4 sheet: only it is printed, nothing past the paper's edge, signature lines present.
    page.emulate_media(media="print")
    sheet = page.get_by_test_id("sheet")
    expect(sheet).to_be_visible()
    expect(page.locator("#gmr-form")).to_be_hidden()
    expect(sheet).to_contain_text(expected["grade"]["name"])
    assert sheet.locator(".gmr-sign").count() == 4
    page.screenshot(path=str(artifacts_dir / "review-sheet-a4.png"), full_page=True)
    page.emulate_media(media="screen")
    assert gates.paper_problems(page, "office/review/") == []
    page.emulate_media(media="print")  # page.pdf follows the emulated media: after "screen" it prints the screen
    pdf = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="screen")
    (artifacts_dir / "review-sheet.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 1, f"the example's evaluation sheet should fit one A4 page, printed {pages}"

    # 375 px: no sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    assert gates.narrow_problems(page, "review at 375") == []
    page.screenshot(path=str(artifacts_dir / "review-screen-375.png"), full_page=False)
    assert_valid_html([snapshot(page, tmp_path, "review")])
    assert problems == [], "\n".join(problems)
    guard.assert_clean()


def test_a_review_of_a_changed_self_assessment_is_refused_with_the_reason(page: Page, site_url):
    workspace = rw.example_workspace()
    open_review_page(page, site_url, workspace)
    review_each_kind(page)
    page.get_by_test_id("save-review").click()
    expect(page.get_by_test_id("saved")).to_contain_text("已保存")
    stored = json.loads(page.evaluate(rw.GET_WORKSPACE, rw.YEAR))
    own = stored["assessments"][0]
    own["assessment"]["items"]["POL-01a"][0]["count"] = 3  # the organization changed its file afterwards
    from scorer import standards
    own["hash"] = standards.content_hash(own["assessment"])
    open_review_page(page, site_url, stored)
    page.select_option("#gmr-org", "区示例局党组")
    page.get_by_test_id("open-review").click()
    alert = page.locator("#gmr-alert")
    expect(alert).to_contain_text("与现有自评不符")
    expect(page.locator("#gmr-form")).to_be_hidden()
    page.locator('#gmr-alert [data-action="restart"]').click()
    expect(page.locator("#gmr-form")).to_be_visible()
    expect(page.get_by_test_id("pending")).to_contain_text("3 条")


def test_an_organization_without_a_self_assessment_is_reviewed_from_findings(page: Page, site_url):
    open_review_page(page, site_url, rw.example_workspace())
    page.select_option("#gmr-org", "区另一局党组")  # named in a district-wide record
    expect(page.get_by_test_id("standard")).to_be_visible()
    page.get_by_test_id("open-review").click()
    expect(page.get_by_test_id("binding")).to_contain_text("未提交自评")
    page.locator('#gmr-supervision [data-action="adopt"]').first.click()
    before = renders(page)
    page.select_option("#gmr-level", "good")
    settled(page, before)
    review = exported_review(page)
    assert review["assessment_hash"] is None
    expected = rw.cpython_final(review, None)
    expect(page.get_by_test_id("self-grade")).to_have_text("未提交自评")
    if expected["total"] is None:
        expect(page.get_by_test_id("final-total")).to_have_text("无法计算")
        expect(page.get_by_test_id("incomplete")).to_contain_text(expected["incomplete"][0])
    else:
        expect(page.get_by_test_id("final-total")).to_have_text(f'{expected["total"]} 分')


def test_feedback_opened_on_the_assessment_page_shows_each_change_and_the_final_result(page: Page, site_url, artifacts_dir):
    guard = gates.Guard(page)
    with_axe(page)
    workspace = rw.example_workspace()
    open_review_page(page, site_url, workspace)
    review_each_kind(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-feedback").click()
    feedback = Path(download.value.path()).read_bytes()
    value = json.loads(feedback)
    assert value["format"] == "gm-feedback/1" and value["organization"] == "区示例局党组"
    expected = rw.cpython_final(value["review"], value["assessment"])

    page.goto(f"{site_url}assess/{rw.YEAR}/dept/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    page.get_by_test_id("feedback-file").set_input_files({"name": "反馈.json", "mimeType": "application/json", "buffer": feedback})
    box = page.get_by_test_id("feedback")
    expect(page.get_by_test_id("feedback-final")).to_have_text(f'{expected["total"]} 分，{expected["grade"]["name"]}')
    expect(page.get_by_test_id("feedback-changes").locator("li")).to_have_count(len(expected["changes"]))
    for change in expected["changes"]:
        if change["reason"]:
            expect(box).to_contain_text(change["reason"])
    assert axe_problems(page, "feedback shown") == []
    page.screenshot(path=str(artifacts_dir / "assess-feedback.png"), full_page=False)
    expect(page.get_by_test_id("total-score")).to_have_text("100")  # the form and its draft are untouched

    # A feedback file with a duplicate key is refused with its name and reason.
    edited = feedback.replace(b'"format": "gm-feedback/1"', b'"format": "gm-feedback/1", "format": "gm-feedback/1"', 1)
    page.get_by_test_id("feedback-file").set_input_files({"name": "坏反馈.json", "mimeType": "application/json", "buffer": edited})
    expect(box).to_contain_text("反馈文件未打开")
    expect(box).to_contain_text("坏反馈.json")
    guard.assert_clean()


def test_a_review_by_keyboard_alone(page: Page, site_url):
    """Choose the organization, open it, decide, give a reason, adopt a record and save: keys only."""
    open_review_page(page, site_url, rw.example_workspace())
    page.locator("#gmr-org").focus()
    page.keyboard.press("ArrowDown")  # the first organization (the worked example's)
    expect(page.locator("#gmr-org")).to_have_value("区示例局党组")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("open-review")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#gm-review")).to_have_attribute("data-renders", "1", timeout=20_000)
    # The first row's radios: Tab reaches the checked one ("未核查"), arrows move the choice.
    first = page.locator("#gmr-declared > li").first
    first.locator('input[value=""]').focus()
    page.keyboard.press("ArrowRight")  # 认定
    page.keyboard.press("ArrowRight")  # 核减/核增
    page.keyboard.press("ArrowRight")  # 不予认定
    expect(first.locator('input[value="reject"]')).to_be_checked()
    page.keyboard.press("Tab")
    expect(first.locator('[data-field="reason"]')).to_be_focused()  # the adjust fields stay hidden
    page.keyboard.type("键盘录入的理由")
    adopt = page.locator('#gmr-supervision [data-action="adopt"]').first
    adopt.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#gmr-additions > li")).to_have_count(1)
    expect(page.locator('#gmr-additions [data-field="item"]')).to_be_focused()
    page.get_by_test_id("save-review").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("saved")).to_contain_text("已保存")
    review = json.loads(page.evaluate(rw.GET_WORKSPACE, rw.YEAR))["reviews"][0]
    assert review["decisions"][0]["decision"] == "reject" and review["decisions"][0]["reason"] == "键盘录入的理由"
    assert len(review["additions"]) == 1
