"""The whole year in headless Chromium (issue #15, "Done means"), through the office's own pages and
the organization's page, with nothing set up behind the pages' backs:

1. 评议结果: the roster (the planner's CSV), the year's inspection plan and a self-assessment imported;
2. 日常监督: one record entered for two organizations at once (a district-wide 通报);
3. 核查评议: the self-assessment reviewed with each kind of decision (认定, 核减, 不予认定, an addition
   adopted from the record entered in 2, one found on site), the qualitative judgement and the related
   results applied by the year's rule; saved into the workspace; the feedback file exported;
4. 评议结果: the final results shown, equal to CPython's `results_view` of the very workspace stored;
5. the workspace reloaded intact; exported with a passphrase, cleared, refused with a wrong passphrase,
   imported again byte for byte;
6. the feedback opened on the organization's own assessment page: each change and the final result.
Screenshots of the review screen, the district table and the A4 evaluation sheet go to test-artifacts/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scorer import browser
from site_tests import gates, review_walk as rw
from site_tests import year_workspaces as yw
from site_tests.test_browser_review import fill_review
from site_tests.workspace_pages import READY_MS, clear_workspace, export_sealed, import_sealed, ready, reload_intact, stored

pytestmark = pytest.mark.browser
OWN = rw.example("self-assessment.json")
NAME = OWN["organization"]["name"]
OTHER = "区另一局党组"
THIRD = "区第三局党组"
ROSTER = f"名称,类别\n{NAME},区直单位\n{OTHER},区直单位\n{THIRD},区直单位\n"


def test_the_whole_year_walked_through(page: Page, site_url, artifacts_dir):
    guard = gates.Guard(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. Roster, plan and a self-assessment, on the results page.
    ready(page, site_url + "office/results/")
    page.get_by_test_id("roster-file").set_input_files({"name": "名单.csv", "mimeType": "text/csv", "buffer": ROSTER.encode("utf-8")})
    expect(page.locator("#gmo-roster-alert")).to_contain_text("已导入名单：3 个党组织", timeout=READY_MS)
    page.get_by_test_id("plan-names").fill(NAME)
    page.get_by_test_id("plan-save").click()
    expect(page.locator("#gmo-roster-alert")).to_contain_text("已保存检查计划：1 个党组织", timeout=READY_MS)
    page.get_by_test_id("assessment-files").set_input_files(
        {"name": "自评.json", "mimeType": "application/json", "buffer": (rw.EXAMPLES / "self-assessment.json").read_bytes()})
    expect(page.get_by_test_id("import-alert")).to_contain_text("已导入 1 份自评", timeout=READY_MS)

    # 2. One supervision record for two organizations at once.
    ready(page, site_url + "office/supervision/")
    expect(page.locator("#gm-office-supervision")).to_have_attribute("data-interactive", "true", timeout=READY_MS)
    page.get_by_test_id("record-standard").select_option("dept")
    page.get_by_test_id("record-item").select_option("POL-03a")
    page.get_by_test_id("record-source").select_option("special")
    page.get_by_test_id("record-date").fill(f"{rw.YEAR}-07-15")
    for name in (NAME, OTHER):
        page.get_by_test_id("orgs-list").get_by_label(name, exact=False).check()
    page.get_by_test_id("record-note").fill("专项检查通报：未按规定召开组织生活会")
    page.get_by_test_id("record-add").click()
    expect(page.get_by_test_id("record-alert")).to_contain_text("涉及 2 个党组织", timeout=READY_MS)

    # 3. The review: each kind of decision, the record adopted, an on-site finding, judgement, related.
    ready(page, site_url + "office/review/")
    expect(page.get_by_test_id("workspace-summary")).to_contain_text("日常监督记录 1 条")
    page.select_option("#gmr-org", NAME)
    page.get_by_test_id("open-review").click()
    expect(page.locator("#gm-review")).to_have_attribute("data-renders", "1", timeout=20_000)
    fill_review(page)  # the worked example's review: the same steps as the review screen's own test
    expect(page.get_by_test_id("changes").locator("li")).to_have_count(4)
    page.get_by_test_id("save-review").click()
    expect(page.get_by_test_id("saved")).to_contain_text("已保存")
    page.screenshot(path=str(artifacts_dir / "walk-review-screen.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "walk-review-sheet-a4.png"), full_page=True)
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_test_id("export-feedback").click()
    feedback = Path(download.value.path()).read_bytes()

    # 4. The final results on the district page equal CPython's view of the workspace stored.
    workspace_text = stored(page)
    workspace = json.loads(workspace_text)
    assert len(workspace["supervision"]) == 1 and len(workspace["reviews"]) == 1 and len(workspace["assessments"]) == 1
    expected = json.loads(browser.results_view(yw.bundles_json(), workspace_text))["result"]
    mine = next(r for r in expected["rows"] if r["organization"] == NAME)
    assert mine["method"] == "reviewed" and mine["grade_changed"] and mine["changes"] == 4
    ready(page, site_url + "office/results/")
    rows = page.get_by_test_id("results-table").locator("tbody tr")
    expect(rows).to_have_count(len(expected["rows"]), timeout=READY_MS)
    expect(rows.first).to_have_attribute("data-organization", expected["rows"][0]["organization"])
    expect(page.locator(f'[data-testid="results-table"] tr[data-organization="{NAME}"] [data-testid="final-figure"]')).to_contain_text(
        f"{mine['total']} 分 · {mine['grade']}")
    page.screenshot(path=str(artifacts_dir / "walk-district-table.png"), full_page=True)

    # 5. Reloaded intact; sealed export, cleared, wrong passphrase refused, imported again.
    assert reload_intact(page) == workspace_text
    sealed = export_sealed(page, "光明区 2019 年终评议")
    assert NAME.encode("utf-8") not in sealed
    clear_workspace(page)
    import_sealed(page, "加密工作区.json", sealed, "光明区 2019 年终评议", wrong="错误的口令")
    assert json.loads(stored(page)) == workspace

    # 6. The feedback on the organization's own page: each change and the final result.
    ready(page, f"{site_url}assess/{rw.YEAR}/dept/")
    page.get_by_test_id("feedback-file").set_input_files({"name": "反馈.json", "mimeType": "application/json", "buffer": feedback})
    expect(page.get_by_test_id("feedback-final")).to_have_text(f"{mine['total']} 分，{mine['grade']}")
    expect(page.get_by_test_id("feedback-changes").locator("li")).to_have_count(4)
    expect(page.get_by_test_id("feedback")).to_contain_text("已按程序报告，有请示件为证")
    guard.assert_clean()
