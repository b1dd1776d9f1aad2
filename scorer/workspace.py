"""The office's year (gm-workspace/1): merging copies, and every organization's status and final result.

Merging: records carry stable ids, so two staff members' files (or registers) join without
duplicates; where both changed the same record, the one with the later `updated` wins, and on a tie
the greater canonical content, so the merged record set does not depend on which file came first
(merging is idempotent and commutative on record sets). Withdrawn supervision records stay as
tombstones (`deleted: true`) so that a merge does not bring them back.

The district: each organization of the roster (and any other with a file) gets its status
(submitted / selected / reviewed / final) and its final result by `evaluation.final_result`, in one
pass whose cost is one scoring per organization and file.
"""

from __future__ import annotations

import json

from .errors import InvalidInput, Problem
from .evaluation import final_result
from .numbers import to_json


def _canonical(value) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _newer(a: dict, b: dict) -> dict:
    """The copy of one record to keep: later `updated`, then the greater canonical text."""
    ka, kb = (a.get("updated", ""), _canonical(a)), (b.get("updated", ""), _canonical(b))
    return a if ka >= kb else b


def merge_records(a: list, b: list, key) -> tuple:
    """(merged list: a's order then b's new ones, [ids where the two copies differed])."""
    merged, conflicts = {}, []
    for record in list(a) + list(b):
        k = key(record)
        if k in merged and merged[k] != record:
            conflicts.append(k)
            merged[k] = _newer(merged[k], record)
        else:
            merged.setdefault(k, record)
    return list(merged.values()), conflicts


def merge_registers(a: dict, b: dict) -> dict:
    """Two checked supervision registers of one year -> {register, added, conflicts}."""
    if a["year"] != b["year"]:
        raise InvalidInput([Problem("监督记录文件", ("year",), f"不能合并不同年度的记录（{a['year']} 与 {b['year']}）")])
    records, conflicts = merge_records(a["records"], b["records"], lambda r: r["id"])
    return {"register": {"format": a["format"], "year": a["year"], "records": records},
            "added": len(records) - len(a["records"]), "conflicts": conflicts}


def merge(a: dict, b: dict) -> dict:
    """Two checked workspaces of one year -> {workspace, added: per part, conflicts: per part}."""
    if a["year"] != b["year"]:
        raise InvalidInput([Problem("年度工作文件", ("year",), f"不能合并不同年度的工作文件（{a['year']} 与 {b['year']}）")])
    out, added, conflicts = {"format": a["format"], "year": a["year"]}, {}, {}
    parts = {"roster": lambda r: r["name"], "assessments": lambda r: r["hash"],
             "supervision": lambda r: r["id"], "reviews": lambda r: r["id"]}
    for part, key in parts.items():
        out[part], conflicts[part] = merge_records(a[part], b[part], key)
        added[part] = len(out[part]) - len(a[part])
    selected = list(dict.fromkeys(a["plan"]["selected"] + b["plan"]["selected"]))
    out["plan"] = {"selected": selected}
    added["plan"] = len(selected) - len(a["plan"]["selected"])
    related, conflicts["related"] = {}, []
    for name in list(dict.fromkeys(list(a["related"]) + list(b["related"]))):
        mine, theirs = a["related"].get(name, {}), b["related"].get(name, {})
        row = dict(mine)
        for column, value in theirs.items():
            if column in row and row[column] != value:
                conflicts["related"].append(f"{name}：{column}")
                row[column] = max(row[column], value)
            else:
                row[column] = value
        related[name] = row
    out["related"] = related
    if "application" in a or "application" in b:  # issue #16: every part's records by id
        from .application_files import merge_parts

        out["application"], added["application"], conflicts["application"] = merge_parts(a.get("application"), b.get("application"))
    stamps = [w["updated"] for w in (a, b) if "updated" in w]
    if stamps:
        out["updated"] = max(stamps)
    return {"workspace": out, "added": added, "conflicts": conflicts}


def _standard_of(kind: str, bundles: dict):
    return next((sid for sid, b in bundles.items() if kind and kind in b.standard.organization_kinds), None)


def _latest(entries):
    """The self-assessment that counts when an organization sent several: the latest assessor date
    (the office's counting rule), then the content hash, so the choice never depends on order."""
    return max(entries, key=lambda e: (e["assessment"].get("assessor", {}).get("date", ""), e["hash"]))


