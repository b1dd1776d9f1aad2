"""The .xlsx report in CPython: three named sheets holding the summary, the receipt and every
occurrence, read back with openpyxl; the browser operation wraps the same bytes in base64."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from scorer import assessment, browser, report_xlsx, scoring, tree
from scorer.errors import InvalidInput

BUNDLE = tree.load("standards").year(2019).bundle("dept").to_json()
BUNDLE_JSON = json.dumps(BUNDLE, ensure_ascii=False)


def filled() -> dict:
    value = assessment.empty(BUNDLE, organization="区某局党组 <img src=x onerror=alert(1)>")
    value["organization"]["kind"] = BUNDLE["standard"]["organization_kinds"][0]
    value["assessor"] = {"name": "张三", "date": "2019-12-20"}
    value["items"] = {
        "POL-01a": [{"date": "2019-03-01", "count": 2, "note": "=1+1 不是公式",
                     "evidence": [{"file": "会议记录.pdf", "location": "档案室 3 号柜", "sha256": "a" * 64},
                                  {"file": "通报.docx"}]},
                    {"date": "2019-04-01"}],
        "BON-01": [{"date": "2019-05-01"}],
        "LIM-01": [{"date": "2019-08-08", "note": "处分决定"}],
    }
    return value


def workbook(value=None):
    return load_workbook(io.BytesIO(report_xlsx.workbook_bytes(BUNDLE, value or filled())))


def test_three_sheets_in_order():
    assert workbook().sheetnames == ["汇总", "计分明细", "扣分与奖励"]


def test_summary_holds_who_what_total_grade_and_areas():
    value = filled()
    result = scoring.score(BUNDLE, value)
    sheet = workbook(value)["汇总"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert cells["党组织"] == value["organization"]["name"]  # text stays text
    assert cells["党组织类别"] == value["organization"]["kind"]
    assert cells["年度"] == "2019" and cells["评价标准"] == BUNDLE["standard"]["title"]
    assert cells["自评人"] == "张三" and cells["自评日期"].date().isoformat() == "2019-12-20"
    assert cells["总分"] == result["total"]
    assert cells["等级"] == result["grade"]["name"]
    for key, label in (("organization", "党组织"), ("principal", "主要负责人"), ("members", "领导班子成员")):
        assert cells[f"结果运用：{label}"] == result["grade"]["application"][key]
    assert cells["标准内容哈希"] == BUNDLE["hash"]
    assert cells["等级限制"] == "LIM-01"
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    for area in result["areas"]:
        assert rows[area["name"]][2:5] == (area["points"], area["deducted"], area["score"])
    assert rows["奖励加分"][4] == result["bonus"]


def test_receipt_sheet_is_the_receipt():
    value = filled()
    result = scoring.score(BUNDLE, value)
    rows = list(workbook(value)["计分明细"].iter_rows(values_only=True))
    assert rows[0] == ("序号", "计分过程")
    assert [r[1] for r in rows[1:]] == result["receipt"]
    assert [r[0] for r in rows[1:]] == list(range(1, len(result["receipt"]) + 1))


def test_occurrence_sheet_has_one_row_per_occurrence_with_evidence():
    rows = list(workbook()["扣分与奖励"].iter_rows(values_only=True))
    assert rows[0] == ("编号", "类别", "扣分、奖励或等级限制情形", "日期", "次数", "说明", "佐证材料", "计分")
    body = rows[1:]
    assert [r[0] for r in body] == ["POL-01a", "POL-01a", "BON-01", "LIM-01"]
    assert [r[1] for r in body] == ["扣分", "扣分", "奖励", "等级限制"]
    first = body[0]
    assert first[3].date().isoformat() == "2019-03-01" and first[4] == 2
    assert first[5] == "=1+1 不是公式"  # never a formula
    assert first[6] == "会议记录.pdf（存放于：档案室 3 号柜） sha256:" + "a" * 64 + "\n通报.docx"
    assert body[1][4] == 1 and body[1][5] in (None, "")
    assert [r[7] for r in body] == ["计入"] * 4


def test_an_occurrence_outside_the_year_is_listed_with_its_reason_everywhere():
    value = filled()
    value["items"]["ORG-01a"] = [{"date": "2018-11-11", "note": "上年度"}]
    result = scoring.score(BUNDLE, value)
    assert result["total"] == scoring.score(BUNDLE, filled())["total"]
    book = workbook(value)
    reason = "日期 2018-11-11 不在 2019 年度内，未计入得分"
    row = next(r for r in book["扣分与奖励"].iter_rows(values_only=True) if r[0] == "ORG-01a")
    assert row[3].date().isoformat() == "2018-11-11" and row[5] == "上年度" and row[7] == reason
    notes = [r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0] == "注意"]
    assert notes == result["notes"] and "ORG-01a（2018-11-11）" in notes[0]
    assert any(reason in (r[1] or "") for r in book["计分明细"].iter_rows(values_only=True))


def test_an_empty_assessment_still_makes_a_workbook():
    rows = list(workbook(assessment.empty(BUNDLE))["扣分与奖励"].iter_rows(values_only=True))
    assert rows[1][0] == "（未记录任何扣分、奖励或等级限制情形）"


def test_bad_assessment_is_refused_with_every_reason():
    value = filled()
    value["items"]["NOPE-1"] = [{"date": "2019-01-01", "count": -1}]
    with pytest.raises(InvalidInput) as caught:
        report_xlsx.workbook_bytes(BUNDLE, value)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "NOPE-1" in messages and len(caught.value.problems) >= 2


def test_browser_operation_returns_the_bytes_in_base64():
    value = filled()
    reply = json.loads(browser.xlsx(BUNDLE_JSON, json.dumps(value, ensure_ascii=False)))
    assert reply["ok"] is True
    data = base64.b64decode(reply["result"]["base64"])
    assert len(data) == reply["result"]["bytes"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "xl/workbook.xml" in names and "xl/worksheets/sheet3.xml" in names
    assert load_workbook(io.BytesIO(data)).sheetnames == ["汇总", "计分明细", "扣分与奖励"]


def test_browser_operation_refuses_bad_input_as_problems():
    reply = json.loads(browser.xlsx(BUNDLE_JSON, "{not json"))
    assert reply["ok"] is False and "不是有效的 JSON" in reply["problems"][0]["message"]


def test_same_content_same_bytes():
    assert report_xlsx.workbook_bytes(BUNDLE, filled()) == report_xlsx.workbook_bytes(BUNDLE, filled())


def test_scorer_imports_xlsxwriter_only_inside_functions():
    """`scorer` must stay importable (and its wheel loadable in Pyodide) without XlsxWriter."""
    import ast
    import sys

    for module in (report_xlsx, browser):
        tree_ = ast.parse(open(module.__file__, encoding="utf-8").read())
        for node in tree_.body:  # module level only
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names or name == "__future__", (module, name)
