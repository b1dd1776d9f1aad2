"""Evidence fingerprints on the self-assessment page, in a real Chromium: choosing a file fills its name
and SHA-256 (computed in the page, equal to hashlib's), the file control is emptied at once and the file
never leaves the page (no request carries it), the export holds the fingerprint, and a hand-typed hash
still works. The pure parts (digest, bounds, unreadable files) are tested under Node in
site_tests/js_units/assess-evidence.test.mjs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from site_tests import gates
from site_tests.test_browser_assess import YEAR, add_occurrence, open_form

pytestmark = pytest.mark.browser


def test_choosing_an_evidence_file_fills_its_name_and_sha256(page: Page, site_url, artifacts_dir):
    guard = gates.Guard(page)
    page.set_viewport_size({"width": 375, "height": 800})
    open_form(page, site_url)
    row = add_occurrence(page, "POL-03a", f"{YEAR}-03-03", 1, "未召开民主生活会")
    row.locator('[data-action="add-evidence"]').click()
    entry = row.locator(".gm-evidence-item").last
    entry.locator('[data-field="file"]').fill("手工填写的名称.pdf")  # replaced: the hash is the chosen file's
    content = os.urandom(200_000) + "会议纪要".encode("utf-8")
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method != "GET" else None)
    entry.locator('[data-field="pick"]').set_input_files(
        {"name": "会议纪要 2019.pdf", "mimeType": "application/pdf", "buffer": content})
    digest = hashlib.sha256(content).hexdigest()
    expect(entry.locator('[data-field="sha256"]')).to_have_value(digest)
    expect(entry.locator('[data-field="file"]')).to_have_value("会议纪要 2019.pdf")
    expect(entry.locator('[data-slot="pick-status"]')).to_contain_text("未上传")
    assert entry.locator('[data-field="pick"]').evaluate("(input) => input.files.length") == 0
    assert gates.narrow_problems(page, "assessment with a picked evidence file") == []
    page.screenshot(path=str(artifacts_dir / "evidence-picked-375.png"), full_page=False)

    # A second evidence reference typed by hand, upper case: the page's forgiving reading is kept.
    row.locator('[data-action="add-evidence"]').click()
    typed = row.locator(".gm-evidence-item").last
    typed.locator('[data-field="file"]').fill("照片.jpg")
    typed.locator('[data-field="sha256"]').fill("CD" * 32)

    with page.expect_download() as download:
        page.click('[data-action="export-json"]')
    exported = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert exported["items"]["POL-03a"][0]["evidence"] == [
        {"file": "会议纪要 2019.pdf", "sha256": digest}, {"file": "照片.jpg", "sha256": "cd" * 32}]
    draft = None
    for _ in range(50):  # the draft is saved shortly after the last edit
        draft = page.evaluate(f"localStorage.getItem('gm-draft:{YEAR}:dept')") or ""
        if "cd" * 32 in draft:
            break
        page.wait_for_timeout(100)
    assert digest in draft and "会议纪要".encode("utf-8").hex() not in draft
    assert posted == [], f"requests other than GET while a file was fingerprinted: {posted}"
    guard.assert_clean()
