"""Properties of the scoring rules that must hold for every assessment, on the shipped standards."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import assessment, tree
from scorer.scoring import score

TREE = tree.load("standards")
YEAR = TREE.current
BUNDLES = [YEAR.bundle(sid).to_json() for sid in YEAR.standards]


def answerable(bundle):
    return sorted(assessment.item_ids(bundle))


@st.composite
def assessments(draw):
    bundle = draw(st.sampled_from(BUNDLES))
    ids = answerable(bundle)
    chosen = draw(st.dictionaries(st.sampled_from(ids), st.integers(min_value=1, max_value=30), max_size=12))
    value = assessment.empty(bundle, "性质测试")
    value["items"] = {i: [{"date": f"{YEAR.year}-03-01", "count": n}] for i, n in chosen.items()}
    return bundle, value


def total(bundle, value):
    return Decimal(str(score(bundle, value)["total"]))


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(assessments())
def test_total_stays_within_zero_and_base_plus_bonus_cap(case):
    bundle, value = case
    result = total(bundle, value)
    ceiling = Decimal(str(bundle["standard"]["base_score"])) + Decimal(str(bundle["year"]["bonus_cap"]))
    assert Decimal(0) <= result <= ceiling


@PROPERTY
@given(assessments(), st.data())
def test_one_more_deduction_never_raises_the_total(case, data):
    bundle, value = case
    kinds = assessment.item_ids(bundle)
    item = data.draw(st.sampled_from([i for i, k in kinds.items() if k == "deduction"]))
    before = total(bundle, value)
    value["items"].setdefault(item, []).append({"date": f"{YEAR.year}-04-01"})
    assert total(bundle, value) <= before


@PROPERTY
@given(assessments(), st.data())
def test_one_more_bonus_never_lowers_the_total(case, data):
    bundle, value = case
    kinds = assessment.item_ids(bundle)
    item = data.draw(st.sampled_from([i for i, k in kinds.items() if k == "bonus"]))
    before = total(bundle, value)
    value["items"].setdefault(item, []).append({"date": f"{YEAR.year}-04-01"})
    assert total(bundle, value) >= before


@PROPERTY
@given(assessments())
def test_result_and_assessment_survive_a_json_round_trip(case):
    bundle, value = case
    result = score(bundle, value)
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    again = assessment.parse(json.dumps(value, ensure_ascii=False))
    assert score(bundle, again) == result


@PROPERTY
@given(assessments())
def test_receipt_accounts_for_the_total(case):
    bundle, value = case
    result = score(bundle, value)
    areas = sum(Decimal(str(a["score"])) for a in result["areas"])
    assert areas + Decimal(str(result["bonus"])) == Decimal(str(result["total"]))
    assert result["receipt"][-1] == f"最终等级：{result['grade']['name']}"


@pytest.mark.parametrize("text,expected", [("0.1", "0.1"), ("0.2", "0.2")])
def test_decimal_points_are_not_floats(text, expected):
    from scorer.numbers import dec, fmt
    assert fmt(dec(text) + dec(text) + dec("0.1")) == ("0.3" if text == "0.1" else "0.5")


@PROPERTY
@given(assessments(), st.data(), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_an_occurrence_outside_the_year_changes_nothing_but_is_listed(case, data, when):
    """Any item (deduction, bonus or grade limit), any date in another year: the figures stay as they
    were, and the occurrence is listed with its reason in `excluded`, `notes` and the receipt."""
    bundle, value = case
    if when.year == YEAR.year:
        when = when.replace(year=YEAR.year - 1) if (when.month, when.day) != (2, 29) else date(YEAR.year - 1, 2, 28)
    item = data.draw(st.sampled_from(answerable(bundle)))
    before = score(bundle, value)
    value["items"].setdefault(item, []).append({"date": when.isoformat(), "count": data.draw(st.integers(1, 30))})
    after = score(bundle, value)
    for key in ("total", "deducted", "bonus", "areas", "bonuses", "grade", "limits_applied", "caps_hit"):
        assert after[key] == before[key], key
    assert [(e["id"], e["date"]) for e in after["excluded"]] == [(item, when.isoformat())]
    reason = f"日期 {when.isoformat()} 不在 {YEAR.year} 年度内，未计入得分"
    assert after["excluded"][0]["reason"] == reason
    assert any(reason in line for line in after["receipt"])
    assert after["notes"] and f"{item}（{when.isoformat()}）" in after["notes"][0]
    shown = next(d for d in after["declared"] if d["id"] == item)["occurrences"][-1]
    assert shown["counted"] is False and shown["reason"] == reason
