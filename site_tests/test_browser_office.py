"""The district office's pages in a real Chromium: many self-assessments imported at once are checked
and rescored by the worker exactly as CPython scores them, bad files are listed with every reason,
duplicates are flagged, the table sorts and filters, the heatmap and the distribution follow it,
exports download and open; the inspection plan is the planner's, exports, and says the smallest share
that works. Nothing leaves 127.0.0.1, the pages work offline after a visit, and nothing scrolls
sideways at 375 px.

Fixtures from conftest.py: `built_site`, `site_url`, `artifacts_dir` and Debian's Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, office_count, planner, scoring, tree
from site_tests import gates

pytestmark = pytest.mark.browser

READY_MS = 60000
SHIPPED = tree.load("standards")
YEAR = SHIPPED.current.year
BUNDLES = {sid: SHIPPED.current.bundle(sid).to_json() for sid in SHIPPED.current.standards}
TITLES = {sid: b["standard"]["short_title"] for sid, b in BUNDLES.items()}
AREAS = [a["id"] for a in BUNDLES["dept"]["standard"]["areas"]]
SEED = 20191231
GOOD = 24
KINDS = ["区直单位", "街道党工委", "驻区单位", "区属企业"]


# ---------------------------------------------------------------- files

def _good_files(n: int = GOOD, seed: int = SEED) -> list:
    """(file name, assessment) pairs over the shipped bundles: blank assessments with random items."""
    rng = random.Random(seed)
    out = []
    sids = list(BUNDLES)
    for i in range(n):
        bundle = BUNDLES[sids[i % len(sids)]]
        value = assessment.empty(bundle, organization=f"光明区测试党组织{i:02d}")
        value["organization"]["kind"] = rng.choice(bundle["standard"]["organization_kinds"])
        ids = sorted(assessment.item_ids(bundle))
        for item_id in rng.sample(ids, rng.randint(0, 14)):
            value["items"][item_id] = [{"date": f"{YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                        "count": rng.choice([1, 1, 2, 3, 5])}]
        out.append((f"自评_{i:02d}.json", value))
    return out


def _bad(**changes) -> str:
    value = assessment.empty(BUNDLES["dept"], organization="有问题的党组织")
    value["items"] = {"POL-01a": [{"date": f"{YEAR}-01-01"}]}
    value.update(changes)
    return json.dumps(value, ensure_ascii=False)


GOOD_FILES = _good_files()
DUPLICATE = ("重复提交.json", dict(GOOD_FILES[0][1], assessor={"name": "另一位自评人"}))
BAD_FILES = {
    "not-json.json": ("{这不是 JSON", ["不是有效的 JSON"]),
    "other-year.json": (_bad(year=YEAR + 12), [f"没有 {YEAR + 12} 年度的标准"]),
    "unknown-id.json": (_bad(items={"XYZ-99": [{"date": f"{YEAR}-02-02"}]}), ["XYZ-99", "未知的扣分项"]),
    "negative.json": (_bad(items={"POL-01a": [{"date": f"{YEAR}-03-03", "count": -2}]}), ["POL-01a 第 1 次记录的次数", "数值 -2 过小"]),
}


def _payload(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}


def all_payloads() -> list:
    files = [_payload(n, json.dumps(v, ensure_ascii=False, indent=2)) for n, v in GOOD_FILES]
    files.append(_payload(DUPLICATE[0], json.dumps(DUPLICATE[1], ensure_ascii=False)))
    files += [_payload(n, text) for n, (text, _) in BAD_FILES.items()]
    return files


def expected_rows() -> dict:
    """file name -> CPython's score of it (every good file and the duplicate)."""
    out = {}
    for name, value in GOOD_FILES + [DUPLICATE]:
        result = scoring.score(BUNDLES[value["standard"]], value)
        out[name] = json.loads(json.dumps(result, ensure_ascii=False))
    return out


def shown(number) -> str:
    """A number as the page shows it (JavaScript's String(n) of the scorer's JSON number)."""
    return str(number)


# ---------------------------------------------------------------- helpers

@pytest.fixture
def no_other_origin(page: Page):
    """Abort and record every request that is not to 127.0.0.1; the test fails if there was one."""
    local = gates.LocalOnly(page)
    yield local.blocked
    local.assert_local()


def full_page(page: Page, path: Path) -> None:
    """A full-page screenshot with the heatmap drawn (it is drawn only near the viewport otherwise)."""
    page.evaluate("document.querySelectorAll('#gmo-heatmap').forEach((e) => { e.style.contentVisibility = 'visible'; })")
    page.screenshot(path=str(path), full_page=True)


