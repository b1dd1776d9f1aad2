"""The district office's browser operations in CPython: the same functions the worker calls under
Pyodide, JSON text in and out (scorer/browser.py), on the shipped 2019 bundles."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import random
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from scorer import assessment, browser, cli, collect, office, planner, tree
from scorer.scoring import score
from scorer.standards import bundle_hash, content_hash

YEAR = tree.load("standards").current
BUNDLES = [YEAR.bundle(s) for s in YEAR.standards]
BY_ID = {b["standard"]["id"]: b for b in BUNDLES}
BUNDLES_JSON = json.dumps(BUNDLES, ensure_ascii=False)
KINDS = ["区直单位", "街道党工委", "驻区单位", "区属企业"]


def call(op, *args):
    return json.loads(getattr(browser, op)(*args))


def filed(sid, name, items=None, **extra):
    value = assessment.empty(BY_ID[sid], name)
    value["items"] = items or {}
    value.update(extra)
    return json.dumps(value, ensure_ascii=False)


def files_json(files):
    return json.dumps([{"name": n, "text": t} for n, t in files], ensure_ascii=False)


def random_files(n, seed=5):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sid = rng.choice(list(BY_ID))
        ids = sorted(assessment.item_ids(BY_ID[sid]))
        items = {k: [{"date": "2019-06-01", "count": rng.randint(1, 4)}] for k in rng.sample(ids, rng.randint(0, 10))}
        out.append((f"f{i}.json", filed(sid, f"党组织{i}", items)))
    return out


# ---------------------------------------------------------------- collect

def test_collect_rescores_every_file_and_lists_the_bad_ones():
    first = random_files(40)[0]
    files = random_files(40) + [
        ("bad.json", "{oops"),
        ("future.json", filed("dept", "区水务局党组", year=2031)),
        ("unknown.json", filed("dept", "区财政局党组", {"NOPE-1": [{"date": "2019-01-01"}]})),
        ("negative.json", filed("dept", "区司法局党组", {"POL-01a": [{"date": "2019-01-01", "count": -2}]})),
        ("dup.json", filed(json.loads(first[1])["standard"], "党组织0")),
    ]
    answer = call("collect", BUNDLES_JSON, files_json(files))
    assert answer["ok"]
    result = answer["result"]
    assert [a["id"] for a in result["areas"]] == [a["id"] for a in BUNDLES[0]["standard"]["areas"]]
    rows = {r["file"]: r for r in result["rows"]}
    for name, text in files[:40]:
        value = json.loads(text)
        expected = json.loads(json.dumps(score(BY_ID[value["standard"]], value), default=float))
        assert rows[name]["total"] == expected["total"]
        assert rows[name]["grade"] == expected["grade"]["id"]
        assert rows[name]["areas"] == {a["id"]: a["score"] for a in expected["areas"]}
    reasons = {r["file"]: " ".join(p["message"] for p in r["problems"]) for r in result["rejected"]}
    assert set(reasons) == {"bad.json", "future.json", "unknown.json", "negative.json"}
    assert "不是有效的 JSON" in reasons["bad.json"]
    assert "2031" in reasons["future.json"]
    assert "NOPE-1" in reasons["unknown.json"]
    assert "数值 -2 过小" in reasons["negative.json"]
    duplicated = [d for d in result["duplicates"] if d["organization"] == "党组织0"]
    assert duplicated and "dup.json" in duplicated[0]["files"]
    assert rows["dup.json"]["duplicate"] and rows["f0.json"].get("duplicate")
    # Each organization counted once per year and standard: 41 rows, 40 organizations.
    distinct = {(r["organization"], r["year"], r["standard"]) for r in result["rows"]}
    assert len(distinct) == len(result["rows"]) - 1
    assert sum(e["total"] for e in result["distribution"]) == len(distinct)
    assert result["weights"] and all(w["weights"] == {} for w in result["weights"])  # none in 2019


def test_files_added_in_batches_are_scored_once_and_give_the_same_result(monkeypatch):
    """The worker keeps each file's result between calls (same bundles): a second batch sends every
    file again, and only the new ones are checked and scored; duplicates are this call's own."""
    files = random_files(10, seed=9)
    dup = ("dup.json", filed(json.loads(files[0][1])["standard"], "党组织0"))
    scored = []
    real = collect._one
    monkeypatch.setattr(collect, "_one", lambda *args: scored.append(args[2]) or real(*args))
    first = call("collect", BUNDLES_JSON, files_json(files[:6] + [dup]))["result"]
    assert len(scored) == 7 and first["duplicates"] and first["rows"][0]["duplicate"]
    scored.clear()
    second = call("collect", BUNDLES_JSON, files_json(files))["result"]  # the duplicate left out
    assert scored == [n for n, _ in files[6:]]
    assert second == json.loads(json.dumps(collect.collect(BUNDLES, files) | {
        "areas": second["areas"], "weights": second["weights"]}))
    assert not second["duplicates"] and not any(r.get("duplicate") for r in second["rows"])
    scored.clear()
    other = json.dumps(BUNDLES[:1], ensure_ascii=False)  # other bundles: nothing is reused
    call("collect", other, files_json(files[:2]))
    assert scored == [n for n, _ in files[:2]]


