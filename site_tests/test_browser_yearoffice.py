"""The office's year workspace in a real Chromium (office/supervision/ and office/results/): the
workspace survives a reload, exports sealed with a passphrase and comes back (a wrong passphrase is
refused and changes nothing), a supervision record for several organizations is entered, kept and
withdrawn, the district table shows CPython's final results with changed grades first, who is missing
is one click away, and every hostile file is refused with its reason while the stored workspace stays
byte for byte as it was. Keyboard alone, 375 px phones and A4 print on both pages.

Fixtures from conftest.py: `built_site`, `site_url`, `artifacts_dir` and Debian's Chromium.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from scorer import browser
from site_tests import gates
from site_tests import year_workspaces as yw
from site_tests.workspace_pages import (READY_MS, clear_workspace, export_sealed, import_sealed, import_workspace, ready,
                                        reload_intact, stored)

pytestmark = pytest.mark.browser

RESULTS = "office/results/"
SUPERVISION = "office/supervision/"
WORKSPACE = yw.generate(12, 2, seed=3, reviewed=1.0, related_share=1.0)
WORKSPACE_TEXT = json.dumps(WORKSPACE, ensure_ascii=False)
EXPECTED = json.loads(browser.results_view(yw.bundles_json(), WORKSPACE_TEXT))["result"]


@pytest.fixture
def local(page: Page):
    guard = gates.LocalOnly(page)
    yield guard
    guard.assert_local()


def seed(page: Page, site_url: str) -> str:
    """Open the results page with the generated workspace imported into an empty store; its stored text."""
    ready(page, site_url + RESULTS)
    import_workspace(page, "工作区.json", WORKSPACE_TEXT)
    expect(page.locator("#gmo-ws-alert")).to_contain_text("已合并", timeout=READY_MS)
    expect(page.get_by_test_id("workspace-summary")).to_contain_text("名单 12 个党组织")
    text = stored(page)
    assert text is not None
    return text


def table(page: Page) -> list:
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="results-table"] tbody tr'), (tr) => ({
        name: tr.dataset.organization, changed: tr.dataset.changed === 'true',
        final: tr.querySelector('[data-testid="final-figure"]').textContent }))""")


# ---------------------------------------------------------------- results, persistence, sealing

def test_results_are_cpythons_persist_over_reload_and_come_back_from_a_sealed_export(page: Page, site_url, artifacts_dir, local):
    page.set_viewport_size({"width": 1280, "height": 900})
    before = seed(page, site_url)

    def check_table():
        expect(page.get_by_test_id("results-table").locator("tbody tr")).to_have_count(len(EXPECTED["rows"]), timeout=READY_MS)
        rows = table(page)
        assert [r["name"] for r in rows] == [r["organization"] for r in EXPECTED["rows"]]
        for shown, want in zip(rows, EXPECTED["rows"]):
            assert shown["changed"] == want["grade_changed"]
            if want["total"] is not None:
                assert shown["final"].startswith(f"{want['total']} 分 · {want['grade']}"), (shown, want)
        assert EXPECTED["changed"] and rows[0]["changed"], "the generated year should change some grade"

    check_table()
    expect(page.get_by_test_id("results-counts")).to_contain_text(f"有最终结果 {EXPECTED['counts']['final']} 个")
    page.get_by_test_id("show-missing").click()
    for entry in EXPECTED["missing"]:
        expect(page.get_by_test_id("missing-list")).to_contain_text(entry["name"])
    with page.expect_download() as download:
        page.get_by_test_id("export-missing").click()
    assert len(download.value.path().read_text(encoding="utf-8-sig").strip().splitlines()) == len(EXPECTED["missing"]) + 1
    page.screenshot(path=str(artifacts_dir / "yearoffice-results.png"), full_page=True)

    # Reload: the same workspace, the same table.
    assert reload_intact(page) == before
    check_table()

    # Sealed export, clear, a wrong passphrase (refused, nothing changes), the right one.
    sealed = export_sealed(page, "光明区 2019 评议")
    envelope = json.loads(sealed)
    assert envelope["format"] == "gm-sealed/1" and "光明区测试党组织" not in sealed.decode("utf-8")
    clear_workspace(page)
    import_sealed(page, "加密.json", sealed, "光明区 2019 评议", wrong="光明区 2019 评议x")
    assert json.loads(stored(page)) == json.loads(before)


