"""The year-end evaluation's files: gm-supervision/1, gm-review/1, gm-workspace/1 and gm-feedback/1.

Each is read the one way every file is (`textinput`: bounded, duplicate keys and invalid characters
refused, Chinese reasons naming the file and line), checked against its JSON Schema in
`scorer/schemas/`, then against the year's data (items, sources, judgement levels): everything wrong
is reported at once, and nothing but `InvalidInput` is raised, so a refused file never reaches the
office's workspace. The checked documents stay plain JSON values (what the pages store); the rules
(`evaluation`) read them through the frozen records below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import textinput
from .errors import Collector, InvalidInput, Problem
from .items import index as items_index
from .model import year_part
from .schema import load_schema
from .schemafast import check as validate  # the compiled yes/no first, the messages only when needed

SUPERVISION, REVIEW, WORKSPACE, FEEDBACK = "gm-supervision/1", "gm-review/1", "gm-workspace/1", "gm-feedback/1"

# format -> (schema name, the file as a user calls it, textinput kind: its size bound)
FORMATS = {
    SUPERVISION: ("supervision", "监督记录文件", "register"),
    REVIEW: ("review", "评议文件", "json"),
    WORKSPACE: ("workspace", "年度工作文件", "workspace"),
    FEEDBACK: ("feedback", "反馈文件", "json"),
    # results application and rectification (issue #16): `application_files`
    "gm-rectification/1": ("rectification", "整改清单", "json"),
    "gm-rectification-report/1": ("rectification_report", "整改情况报告", "json"),
}
DECISION_NAMES = {"confirm": "认定", "adjust": "核减/核增", "reject": "不予认定"}


@dataclass(frozen=True)
class Settings:
    """A year's evaluation rules (`model.Year.evaluation`), by id for the checks and the rules."""

    sources: dict  # id -> name
    qualitative_mode: str
    qualitative_weight: object  # Decimal, or None unless weighted
    levels: dict  # id -> model.Level
    related: tuple  # (model.Related, ...)
    not_reviewed: str
    sample: bool


def settings(year) -> Settings:
    """The rules of a year (`model.Year`), or InvalidInput when the year defines none (no review that
    year). Made once per rules record (`model.year_part`)."""
    return year_part(year, "evaluation", "年终评议规则", "评议", _settings)


def _settings(rules) -> Settings:
    q = rules.qualitative
    return Settings(
        sources={s.id: s.name for s in rules.sources},
        qualitative_mode=q.mode, qualitative_weight=q.weight,
        levels={level.id: level for level in q.levels},
        related=rules.related, not_reviewed=rules.not_reviewed,
        sample=rules.values == "sample",
    )


def check_settings(value: dict, collector: Collector, grade_ids) -> None:
    """Invariants of a year's `evaluation` the schema cannot say (called from `standards.check_year`)."""
    rules = value.get("evaluation")
    if not isinstance(rules, dict):
        return
    _unique([s["id"] for s in rules["sources"]], ("evaluation", "sources"), "来源 id", collector)
    q = rules["qualitative"]
    _unique([lv["id"] for lv in q["levels"]], ("evaluation", "qualitative", "levels"), "定性评价等次 id", collector)
    parts = [(("evaluation", "qualitative"), q)] + [(("evaluation", "related", i), r) for i, r in enumerate(rules["related"])]
    total = 0
    for path, part in parts:
        if part["mode"] == "weight" and "weight" not in part:
            collector.add(path, "计入方式为 weight（加权）时须设置 weight（所占权重）")
        if part["mode"] != "weight" and "weight" in part:
            collector.add(path + ("weight",), f"计入方式为 {part['mode']} 时不应设置 weight（仅 weight 方式加权）")
        if part["mode"] == "weight" and "weight" in part:
            total += part["weight"]
    for i, r in enumerate(rules["related"]):
        if r["mode"] == "limit" and not r.get("limits"):
            collector.add(("evaluation", "related", i), "计入方式为 limit（限制等次）时须设置 limits（低于多少分时等次最高为何）")
        if r["mode"] != "limit" and r.get("limits"):
            collector.add(("evaluation", "related", i, "limits"), f"计入方式为 {r['mode']} 时不应设置 limits")
    _unique([r["name"] for r in rules["related"]], ("evaluation", "related"), "相关评议结果名称", collector)
    if total >= 1:
        collector.add(("evaluation",), f"定性评价和相关评议结果的权重合计为 {total}（应小于 1，其余为标准得分的权重）")
    grade_ids = list(grade_ids)
    caps = [(("evaluation", "qualitative", "levels", i, "max_grade"), lv["max_grade"]) for i, lv in enumerate(q["levels"])]
    caps += [(("evaluation", "related", i, "limits", j, "max_grade"), lim["max_grade"])
             for i, r in enumerate(rules["related"]) for j, lim in enumerate(r.get("limits", []))]
    for path, grade in caps:
        if grade not in grade_ids:
            collector.add(path, f"未知等级 '{grade}'（应为本年度等级 id 之一：{', '.join(grade_ids)}）")