def test_collect_refuses_malformed_arguments_with_reasons():
    answer = call("collect", "[{}]", files_json([]))
    assert not answer["ok"] and answer["problems"][0]["source"].startswith("标准数据")
    answer = call("collect", BUNDLES_JSON, json.dumps([{"name": "a.json"}, 5]))
    assert not answer["ok"] and len(answer["problems"]) == 2
    assert call("collect", BUNDLES_JSON, "{")["ok"] is False


def test_a_damaged_bundle_is_refused_by_its_hash():
    damaged = json.loads(BUNDLES_JSON)
    damaged[0]["standard"]["areas"][0]["points"] = 99
    answer = call("collect", json.dumps(damaged, ensure_ascii=False), files_json([]))
    assert not answer["ok"] and "哈希" in answer["problems"][0]["message"]


# ---------------------------------------------------------------- references

REFS_CSV = "\ufeff名称,党风廉政建设责任制考核,党委书记抓基层党建述职评议\r\n党组织1,95,88\r\n不存在的党组织,70,\r\n"


def test_references_without_weights_are_shown_but_change_nothing():
    collected = call("collect", BUNDLES_JSON, files_json(random_files(5)))["result"]
    refs = call("references", REFS_CSV)
    assert refs["ok"] and refs["result"]["columns"] == ["党风廉政建设责任制考核", "党委书记抓基层党建述职评议"]
    combined = call("combine", json.dumps(collected, ensure_ascii=False), json.dumps(refs["result"], ensure_ascii=False),
                    BUNDLES_JSON)
    assert combined["ok"]
    result = combined["result"]
    row = next(r for r in result["rows"] if r["organization"] == "党组织1")
    assert row["references"] == {"党风廉政建设责任制考核": 95, "党委书记抓基层党建述职评议": 88}
    assert all(r["combined"] is None for r in result["rows"])
    assert [r["total"] for r in result["rows"]] == [r["total"] for r in collected["rows"]]
    assert result["unmatched_references"] == ["不存在的党组织"]
    assert result["reference_columns"] == refs["result"]["columns"]


def test_references_weigh_in_where_the_year_defines_weights():
    weighted = json.loads(json.dumps(BUNDLES[0], ensure_ascii=False))
    weighted["year"]["reference_weights"] = {"党风廉政建设责任制考核": 0.2}
    weighted["hash"] = bundle_hash({"year": weighted["year"], "standard": weighted["standard"]})
    bundles = json.dumps([weighted], ensure_ascii=False)
    value = assessment.empty(weighted, "党组织1")
    value["items"] = {"POL-01a": [{"date": "2019-02-02"}]}
    collected = call("collect", bundles, files_json([("a.json", json.dumps(value, ensure_ascii=False))]))
    assert collected["ok"], collected
    total = collected["result"]["rows"][0]["total"]
    refs = call("references", REFS_CSV)["result"]
    result = call("combine", json.dumps(collected["result"], ensure_ascii=False), json.dumps(refs, ensure_ascii=False),
                  bundles)["result"]
    assert result["rows"][0]["combined"] == collect.combined(total, {"党风廉政建设责任制考核": 95},
                                                             {"党风廉政建设责任制考核": 0.2})
    assert result["weights"][0]["weights"] == {"党风廉政建设责任制考核": 0.2}


