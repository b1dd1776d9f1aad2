"""The district office's workbooks (.xlsx): the combined view of many assessments, and the plan.

    combined   汇总表 (one row per assessment, as the page shows it: its filter and order),
               等级分布 (grade counts per year and standard), 问题文件 (every refused file, every reason)
    plan       检查计划 (year, order, organization, kind, first inspection or repeat),
               参数 (term, share, seed, the equivalent command line)

The cells are `office`'s tables, the same the CSV export writes. XlsxWriter is loaded through
`report_xlsx.load_xlsxwriter` (lazily; under Pyodide from the site's own wheel), never at module level.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from . import office
from .errors import InvalidInput, Problem
from .report_xlsx import load_xlsxwriter

SOURCE = "Excel 导出"


def workbook_bytes(kind: str, payload) -> bytes:
    """The .xlsx bytes of `kind` ("combined" or "plan"); InvalidInput for a payload of the wrong shape."""
    if kind == "combined":
        sheets = [("汇总表", office.combined_table(payload)),
                  ("等级分布", office.distribution_table(payload)),
                  ("问题文件", office.rejected_table(payload))]
        notes = office.notices_table(payload)
        if len(notes) > 1:  # only when a counted file has records left out of its score
            sheets.append(("未计入记录", notes))
        title = "自评结果汇总"
        created = _january(payload["rows"][0].get("year") if payload["rows"] else None)
    elif kind == "plan":
        plan = office._plan(payload)
        sheets = [("检查计划", office.plan_table(plan)), ("参数", _plan_settings(plan))]
        term = plan.get("term") or ["", ""]
        title = f"{term[0]}–{term[1]} 任期监督检查计划"
        created = _january(plan.get("from_year"))
    else:
        raise InvalidInput([Problem(SOURCE, (), f"未知的导出类型 {kind!r}（可用：combined、plan）")])
    return sheets_bytes(sheets, title, created)


def sheets_bytes(sheets: list, title: str, created: date) -> bytes:
    """A workbook of named sheets ([(name, rows, header first)]) in the office's one style."""
    xlsxwriter = load_xlsxwriter()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    # A fixed creation date keeps the bytes a function of the content.
    workbook.set_properties({"title": title, "created": created})
    head = workbook.add_format({"font_name": "宋体", "bold": True, "bg_color": "#DDDDDD", "border": 1,
                                "align": "center", "valign": "top", "text_wrap": True})
    text = workbook.add_format({"font_name": "宋体", "border": 1, "valign": "top"})
    number = workbook.add_format({"font_name": "宋体", "border": 1, "valign": "top", "num_format": "0.0##"})
    share = workbook.add_format({"font_name": "宋体", "border": 1, "valign": "top", "num_format": "0.0%"})
    for name, rows in sheets:
        _sheet(workbook.add_worksheet(name), rows, head, text, {"number": number, "share": share})
    workbook.close()
    return buffer.getvalue()


def _january(year) -> date:
    return date(year, 1, 1) if isinstance(year, int) and 1900 <= year <= 2200 else date(2000, 1, 1)


def _plan_settings(plan: dict) -> list:
    term = plan.get("term") or ["", ""]
    share = plan.get("share")
    return [
        ["项目", "值"],
        ["任期", f"{term[0]}–{term[1]}"],
        ["计划起始年度", plan.get("from_year", "")],
        ["每年检查比例", office.percent(Decimal(str(share))) if share is not None else ""],
        ["每年检查数", plan.get("per_year", "")],
        ["党组织数", plan.get("organizations", "")],
        ["本任期已检查", "、".join(plan.get("inspected") or []) or "无"],
        ["随机种子", plan.get("seed", "")],
        ["命令行（同样的名单、参数和种子得到同样的计划）", plan.get("command", "")],
    ]


def _width(value) -> int:
    text = str(value)
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)  # CJK characters are two columns wide


def _sheet(sheet, rows, head, text, formats):
    """Numbers as numbers: ints, floats and the Decimals a page's JSON is read into (a total of 93.5
    must sum in Excel), a `office.Share` with a percent format."""
    widths = [0] * max(len(r) for r in rows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            widths[c] = max(widths[c], _width(value))
            if r == 0:
                sheet.write_string(r, c, str(value), head)
            elif isinstance(value, office.Share):
                sheet.write_number(r, c, value, formats["share"])
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                sheet.write_number(r, c, float(value) if isinstance(value, Decimal) else value, formats["number"])
            elif value is None or value == "":
                sheet.write_blank(r, c, None, text)
            else:
                sheet.write_string(r, c, str(value), text)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(max(width + 2, 6), 60))
    sheet.freeze_panes(1, 0)
    if len(rows) > 1:
        sheet.autofilter(0, 0, len(rows) - 1, len(widths) - 1)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