def open_office(page: Page, site_url: str, path: str = "office/") -> None:
    page.goto(site_url + path)
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)


def import_files(page: Page, files: list, renders: int = 1) -> None:
    page.get_by_test_id("office-files").set_input_files(files)
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", str(renders), timeout=READY_MS)


def table_rows(page: Page) -> list:
    """The table as the page shows it: {column key: cell text} per row, plus the row's file and class."""
    return page.evaluate("""() => {
        const table = document.querySelector('[data-testid="office-table"]');
        const keys = Array.from(table.querySelectorAll('thead th'), (th) => th.dataset.column);
        return Array.from(table.querySelectorAll('tbody tr'), (tr) => {
            const row = {_file: tr.dataset.file, _dup: tr.classList.contains('gmo-row--dup')};
            Array.from(tr.children).forEach((cell, i) => { row[keys[i]] = cell.textContent; });
            return row;
        });
    }""")


def header(page: Page, label: str):
    return page.locator('[data-testid="office-table"] thead th', has=page.locator("button", has_text=label)).first


# ---------------------------------------------------------------- collect and review

def test_import_rescores_lists_bad_files_and_flags_the_duplicate(page: Page, site_url, artifacts_dir, no_other_origin):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_office(page, site_url)
    expect(page.locator("#gmo-results")).to_be_hidden()
    import_files(page, all_payloads())

    expected = expected_rows()
    rows = table_rows(page)
    assert sorted(r["_file"] for r in rows) == sorted(expected)
    for row in rows:
        result = expected[row["_file"]]
        assert row["total"] == shown(result["total"]), row["_file"]
        assert row["grade"] == result["grade"]["name"], row["_file"]
        assert row["standard"] == TITLES[result["standard"]]
        assert row["year"] == str(YEAR)
        for area in result["areas"]:
            assert row[f"area:{area['id']}"] == shown(area["score"]), (row["_file"], area["id"])

    # Every bad file, with its reasons.
    rejected = page.get_by_test_id("rejected")
    for name, (_, reasons) in BAD_FILES.items():
        entry = rejected.locator(f'li[data-file="{name}"]')
        expect(entry).to_have_count(1)
        for reason in reasons:
            expect(entry).to_contain_text(reason)
    expect(rejected).to_contain_text(f"以下 {len(BAD_FILES)} 个文件有问题")

    # The duplicate: flagged in the table and in a notice naming both files.
    first, duplicate = GOOD_FILES[0][0], DUPLICATE[0]
    flagged = {r["_file"] for r in rows if r["_dup"]}
    assert flagged == {first, duplicate}
    assert all(r["note"].startswith("重复提交") for r in rows if r["_dup"])
    assert {r["_file"]: r["note"].split("；")[0] for r in rows if r["_dup"]} == {
        first: "重复提交（未计入统计）", duplicate: "重复提交（计入统计）"}
    assert not any("重复提交" in r["note"] for r in rows if not r["_dup"])
    # A grade lowered by a grade-limit situation says so, with the limit's id.
    for row in rows:
        limits = expected[row["_file"]]["limits_applied"]
        assert (f"等级限制：{'、'.join(limits)}" in row["note"]) == bool(limits), row["_file"]
    assert any(expected[r]["limits_applied"] for r in expected), "the generated files reach a grade limit"
    notice = page.get_by_test_id("duplicates")
    expect(notice).to_contain_text(GOOD_FILES[0][1]["organization"]["name"])
    expect(notice).to_contain_text(first)
    expect(notice).to_contain_text(duplicate)
    expect(notice).to_contain_text(f"计入统计的是 {duplicate}")
    expect(page.get_by_test_id("count-rule")).to_contain_text(office_count.RULE)
    expect(page.get_by_test_id("import-summary")).to_have_text(
        f"已导入 {len(all_payloads())} 个文件：{len(expected)} 个有效，{len(BAD_FILES)} 个有问题（见下方列表）；1 个党组织重复提交。")

    # The heatmap has one row per organization shown, each with a cell (and its number) per area.
    heat = page.get_by_test_id("heatmap")
    expect(heat.locator("g.gmo-heat-row")).to_have_count(len(rows))
    expect(heat.locator("rect.gmo-cell")).to_have_count(len(rows) * len(AREAS))
    first_row = heat.locator('g.gmo-heat-row[data-row="0"] text.gmo-cell-text')
    expect(first_row).to_have_text([rows[0][f"area:{a}"] for a in AREAS])
    expect(page.locator(".gmo-legend")).to_contain_text("90% 及以上")

    # The distribution: counts per grade per standard, as a table and as labelled bars; each
    # organization once (the duplicate's later file name is counted, office_count.RULE).
    dist = page.get_by_test_id("distribution")
    counted = {name: result for name, result in expected.items() if name != first}
    for sid in BUNDLES:
        mine = [r for r in counted.values() if r["standard"] == sid]
        block = dist.locator(f'figure[data-standard="{sid}"]')
        expect(block.locator("figcaption")).to_contain_text(f"共 {len(mine)} 个")
        for grade in BUNDLES[sid]["year"]["grades"]:
            count = sum(r["grade"]["id"] == grade["id"] for r in mine)
            cell = block.locator("tbody tr", has=page.get_by_text(grade["name"], exact=True)).locator("td").first
            expect(cell).to_have_text(str(count))
            expect(block.locator(f'svg g[data-grade="{grade["id"]}"] .gmo-bar-value')).to_contain_text(f"{count}（")

    # 2019 defines no reference weights: the page says so once files are in.
    expect(page.get_by_test_id("weights-note")).to_contain_text(f"{YEAR} 年度设置中未规定参考评议结果的权重")
    full_page(page, artifacts_dir / "office-1280.png")
    page.get_by_test_id("heatmap").screenshot(path=str(artifacts_dir / "office-heatmap.png"))
    page.get_by_test_id("distribution").screenshot(path=str(artifacts_dir / "office-distribution.png"))


