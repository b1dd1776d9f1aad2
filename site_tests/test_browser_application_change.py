"""One change on the results application pages (issue #16: one decision or status change shown in
<= 50 ms for 1000 organizations) touches the DOM of one organization only.

Why: a Chromium trace of one acceptance in the district rectification view showed the style of all
1000 organizations' rows recomputed and the whole table laid out again (150 ms), because the
organization's row group was taken out of one table of 1000 and a new one put in; on the proposals
page, replacing an organization's block re-attached all 1000 blocks. Each organization is now a
block of its own that stays in place while the table inside it is replaced, and the blocks are
grouped 25 to a group the browser lays out only when near the screen (`content-visibility: auto`;
1000 such blocks cost every frame ~6 ms of checks against the screen). These tests watch the DOM
during a real change (a MutationObserver over the whole list): every node added or removed is inside that organization's
block, every other block is the very same node as before (and, for an acceptance, every other
item row of the organization), and the groups skip their layout off screen. bench/application_page.py measures the time itself.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from site_tests.test_browser_application_pages import (
    READY_MS, WORKSPACE, _views, application_page, open_reported, rectification_page,
)

pytestmark = pytest.mark.browser
CHUNK = 25  # organizations per group (office-application-page.mjs `CHUNK`)

# Runs in the page: mark every organization block of `list` and record the list's child changes.
WATCH = """([list, block]) => {
  const root = document.querySelector(list);
  root.querySelectorAll(block).forEach((b, i) => { b.gmMarked = i; });
  window.gmMutations = [];
  window.gmObserver = new MutationObserver((records) => {
    for (const r of records) {
      const owner = r.target.closest(block);
      window.gmMutations.push({ owner: owner ? owner.dataset.organization : null, target: r.target.tagName + "." + r.target.className,
        added: r.addedNodes.length, removed: r.removedNodes.length });
    }
  });
  window.gmObserver.observe(root, { childList: true, subtree: true });
  return root.querySelectorAll(block).length;
}"""

# Runs in the page: the recorded changes, and the blocks now there that were not there before.
SEEN = """([list, block]) => {
  window.gmObserver.disconnect();
  const blocks = [...document.querySelector(list).querySelectorAll(block)];
  return { mutations: window.gmMutations, blocks: blocks.length, unmarked: blocks.filter((b) => b.gmMarked === undefined).length,
    order: blocks.every((b, i) => b.gmMarked === i),
    groups: new Set(blocks.map((b) => b.parentElement)).size,
    visibility: [...new Set(blocks.map((b) => getComputedStyle(b.parentElement).contentVisibility))] };
}"""


def _only_one_organization(seen: dict, name: str, count: int) -> None:
    assert seen["mutations"], "the change was not drawn at all"
    outside = [m for m in seen["mutations"] if m["owner"] != name]
    assert outside == [], f"nodes added or removed outside “{name}”'s block: {outside[:5]}"
    assert seen["blocks"] == count and seen["unmarked"] == 0 and seen["order"], seen
    assert seen["visibility"] == ["auto"], seen["visibility"]  # each group laid out only near the screen
    assert seen["groups"] == -(-count // CHUNK), seen["groups"]


def test_one_status_change_replaces_only_that_organizations_table(page: Page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    rectification_page(page, site_url)
    name = open_reported(page)
    count = page.evaluate(WATCH, ["#gmx-orgs", ".gmx-org"])
    assert count == page.locator('[data-testid="rect-table"] tr.gmx-org-row').count() > 1
    assert page.locator(".gmx-org > table").count() == count  # one small table per organization
    items = page.locator(f'.gmx-org[data-organization="{name}"] tr[data-item]')
    assert items.count() > 1
    items.evaluate_all("(rows) => rows.forEach((r) => { r.gmMarked = true; })")
    row = page.locator(f'.gmx-org[data-organization="{name}"] tr[data-item][data-status="reported"]').first
    item = row.get_attribute("data-item")
    row.get_by_role("button", name="验收销号").click()
    expect(page.get_by_test_id("decide-alert")).to_contain_text(item, timeout=READY_MS)
    expect(page.locator(f'tr[data-item="{item}"]')).to_have_attribute("data-status", "accepted")
    _only_one_organization(page.evaluate(SEEN, ["#gmx-orgs", ".gmx-org"]), name, count)
    # within the organization, only the accepted item's row is new: the others are the rows drawn before
    assert items.evaluate_all("(rows) => rows.filter((r) => !r.gmMarked).map((r) => r.dataset.item)") == [item]


def test_one_decision_change_replaces_only_that_organizations_table(page: Page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    name = next(n for n, _ in _views() if n in {p["organization"] for p in WORKSPACE["application"]["persons"]})
    application_page(page, site_url, name)
    count = page.evaluate(WATCH, ["#gma-table", ".gma-org"])
    assert count > 1
    page.select_option("#gma-p-target", "organization")
    page.fill("#gma-p-text", "结合本次评议，认真组织整改（测试）")
    page.fill("#gma-p-reason", "测试一次改动只重画本组织")
    page.locator("#gma-form-proposal button[type=submit]").click()
    expect(page.locator("#gm-office-application")).to_have_attribute("data-recorded", "1", timeout=READY_MS)
    expect(page.locator(f'#gma-table .gma-org[data-organization="{name}"]')).to_contain_text("结合本次评议，认真组织整改（测试）")
    _only_one_organization(page.evaluate(SEEN, ["#gma-table", ".gma-org"]), name, count)
