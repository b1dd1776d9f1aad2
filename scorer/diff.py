"""What changed between two years' standards, field by field.

Indicators are matched by id, or through `replaces` when an editor renamed one; an indicator whose
area differs is `moved`. Text is compared after NFKC normalisation with all white space removed, so
full-width/half-width punctuation (，/,) and spacing are not changes.

Every record says what it is about and how a reader names it, so no view has to infer it:

    record: kind (+ kind_label), scope (standard | area | indicator | bonus | grade | grade_limit |
            year, + scope_label), id, title, area (+ area_name where the record sits in an area or
            the bonuses), fields
    field:  path (deductions.POL-01a.per), scope (the record's, or item), item (the deduction's id or
            null), field (per; null for a whole item), change (added | removed | changed), label
            (扣分情形 POL-01a 计扣方式), shape (number | name | text | list | map: how it is shown), old,
            new, and by shape: labels (value -> name), marks (runs of same/del/ins text), entries
            (list and map entries, each marked same/del/ins: which entries changed is decided here),
            rule (a whole item's rule in words).

The schema of a record is `scorer/schemas/diff-record.schema.json`.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from decimal import Decimal

from .items import PER_NAMES, deduction_rule
from .model import Deduction, Node
from .numbers import dec, num
from .numerals import article_id_label

INDICATOR_FIELDS = ("title", "content", "points", "method", "basis")
ARTICLE_LISTS = ("basis", "applies_to")  # lists of article ids: a change names each article (第十七条)
ITEM_FIELDS = ("text", "points", "per", "cap")
STANDARD_FIELDS = ("title", "base_score", "applies_to", "organization_kinds", "emphasis")
_SPACE = re.compile(r"\s+")

KIND_LABELS = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "移动", "replaced": "替换"}
SCOPE_LABELS = {
    "standard": "标准", "area": "领域", "indicator": "指标", "item": "扣分情形", "bonus": "奖励项目",
    "grade": "等级", "grade_limit": "等级限制情形", "year": "年度设置",
    # the year-end evaluation's rules (year.yaml `evaluation`, #15)
    "evaluation": "年终评议规则", "evaluation_source": "监督记录来源", "evaluation_level": "定性评价等次",
    "evaluation_related": "相关评议结果",
}
BONUS_GROUP = "奖励加分"  # where a bonus sits, as an indicator sits in its area
# A field's name by the scope it belongs to; a field not named here is shown by its key.
FIELD_LABELS = {
    "indicator": {"title": "标题", "content": "评价内容", "points": "分值", "method": "评价方式", "basis": "依据"},
    "item": {"text": "", "points": "分值", "per": "计扣方式", "cap": "扣分上限"},
    "bonus": {"text": "内容", "points": "每次加分", "cap": "加分上限"},
    "standard": {"title": "标题", "base_score": "基本分", "applies_to": "适用条款", "organization_kinds": "适用党组织",
                 "emphasis": "工作侧重"},
    "area": {"points": "分值"},
    "grade": {"name": "名称", "min": "最低分", "meaning": "含义", "application": "结果运用"},
    "grade_limit": {"text": "情形", "max_grade": "最高等级"},
    "year": {"bonus_cap": "奖励上限"},
    "evaluation": {"values": "规则性质", "not_reviewed": "未评议的党组织", "qualitative.mode": "定性评价计入方式",
                   "qualitative.weight": "定性评价权重"},
    "evaluation_source": {"name": "名称"},
    "evaluation_level": {"name": "名称", "score": "折合分数", "max_grade": "最高等级"},
    "evaluation_related": {"mode": "计入方式", "weight": "权重", "limits": "限制等次"},
}
# The keys of a grade's `application`, as the year page heads its columns.
APPLICATION_LABELS = {"organization": "党组织", "principal": "主要负责人", "members": "领导班子成员"}
NAMED_FIELDS = ("per", "max_grade")  # values that are ids of something with a name: shown by the name


def same_text(a, b) -> bool:
    return normalize(a) == normalize(b)


def normalize(value):
    if isinstance(value, str):
        return _SPACE.sub("", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return dec(value)
    return value


def _field_changes(old: dict, new: dict, fields, scope: str, item: str | None = None) -> list:
    changes = []
    for name in fields:
        a, b = old.get(name), new.get(name)
        if normalize(a) != normalize(b):
            changes.append(field_change(scope, name, a, b, item=item))
    return changes


def field_change(scope: str, name: str | None, old, new, item: str | None = None, labels: dict | None = None) -> dict:
    """One changed field with its place (scope, item, field, path), its name in words and how it is shown.

    `name` None is a whole item (old or new None: added or removed)."""
    path = name if item is None else f"deductions.{item}" + ("" if name is None else f".{name}")
    change = {"path": path, "scope": scope, "item": item, "field": name,
              "change": "added" if old is None else "removed" if new is None else "changed",
              "label": _field_label(scope, name, item, old, new), "old": old, "new": new}
    if name in ARTICLE_LISTS:
        labels = {v: article_id_label(v) for v in (old or []) + (new or [])}
    elif name == "per" and scope == "item":
        labels = {v: PER_NAMES.get(v, v) for v in (old, new) if v is not None}
    if labels is not None:
        change["labels"] = labels
    change["shape"] = _shape(name, old, new)
    if change["shape"] == "text":
        change["marks"] = char_diff(old, new) if isinstance(old, str) and isinstance(new, str) else {
            "old": [] if old is None else [["del", _text(old)]], "new": [] if new is None else [["ins", _text(new)]]}
    elif change["shape"] == "list":
        change["entries"] = list_entries(old or [], new or [], labels or {})
    elif change["shape"] == "map":
        change["entries"] = map_entries(old or {}, new or {})
    return change


def _field_label(scope, name, item, old, new) -> str:
    if scope == "item":
        words = FIELD_LABELS["item"].get(name, name) if name else ""
        whole = "" if name else "（新增）" if old is None else "（删除）" if new is None else ""
        return f"扣分情形 {item}" + (f" {words}" if words else "") + whole
    return FIELD_LABELS.get(scope, {}).get(name, name)


def _is_number(value) -> bool:
    return value is None or (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool))


def _shape(name, old, new) -> str:
    if _is_number(old) and _is_number(new):
        return "number"
    if name in NAMED_FIELDS:
        return "name"
    if isinstance(old, str) and isinstance(new, str):
        return "text"
    if isinstance(old, list) or isinstance(new, list):
        return "list"
    if isinstance(old, dict) or isinstance(new, dict):
        return "map"
    return "text"


def _text(value) -> str:
    """A value as text on a page: numbers as people write them, anything else as JSON does."""
    if isinstance(value, str):
        return value
    if _is_number(value):
        return num(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def list_entries(old: list, new: list, labels: dict) -> dict:
    """Each side's entries by name, each marked same or del/ins: an entry is the same when the other
    side holds it too (compared as text is, so 第十七条 moved in the list is not a change)."""
    def side(values, other, mark):
        there = [normalize(v) for v in other]
        return [["same" if normalize(v) in there else mark, labels.get(v, _text(v)) if isinstance(v, str) else _text(v)]
                for v in values]
    return {"old": side(old, new, "del"), "new": side(new, old, "ins")}


def map_entries(old: dict, new: dict) -> dict:
    """Each side's keys (named, in the order of both), each value marked whole as same or del/ins."""
    keys = list(old) + [k for k in new if k not in old]

    def side(mine, other, mark):
        return [{"key": k, "name": APPLICATION_LABELS.get(k, k),
                 "runs": [["same" if normalize(mine[k]) == normalize(other.get(k)) else mark, _text(mine[k])]]}
                for k in keys if k in mine]
    return {"old": side(old, new, "del"), "new": side(new, old, "ins")}


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