def test_an_imported_workspace_is_stamped_so_the_next_open_only_hashes_it(page: Page, site_url, local):
    """scorer/stamps.py: the store holds what the scorer checked, with its stamp; an open vouches for it by
    hashing. A text stored without a stamp (an older site) or changed behind the page's back is checked in
    full once, and a forged stamp does not let a changed text through."""
    seed(page, site_url)
    section = page.locator("#gmo-workspace")

    def record():
        return page.evaluate("""async (year) => {
            const store = await import(new URL('assets/javascripts/office-workspace.mjs', document.baseURI.replace(/office\\/.*$/, '')).href);
            return store.loadStored(year);
        }""", yw.YEAR)

    def reopen():
        page.reload()
        expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
        expect(page.get_by_test_id("results-table").locator("tbody tr")).to_have_count(len(EXPECTED["rows"]), timeout=READY_MS)
        return section.get_attribute("data-opened")

    first = record()
    assert first["stamp"] and len(first["stamp"]) == 64
    assert reopen() == "stamp"
    rows = table(page)

    def store(text, stamp):
        """Written into IndexedDB directly, as another version of the site or a hand would: not through
        the page's store, whose announcement would have this very page vouch for it before the reload."""
        page.evaluate("""async ([text, stamp, year]) => {
            const db = await new Promise((resolve, reject) => {
                const req = indexedDB.open('gm-office');
                req.onsuccess = () => resolve(req.result);
                req.onerror = () => reject(req.error);
            });
            await new Promise((resolve, reject) => {
                const tx = db.transaction('workspaces', 'readwrite');
                tx.objectStore('workspaces').put({ year, text, stamp, saved: new Date().toISOString() });
                tx.oncomplete = resolve;
                tx.onerror = () => reject(tx.error);
            });
            db.close();
        }""", [text, stamp, yw.YEAR])

    store(first["text"], None)  # as an older version of the site stored it
    assert reopen() == "checked" and table(page) == rows
    assert record()["stamp"] == first["stamp"]  # stamped for the next open
    assert reopen() == "stamp"

    changed = json.loads(first["text"])
    changed["roster"][0]["name"] += "（改）"
    store(json.dumps(changed, ensure_ascii=False), first["stamp"])  # a stolen stamp on another text
    page.reload()
    expect(section).to_have_attribute("data-opened", "checked", timeout=READY_MS)


def test_a_save_reaches_the_other_tabs_and_not_the_page_that_saved(page: Page, site_url, local):
    """office-workspace.mjs: a page hearing its own save as another tab's read the whole workspace back,
    had it vouched for (checked in full after a records-only save) and drew it again."""
    listen = """async () => {
        const store = await import(new URL('assets/javascripts/office-workspace.mjs', document.baseURI.replace(/office\\/.*$/, '')).href);
        const heard = [];
        store.onWorkspaceChange((message) => {
            heard.push(message.saved);
            document.documentElement.dataset.heard = JSON.stringify(heard);
        });
    }"""
    save = """async ([text]) => {
        const store = await import(new URL('assets/javascripts/office-workspace.mjs', document.baseURI.replace(/office\\/.*$/, '')).href);
        return store.saveWorkspace(JSON.parse(text));
    }"""
    ready(page, site_url + RESULTS)
    page.evaluate(listen)
    page.evaluate(save, [WORKSPACE_TEXT])
    other = page.context.new_page()
    ready(other, site_url + SUPERVISION)
    saved = other.evaluate(save, [WORKSPACE_TEXT])
    # the other tab's save, and not its own
    expect(page.locator("html")).to_have_attribute("data-heard", json.dumps([saved]), timeout=READY_MS)
    other.close()


