"""A results application change is saved by its new records (issue #16, `application_save`): on
office/rectification/ an accepted item is stored as the scorer serialized the year with it, with
the scorer's stamp, so the next open only hashes the text (the panel's `data-opened` is "stamp");
the whole year is never checked again for the change (no `workspace_read` asked of the worker); the
accepted item is there after the reload, and nothing else of the year changed."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from site_tests.test_browser_application_pages import AS_OF, TEXT, WORKSPACE, open_reported, rectification_page
from site_tests.workspace_pages import READY_MS, ready

pytestmark = pytest.mark.browser

# Which operations the page asks of its worker, in order (the requests it posts).
RECORD_OPS = """(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === "request") (self.gmOps ||= []).push(message.op);
    return post.call(this, message, ...rest);
  };
})();"""

STORED = """async () => {
  const store = await import(new URL('../../assets/javascripts/office-workspace.mjs', location.href).href);
  const stored = await store.loadStored(2019);
  return { text: stored.text, stamp: stored.stamp };
}"""


def test_an_accepted_item_is_saved_by_its_record_with_a_stamp_the_next_open_vouches_for(page: Page, site_url):
    page.add_init_script(RECORD_OPS)
    rectification_page(page, site_url)
    name = open_reported(page)
    root = page.locator("#gm-office-rectification")
    row = page.get_by_test_id("org-items-table").locator("tr[data-status='reported']").first
    item = row.get_attribute("data-item")
    page.evaluate("() => { self.gmOps = []; }")
    row.get_by_role("button", name="验收销号").click()
    expect(page.locator("#gmx-decide-alert")).to_contain_text(item, timeout=READY_MS)
    ops = page.evaluate("() => self.gmOps")
    assert "application_save" in ops and "workspace_read" not in ops, ops

    stored = page.evaluate(STORED)
    assert isinstance(stored["stamp"], str) and len(stored["stamp"]) == 64
    saved = json.loads(stored["text"])
    added = saved["application"]["events"][len(WORKSPACE["application"]["events"]):]
    assert [(e["item"], e["kind"]) for e in added] == [(item, "accepted")]
    assert {k: v for k, v in saved.items() if k not in ("application", "updated")} == \
        {k: v for k, v in json.loads(TEXT).items() if k not in ("application", "updated")}

    ready(page, site_url + "office/rectification/")
    expect(page.locator("#gmo-workspace")).to_have_attribute("data-opened", "stamp", timeout=READY_MS)
    page.fill("#gmx-as-of", AS_OF)
    page.locator("#gmx-as-of").dispatch_event("change")
    page.get_by_test_id("rect-filter").select_option("all")
    toggle = page.locator(f'[data-testid="rect-table"] tbody[data-organization="{name}"] [data-action="toggle-org"]')
    toggle.click()
    expect(page.locator(f'tr[data-item="{item}"]')).to_have_attribute("data-status", "accepted", timeout=READY_MS)
