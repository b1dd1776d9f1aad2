"""What the supervision register's form offers for one year: per standard, the items a record may
name (deductions, bonuses, grade-limit situations, in the standard's order, each with its rule in the
pages' one wording) and the organization kinds the standard applies to; and the year's sources
(日常监督, 巡视巡察 …, from `evaluation.sources` in the year's settings).

Why here and not in the page: the items and their rules are the walker's (`scorer.items`), and a
page that walked the bundle itself would keep a second copy of how a standard is laid out.
"""

from __future__ import annotations

from .items import DEDUCTION, walk_bundle, rule_text

KIND_NAMES = {"deduction": "扣分项", "bonus": "奖励加分项", "limit": "等级限制情形"}


def choices(bundles: list) -> dict:
    """{year, sources: [{id, name}], standards: [{id, title, kinds, items: [{id, kind, kind_name,
    group, text, rule}]}]} for the bundles of one year (the year's settings are read from the first)."""
    if not bundles:
        return {"year": None, "sources": [], "standards": []}
    year = bundles[0].year
    sources = year.evaluation.sources if year.evaluation is not None else ()
    standards = []
    for bundle in bundles:
        standard = bundle.standard
        items = []
        for entry in walk_bundle(bundle):
            group = entry.area.name if entry.kind == DEDUCTION else KIND_NAMES[entry.kind]
            items.append({"id": entry.id, "kind": entry.kind, "kind_name": KIND_NAMES[entry.kind], "group": group,
                          "text": entry.item.text, "rule": rule_text(entry, year.grades)})
        standards.append({"id": standard.id, "title": standard.short_title or standard.title,
                          "kinds": list(standard.organization_kinds or []), "items": items})
    return {
        "year": year.year,
        "sources": [{"id": s.id, "name": s.name} for s in sources],
        "standards": standards,
    }
