"""Scoring: the rules of the indicator standards, in one place.

- An indicator loses the sum over its deduction items of occurrences x points; an item's own cap
  applies first; the indicator never goes below 0 (扣完为止).
- Bonuses are summed with their own caps, then capped by the year's bonus cap.
- Total = base - deductions + bonus, in Decimal (0.1 + 0.2 is 0.3).
- The grade comes from the year's bands (inclusive lower bounds), then is lowered by any grade-limit
  situation that occurred.
- Only occurrences dated inside the assessment year count. One dated in another year is kept and
  shown with its reason but not counted, as a row without a date is not counted: the year is decided
  here, once, so the CLI, the page, the printed report, the .xlsx and the office table agree.
Every rule applied is written to the receipt with its arithmetic in plain Chinese (发生 4 次 × 1 分 =
4 分), so anyone can check the total by hand; that wording is made here and nowhere else.
The result is plain JSON-ready data (the browser shows it as it is), made directly in that form
because the page rescores on every change: building records first and converting them cost a third
more per score. Its shape is `model.ScoreResult`, which `score_result` gives Python callers; a test
holds every result to that class key for key, so the two cannot drift apart.
"""

from __future__ import annotations

from datetime import date

from .assessment import check, count, item_ids
from .items import index as item_index
from .model import PER_ONCE, Bundle, Grade, ScoreResult, Year, derived
from .numbers import ZERO, dec, num, plain

KIND_NAMES = {"deduction": "扣分", "bonus": "奖励", "limit": "等级限制"}


def outside_year(text, year: int):
    """Why an occurrence dated `text` does not count in `year` (a Chinese reason), or None if it does."""
    try:
        when = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        when = None
    if when is None:
        return f"日期 {text!r} 无法识别，未计入得分"
    if when.year != year:
        return f"日期 {text} 不在 {year} 年度内，未计入得分"
    return None


def split_by_year(answers: dict, year: int, order) -> tuple:
    """(answers with only the occurrences dated in `year`, [each occurrence left out, with its reason]).

    `order`: the item ids in the standard's order, so the list reads like the standard.
    """
    counted, excluded = {}, []
    for item_id in order:
        occurrences = answers.get(item_id)
        if not occurrences:
            continue
        kept = []
        for index, occurrence in enumerate(occurrences):
            reason = outside_year(occurrence.get("date"), year)
            if reason is None:
                kept.append(occurrence)
            else:
                excluded.append({"id": item_id, "index": index, "date": occurrence.get("date"),
                                 "count": count([occurrence]), "reason": reason})
        if kept:
            counted[item_id] = kept
    return counted, excluded