def test_sorting_filtering_and_adding_more_files(page: Page, site_url, no_other_origin):
    open_office(page, site_url)
    import_files(page, all_payloads()[:12])

    total = header(page, "总分")
    expect(total).to_have_attribute("aria-sort", "none")
    total.locator("button").click()
    expect(total).to_have_attribute("aria-sort", "descending")
    values = [float(r["total"]) for r in table_rows(page)]
    assert values == sorted(values, reverse=True) and len(set(values)) > 1
    total.locator("button").click()
    expect(total).to_have_attribute("aria-sort", "ascending")
    values = [float(r["total"]) for r in table_rows(page)]
    assert values == sorted(values)
    heat_first = page.locator('[data-testid="heatmap"] g.gmo-heat-row[data-row="0"] title')
    expect(heat_first).to_contain_text(f"总分 {table_rows(page)[0]['total']}")  # the heatmap follows the order

    # Keyboard: headers are buttons; Enter sorts.
    name = header(page, "党组织")
    name.locator("button").focus()
    page.keyboard.press("Enter")
    expect(name).to_have_attribute("aria-sort", "ascending")
    expect(total).to_have_attribute("aria-sort", "none")
    names = [r["organization"] for r in table_rows(page)]
    assert names == sorted(names)

    # Filters: by standard (kind of organization) and by year.
    page.get_by_test_id("filter-standard").select_option("street")
    rows = table_rows(page)
    assert rows and {r["standard"] for r in rows} == {TITLES["street"]}
    expect(page.locator("#gmo-shown")).to_contain_text(f"显示 {len(rows)} 行")
    expect(page.locator('[data-testid="heatmap"] g.gmo-heat-row')).to_have_count(len(rows))
    expect(page.locator('[data-testid="distribution"] figure')).to_have_count(1)
    page.get_by_test_id("filter-year").select_option(str(YEAR))
    assert len(table_rows(page)) == len(rows)
    page.get_by_test_id("filter-standard").select_option("")
    before = len(table_rows(page))

    # A second batch adds to the first; the same file again is skipped.
    import_files(page, all_payloads()[12:20] + all_payloads()[:1], renders=2)
    assert len(table_rows(page)) == before + 8
    expect(page.get_by_test_id("import-summary")).to_contain_text("另有 1 个文件与已导入的文件完全相同，已跳过")
    expect(name).to_have_attribute("aria-sort", "ascending")  # the order is kept


def test_csv_and_xlsx_exports_download_and_open(page: Page, site_url, no_other_origin):
    open_office(page, site_url)
    import_files(page, all_payloads())
    page.get_by_test_id("filter-standard").select_option("dept")
    header(page, "总分").locator("button").click()
    rows = table_rows(page)

    with page.expect_download(timeout=60000) as download:
        page.click('#gmo-results [data-action="export-csv"]')
    assert download.value.suggested_filename == f"自评结果汇总_{TITLES['dept']}.csv"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    head, body = table[0], table[1:]
    assert head[:6] == ["党组织", "类别", "标准", "年度", "总分", "等级"]
    assert [r[head.index("文件")] for r in body] == [r["_file"] for r in rows], "the filter and order as shown"
    assert [r[head.index("总分")] for r in body] == [r["total"] for r in rows]
    assert {r[head.index("重复提交")] for r in body if r[head.index("文件")] == DUPLICATE[0]} == {"是"}

    with page.expect_download(timeout=60000) as download:
        page.click('#gmo-results [data-action="export-xlsx"]')
    assert download.value.suggested_filename.endswith(".xlsx")
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = book.read("xl/workbook.xml").decode("utf-8")
    assert re.findall(r'<sheet name="([^"]+)"', xml) == ["汇总表", "等级分布", "问题文件"]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = list(workbook["汇总表"].iter_rows(values_only=True))
    assert len(sheet) == 1 + len(rows)
    assert [str(r[4]) for r in sheet[1:]] == [r["total"] for r in rows]
    refused = {r[0] for r in list(workbook["问题文件"].iter_rows(values_only=True))[1:]}
    assert refused == set(BAD_FILES)