def _unique(values, path, what, collector):
    seen = set()
    for i, v in enumerate(values):
        if v in seen:
            collector.add(path + (i,), f"重复的{what} '{v}'（每个只能出现一次）")
        seen.add(v)


# ---------------------------------------------------------------- reading


def read(data, expected: str, source: str | None = None, strings: bool = True) -> dict:
    """A file of format `expected` (bytes or text, or values already parsed) -> its checked values.

    The shape (format and schema) is checked here; the year's data is checked by the `check_*`
    functions, which need the standards. strings=False: values already parsed from a checked text
    (their characters were checked with it).
    """
    schema, name, kind = FORMATS[expected]
    source = source or name
    if isinstance(data, (bytes, bytearray)):
        value = textinput.read_json(bytes(data), source, kind)
    elif isinstance(data, str):
        value = textinput.loads(data, source, kind)
    else:
        value = data
        if strings:
            textinput.check_strings(value, source)
    collector = Collector(source)
    if not isinstance(value, dict):
        collector.add((), f"{name}的顶层应为 JSON 对象（{{…}}）")
        collector.raise_if_any()
    if "format" not in value:
        collector.add((), f"缺少字段 'format'（应为 '{expected}'，这可能不是本系统导出的{name}）")
    elif value["format"] != expected:
        other = next((n for f, (_, n, _) in FORMATS.items() if f == value["format"]), None)
        hint = f"：这是{other}，不是{name}" if other else ""
        collector.add(("format",), f"不支持的格式 {value['format']!r}（应为 '{expected}'{hint}）")
    validate(dict(value, format=expected), load_schema(schema), collector.add)
    collector.raise_if_any()
    return value


def check_date(text, path, collector, year=None) -> None:
    """A YYYY-MM-DD date (in `year` when given), or a problem at `path`."""
    try:
        when = date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError
    except (ValueError, TypeError):
        collector.add(path, f"日期 {text!r} 无法识别（应为 YYYY-MM-DD，如 2019-06-30）")
        return
    if year is not None and when.year != year:
        collector.add(path, f"日期 {text} 不在 {year} 年度内")


_TEXTS: dict = {}


def index(bundle) -> dict:
    """id -> (kind, text) of every item of one standard and its year's grade limits, in the standard's
    order (`items.index`, walked once per bundle hash). Made once per `items.index` entry: checking a
    workspace asks for it once per supervision record and review (11 000 times for 1000 organizations).
    Callers only read it."""
    entries = items_index(bundle)
    cached = _TEXTS.get(id(entries))
    if cached is None or cached[0] is not entries:  # the entry is kept alive with it, so its id is not reused
        if len(_TEXTS) >= 64:
            _TEXTS.clear()
        cached = _TEXTS[id(entries)] = (entries, {item_id: (entry.kind, entry.item.text) for item_id, entry in entries.items()})
    return cached[1]


def item_ids(bundle) -> dict:
    """id -> kind of every item of one standard and its year's grade limits."""
    return {k: v[0] for k, v in index(bundle).items()}


def check_record(record: dict, path, collector, bundles: dict, rules: Settings, year: int) -> None:
    """One supervision record against the year's standards (`bundles`: standard id -> bundle)."""
    standard = record.get("standard")
    if standard is not None and standard not in bundles:
        collector.add(path + ("standard",), f"{year} 年度没有标准 '{standard}'（应为：{'、'.join(bundles)}）")
    elif not any(record["item"] in index(b) for sid, b in bundles.items() if standard in (None, sid)):
        where = f"标准 '{standard}'" if standard else f"{year} 年度的任何标准"
        collector.add(path + ("item",), f"未知的扣分项、奖励项或等级限制 '{record['item']}'（{where}中没有该 id）")
    if record["source"] not in rules.sources:
        collector.add(path + ("source",), f"未知的来源 '{record['source']}'（应为年度设置中的来源之一：{'、'.join(rules.sources.values())}）")
    check_date(record["date"], path + ("date",), collector, year)


