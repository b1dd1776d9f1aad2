"""The year's evaluation rules (`evaluation` in year.yaml, #15) as typed records of `scorer.model`.

Why: the published bundles must stay byte-identical, so `Year.to_json()` writes back exactly what the
YAML holds, in any key order an editor chose and with the optional keys (a weight, limits) as present
or absent; and the #15 code reads the rules as records (`yearfiles.settings`), once per year, while
`items.index` walks a model bundle once per record.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from scorer import items, model, tree, yearfiles
from scorer.numbers import to_json
from scorer.schema import load_schema, validate

YEAR = tree.load("standards").year(2019)
_NAME = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=6)
_NUMBER = st.one_of(st.integers(0, 100), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.45"), places=2))
_WEIGHT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.45"), places=2)


def _shuffled(draw, value: dict) -> dict:
    return {k: value[k] for k in draw(st.permutations(list(value)))}


@st.composite
def _evaluation(draw):
    grades = [g.id for g in YEAR.settings.grades]
    mode = lambda: draw(st.sampled_from(["display", "limit", "weight"]))  # noqa: E731
    levels = [_shuffled(draw, {"id": f"l{i}", "name": draw(_NAME), "score": draw(_NUMBER),
                               "max_grade": draw(st.sampled_from(grades))}) for i in range(draw(st.integers(2, 4)))]
    qualitative = {"mode": mode(), "levels": levels}
    if draw(st.booleans()):
        qualitative["weight"] = draw(_WEIGHT)
    related = []
    for i in range(draw(st.integers(0, 3))):
        r = {"name": f"r{i}", "mode": mode()}
        if draw(st.booleans()):
            r["weight"] = draw(_WEIGHT)
        if draw(st.booleans()):
            r["limits"] = [_shuffled(draw, {"below": draw(_NUMBER), "max_grade": draw(st.sampled_from(grades))})]
        related.append(_shuffled(draw, r))
    return _shuffled(draw, {"values": draw(st.sampled_from(["sample", "official"])),
                            "sources": [_shuffled(draw, {"id": f"s{i}", "name": draw(_NAME)}) for i in range(draw(st.integers(1, 3)))],
                            "qualitative": _shuffled(draw, qualitative), "related": related,
                            "not_reviewed": draw(st.sampled_from(["self", "supervision"]))})


def _text(value) -> str:
    return json.dumps(to_json(value), ensure_ascii=False)


@settings(max_examples=80, deadline=None)
@given(_evaluation())
def test_any_evaluation_section_comes_back_as_written(evaluation):
    """Every shape the schema allows (key order, weight and limits present or not, whole or decimal
    numbers) is written back as the same JSON text by the year's record."""
    year = dict(YEAR.settings.to_json(), evaluation=evaluation)
    problems = []
    validate(to_json(year), load_schema("year"), lambda *p: problems.append(p))
    assert problems == []
    record = model.Year.from_json(year)
    assert isinstance(record.evaluation, model.Evaluation)
    assert _text(record.to_json()) == _text(year)
    rules = yearfiles.settings(record)
    assert list(rules.sources) == [s["id"] for s in evaluation["sources"]]
    assert [lv.score for lv in rules.levels.values()] == [Decimal(str(lv["score"])) for lv in evaluation["qualitative"]["levels"]]


def test_the_shipped_rules_are_typed_records_and_a_year_without_rules_has_none():
    rules = YEAR.settings.evaluation
    assert isinstance(rules.qualitative.levels[0], model.Level) and isinstance(rules.qualitative.levels[0].score, Decimal)
    assert all(isinstance(r, model.Related) for r in rules.related)
    without = model.Year.from_json({k: v for k, v in YEAR.settings.to_json().items() if k != "evaluation"})
    assert without.evaluation is None and "evaluation" not in without.to_json()
    assert yearfiles.settings(YEAR.settings) is yearfiles.settings(YEAR.settings)  # made once per year


def test_items_index_walks_a_model_bundle_once_per_record():
    """Keyed by the bundle's hash and the identity of its records: the same record is walked once; an
    equal record read again from JSON is another key (never a stale entry of a replaced object)."""
    bundle = YEAR.bundle("dept")
    first = items.index(bundle)
    assert items.index(bundle) is first
    assert list(first) == [e.id for e in items.walk_bundle(bundle)]
    again = model.Bundle.from_json(json.loads(json.dumps(bundle.to_json())))
    assert again == bundle and items.index(again) is not first and items.index(again) == first
