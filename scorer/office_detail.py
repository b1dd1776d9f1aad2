"""One organization's detail for the office: what its file declared and what each item cost.

The office table has one line per file; behind a line the office needs the items that were deducted
(and the bonuses and grade-limit situations), each with the arithmetic the scorer applied and the
occurrences as declared: date, count, note, evidence. Everything comes from `scoring.score` on the
published bundle the file names, as the table's figures do; the page only lays it out.
"""

from __future__ import annotations

from . import assessment as assessment_module
from .errors import InvalidInput, Problem
from .model import Bundle, ItemScore
from .scoring import score_result


def _occurrences(answers: dict, item_id: str, left_out: dict) -> list:
    """The item's occurrences as declared; `left_out`: {(id, index): reason} of those the scorer did
    not count (its `excluded`, e.g. dated outside the year), each shown with its reason."""
    out = []
    for index, occurrence in enumerate(answers.get(item_id) or []):
        out.append({"date": occurrence.get("date", ""), "count": occurrence.get("count", 1),
                    "note": occurrence.get("note", ""),
                    "evidence": [e.get("file", "") + (f"（{e['location']}）" if e.get("location") else "")
                                 for e in occurrence.get("evidence") or []],
                    "left_out": left_out.get((item_id, index), "")})
    return out


def _item(entry: ItemScore, answers: dict, left_out: dict, **extra) -> dict:
    return dict(entry.to_json(), occurrences=_occurrences(answers, entry.id, left_out), **extra)


def detail(bundles, name: str, text: str) -> dict:
    """The detail of the file `name` (its `text`), scored against the bundle it names among `bundles`.

    InvalidInput with every reason for a file that does not fit (the table never lists such a file,
    but the page may hold a stale copy).
    """
    value = assessment_module.parse(text, name)
    assessment_module.check_shape(value, name)
    bundle = next((b for b in map(Bundle.of, bundles) if b.year.year == value["year"]
                   and b.standard.id == value["standard"]), None)
    if bundle is None:
        raise InvalidInput([Problem(name, (), f"本站没有 {value['year']} 年度的标准 '{value['standard']}'")])
    assessment_module.check(value, bundle, name)
    result = score_result(bundle, value, checked=True)
    answers = value["items"]
    left_out = {(e.id, e.index): e.reason for e in result.excluded}
    areas = []
    for area in result.areas:
        items = [_item(entry, answers, left_out, indicator=indicator.title, indicator_floored=indicator.floored)
                 for indicator in area.indicators for entry in indicator.items]
        areas.append({"id": area.id, "name": area.name, "points": area.points, "deducted": area.deducted,
                      "score": area.score, "items": items})
    grades = {g.id: g.name for g in bundle.year.grades}
    limits = [{"id": limit.id, "text": limit.text, "max_grade": grades[limit.max_grade],
               "occurrences": _occurrences(answers, limit.id, left_out)}
              for limit in bundle.year.grade_limits if limit.id in result.limits_applied]
    organization = value["organization"]
    assessor = value.get("assessor") or {}
    return {
        "file": name,
        "organization": organization.get("name", "").strip(),
        "kind": organization.get("kind", ""),
        "assessor": assessor.get("name", ""),
        "assessed": assessor.get("date", ""),
        "year": result.year,
        "standard": result.standard,
        "standard_title": bundle.standard.short_title,
        "base": result.base,
        "deducted": result.deducted,
        "bonus": result.bonus,
        "total": result.total,
        "grade_name": result.grade.name,
        "grade_by_score": grades[result.grade_by_score],
        "areas": areas,
        "bonuses": [_item(entry, answers, left_out) for entry in result.bonuses],
        "limits": limits,
        "notes": list(result.notes),  # the scorer's sentences beside the figures (records not counted)
    }
