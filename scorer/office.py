"""The district office's tables: the combined view of many assessments and the inspection plan, as
the office pages show them and as CSV (the .xlsx is `office_xlsx`, from the same rows).

The pages send back what the scorer gave them (rows from `collect.collect`, a plan from
`planner.plan`), in the order and selection the user chose; the columns, their Chinese headings and
the cell values are decided here, once, so the CSV, the workbook and the CLI agree.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from . import planner
from .errors import Collector, InvalidInput, Problem
from .model import Bundle
from .numbers import plain

SOURCE = "导出"
PLAN_SOURCE = planner.SOURCE
BOM = "\ufeff"
# Cells Excel would read as a formula (or a DDE command) when a CSV is opened: shown as text instead.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The file names the CLI equivalent of a plan refers to (the page offers both files for download).
ORGANIZATIONS_FILE = "党组织名单.csv"
INSPECTED_FILE = "已检查名单.csv"


# ---------------------------------------------------------------- the combined view

def area_columns(bundles) -> list:
    """Every area of the given bundles as {id, name}, in the order they first appear."""
    seen, out = set(), []
    for bundle in map(Bundle.of, bundles):
        for area in bundle.standard.areas:
            if area.id not in seen:
                seen.add(area.id)
                out.append({"id": area.id, "name": area.name})
    return out


def _view(payload) -> dict:
    """Check the shape of a combined view sent back by a page; every problem at once."""
    collector = Collector(SOURCE)
    if not isinstance(payload, dict):
        collector.add((), "导出内容应为 JSON 对象")
        collector.raise_if_any()
    for key in ("rows", "areas"):
        if not isinstance(payload.get(key), list):
            collector.add((key,), f"缺少 {key}（应为数组）")
    for key in ("reference_columns", "distribution", "rejected"):
        if key in payload and not isinstance(payload[key], list):
            collector.add((key,), f"{key} 应为数组")
    collector.raise_if_any()
    for i, row in enumerate(payload["rows"]):
        if not isinstance(row, dict) or not isinstance(row.get("organization"), str):
            collector.add(("rows", i), "每一行应为含 organization 的 JSON 对象")
    for i, area in enumerate(payload["areas"]):
        if not isinstance(area, dict) or not isinstance(area.get("id"), str):
            collector.add(("areas", i), "每个建设应为含 id 和 name 的 JSON 对象")
    collector.raise_if_any()
    return payload


def combined_weighted(view: dict) -> bool:
    """Whether any row has a combined score (its year defines reference weights)."""
    return any(row.get("combined") is not None for row in view["rows"])


def combined_table(view: dict) -> list:
    """The combined view as rows of cells, header first (numbers stay numbers)."""
    view = _view(view)
    areas = view["areas"]
    references = view.get("reference_columns") or []
    weighted = combined_weighted(view)
    header = ["党组织", "类别", "标准", "年度", "总分", "等级"] + [a.get("name") or a["id"] for a in areas]
    header += [f"参考：{c}" for c in references]
    if weighted:
        header.append("综合得分")
    header += ["重复提交", "计入统计", "等级限制", "文件"]
    out = [header]
    for row in view["rows"]:
        scores = row.get("areas") or {}
        mine = row.get("references") or {}
        cells = [row["organization"], row.get("kind", ""), row.get("standard_title", row.get("standard", "")),
                 row.get("year", ""), row.get("total", ""), row.get("grade_name", "")]
        cells += [scores.get(a["id"], "") for a in areas]
        cells += [mine.get(c, "") for c in references]
        if weighted:
            cells.append("" if row.get("combined") is None else row["combined"])
        cells += ["是" if row.get("duplicate") else "", "否" if row.get("counted") is False else "是",
                  "、".join(row.get("limits_applied") or []), row.get("file", "")]
        out.append(cells)
    return out


class Share(float):
    """A fraction of a whole (0.5): a number a workbook shows as a percentage (50.0%), so Excel can sum
    and chart it; the CSV writes the fraction."""


def distribution_table(view: dict) -> list:
    """Grade counts per year and standard, header first; 占比 as a `Share` of the organizations counted."""
    titles = {(r.get("year"), r.get("standard")): r.get("standard_title", "") for r in view["rows"]}
    out = [["年度", "标准", "等级", "数量", "占比"]]
    for entry in view.get("distribution") or []:
        total = entry.get("total") or 0
        for grade in entry.get("grades", []):
            share = Share(grade.get("count", 0) / total) if total else ""
            title = titles.get((entry.get("year"), entry.get("standard"))) or entry.get("standard", "")
            out.append([entry.get("year", ""), title, grade.get("name", ""), grade.get("count", 0), share])
    return out


def rejected_table(view: dict) -> list:
    """Every refused file with every reason, one reason a row, header first."""
    out = [["文件", "位置", "原因"]]
    for entry in view.get("rejected") or []:
        for problem in entry.get("problems") or [{"path": "", "message": ""}]:
            out.append([entry.get("file", ""), problem.get("path", ""), problem.get("message", "")])
    return out


def notices_table(view: dict) -> list:
    """The scorer's notes on counted files (e.g. records dated outside the year, not counted), header first."""
    out = [["文件", "党组织", "年度", "说明"]]
    for row in view["rows"]:
        for note in row.get("notes") or []:
            out.append([row.get("file", ""), row["organization"], row.get("year", ""), note])
    return out