def check_supervision(value: dict, bundles: dict, source: str = "监督记录文件") -> dict:
    """A read register against its year's standards; every problem at once. Returns `value`."""
    collector = Collector(source)
    year, rules = _same_year(value, bundles, collector)
    _unique_ids(value["records"], ("records",), "记录编号", collector)
    for i, record in enumerate(value["records"]):
        check_record(record, ("records", i), collector, bundles, rules, year)
    collector.raise_if_any()
    return value


def _same_year(value: dict, bundles: dict, collector) -> tuple:
    """(the bundles' year, its evaluation rules); a file of another year is refused here, first."""
    year = _one_year(bundles)
    if value["year"] != year:
        collector.add(("year",), f"该文件为 {value['year']} 年度（当前为 {year} 年度）")
        collector.raise_if_any()
    return year, settings(next(iter(bundles.values())).year)


def _one_year(bundles: dict) -> int:
    years = {b.year.year for b in bundles.values()}
    if len(years) != 1:
        raise InvalidInput([Problem("标准数据", (), "应为同一年度的标准")])
    return years.pop()


def _unique_ids(entries, path, what, collector):
    seen = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and "id" in entry:
            if entry["id"] in seen:
                collector.add(path + (i, "id"), f"重复的{what} '{entry['id']}'（第 {seen[entry['id']] + 1} 条已使用）")
            else:
                seen[entry["id"]] = i


def check_review(value: dict, bundle, assessment: dict | None = None, source: str = "评议文件",
                 assessment_hash: str | None = None) -> dict:
    """A read review against the bundle it names and (when given) the self-assessment it reviews.

    The hash binding is checked here: a review of another standard's text, or of a self-assessment
    that changed afterwards, or made under other evaluation rules of the year, is refused with the
    reason. `assessment_hash`: the self-assessment's content hash when the caller has verified it
    already (a workspace's entries), to save hashing it again. Returns `value`.
    """
    from .standards import content_hash, rules_hash

    collector = Collector(source)
    standard, year = bundle.standard, bundle.year.year
    if value["year"] != year:
        collector.add(("year",), f"该评议为 {value['year']} 年度（当前为 {year} 年度）")
    if value["standard"] != standard.id:
        collector.add(("standard",), f"该评议针对标准 '{value['standard']}'（当前标准为 '{standard.id}'：{standard.short_title}）")
    collector.raise_if_any()
    if value["standard_hash"] != bundle.hash:
        collector.add(("standard_hash",), "评议所依据的标准内容与当前发布的标准不一致（标准已修订），评议不能使用，请按当前标准重新核查")
    if value["rules_hash"] != rules_hash(bundle.year):
        collector.add(("rules_hash",), f"评议所依据的 {year} 年度年终评议规则（year.yaml 中的 evaluation）与当前规则不一致"
                                       "（规则已修改），评议不能使用，请按当前规则重新核定")
    bound = value["assessment_hash"]
    if assessment is None and bound is not None:
        collector.add(("assessment_hash",), f"该评议针对一份自评文件（内容哈希 {bound}），请同时提供该自评文件")
    elif assessment is not None:
        actual = assessment_hash or content_hash(assessment)
        if bound is None:
            collector.add(("assessment_hash",), "该评议未针对自评文件（仅依据监督记录和检查发现），不应同时提供自评文件")
        elif actual != bound:
            collector.add(("assessment_hash",), f"自评文件在评议之后已被改动（评议记录的内容哈希为 {bound}，"
                                                f"当前文件为 {actual}），评议不能使用，请对改动后的自评文件重新核查")
    collector.raise_if_any()
    rules = settings(bundle.year)
    known = index(bundle)
    declared = assessment.get("items", {}) if assessment else {}
    seen = {}
    for i, decision in enumerate(value["decisions"]):
        path = ("decisions", i)
        key = (decision["item"], decision["index"])
        if key in seen:
            collector.add(path, f"对 {key[0]} 第 {key[1] + 1} 条记录重复作出决定（第 {seen[key] + 1} 条已有）")
        seen[key] = i
        if key[1] >= len(declared.get(key[0], ())):
            collector.add(path, f"自评文件中没有 {key[0]} 的第 {key[1] + 1} 条记录")
        kind = decision["decision"]
        if kind in ("adjust", "reject") and not decision.get("reason", "").strip():
            collector.add(path + ("reason",), f"{DECISION_NAMES[kind]}须写明理由")
        if kind == "adjust" and "count" not in decision and "date" not in decision:
            collector.add(path, "核减/核增须给出核定后的次数（count）或日期（date）")
        if kind != "adjust" and ("count" in decision or "date" in decision):
            collector.add(path, f"{DECISION_NAMES[kind]}不改变次数和日期（只有核减/核增给出 count 或 date）")
        if "date" in decision:
            check_date(decision["date"], path + ("date",), collector, year)
    _unique_ids(value["additions"], ("additions",), "补充记录编号", collector)
    for i, addition in enumerate(value["additions"]):
        path = ("additions", i)
        if addition["item"] not in known:
            collector.add(path + ("item",), f"未知的扣分项、奖励项或等级限制 '{addition['item']}'（当前标准中没有该 id）")
        if addition["source"] not in rules.sources:
            collector.add(path + ("source",), f"未知的来源 '{addition['source']}'（应为：{'、'.join(rules.sources.values())}）")
        check_date(addition["date"], path + ("date",), collector, year)
    q = value.get("qualitative")
    if q and q["level"] not in rules.levels:
        names = "、".join(f"{k}（{v.name}）" for k, v in rules.levels.items())
        collector.add(("qualitative", "level"), f"未知的定性评价等次 '{q['level']}'（应为：{names}）")
    names = {r.name for r in rules.related}
    for name in value.get("related", {}):
        if name not in names:
            collector.add(("related", name), f"年度设置中没有相关评议结果“{name}”（应为：{'、'.join(names) or '无'}）")
    if value.get("team", {}).get("date"):
        check_date(value["team"]["date"], ("team", "date"), collector)
    collector.raise_if_any()
    return value


