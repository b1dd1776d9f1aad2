"""Year settings and indicator standards: the invariants a schema cannot express.

A standard's numbers must add up (areas to the base score, indicators to their area), its ids must be
unique and well formed, every basis must resolve to an article of the Measures, and a year's grade
bands must cover the whole score range. The checks work on plain values (they run before anything is
trusted enough to become a `scorer.model` record), so they run in Pyodide on the published JSON as
well as in CPython on the YAML; `bundle` then joins the model records.
"""

from __future__ import annotations

import hashlib
import json

from .errors import Collector
from .model import PER_ONCE, Bundle, Standard, Year
from .numbers import ZERO, dec, fmt, json_default
from .schema import best_effort, describe, load_schema, validate

AREAS = ("political", "ideological", "organizational", "conduct", "discipline", "institutional")
BUNDLE_FORMAT = "gm-standard/1"


def check_year(value, collector: Collector) -> None:
    """Problems with one year's settings (year.yaml)."""
    validate(value, load_schema("year"), collector.add)
    best_effort(_year_invariants, value, collector)


def _year_invariants(value, collector):
    grades = value["grades"]
    ids = _unique([g["id"] for g in grades], ("grades",), "等级 id", collector)
    for i in range(1, len(grades)):
        if dec(grades[i]["min"]) >= dec(grades[i - 1]["min"]):
            collector.add(("grades", i, "min"),
                          f"等级下限 {fmt(grades[i]['min'])} 不低于上一等级的下限 {fmt(grades[i - 1]['min'])}"
                          "（等级须按下限从高到低排列，区间不得重叠）")
    if dec(grades[-1]["min"]) != ZERO:
        collector.add(("grades", len(grades) - 1, "min"),
                      f"最低等级的下限为 {fmt(grades[-1]['min'])}（应为 0，否则低于它的得分没有等级）")
    weights = value.get("reference_weights", {})
    if sum((dec(w) for w in weights.values()), ZERO) >= 1:
        collector.add(("reference_weights",), "参考评议结果的权重合计应小于 1（其余为本标准得分的权重）")
    _unique([lim["id"] for lim in value["grade_limits"]], ("grade_limits",), "等级限制 id", collector)
    from .yearfiles import check_settings  # the year-end evaluation's rules (issue #15)

    check_settings(value, collector, ids)
    from .application import check_settings as check_application  # results application (issue #16)

    check_application(value, collector, ids)
    for i, limit in enumerate(value["grade_limits"]):
        if limit["max_grade"] not in ids:
            collector.add(("grade_limits", i, "max_grade"),
                          f"未知等级 '{limit['max_grade']}'（应为本年度等级 id 之一：{', '.join(ids)}）")


def check_standard(value, collector: Collector, articles: dict, subjects: set, year: dict | None = None) -> None:
    """Problems with one standard. `articles` maps article id -> title; `subjects` are chapter 2's ids;
    `year`, the settings of its year when they are valid, for the bonuses against the year's cap."""
    validate(value, load_schema("standard"), collector.add)
    best_effort(_standard_invariants, value, collector, articles, subjects)
    if year is not None:
        best_effort(_bonuses_within_year, value, collector, year)


def _bonuses_within_year(value, collector, year):
    """A bonus item (or its cap) above the year's bonus cap can never be granted in full."""
    year_cap = dec(year["bonus_cap"])
    for b, bonus in enumerate(value["bonuses"]):
        for key, what in (("points", "分值"), ("cap", "上限")):
            if key in bonus and dec(bonus[key]) > year_cap:
                collector.add(("bonuses", b, key),
                              f"奖励项 {bonus['id']} 的{what} {fmt(bonus[key])} 超过本年度奖励分上限 bonus_cap "
                              f"{fmt(year['bonus_cap'])}（year.yaml），不可能全额加分；应不大于 {fmt(year['bonus_cap'])}")


def highest_score(standard: dict, year: dict):
    """The highest total any assessment can reach: the base score plus the most the bonuses can give
    (the year's cap, or less when every bonus item has a cap of its own and they add up to less)."""
    bonuses = standard["bonuses"]
    if all("cap" in b for b in bonuses):
        most = min(dec(year["bonus_cap"]), sum((dec(b["cap"]) for b in bonuses), ZERO))
    else:
        most = dec(year["bonus_cap"])
    return dec(standard["base_score"]), most


def check_grades_reachable(year: dict, standards: dict, collector: Collector) -> None:
    """Problems of a year's settings (`collector` is year.yaml's) against its standards: a top grade
    whose lower bound is above the highest score of a standard can be given to nobody under it."""
    best_effort(_grades_reachable, year, collector, standards)


def _grades_reachable(year, collector, standards):
    top = year["grades"][0]
    for standard_id, standard in standards.items():
        base, bonus = highest_score(standard, year)
        if dec(top["min"]) > base + bonus:
            collector.add(("grades", 0, "min"),
                          f"最高等级“{top['name']}”的下限 {fmt(top['min'])} 高于标准 {standard_id} 的最高可能得分 "
                          f"{fmt(base + bonus)}（基本分 {fmt(base)} + 奖励分至多 {fmt(bonus)}），任何得分都评不上该等级")


