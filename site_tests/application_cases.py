"""Results application cases as data (site_tests/application_cases/*.yaml): starting from the worked
example's year (examples/workspace.json without its application part), a list of records the office
adds — each accepted or refused with a fragment of the reason — and what the organization's view must
then say (proposal texts, blocked, decision state, history, rectification on a date).

Read with the strict loader and checked against CASE_SCHEMA, so a typo under `expect` is refused
rather than silently expecting nothing. In entries, `$result_hash` stands for the organization's
current result hash and `$problem0`, `$problem1`, ... for its problems' keys in order.
"""

from __future__ import annotations

import glob
import json
import os

from scorer import yamlsource
from scorer.errors import Collector
from scorer.schema import validate

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(os.path.dirname(HERE), "examples", "workspace.json")
_TEXT = {"type": "string", "minLength": 1}
STEP = {"type": "object", "required": ["add", "entry"], "additionalProperties": False,
        "properties": {"add": {"enum": ["persons", "proposals", "tolerance", "clarifications", "decisions", "items", "events"]},
                       "entry": {"type": "object"}, "refused": _TEXT, "as_of": _TEXT}}
EXPECT = {"type": "object", "additionalProperties": False, "properties": {
    "texts": {"type": "object", "additionalProperties": {"type": "string"}},
    "blocked": {"type": "integer"}, "decision": {"enum": ["none", "decided", "changed"]}, "stale": {"type": "boolean"},
    "history": {"type": "array", "items": _TEXT},
    "rectification": {"type": "object", "additionalProperties": False, "required": ["as_of"],
                      "properties": {"as_of": _TEXT, "open": {"type": "integer"}, "overdue": {"type": "integer"},
                                     "accepted": {"type": "integer"}, "statuses": {"type": "object"}}}}}
CASE_SCHEMA = {"type": "object", "required": ["cases"], "additionalProperties": False, "properties": {
    "cases": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["name", "steps", "expect"], "additionalProperties": False,
        "properties": {"name": _TEXT, "steps": {"type": "array", "items": STEP}, "expect": EXPECT}}}}}


def load(path: str) -> dict:
    located = yamlsource.load(path)
    collector = Collector(path)
    validate(located.value, CASE_SCHEMA, collector.add)
    collector.raise_if_any()
    return located.value


def cases():
    """(id, case) of every file's cases."""
    for path in sorted(glob.glob(os.path.join(HERE, "application_cases", "*.yaml"))):
        for case in load(path)["cases"]:
            yield f"{os.path.basename(path)}::{case['name']}", case


def base_workspace() -> dict:
    with open(EXAMPLE, encoding="utf-8") as handle:
        ws = json.load(handle)
    ws.pop("application")
    return ws


def substitute(value, view: dict):
    """`$result_hash` and `$problemN` in an entry, from the organization's current view."""
    if isinstance(value, dict):
        return {k: substitute(v, view) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, view) for v in value]
    if value == "$result_hash":
        return view["result_hash"]
    if isinstance(value, str) and value.startswith("$problem"):
        return view["problems"][int(value[len("$problem"):])]["key"]
    return value
