"""Review cases as data (site_tests/review_cases/*.yaml): a self-assessment, a review (or supervision
records alone) and the final result the year's rules must give, like the scoring cases.

Each file carries the `evaluation` rules it tests (`rules`, checked by the year's own schema and
invariants) on the test tree's year, so one file per way of counting the qualitative judgement and
the related results. Read with the strict loader and checked against CASE_SCHEMA: a typo under
`expected` is refused, never silently expecting nothing.
"""

from __future__ import annotations

import glob
import os
from decimal import Decimal

from scorer import standards, tree, yamlsource
from scorer.errors import Collector
from scorer.model import Year
from scorer.standards import content_hash, rules_hash
from scorer.schema import load_schema, validate
from site_tests.scoring_cases import ROOT, to_assessment

HERE = os.path.dirname(os.path.abspath(__file__))
_trees: dict = {}
_TEXT = {"type": "string", "minLength": 1}
_TEXTS = {"type": "array", "items": _TEXT}
_NUMBER = {"type": "number"}
_review = load_schema("review")["$defs"]
_ADDITION = {"type": "object", "required": ["item", "date", "source"], "additionalProperties": False,
             "properties": {k: v for k, v in _review["addition"]["properties"].items() if k != "id"}}
_RECORD = {"type": "object", "required": ["item", "date", "source"], "additionalProperties": False,
           "properties": {k: v for k, v in load_schema("supervision")["$defs"]["record"]["properties"].items()
                          if k not in ("id", "organizations")}}

EXPECTED = {"total": {"type": ["number", "null"]}, "score_total": _NUMBER, "grade": {"type": ["string", "null"]},
            "method": _TEXT, "self_total": _NUMBER, "self_grade": _TEXT, "changes": _TEXTS, "pending": {"type": "integer"},
            "incomplete": _TEXTS, "receipt": _TEXTS}
CASE_SCHEMA = {
    "type": "object", "required": ["tree", "year", "standard", "rules", "cases"], "additionalProperties": False,
    "properties": {
        "tree": _TEXT, "year": {"type": "integer"}, "standard": _TEXT, "rules": {"type": "object"},
        "cases": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "expected"], "additionalProperties": False,
            "properties": {
                "name": _TEXT,
                "declared": {"type": "object", "additionalProperties": {"type": ["integer", "array"]}},
                "review": {"type": "object", "additionalProperties": False, "properties": {
                    "decisions": {"type": "array", "items": _review["decision"]},
                    "additions": {"type": "array", "items": _ADDITION},
                    "qualitative": _TEXT,
                    "related": {"type": "object", "additionalProperties": _NUMBER}}},
                "records": {"type": "array", "items": _RECORD},
                "expected": {"type": "object", "additionalProperties": False, "properties": EXPECTED},
            }}},
    },
}


def files() -> list:
    return sorted(glob.glob(os.path.join(HERE, "review_cases", "*.yaml")))


def load(path: str) -> dict:
    """A case file, checked: its shape, and its rules as a year's settings would be."""
    located = yamlsource.load(path, os.path.relpath(path, ROOT))
    collector = located.collector()
    validate(located.value, CASE_SCHEMA, collector.add)
    collector.raise_if_any()
    suite = located.value
    root = os.path.join(ROOT, suite["tree"])
    if root not in _trees:
        _trees[root] = tree.load(root)
    year = _trees[root].year(suite["year"])
    settings = dict(year.settings.to_json(), evaluation=suite["rules"])
    check = Collector(os.path.relpath(path, ROOT))
    standards.check_year(settings, check)
    check.raise_if_any()
    suite["bundle"] = standards.bundle(Year.from_json(settings), year.standards[suite["standard"]])
    return suite


def documents(suite: dict, case: dict) -> tuple:
    """(self-assessment or None, review or None, supervision records) of one case."""
    bundle = suite["bundle"]
    assessment = to_assessment({"name": case["name"], "occurrences": case["declared"]}, bundle) if "declared" in case else None
    review = None
    if "review" in case:
        spec = case["review"]
        review = {"format": "gm-review/1", "id": "rev-case", "year": bundle.year.year,
                  "standard": bundle.standard.id, "standard_hash": bundle.hash,
                  "rules_hash": rules_hash(bundle.year), "organization": {"name": case["name"]},
                  "assessment_hash": content_hash(assessment) if assessment else None,
                  "decisions": spec.get("decisions", []),
                  "additions": [dict(a, id=f"add-{i}", date=str(a["date"])) for i, a in enumerate(spec.get("additions", []))]}
        if "qualitative" in spec:
            review["qualitative"] = {"level": spec["qualitative"]}
        if "related" in spec:
            review["related"] = spec["related"]
    records = [dict(r, id=f"sup-{i}", organizations=[case["name"]], date=str(r["date"]))
               for i, r in enumerate(case.get("records", []))]
    return assessment, review, records


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(str(a)) == Decimal(str(b)))


def mismatches(result: dict, expected: dict) -> list:
    """Every way the final result differs from `expected`."""
    got = {
        "total": result["total"], "score_total": result["score_total"],
        "grade": result["grade"]["id"] if result["grade"] else None, "method": result["method"],
        "self_total": (result["self_declared"] or {}).get("total"),
        "self_grade": ((result["self_declared"] or {}).get("grade") or {}).get("id"),
        "changes": [c["decision_name"] for c in result["changes"]], "pending": result["pending"],
    }
    wrong = []
    for key, want in expected.items():
        if key == "receipt":
            wrong += [f"receipt lacks: {line}" for line in want if line not in result["receipt"]]
        elif key == "incomplete":
            wrong += [f"incomplete lacks: {w}" for w in want if not any(w in line for line in result["incomplete"])]
        elif key in ("total", "score_total", "self_total"):
            if not _same(got[key], want):
                wrong.append(f"{key}: got {got[key]}, expected {want}")
        elif got[key] != want:
            wrong.append(f"{key}: got {got[key]}, expected {want}")
    return wrong
