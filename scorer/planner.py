"""Plan the yearly supervision inspections of a term (《办法》: "每年选取一定比例的党组织进行监督检查，
实现一届任期内全覆盖").

Rules, in this order of priority:
1. every organization not yet inspected this term is inspected at least once in the remaining years;
2. every planned year inspects exactly ceil(share x all organizations) of them (the yearly share);
3. each kind of organization is spread evenly: per kind, yearly counts differ by at most one;
4. the same inputs and seed give the same plan.
How: the inspections needed (one per uncovered organization, then extra ones to fill the yearly share)
are grouped by kind, an organization's repeats kept next to each other, and dealt round-robin over
the years. Consecutive positions fall in different years, which gives 2 and 3 at once.
"""

from __future__ import annotations

import random
from decimal import ROUND_CEILING, Decimal

from . import textinput
from .errors import InvalidInput, Problem

SOURCE = "检查计划"


def _fail(message, path=()):
    raise InvalidInput([Problem(SOURCE, tuple(path), message)])


def _csv_rows(text: str, source: str = SOURCE) -> list:
    """Non-blank CSV rows of `text`, read by `textinput.csv_rows` (BOM, tabs, bounds)."""
    return textinput.csv_rows(text, source)


def parse_organizations(text: str, source: str = SOURCE) -> list:
    """Organizations from CSV text with a header row: 名称/name and 类别/kind columns.

    The one reading of the organization list: the CLI (`read_organizations`) and the browser use it.
    """
    rows = _csv_rows(text, source)
    if not rows:
        raise InvalidInput([Problem(source, (), "文件为空（应有表头 名称,类别 和至少一行）")])
    header = [h.strip().lower() for h in rows[0]]
    name_col = next((header.index(h) for h in ("名称", "name") if h in header), None)
    kind_col = next((header.index(h) for h in ("类别", "kind") if h in header), None)
    if name_col is None:
        raise InvalidInput([Problem(source, (), "缺少表头 名称（或 name）列", 1, 1)])
    return [{"name": row[name_col].strip() if name_col < len(row) else "",
             "kind": row[kind_col].strip() if kind_col is not None and kind_col < len(row) else ""} for row in rows[1:]]


def parse_names(text: str, source: str = "已检查名单") -> list:
    """Names, one a line, or the first column of a CSV (a 名称/name header is skipped)."""
    rows = _csv_rows(text, source)
    if rows and rows[0] and rows[0][0].strip().lower() in ("名称", "name"):
        rows = rows[1:]
    return [r[0].strip() for r in rows if r and r[0].strip()]


CSV_HEADER = ("年度", "名称", "类别", "首次检查")


def csv_rows(result: dict) -> list:
    """The plan as CSV rows, header first: what `python -m scorer plan --csv` prints and the page exports."""
    rows = [list(CSV_HEADER)]
    for year in result["years"]:
        for org in year["organizations"]:
            rows.append([year["year"], org["name"], org["kind"], "是" if org["first"] else "否"])
    return rows


def parse_share(text) -> Decimal:
    """'30%', '30', '0.3' -> Decimal('0.3'); anything else is refused with the reason."""
    raw = str(text).strip().rstrip("%％")
    try:
        value = Decimal(raw)
    except ArithmeticError:
        _fail(f"比例 {text!r} 无法识别（应为百分比如 30% 或小数如 0.3）", ("share",))
    if str(text).strip().endswith(("%", "％")) or value > 1:
        value = value / 100
    if not Decimal(0) < value <= 1:
        _fail(f"比例 {text!r} 超出范围（应大于 0 且不超过 100%）", ("share",))
    return value


def per_year(share: Decimal, total: int) -> int:
    return int((Decimal(share) * total).to_integral_value(rounding=ROUND_CEILING))