# ---------------------------------------------------------------- the plan

def plan_table(result: dict) -> list:
    """The plan as the page shows it, header first: year, order, name, kind, first or repeat."""
    out = [["年度", "序号", "党组织", "类别", "检查类型"]]
    for year in result["years"]:
        for i, org in enumerate(year["organizations"], start=1):
            out.append([year["year"], i, org["name"], org.get("kind", ""), org["inspection"]])
    return out


def _year(value, path, collector, required=True):
    if value is None or value == "":
        if required:
            collector.add(path, "请填写年度")
        return None
    if isinstance(value, bool):
        collector.add(path, f"年度 {value!r} 无效")
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1900 <= value <= 2200:
        collector.add(path, f"年度 {value!r} 无效（应为四位数的年份，如 2021）")
        return None
    return value


def plan_request(request) -> dict:
    """A plan from a page's request: the arguments of `planner.plan`, checked, then the plan itself.

    request: {organizations: CSV text (名称,类别) or [{name, kind}], first, last, share,
              inspected: names (text, one a line, or a list), from_year (optional), seed (optional)}
    The result is `planner.plan`'s, plus the organization count, the inspected names and the
    equivalent command line (`command`), which gives the same plan from the same lists.
    """
    collector = Collector(PLAN_SOURCE)
    if not isinstance(request, dict):
        collector.add((), "请求应为 JSON 对象")
        collector.raise_if_any()
    organizations = request.get("organizations")
    if isinstance(organizations, str):
        try:
            organizations = planner.parse_organizations(organizations, "党组织名单")
        except InvalidInput as exc:
            collector.problems.extend(exc.problems)
    elif not isinstance(organizations, list) or not all(
            isinstance(o, dict) and isinstance(o.get("name", ""), str) and isinstance(o.get("kind", ""), str)
            for o in organizations):
        collector.add(("organizations",), "党组织名单应为 CSV 文本（名称,类别）或 [{name, kind}] 数组")
    inspected = request.get("inspected") or []
    if isinstance(inspected, str):
        inspected = planner.parse_names(inspected)
    elif not isinstance(inspected, list) or not all(isinstance(n, str) for n in inspected):
        collector.add(("inspected",), "已检查名单应为文本（每行一个名称）或名称数组")
    first = _year(request.get("first"), ("first",), collector)
    last = _year(request.get("last"), ("last",), collector)
    from_year = _year(request.get("from_year"), ("from_year",), collector, required=False)
    seed = request.get("seed", 0)
    if isinstance(seed, str) and seed.strip().isdigit():
        seed = int(seed.strip())
    if seed in (None, ""):
        seed = 0
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2 ** 63:
        collector.add(("seed",), f"随机种子 {seed!r} 无效（应为非负整数）")
    share = request.get("share")
    if share is None or (isinstance(share, str) and not share.strip()):
        collector.add(("share",), "请填写每年检查比例（如 25%）")
    collector.raise_if_any()
    share = planner.parse_share(share)
    organizations = [{"name": o.get("name", "").strip(), "kind": o.get("kind", "").strip()} for o in organizations]
    inspected = list(dict.fromkeys(n.strip() for n in inspected if n.strip()))
    result = planner.plan(organizations, first, last, share, inspected, from_year, seed)
    result["organizations"] = len(organizations)
    result["inspected"] = inspected
    result["command"] = command(first, last, share, seed, result["from_year"], bool(inspected))
    return result