def test_bad_references_list_every_cell():
    answer = call("references", "名称,考核\n甲,abc\n乙,101\n")
    assert not answer["ok"] and [(p["line"], p["column"]) for p in answer["problems"]] == [(2, 2), (3, 2)]
    assert call("references", "")["ok"] is False
    assert call("combine", "{}", "{}", BUNDLES_JSON)["ok"] is False


# ---------------------------------------------------------------- organizations and the plan

ORGS_CSV = "名称,类别\n" + "".join(f"党组织{i:02d},{KINDS[i % 4]}\n" for i in range(25))


def test_organizations_are_read_as_the_cli_reads_them(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("\ufeff" + ORGS_CSV, encoding="utf-8")
    assert call("organizations", ORGS_CSV)["result"] == cli.read_organizations(str(path))
    assert call("organizations", "类别\n区直单位\n")["ok"] is False


def request(**changes):
    value = {"organizations": ORGS_CSV, "first": 2021, "last": 2025, "share": "25%", "inspected": "", "seed": 0}
    value.update(changes)
    return json.dumps(value, ensure_ascii=False)


def test_plan_from_csv_text_or_a_list_is_the_planners_plan():
    answer = call("plan", request())
    assert answer["ok"], answer
    result = answer["result"]
    orgs = planner.parse_organizations(ORGS_CSV)
    expected = planner.plan(orgs, 2021, 2025, "25%", [], None, 0)
    assert result["years"] == json.loads(json.dumps(expected["years"], ensure_ascii=False))
    assert result["per_year"] == 7 and result["organizations"] == 25
    assert result["command"] == "python -m scorer plan 党组织名单.csv --first 2021 --last 2025 --share 25% --seed 0 --csv"
    assert call("plan", request(organizations=orgs))["result"]["years"] == result["years"]
    assert call("plan", request(seed=9))["result"]["years"] != result["years"]


def test_plan_with_inspected_names_and_a_later_start():
    result = call("plan", request(inspected="名称\n党组织00\n党组织01\n", from_year="2023", seed="3", share="40%"))["result"]
    assert [y["year"] for y in result["years"]] == [2023, 2024, 2025]
    assert result["inspected"] == ["党组织00", "党组织01"]
    assert "--from-year 2023" in result["command"] and "--inspected 已检查名单.csv" in result["command"]
    firsts = {o["name"] for y in result["years"] for o in y["organizations"] if o["first"]}
    assert firsts == {f"党组织{i:02d}" for i in range(2, 25)}


def test_an_impossible_share_names_the_smallest_that_works():
    answer = call("plan", request(share="10%"))
    assert not answer["ok"]
    assert "最小比例为 20.0%" in answer["problems"][0]["message"]


def test_bad_plan_requests_list_every_problem():
    answer = call("plan", json.dumps({"organizations": "类别\nx\n", "first": "20x", "last": None, "share": "", "seed": -1}))
    assert not answer["ok"]
    paths = {p["path"] for p in answer["problems"]}
    assert {"/first", "/last", "/share", "/seed"} <= paths
    assert any("名称" in p["message"] for p in answer["problems"])
    answer = call("plan", request(inspected="不存在\n"))
    assert "'不存在' 不在党组织名单中" in answer["problems"][0]["message"]


def test_the_page_csv_is_the_cli_csv(tmp_path):
    """The command line the page shows, run on the two lists it offers, prints the page's plan."""
    inspected = "名称\n党组织03\n"
    result = call("plan", request(inspected=inspected, from_year=2022, seed=11))["result"]
    page_csv = call("office_csv", "plan", json.dumps(result, ensure_ascii=False))["result"]["text"]
    orgs = call("office_csv", "organizations", json.dumps({"organizations": planner.parse_organizations(ORGS_CSV)},
                                                          ensure_ascii=False))["result"]["text"]
    names = call("office_csv", "names", json.dumps({"names": result["inspected"]}, ensure_ascii=False))["result"]["text"]
    (tmp_path / office.ORGANIZATIONS_FILE).write_text(orgs, encoding="utf-8", newline="")
    (tmp_path / office.INSPECTED_FILE).write_text(names, encoding="utf-8", newline="")
    args = result["command"].split()[1:]  # "python" -> this interpreter
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, *args], cwd=tmp_path, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=root))
    assert done.returncode == 0, done.stderr
    assert page_csv.startswith("\ufeff")
    assert page_csv[1:].replace("\r\n", "\n") == done.stdout