def record(kind: str, scope: str, record_id: str, title: str, fields: list | None = None, **extra) -> dict:
    """A change record with its words: kind_label, scope_label, and the given keys."""
    out = {"kind": kind, "kind_label": KIND_LABELS[kind], "scope": scope, "scope_label": SCOPE_LABELS[scope],
           "id": record_id, "title": title, **extra}
    if fields is not None:
        out["fields"] = fields
    return out


def _index(standard: dict) -> dict:
    return {ind["id"]: (area, ind) for area in standard["areas"] for ind in area["indicators"]}


def _data(record) -> dict:
    """The comparison runs field by field over the data as published: a model record's plain form."""
    return record.to_json() if isinstance(record, Node) else record


def diff_standard(old, new) -> list:
    """Change records between two versions of one standard (`model.Standard`), in the new standard's order."""
    old, new = _data(old), _data(new)
    before, after = _index(old), _index(new)
    # An area's name as the later year gives it where both have the area.
    area_names = {a["id"]: a["name"] for a in old["areas"] + new["areas"]}
    where = lambda area_id: {"area": area_id, "area_name": area_names.get(area_id, area_id)}  # noqa: E731
    records, matched = [], set()
    for new_id, (area, indicator) in after.items():
        old_id = new_id if new_id in before else next((r for r in indicator.get("replaces", []) if r in before), None)
        if old_id is None:
            records.append(record("added", "indicator", new_id, indicator["title"], **where(area["id"])))
            continue
        matched.add(old_id)
        old_area, old_indicator = before[old_id]
        fields = _field_changes(old_indicator, indicator, INDICATOR_FIELDS, "indicator") + _item_changes(old_indicator, indicator)
        base = (new_id, indicator["title"])
        if old_id != new_id:
            records.append(record("replaced", "indicator", *base, fields, **where(area["id"]), old_id=old_id))
        if old_area["id"] != area["id"]:
            records.append(record("moved", "indicator", *base, **where(area["id"]), old_area=old_area["id"],
                                  old_area_name=area_names.get(old_area["id"], old_area["id"])))
        if fields and old_id == new_id:
            records.append(record("changed", "indicator", *base, fields, **where(area["id"])))
    for old_id, (area, indicator) in before.items():
        if old_id not in matched:
            records.append(record("removed", "indicator", old_id, indicator["title"], **where(area["id"])))
    records += _list_changes(old.get("bonuses", []), new.get("bonuses", []), "bonus", ("text", "points", "cap"),
                             area_name=BONUS_GROUP)
    for name in STANDARD_FIELDS:
        if normalize(old.get(name)) != normalize(new.get(name)):
            records.append(record("changed", "standard", name, name,
                                  [field_change("standard", name, old.get(name), new.get(name))]))
    for a_old, a_new in zip(old["areas"], new["areas"]):
        if normalize(a_old["points"]) != normalize(a_new["points"]):
            records.append(record("changed", "area", a_new["id"], a_new["name"],
                                  [field_change("area", "points", a_old["points"], a_new["points"])]))
    return records


