"""The hostile files (site_tests/fixtures/hostile/) through the pages in Chromium: the assessment
page's import and the office's drop. Each is refused with a Chinese reason naming the file, within a
bounded time, and the user's draft / the office's collected files are unchanged. A scorer worker that
dies is restarted by the client: the office keeps working (清空, later files) without a reload.

One page per door, many files: the whole list goes through in a few seconds.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, tree
from site_tests import gates, hostile

pytestmark = pytest.mark.browser

READY_MS = 60000
SHIPPED = tree.load("standards")
YEAR = SHIPPED.current.year
BUNDLE = SHIPPED.current.bundle("dept").to_json()
REFUSAL_MS = 15000  # each refusal must be on screen within this


def _good(name: str) -> dict:
    value = assessment.empty(BUNDLE, name)
    value["items"] = {"POL-02a": [{"date": f"{YEAR}-05-01", "count": 2}]}
    return value


def _payload(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "application/json", "buffer": data}


def _hostile_payloads() -> list:
    return [_payload(name, hostile.assessment_path(name).read_bytes()) for name in sorted(hostile.ASSESSMENTS)]


@pytest.fixture
def no_other_origin(page: Page):
    local = gates.LocalOnly(page)
    yield local.blocked
    local.assert_local()


def _draft(page: Page):
    """The stored draft's content (not its saved-at time, which a later autosave may refresh)."""
    stored = page.evaluate(f"localStorage.getItem('gm-draft:{YEAR}:dept')")
    return json.loads(stored)["draft"] if stored else None


