"""The district's figures-only scoring (`detail=False`) gives the same figures as the full one.

Why this test exists: the district pass (`workspace.district`, and through it the proposals table)
scores 1000 organizations twice without wording their receipts. If the two paths ever disagreed on a
single figure, the district table and one organization's own result would show different numbers.
Every key the lean result has must equal the full result's; only the wording is left out.
"""

from __future__ import annotations

import random

import pytest

from scorer import evaluation, scoring, tree, workspace
from site_tests import scoring_cases, year_gen

WORDING = {"receipt", "declared", "notes"}
YEAR = tree.load("standards").year(2019)
BUNDLES = {sid: YEAR.bundle(sid) for sid in YEAR.standards}


def _same_figures(lean: dict, full: dict) -> None:
    assert set(full) - set(lean) <= WORDING, set(full) - set(lean)
    assert not WORDING & set(lean) or lean.get("receipt") is None
    for key, value in lean.items():
        assert value == full[key], key
    assert list(lean) == [k for k in full if k in lean]  # same order: the JSON reads the same


def test_every_scoring_case_scores_the_same_figures_without_wording():
    seen = 0
    for path in scoring_cases.files():
        suite = scoring_cases.load(path)
        bundle = scoring_cases.bundle_for(suite)
        for case in suite["cases"]:
            assessment = scoring_cases.to_assessment(case, bundle)
            try:
                full = scoring.score(bundle, assessment)
            except Exception:  # a case that expects refusal is refused the same way either way
                with pytest.raises(Exception):
                    scoring.score(bundle, assessment, detail=False)
                continue
            _same_figures(scoring.score(bundle, assessment, detail=False), full)
            seen += 1
    assert seen > 20


@pytest.mark.parametrize("seed", range(6))
def test_final_results_of_generated_workspaces_have_the_same_figures(seed):
    rng = random.Random(seed)
    ws = year_gen.workspace(BUNDLES, 30, rng, records_per_org=rng.choice([0, 3, 12]), reviewed=rng.choice([0.0, 0.5, 1.0]))
    by_hash = {e["hash"]: e["assessment"] for e in ws["assessments"]}
    reviews = {r["organization"]["name"]: r for r in ws["reviews"]}
    compared = 0
    for entry in ws["assessments"]:
        a = entry["assessment"]
        name = a["organization"]["name"]
        review = reviews.get(name)
        assessment = by_hash.get(review["assessment_hash"]) if review else a
        records = [r for r in ws["supervision"] if name in r["organizations"]]
        bundle = BUNDLES[a["standard"]]
        evaluation._SELF.clear()
        full = evaluation.final_result(bundle, assessment, review, records, ws["related"].get(name, {}), entry["hash"])
        lean = evaluation.final_result(bundle, assessment, review, records, ws["related"].get(name, {}), entry["hash"],
                                       detail=False)
        _same_figures(lean, full)
        compared += 1
    assert compared == 30


def test_the_self_score_remembered_for_the_district_is_never_handed_to_a_caller_wanting_the_receipt():
    ws = year_gen.workspace(BUNDLES, 3, random.Random(9), records_per_org=0, reviewed=0.0)
    entry = ws["assessments"][0]
    bundle = BUNDLES[entry["assessment"]["standard"]]
    evaluation._SELF.clear()
    workspace.district(ws, BUNDLES)  # remembers the figures-only self scores
    full = evaluation.final_result(bundle, entry["assessment"], None, (), {}, entry["hash"])
    assert full["receipt"] and "declared" in full
