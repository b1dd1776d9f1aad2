"""A year's evaluation rules count as year settings: changing them needs a `changes` note (#15)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from scorer import diff, tree
from scorer.errors import InvalidInput

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = tree.load(str(ROOT / "standards")).year(2019).settings.to_json()


def test_a_year_changing_only_its_evaluation_rules_without_a_note_is_refused():
    with pytest.raises(InvalidInput) as refused:
        tree.load(str(ROOT / "site_tests" / "fixtures" / "evaluation-unnoted"))
    message = str(refused.value)
    assert "evaluation-unnoted/2021/year.yaml:" in message and "与 2020 年度相比有 1 处变化，但 changes 为空" in message


# One edit per kind of rule an editor can change, with the record it must give: (kind, id, area).
EDITS = {
    "values": (lambda e: e.update(values="final"), ("changed", "evaluation", "evaluation")),
    "not_reviewed": (lambda e: e.update(not_reviewed="self"), ("changed", "evaluation", "evaluation")),
    "mode": (lambda e: e["qualitative"].update(mode="display"), ("changed", "evaluation", "evaluation")),
    "source name": (lambda e: e["sources"][0].update(name="日常监督检查"), ("changed", "daily", "evaluation_source")),
    "source added": (lambda e: e["sources"].append({"id": "x", "name": "其他"}), ("added", "x", "evaluation_source")),
    "level score": (lambda e: e["qualitative"]["levels"][1].update(score=80), ("changed", "fair-good", "evaluation_level")),
    "related weight": (lambda e: e["related"][0].update(weight=0.2), ("changed", "党风廉政建设主体责任考核", "evaluation_related")),
    "related limit": (lambda e: e["related"][1]["limits"][0].update(below=70), ("changed", "党委书记抓基层党建述职评议", "evaluation_related")),
    "related added": (lambda e: e["related"].append({"name": "新增考核", "mode": "display"}), ("added", "新增考核", "evaluation_related")),
    "level removed": (lambda e: e["qualitative"]["levels"].pop(), ("removed", "poor", "evaluation_level")),
}
REMOVED = ("removed", "evaluation", "evaluation")  # the whole section: whatever else changed


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(sorted(EDITS)), max_size=4), st.booleans())
def test_every_evaluation_edit_is_a_settings_change(chosen, removed):
    new = copy.deepcopy(SETTINGS)
    for name in chosen:
        EDITS[name][0](new["evaluation"])
    if removed:
        del new["evaluation"]
    records = [(r["kind"], r["id"], r["area"]) for r in diff.diff_settings(SETTINGS, new)]
    if removed:
        assert records == [REMOVED]
        assert [(r["kind"], r["id"]) for r in diff.diff_settings(new, SETTINGS)] == [("added", "evaluation")]
    else:
        assert set(records) == {EDITS[name][1] for name in chosen}


def test_equal_rules_written_differently_are_no_change():
    new = copy.deepcopy(SETTINGS)
    new["evaluation"]["related"][0]["weight"] = 0.10  # the same number
    new["evaluation"]["sources"][0]["name"] = " 日常监督"  # spacing only, as for every other text
    assert diff.diff_settings(SETTINGS, new) == []