def test_a_long_district_table_pages_by_keyboard_and_prints_every_organization(page: Page, site_url, artifacts_dir, local):
    """130 organizations: 100 rows a page (laying out 1000 rows cost most of a second before the first
    frame), the rest one keypress away, every row on "全部" and in print; the counts cover them all."""
    big = yw.generate(130, 1, seed=8, reviewed=0.2)
    text = json.dumps(big, ensure_ascii=False)
    expected = json.loads(browser.results_view(yw.bundles_json(), text))["result"]
    ready(page, site_url + RESULTS)
    import_workspace(page, "大工作区.json", text)
    expect(page.locator("#gmo-ws-alert")).to_contain_text("已合并", timeout=READY_MS)
    rows = page.get_by_test_id("results-table").locator("tbody tr")
    expect(rows).to_have_count(100, timeout=READY_MS)
    names = [r["organization"] for r in expected["rows"]]
    assert [r["name"] for r in table(page)] == names[:100]
    expect(page.get_by_test_id("page-range")).to_have_text("第 1–100 个，共 130 个（第 1/2 页）")
    expect(page.get_by_test_id("page-prev")).to_be_disabled()
    page.get_by_test_id("page-next").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(30)
    assert [r["name"] for r in table(page)] == names[100:]
    expect(page.get_by_test_id("page-next")).to_be_disabled()
    page.get_by_test_id("results-pager").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "yearoffice-pager.png"))
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(rows).to_have_count(130)
    expect(page.get_by_test_id("results-pager")).to_be_hidden()
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    expect(rows).to_have_count(30)
    page.get_by_test_id("page-size").select_option("all")
    expect(rows).to_have_count(130)
    assert [r["name"] for r in table(page)] == names
    expect(page.get_by_test_id("results-counts")).to_contain_text(f"表中共 {len(names)} 个")


def test_merging_a_colleagues_workspace_adds_without_duplicates(page: Page, site_url, local):
    before = json.loads(seed(page, site_url))
    other = yw.generate(12, 2, seed=3, reviewed=1.0, related_share=1.0)
    extra = {"id": "sup-colleague-0001", "organizations": [other["roster"][0]["name"]], "standard": "dept",
             "item": "POL-01a", "date": f"{yw.YEAR}-05-05", "count": 1, "source": "daily", "updated": f"{yw.YEAR}-12-02T00:00:00Z"}
    other["supervision"].append(extra)
    import_workspace(page, "同事的工作区.json", json.dumps(other, ensure_ascii=False))
    expect(page.locator("#gmo-ws-alert")).to_contain_text("已合并", timeout=READY_MS)
    after = json.loads(stored(page))
    assert [r["id"] for r in after["supervision"]] == [r["id"] for r in before["supervision"]] + [extra["id"]]
    assert len(after["assessments"]) == len(before["assessments"]) and len(after["reviews"]) == len(before["reviews"])


# ---------------------------------------------------------------- supervision

