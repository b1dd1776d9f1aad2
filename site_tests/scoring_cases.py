"""Scoring cases as data: load them, turn one into an assessment, compare a result with expectations.

Engine-agnostic on purpose: the CPython plugin (scoring_plugin.py) and the browser tests feed the same
files to the same comparison, so the two engines are held to identical expectations.

Case files are read with the project's strict loader (`scorer.yamlsource`: duplicate keys refused,
numbers with a point as Decimal) and checked against CASE_SCHEMA, as OpenFisca's test runner refuses
unknown keys: a typo such as `totl` would otherwise expect nothing and pass forever. The keys allowed
under `expected` are exactly the ones `mismatches` compares: both come from COMPARED.
"""

from __future__ import annotations

import glob
import os
from decimal import Decimal

from scorer import assessment, tree, yamlsource
from scorer.schema import validate

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
_trees: dict = {}


def _same(a, b) -> bool:
    return Decimal(str(a)) == Decimal(str(b))


def _figure(key):
    def compare(result, want):
        return [] if _same(result[key], want) else [f"{key}: got {result[key]}, expected {want}"]
    return compare


def _areas(result, want):
    wrong = []
    for area_id, points in want.items():
        got = next((a["score"] for a in result["areas"] if a["id"] == area_id), None)
        if got is None or not _same(got, points):
            wrong.append(f"area {area_id}: got {got}, expected {points}")
    return wrong


def _equal(key, got_of=lambda value: value):
    def compare(result, want):
        got = got_of(result[key])
        return [] if got == want else [f"{key}: got {got}, expected {want}"]
    return compare


def _excluded(result, want):
    """[[item id, date], ...]: occurrences left out, in the standard's order."""
    got = [[e["id"], e["date"]] for e in result["excluded"]]
    want = [[i, str(d)] for i, d in want]
    return [] if got == want else [f"excluded: got {got}, expected {want}"]


def _receipt(result, want):
    """Lines the receipt must hold, word for word."""
    return [f"receipt lacks: {line}" for line in want if line not in result["receipt"]]


_NUMBER = {"type": "number"}
_TEXT = {"type": "string", "minLength": 1}
_TEXTS = {"type": "array", "items": _TEXT}
_DATE = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "日期 YYYY-MM-DD"}

# Each key `expected` may hold: its shape, and how `mismatches` compares it. No other key is allowed.
COMPARED = {
    "total": (_NUMBER, _figure("total")),
    "deducted": (_NUMBER, _figure("deducted")),
    "bonus": (_NUMBER, _figure("bonus")),
    "areas": ({"type": "object", "additionalProperties": _NUMBER}, _areas),
    "grade": (_TEXT, _equal("grade", lambda grade: grade["id"])),
    "grade_by_score": (_TEXT, _equal("grade_by_score")),
    "caps_hit": (_TEXTS, _equal("caps_hit", lambda caps: [c["id"] for c in caps])),
    "limits_applied": (_TEXTS, _equal("limits_applied")),
    "excluded": ({"type": "array", "items": {"type": "array", "items": _TEXT, "minItems": 2, "maxItems": 2}},
                 _excluded),
    "receipt": (_TEXTS, _receipt),
}

_OCCURRENCE = {"type": "object", "required": ["date"], "additionalProperties": False,
               "properties": {"date": _DATE, "count": {"type": "integer", "minimum": 0}}}
CASE_SCHEMA = {
    "type": "object",
    "required": ["tree", "year", "standard", "cases"],
    "additionalProperties": False,
    "properties": {
        "tree": _TEXT,
        "year": {"type": "integer"},
        "standard": _TEXT,
        "cases": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["name", "occurrences", "expected"],
            "additionalProperties": False,
            "properties": {
                "name": _TEXT,
                # item id -> a count (one occurrence mid-year), or the occurrences as declared
                "occurrences": {"type": "object", "additionalProperties": {
                    "type": ["integer", "array"], "minimum": 0, "items": _OCCURRENCE}},
                "expected": {"type": "object", "additionalProperties": False,
                             "properties": {key: shape for key, (shape, _) in COMPARED.items()}},
            },
        }},
    },
}


def files() -> list[str]:
    return sorted(glob.glob(os.path.join(HERE, "scoring_cases", "*.yaml")))


def load(path: str) -> dict:
    """A case file's suite, checked. Raises scorer.errors.InvalidInput naming file:line for every
    problem: YAML the strict loader refuses (duplicate keys, aliases, syntax), an unknown or missing
    key, a wrong type, a case name used twice (pytest would run only one of them)."""
    inside = os.path.abspath(path).startswith(ROOT + os.sep)
    located = yamlsource.load(path, os.path.relpath(path, ROOT) if inside else str(path))
    collector = located.collector()
    validate(located.value, CASE_SCHEMA, collector.add)
    cases = located.value.get("cases") if isinstance(located.value, dict) else None
    first: dict = {}
    for i, case in enumerate(cases if isinstance(cases, list) else []):
        name = case.get("name") if isinstance(case, dict) else None
        if isinstance(name, str) and name in first:
            line = located.locate(("cases", first[name], "name"))[0]
            collector.add(("cases", i, "name"), f"重复的用例名称 '{name}'（第 {line} 行已使用）")
        first.setdefault(name, i)
    collector.raise_if_any()
    return located.value


def bundle_for(suite: dict) -> dict:
    root = os.path.join(ROOT, suite["tree"])
    if root not in _trees:
        _trees[root] = tree.load(root)
    return _trees[root].year(suite["year"]).bundle(suite["standard"]).to_json()


def to_assessment(case: dict, bundle: dict) -> dict:
    """occurrences: item id -> a count (one occurrence mid-year), or a list of {date, count} as declared."""
    value = assessment.empty(bundle, organization=case["name"])
    year = value["year"]
    value["items"] = {item: [{"date": str(o["date"]), **({"count": o["count"]} if "count" in o else {})} for o in n]
                      if isinstance(n, list) else [{"date": f"{year}-06-30", "count": n}]
                      for item, n in case["occurrences"].items()}
    return value


def mismatches(result: dict, expected: dict) -> list[str]:
    """Every way `result` differs from `expected` (numbers compared as exact decimals), key by key in
    COMPARED's order; `load` has already refused any key COMPARED does not know."""
    return [line for key, (_, compare) in COMPARED.items() if key in expected for line in compare(result, expected[key])]