def test_reference_results_are_shown_beside_the_score_and_change_nothing_in_2019(page: Page, site_url, no_other_origin):
    open_office(page, site_url)
    import_files(page, all_payloads()[:6])
    before = {r["_file"]: r["total"] for r in table_rows(page)}
    names = [GOOD_FILES[i][1]["organization"]["name"] for i in range(3)]
    refs = "名称,党风廉政建设责任制考核,党委书记抓基层党建述职评议\n" + "".join(f"{n},9{i},8{i}\n" for i, n in enumerate(names))
    refs += "不在名单中的党组织,70,70\n"
    page.get_by_test_id("references-file").set_input_files(
        {"name": "评议结果.csv", "mimeType": "text/csv", "buffer": ("\ufeff" + refs).encode("utf-8")})
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", "2", timeout=READY_MS)
    rows = table_rows(page)
    by_name = {r["organization"]: r for r in rows}
    assert by_name[names[1]]["ref:党风廉政建设责任制考核"] == "91"
    assert by_name[names[2]]["ref:党委书记抓基层党建述职评议"] == "82"
    assert {r["_file"]: r["total"] for r in rows} == before, "no weights in 2019: the scores stay"
    assert "combined" not in rows[0]
    expect(page.locator("#gmo-refs-notices")).to_contain_text("不在名单中的党组织")
    expect(page.get_by_test_id("weights-note")).to_contain_text("参考结果只在汇总表中对照显示，不改变得分和等级")

    # A bad CSV is refused with every bad cell.
    page.get_by_test_id("references-file").set_input_files(
        {"name": "错误.csv", "mimeType": "text/csv", "buffer": "名称,考核\n甲,abc\n乙,120\n".encode("utf-8")})
    notice = page.locator("#gmo-refs-notices")
    expect(notice).to_contain_text("未导入“错误.csv”")
    expect(notice).to_contain_text("第 2 行第 2 列")
    expect(notice).to_contain_text("第 3 行第 2 列")

    page.click('[data-action="remove-references"]')
    expect(page.locator('[data-testid="office-table"] thead th[data-column^="ref:"]')).to_have_count(0)


def test_files_dropped_on_the_drop_zone_are_imported(page: Page, site_url, no_other_origin):
    open_office(page, site_url)
    texts = [(n, json.dumps(v, ensure_ascii=False)) for n, v in GOOD_FILES[:3]] + [("坏.json", "{")]
    transfer = page.evaluate_handle("""(files) => {
        const data = new DataTransfer();
        for (const [name, text] of files) data.items.add(new File([text], name, { type: "application/json" }));
        return data;
    }""", texts)
    zone = page.get_by_test_id("drop-zone")
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile("gmo-drop--over"))
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", "1", timeout=READY_MS)
    assert sorted(r["_file"] for r in table_rows(page)) == sorted(n for n, _ in texts[:3])
    expect(page.get_by_test_id("rejected")).to_contain_text("坏.json")
    expect(zone).not_to_have_class(re.compile("gmo-drop--over"))


def test_text_from_files_is_shown_as_text(page: Page, site_url, no_other_origin):
    """Organization names, file names and the scorer's messages go in with textContent, never as HTML."""
    xss = "<img src=x onerror=alert(1)>"
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_office(page, site_url)
    named = dict(GOOD_FILES[2][1], organization={"name": f"{xss}党组织"})
    import_files(page, [_payload(f"{xss}.json", json.dumps(named, ensure_ascii=False)), _payload(f"{xss}坏.json", "{")])
    rows = table_rows(page)
    assert rows[0]["organization"] == f"{xss}党组织" and rows[0]["file"] == f"{xss}.json"
    expect(page.get_by_test_id("rejected")).to_contain_text(f"{xss}坏.json")
    expect(page.get_by_test_id("heatmap").locator("text.gmo-heat-label").first).to_contain_text("<img")
    assert page.locator("#gm-office img").count() == 0 and dialogs == []


