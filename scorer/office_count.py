"""How the office counts organizations: each organization once per year and standard.

An organization may file twice for one year and standard (a corrected file sent after the first).
Every figure that counts organizations (the grade distribution on the page and in the workbook)
counts one file per (organization, year, standard): the one this rule picks. The other files stay in
the table, marked as duplicates that were not counted, and are listed with the one that was.

The rule is written once here, in words (`RULE`), and the page shows those words: what the page says
and what the numbers do cannot drift apart.
"""

from __future__ import annotations

from .model import Bundle

RULE = ("同一党组织对同一年度、同一标准提交多份自评文件的，只统计其中最新的一份：自评日期（文件中的 assessor.date）"
        "最晚的一份为准；未填写自评日期的视为早于任何已填写日期的；日期相同（或均未填写）的，以文件名按字符顺序排在最后的"
        "一份为准；文件名也相同的，以后导入的一份为准。其余各份在汇总表中标为“重复提交（未计入统计）”。")


def group_key(row: dict) -> tuple:
    """The organization a row counts for: its name (trimmed), year and standard."""
    return (row["organization"].strip(), row["year"], row["standard"])


def precedence(row: dict, position: int) -> tuple:
    """The order of `RULE`: the largest wins. `position` is the row's place in the import order.

    Dates are checked as YYYY-MM-DD before a row exists, so comparing them as text is comparing dates.
    """
    assessed = row.get("assessed") or ""
    return (assessed != "", assessed, row["file"], position)


def count_once(rows: list) -> list:
    """Mark every row `counted` (True for the one file per organization, year and standard that the
    rule picks) and `duplicate` (its organization filed more than once); return the duplicates:
    [{organization, year, standard, files (in import order), counted (the file counted)}].
    """
    groups: dict = {}
    for position, row in enumerate(rows):
        groups.setdefault(group_key(row), []).append(position)
    duplicates = []
    for (organization, year, standard), members in groups.items():
        winner = max(members, key=lambda i: precedence(rows[i], i))
        for i in members:
            rows[i]["counted"] = i == winner
            rows[i]["duplicate"] = len(members) > 1
        if len(members) > 1:
            duplicates.append({"organization": organization, "standard": standard, "year": year,
                               "files": [rows[i]["file"] for i in members], "counted": rows[winner]["file"],
                               "counted_assessed": rows[winner].get("assessed") or ""})
    return duplicates


def distribution(rows: list, bundles) -> list:
    """Per year and standard (in the bundles' order), how many organizations got each grade, in the
    year's grade order: only rows `count_once` marked counted, so `total` is the number of distinct
    organizations."""
    out = []
    for bundle in map(Bundle.of, bundles):
        year, standard = bundle.year.year, bundle.standard.id
        mine = [r for r in rows if r["year"] == year and r["standard"] == standard and r.get("counted", True)]
        if not mine:
            continue
        counts = [{"grade": g.id, "name": g.name, "count": sum(r["grade"] == g.id for r in mine)}
                  for g in bundle.year.grades]
        out.append({"year": year, "standard": standard, "total": len(mine), "grades": counts})
    return out
