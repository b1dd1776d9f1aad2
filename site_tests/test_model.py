"""scorer.model: the typed records the loader builds, and their exact way back to the published JSON."""

from __future__ import annotations

import dataclasses
import glob
import io
import json
import os
from contextlib import redirect_stdout
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import assessment, cli, model, scoring, tree, yamlsource
from scorer.errors import InvalidInput
from scorer.items import bonus_rule, deduction_rule
from scorer.numbers import to_json
from scorer.schema import load_schema, validate
from scorer.standards import BUNDLE_FORMAT, scoring_hash

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREES = [os.path.join(ROOT, "standards")] + [os.path.join(ROOT, "site_tests", "fixtures", name)
                                             for name in ("tree", "years")]


def _text(value) -> str:
    """How the build writes a data file (sitebuild.publish.published_text): key order matters."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _data_files():
    """Every YAML file under standards/ and the fixtures whose values pass their schema (what the
    loader turns into records; the bad-file fixtures stop earlier), with its record class."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "standards", "**", "*.yaml"), recursive=True)
                       + glob.glob(os.path.join(ROOT, "site_tests", "fixtures", "**", "*.y*ml"), recursive=True)):
        name = os.path.basename(path)
        kind, schema = ((model.Measures, "measures") if name == "measures.yaml" else
                        (model.Year, "year") if name.startswith("year.") else (model.Standard, "standard"))
        try:
            value = yamlsource.load(path).value
        except InvalidInput:
            continue
        problems = []
        validate(value, load_schema(schema), lambda *problem: problems.append(problem))
        if not problems:
            out.append((os.path.relpath(path, ROOT), kind))
    return out


DATA_FILES = _data_files()


def test_the_round_trip_below_covers_every_kind_of_file():
    assert {kind for _, kind in DATA_FILES} == {model.Measures, model.Year, model.Standard}
    assert len(DATA_FILES) > 20


@pytest.mark.parametrize("path,kind", DATA_FILES, ids=[path for path, _ in DATA_FILES])
def test_every_data_file_reads_into_records_and_writes_back_the_same_json(path, kind):
    """The class of inputs is every file that passes the schema: it becomes records whose JSON is the
    file's plain values, keys in the file's order (standards/measures.yaml writes `editor_note` before
    `passages`, the schema the other way round)."""
    value = yamlsource.load(os.path.join(ROOT, path)).value
    assert _text(kind.from_json(value).to_json()) == _text(to_json(value))


@pytest.mark.parametrize("root", TREES, ids=os.path.basename)
def test_the_loader_returns_records_and_bundles_publish_exactly_the_loaded_values(root):
    """The bundle each page loads is the one the dicts gave before the model: format, the plain year
    and standard as read from YAML (same keys, same order, same numbers) and the hash over them."""
    loaded = tree.load(root)
    assert isinstance(loaded.measures, model.Measures)
    for year in loaded.years.values():
        assert isinstance(year.settings, model.Year)
        raw_year = to_json(yamlsource.load(os.path.join(root, str(year.year), "year.yaml")).value)
        for standard_id, standard in year.standards.items():
            assert isinstance(standard, model.Standard)
            raw = to_json(yamlsource.load(os.path.join(root, str(year.year), f"{standard_id}.yaml")).value)
            body = {"year": raw_year, "standard": raw}
            # The hash leaves out what does not change a score (the evaluation rules, #15): scoring_hash.
            expected = {"format": BUNDLE_FORMAT, **body, "hash": scoring_hash(raw_year, raw)}
            bundle = year.bundle(standard_id)
            assert _text(bundle.to_json()) == _text(expected)
            assert model.Bundle.of(json.loads(_text(expected))) == bundle  # the worker's JSON reads the same


