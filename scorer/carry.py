"""Bring last year's answers forward into this year's standard.

Answers move by id: an item keeps its id across years, or follows its indicator through `replaces`
(POL-02a becomes POL-03a when POL-03 replaces POL-02). Whatever moved, changed or disappeared is
listed for review, so nothing is carried silently under criteria that are no longer the same.
"""

from __future__ import annotations

import copy

from .assessment import FORMAT, count
from .diff import normalize


def _items(bundle):
    """item id -> (kind, item, indicator or None, area id or None)"""
    found = {}
    for area in bundle["standard"]["areas"]:
        for indicator in area["indicators"]:
            for item in indicator["deductions"]:
                found[item["id"]] = ("deduction", item, indicator, area["id"])
    for bonus in bundle["standard"]["bonuses"]:
        found[bonus["id"]] = ("bonus", bonus, None, None)
    for limit in bundle["year"]["grade_limits"]:
        found[limit["id"]] = ("limit", limit, None, None)
    return found


def _successor(old_id, old_items, new_items, replaced_by):
    if old_id in new_items:
        return old_id
    kind, _, indicator, _ = old_items[old_id]
    if kind != "deduction" or indicator["id"] not in replaced_by:
        return None
    candidate = replaced_by[indicator["id"]] + old_id[len(indicator["id"]):]
    return candidate if candidate in new_items else None


def carry_forward(old_bundle: dict, new_bundle: dict, old_assessment: dict) -> dict:
    """{"assessment": the answers re-keyed for new_bundle, "review": [what a person should look at]}.

    `old_assessment` must already have passed `assessment.check` against `old_bundle`.
    """
    old_items, new_items = _items(old_bundle), _items(new_bundle)
    replaced_by = {}
    for area in new_bundle["standard"]["areas"]:
        for indicator in area["indicators"]:
            for old in indicator.get("replaces", []):
                replaced_by[old] = indicator["id"]
    carried, review = {}, []
    for old_id, occurrences in old_assessment.get("items", {}).items():
        n = count(occurrences)
        if n == 0:
            continue
        new_id = _successor(old_id, old_items, new_items, replaced_by)
        if new_id is None:
            review.append({"id": old_id, "new_id": None, "status": "removed", "count": n,
                           "text": old_items[old_id][1]["text"]})
            continue
        carried[new_id] = copy.deepcopy(occurrences)
        kind, old_item, old_indicator, old_area = old_items[old_id]
        _, new_item, new_indicator, new_area = new_items[new_id]
        reasons = []
        if new_id != old_id:
            reasons.append("renamed")
        if old_area != new_area:
            reasons.append("moved")
        fields = [f for f in ("text", "points", "per", "cap", "max_grade") if normalize(old_item.get(f)) != normalize(new_item.get(f))]
        if old_indicator is not None and normalize(old_indicator["points"]) != normalize(new_indicator["points"]):
            fields.append("indicator.points")
        if fields:
            reasons.append("changed")
        if reasons:
            review.append({"id": old_id, "new_id": new_id, "status": reasons[0], "reasons": reasons, "count": n,
                           "fields": fields, "text": new_item["text"], "old_text": old_item["text"]})
    assessment = {
        "format": FORMAT,
        "standard": new_bundle["standard"]["id"],
        "year": new_bundle["year"]["year"],
        "standard_hash": new_bundle["hash"],
        "organization": copy.deepcopy(old_assessment.get("organization", {"name": ""})),
        "items": carried,
    }
    if "assessor" in old_assessment:
        assessment["assessor"] = {k: v for k, v in old_assessment["assessor"].items() if k == "name"}
    return {"assessment": assessment, "review": review}