def test_one_record_for_several_organizations_is_kept_over_reload_and_withdrawn(page: Page, site_url, artifacts_dir, local):
    page.set_viewport_size({"width": 1280, "height": 900})
    seed(page, site_url)
    ready(page, site_url + SUPERVISION)
    expect(page.locator("#gm-office-supervision")).to_have_attribute("data-interactive", "true", timeout=READY_MS)
    page.get_by_test_id("record-standard").select_option("dept")
    page.get_by_test_id("record-item").select_option("POL-02a")
    expect(page.get_by_test_id("record-rule")).to_contain_text("每次扣")
    sources = yw.BUNDLES["dept"]["year"]["evaluation"]["sources"]
    page.get_by_test_id("record-source").select_option(sources[1]["id"])
    page.get_by_test_id("record-date").fill(f"{yw.YEAR}-09-09")
    dept_kinds = yw.BUNDLES["dept"]["standard"]["organization_kinds"]
    names = [o["name"] for o in WORKSPACE["roster"] if o["kind"] in dept_kinds][:3]
    assert len(names) == 3
    for name in names:
        page.get_by_test_id("orgs-list").get_by_label(name, exact=False).check()
    expect(page.get_by_test_id("orgs-count")).to_have_text("已选 3 个党组织")
    page.get_by_test_id("record-note").fill("专项通报测试：未按期报告")
    page.get_by_test_id("record-add").click()
    expect(page.get_by_test_id("record-alert")).to_contain_text("涉及 3 个党组织", timeout=READY_MS)
    row = page.get_by_test_id("register-table").locator("tbody tr", has_text="专项通报测试")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(sources[1]["name"])
    page.screenshot(path=str(artifacts_dir / "yearoffice-supervision.png"), full_page=True)

    page.reload()
    expect(page.locator("#gm-office-supervision")).to_have_attribute("data-interactive", "true", timeout=READY_MS)
    expect(page.get_by_test_id("register-table").locator("tbody tr", has_text="专项通报测试")).to_have_count(1)
    record = next(r for r in json.loads(stored(page))["supervision"] if r.get("note") == "专项通报测试：未按期报告")
    assert sorted(record["organizations"]) == sorted(names) and record["item"] == "POL-02a" and record["source"] == sources[1]["id"]

    # No organization chosen: refused, nothing stored.
    before = stored(page)
    page.get_by_test_id("record-add").click()
    expect(page.get_by_test_id("record-alert")).to_contain_text("请至少选择一个党组织")
    assert stored(page) == before

    # A record the scorer refuses (a count of 0): named, nothing stored.
    page.get_by_test_id("orgs-list").get_by_label(names[0], exact=False).check()
    page.get_by_test_id("record-count").fill("0")
    page.get_by_test_id("record-add").click()
    expect(page.get_by_test_id("record-alert")).to_contain_text("未登记，本机工作区没有任何改变", timeout=READY_MS)
    expect(page.get_by_test_id("record-alert")).to_contain_text("过小")
    assert stored(page) == before

    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("register-table").locator("tbody tr", has_text="专项通报测试").get_by_role("button", name="撤销").click()
    expect(page.get_by_test_id("register-table").locator("tbody tr", has_text="专项通报测试")).to_have_count(0, timeout=READY_MS)
    assert next(r for r in json.loads(stored(page))["supervision"] if r["id"] == record["id"])["deleted"] is True


def test_a_record_by_keyboard_alone(page: Page, site_url, local):
    seed(page, site_url)
    ready(page, site_url + SUPERVISION)
    expect(page.locator("#gm-office-supervision")).to_have_attribute("data-interactive", "true", timeout=READY_MS)
    page.get_by_test_id("org-filter").focus()
    name = WORKSPACE["roster"][0]["name"]
    page.keyboard.type(name)
    page.keyboard.press("Tab")  # 全选（筛选结果）
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("orgs-count")).to_have_text("已选 1 个党组织")
    page.get_by_test_id("record-note").focus()
    page.keyboard.type("键盘录入")
    page.get_by_test_id("record-add").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("register-table").locator("tbody tr", has_text="键盘录入")).to_have_count(1, timeout=READY_MS)


# ---------------------------------------------------------------- hostile files

HOSTILE = {
    "nested.json": "[" * 5000 + "]" * 5000,
    "duplicate.json": WORKSPACE_TEXT.replace('"format": "gm-workspace/1"', '"format": "gm-workspace/1", "format": "gm-workspace/1"', 1),
    "gbk.json": "{\"format\": \"工作区\"}".encode("gbk") + b"\xff\xfe\x00",
    "binary.json": bytes(range(256)) * 8,
    "other-year.json": WORKSPACE_TEXT.replace(f'"year": {yw.YEAR}', '"year": 2031', 1),
    "tampered-hash.json": json.dumps({**WORKSPACE, "assessments": [{**WORKSPACE["assessments"][0], "hash": "sha256:" + "0" * 64}]}, ensure_ascii=False),
    "not-sealed-right.json": json.dumps({"format": "gm-sealed/1", "content": "gm-workspace/1", "compression": "gzip",
                                         "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": 10**9, "salt": "A" * 22 + "=="},
                                         "cipher": {"name": "AES-GCM", "iv": "A" * 16}, "data": "A" * 32}),
    "huge.json": b" " * (65 * 1024 * 1024) + b"{}",  # over the scorer's bound for a year file: never read
}