def test_records_dated_outside_the_year_are_noted_in_the_office_notices(page: Page, site_url, no_other_origin):
    """The office shows the scorer's own note for a file whose records of another year were not counted,
    and the row's figures are CPython's (the record costs nothing)."""
    open_office(page, site_url)
    late = assessment.empty(BUNDLES["dept"], organization="区某局党组")
    late["items"] = {"ORG-01a": [{"date": f"{YEAR - 1}-11-11"}], "POL-01a": [{"date": f"{YEAR}-02-02"}]}
    expected = scoring.score(BUNDLES["dept"], late)
    assert expected["notes"] and expected["excluded"]
    import_files(page, [_payload("late.json", json.dumps(late, ensure_ascii=False)),
                        _payload(GOOD_FILES[1][0], json.dumps(GOOD_FILES[1][1], ensure_ascii=False))])
    box = page.get_by_test_id("score-notices")
    expect(box).to_contain_text("1 个文件中有记录未计入得分")
    expect(box).to_contain_text(f"区某局党组（late.json）：{expected['notes'][0]}")
    row = next(r for r in table_rows(page) if r["file"] == "late.json")
    assert row["total"] == shown(expected["total"]) and "有记录未计入" in row["note"]


# ---------------------------------------------------------------- the plan

ORGS = [{"name": f"光明区党组织{i:02d}", "kind": KINDS[i % 4]} for i in range(25)]
ORGS_CSV = "名称,类别\n" + "".join(f"{o['name']},{o['kind']}\n" for o in ORGS)


def fill_plan(page: Page, share: str = "25%", first: int = 2021, last: int = 2025, seed: int | None = None):
    page.get_by_test_id("organizations").fill(ORGS_CSV)
    expect(page.get_by_test_id("organizations-status")).to_contain_text("已识别 25 个党组织")
    page.get_by_test_id("first").fill(str(first))
    page.get_by_test_id("last").fill(str(last))
    page.get_by_test_id("share").fill(share)
    if seed is not None:
        page.get_by_test_id("seed").fill(str(seed))