# ---------------------------------------------------------------- exports

def combined_view():
    files = random_files(12) + [("evil.json", filed("dept", "=HYPERLINK(\"http://x\")")), ("bad.json", "[]")]
    result = call("collect", BUNDLES_JSON, files_json(files))["result"]
    refs = call("references", REFS_CSV)["result"]
    return call("combine", json.dumps(result, ensure_ascii=False), json.dumps(refs, ensure_ascii=False), BUNDLES_JSON)["result"]


def test_combined_csv_has_a_bom_one_row_per_assessment_and_no_formulas():
    view = combined_view()
    answer = call("office_csv", "combined", json.dumps(view, ensure_ascii=False))
    text = answer["result"]["text"]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    header = rows[0]
    assert header[:6] == ["党组织", "类别", "标准", "年度", "总分", "等级"]
    assert header[6:12] == [a["name"] for a in view["areas"]]
    assert "参考：党风廉政建设责任制考核" in header and "综合得分" not in header  # no weights in 2019
    assert header[-4:] == ["重复提交", "计入统计", "等级限制", "文件"]
    assert len(rows) == 1 + len(view["rows"])
    by_name = {r[0]: r for r in rows[1:]}
    for row in view["rows"]:
        assert by_name.get(row["organization"], by_name.get("'" + row["organization"]))[4] == str(row["total"])
    assert "'=HYPERLINK(\"http://x\")" in by_name
    assert by_name["党组织1"][header.index("参考：党风廉政建设责任制考核")] == "95"


def test_combined_xlsx_has_the_table_the_distribution_and_the_refused_files():
    view = combined_view()
    answer = call("office_xlsx", "combined", json.dumps(view, ensure_ascii=False))
    assert answer["ok"]
    book = load_workbook(io.BytesIO(base64.b64decode(answer["result"]["base64"])))
    assert book.sheetnames == ["汇总表", "等级分布", "问题文件"]
    table = list(book["汇总表"].iter_rows(values_only=True))
    assert len(table) == 1 + len(view["rows"])
    formula_row = next(r for r in table if str(r[0]).startswith("=HYPERLINK"))
    assert formula_row[0] == "=HYPERLINK(\"http://x\")"  # a string cell, not a formula
    assert book["汇总表"]["A2"].data_type == "s"
    refused = list(book["问题文件"].iter_rows(values_only=True))
    assert refused[1][0] == "bad.json"
    counts = list(book["等级分布"].iter_rows(values_only=True))[1:]
    assert sum(r[3] for r in counts) == len(view["rows"])


def test_records_outside_the_year_get_their_own_sheet_in_the_combined_xlsx():
    year = YEAR.year
    files = [("late.json", filed("dept", "区某局党组", {"ORG-01a": [{"date": f"{year - 1}-11-11"}]})),
             ("clean.json", filed("dept", "区另一局党组"))]
    view = call("collect", BUNDLES_JSON, files_json(files))["result"]
    view["reference_columns"] = []
    note = score(BY_ID["dept"], json.loads(files[0][1]))["notes"][0]
    assert office.notices_table(view) == [["文件", "党组织", "年度", "说明"], ["late.json", "区某局党组", year, note]]
    answer = call("office_xlsx", "combined", json.dumps(view, ensure_ascii=False))
    book = load_workbook(io.BytesIO(base64.b64decode(answer["result"]["base64"])))
    assert book.sheetnames == ["汇总表", "等级分布", "问题文件", "未计入记录"]
    assert list(book["未计入记录"].iter_rows(values_only=True))[1] == ("late.json", "区某局党组", year, note)


