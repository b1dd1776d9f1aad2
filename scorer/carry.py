"""Start this year's self-assessment from last year's: what carries, and a reminder of what happened.

Last year's occurrences are not this year's: they never enter this year's score. What does carry is
who is assessed and by whom (organization name, its kind while this year's standard still applies to
it, the assessor's name). Last year's answered items are mapped to this year's ids and returned as
`reminders`, read-only, each occurrence copyable into this year by the user with a date of this year.

Ids map by id: an item keeps its id across years, or follows its indicator through `replaces`
(POL-02a becomes POL-03a when POL-03 replaces POL-02). Whatever moved, changed or disappeared is
listed for review. `as_if` is last year's record re-keyed and re-dated into this year, only so that
the same record can be scored under both years' standards side by side; it is never a draft.
"""

from __future__ import annotations

import copy
from datetime import date

from .assessment import FORMAT, count
from .diff import normalize
from .items import walk_bundle
from .model import Bundle


def _items(bundle):
    """item id -> (kind, item, indicator or None, area id or None)"""
    return {e.id: (e.kind, e.item, e.indicator, e.area and e.area.id) for e in walk_bundle(bundle)}


def _successor(old_id, old_items, new_items, replaced_by):
    if old_id in new_items:
        return old_id
    kind, _, indicator, _ = old_items[old_id]
    if kind != "deduction" or indicator.id not in replaced_by:
        return None
    candidate = replaced_by[indicator.id] + old_id[len(indicator.id):]
    return candidate if candidate in new_items else None


def _redated(occurrences, year):
    """The occurrences with their dates moved into `year` (29 February becomes the 28th)."""
    out = []
    for occurrence in occurrences:
        when = date.fromisoformat(occurrence["date"])
        day = 28 if (when.month, when.day) == (2, 29) else when.day
        out.append(dict(copy.deepcopy(occurrence), date=date(year, when.month, day).isoformat()))
    return out


def carry_forward(old_bundle, new_bundle, old_assessment: dict) -> dict:
    """{"assessment": this year's starting draft (no occurrences), "reminders": last year's items under
    this year's ids, "review": [what changed], "as_if": last year's record for the side-by-side score}.

    `old_assessment` must already have passed `assessment.check` against `old_bundle`. The bundles
    are `model.Bundle`s (or their dicts).
    """
    old_bundle, new_bundle = Bundle.of(old_bundle), Bundle.of(new_bundle)
    old_items, new_items = _items(old_bundle), _items(new_bundle)
    replaced_by = {}
    for _area, indicator in new_bundle.standard.indicators():
        for old in indicator.replaces or ():
            replaced_by[old] = indicator.id
    new_year = new_bundle.year.year
    as_if, review, reminders = {}, [], []
    answers = old_assessment.get("items", {})
    for old_id in old_items:  # the old standard's order, not the file's
        occurrences = answers.get(old_id)
        n = count(occurrences or [])
        if n == 0:
            continue
        new_id = _successor(old_id, old_items, new_items, replaced_by)
        reminders.append({"id": old_id, "new_id": new_id, "kind": old_items[old_id][0],
                          "text": (new_items[new_id] if new_id else old_items[old_id])[1].text,
                          "old_text": old_items[old_id][1].text, "count": n,
                          "occurrences": copy.deepcopy(occurrences)})
        if new_id is None:
            review.append({"id": old_id, "new_id": None, "status": "removed", "count": n,
                           "text": old_items[old_id][1].text})
            continue
        as_if.setdefault(new_id, []).extend(_redated(occurrences, new_year))
        kind, old_item, old_indicator, old_area = old_items[old_id]
        _, new_item, new_indicator, new_area = new_items[new_id]
        reasons = []
        if new_id != old_id:
            reasons.append("renamed")
        if old_area != new_area:
            reasons.append("moved")
        fields = [f for f in ("text", "points", "per", "cap", "max_grade")
                  if normalize(getattr(old_item, f, None)) != normalize(getattr(new_item, f, None))]
        if old_indicator is not None and old_indicator.points != new_indicator.points:
            fields.append("indicator.points")
        if fields:
            reasons.append("changed")
        if reasons:
            review.append({"id": old_id, "new_id": new_id, "status": reasons[0], "reasons": reasons, "count": n,
                           "fields": fields, "text": new_item.text, "old_text": old_item.text})
    organization = {"name": old_assessment.get("organization", {}).get("name", "")}
    kind = old_assessment.get("organization", {}).get("kind")
    if kind and kind in new_bundle.standard.organization_kinds:
        organization["kind"] = kind
    assessment = {
        "format": FORMAT,
        "standard": new_bundle.standard.id,
        "year": new_year,
        "standard_hash": new_bundle.hash,
        "organization": organization,
        "items": {},
    }
    if old_assessment.get("assessor", {}).get("name"):
        assessment["assessor"] = {"name": old_assessment["assessor"]["name"]}
    return {"assessment": assessment, "reminders": reminders, "review": review,
            "as_if": dict(assessment, items=as_if)}
