"""Diff records say what they are about (scope, item, field) and how a reader names it, and the
diff decides which entries of a list or a map changed: the comparison page only shows them.

On the multi-year fixture (see test_years.py for what each year changes) and on generated lists.
"""

from __future__ import annotations

import copy
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer import diff, tree

YEARS = os.path.join(os.path.dirname(__file__), "fixtures", "years")
SCOPES = {"standard", "area", "indicator", "bonus", "grade", "grade_limit", "year"}


@pytest.fixture(scope="module")
def loaded():
    return tree.load(YEARS)


def all_records(loaded):
    years = sorted(loaded.years)
    for a in years:
        for b in years:
            if a != b:
                result = diff.diff_years(loaded.years[a], loaded.years[b])
                yield from result["settings"]
                for records in result["standards"].values():
                    yield from records


def test_every_record_names_its_scope_kind_and_fields(loaded):
    seen = set()
    for record in all_records(loaded):
        seen.add(record["scope"])
        assert record["scope"] in SCOPES
        assert record["scope_label"] == diff.SCOPE_LABELS[record["scope"]]
        assert record["kind_label"] == diff.KIND_LABELS[record["kind"]]
        if record["scope"] in ("indicator", "bonus"):
            assert record["area_name"], record
        for change in record.get("fields", []):
            assert change["scope"] in (record["scope"], "item")
            assert (change["item"] is None) == (change["scope"] != "item")
            assert change["label"] and change["shape"] in ("number", "name", "text", "list", "map")
            if change["scope"] == "item":
                assert change["path"] == f"deductions.{change['item']}" + (f".{change['field']}" if change["field"] else "")
                assert change["label"].startswith(f"扣分情形 {change['item']}")
            else:
                assert change["path"] == change["field"]
    assert {"indicator", "bonus", "area", "year"} <= seen


def test_scopes_and_area_names_on_the_fixture(loaded):
    result = diff.diff_years(loaded.years[2019], loaded.years[2020])
    records = {(r["kind"], r["id"]): r for r in result["standards"]["dept"]}
    assert records[("changed", "BON-02")]["scope"] == "bonus"
    assert records[("changed", "BON-02")]["area_name"] == "奖励加分"
    assert records[("changed", "BON-02")]["fields"][0]["label"] == "每次加分"
    assert records[("changed", "ideological")]["scope"] == "area"
    moved = records[("moved", "ORG-02")]
    assert (moved["old_area_name"], moved["area_name"]) == ("组织建设", "作风建设")
    assert records[("added", "INS-02")]["area_name"] == "制度建设"
    assert [r["scope"] for r in diff.diff_years(loaded.years[2020], loaded.years[2021])["settings"]] == ["year"]


def test_item_fields_carry_item_id_field_and_label(loaded):
    old = loaded.years[2021].standards["dept"].to_json()
    new = copy.deepcopy(old)
    indicator = new["areas"][0]["indicators"][0]
    item = indicator["deductions"][0]
    item["per"] = "once" if item.get("per") != "once" else "occurrence"
    added = dict(item, id=indicator["id"] + "z", text="新增的扣分情形")
    indicator["deductions"].append(added)
    [record] = diff.diff_standard(old, new)
    per, whole = record["fields"]
    assert (per["scope"], per["item"], per["field"], per["path"]) == ("item", item["id"], "per", f"deductions.{item['id']}.per")
    assert per["label"] == f"扣分情形 {item['id']} 计扣方式" and per["shape"] == "name"
    assert set(per["labels"].values()) == {"每发生一次扣分", "发生即扣（只扣一次）"}
    assert (whole["field"], whole["change"], whole["label"]) == (None, "added", f"扣分情形 {added['id']}（新增）")
    assert whole["marks"] == {"old": [], "new": [["ins", "新增的扣分情形"]]} and whole["rule"]
    removed = diff.diff_standard(new, old)[0]["fields"][-1]
    assert (removed["change"], removed["label"]) == ("removed", f"扣分情形 {added['id']}（删除）")