def test_xlsx_numbers_are_numbers_and_the_distribution_counts_each_organization_once():
    """占比 is a number with a percent format (it was the text "50.0%"); totals read back from a page's
    JSON (Decimals) are numbers; a duplicate is in 汇总表 with 计入统计 否 and not in 等级分布."""
    files = random_files(6) + [("dup.json", filed(json.loads(random_files(1)[0][1])["standard"], "党组织0",
                                                  {"POL-01a": [{"date": "2019-02-02"}]}, assessor={"date": "2019-12-31"}))]
    view = call("collect", BUNDLES_JSON, files_json(files))["result"]
    book = load_workbook(io.BytesIO(base64.b64decode(call("office_xlsx", "combined", json.dumps(view, ensure_ascii=False))["result"]["base64"])))
    sheet = book["等级分布"]
    assert [c.value for c in sheet[1]] == ["年度", "标准", "等级", "数量", "占比"]
    body = list(sheet.iter_rows(min_row=2))
    assert sum(r[3].value for r in body) == 6, "seven files, six organizations"
    for row in body:
        share = row[4]
        assert share.data_type == "n" and share.number_format == "0.0%"
        total = next(e["total"] for e in view["distribution"] if str(e["year"]) == str(row[0].value))
        assert share.value == pytest.approx(row[3].value / total)
    table = list(book["汇总表"].iter_rows(values_only=True))
    head = table[0]
    assert all(isinstance(r[head.index("总分")], (int, float)) for r in table[1:])
    counted = {r[head.index("文件")]: r[head.index("计入统计")] for r in table[1:]}
    assert counted["dup.json"] == "是" and counted["f0.json"] == "否", "the later assessor date wins"


def test_plan_xlsx_has_the_plan_and_its_settings():
    result = call("plan", request())["result"]
    answer = call("office_xlsx", "plan", json.dumps(result, ensure_ascii=False))
    book = load_workbook(io.BytesIO(base64.b64decode(answer["result"]["base64"])))
    assert book.sheetnames == ["检查计划", "参数"]
    rows = list(book["检查计划"].iter_rows(values_only=True))
    assert rows[0] == ("年度", "序号", "党组织", "类别", "检查类型")
    assert len(rows) == 1 + 5 * 7
    settings = {r[0]: r[1] for r in book["参数"].iter_rows(values_only=True)}
    assert settings["每年检查比例"] == "25%" and settings["命令行（同样的名单、参数和种子得到同样的计划）"] == result["command"]


def test_unknown_export_kinds_and_shapes_are_refused():
    assert call("office_csv", "nope", "{}")["ok"] is False
    assert call("office_xlsx", "nope", "{}")["ok"] is False
    assert call("office_csv", "combined", "{}")["ok"] is False
    assert call("office_xlsx", "plan", "[]")["ok"] is False


@pytest.mark.parametrize("module", ["office", "office_xlsx", "office_count", "office_detail"])
def test_office_modules_import_only_the_standard_library_at_module_level(module):
    """They ship in the wheel Pyodide loads; XlsxWriter is loaded only inside the export."""
    import ast

    source = open(os.path.join(os.path.dirname(browser.__file__), f"{module}.py"), encoding="utf-8").read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [] if node.level else [node.module]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names or name == "__future__", name


# ---------------------------------------------------------------- one organization's detail

