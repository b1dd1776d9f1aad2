"""The scorer's results fit the JSON Schemas published with the data (scorer/schemas/*-result, the
collected row and the diff record): every scoring case, generated assessments, every pair of the
multi-year fixture's years, collections and the start of a new year, as the worker's operations
answer them. And the few keywords the validator gained for them behave as JSON Schema says."""

from __future__ import annotations

import copy
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import assessment, browser, tree
from scorer.schema import load_schema, validate
from site_tests import scoring_cases
from site_tests.result_schemas import answer_problems, schema_problems

YEARS = os.path.join(os.path.dirname(__file__), "fixtures", "years")
SHIPPED = tree.load("standards")
CURRENT = SHIPPED.current
BUNDLES = [CURRENT.bundle(sid).to_json() for sid in CURRENT.standards]  # as published
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def test_the_operations_with_results_declare_their_schema():
    declared = {name: op.result_schema for name, op in browser.REGISTRY.items() if op.result_schema}
    assert declared == {"score": "score-result.schema.json", "diff": "diff-result.schema.json",
                        "carry": "carry-result.schema.json", "collect": "collect-result.schema.json",
                        "combine": "collect-result.schema.json", "final_result": "final-result.schema.json",
                        # results application and rectification (#16)
                        "application_org": "application-org-result.schema.json", "application_add": "application-add-result.schema.json",
                        "application_save": "application-save-result.schema.json",
                        "application_view": "application-view-result.schema.json",
                        "rectification_view": "rectification-view-result.schema.json",
                        "rectification_list": "rectification-list-result.schema.json",
                        "rectification_import": "rectification-import-result.schema.json"}
    for name in set(declared.values()) | {"collected-row.schema.json", "diff-record.schema.json"}:
        assert load_schema(name[: -len(".schema.json")])["$id"] == name


@pytest.mark.parametrize("path", scoring_cases.files())
def test_every_scoring_case_fits_the_score_result_schema(path):
    suite = scoring_cases.load(path)
    bundle = scoring_cases.bundle_for(suite)
    for case in suite["cases"]:
        answer = browser.score(dumps(bundle), dumps(scoring_cases.to_assessment(case, bundle)))
        assert answer_problems("score", answer) == [], case["name"]


@st.composite
def assessments(draw):
    bundle = draw(st.sampled_from(BUNDLES))
    ids = sorted(assessment.item_ids(bundle))
    chosen = draw(st.dictionaries(st.sampled_from(ids), st.lists(
        st.tuples(st.integers(1, 30), st.sampled_from([f"{CURRENT.year}-03-01", f"{CURRENT.year - 1}-12-31", f"{CURRENT.year}-12-31"])),
        min_size=1, max_size=3), max_size=12))
    value = assessment.empty(bundle, draw(st.text(alphabet="区某局党组委员会甲乙 ", min_size=1, max_size=12).filter(str.strip)))
    value["items"] = {i: [{"date": d, "count": n} for n, d in occurrences] for i, occurrences in chosen.items()}
    return bundle, value


@PROPERTY
@given(assessments())
def test_generated_assessments_fit_the_score_result_schema(case):
    bundle, value = case
    answer = json.loads(browser.score(dumps(bundle), dumps(value)))
    assert answer["ok"], answer
    assert answer_problems("score", answer) == []


def test_every_pair_of_years_fits_the_diff_result_schema():
    loaded = tree.load(YEARS)
    bundles = [dumps(loaded.year(y).bundle("dept").to_json()) for y in loaded.years]
    for old in bundles:
        for new in bundles:
            assert answer_problems("diff", browser.diff(old, new)) == []


@PROPERTY
@given(st.data())
def test_generated_edits_fit_the_diff_record_schema(data):
    """A standard edited at random (texts, points, lists, items) and compared with the original."""
    bundle = data.draw(st.sampled_from(BUNDLES))
    edited = copy.deepcopy(bundle)
    standard = edited["standard"]
    indicators = [i for a in standard["areas"] for i in a["indicators"]]
    for indicator in data.draw(st.lists(st.sampled_from(indicators), max_size=4, unique_by=lambda i: i["id"])):
        edit = data.draw(st.sampled_from(["title", "points", "basis", "per", "cap", "drop", "add"]))
        item = indicator["deductions"][0]
        if edit == "title":
            indicator["title"] += data.draw(st.text(alphabet="重大事项，, 请示", min_size=1, max_size=5))
        elif edit == "points":
            indicator["points"] = data.draw(st.integers(1, 30))
        elif edit == "basis":
            indicator["basis"] = data.draw(st.lists(st.sampled_from([f"article-{n}" for n in range(5, 40)]), min_size=1, max_size=4, unique=True))
        elif edit == "per":
            item["per"] = "once" if item.get("per") != "once" else "occurrence"
        elif edit == "cap":
            item["cap"] = data.draw(st.one_of(st.none(), st.integers(1, 9)))
        elif edit == "drop" and len(indicator["deductions"]) > 1:
            indicator["deductions"].pop()
        elif edit == "add":
            indicator["deductions"].append(dict(item, id=indicator["id"] + "z", text="新增的扣分情形"))
    if data.draw(st.booleans()):
        standard["emphasis"] += "。"
        standard["organization_kinds"] = standard["organization_kinds"][::-1] + ["新的类别"]
    for record in browser.diff_module.diff_standard(bundle["standard"], standard) + \
            browser.diff_module.diff_standard(standard, bundle["standard"]):
        assert schema_problems("diff-record", json.loads(dumps(record))) == [], record


