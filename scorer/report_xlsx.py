"""A self-assessment as an Excel workbook (.xlsx): the summary, the receipt and every occurrence.

Three sheets, the way an office files a self-assessment:

    汇总          organization, year, standard, total, grade and its application texts, a per-area table
    计分明细      the receipt, one line per rule applied (the arithmetic anyone can check by hand)
    扣分与奖励    every occurrence: item id, kind, text, date, count, note, evidence references, and
                  whether it counted (an occurrence dated outside the year is listed with its reason)

XlsxWriter is imported inside the functions, never at module level: the rest of `scorer` stays
standard-library only and importable without it. In CPython it is an ordinary pinned dependency. In
the browser (Pyodide) the site ships its py3-none-any wheel under assets/wheels/ and names it in
manifest.json; the first export fetches it from the site itself (never another origin), checks its
sha256 and unpacks it into site-packages, so the scorer's start-up never pays for it.
"""

from __future__ import annotations

import io
from datetime import date

from .assessment import check
from .errors import InvalidInput, Problem
from .model import Bundle
from .numbers import num
from .scoring import score_result

SOURCE = "Excel 导出"


def workbook_bytes(bundle, assessment: dict) -> bytes:
    """The .xlsx file for `assessment` (a gm-assessment/1 dict) against `bundle`.

    Raises InvalidInput (every reason) if the assessment does not fit the bundle, like `score`.
    """
    bundle = Bundle.of(bundle)
    check(assessment, bundle)
    result = score_result(bundle, assessment, checked=True)
    xlsxwriter = load_xlsxwriter()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    # A fixed creation date keeps the bytes a function of the content (the assessor's date if given).
    workbook.set_properties({
        "title": f"{bundle.standard.title}（{bundle.year.year} 年度）自评结果",
        "created": _date(assessment.get("assessor", {}).get("date")) or date(bundle.year.year, 1, 1),
    })
    styles = _styles(workbook)
    _summary(workbook.add_worksheet("汇总"), styles, bundle, assessment, result)
    _receipt(workbook.add_worksheet("计分明细"), styles, result)
    _occurrences(workbook.add_worksheet("扣分与奖励"), styles, result)
    workbook.close()
    return buffer.getvalue()


def _styles(workbook) -> dict:
    base = {"font_name": "宋体", "font_size": 11, "valign": "top", "text_wrap": True}
    return {
        "title": workbook.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False}),
        "label": workbook.add_format({**base, "bold": True, "bg_color": "#EEEEEE", "border": 1}),
        "text": workbook.add_format({**base, "border": 1}),
        "number": workbook.add_format({**base, "border": 1, "num_format": "0.0##", "align": "right"}),
        "int": workbook.add_format({**base, "border": 1, "num_format": "0", "align": "right"}),
        "date": workbook.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "left"}),
        "head": workbook.add_format({**base, "bold": True, "bg_color": "#DDDDDD", "border": 1, "align": "center"}),
        "total": workbook.add_format({**base, "bold": True, "border": 1, "num_format": "0.0##", "align": "right"}),
        "plain": workbook.add_format(base),
    }


