"""The district page of final results (docs/office/results.md): `workspace.district` shaped for the page
and its exports.

Why a module of its own: the page shows a table, a grade distribution and a heatmap, and exports the
same table as .xlsx and CSV. All four are cut from one `view` here, so the figures in a download are
the figures on the screen, and the page does no arithmetic (counting grades per standard, ordering the
changed grades first) of its own. The district's rules (which self-assessment counts, the final result
of each organization) are `workspace.district`'s and `evaluation.final_result`'s.
"""

from __future__ import annotations

from . import office, workspace as workspace_module
from .numbers import plain

STATUS = (("submitted", "已提交自评"), ("selected", "抽中检查"), ("reviewed", "已核查评议"), ("final", "有最终结果"))


def view(workspace: dict, bundles: dict) -> dict:
    """{year, rows, distribution, areas, counts, roster, missing, statuses} for a checked workspace.

    rows: the organizations, those whose grade changed on review first (then the roster's order), each
    with its status flags, method, self-declared and final figures, the number of changes and what is
    missing, plus the per-area scores of the final result (for the heatmap). distribution: one entry per
    standard with final results, in office-charts' shape ({year, standard, total, grades: [{grade,
    name, count}]}, grades in the year's order, the self-declared count beside each).
    """
    district = workspace_module.district(workspace, bundles)
    by_name = {r["name"]: r for r in district["rows"]}
    titles = {sid: b["standard"].get("short_title") or b["standard"]["title"] for sid, b in bundles.items()}
    points = {sid: {a["id"]: a["points"] for a in b["standard"]["areas"]} for sid, b in bundles.items()}
    year = workspace["year"]
    rows = []
    for name in district["changed_first"]:
        row = by_name[name]
        rows.append({
            "organization": name, "kind": row["kind"], "standard": row["standard"],
            "standard_title": titles.get(row["standard"], ""), "year": year, "on_roster": row["on_roster"],
            **{key: row[key] for key, _ in STATUS},
            "method": row["method"], "method_name": row["method_name"],
            "self_total": row["self_total"], "self_grade": row["self_grade"],
            "total": row["total"], "grade": row["grade"], "grade_changed": row["grade_changed"],
            "changes": row["changes"], "missing": row["missing"], "areas": row["areas"],
            "area_points": points.get(row["standard"], {}) if row["areas"] else {},
        })
    distribution = []
    for sid, bundle in bundles.items():
        finals = [r for r in rows if r["standard"] == sid and r["final"]]
        if not finals:
            continue
        grades = [{"grade": g["id"], "name": g["name"], "count": sum(1 for r in finals if r["grade"] == g["name"]),
                   "self_count": sum(1 for r in finals if r["self_grade"] == g["name"])}
                  for g in bundle["year"]["grades"]]
        distribution.append({"year": year, "standard": sid, "total": len(finals), "grades": grades})
    return {
        "year": year, "rows": rows, "distribution": distribution,
        "areas": office.area_columns(bundles.values()),
        "counts": district["counts"], "roster": len(workspace["roster"]),
        "missing": district["missing"], "statuses": [{"id": k, "name": n} for k, n in STATUS],
        "changed": sum(1 for r in rows if r["grade_changed"]),
    }


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def results_table(view_: dict) -> list:
    """The district table, header first: the rows as the page shows them (changed grades first)."""
    head = ["党组织", "类别", "标准", "已提交自评", "抽中检查", "已核查评议", "有最终结果", "评议方式",
            "自评得分", "自评等级", "最终得分", "最终等级", "等级变化", "变更条数", "尚缺"]
    out = [head]
    for r in view_["rows"]:
        out.append([r["organization"], r["kind"], r["standard_title"], _yes(r["submitted"]), _yes(r["selected"]),
                    _yes(r["reviewed"]), _yes(r["final"]), r["method_name"],
                    "" if r["self_total"] is None else plain(r["self_total"]), r["self_grade"] or "",
                    "" if r["total"] is None else plain(r["total"]), r["grade"] or "",
                    f"{r['self_grade']} → {r['grade']}" if r["grade_changed"] else "", r["changes"],
                    "；".join(r["missing"])])
    return out


def missing_table(view_: dict) -> list:
    """Who is still missing something, and what, header first."""
    return [["党组织", "类别", "尚缺"]] + [[m["name"], m["kind"], "；".join(m["missing"])] for m in view_["missing"]]


def distribution_table(view_: dict) -> list:
    """Final and self-declared grade counts per standard, header first."""
    titles = {r["standard"]: r["standard_title"] for r in view_["rows"]}
    out = [["标准", "等级", "最终评定数量", "自评数量"]]
    for entry in view_["distribution"]:
        for grade in entry["grades"]:
            out.append([titles.get(entry["standard"], entry["standard"]), grade["name"], grade["count"], grade["self_count"]])
    return out
