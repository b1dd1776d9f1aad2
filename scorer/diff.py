"""What changed between two years' standards, field by field.

Indicators are matched by id, or through `replaces` when an editor renamed one; an indicator whose
area differs is `moved`. Text is compared after NFKC normalisation with all white space removed, so
full-width/half-width punctuation (，/,) and spacing are not changes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from .items import PER_NAMES, deduction_rule
from .numbers import dec
from .numerals import article_id_label

INDICATOR_FIELDS = ("title", "content", "points", "method", "basis")
ARTICLE_LISTS = ("basis", "applies_to")  # lists of article ids: a change names each article (第十七条)
ITEM_FIELDS = ("text", "points", "per", "cap")
_SPACE = re.compile(r"\s+")


def same_text(a, b) -> bool:
    return normalize(a) == normalize(b)


def normalize(value):
    if isinstance(value, str):
        return _SPACE.sub("", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dec(value)
    return value


def _field_changes(old: dict, new: dict, fields) -> list:
    changes = []
    for name in fields:
        a, b = old.get(name), new.get(name)
        if normalize(a) != normalize(b):
            change = {"field": name, "old": a, "new": b}
            if isinstance(a, str) and isinstance(b, str):
                change["marks"] = char_diff(a, b)
            changes.append(_named_articles(change))
    return changes


def _named_articles(change: dict) -> dict:
    """A change of a list of article ids gets each article's name (第十七条) under `labels`."""
    if change["field"] in ARTICLE_LISTS:
        change["labels"] = {v: article_id_label(v) for v in (change["old"] or []) + (change["new"] or [])}
    return change


def char_diff(old: str, new: str) -> dict:
    """The two texts cut into runs, each marked same or changed, for side-by-side display.

    {"old": [["same", "…"], ["del", "…"]], "new": [["same", "…"], ["ins", "…"]]}. Runs that differ
    only in punctuation width or spacing count as same, as they do for the change itself.
    """
    a, b = _fold(old), _fold(new)  # same length as the originals, so indices slice both
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_run, new_run = old[i1:i2], new[j1:j2]
        if tag == "equal" or normalize(old_run) == normalize(new_run):
            _push(left, "same", old_run)
            _push(right, "same", new_run)
        else:
            _push(left, "del", old_run)
            _push(right, "ins", new_run)
    return {"old": left, "new": right}


def _fold(text: str) -> str:
    """NFKC character by character where it maps one character to one (，->, （->( ), else as is."""
    out = []
    for c in text:
        folded = unicodedata.normalize("NFKC", c)
        out.append(folded if len(folded) == 1 else c)
    return "".join(out)


def _push(runs: list, kind: str, text: str) -> None:
    if not text:
        return
    if runs and runs[-1][0] == kind:
        runs[-1][1] += text
    else:
        runs.append([kind, text])


def _index(standard: dict) -> dict:
    return {ind["id"]: (area, ind) for area in standard["areas"] for ind in area["indicators"]}


def diff_standard(old: dict, new: dict) -> list:
    """Change records between two versions of one standard, in the new standard's order."""
    before, after = _index(old), _index(new)
    records, matched = [], set()
    for new_id, (area, indicator) in after.items():
        old_id = new_id if new_id in before else next((r for r in indicator.get("replaces", []) if r in before), None)
        if old_id is None:
            records.append({"kind": "added", "id": new_id, "title": indicator["title"], "area": area["id"]})
            continue
        matched.add(old_id)
        old_area, old_indicator = before[old_id]
        fields = _field_changes(old_indicator, indicator, INDICATOR_FIELDS) + _item_changes(old_indicator, indicator)
        base = {"id": new_id, "title": indicator["title"], "area": area["id"]}
        if old_id != new_id:
            records.append(dict(base, kind="replaced", old_id=old_id, fields=fields))
        if old_area["id"] != area["id"]:
            records.append(dict(base, kind="moved", old_area=old_area["id"]))
        if fields and old_id == new_id:
            records.append(dict(base, kind="changed", fields=fields))
    for old_id, (area, indicator) in before.items():
        if old_id not in matched:
            records.append({"kind": "removed", "id": old_id, "title": indicator["title"], "area": area["id"]})
    records += _list_changes(old.get("bonuses", []), new.get("bonuses", []), "bonus", ("text", "points", "cap"))
    for name in ("title", "base_score", "applies_to", "organization_kinds", "emphasis"):
        if normalize(old.get(name)) != normalize(new.get(name)):
            field = _named_articles({"field": name, "old": old.get(name), "new": new.get(name)})
            records.append({"kind": "changed", "id": name, "title": name, "fields": [field]})
    for a_old, a_new in zip(old["areas"], new["areas"]):
        if normalize(a_old["points"]) != normalize(a_new["points"]):
            records.append({"kind": "changed", "id": a_new["id"], "title": a_new["name"],
                            "fields": [{"field": "points", "old": a_old["points"], "new": a_new["points"]}]})
    return records


