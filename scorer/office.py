"""The district office's tables: the combined view of many assessments and the inspection plan, as
the office pages show them and as CSV (the .xlsx is `office_xlsx`, from the same rows).

The pages send back what the scorer gave them (rows from `collect.collect`, a plan from
`planner.plan`), in the order and selection the user chose; the columns, their Chinese headings and
the cell values are decided here, once, so the CSV, the workbook and the CLI agree.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional

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

def area_columns(bundles, rows=None) -> list:
    """Every area of the given bundles as {id, name}, in the order they first appear; with `rows`,
    of the bundles of the rows' years only (a page may send every year the site publishes)."""
    years = None if rows is None else {row["year"] for row in rows}
    seen, out = set(), []
    for bundle in map(Bundle.of, bundles):
        if years is not None and bundle.year.year not in years:
            continue
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


@dataclass(frozen=True)
class Column:
    """One column of the office's table, for the page and the exports alike.

    id: the page's key (sorting, widths); label: the heading, the same on the page, in the CSV and in
    the workbook; value: a row's cell (None when there is none: the page shows "—", exports a blank);
    number: sorted and aligned as a number; group: "area" or "reference" for the page's layout;
    empty: the page's words for a blank text cell; page / export: where the column appears (the page
    words three facts in one 备注 sentence, a spreadsheet keeps them as three columns to filter on);
    key: a sort key other than the cell (a grade sorts by its rank, not its name).
    """

    id: str
    label: str
    value: Callable[[dict], object]
    number: bool = False
    group: str = ""
    empty: str = ""
    page: bool = True
    export: bool = True
    key: Optional[Callable[[dict], object]] = None

    def to_json(self) -> dict:
        """What the page needs to lay the column out: everything but the functions."""
        return {"id": self.id, "label": self.label, "number": self.number, "group": self.group,
                "empty": self.empty, "sorted": self.key is not None}


def note(row: dict) -> str:
    """Why a row deserves a second look: filed twice (counted or not), a grade lowered by a grade
    limit, or records the scorer left out."""
    parts = []
    if row.get("duplicate"):
        parts.append("重复提交" + ("（未计入统计）" if row.get("counted") is False else "（计入统计）"))
    if row.get("limits_applied"):
        parts.append("等级限制：" + "、".join(row["limits_applied"]))
    if row.get("notes"):
        parts.append("有记录未计入")
    return "；".join(parts)


def _found(mapping, key):
    return mapping[key] if isinstance(mapping, dict) and key in mapping else None


def combined_columns(view: dict, ranks: Optional[dict] = None) -> list:
    """The office table's columns: ONE definition for the page, the CSV and the workbook.

    view: a `collect` result (`areas`, optionally `reference_columns`, rows with `combined`);
    ranks: {(year, grade id): place in the year's grade order}, for sorting grades on the page.
    """
    areas = view["areas"]
    references = view.get("reference_columns") or []
    grade_key = (lambda r: ranks.get((r.get("year"), r.get("grade")))) if ranks is not None else None
    columns = [
        Column("organization", "党组织", lambda r: r["organization"], empty="（未填写名称）"),
        Column("kind", "类别", lambda r: r.get("kind") or ""),
        Column("standard", "标准", lambda r: r.get("standard_title", r.get("standard", ""))),
        Column("year", "年度", lambda r: r.get("year"), number=True),
        Column("total", "总分", lambda r: r.get("total"), number=True),
        Column("grade", "等级", lambda r: r.get("grade_name", ""), key=grade_key),
    ]
    columns += [Column(f"area:{a['id']}", a.get("name") or a["id"], lambda r, a=a["id"]: _found(r.get("areas"), a),
                       number=True, group="area") for a in areas]
    columns += [Column(f"ref:{c}", f"参考：{c}", lambda r, c=c: _found(r.get("references"), c),
                       number=True, group="reference") for c in references]
    if combined_weighted(view):
        columns.append(Column("combined", "综合得分", lambda r: r.get("combined"), number=True))
    columns += [
        Column("note", "备注", note, export=False),
        Column("duplicate", "重复提交", lambda r: "是" if r.get("duplicate") else "", page=False),
        Column("counted", "计入统计", lambda r: "否" if r.get("counted") is False else "是", page=False),
        Column("limits", "等级限制", lambda r: "、".join(r.get("limits_applied") or []), page=False),
        Column("file", "文件", lambda r: r.get("file", "")),
    ]
    return columns


def combined_table(view: dict) -> list:
    """The combined view as rows of cells, header first (numbers stay numbers, a missing one blank)."""
    view = _view(view)
    columns = [c for c in combined_columns(view) if c.export]
    return [[c.label for c in columns]] + [[c.value(row) for c in columns] for row in view["rows"]]


def grade_ranks(bundles) -> dict:
    """{(year, grade id): its place in the year's grade order}: how the page sorts a grade column."""
    return {(b.year.year, g.id): i for b in map(Bundle.of, bundles) for i, g in enumerate(b.year.grades)}


def table_view(result: dict, bundles) -> dict:
    """A `collect` result (with or without references) as the page shows it: the areas, the years'
    reference weights, the table's columns, and each row's cells in those columns (`cells`; `keys`
    where a column sorts by something else than its cell)."""
    from .collect import reference_weights

    result["areas"] = area_columns(bundles, result["rows"])
    result["weights"] = reference_weights(bundles)
    columns = [c for c in combined_columns(result, grade_ranks(bundles)) if c.page]
    result["columns"] = [c.to_json() for c in columns]
    for row in result["rows"]:
        row["cells"] = [c.value(row) for c in columns]
        row["keys"] = {c.id: c.key(row) for c in columns if c.key is not None}
    return result


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
