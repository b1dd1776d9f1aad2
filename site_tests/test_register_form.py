"""The supervision register's form choices (`scorer.register_form`, operation `register_choices`):
every item of every standard of the year in the walker's order with the pages' one rule wording, the
standard's organization kinds, and the year's sources exactly as the year's settings list them."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings, strategies as st

from scorer import browser, items, register_form, tree
from scorer.model import EvaluationSource

SHIPPED = tree.load("standards")
BUNDLES = [SHIPPED.current.bundle(sid) for sid in SHIPPED.current.standards]


def test_every_item_in_the_walkers_order_with_its_rule():
    result = register_form.choices(BUNDLES)
    assert result["year"] == SHIPPED.current.year
    for bundle, standard in zip(BUNDLES, result["standards"]):
        walked = list(items.walk_bundle(bundle))
        assert [i["id"] for i in standard["items"]] == [e.id for e in walked]
        assert [i["rule"] for i in standard["items"]] == [items.rule_text(e, bundle.year.grades) for e in walked]
        assert standard["kinds"] == list(bundle.standard.organization_kinds)
        assert {i["kind"] for i in standard["items"]} == {"deduction", "bonus", "limit"}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), st.text(min_size=1, max_size=8)),
                max_size=6, unique_by=lambda s: s[0]))
def test_sources_are_the_years_own_list_in_its_order(sources):
    first = BUNDLES[0]
    rules = dataclasses.replace(first.year.evaluation, sources=tuple(EvaluationSource(i, n) for i, n in sources))
    bundles = [dataclasses.replace(first, year=dataclasses.replace(first.year, evaluation=rules))] + BUNDLES[1:]
    assert register_form.choices(bundles)["sources"] == [{"id": i, "name": n} for i, n in sources]


def test_the_operation_answers_and_refuses_bad_bundles():
    answer = json.loads(browser.register_choices(json.dumps([b.to_json() for b in BUNDLES])))
    assert answer["ok"] and len(answer["result"]["standards"]) == len(BUNDLES)
    refused = json.loads(browser.register_choices('{"not": "a list"}'))
    assert refused["ok"] is False and refused["problems"]
    assert "register_choices" in browser.registry()