def _standard_invariants(value, collector, articles, subjects):
    for i, article in enumerate(value["applies_to"]):
        if article not in subjects:
            collector.add(("applies_to", i),
                          f"'{article}' 不是第二章（责任主体）中的条（应为以下之一：{', '.join(sorted(subjects, key=_num))}）")
    areas = value["areas"]
    for i, area in enumerate(areas):
        if area["id"] != AREAS[i]:
            collector.add(("areas", i, "id"), f"第 {i + 1} 个责任领域为 '{area['id']}'（应为 '{AREAS[i]}'，六大建设按固定顺序排列）")
    total = sum((dec(a["points"]) for a in areas), ZERO)
    if total != dec(value["base_score"]):
        collector.add(("areas",), f"六个领域分值合计 {fmt(total)}（应等于基本分 {fmt(value['base_score'])}）")
    indicator_ids, item_ids = [], []
    for a, area in enumerate(areas):
        subtotal = sum((dec(ind["points"]) for ind in area["indicators"]), ZERO)
        if subtotal != dec(area["points"]):
            collector.add(("areas", a, "points"),
                          f"{area['name']}各指标分值合计 {fmt(subtotal)}（应等于该领域分值 {fmt(area['points'])}）")
        for i, indicator in enumerate(area["indicators"]):
            where = ("areas", a, "indicators", i)
            indicator_ids.append((indicator["id"], where + ("id",)))
            for b, basis in enumerate(indicator["basis"]):
                if basis not in articles:
                    collector.add(where + ("basis", b), f"依据 '{basis}' 不是《办法》中的条（应为 article-1 至 article-{len(articles)}）")
            for d, item in enumerate(indicator["deductions"]):
                place = where + ("deductions", d)
                item_ids.append((item["id"], place + ("id",)))
                if not item["id"].startswith(indicator["id"]):
                    collector.add(place + ("id",), f"扣分项 id {describe(item['id'])} 应以所属指标 id {describe(indicator['id'])} 开头")
                _check_cap(item, place, collector)
                _check_within_indicator(item, indicator, place, collector)
    for b, bonus in enumerate(value["bonuses"]):
        item_ids.append((bonus["id"], ("bonuses", b, "id")))
        _check_cap(dict(bonus, per="occurrence"), ("bonuses", b), collector)
    _unique_at(indicator_ids, "指标 id", collector)
    _unique_at(item_ids, "扣分项或奖励项 id", collector)


def _check_cap(item, place, collector):
    if "cap" not in item:
        return
    if item["per"] == PER_ONCE:
        collector.add(place + ("cap",), "per 为 once 的扣分项只扣一次，不应设上限 cap（删去 cap 或改为 per: occurrence）")
    elif dec(item["cap"]) < dec(item["points"]):
        collector.add(place + ("cap",), f"上限 {fmt(item['cap'])} 小于单次分值 {fmt(item['points'])}（上限应不小于单次分值）")


def _check_within_indicator(item, indicator, place, collector):
    """An indicator loses at most its own points: a one-off deduction or a cap above them cannot be
    what the editor meant (scoring would silently stop at the indicator's points)."""
    points = dec(indicator["points"])
    if item["per"] == PER_ONCE and dec(item["points"]) > points:
        collector.add(place + ("points",),
                      f"per 为 once 的扣分项扣 {fmt(item['points'])} 分，超过所属指标 {indicator['id']} 的分值 "
                      f"{fmt(indicator['points'])}（指标扣完为止，扣分应不大于指标分值）")
    if "cap" in item and dec(item["cap"]) > points:
        collector.add(place + ("cap",),
                      f"上限 {fmt(item['cap'])} 超过所属指标 {indicator['id']} 的分值 {fmt(indicator['points'])}"
                      "（指标扣完为止，上限应不大于指标分值）")


def _unique(ids, path, what, collector):
    seen = []
    for i, item in enumerate(ids):
        if item in seen:
            collector.add(path + (i, "id"), f"重复的{what} '{item}'（每个 id 只能出现一次）")
        seen.append(item)
    return seen


def _unique_at(pairs, what, collector):
    seen = {}
    for item, path in pairs:
        if item in seen:
            collector.add(path, f"重复的{what} '{item}'（每个 id 只能出现一次，且不得重复使用）")
        seen[item] = path


def _num(article_id: str) -> int:
    return int(article_id.rsplit("-", 1)[1])


def bundle(year: Year, standard: Standard) -> Bundle:
    """What the browser and other systems load for one standard of one year: both parts and a content hash.

    The hash covers exactly what scoring depends on, so an assessment filled against other criteria
    (changed points, bands or wording) is recognised as such on import.
    """
    body = {"year": year.to_json(), "standard": standard.to_json()}
    return Bundle(BUNDLE_FORMAT, year, standard, scoring_hash(body["year"], body["standard"]))


# Parts of a year's settings that do not change how a self-assessment scores: left out of the bundle's
# hash, so adding or changing them never refuses a self-assessment saved before. The year-end
# evaluation's rules bind reviews through their own hash (`rules_hash`); the results application's
# wordings and rules (#16) come after the final result, and a decision binds to the result itself.
NOT_SCORING = ("evaluation", "application")


def scoring_hash(year: dict, standard: dict) -> str:
    """The content hash a self-assessment binds to: the year's settings (but `NOT_SCORING`) and the
    standard, as published (plain values)."""
    return content_hash({"year": {k: v for k, v in year.items() if k not in NOT_SCORING}, "standard": standard})


_RULES: dict = {}


def rules_hash(year) -> str | None:
    """The hash of the year's evaluation rules (`model.Year.evaluation`) a review binds to (None when
    the year has none). Made once per rules record (kept alive with it, so its id is not reused): a
    workspace checks 1000 reviews against the same year. Records are frozen."""
    rules = year.evaluation
    if rules is None:
        return None
    cached = _RULES.get(id(rules))
    if cached is None or cached[0] is not rules or cached[1] != year.year:
        if len(_RULES) >= 64:
            _RULES.clear()
        cached = _RULES[id(rules)] = (rules, year.year, content_hash({"year": year.year, "evaluation": rules.to_json()}))
    return cached[2]


def content_hash(body: dict) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=json_default)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