def plan_rows(page: Page) -> list:
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="plan-table"] tbody tr'),
        (tr) => Array.from(tr.children, (c) => c.textContent))""")


def expected_plan_rows(result: dict) -> list:
    return [[str(y["year"]), str(i), o["name"], o["kind"], o["inspection"]]
            for y in result["years"] for i, o in enumerate(y["organizations"], start=1)]


def test_plan_a_term_export_it_and_reseed(page: Page, site_url, artifacts_dir, no_other_origin):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_office(page, site_url, "office/plan/")
    fill_plan(page)
    page.get_by_test_id("make-plan").click()
    expected = planner.plan(ORGS, 2021, 2025, "25%", [], None, 0)
    expect(page.get_by_test_id("plan-table").locator("tbody tr")).to_have_count(5 * 7)
    assert plan_rows(page) == expected_plan_rows(expected)
    expect(page.get_by_test_id("plan-summary")).to_contain_text("每年检查 7 个党组织（比例 25%，共 25 个），随机种子 0")
    expect(page.get_by_test_id("plan-table")).to_contain_text("复查")  # 35 places for 25 organizations
    expect(page.get_by_test_id("plan-summary")).to_contain_text(expected["review_note"])
    expect(page.get_by_test_id("cli-command")).to_have_text(
        "python -m scorer plan 党组织名单.csv --first 2021 --last 2025 --share 25% --seed 0 --csv")
    page.screenshot(path=str(artifacts_dir / "plan-1280.png"), full_page=True)

    with page.expect_download(timeout=60000) as download:
        page.click('#gmo-plan-result [data-action="export-csv"]')
    assert download.value.suggested_filename == "监督检查计划_2021-2025_种子0.csv"
    text = Path(download.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [[str(c) for c in r] for r in planner.csv_rows(expected)]

    with page.expect_download(timeout=60000) as download:
        page.click('#gmo-plan-result [data-action="export-xlsx"]')
    with zipfile.ZipFile(download.value.path()) as book:
        xml = book.read("xl/workbook.xml").decode("utf-8")
    assert re.findall(r'<sheet name="([^"]+)"', xml) == ["检查计划", "参数"]

    with page.expect_download(timeout=60000) as download:
        page.click('[data-action="download-organizations"]')
    listed = Path(download.value.path()).read_text("utf-8-sig")
    assert planner.parse_organizations(listed) == ORGS

    page.get_by_test_id("reseed").click()
    expect(page.get_by_test_id("plan-summary")).to_contain_text("已换用新的随机种子")
    new_seed = int(page.get_by_test_id("seed").input_value())
    assert new_seed != 0
    expect(page.get_by_test_id("plan-summary")).to_contain_text(f"随机种子 {new_seed}。")
    expect(page.get_by_test_id("cli-command")).to_contain_text(f"--seed {new_seed}")
    assert plan_rows(page) == expected_plan_rows(planner.plan(ORGS, 2021, 2025, "25%", [], None, new_seed))


def test_an_impossible_share_names_the_smallest_that_works(page: Page, site_url, no_other_origin):
    open_office(page, site_url, "office/plan/")
    fill_plan(page, share="10%")
    page.get_by_test_id("make-plan").click()
    alert = page.locator("#gmo-plan-alert")
    expect(alert).to_contain_text("最小比例为 20.0%")
    expect(page.locator("#gmo-plan-result")).to_be_hidden()
    alert.locator('[data-action="use-smallest"]').click()
    expect(page.get_by_test_id("share")).to_have_value("20.0%")
    expect(page.get_by_test_id("plan-table").locator("tbody tr")).to_have_count(5 * 5)
    expect(alert).to_be_hidden()


def test_plan_from_a_later_year_with_organizations_already_inspected(page: Page, site_url, no_other_origin):
    open_office(page, site_url, "office/plan/")
    fill_plan(page, share="40%", seed=7)
    page.get_by_test_id("from-year").fill("2023")
    page.locator("#gmo-choose summary").click()
    for org in ORGS[:2]:
        page.get_by_label(f"{org['name']}（{org['kind']}）").check()
    expect(page.get_by_test_id("inspected")).to_have_value(f"{ORGS[0]['name']}\n{ORGS[1]['name']}\n")
    page.get_by_test_id("make-plan").click()
    expected = planner.plan(ORGS, 2021, 2025, "40%", [ORGS[0]["name"], ORGS[1]["name"]], 2023, 7)
    expect(page.get_by_test_id("plan-table").locator("tbody tr")).to_have_count(3 * 10)
    assert plan_rows(page) == expected_plan_rows(expected)
    expect(page.get_by_test_id("cli-command")).to_have_text(
        "python -m scorer plan 党组织名单.csv --first 2021 --last 2025 --share 40% --from-year 2023 "
        "--inspected 已检查名单.csv --seed 7 --csv")
    with page.expect_download(timeout=60000) as download:
        page.click('[data-action="download-inspected"]')
    assert planner.parse_names(Path(download.value.path()).read_text("utf-8-sig")) == [o["name"] for o in ORGS[:2]]


def test_the_plan_can_take_the_organizations_loaded_on_the_collection_page(page: Page, site_url, no_other_origin):
    open_office(page, site_url)
    import_files(page, all_payloads())
    page.click('[data-action="to-plan"]')
    expect(page).to_have_url(site_url + "office/plan/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    names = {v["organization"]["name"] for _, v in GOOD_FILES}
    button = page.get_by_test_id("from-collect")
    expect(button).to_have_text(f"使用汇总页已导入的 {len(names)} 个党组织")
    button.click()
    expect(page.get_by_test_id("organizations-status")).to_contain_text(f"已识别 {len(names)} 个党组织")
    listed = planner.parse_organizations(page.get_by_test_id("organizations").input_value())
    assert {o["name"] for o in listed} == names
    kinds = {v["organization"]["name"]: v["organization"]["kind"] for _, v in GOOD_FILES}
    assert all(o["kind"] == kinds[o["name"]] for o in listed)


# ---------------------------------------------------------------- offline, narrow screens

def test_after_a_visit_the_office_pages_work_offline(page: Page, site_url):
    """The assessment's service worker stores the runtime, the data and every page that runs the
    scorer: after one visit to the office page, both office pages work offline, the planner included,
    though it was never opened."""
    open_office(page, site_url)
    expect(page.get_by_test_id("scorer-status")).to_contain_text("本页已可离线使用", timeout=READY_MS)
    page.context.set_offline(True)
    try:
        open_office(page, site_url)
        import_files(page, all_payloads())
        assert len(table_rows(page)) == len(expected_rows())
        with page.expect_download(timeout=60000) as download:
            page.click('#gmo-results [data-action="export-xlsx"]')
        assert zipfile.is_zipfile(download.value.path())
        open_office(page, site_url, "office/plan/")
        fill_plan(page)
        page.get_by_test_id("make-plan").click()
        expect(page.get_by_test_id("plan-table").locator("tbody tr")).to_have_count(35)
    finally:
        page.context.set_offline(False)


@pytest.mark.parametrize("path", ["office/", "office/plan/"])
def test_a_scorer_that_cannot_start_is_reported_and_the_page_stays_readable(page: Page, site_url, path):
    page.route("**/assets/javascripts/scorer-worker.mjs", lambda r: r.abort())
    page.goto(site_url + path)
    status = page.get_by_test_id("scorer-status")
    expect(status).to_have_attribute("data-state", "error", timeout=READY_MS)
    expect(status).to_contain_text("评分程序无法启动")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".gmo-privacy")).to_contain_text("数据只在本机浏览器中处理")


def test_no_horizontal_scrolling_at_375_px(page: Page, site_url, artifacts_dir):
    page.set_viewport_size({"width": 375, "height": 800})
    open_office(page, site_url)
    long_name = dict(GOOD_FILES[1][1], organization={"name": "中共深圳市光明区某某局机关委员会（很长很长的党组织名称用来检查换行）"})
    import_files(page, all_payloads() + [_payload("很长的名称.json", json.dumps(long_name, ensure_ascii=False))])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    full_page(page, artifacts_dir / "office-375.png")
    page.evaluate("document.getElementById('gmo-table-title').scrollIntoView(); window.scrollBy(0, -60)")
    page.screenshot(path=str(artifacts_dir / "office-375-table.png"))
    page.evaluate("document.getElementById('gmo-heat-title').scrollIntoView(); window.scrollBy(0, -60)")
    # content-visibility: auto draws the heatmap once it is near the viewport: a frame or two later.
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300))))")
    expect(page.locator('[data-testid="heatmap"] text.gmo-heat-label').first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "office-375-heatmap.png"))
    open_office(page, site_url, "office/plan/")
    fill_plan(page)
    page.get_by_test_id("make-plan").click()
    expect(page.get_by_test_id("plan-table").locator("tbody tr")).to_have_count(35)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(artifacts_dir / "plan-375.png"), full_page=True)


# ---------------------------------------------------------------- one organization's detail, fit, names

NEAR_NAMES = ["光明区发展和改革局党组", "光明区工业和信息化局党组", "光明区住房和建设局党组", "光明区科技创新局党组"]
LONG_FILE = "光明区某某单位2019年度落实全面从严治党主体责任自评_最终版.json"


def _detailed() -> dict:
    """An assessment with notes, evidence and an assessor's date: what the detail view must show."""
    value = assessment.empty(BUNDLES["dept"], organization="光明区详情测试党组")
    value["organization"]["kind"] = "区直单位"
    value["assessor"] = {"name": "张三", "date": f"{YEAR}-12-28"}
    value["items"] = {
        "POL-01a": [{"date": f"{YEAR}-03-01", "count": 2, "note": "未及时传达<b>学习</b>", "evidence": [{"file": "会议记录.pdf", "location": "第 3 页"}]},
                    {"date": f"{YEAR}-05-09", "note": "第二次"}],
        "ORG-01a": [{"date": f"{YEAR}-09-03"}],
    }
    return value


