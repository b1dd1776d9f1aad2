"""The results application pages with data (issue #16) under the site's gates: axe (no serious or
critical violation) and the Nu Html Checker on office/application/ (an organization with persons, a
容错 finding, a changed decision and its notice), office/rectification/ (items open, reported,
accepted and overdue) and the organization's assess/rectification/ (a list opened); each fits 375 px
phones and A4 paper; the proposals table prints on A4 landscape and the notice on one A4 portrait
page; a person with responsibility is recorded by keyboard alone.

The workspace is K's generated year (site_tests/application_gen.py), stored with the pages' own store.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from playwright.sync_api import Page, expect

from scorer import browser  # noqa: F401 - the registry before the operations' module
from site_tests import application_gen as gen
from site_tests import gates
from site_tests.test_accessibility import assert_valid_html, axe_problems, snapshot, with_axe
from site_tests.workspace_pages import READY_MS, ready

pytestmark = pytest.mark.browser
AS_OF = "2020-06-30"


def _workspace() -> dict:
    value = gen.reviewed(6, 7)
    value["application"] = gen.application_for(value, random.Random(7), persons=3, items=4)
    return value


WORKSPACE = _workspace()
TEXT = json.dumps(WORKSPACE, ensure_ascii=False)
DECIDED = next(d["organization"] for d in WORKSPACE["application"]["decisions"])

STORE = """async (text) => {
  const store = await import(new URL('../../assets/javascripts/office-workspace.mjs', location.href).href);
  await store.saveWorkspace(JSON.parse(text));
}"""


def application_page(page: Page, site_url: str, organization: str = DECIDED) -> None:
    ready(page, site_url + "office/application/")
    page.evaluate(STORE, TEXT)
    ready(page, site_url + "office/application/")
    expect(page.locator("#gm-office-application")).to_have_attribute("data-rendered", "1", timeout=READY_MS)
    page.get_by_test_id("org-select").select_option(organization)
    expect(page.locator("#gm-office-application")).to_have_attribute("data-org-rendered", "1", timeout=READY_MS)


def rectification_page(page: Page, site_url: str) -> None:
    ready(page, site_url + "office/rectification/")
    page.evaluate(STORE, TEXT)
    ready(page, site_url + "office/rectification/")
    page.fill("#gmx-as-of", AS_OF)
    page.locator("#gmx-as-of").dispatch_event("change")
    expect(page.get_by_test_id("rect-table")).to_be_visible(timeout=READY_MS)


def _reported() -> str:
    """An organization with an item reported done and not yet answered (it shows 验收销号 / 退回重改)."""
    last = {}
    for e in sorted(WORKSPACE["application"]["events"], key=lambda e: (e["date"], e.get("recorded", ""), e["id"])):
        last[e["item"]] = e
    item = next(i for i, e in last.items() if e["kind"] == "reported" and e.get("status") == "done")
    return next(i["organization"] for i in WORKSPACE["application"]["items"] if i["id"] == item)


def open_reported(page: Page) -> str:
    """Open, in the district view, the items of an organization with a reported item; returns its name."""
    name = _reported()
    page.get_by_test_id("rect-filter").select_option("all")
    toggle = page.locator(f'[data-testid="rect-table"] tbody[data-organization="{name}"] [data-action="toggle-org"]')
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true", timeout=READY_MS)
    expect(page.get_by_test_id("org-items-table").get_by_role("button", name="验收销号").first).to_be_visible()
    return name


def report_page(page: Page, site_url: str) -> None:
    organization = WORKSPACE["application"]["items"][0]["organization"]
    listed = gen.call("rectification_list", gen.BUNDLES_JSON, TEXT, organization, json.dumps({"issued": "2020-01-15"}))
    assert listed["ok"], listed
    ready(page, site_url + "assess/rectification/")
    page.get_by_test_id("list-file").set_input_files(gates.json_file("整改清单.json", listed["result"]["list"]))
    expect(page.get_by_test_id("list-summary")).to_contain_text("整改事项", timeout=READY_MS)


def test_the_pages_with_data_pass_axe_and_the_nu_checker(page: Page, site_url, tmp_path):
    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    guard = gates.Guard(page)
    problems, snapshots = [], []
    application_page(page, site_url)
    expect(page.get_by_test_id("notice")).to_be_visible()
    expect(page.get_by_test_id("proposals-table")).to_be_visible()
    problems += axe_problems(page, "application with data")
    snapshots.append(snapshot(page, tmp_path, "application"))
    page.check('#gma-form-decision input[value="changed"]')
    problems += axe_problems(page, "application, decision changed")
    rectification_page(page, site_url)
    expect(page.get_by_test_id("overdue-items")).to_be_visible()
    problems += axe_problems(page, "rectification with data")
    open_reported(page)
    problems += axe_problems(page, "rectification, an organization's items opened")
    snapshots.append(snapshot(page, tmp_path, "rectification"))
    report_page(page, site_url)
    problems += axe_problems(page, "rectification report with a list")
    snapshots.append(snapshot(page, tmp_path, "report"))
    assert problems == [], "\n".join(problems)
    assert_valid_html(snapshots)
    guard.assert_clean()


def test_the_pages_with_data_fit_phones_and_paper(page: Page, site_url, artifacts_dir):
    problems = []
    for name, open_it in (("application", application_page), ("rectification", rectification_page), ("report", report_page)):
        page.set_viewport_size(gates.PHONE)
        open_it(page, site_url)
        problems += gates.narrow_problems(page, f"{name} 375 px")
        page.screenshot(path=str(artifacts_dir / f"application-pages-{name}-375.png"), full_page=True)
        problems += gates.paper_problems(page, name)
    assert problems == [], "\n".join(problems)


def _pages(pdf: bytes) -> list:
    return [tuple(float(v) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]


def test_the_proposals_table_prints_landscape_and_the_notice_on_one_portrait_page(page: Page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    application_page(page, site_url)
    page.evaluate("document.body.dataset.gmaPrint = 'table'")
    boxes = _pages(page.pdf(prefer_css_page_size=True))
    assert boxes and all(b[2] > b[3] for b in boxes), boxes  # A4 landscape: wider than tall
    page.evaluate("document.body.dataset.gmaPrint = 'notice'")
    boxes = _pages(page.pdf(prefer_css_page_size=True))
    assert len(boxes) == 1 and boxes[0][2] < boxes[0][3], boxes


def test_a_person_is_recorded_by_keyboard_alone(page: Page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    undecided = next(name for name, _ in _views() if name != DECIDED)
    application_page(page, site_url, undecided)
    before = len(gen.call("application_org", gen.BUNDLES_JSON, TEXT, undecided, AS_OF)["result"]["persons"])
    page.locator("#gma-person-name").focus()
    page.keyboard.type("王五")
    page.keyboard.press("Tab")
    page.keyboard.type("副书记")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first responsibility
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first problem
    page.keyboard.press("Tab")
    expect(page.locator("#gma-form-person button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#gm-office-application")).to_have_attribute("data-recorded", "1", timeout=READY_MS)
    rows = page.get_by_test_id("org-proposals").locator("tbody tr[data-key^='person:']")
    expect(rows).to_have_count(before + 1)
    expect(page.get_by_test_id("org-proposals")).to_contain_text("王五")


def test_the_district_rectification_view_is_one_row_per_organization_and_opens_by_keyboard(page: Page, site_url):
    """One row per organization with items (overdue first), a filter, and an organization's items
    opened and closed from the keyboard, the focus staying on its button."""
    page.set_viewport_size({"width": 1280, "height": 900})
    rectification_page(page, site_url)
    shown = gen.call("rectification_view", gen.BUNDLES_JSON, TEXT, AS_OF)["result"]
    rows = page.locator('[data-testid="rect-table"] tr.gmx-org-row')
    expect(rows).to_have_count(sum(1 for o in shown["organizations"] if o["open"]))
    assert rows.evaluate_all("(rows) => rows.map((r) => r.dataset.organization)") == [o["name"] for o in shown["organizations"] if o["open"]]
    expect(page.locator('[data-testid="rect-table"] tr[data-item]')).to_have_count(0)  # items only when opened
    page.get_by_test_id("rect-filter").select_option("overdue")
    expect(rows).to_have_count(sum(1 for o in shown["organizations"] if o["overdue"]))
    page.get_by_test_id("rect-filter").select_option("all")
    name = _reported()
    toggle = page.locator(f'[data-testid="rect-table"] tbody[data-organization="{name}"] [data-action="toggle-org"]')
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true", timeout=READY_MS)
    expect(toggle).to_be_focused()
    mine = gen.call("application_org", gen.BUNDLES_JSON, TEXT, name, AS_OF)["result"]["rectification"]["items"]
    expect(page.locator(f'[data-testid="rect-table"] tr[data-items-of="{name}"] tr[data-item]')).to_have_count(len(mine))
    page.keyboard.press("Tab")  # into the opened items: the first reported item's reason
    assert page.evaluate("document.activeElement.closest('tr[data-items-of]') !== null")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f'tr[data-items-of="{name}"]')).to_have_count(0)


def _views():
    answer = gen.call("application_view", gen.BUNDLES_JSON, TEXT)
    assert answer["ok"], answer
    return [(r["name"], r) for r in answer["result"]["rows"] if r["grade"] is not None]