def test_hostile_workspace_files_are_refused_and_change_nothing(page: Page, site_url, local, tmp_path):
    before = seed(page, site_url)
    for name, data in HOSTILE.items():
        if len(data) > 40 * 1024 * 1024:  # Playwright hands a file this big over by its path only
            path = tmp_path / name
            path.write_bytes(data)
            page.get_by_test_id("workspace-file").set_input_files(path)
        else:
            page.get_by_test_id("workspace-file").set_input_files(gates.json_file(name, data))
        if name == "huge.json":
            expect(page.locator("#gmo-ws-alert")).to_contain_text("文件过大", timeout=READY_MS)
        if name == "not-sealed-right.json":
            # Refused before any passphrase is asked for: the iteration count alone is out of bounds.
            expect(page.locator("#gmo-ws-alert")).to_contain_text("迭代次数", timeout=READY_MS)
        else:
            expect(page.locator("#gmo-ws-alert")).to_contain_text(f"未导入“{name}”", timeout=READY_MS)
            expect(page.locator("#gmo-ws-alert")).to_contain_text("没有任何改变")
        assert stored(page) == before, name
        page.locator("#gmo-ws-alert").evaluate("(box) => { box.hidden = true; box.replaceChildren(); }")


def test_hostile_assessment_and_roster_files_name_themselves_and_change_nothing(page: Page, site_url, local):
    before = seed(page, site_url)
    bad = [gates.json_file("dup.json", '{"format": "gm-assessment/1", "format": "gm-assessment/1"}'),
           gates.json_file("deep.json", "[" * 5000 + "]" * 5000), gates.json_file("binary.json", bytes(range(256)))]
    page.get_by_test_id("assessment-files").set_input_files(bad)
    alert = page.get_by_test_id("import-alert")
    expect(alert).to_contain_text("3 个文件未导入", timeout=READY_MS)
    for f in bad:
        expect(alert).to_contain_text(f["name"])
    assert stored(page) == before
    page.get_by_test_id("roster-file").set_input_files({"name": "名单.csv", "mimeType": "text/csv", "buffer": b"\x00\x01\x02" * 100})
    expect(page.locator("#gmo-roster-alert")).to_contain_text("未导入", timeout=READY_MS)
    assert stored(page) == before


# ---------------------------------------------------------------- phones and paper

@pytest.mark.parametrize("path", [SUPERVISION, RESULTS])
def test_phones_and_a4(page: Page, site_url, artifacts_dir, path, local):
    seed(page, site_url)
    page.set_viewport_size({"width": gates.PHONE["width"], "height": gates.PHONE["height"]})
    ready(page, site_url + path)
    page.wait_for_timeout(500)
    assert gates.narrow_problems(page, path) == []
    page.screenshot(path=str(artifacts_dir / f"yearoffice-375-{path.strip('/').replace('/', '-')}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert gates.paper_problems(page, path) == []


# ---------------------------------------------------------------- axe and the Nu checker, with data

def test_both_pages_with_data_pass_axe_and_the_nu_checker(page: Page, site_url, tmp_path, local):
    """The results page with a year's data (table, missing list open, charts), the passphrase dialog
    open, and the supervision page with its register: no serious or critical axe violation, valid HTML."""
    from site_tests.test_accessibility import assert_valid_html, axe_problems, snapshot, with_axe

    with_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    seed(page, site_url)
    expect(page.get_by_test_id("results-table").locator("tbody tr")).to_have_count(len(EXPECTED["rows"]), timeout=READY_MS)
    page.get_by_test_id("show-missing").click()
    problems = axe_problems(page, "results with data")
    snapshots = [snapshot(page, tmp_path, "results")]
    page.get_by_test_id("workspace-export-sealed").click()
    expect(page.get_by_test_id("passphrase-dialog")).to_be_visible()
    problems += axe_problems(page, "passphrase dialog")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("passphrase-dialog")).to_be_hidden()

    ready(page, site_url + SUPERVISION)
    expect(page.get_by_test_id("register-table").locator("tbody tr").first).to_be_visible(timeout=READY_MS)
    problems += axe_problems(page, "supervision with data")
    snapshots.append(snapshot(page, tmp_path, "supervision"))
    assert problems == [], "\n".join(problems)
    assert_valid_html(snapshots)