def percent(share: Decimal) -> str:
    """0.25 -> '25%', 0.125 -> '12.5%': the share as the CLI and the page write it."""
    return format((Decimal(share) * 100).normalize(), "f") + "%"


def command(first, last, share, seed, from_year, inspected: bool) -> str:
    """The CLI call that makes the same plan from the two downloadable lists."""
    parts = ["python -m scorer plan", ORGANIZATIONS_FILE, f"--first {first}", f"--last {last}",
             f"--share {percent(share)}"]
    if from_year != first:
        parts.append(f"--from-year {from_year}")
    if inspected:
        parts.append(f"--inspected {INSPECTED_FILE}")
    parts += [f"--seed {seed}", "--csv"]
    return " ".join(parts)


# ---------------------------------------------------------------- CSV

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return str(plain(value))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(rows, guard: bool = True) -> str:
    """UTF-8 CSV text with a byte-order mark (so Excel reads Chinese correctly), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(c) if guard else ("" if c is None else str(c)) for c in row])
    return BOM + buffer.getvalue()


def organizations_rows(payload) -> list:
    organizations = payload.get("organizations") if isinstance(payload, dict) else None
    if not isinstance(organizations, list):
        raise InvalidInput([Problem(SOURCE, ("organizations",), "缺少党组织名单（应为 [{name, kind}] 数组）")])
    return [["名称", "类别"]] + [[o.get("name", ""), o.get("kind", "")] for o in organizations if isinstance(o, dict)]


def names_rows(payload) -> list:
    names = payload.get("names") if isinstance(payload, dict) else None
    if not isinstance(names, list):
        raise InvalidInput([Problem(SOURCE, ("names",), "缺少名称列表（应为数组）")])
    return [["名称"]] + [[n] for n in names if isinstance(n, str)]


def _plan(payload) -> dict:
    """A plan handed back by the page for export, with 首次检查/复查 labelled again by the planner
    (`planner.mark_reviews`), so an export never shows a label the planner would not give."""
    years = payload.get("years") if isinstance(payload, dict) else None
    inspected = payload.get("inspected") or [] if isinstance(payload, dict) else []
    if not isinstance(years, list) or not all(
            isinstance(y, dict) and type(y.get("year")) is int and isinstance(y.get("organizations"), list)
            and all(isinstance(o, dict) and isinstance(o.get("name"), str) for o in y["organizations"]) for y in years) \
            or not isinstance(inspected, list):
        raise InvalidInput([Problem(SOURCE, ("years",), "缺少检查计划（应为 plan 操作的结果）")])
    plan = dict(payload, years=[dict(y, organizations=[dict(o) for o in y["organizations"]]) for y in years])
    planner.mark_reviews(plan["years"], inspected)
    return plan


CSV_KINDS = {
    "combined": lambda payload: combined_table(payload),
    # The CLI's own rows (planner.csv_rows): the page's CSV and `python -m scorer plan --csv` agree.
    "plan": lambda payload: planner.csv_rows(_plan(payload)),
    "organizations": organizations_rows,
    "names": names_rows,
}


def csv_export(kind: str, payload) -> str:
    if kind not in CSV_KINDS:
        raise InvalidInput([Problem(SOURCE, (), f"未知的导出类型 {kind!r}（可用：{'、'.join(CSV_KINDS)}）")])
    return csv_text(CSV_KINDS[kind](payload))