def district(workspace: dict, bundles: dict, inputs: dict | None = None, only: str | None = None) -> dict:
    """Every organization's status and final result, the missing ones, and the grade distribution.

    rows (roster order, then organizations that have files but are not on the roster): name, kind,
    standard, submitted, selected, reviewed, final (bool), missing (what is still missing, in words),
    method, method_name, self_total/self_grade, score_total, total/grade/grade_id (final), grade_changed,
    changes (how many differences), pending, areas ({area id: score} of what counts, for the heatmap),
    review (its id). The whole result with its receipt is one organization's `final_result`: a
    district reply carrying 1000 receipts was most of its cost, and wording them a third of its
    time, so the results here are the figures only (`final_result(detail=False)`), `inputs` too. `changed_first`: the rows' names,
    those whose grade changed on review first. `inputs`, when given, receives name -> (final result,
    self-assessment, review, supervision records, the occurrences that count) for the results
    application (`application`), which draws its problems from the same occurrences. `only`: that
    organization's row alone (a new record checked against its state in the whole year).
    """
    assessments, reviews = {}, {}
    for entry in workspace["assessments"]:
        assessments.setdefault(entry["assessment"]["organization"]["name"], []).append(entry)
    for review in workspace["reviews"]:
        name = review["organization"]["name"]
        if name not in reviews or (review.get("updated", ""), review["id"]) > (reviews[name].get("updated", ""), reviews[name]["id"]):
            reviews[name] = review
    by_org = {}
    for record in workspace["supervision"]:
        if not record.get("deleted"):
            for name in record["organizations"]:
                by_org.setdefault(name, []).append(record)
    roster = {r["name"]: r.get("kind", "") for r in workspace["roster"]}
    names = list(roster) + [n for n in list(assessments) + list(reviews) if n not in roster]
    names = list(dict.fromkeys(names))
    selected = set(workspace["plan"]["selected"])
    by_hash = {e["hash"]: e["assessment"] for e in workspace["assessments"]}
    rows, distribution = [], {}
    for name in names:
        if only is not None and name != only:
            continue
        review = reviews.get(name)
        entry = _latest(assessments[name]) if name in assessments else None
        assessment = by_hash[review["assessment_hash"]] if review and review["assessment_hash"] else (
            entry["assessment"] if entry and not review else None)
        standard = (review or {}).get("standard") or (assessment or {}).get("standard") or _standard_of(roster.get(name, ""), bundles)
        row = {"name": name, "kind": roster.get(name, "") or (assessment or {}).get("organization", {}).get("kind", ""),
               "standard": standard, "on_roster": name in roster, "submitted": entry is not None,
               "selected": name in selected, "reviewed": review is not None, "final": False,
               "method": None, "method_name": "", "score_total": None, "grade_id": None, "pending": 0, "areas": {},
               "review": None, "self_total": None, "self_grade": None, "total": None, "grade": None,
               "grade_changed": False, "changes": 0, "missing": []}
        if entry is None:
            row["missing"].append("未提交自评")
        if name in selected and review is None:
            row["missing"].append("已抽中检查，尚未核查评议")
        if standard in bundles and (assessment is not None or review is not None):
            kept = [] if inputs is not None else None
            result = final_result(bundles[standard], assessment, review, by_org.get(name, ()),
                                  workspace["related"].get(name, {}),
                                  review["assessment_hash"] if review else entry["hash"] if entry else None,
                                  detail=False, kept=kept)
            if inputs is not None:
                inputs[name] = (result, assessment, review, by_org.get(name, ()), kept)
            row.update(method=result["method"], method_name=result["method_name"], total=result["total"],
                       score_total=result["score_total"], changes=len(result["changes"]), pending=result["pending"],
                       areas={a["id"]: a["score"] for a in result["areas"]}, review=result["review"])
            if result["grade"] is not None:
                row.update(final=True, grade=result["grade"]["name"], grade_id=result["grade"]["id"])
                distribution[result["grade"]["id"]] = distribution.get(result["grade"]["id"], 0) + 1
            else:
                row["missing"] += result["incomplete"]
            if result["self_declared"]:
                row.update(self_total=result["self_declared"]["total"], self_grade=result["self_declared"]["grade"]["name"])
                row["grade_changed"] = result["grade"] is not None and result["self_declared"]["grade"]["id"] != result["grade"]["id"]
        elif standard is None:
            row["missing"].append(f"党组织类别 {row['kind']!r} 不属于本年度任何标准")
        rows.append(row)
    changed = [r["name"] for r in rows if r["grade_changed"]] + [r["name"] for r in rows if not r["grade_changed"]]
    return {"rows": rows, "changed_first": changed, "distribution": distribution,
            "missing": [{"name": r["name"], "kind": r["kind"], "missing": r["missing"]} for r in rows if r["missing"]],
            "counts": {k: sum(1 for r in rows if r[k]) for k in ("submitted", "selected", "reviewed", "final")}}
