"""Helpers of the browser tests that walk the office's year workspace through its pages (not a test
module): open a page once its scorer is ready, read the workspace its IndexedDB holds, reload and
check it is intact, import a workspace file, and the sealed round trip (export with a passphrase,
clear, a wrong passphrase refused, the right one restoring it). One copy, so the year's, the results
application's and the workspace's own walks drive the pages the same way.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from site_tests import gates
from site_tests.year_workspaces import YEAR

READY_MS = gates.READY_MS

# Runs in the page: the year's workspace as IndexedDB holds it (JSON text, or null), read through the
# page's own store module, from any office or assessment page.
STORED = """async (year) => {
    const store = await import(new URL('assets/javascripts/office-workspace.mjs', document.baseURI.replace(/(office|assess)\\/.*$/, '')).href);
    const value = await store.loadWorkspace(year);
    return value === null ? null : JSON.stringify(value);
}"""


def ready(page: Page, url: str) -> None:
    """Go to `url` and wait until the page's scorer is ready."""
    page.goto(url)
    gates.wait_ready(page)


def stored(page: Page, year: int = YEAR) -> str | None:
    """The year's stored workspace as JSON text, None when there is none."""
    return page.evaluate(STORED, year)


def reload_intact(page: Page) -> str:
    """Reload the page: the stored workspace is byte for byte what it was; returns it."""
    before = stored(page)
    page.reload()
    gates.wait_ready(page)
    after = stored(page)
    assert after == before
    return after


def import_workspace(page: Page, name: str, data, passphrase: str | None = None) -> None:
    """Choose a workspace file (text, bytes or a JSON value) on the page; a sealed one gets `passphrase`."""
    page.get_by_test_id("workspace-file").set_input_files(gates.json_file(name, data))
    if passphrase is not None:
        dialog = page.get_by_test_id("passphrase-dialog")
        expect(dialog).to_be_visible()
        dialog.locator("#gmo-pass-1").fill(passphrase)
        page.get_by_test_id("passphrase-ok").click()


def export_sealed(page: Page, passphrase: str) -> bytes:
    """The workspace exported sealed with `passphrase` (entered twice): the downloaded file's bytes."""
    page.get_by_test_id("workspace-export-sealed").click()
    dialog = page.get_by_test_id("passphrase-dialog")
    dialog.locator("#gmo-pass-1").fill(passphrase)
    dialog.locator("#gmo-pass-2").fill(passphrase)
    with page.expect_download(timeout=READY_MS) as download:
        page.get_by_test_id("passphrase-ok").click()
    with open(download.value.path(), "rb") as file:
        return file.read()


def clear_workspace(page: Page) -> None:
    """Clear the stored workspace (confirming the page's question): nothing is stored after."""
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("workspace-clear").click()
    expect(page.get_by_test_id("workspace-summary")).to_contain_text("还没有")
    assert stored(page) is None


def import_sealed(page: Page, name: str, sealed: bytes, passphrase: str, wrong: str) -> None:
    """Into an empty store: the sealed file with a `wrong` passphrase is refused and stores nothing;
    with the right one it is merged."""
    import_workspace(page, name, sealed, passphrase=wrong)
    expect(page.locator("#gmo-ws-alert")).to_contain_text("口令不正确", timeout=READY_MS)
    assert stored(page) is None
    import_workspace(page, name, sealed, passphrase=passphrase)
    expect(page.locator("#gmo-ws-alert")).to_contain_text("已合并", timeout=READY_MS)