def test_records_are_frozen_typed_and_say_what_the_data_leaves_unsaid():
    standard = tree.load(os.path.join(ROOT, "standards")).current.standards["dept"]
    item = standard.areas[0].indicators[0].deductions[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.points = Decimal(99)
    assert isinstance(item.points, Decimal) and item.kind == model.DEDUCTION
    bonus = standard.bonuses[0]
    assert bonus.kind == model.BONUS and bonus.per == model.PER_OCCURRENCE  # a bonus counts per occurrence
    assert "per" not in bonus.to_json()  # ... which the data never writes


_TEXT = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=8)  # no blank text
_POINTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)


@st.composite
def _deduction(draw):
    value = {"id": "POL-01a", "text": draw(_TEXT), "points": draw(_POINTS), "per": draw(st.sampled_from(["occurrence", "once"]))}
    if draw(st.booleans()):
        value["cap"] = draw(_POINTS)
    keys = draw(st.permutations(list(value)))
    return {k: value[k] for k in keys}


@settings(max_examples=80, deadline=None)
@given(st.lists(_deduction(), min_size=1, max_size=4), st.booleans(), st.data())
def test_any_key_order_and_optional_keys_come_back_unchanged(deductions, replaces, data):
    """An editor may write an indicator's keys in any order and leave out the optional ones: the JSON
    read back is the same text (so the published bytes never depend on the model's field order)."""
    fields = {"id": "POL-01", "title": "t", "content": "c", "points": Decimal(5), "method": "m",
              "basis": ["article-5"], "deductions": deductions}
    if replaces:
        fields["replaces"] = ["POL-09"]
    indicator = {k: fields[k] for k in data.draw(st.permutations(list(fields)))}
    record = model.Indicator.from_json(indicator)
    assert _text(record.to_json()) == _text(to_json(indicator))
    assert record.replaces == (("POL-09",) if replaces else None)


def test_cli_show_words_every_rule_as_the_pages_do():
    """`show` used its own wording ("每次 0.5，上限 2"); it now prints scorer.items' rule of every item."""
    root = os.path.join(ROOT, "standards")
    bundle = tree.load(root).current.bundle("dept")
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["--root", root, "show", str(bundle.year.year), "dept"]) == 0
    lines = out.getvalue().splitlines()
    for _area, indicator in bundle.standard.indicators():
        for item in indicator.deductions:
            assert f"      {item.id}  {item.text}（{deduction_rule(item)}）" in lines
    for bonus in bundle.standard.bonuses:
        assert f"奖励 {bonus.id}  {bonus.text}（{bonus_rule(bonus)}）" in lines


_BUNDLES = [year.bundle(sid) for root in TREES for year in tree.load(root).years.values() for sid in year.standards]


@st.composite
def _scored(draw):
    """An assessment of any bundle of the shipped and fixture trees: any items, counts, dates in and
    out of the year, notes and evidence, so every part of a result appears."""
    bundle = draw(st.sampled_from(_BUNDLES))
    ids = list(assessment.item_ids(bundle))
    year = bundle.year.year
    occurrence = st.fixed_dictionaries(
        {"date": st.sampled_from([f"{year}-03-01", f"{year}-12-31", f"{year - 1}-12-31", f"{year + 1}-01-01"])},
        optional={"count": st.integers(1, 40), "note": _TEXT,
                  "evidence": st.lists(st.fixed_dictionaries({"file": _TEXT}, optional={"location": _TEXT}), max_size=2)})
    value = assessment.empty(bundle, draw(_TEXT))
    value["items"] = draw(st.dictionaries(st.sampled_from(ids), st.lists(occurrence, min_size=1, max_size=3), max_size=10))
    return bundle, value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_scored())
def test_every_score_has_exactly_the_shape_of_score_result(case):
    """`score` makes its JSON directly (the page rescores on every change); `model.ScoreResult` is its
    contract: a key renamed, added, dropped or moved on either side breaks this round trip."""
    bundle, value = case
    result = scoring.score(bundle, value)
    typed = scoring.score_result(bundle, value)
    assert isinstance(typed, model.ScoreResult)
    assert _text(typed.to_json()) == _text(result)
    assert typed.total == result["total"] and typed.grade.name == result["grade"]["name"]