def near_payloads() -> list:
    files = [_payload(f"{i}_{LONG_FILE}", json.dumps(dict(GOOD_FILES[i + 2][1], organization={"name": name}), ensure_ascii=False))
             for i, name in enumerate(NEAR_NAMES)]
    return files + [_payload("详情.json", json.dumps(_detailed(), ensure_ascii=False))]


def test_detail_view_by_keyboard_table_fits_and_prints_alone(page: Page, site_url, artifacts_dir, no_other_origin):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_office(page, site_url)
    import_files(page, all_payloads() + near_payloads())

    # The table fits its box at 1280 px (it was 1635 px wide in 1150); long file names are cut in
    # the middle to two lines at most, with the full name as accessible text and tooltip.
    fit = page.evaluate("""() => { const box = document.getElementById('gmo-table-box');
        return {box: box.clientWidth, table: box.scrollWidth}; }""")
    assert fit["table"] <= fit["box"], fit
    cells = page.locator('[data-testid="office-table"] td[data-column="file"]')
    long_cells = [c for c in cells.all() if LONG_FILE in (c.get_attribute("title") or "")]
    assert len(long_cells) == len(NEAR_NAMES)
    for cell in long_cells:
        full = cell.get_attribute("title")
        assert cell.locator(".gmo-visually-hidden").text_content() == full
        assert cell.text_content() == full, "the cell's text is the whole name"
        cut = cell.locator('[aria-hidden="true"]')
        drawn = cut.evaluate("(e) => getComputedStyle(e, '::before').content.slice(1, -1)")
        assert "…" in drawn and len(drawn) <= 12 and drawn == cut.get_attribute("data-short")
        lines = cut.evaluate("(e) => e.getClientRects().length")
        assert 1 <= lines <= 2, lines
    page.evaluate("document.getElementById('gmo-table-title').scrollIntoView()")
    page.screenshot(path=str(artifacts_dir / "office-table-1280.png"))

    # The detail, by keyboard alone: the row's button, Enter, read, Escape, back on the button.
    button = page.locator('[data-testid="office-table"] tr[data-file="详情.json"] button[data-detail]')
    expect(button).to_have_accessible_name(re.compile("查看详情：光明区详情测试党组"))
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("detail")
    expect(dialog).to_be_visible(timeout=READY_MS)
    expect(dialog.locator("h2")).to_have_text("扣分详情：光明区详情测试党组")
    value = _detailed()
    expected = scoring.score(BUNDLES["dept"], value)
    deducted = {e["id"]: e for a in expected["areas"] for i in a["indicators"] for e in i["items"]}
    body = page.get_by_test_id("detail-body")
    expect(body.locator("li.gmo-detail-item")).to_have_count(len(deducted) + len(expected["bonuses"]) + len(expected["limits_applied"]))
    for item_id, entry in deducted.items():
        item = body.locator(f'li[data-item="{item_id}"]')
        expect(item).to_contain_text(entry["text"])
        expect(item.locator(".gmo-detail-sum")).to_contain_text(f"发生 {entry['count']} 次")
        expect(item.locator(".gmo-detail-sum")).to_contain_text(f"扣 {shown(entry['amount'])} 分")
        expect(item.locator(".gmo-detail-occurrences li")).to_have_count(len(value["items"][item_id]))
    pol = body.locator('li[data-item="POL-01a"]')
    expect(pol).to_contain_text("说明：未及时传达<b>学习</b>")  # text, never markup
    expect(pol).to_contain_text("佐证材料：会议记录.pdf（存放于：第 3 页）")
    expect(pol).to_contain_text(f"{YEAR}-03-01 · 2 次")
    expect(body.locator(".gmo-detail-facts")).to_contain_text(f"{YEAR}-12-28")
    expect(body.locator(".gmo-detail-facts")).to_contain_text(f"{shown(expected['total'])}（基本分")
    page.screenshot(path=str(artifacts_dir / "office-detail-1280.png"))

    # Printed alone: nothing of the page around it, nothing cut off on A4.
    assert gates.paper_problems(page, "office detail") == []
    page.emulate_media(media="print")
    assert page.locator("#gmo-table-box").is_hidden() and page.locator("h1").is_hidden()
    expect(body).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "office-detail-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.closest('tr') && document.activeElement.closest('tr').dataset.file") == "详情.json"

    # The close button works too, and a sorted (redrawn) table still gets focus back.
    header(page, "总分").locator("button").click()
    page.locator('[data-testid="office-table"] tr[data-file="详情.json"] button[data-detail]').click()
    expect(dialog).to_be_visible(timeout=READY_MS)
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.detail") is not None