def score(bundle, assessment: dict, checked: bool = False, detail: bool = True) -> dict:
    """Score `assessment` against `bundle` (a `model.Bundle`; a published bundle dict is read into
    one). Raises InvalidInput (every reason) if it does not fit.

    detail=False: the figures only (no `receipt`, `declared` or `notes`), for a district pass that
    keeps each organization's totals, grades and area scores and shows one organization's receipt on
    request: wording 1000 receipts nobody reads was a third of a district's time. The figures are
    the same either way (site_tests/test_scoring_lean.py)."""
    bundle = Bundle.of(bundle)
    if not checked:
        check(assessment, bundle)
    year, standard = bundle.year, bundle.standard
    kinds = item_ids(bundle)
    declared = assessment.get("items", {})
    answers, excluded = split_by_year(declared, year.year, kinds)
    receipt = [f"基本分 {num(standard.base_score)} 分"] if detail else None
    if detail:
        for entry in excluded:
            receipt.append(f"{entry['id']} 第 {entry['index'] + 1} 条记录（发生 {entry['count']} 次）：{entry['reason']}")
    caps_hit = []
    areas = []
    deducted_total = ZERO
    for area, area_points, indicator_entries in _shape(bundle):
        indicators, deducted = [], ZERO
        for indicator, ids, empty in indicator_entries:
            if answers.keys().isdisjoint(ids):  # most indicators of an assessment have nothing declared
                indicators.append(dict(empty, items=[]))
                continue
            entry, lost = _indicator(indicator, answers, receipt, caps_hit)
            indicators.append(entry)
            deducted += lost
        deducted_total += deducted
        areas.append({
            "id": area.id, "name": area.name, "points": area_points,
            "deducted": plain(deducted), "score": plain(area.points - deducted), "indicators": indicators,
        })

    bonuses, bonus = _bonuses(standard, year, answers, receipt, caps_hit)
    base = standard.base_score
    total = base - deducted_total + bonus
    grade_by_score = grade_for(year, total)
    if detail:
        receipt.append(f"总分：基本分 {num(base)} 分 − 扣分 {num(deducted_total)} 分 + 加分 {num(bonus)} 分 = {num(total)} 分")
        receipt.append(f"按得分评定等级：{grade_by_score.name}（{num(total)} 分 ≥ {num(grade_by_score.min)} 分）")
    grade, limits = _apply_limits(year, grade_by_score, answers, receipt)

    # Numbers leave as plain JSON numbers (converted where they are made: walking the whole result
    # afterwards cost as much as the scoring itself).
    result = {
        "standard": standard.id,
        "year": year.year,
        "standard_hash": bundle.hash,
        "organization": assessment.get("organization", {}).get("name", ""),
        "base": plain(base),
        "deducted": plain(deducted_total),
        "bonus": plain(bonus),
        "total": plain(total),
        "areas": areas,
        "bonuses": bonuses,
        "grade": {"id": grade.id, "name": grade.name, "meaning": grade.meaning,  # text only
                  "application": grade.application.to_json()},
        "grade_by_score": grade_by_score.id,
        "limits_applied": limits,
        "caps_hit": caps_hit,
    }
    if detail:
        result.update({
            "receipt": receipt,
            "excluded": excluded,
            "notes": _notes(excluded, year.year),
            "declared": _declared(bundle, kinds, declared, excluded),
        })
    else:
        result["excluded"] = excluded
    return result


_SHAPES: dict = {}


def _shape(bundle):
    """Per area: (area, its points as JSON, per indicator (indicator, its deduction ids, its entry when
    nothing is declared against it)): made once per bundle (`model.derived`)."""
    def make(b):
        out = []
        for area in b.standard.areas:
            entries = []
            for ind in area.indicators:
                points = plain(ind.points)
                entries.append((ind, frozenset(d.id for d in ind.deductions),
                                {"id": ind.id, "title": ind.title, "points": points, "deducted": 0, "score": points,
                                 "floored": False, "items": []}))
            out.append((area, plain(area.points), tuple(entries)))
        return tuple(out)
    return derived(_SHAPES, bundle, make)


def score_result(bundle, assessment: dict, checked: bool = False) -> ScoreResult:
    """`score` as the typed record (`model.ScoreResult`): for Python callers that read the result."""
    return ScoreResult.from_json(score(bundle, assessment, checked))


def _notes(excluded, year):
    """What a reader of the result must know beside the figures, in sentences every view shows as is."""
    if not excluded:
        return []
    where = "、".join(f"{e['id']}（{e['date']}）" for e in excluded)
    return [f"有 {len(excluded)} 条记录的日期不在 {year} 年度内，未计入得分：{where}。"]


def evidence_text(entry: dict) -> str:
    """One evidence reference in words: 纪要.pdf（存放于：档案室） sha256:…"""
    text = entry["file"]
    if entry.get("location"):
        text += f"（存放于：{entry['location']}）"
    if entry.get("sha256"):
        text += f" sha256:{entry['sha256']}"
    return text


def _declared(bundle, kinds, declared, excluded):
    """Every occurrence as declared, under its item in the standard's order, each marked counted or not
    with the reason: what the signed report and the .xlsx list beneath the figures."""
    entries = item_index(bundle)
    reasons = {(e["id"], e["index"]): e["reason"] for e in excluded}
    out = []
    for item_id, kind in kinds.items():
        occurrences = declared.get(item_id)
        if not occurrences:
            continue
        rows = []
        for index, occurrence in enumerate(occurrences):
            reason = reasons.get((item_id, index))
            rows.append({"date": occurrence.get("date", ""), "count": count([occurrence]),
                         "note": occurrence.get("note", ""),
                         "evidence": [evidence_text(e) for e in occurrence.get("evidence", [])],
                         "counted": reason is None, "reason": reason or ""})
        out.append({"id": item_id, "kind": kind, "kind_name": KIND_NAMES[kind], "text": entries[item_id].item.text,
                    "occurrences": rows})
    return out