def _item_changes(old_indicator, new_indicator) -> list:
    # Items follow a replaced indicator by their suffix (POL-02a -> POL-03a), as answers do (carry.py).
    rename = lambda item_id: new_indicator["id"] + item_id[len(old_indicator["id"]):]  # noqa: E731
    before = {rename(d["id"]): d for d in old_indicator["deductions"]}
    after = {d["id"]: d for d in new_indicator["deductions"]}
    # A whole item added or removed carries its rule as the pages word it, and a changed `per` the
    # reader's name of each value under `labels` (value -> name, as for article lists), so the
    # comparison page never words a rule itself.
    changes = []
    for item_id, item in after.items():
        if item_id not in before:
            changes.append({"field": f"deductions.{item_id}", "old": None, "new": item["text"],
                            "rule": deduction_rule(item)})
        else:
            for change in _field_changes(before[item_id], item, ITEM_FIELDS):
                if change["field"] == "per":
                    change["labels"] = {v: PER_NAMES.get(v, v) for v in (change["old"], change["new"])}
                changes.append(dict(change, field=f"deductions.{item_id}.{change['field']}"))
    for item_id, item in before.items():
        if item_id not in after:
            changes.append({"field": f"deductions.{item_id}", "old": item["text"], "new": None,
                            "rule": deduction_rule(item)})
    return changes


def _list_changes(old_items, new_items, what, fields) -> list:
    before = {i["id"]: i for i in old_items}
    after = {i["id"]: i for i in new_items}
    records = []
    for item_id, item in after.items():
        if item_id not in before:
            records.append({"kind": "added", "id": item_id, "title": _label(item), "area": what})
        else:
            fields_changed = _field_changes(before[item_id], item, fields)
            if fields_changed:
                records.append({"kind": "changed", "id": item_id, "title": _label(item), "area": what, "fields": fields_changed})
    for item_id, item in before.items():
        if item_id not in after:
            records.append({"kind": "removed", "id": item_id, "title": _label(item), "area": what})
    return records


def _label(item: dict) -> str:
    """Bonuses and limits have a text, grades a name."""
    return item.get("text") or item.get("name", item["id"])


def diff_settings(old: dict, new: dict) -> list:
    """Changes in the year's settings that affect scoring or its consequences (the evaluation's rules included)."""
    records = []
    if normalize(old["bonus_cap"]) != normalize(new["bonus_cap"]):
        records.append({"kind": "changed", "id": "bonus_cap", "title": "奖励上限",
                        "fields": [{"field": "bonus_cap", "old": old["bonus_cap"], "new": new["bonus_cap"]}]})
    records += _list_changes(old["grades"], new["grades"], "grade", ("name", "min", "meaning", "application"))
    records += _list_changes(old["grade_limits"], new["grade_limits"], "grade_limit", ("text", "max_grade"))
    records += diff_evaluation(old.get("evaluation"), new.get("evaluation"))
    return records


EVALUATION_TITLE = "年终评议规则"


def diff_evaluation(old: dict | None, new: dict | None) -> list:
    """Changes in the year-end evaluation's rules (`evaluation`): they decide final results, so a
    year that changes them needs a `changes` note like any other setting. Records: the whole section
    added or removed; its own settings (values, not_reviewed, the qualitative judgement's mode and
    weight) as one record; sources and judgement levels by id; related results by name."""
    if old is None and new is None:
        return []
    if old is None or new is None:
        return [{"kind": "added" if old is None else "removed", "id": "evaluation", "title": EVALUATION_TITLE,
                 "area": "evaluation"}]
    own = lambda e: {"values": e.get("values"), "not_reviewed": e.get("not_reviewed"),  # noqa: E731
                     "qualitative.mode": e["qualitative"].get("mode"), "qualitative.weight": e["qualitative"].get("weight")}
    records = []
    fields = [dict(f, field=f"evaluation.{f['field']}") for f in _field_changes(own(old), own(new), list(own(new)))]
    if fields:
        records.append({"kind": "changed", "id": "evaluation", "title": EVALUATION_TITLE, "area": "evaluation",
                        "fields": fields})
    records += _list_changes(old["sources"], new["sources"], "evaluation_source", ("name",))
    records += _list_changes(old["qualitative"]["levels"], new["qualitative"]["levels"], "evaluation_level",
                             ("name", "score", "max_grade"))
    by_name = lambda rs: [dict(r, id=r["name"]) for r in rs]  # noqa: E731
    records += _list_changes(by_name(old["related"]), by_name(new["related"]), "evaluation_related",
                             ("mode", "weight", "limits"))
    return records


def diff_years(old_year, new_year) -> dict:
    """{"settings": [...], "standards": {id: [...]}} for two `tree.Year`s; a whole standard may come or go."""
    result = {"from": old_year.year, "to": new_year.year,
              "settings": diff_settings(old_year.settings, new_year.settings), "standards": {}}
    for sid in sorted(set(old_year.standards) | set(new_year.standards)):
        if sid not in old_year.standards:
            result["standards"][sid] = [{"kind": "added", "id": sid, "title": new_year.standards[sid]["title"], "area": "standard"}]
        elif sid not in new_year.standards:
            result["standards"][sid] = [{"kind": "removed", "id": sid, "title": old_year.standards[sid]["title"], "area": "standard"}]
        else:
            result["standards"][sid] = diff_standard(old_year.standards[sid], new_year.standards[sid])
    return result
