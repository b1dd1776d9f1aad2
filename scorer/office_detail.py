"""One organization's detail for the office: what its file declared and what each item cost.

The office table has one line per file; behind a line the office needs the items that were deducted
(and the bonuses and grade-limit situations), each with the arithmetic the scorer applied and the
occurrences as declared: date, count, note, evidence. Everything comes from `scoring.score` on the
published bundle the file names, as the table's figures do; the page only lays it out.
"""

from __future__ import annotations

from . import assessment as assessment_module
from .errors import InvalidInput, Problem
from .items import amount_text
from .model import Bundle
from .scoring import score


def _occurrences(declared: dict, item_id: str) -> list:
    """The item's occurrences as the scorer lists them (`score`'s `declared`: one walk, one evidence
    wording for the report, the .xlsx and this view), each with `left_out`: the scorer's reason when it
    did not count the occurrence (e.g. dated outside the year), else ""."""
    return [{"date": o["date"], "count": o["count"], "note": o["note"], "evidence": o["evidence"],
             "left_out": "" if o["counted"] else o["reason"]}
            for o in declared.get(item_id, ())]


def _item(entry: dict, declared: dict, verb: str, floored_under: str = "", **extra) -> dict:
    """One answered item with its arithmetic in words (`items.amount_text`; the page words nothing)."""
    arithmetic = amount_text(entry, verb)
    if floored_under:
        arithmetic += f"（所属指标“{floored_under}”扣分合计超过其分值，扣完为止）"
    return dict({k: entry[k] for k in ("id", "text", "count", "points", "per", "amount", "capped")},
                occurrences=_occurrences(declared, entry["id"]), arithmetic=arithmetic, **extra)


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
    result = score(bundle, value, checked=True)
    declared = {entry["id"]: entry["occurrences"] for entry in result["declared"]}
    areas = []
    for area in result["areas"]:
        items = [_item(entry, declared, "扣", indicator["title"] if indicator["floored"] else "",
                       indicator=indicator["title"], indicator_floored=indicator["floored"])
                 for indicator in area["indicators"] for entry in indicator["items"]]
        areas.append({k: area[k] for k in ("id", "name", "points", "deducted", "score")} | {"items": items})
    grades = {g.id: g.name for g in bundle.year.grades}
    limits = [{"id": limit.id, "text": limit.text, "max_grade": grades[limit.max_grade],
               "occurrences": _occurrences(declared, limit.id)}
              for limit in bundle.year.grade_limits if limit.id in result["limits_applied"]]
    organization = value["organization"]
    assessor = value.get("assessor") or {}
    return {
        "file": name,
        "organization": organization.get("name", "").strip(),
        "kind": organization.get("kind", ""),
        "assessor": assessor.get("name", ""),
        "assessed": assessor.get("date", ""),
        "year": result["year"],
        "standard": result["standard"],
        "standard_title": bundle.standard.short_title,
        "base": result["base"],
        "deducted": result["deducted"],
        "bonus": result["bonus"],
        "total": result["total"],
        "grade_name": result["grade"]["name"],
        "grade_by_score": grades[result["grade_by_score"]],
        "areas": areas,
        "bonuses": [_item(entry, declared, "加") for entry in result["bonuses"]],
        "limits": limits,
        "notes": result.get("notes", []),  # the scorer's sentences beside the figures (records not counted)
    }