def _item_changes(old_indicator, new_indicator) -> list:
    # Items follow a replaced indicator by their suffix (POL-02a -> POL-03a), as answers do (carry.py).
    rename = lambda item_id: new_indicator["id"] + item_id[len(old_indicator["id"]):]  # noqa: E731
    before = {rename(d["id"]): d for d in old_indicator["deductions"]}
    after = {d["id"]: d for d in new_indicator["deductions"]}
    # A whole item added or removed carries its rule as the pages word it, so the comparison page never
    # words a rule itself.
    changes = []
    for item_id, item in after.items():
        if item_id not in before:
            changes.append(dict(field_change("item", None, None, item["text"], item=item_id), rule=deduction_rule(Deduction.from_json(item))))
        else:
            changes += _field_changes(before[item_id], item, ITEM_FIELDS, "item", item=item_id)
    for item_id, item in before.items():
        if item_id not in after:
            changes.append(dict(field_change("item", None, item["text"], None, item=item_id), rule=deduction_rule(Deduction.from_json(item))))
    return changes


def _list_changes(old_items, new_items, scope, fields, **extra) -> list:
    before = {i["id"]: i for i in old_items}
    after = {i["id"]: i for i in new_items}
    records = []
    for item_id, item in after.items():
        if item_id not in before:
            records.append(record("added", scope, item_id, _label(item), area=scope, **extra))
        else:
            fields_changed = _field_changes(before[item_id], item, fields, scope)
            if fields_changed:
                records.append(record("changed", scope, item_id, _label(item), fields_changed, area=scope, **extra))
    for item_id, item in before.items():
        if item_id not in after:
            records.append(record("removed", scope, item_id, _label(item), area=scope, **extra))
    return records


def _label(item: dict) -> str:
    """Bonuses and limits have a text, grades a name."""
    return item.get("text") or item.get("name", item["id"])


def diff_settings(old, new) -> list:
    """Changes in the year's settings (`model.Year`) that affect scoring or its consequences (the
    evaluation's rules included)."""
    old, new = _data(old), _data(new)
    records = []
    if normalize(old["bonus_cap"]) != normalize(new["bonus_cap"]):
        records.append(record("changed", "year", "bonus_cap", FIELD_LABELS["year"]["bonus_cap"],
                              [field_change("year", "bonus_cap", old["bonus_cap"], new["bonus_cap"])]))
    records += _list_changes(old["grades"], new["grades"], "grade", ("name", "min", "meaning", "application"))
    limits = _list_changes(old["grade_limits"], new["grade_limits"], "grade_limit", ("text", "max_grade"))
    # A limit's grade by its name in each year (the old value in the old year's grades).
    names = [{g["id"]: g["name"] for g in s["grades"]} for s in (old, new)]
    for limit in limits:
        for change in limit.get("fields", []):
            if change["field"] == "max_grade":
                change["labels"] = {v: n[v] for v, n in zip((change["old"], change["new"]), names) if v in n}
    return records + limits + diff_evaluation(old.get("evaluation"), new.get("evaluation"))


def diff_evaluation(old: dict | None, new: dict | None) -> list:
    """Changes in the year-end evaluation's rules (`evaluation`): they decide final results, so a
    year that changes them needs a `changes` note like any other setting. Records: the whole section
    added or removed; its own settings (values, not_reviewed, the qualitative judgement's mode and
    weight) as one record; sources and judgement levels by id; related results by name."""
    if old is None and new is None:
        return []
    title = SCOPE_LABELS["evaluation"]
    if old is None or new is None:
        return [record("added" if old is None else "removed", "evaluation", "evaluation", title, area="evaluation")]
    own = lambda e: {"values": e.get("values"), "not_reviewed": e.get("not_reviewed"),  # noqa: E731
                     "qualitative.mode": e["qualitative"].get("mode"), "qualitative.weight": e["qualitative"].get("weight")}
    records = []
    fields = _field_changes(own(old), own(new), list(own(new)), "evaluation")
    if fields:
        records.append(record("changed", "evaluation", "evaluation", title, fields, area="evaluation"))
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
            result["standards"][sid] = [record("added", "standard", sid, new_year.standards[sid].title, area="standard")]
        elif sid not in new_year.standards:
            result["standards"][sid] = [record("removed", "standard", sid, old_year.standards[sid].title, area="standard")]
        else:
            result["standards"][sid] = diff_standard(old_year.standards[sid], new_year.standards[sid])
    return result