def test_the_import_refuses_each_hostile_file_and_keeps_the_draft(page: Page, site_url, tmp_path, artifacts_dir,
                                                                  no_other_origin):
    page.goto(f"{site_url}assess/{YEAR}/dept/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    page.fill("#gm-org-name", "原有草稿")
    expect(page.get_by_test_id("total-score")).not_to_have_text("—")
    page.wait_for_timeout(1200)  # the draft is saved after a short pause
    before = _draft(page)
    assert before and before["organization"]["name"] == "原有草稿"
    alert = page.locator("#gm-alert")
    oversized = hostile.oversized_json(tmp_path)
    cases = [(p, hostile.ASSESSMENTS[p["name"]]) for p in _hostile_payloads()]
    cases.append((str(oversized), "文件过大"))
    for payload, reason in cases:
        name = payload["name"] if isinstance(payload, dict) else oversized.name
        page.get_by_test_id("import-file").set_input_files(payload)
        expect(alert).to_contain_text(f"未导入“{name}”", timeout=REFUSAL_MS)
        expect(alert).to_contain_text(reason)
        text = alert.text_content()
        assert "[object Object]" not in text and "function Object()" not in text and "Traceback" not in text, text
        assert _draft(page) == before, name
        expect(page.locator("#gm-org-name")).to_have_value("原有草稿")
        if name == "duplicate-items-key.json":
            alert.screenshot(path=str(artifacts_dir / "import-refused-duplicate-key.png"))
    # another standard's file: named by its title, with a link to its own page
    street = assessment.empty(SHIPPED.current.bundle("street").to_json(), "某街道")
    page.get_by_test_id("import-file").set_input_files(_payload("street.json", json.dumps(street, ensure_ascii=False).encode()))
    title = SHIPPED.current.bundle("street").to_json()["standard"]["title"]
    expect(alert).to_contain_text(f"《{title}》的自评文件", timeout=REFUSAL_MS)
    assert alert.get_by_role("link", name="打开该标准的自评页面").get_attribute("href").endswith(f"/assess/{YEAR}/street/")
    alert.scroll_into_view_if_needed()
    alert.screenshot(path=str(artifacts_dir / "import-refused-other-standard.png"))
    assert _draft(page) == before


def test_the_import_accepts_utf16_and_bom_files(page: Page, site_url):
    page.goto(f"{site_url}assess/{YEAR}/dept/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    alert = page.locator("#gm-alert")
    for encoding in ("utf-16", "utf-8-sig"):
        name = f"导入-{encoding}"
        data = json.dumps(_good(name), ensure_ascii=False).encode(encoding)
        page.get_by_test_id("import-file").set_input_files(_payload(f"{encoding}.json", data))
        dialog = page.locator("#gm-replace-dialog")
        page.wait_for_timeout(300)
        if dialog.is_visible():
            page.click('#gm-replace-dialog [data-action="replace-confirm"]')
        expect(alert).to_contain_text(f"已导入“{encoding}.json”", timeout=REFUSAL_MS)
        expect(page.locator("#gm-org-name")).to_have_value(name)


def _open_office(page: Page, site_url: str):
    page.goto(site_url + "office/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)


def _import(page: Page, files: list, renders: int):
    page.get_by_test_id("office-files").set_input_files(files)
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", str(renders), timeout=READY_MS)


def _rows(page: Page) -> list:
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="office-table"] tbody tr'),
                                             (tr) => tr.dataset.file)""")


def test_the_office_drop_names_each_hostile_file_and_keeps_the_collected_ones(page: Page, site_url, no_other_origin):
    page.set_viewport_size({"width": 1280, "height": 900})
    _open_office(page, site_url)
    good = [_payload(f"good-{i}.json", json.dumps(_good(f"党组织{i}"), ensure_ascii=False).encode("utf-8")) for i in range(2)]
    _import(page, good, 1)
    assert sorted(_rows(page)) == ["good-0.json", "good-1.json"]
    late = _payload("good-late.json", json.dumps(_good("党组织晚"), ensure_ascii=False).encode("utf-16"))
    _import(page, _hostile_payloads() + [late], 2)
    assert sorted(_rows(page)) == ["good-0.json", "good-1.json", "good-late.json"]
    rejected = page.get_by_test_id("rejected")
    for name, reason in hostile.ASSESSMENTS.items():
        entry = rejected.locator(f'li[data-file="{name}"]')
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(reason)
    text = rejected.text_content()
    assert "[object Object]" not in text and "function Object()" not in text
    expect(page.locator('[data-action="clear"]')).to_be_enabled()


def test_the_office_recovers_when_the_scorer_worker_fails(page: Page, site_url):
    """A worker whose runtime is broken for good (as after a fatal Pyodide error, when every later call
    fails): the failed import is reported, the collected files stay, the client starts a new worker,
    and the same files then go in without a reload; 清空 works throughout."""
    _open_office(page, site_url)
    a = _payload("a.json", json.dumps(_good("甲"), ensure_ascii=False).encode("utf-8"))
    b = _payload("b.json", json.dumps(_good("乙"), ensure_ascii=False).encode("utf-8"))
    _import(page, [a], 1)
    workers = [w for w in page.workers if "scorer-worker" in w.url]
    assert len(workers) == 1
    workers[0].evaluate("""() => {
        JSON.parse = () => { throw new RangeError("Maximum call stack size exceeded"); };
    }""")
    page.get_by_test_id("office-files").set_input_files([b])
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("已导入的文件保持不变", timeout=READY_MS)
    assert _rows(page) == ["a.json"]
    expect(page.locator('[data-action="clear"]')).to_be_enabled()
    _import(page, [b], 3)  # the error's own render was the 2nd
    assert sorted(_rows(page)) == ["a.json", "b.json"]
    page.click('[data-action="clear"]')
    expect(summary).to_contain_text("已清空")
    expect(page.locator('[data-action="clear"]')).to_be_disabled()
    _import(page, [a], 5)
    assert _rows(page) == ["a.json"]


ORGS = [("光明街道党工委", "街道党工委"), ("区某局党组", "区直单位"), ("凤凰社区党委", "街道党工委")]


def _csv(rows, encoding: str, separator: str) -> bytes:
    return "\r\n".join(separator.join(r) for r in rows).encode(encoding)


@pytest.mark.parametrize("encoding, separator", [("gb18030", ","), ("utf-16", "\t")])
def test_the_plan_page_reads_csv_from_chinese_excel(page: Page, site_url, artifacts_dir, encoding, separator, no_other_origin):
    page.goto(site_url + "office/plan/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    data = _csv([("名称", "类别")] + ORGS, encoding, separator)
    page.get_by_test_id("organizations-file").set_input_files({"name": "名单.csv", "mimeType": "text/csv", "buffer": data})
    expect(page.get_by_test_id("organizations-status")).to_contain_text("已识别 3 个党组织", timeout=REFUSAL_MS)
    assert "光明街道党工委" in page.get_by_test_id("organizations").input_value()
    page.get_by_test_id("organizations-file").set_input_files(
        {"name": "表格.csv", "mimeType": "text/csv", "buffer": hostile.assessment_path("xlsx-renamed.json").read_bytes()})
    expect(page.get_by_test_id("organizations-status")).to_contain_text("未读取“表格.csv”：这是一个 ZIP 压缩包或 Excel 工作簿")
    assert "光明街道党工委" in page.get_by_test_id("organizations").input_value(), "the list typed before is kept"
    page.screenshot(path=str(artifacts_dir / f"plan-csv-{encoding}.png"), full_page=False)


def test_the_reference_import_reads_csv_from_chinese_excel(page: Page, site_url, artifacts_dir, no_other_origin):
    page.set_viewport_size({"width": 1280, "height": 900})
    _open_office(page, site_url)
    _import(page, [_payload("a.json", json.dumps(_good("区某局党组"), ensure_ascii=False).encode("utf-8"))], 1)
    for renders, (encoding, separator) in enumerate([("gbk", ","), ("utf-16", "\t")], start=2):
        data = _csv([("名称", "民主测评"), ("区某局党组", f"9{renders}")], encoding, separator)
        page.get_by_test_id("references-file").set_input_files({"name": f"评议-{encoding}.csv", "mimeType": "text/csv", "buffer": data})
        expect(page.locator("#gm-office")).to_have_attribute("data-renders", str(renders), timeout=READY_MS)
        expect(page.locator("#gmo-refs-notices")).to_contain_text(f"已导入参考评议结果“评议-{encoding}.csv”：民主测评")
        expect(page.locator('[data-testid="office-table"] tbody [data-column="ref:民主测评"]')).to_have_text(f"9{renders}")
    # columns named like Object's own members are plain columns: an absent value is absent, not Object
    data = "名称,constructor,__proto__,toString\r\n其他党组织,80,70,60\r\n".encode("utf-8")
    page.get_by_test_id("references-file").set_input_files({"name": "怪列名.csv", "mimeType": "text/csv", "buffer": data})
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", "4", timeout=READY_MS)
    table = page.get_by_test_id("office-table")
    expect(table.locator("thead")).to_contain_text("参考：__proto__")
    text = table.text_content()
    assert "function" not in text and "[object" not in text and "native code" not in text, text
    page.get_by_test_id("references-file").set_input_files(
        {"name": "乱码.csv", "mimeType": "text/csv", "buffer": hostile.assessment_path("random-bytes.json").read_bytes()})
    expect(page.locator("#gmo-refs-notices")).to_contain_text("未导入“乱码.csv”")
    expect(page.locator("#gmo-refs-notices")).to_contain_text("二进制文件")
    page.get_by_test_id("office-files").set_input_files(_hostile_payloads()[:4])
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", "5", timeout=READY_MS)
    page.screenshot(path=str(artifacts_dir / "office-refused-hostile.png"), full_page=True)
