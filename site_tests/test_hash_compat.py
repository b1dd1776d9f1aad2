"""A self-assessment binds to the scoring content only: the year's evaluation rules never refuse it.

Adding `evaluation` to standards/2019/year.yaml (issue #15) once changed every 2019 bundle's hash, so
every self-assessment saved before was refused as made against a changed standard. The hashes are
pinned here, files saved before still score, and a review binds to the evaluation rules by its own
`rules_hash` instead.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from scorer.model import Year
from scorer import browser, tree
from scorer.errors import InvalidInput
from scorer.standards import bundle as make_bundle, rules_hash
from scorer.yearfiles import check_review, read, REVIEW

ROOT = Path(__file__).resolve().parent.parent
YEAR = tree.load(str(ROOT / "standards")).year(2019)
SAVED = ROOT / "site_tests" / "fixtures" / "saved-before-evaluation"

# The 2019 bundles' hashes at ff3f6d4 (main before the evaluation rules were added), computed there by
# `tree.load("standards").year(2019).bundle(sid)["hash"]`: every self-assessment saved since 2019 carries one.
BEFORE_EVALUATION = {
    "dept": "sha256:da1c814a354f0820504304632f753c05f8a0ce7e2670c02c27dde319476c3a4f",
    "stationed": "sha256:818264aec90ffd8200a39fc180e64df71f4556b6e618ee51f163053d0079761c",
    "street": "sha256:b9e7909bb099fef4e49f048cd97b5187f6b1812e8e6f3ca6e22a464ec31abedb",
}


def test_2019_assessment_hashes_are_those_saved_files_carry():
    assert {sid: YEAR.bundle(sid).hash for sid in YEAR.standards} == BEFORE_EVALUATION


@pytest.mark.parametrize("sid", sorted(BEFORE_EVALUATION))
def test_a_self_assessment_saved_before_the_evaluation_rules_still_scores(sid):
    """Files written by ff3f6d4's scorer (site_tests/fixtures/saved-before-evaluation), through the page's operation."""
    text = (SAVED / f"2019-{sid}.json").read_text("utf-8")
    expected = json.loads((SAVED / f"2019-{sid}.expected.json").read_text("utf-8"))
    bundle_json = json.dumps(YEAR.bundle(sid).to_json(), ensure_ascii=False)
    assert json.loads(browser.check(bundle_json, text)) == {"ok": True, "problems": []}
    answer = json.loads(browser.score(bundle_json, text))
    assert answer["ok"], answer
    assert (str(answer["result"]["total"]), answer["result"]["grade"]["id"]) == (expected["total"], expected["grade"])


# Changes an editor may make to the evaluation rules: each leaves the assessment hash alone.
EDITS = [
    lambda e: e["qualitative"].update(mode="display"),
    lambda e: e["sources"].append({"id": "extra", "name": "其他来源"}),
    lambda e: e.update(not_reviewed="self" if e["not_reviewed"] != "self" else "supervision"),
    lambda e: e.update(values="final"),
    lambda e: e["related"].clear(),
]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(BEFORE_EVALUATION)), st.lists(st.sampled_from(range(len(EDITS))), min_size=1, max_size=4))
def test_evaluation_edits_change_the_rules_hash_not_the_assessment_hash(sid, edits):
    year = copy.deepcopy(YEAR.settings.to_json())
    for i in edits:
        EDITS[i](year["evaluation"])
    changed = make_bundle(Year.from_json(year), YEAR.standards[sid])
    original = YEAR.bundle(sid)
    assert changed.hash == original.hash == BEFORE_EVALUATION[sid]
    assert (rules_hash(changed.year) == rules_hash(original.year)) == (year["evaluation"] == YEAR.settings.to_json()["evaluation"])
    without = make_bundle(Year.from_json({k: v for k, v in year.items() if k != "evaluation"}), YEAR.standards[sid])
    assert without.hash == original.hash and rules_hash(without.year) is None


def test_a_scoring_change_still_changes_the_assessment_hash():
    year = copy.deepcopy(YEAR.settings.to_json())
    year["grades"][0]["min"] = year["grades"][0]["min"] + 1
    assert make_bundle(Year.from_json(year), YEAR.standards["dept"]).hash != BEFORE_EVALUATION["dept"]


def test_a_review_made_under_other_evaluation_rules_is_refused_with_the_reason():
    review = read((ROOT / "examples" / "review.json").read_text("utf-8"), REVIEW)
    assessment = json.loads((ROOT / "examples" / "self-assessment.json").read_text("utf-8"))
    bundle = YEAR.bundle("dept")
    check_review(copy.deepcopy(review), bundle, assessment)  # the worked example is bound to today's rules
    year = copy.deepcopy(YEAR.settings.to_json())
    year["evaluation"]["qualitative"]["mode"] = "display"
    with pytest.raises(InvalidInput) as refused:
        check_review(copy.deepcopy(review), make_bundle(Year.from_json(year), YEAR.standards["dept"]), assessment)
    [problem] = refused.value.problems
    assert problem.path == ("rules_hash",) and "年终评议规则" in problem.message and "规则已修改" in problem.message