def test_grade_limit_names_its_grade_in_each_year(loaded):
    before = loaded.years[2021].settings.to_json()
    after = copy.deepcopy(before)
    limit = after["grade_limits"][0]
    old_grade = limit["max_grade"]
    limit["max_grade"] = next(g["id"] for g in after["grades"] if g["id"] != old_grade)
    for grade in after["grades"]:
        grade["name"] += "（新）"
    records = [r for r in diff.diff_settings(before, after) if r["scope"] == "grade_limit"]
    [change] = records[0]["fields"]
    names = {g["id"]: g["name"] for g in before["grades"]}
    assert change["shape"] == "name"
    assert change["labels"] == {old_grade: names[old_grade], limit["max_grade"]: names[limit["max_grade"]] + "（新）"}


def test_a_grades_application_is_compared_key_by_key(loaded):
    before = loaded.years[2021].settings.to_json()
    after = copy.deepcopy(before)
    application = after["grades"][0]["application"]
    application["principal"] += "可评先。"
    application["members"] = application["members"].replace("，", ",") + " "  # width and spacing: the same
    [record] = diff.diff_settings(before, after)
    [change] = record["fields"]
    assert change["shape"] == "map" and change["label"] == "结果运用"
    marks = {e["key"]: (e["name"], e["runs"][0][0]) for e in change["entries"]["new"]}
    assert marks == {"organization": ("党组织", "same"), "principal": ("主要负责人", "ins"), "members": ("领导班子成员", "same")}


ARTICLES = st.lists(st.sampled_from([f"article-{n}" for n in range(1, 30)] + ["article-100", "附则"]),
                    unique=True, max_size=8)


@settings(max_examples=100, deadline=None)
@given(old=ARTICLES, new=ARTICLES)
def test_list_entries_mark_exactly_what_the_other_side_lacks(old, new):
    """Every entry of each side, in order and named, marked same iff the other side holds it."""
    change = diff.field_change("indicator", "basis", old, new)
    assert change["shape"] == "list"
    for side, mine, other, mark in (("old", old, new, "del"), ("new", new, old, "ins")):
        entries = change["entries"][side]
        assert [text for _, text in entries] == [change["labels"][v] for v in mine]
        assert [m for m, _ in entries] == ["same" if v in other else mark for v in mine]
    assert change["labels"].get("article-17", "第十七条") == "第十七条"


@settings(max_examples=100, deadline=None)
@given(old=st.lists(st.sampled_from(["机关", "事业单位", "国有企业", "村（社区）", "村(社区)", "学 校"]), unique=True, max_size=5),
       new=st.lists(st.sampled_from(["机关", "事业单位", "国有企业", "村（社区）", "村(社区)", "学校"]), unique=True, max_size=5))
def test_list_entries_compare_as_text_is_compared(old, new):
    """Width and spacing never make an entry changed: the same rule as for the change itself."""
    entries = diff.list_entries(old, new, {})
    held = {diff.normalize(v) for v in new}
    assert [m for m, _ in entries["old"]] == ["same" if diff.normalize(v) in held else "del" for v in old]
    assert [t for _, t in entries["old"]] == old


def test_every_text_field_gets_character_marks_the_standards_own_too(loaded):
    """One rule for every changed text: the standard's emphasis is marked character by character, as an
    indicator's content is (its record used to carry no marks, so the page marked it whole)."""
    old = loaded.years[2021].standards["dept"].to_json()
    new = copy.deepcopy(old)
    new["emphasis"] = old["emphasis"].replace("。", "，新的侧重。")
    [record] = diff.diff_standard(old, new)
    [change] = record["fields"]
    assert (record["scope"], change["label"], change["shape"]) == ("standard", "工作侧重", "text")
    assert change["marks"] == diff.char_diff(old["emphasis"], new["emphasis"])
    assert ["ins", "，新的侧重"] in change["marks"]["new"]