def test_collections_and_combinations_fit_their_schemas():
    bundles = dumps(BUNDLES)
    bundle = BUNDLES[0]
    ids = sorted(assessment.item_ids(bundle))
    files = []
    for n, item in enumerate(ids[:6]):
        value = assessment.empty(bundle, f"党组织{n % 3}")
        value["items"] = {item: [{"date": f"{CURRENT.year}-05-01", "count": n + 1}]}
        files.append({"name": f"{n}.json", "text": dumps(value)})
    files.append({"name": "bad.json", "text": "{"})
    collected = json.loads(browser.collect(bundles, dumps(files)))
    assert collected["ok"] and collected["result"]["rows"] and collected["result"]["rejected"]
    assert answer_problems("collect", collected) == []
    for row in collected["result"]["rows"]:
        assert schema_problems("collected-row", row) == []
    refs = json.loads(browser.references("名称,评议\n党组织0,90\n别的党组织,80\n"))["result"]
    combined = browser.combine(dumps(collected["result"]), dumps(refs), bundles)
    assert answer_problems("combine", combined) == []


def test_the_start_of_a_new_year_fits_the_carry_result_schema():
    loaded = tree.load(YEARS)
    old, new = loaded.year(2019).bundle("dept").to_json(), loaded.year(2020).bundle("dept").to_json()
    value = assessment.empty(old, "测试党组织")
    value["items"] = {i: [{"date": "2019-05-01", "count": 1}] for i in sorted(assessment.item_ids(old))}
    answer = json.loads(browser.carry(dumps(old), dumps(new), dumps(value)))
    assert answer["ok"] and answer["result"]["review"]
    assert answer_problems("carry", answer) == []


def test_the_schemas_refuse_a_renamed_or_missing_key():
    bundle = BUNDLES[0]
    result = json.loads(browser.score(dumps(bundle), dumps(assessment.empty(bundle, "甲"))))["result"]
    renamed = dict(result, totl=result.pop("total"))
    assert {path for path, _ in schema_problems("score-result", renamed)} == {(), ("totl",)}
    loaded = tree.load(YEARS)
    diffed = json.loads(browser.diff(dumps(loaded.year(2020).bundle("dept").to_json()), dumps(loaded.year(2021).bundle("dept").to_json())))
    del diffed["result"]["standard"][0]["fields"][0]["label"]
    assert [path for path, _ in answer_problems("diff", diffed)] == [("standard", 0, "fields", 0)]


# ---------------------------------------------------------------- the validator's new keywords


def check(value, schema) -> list:
    found = []
    validate(value, schema, lambda path, message: found.append((tuple(path), message)))
    return found


def test_prefix_items_check_positions_and_items_the_rest():
    schema = {"type": "array", "prefixItems": [{"enum": ["same", "del", "ins"]}, {"type": "string"}], "items": {"type": "integer"}}
    assert check(["same", "文字"], schema) == []
    assert check(["same", "文字", 3], schema) == []
    assert [p for p, _ in check(["gone", 3, "x"], schema)] == [(0,), (1,), (2,)]


def test_any_of_passes_on_one_option_and_reports_the_closest():
    schema = {"anyOf": [{"type": "string"}, {"type": "object", "required": ["a", "b"]}]}
    assert check("x", schema) == [] and check({"a": 1, "b": 2}, schema) == []
    assert check({"a": 1}, schema) == [((), "缺少字段 'b'")]


def test_a_ref_to_a_sibling_file_validates_against_that_file():
    assert check({"x": "no"}, {"$ref": "diff-record.schema.json"}) != []
    sibling = {"$ref": "diff-record.schema.json#/$defs/runs"}
    assert check([["ins", "新"]], sibling) == []
    assert [p for p, _ in check([["new", "新"]], sibling)] == [(0, 0)]
    with pytest.raises(ValueError):
        check(1, {"$ref": "https://example.org/x.schema.json"})