def test_heatmap_names_are_distinguishable_at_375_px(page: Page, site_url, artifacts_dir, no_other_origin):
    page.set_viewport_size({"width": 375, "height": 800})
    open_office(page, site_url)
    import_files(page, all_payloads() + near_payloads())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="heatmap"] g.gmo-heat-row'), (g) => ({
        title: g.querySelector('title').textContent,
        lines: Array.from(g.querySelectorAll('text.gmo-heat-label tspan'), (t) => t.textContent)}))""")
    by_label = {}
    for entry in labels:
        by_label.setdefault("\n".join(entry["lines"]), set()).add(entry["title"].rsplit("（" + str(YEAR), 1)[0])
    assert all(len(names) == 1 for names in by_label.values()), by_label
    for name in NEAR_NAMES:  # were all "光明区…局党组"
        assert any("".join(e["lines"]) == name for e in labels), name
    page.evaluate("document.getElementById('gmo-heat-title').scrollIntoView(); window.scrollBy(0, -60)")
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300))))")
    page.evaluate("(() => { const box = document.getElementById('gmo-heatmap'); box.scrollTop = box.scrollHeight; box.scrollLeft = 0; })()")
    page.get_by_test_id("heatmap").screenshot(path=str(artifacts_dir / "office-375-heatmap-names.png"))

    # The detail on a phone: no sideways scrolling, its content wraps.
    page.locator('[data-testid="office-table"] tr[data-file="详情.json"] button[data-detail]').click()
    expect(page.get_by_test_id("detail")).to_be_visible(timeout=READY_MS)
    assert gates.narrow_problems(page, "office detail") == []
    page.screenshot(path=str(artifacts_dir / "office-detail-375.png"))