def smallest_share(remaining: int, years: int, total: int) -> Decimal:
    """The smallest yearly share (as a fraction, rounded up to 0.1 %) that still covers everyone."""
    needed = -(-remaining // years)  # ceil
    return (Decimal(needed) / total * 1000).to_integral_value(rounding=ROUND_CEILING) / 1000


def plan(organizations, first_year: int, last_year: int, share, inspected=(), from_year=None, seed: int = 0) -> dict:
    """A year-by-year plan. `organizations`: [{"name", "kind"}]; `inspected`: names already inspected
    this term (before `from_year`, which defaults to `first_year`)."""
    problems = []
    names = [o.get("name", "").strip() for o in organizations]
    seen = set()
    for i, name in enumerate(names):
        if not name:
            problems.append(Problem(SOURCE, ("organizations", i), f"第 {i + 1} 个党组织没有名称"))
        elif name in seen:
            problems.append(Problem(SOURCE, ("organizations", i), f"党组织 '{name}' 重复出现（每个党组织只列一次）"))
        seen.add(name)
    from_year = first_year if from_year is None else from_year
    if first_year > last_year:
        problems.append(Problem(SOURCE, ("term",), f"任期首年 {first_year} 晚于末年 {last_year}"))
    elif not first_year <= from_year <= last_year:
        problems.append(Problem(SOURCE, ("from_year",), f"起始年度 {from_year} 不在任期 {first_year}–{last_year} 内"))
    unknown = [n for n in inspected if n not in seen]
    for name in unknown:
        problems.append(Problem(SOURCE, ("inspected",), f"已检查名单中的 '{name}' 不在党组织名单中"))
    if not organizations:
        problems.append(Problem(SOURCE, ("organizations",), "党组织名单为空"))
    if problems:
        raise InvalidInput(problems)
    share = parse_share(share) if not isinstance(share, Decimal) else share
    total = len(organizations)
    years = list(range(from_year, last_year + 1))
    slots = per_year(share, total)
    done = set(inspected)
    uncovered = [o for o in organizations if o["name"].strip() not in done]
    if len(uncovered) > slots * len(years):
        need = smallest_share(len(uncovered), len(years), total)
        _fail(f"按每年 {share * 100:.1f}%（{slots} 个）检查，剩余 {len(years)} 年最多检查 {slots * len(years)} 个，"
              f"但尚有 {len(uncovered)} 个党组织未检查；实现任期内全覆盖的最小比例为 {need * 100:.1f}%", ("share",))

    rng = random.Random(seed)
    by_kind: dict[str, list] = {}
    for org in sorted(organizations, key=lambda o: (o.get("kind", ""), o["name"])):
        by_kind.setdefault(org.get("kind", "") or "未分类", []).append(org)
    order = []  # every organization once, kinds interleaved, shuffled within kind: who gets extra inspections
    pools = {k: rng.sample(v, len(v)) for k, v in sorted(by_kind.items())}
    while any(pools.values()):
        for kind in sorted(pools):
            if pools[kind]:
                order.append(pools[kind].pop())
    times = {o["name"]: (0 if o["name"] in done else 1) for o in organizations}
    extra = slots * len(years) - len(uncovered)
    level = 0  # extra inspections go to the least-inspected first, so nobody exceeds one per year
    while extra > 0:
        for org in order:
            if extra and times[org["name"]] == level:
                times[org["name"]] += 1
                extra -= 1
        level += 1
    sequence = []
    for kind in sorted(by_kind):
        members = rng.sample(by_kind[kind], len(by_kind[kind]))
        for org in members:
            sequence += [org] * times[org["name"]]
    schedule = {year: [] for year in years}
    for position, org in enumerate(sequence):
        # Dealt round-robin, an organization's repeats can land in an earlier year than its first
        # position in `sequence`: which inspection is the first is decided afterwards, by year.
        schedule[years[position % len(years)]].append({"name": org["name"], "kind": org.get("kind", "")})
    planned = [{"year": y, "organizations": schedule[y]} for y in years]
    mark_reviews(planned, inspected)
    return {
        "term": [first_year, last_year],
        "from_year": from_year,
        "share": float(share),
        "per_year": slots,
        "seed": seed,
        "reviews": sum(not o["first"] for y in planned for o in y["organizations"]),
        "review_note": REVIEW_NOTE,
        "years": planned,
    }


FIRST, REVIEW = "首次检查", "复查"
REVIEW_NOTE = "标“复查”的党组织在本任期此前已检查过（本计划中更早的年度，或已检查名单），因每年名额有余再次安排。"


def mark_reviews(planned: list, inspected=()) -> None:
    """Label every planned inspection, in place: the one definition of 复查, which the CLI, its CSV, the
    page and its exports all show. An inspection is a 复查 when the organization was inspected before
    it: in the history given (`inspected`, before the plan's first year) or in an earlier year of this
    plan; otherwise it is its 首次检查. `planned`: [{year, organizations: [{name, ...}]}] in any order.
    Sets `first` (bool) and `inspection` (the label) on each organization."""
    before = set(inspected)
    for year in sorted(planned, key=lambda y: y["year"]):
        names = [o["name"] for o in year["organizations"]]
        for org in year["organizations"]:
            org["first"] = org["name"] not in before
            org["inspection"] = FIRST if org["first"] else REVIEW
        before.update(names)
