"""The results application's tables as rows (header first), for CSV and xlsx alike: the proposals
table for the leading group's meeting, the district summary of decisions, and the rectification view.
Cut from the same views the pages show (`application_ops.district`, `rectification.district`), so a
download shows the figures on screen."""

from __future__ import annotations

from .numbers import plain

TABLES = {"proposals": "运用建议表", "decisions": "运用决定汇总", "rectification": "整改情况"}


def _grade(row) -> str:
    return row["grade"]["name"] if row["grade"] else ""


def proposals_table(view: dict) -> list:
    """One line per proposal: organization, grade, whom it concerns, the proposal, its basis."""
    out = [["党组织", "最终得分", "最终等次", "建议对象", "运用建议", "依据", "改动理由", "须先处理"]]
    for r in view["rows"]:
        total = "" if r["total"] is None else plain(r["total"])
        for p in r["proposals"] + r["persons"]:
            out.append([r["name"], total, _grade(r), p["label"], p["text"], "；".join(p["basis"]), p["reason"],
                        "；".join(r["blocked"])])
    return out


STATE_NAMES = {"none": "未决定", "decided": "已决定", "changed": "已变更"}


def decisions_table(view: dict) -> list:
    """One line per decided text: organization, grade, state, meeting, date, whom, decided text."""
    out = [["党组织", "最终等次", "决定状态", "会议", "日期", "按建议通过", "结果已改变须重新审议", "对象", "运用决定"]]
    for r in view["rows"]:
        labels = {p["key"]: p["label"] for p in r["proposals"] + r["persons"]}
        lines = list(r["decided"].items()) or [("", "")]
        for key, text in lines:
            out.append([r["name"], _grade(r), STATE_NAMES[r["decision_state"]], r["meeting"], r["date"],
                        ("是" if r["adopted"] else "否") if r["decision_state"] != "none" else "",
                        "是" if r["stale"] else "", labels.get(key, key), text])
    return out


def rectification_table(view: dict) -> list:
    """One line per item, organizations with overdue and open items first."""
    out = [["党组织", "事项编号", "问题", "整改措施", "责任人", "下发日期", "整改期限", "状态", "逾期天数", "完成日期"]]
    for o in view["organizations"]:
        for i in o["items"]:
            out.append([o["name"], i["id"], i["problem_text"], i["measure"], i["responsible"], i["issued"], i["deadline"],
                        i["status_name"], i["days_overdue"] or "", i["done"]])
    return out


def sheets(table: str, bundles: dict, workspace: dict, part: dict, as_of: str) -> list:
    """[(sheet name, rows)] of one table; the first sheet is the CSV's."""
    from . import application, rectification

    if table == "rectification":
        rules = application.settings(next(iter(bundles.values())).year)
        shown = rectification.district(part, workspace["roster"], rules, as_of)
        overdue = [rectification_table({"organizations": [{"name": i["organization"], "items": [i]} for i in shown["overdue_items"]]})]
        return [(TABLES[table], rectification_table(shown)), ("逾期事项", overdue[0])]
    shown = application.district(bundles, workspace, part)
    if table == "proposals":
        return [(TABLES[table], proposals_table(shown))]
    return [(TABLES[table], decisions_table(shown))]