def _summary(sheet, s, bundle, assessment, result):
    standard, year = bundle.standard, bundle.year
    organization = assessment.get("organization", {})
    assessor = assessment.get("assessor", {})
    grade = result.grade
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 4, 12)
    sheet.write(0, 0, f"{standard.title}（{year.year} 年度）自评结果", s["title"])
    rows = [
        ("党组织", organization.get("name", "")),
        ("党组织类别", organization.get("kind", "")),
        ("年度", year.year),
        ("评价标准", standard.title),
        ("自评人", assessor.get("name", "")),
        ("自评日期", assessor.get("date", "")),
        ("总分", result.total),
        ("等级", grade.name),
        ("等级含义", grade.meaning),
        ("结果运用：党组织", grade.application.organization),
        ("结果运用：主要负责人", grade.application.principal),
        ("结果运用：领导班子成员", grade.application.members),
        ("标准内容哈希", bundle.hash),
    ]
    row = 2
    for label, value in rows:
        sheet.write_string(row, 0, label, s["label"])
        if label == "自评日期" and _date(value):
            sheet.write_datetime(row, 1, _date(value), s["date"])
        elif isinstance(value, (int, float)) and label != "年度":
            sheet.write_number(row, 1, value, s["total"])
        else:
            sheet.write_string(row, 1, str(value), s["text"])
        row += 1
    if result.limits_applied:
        sheet.write_string(row, 0, "等级限制", s["label"])
        sheet.write_string(row, 1, "、".join(result.limits_applied), s["text"])
        row += 1
    for note in result.notes:
        sheet.write_string(row, 0, "注意", s["label"])
        sheet.write_string(row, 1, note, s["text"])
        row += 1

    row += 1
    sheet.write_string(row, 0, "各项建设得分", s["title"])
    row += 1
    for col, head in enumerate(("建设", "内容", "分值", "扣分", "得分")):
        sheet.write_string(row, col, head, s["head"])
    row += 1
    for area in result.areas:
        lost = [f"{i.id} {i.title} 扣 {num(i.deducted)} 分" for i in area.indicators if i.deducted]
        sheet.write_string(row, 0, area.name, s["text"])
        sheet.write_string(row, 1, "；".join(lost) if lost else "未扣分", s["text"])
        sheet.write_number(row, 2, area.points, s["number"])
        sheet.write_number(row, 3, area.deducted, s["number"])
        sheet.write_number(row, 4, area.score, s["number"])
        row += 1
    sheet.write_string(row, 0, "奖励加分", s["text"])
    sheet.write_string(row, 1, "；".join(f"{b.id} 加 {num(b.amount)} 分" for b in result.bonuses) or "无", s["text"])
    sheet.write_blank(row, 2, None, s["text"])
    sheet.write_blank(row, 3, None, s["text"])
    sheet.write_number(row, 4, result.bonus, s["number"])
    row += 1
    sheet.write_string(row, 0, "合计", s["label"])
    sheet.write_string(row, 1, f"基本分 {num(result.base)} 分 − 扣分 {num(result.deducted)} 分 + 奖励 {num(result.bonus)} 分", s["text"])
    sheet.write_number(row, 2, result.base, s["number"])
    sheet.write_number(row, 3, result.deducted, s["number"])
    sheet.write_number(row, 4, result.total, s["total"])
    row += 2
    sheet.write_string(row, 0, "党组织主要负责人（签字）：", s["plain"])
    sheet.write_string(row + 1, 0, "日期：", s["plain"])
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _receipt(sheet, s, result):
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 110)
    sheet.write_string(0, 0, "序号", s["head"])
    sheet.write_string(0, 1, "计分过程", s["head"])
    for i, line in enumerate(result.receipt, start=1):
        sheet.write_number(i, 0, i, s["int"])
        sheet.write_string(i, 1, line, s["text"])
    sheet.freeze_panes(1, 0)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _occurrences(sheet, s, result):
    """Every declared occurrence under its item, in the standard's order (the scorer's `declared`)."""
    heads = ("编号", "类别", "扣分、奖励或等级限制情形", "日期", "次数", "说明", "佐证材料", "计分")
    widths = (10, 9, 50, 12, 6, 40, 50, 30)
    for col, (head, width) in enumerate(zip(heads, widths)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, head, s["head"])
    row = 1
    for item in result.declared:
        for occurrence in item.occurrences:
            sheet.write_string(row, 0, item.id, s["text"])
            sheet.write_string(row, 1, item.kind_name, s["text"])
            sheet.write_string(row, 2, item.text, s["text"])
            when = _date(occurrence.date)
            if when:
                sheet.write_datetime(row, 3, when, s["date"])
            else:
                sheet.write_string(row, 3, occurrence.date, s["text"])
            sheet.write_number(row, 4, occurrence.count, s["int"])
            sheet.write_string(row, 5, occurrence.note, s["text"])
            sheet.write_string(row, 6, "\n".join(occurrence.evidence), s["text"])
            sheet.write_string(row, 7, "计入" if occurrence.counted else occurrence.reason, s["text"])
            row += 1
    if row == 1:
        sheet.write_string(1, 0, "（未记录任何扣分、奖励或等级限制情形）", s["plain"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row - 1, 1), len(heads) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _date(text):
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# ---- XlsxWriter, in CPython or from the site's own wheel under Pyodide ----

def load_xlsxwriter():
    """The xlsxwriter module. Under Pyodide, installed from the site on first use (see the module doc)."""
    try:
        import xlsxwriter
        return xlsxwriter
    except ImportError:
        import sys
        if sys.platform != "emscripten":
            raise
    _install_from_site()
    import xlsxwriter
    return xlsxwriter


def _install_from_site() -> None:
    """Fetch the XlsxWriter wheel named in the site's wheel manifest, check it, unpack it."""
    import hashlib
    import importlib
    import sys
    import zipfile
    from urllib.parse import urljoin

    from . import sitefiles

    try:
        manifest, manifest_url = sitefiles.manifest()
        entry = manifest["xlsxwriter"]
        data = sitefiles.fetch(urljoin(manifest_url, entry["file"]))
    except (OSError, ValueError, KeyError) as exc:
        raise InvalidInput([Problem(SOURCE, (), f"无法加载 Excel 导出组件（{exc}）。请检查网络连接后重试；"
                                                "若反复出现，请重新构建并完整部署网站。")])
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise InvalidInput([Problem(SOURCE, (), f"Excel 导出组件 {entry['file']} 与清单不符（文件可能不完整或已过期）。"
                                                "请刷新页面后重试；仍失败请重新部署网站。")])
    target = next(p for p in sys.path if p.endswith("site-packages"))
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        wheel.extractall(target)
    importlib.invalidate_caches()
