"""Carry-forward on the self-assessment page, on the multi-year fixture site: an earlier year's file is
offered for carrying forward with what changed and the same answers scored under both years; the
draft changes only when the user accepts, and then scores as CPython scores the carried answers."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, carry, scoring, tree

pytestmark = pytest.mark.browser
READY_MS = 60000
YEARS = tree.load("site_tests/fixtures/years")


def old_file():
    old = YEARS.years[2019].bundle("dept")
    value = assessment.empty(old, "区某局党组")
    value["items"] = {"POL-02a": [{"date": "2019-05-01", "note": "<img src=x onerror=alert(1)>"}],
                      "INS-01a": [{"date": "2019-06-01"}], "IDE-01a": [{"date": "2019-07-01", "count": 2}]}
    return value


def test_earlier_year_file_is_carried_forward_after_review(page: Page, years_url, artifacts_dir):
    page.on("dialog", lambda d: pytest.fail(f"unexpected dialog: {d.message}"))
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
    old_bundle, new_bundle = YEARS.years[2019].bundle("dept"), YEARS.years[2020].bundle("dept")
    moved = carry.carry_forward(old_bundle, new_bundle, value)
    before = scoring.score(old_bundle, value)
    after = scoring.score(new_bundle, moved["assessment"])
    table = panel.locator("table.gm-carry-compare")
    expect(table.locator("tr", has_text="总分")).to_contain_text(str(before["total"]))
    expect(table.locator("tr", has_text="总分")).to_contain_text(str(after["total"]))
    expect(page.get_by_test_id("total-score")).to_have_text("100")  # nothing changed before acceptance
    panel.screenshot(path=str(artifacts_dir / "assess-carry.png"))
    panel.get_by_role("button", name="结转到本年度").click()
    expect(page.get_by_test_id("total-score")).to_have_text(str(after["total"]), timeout=30000)
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
