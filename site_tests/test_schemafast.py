"""The compiled yes/no check (`scorer.schemafast`) gives the validator's verdict on every value.

Generated from the shipped documents by random mutations (a field dropped, retyped, lengthened, a key
added, a number out of range...), so both valid and invalid values of every schema are compared.
"""

import copy
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings, strategies as st

from scorer.schema import load_schema, validate
from scorer.schemafast import conforms

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "assessment": json.loads((ROOT / "examples" / "self-assessment.json").read_text("utf-8"), parse_float=Decimal),
    "review": json.loads((ROOT / "examples" / "review.json").read_text("utf-8"), parse_float=Decimal),
    "supervision": json.loads((ROOT / "examples" / "supervision.json").read_text("utf-8"), parse_float=Decimal),
}
REPLACEMENTS = [None, True, 0, -1, 1.5, Decimal("2.0"), Decimal("0.001"), 10 ** 6, "", " ", "x" * 5000, "POL-01a",
                "sha256:" + "0" * 64, "2019-01-01\n", [], [1, 1], {}, {"file": "a"}, "confirm", "adjust", "bogus"]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def _mutate(value, data):
    value = copy.deepcopy(value)
    for _ in range(data.draw(st.integers(0, 3))):
        paths = list(_paths(value))
        path = data.draw(st.sampled_from(paths))
        if not path:
            continue
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "drop", "add", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
        elif action == "drop":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "note", "count", "date"]))] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return value


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(EXAMPLES)), st.data())
def test_same_verdict_as_the_validator(name, data):
    schema = load_schema(name)
    value = _mutate(EXAMPLES[name], data)
    problems = []
    validate(value, schema, lambda path, message: problems.append((path, message)))
    assert conforms(schema)(value) == (not problems), problems


def test_the_examples_conform_and_a_wrong_one_does_not():
    for name, value in EXAMPLES.items():
        assert conforms(load_schema(name))(value), name
    assert not conforms(load_schema("review"))(dict(EXAMPLES["review"], decisions=[{"item": "X", "index": -1, "decision": "confirm"}]))
