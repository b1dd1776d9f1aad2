"""Scoring: the rules of the indicator standards, in one place.

- An indicator loses the sum over its deduction items of occurrences x points; an item's own cap
  applies first; the indicator never goes below 0 (扣完为止).
- Bonuses are summed with their own caps, then capped by the year's bonus cap.
- Total = base - deductions + bonus, in Decimal (0.1 + 0.2 is 0.3).
- The grade comes from the year's bands (inclusive lower bounds), then is lowered by any grade-limit
  situation that occurred.
Every rule applied is written to the receipt with its arithmetic, so anyone can check the total by hand.
The result is plain JSON-ready data: the browser shows it as it is.
"""

from __future__ import annotations

from .assessment import check, count
from .numbers import ZERO, dec, fmt, plain


def score(bundle: dict, assessment: dict, checked: bool = False) -> dict:
    """Score `assessment` against `bundle`. Raises InvalidInput (every reason) if it does not fit."""
    if not checked:
        check(assessment, bundle)
    year, standard = bundle["year"], bundle["standard"]
    answers = assessment.get("items", {})
    receipt = [f"基本分 {fmt(standard['base_score'])}"]
    caps_hit = []
    areas = []
    deducted_total = ZERO
    for area in standard["areas"]:
        indicators, deducted = [], ZERO
        for indicator in area["indicators"]:
            entry, lost = _indicator(indicator, answers, receipt, caps_hit)
            indicators.append(entry)
            deducted += lost
        deducted_total += deducted
        areas.append({
            "id": area["id"], "name": area["name"], "points": plain(area["points"]),
            "deducted": plain(deducted), "score": plain(dec(area["points"]) - deducted), "indicators": indicators,
        })

    bonuses, bonus = _bonuses(standard, year, answers, receipt, caps_hit)
    base = dec(standard["base_score"])
    total = base - deducted_total + bonus
    receipt.append(f"总分 {fmt(base)} - {fmt(deducted_total)} + {fmt(bonus)} = {fmt(total)}")
    grade_by_score = grade_for(year, total)
    receipt.append(f"按得分评定等级：{grade_by_score['name']}（{fmt(total)} ≥ {fmt(grade_by_score['min'])}）")
    grade, limits = _apply_limits(year, grade_by_score, answers, receipt)

    # Numbers leave as plain JSON numbers (converted where they are made: walking the whole result
    # afterwards cost as much as the scoring itself).
    return {
        "standard": standard["id"],
        "year": year["year"],
        "standard_hash": bundle["hash"],
        "organization": assessment.get("organization", {}).get("name", ""),
        "base": plain(base),
        "deducted": plain(deducted_total),
        "bonus": plain(bonus),
        "total": plain(total),
        "areas": areas,
        "bonuses": bonuses,
        "grade": {k: grade[k] for k in ("id", "name", "meaning", "application")},  # text only
        "grade_by_score": grade_by_score["id"],
        "limits_applied": limits,
        "caps_hit": caps_hit,
        "receipt": receipt,
    }


def _answered(items, answers, receipt, caps_hit, sign):
    """Each answered item's amount (its own cap applied), and their sum: deductions and bonuses alike."""
    entries, raw = [], ZERO
    for item in items:
        occurrences = answers.get(item["id"])
        if not occurrences:  # most items of a standard are not answered: skip them before counting
            continue
        n = count(occurrences)
        if n == 0:
            continue
        amount, capped = _amount(item, n, receipt, sign)
        if capped:
            caps_hit.append({"id": item["id"], "kind": "item"})
        raw += amount
        entries.append({"id": item["id"], "text": item["text"], "count": n, "points": plain(item["points"]),
                        "per": item.get("per", "occurrence"), "amount": plain(amount), "capped": capped})
    return entries, raw


def _indicator(indicator, answers, receipt, caps_hit):
    points = dec(indicator["points"])
    items, raw = _answered(indicator["deductions"], answers, receipt, caps_hit, sign="-")
    deducted = min(raw, points)
    floored = raw > points
    if floored:
        caps_hit.append({"id": indicator["id"], "kind": "indicator"})
        receipt.append(f"{indicator['id']} {indicator['title']} 扣分合计 {fmt(raw)} 超过指标分值 {fmt(points)}，"
                       f"扣完为止 → -{fmt(points)}")
    return {"id": indicator["id"], "title": indicator["title"], "points": plain(points), "deducted": plain(deducted),
            "score": plain(points - deducted), "floored": floored, "items": items}, deducted


def _amount(item, n, receipt, sign):
    points = dec(item["points"])
    if item.get("per", "occurrence") == "once":
        receipt.append(f"{item['id']} {item['text']} 发生 {n} 次，按一次计 = {sign}{fmt(points)}")
        return points, False
    amount = points * n
    line = f"{item['id']} {item['text']} x{n} x {fmt(points)} = {sign}{fmt(amount)}"
    if "cap" in item and amount > dec(item["cap"]):
        cap = dec(item["cap"])
        receipt.append(f"{line}，单项上限 {fmt(cap)} → {sign}{fmt(cap)}")
        return cap, True
    receipt.append(line)
    return amount, False


def _bonuses(standard, year, answers, receipt, caps_hit):
    entries, raw = _answered(standard["bonuses"], answers, receipt, caps_hit, sign="+")
    cap = dec(year["bonus_cap"])
    if raw > cap:
        caps_hit.append({"id": "bonus_cap", "kind": "year"})
        receipt.append(f"奖励合计 {fmt(raw)} 超过年度奖励上限 {fmt(cap)} → +{fmt(cap)}")
        return entries, cap
    return entries, raw


def grade_for(year: dict, total) -> dict:
    """The band whose inclusive lower bound is the highest one not above `total`."""
    for grade in year["grades"]:
        if dec(total) >= dec(grade["min"]):
            return grade
    return year["grades"][-1]


def _apply_limits(year, grade, answers, receipt):
    order = [g["id"] for g in year["grades"]]  # best first
    applied = []
    for limit in year["grade_limits"]:
        if count(answers.get(limit["id"], [])) == 0:
            continue
        applied.append(limit["id"])
        cap = next(g for g in year["grades"] if g["id"] == limit["max_grade"])
        if order.index(cap["id"]) > order.index(grade["id"]):
            receipt.append(f"{limit['id']} {limit['text']}：等级最高为{cap['name']} → {cap['name']}")
            grade = cap
        else:
            receipt.append(f"{limit['id']} {limit['text']}：等级最高为{cap['name']}（当前等级不高于此，不变）")
    receipt.append(f"最终等级：{grade['name']}")
    return grade, applied