def check_workspace(value: dict, bundles: dict, source: str = "年度工作文件") -> dict:
    """A read workspace: every embedded document checked against its own format and the year's data."""
    from . import assessment as assessment_module
    from .standards import content_hash

    collector = Collector(source)
    year, rules = _same_year(value, bundles, collector)

    def nested(path, run):
        try:
            run()
        except InvalidInput as exc:
            for p in exc.problems:
                collector.problems.append(Problem(source, tuple(path) + p.path, p.message))

    by_hash = {}
    for i, entry in enumerate(value["assessments"]):
        a = entry["assessment"]
        bundle = bundles.get(a.get("standard"))
        if bundle is None:
            collector.add(("assessments", i, "assessment", "standard"), f"{year} 年度没有标准 {a.get('standard')!r}")
            continue
        nested(("assessments", i, "assessment"), lambda a=a, b=bundle: assessment_module.check(a, b))
        if content_hash(a) != entry["hash"]:
            collector.add(("assessments", i, "hash"), "记录的内容哈希与自评内容不符（文件可能被改动）")
        by_hash[entry["hash"]] = a
    record_schema = load_schema("supervision")["$defs"]["record"]
    _unique_ids(value["supervision"], ("supervision",), "监督记录编号", collector)
    for i, record in enumerate(value["supervision"]):
        before = len(collector.problems)
        validate(record, record_schema, collector.add, ("supervision", i), load_schema("supervision"))
        if len(collector.problems) == before:
            check_record(record, ("supervision", i), collector, bundles, rules, year)
    _unique_ids(value["reviews"], ("reviews",), "评议编号", collector)
    for i, review in enumerate(value["reviews"]):
        def one(review=review):
            read(review, REVIEW, strings=False)
            bundle = bundles.get(review["standard"])
            if bundle is None:
                raise InvalidInput([Problem(source, ("standard",), f"{year} 年度没有标准 '{review['standard']}'")])
            bound = review["assessment_hash"]
            if bound is not None and bound not in by_hash:
                raise InvalidInput([Problem(source, ("assessment_hash",), "工作文件中没有该评议所针对的自评文件")])
            check_review(review, bundle, by_hash.get(bound), assessment_hash=bound)  # verified above
        nested(("reviews", i), one)
    if "application" in value:  # results application and rectification (issue #16)
        from .application_files import check_part

        nested(("application",), lambda: check_part(value["application"], bundles, value))
    collector.raise_if_any()
    return value


def check_feedback(value: dict, bundle, source: str = "反馈文件") -> dict:
    """A read feedback file: its review bound to its self-assessment and to this standard, and the
    rectification list it may carry bound to that review (`application_files.check_carried`)."""
    from . import assessment as assessment_module

    collector = Collector(source)
    if value["standard"] != bundle.standard.id or value["year"] != bundle.year.year:
        collector.add(("standard",), f"该反馈针对 {value['year']} 年度标准 '{value['standard']}'"
                                     f"（本页为 {bundle.year.year} 年度 '{bundle.standard.id}'）")
        collector.raise_if_any()
    if value["assessment"] is not None:
        assessment_module.check(value["assessment"], bundle, source)
    check_review(read(value["review"], REVIEW, source), bundle, value["assessment"], source)
    from .application_files import check_carried  # the rectification list it may carry (issue #16)

    check_carried(value, bundle, source)
    return value