def test_detail_lists_each_item_deducted_with_its_occurrences_and_agrees_with_the_table():
    """Every file of a generated collection: the detail's items are the scorer's, each with the
    occurrences the file declared (date, count, note, evidence), and its figures are the table's."""
    rng = random.Random(17)
    files = []
    for i in range(30):
        sid = rng.choice(list(BY_ID))
        ids = sorted(assessment.item_ids(BY_ID[sid]))
        items = {k: [{"date": f"2019-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "count": rng.randint(1, 3),
                      "note": f"说明{i}-{k}", "evidence": [{"file": f"证明{i}.pdf", "location": "第 2 页"}]}
                     for _ in range(rng.randint(1, 2))] for k in rng.sample(ids, rng.randint(0, 8))}
        files.append((f"f{i}.json", filed(sid, f"党组织{i}", items, assessor={"name": "张三", "date": "2019-12-30"})))
    rows = call("collect", BUNDLES_JSON, files_json(files))["result"]["rows"]
    for row in rows:
        name, text = files[row["source"]]
        assert name == row["file"]
        answer = call("office_detail", BUNDLES_JSON, json.dumps({"name": name, "text": text}, ensure_ascii=False))
        assert answer["ok"], answer
        detail = answer["result"]
        value = json.loads(text)
        expected = score(BY_ID[value["standard"]], value)
        assert (detail["total"], detail["grade_name"], detail["assessed"]) == (row["total"], row["grade_name"], "2019-12-30")
        assert {a["id"]: a["score"] for a in detail["areas"]} == row["areas"]
        deducted = {e["id"]: e for a in expected["areas"] for i in a["indicators"] for e in i["items"]}
        shown = {item["id"]: item for area in detail["areas"] for item in area["items"]}
        assert set(shown) == set(deducted)
        assert {b["id"] for b in detail["bonuses"]} == {b["id"] for b in expected["bonuses"]}
        assert [lim["id"] for lim in detail["limits"]] == expected["limits_applied"]
        for item_id, item in list(shown.items()) + [(b["id"], b) for b in detail["bonuses"]] + [(x["id"], x) for x in detail["limits"]]:
            declared = value["items"][item_id]
            assert [(o["date"], o["count"], o["note"]) for o in item["occurrences"]] == \
                [(o["date"], o["count"], o["note"]) for o in declared]
            assert all(o["evidence"] == [f"{e['file']}（第 2 页）" for e in d["evidence"]] for o, d in zip(item["occurrences"], declared))
        for item_id, item in shown.items():
            assert float(item["amount"]) == float(deducted[item_id]["amount"]) and item["count"] == deducted[item_id]["count"]


def test_detail_of_a_bad_file_is_refused_with_reasons():
    bad = call("office_detail", BUNDLES_JSON, json.dumps({"name": "x.json", "text": "{oops"}))
    assert not bad["ok"] and "不是有效的 JSON" in bad["problems"][0]["message"] and bad["problems"][0]["source"] == "x.json"
    other = call("office_detail", BUNDLES_JSON, json.dumps({"name": "y.json", "text": filed("dept", "甲", year=2031)}))
    assert not other["ok"] and "2031" in other["problems"][0]["message"]
    shape = call("office_detail", BUNDLES_JSON, "[1]")
    assert not shape["ok"] and "name 和 text" in shape["problems"][0]["message"]


def test_detail_marks_each_occurrence_the_scorer_left_out_with_its_reason(monkeypatch):
    """Occurrences the scorer did not count (its `excluded`, e.g. dated outside the year) are listed
    with the scorer's reason, and its notes come along; the others are plain."""
    from scorer import office_detail, scoring

    def scored(bundle, value, checked=False):
        result = scoring.score(bundle, value, checked)
        return dict(result, excluded=[{"id": "POL-01a", "index": 1, "date": "2018-11-11", "count": 1,
                                       "reason": "日期 2018-11-11 不在 2019 年度内，未计入得分"}],
                    notes=["有 1 条记录的日期不在 2019 年度内，未计入得分：POL-01a（2018-11-11）。"])

    monkeypatch.setattr(office_detail, "score", scored)
    text = filed("dept", "甲", {"POL-01a": [{"date": "2019-03-01"}, {"date": "2018-11-11"}]})
    detail = office_detail.detail(BUNDLES, "a.json", text)
    item = next(i for a in detail["areas"] for i in a["items"] if i["id"] == "POL-01a")
    assert [o["left_out"] for o in item["occurrences"]] == ["", "日期 2018-11-11 不在 2019 年度内，未计入得分"]
    assert detail["notes"] == ["有 1 条记录的日期不在 2019 年度内，未计入得分：POL-01a（2018-11-11）。"]