def _answered(items, answers, receipt, caps_hit, sign):
    """Each answered item's amount (its own cap applied), and their sum: deductions and bonuses alike."""
    entries, raw = [], ZERO
    for item in items:
        occurrences = answers.get(item.id)
        if not occurrences:  # most items of a standard are not answered: skip them before counting
            continue
        n = count(occurrences)
        if n == 0:
            continue
        amount, capped = _amount(item, n, receipt, sign)
        if capped:
            caps_hit.append({"id": item.id, "kind": "item"})
        raw += amount
        entries.append({"id": item.id, "text": item.text, "count": n, "points": plain(item.points),
                        "per": item.per, "amount": plain(amount), "capped": capped})
    return entries, raw


def _indicator(indicator, answers, receipt, caps_hit):
    points = indicator.points
    items, raw = _answered(indicator.deductions, answers, receipt, caps_hit, sign="-")
    deducted = min(raw, points)
    floored = raw > points
    if floored:
        caps_hit.append({"id": indicator.id, "kind": "indicator"})
        if receipt is not None:
            receipt.append(f"{indicator.id} {indicator.title}：扣分合计 {num(raw)} 分，超过指标分值 {num(points)} 分，"
                           f"扣完为止，扣 {num(points)} 分")
    return {"id": indicator.id, "title": indicator.title, "points": plain(points), "deducted": plain(deducted),
            "score": plain(points - deducted), "floored": floored, "items": items}, deducted


def _amount(item, n, receipt, sign):
    """The item's amount, and its receipt line: 发生 4 次 × 1 分 = 4 分，扣 4 分."""
    points = item.points
    verb = "扣" if sign == "-" else "加"
    def head():
        return f"{item.id} {item.text}：发生 {n} 次"
    if item.per == PER_ONCE:
        if receipt is not None:
            receipt.append(f"{head()}，按一次计，{verb} {num(points)} 分")
        return points, False
    amount = points * n
    if item.cap is not None and amount > item.cap:
        cap = item.cap
        if receipt is not None:
            receipt.append(f"{head()} × {num(points)} 分 = {num(amount)} 分，超过单项上限 {num(cap)} 分，{verb} {num(cap)} 分")
        return cap, True
    if receipt is not None:
        receipt.append(f"{head()} × {num(points)} 分 = {num(amount)} 分，{verb} {num(amount)} 分")
    return amount, False


def _bonuses(standard, year, answers, receipt, caps_hit):
    entries, raw = _answered(standard.bonuses, answers, receipt, caps_hit, sign="+")
    cap = year.bonus_cap
    if raw > cap:
        caps_hit.append({"id": "bonus_cap", "kind": "year"})
        if receipt is not None:
            receipt.append(f"奖励合计 {num(raw)} 分，超过年度奖励上限 {num(cap)} 分，加 {num(cap)} 分")
        return entries, cap
    return entries, raw


def grade_for(year: Year, total) -> Grade:
    """The band (`model.Grade`) whose inclusive lower bound is the highest one not above `total`."""
    for grade in year.grades:
        if dec(total) >= grade.min:
            return grade
    return year.grades[-1]


def _apply_limits(year, grade, answers, receipt):
    order = [g.id for g in year.grades]  # best first
    applied = []
    for limit in year.grade_limits:
        if count(answers.get(limit.id, [])) == 0:
            continue
        applied.append(limit.id)
        cap = year.grade(limit.max_grade)
        if order.index(cap.id) > order.index(grade.id):
            if receipt is not None:
                receipt.append(f"{limit.id} {limit.text}：等级最高为{cap.name} → {cap.name}")
            grade = cap
        elif receipt is not None:
            receipt.append(f"{limit.id} {limit.text}：等级最高为{cap.name}（当前等级不高于此，不变）")
    if receipt is not None:
        receipt.append(f"最终等级：{grade.name}")
    return grade, applied
