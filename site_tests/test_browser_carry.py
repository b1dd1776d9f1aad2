"""Carry-forward on the self-assessment page, on the multi-year fixture site: an earlier year's file is
offered with what changed and its record scored under both years; the draft changes only when the
user accepts, and then holds who is assessed, never last year's occurrences, which stay reminders
copyable one by one with a date of this year."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, carry, scoring, tree
from site_tests import gates

pytestmark = pytest.mark.browser
READY_MS = 60000
YEARS = tree.load("site_tests/fixtures/years")


def old_file():
    old = YEARS.years[2019].bundle("dept").to_json()
    value = assessment.empty(old, "区某局党组")
    value["items"] = {"POL-02a": [{"date": "2019-05-01", "note": "<img src=x onerror=alert(1)>"}],
                      "INS-01a": [{"date": "2019-06-01"}], "IDE-01a": [{"date": "2019-07-01", "count": 2}]}
    return value


def test_earlier_year_file_starts_this_year_with_reminders_not_last_years_score(page: Page, years_url, artifacts_dir):
    """Carrying 2019 into 2020 carries who is assessed, never 2019's occurrences: the 2020 total stays
    the base; last year's items are listed under 2020's ids, each copyable with a 2020 date the user
    picks; and 2019's record is still scored under both years' standards side by side."""
    page.on("dialog", lambda d: pytest.fail(f"unexpected dialog: {d.message}"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{years_url}assess/2020/dept/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    value = old_file()
    page.get_by_test_id("import-file").set_input_files(files=[{
        "name": "2019.json", "mimeType": "application/json",
        "buffer": json.dumps(value, ensure_ascii=False).encode("utf-8")}])
    panel = page.locator("#gm-carry")
    expect(panel).to_be_visible(timeout=30000)
    expect(panel).to_contain_text("POL-02a → POL-03a")
    expect(panel).to_contain_text("本年度已删除")
    old_bundle, new_bundle = YEARS.years[2019].bundle("dept").to_json(), YEARS.years[2020].bundle("dept").to_json()
    moved = carry.carry_forward(old_bundle, new_bundle, value)
    before = scoring.score(old_bundle, value)
    after = scoring.score(new_bundle, moved["as_if"])
    assert before["total"] < 100 and after["total"] < 100 and after["excluded"] == []
    table = panel.locator("table.gm-carry-compare")
    expect(table.locator("tr", has_text="总分")).to_contain_text(str(before["total"]))
    expect(table.locator("tr", has_text="总分")).to_contain_text(str(after["total"]))
    # One row per area, in the standard's order and with the data's names (no order kept in JS).
    assert table.locator("tbody th").all_text_contents() == (
        [a["name"] for a in after["areas"]] + ["奖励加分", "总分", "等级"])
    expect(page.get_by_test_id("total-score")).to_have_text("100")  # nothing changed before acceptance
    panel.get_by_role("button", name="结转到本年度").click()

    # Accepted: who carries, last year's occurrences do not.
    expect(page.locator("#gm-org-name")).to_have_value("区某局党组")
    expect(page.locator(".gm-occurrence")).to_have_count(0)
    expect(page.get_by_test_id("total-score")).to_have_text("100")
    reminders = panel.get_by_test_id("carry-reminders")
    expect(reminders).to_be_visible()
    expect(reminders.locator("li[data-item]")).to_have_count(len(moved["reminders"]))
    expect(reminders.locator('li[data-item="INS-01a"]')).to_contain_text("不能复制")
    expect(table.locator("tr", has_text="总分")).to_contain_text(str(after["total"]))  # the comparison stays
    panel.screenshot(path=str(artifacts_dir / "assess-carry.png"))
    page.set_viewport_size(gates.PHONE)
    assert gates.narrow_problems(page, "carry reminders") == []
    panel.screenshot(path=str(artifacts_dir / "assess-carry-375.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    # Copying needs a date of this year, chosen by the user.
    pol = reminders.locator('li[data-item="POL-02a"]')
    pol.get_by_role("button", name="复制到本年度 POL-03a").click()
    expect(panel.locator(".gm-carry-status")).to_contain_text("请先为 POL-03a 这条记录选择 2020 年度内的日期")
    expect(page.locator(".gm-occurrence")).to_have_count(0)
    pol.get_by_label("复制到 2020 年度的日期").fill("2020-03-03")
    pol.get_by_role("button", name="复制到本年度 POL-03a").click()
    copied = {"POL-03a": [{"date": "2020-03-03", "note": value["items"]["POL-02a"][0]["note"]}]}
    expected = scoring.score(new_bundle, dict(moved["assessment"], items=copied))
    assert expected["total"] < 100
    expect(page.get_by_test_id("total-score")).to_have_text(str(expected["total"]), timeout=30000)
    row = page.locator('.gm-item[data-item="POL-03a"] .gm-occurrence')
    expect(row).to_have_count(1)
    expect(row.locator('[data-field="date"]')).to_have_value("2020-03-03")
    expect(row.locator('[data-field="note"]')).to_have_value(value["items"]["POL-02a"][0]["note"])
    assert page.locator('img[src="x"]').count() == 0


def test_cancelled_carry_leaves_the_draft(page: Page, years_url):
    page.goto(f"{years_url}assess/2020/dept/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    page.locator("#gm-org-name").fill("原有草稿")
    page.get_by_test_id("import-file").set_input_files(files=[{
        "name": "2019.json", "mimeType": "application/json",
        "buffer": json.dumps(old_file(), ensure_ascii=False).encode("utf-8")}])
    panel = page.locator("#gm-carry")
    expect(panel).to_be_visible(timeout=30000)
    panel.get_by_role("button", name="取消").click()
    expect(panel).to_be_hidden()
    expect(page.locator("#gm-org-name")).to_have_value("原有草稿")
