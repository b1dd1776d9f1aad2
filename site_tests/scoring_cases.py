"""Scoring cases as data: load them, turn one into an assessment, compare a result with expectations.

Engine-agnostic on purpose: the CPython plugin (scoring_plugin.py) and the browser tests feed the same
files to the same comparison, so the two engines are held to identical expectations.
"""

from __future__ import annotations

import glob
import os
from decimal import Decimal

import yaml

from scorer import assessment, tree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
_trees: dict = {}


def files() -> list[str]:
    return sorted(glob.glob(os.path.join(HERE, "scoring_cases", "*.yaml")))


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def bundle_for(suite: dict) -> dict:
    root = os.path.join(ROOT, suite["tree"])
    if root not in _trees:
        _trees[root] = tree.load(root)
    return _trees[root].year(suite["year"]).bundle(suite["standard"])


def to_assessment(case: dict, bundle: dict) -> dict:
    """occurrences: item id -> a count (one occurrence mid-year), or a list of {date, count} as declared."""
    value = assessment.empty(bundle, organization=case["name"])
    year = bundle["year"]["year"]
    value["items"] = {item: [{"date": str(o["date"]), **({"count": o["count"]} if "count" in o else {})} for o in n]
                      if isinstance(n, list) else [{"date": f"{year}-06-30", "count": n}]
                      for item, n in case["occurrences"].items()}
    return value


def mismatches(result: dict, expected: dict) -> list[str]:
    """Every way `result` differs from `expected` (numbers compared as exact decimals)."""
    wrong = []

    def same(a, b):
        return Decimal(str(a)) == Decimal(str(b))

    for key in ("total", "deducted", "bonus"):
        if key in expected and not same(result[key], expected[key]):
            wrong.append(f"{key}: got {result[key]}, expected {expected[key]}")
    for area_id, points in expected.get("areas", {}).items():
        got = next(a["score"] for a in result["areas"] if a["id"] == area_id)
        if not same(got, points):
            wrong.append(f"area {area_id}: got {got}, expected {points}")
    if "grade" in expected and result["grade"]["id"] != expected["grade"]:
        wrong.append(f"grade: got {result['grade']['id']}, expected {expected['grade']}")
    if "grade_by_score" in expected and result["grade_by_score"] != expected["grade_by_score"]:
        wrong.append(f"grade_by_score: got {result['grade_by_score']}, expected {expected['grade_by_score']}")
    if "caps_hit" in expected and [c["id"] for c in result["caps_hit"]] != expected["caps_hit"]:
        wrong.append(f"caps_hit: got {[c['id'] for c in result['caps_hit']]}, expected {expected['caps_hit']}")
    if "limits_applied" in expected and result["limits_applied"] != expected["limits_applied"]:
        wrong.append(f"limits_applied: got {result['limits_applied']}, expected {expected['limits_applied']}")
    if "excluded" in expected:  # [[item id, date], ...]: occurrences left out, in the standard's order
        got = [[e["id"], e["date"]] for e in result["excluded"]]
        want = [[i, str(d)] for i, d in expected["excluded"]]
        if got != want:
            wrong.append(f"excluded: got {got}, expected {want}")
    for line in expected.get("receipt", []):  # lines the receipt must hold, word for word
        if line not in result["receipt"]:
            wrong.append(f"receipt lacks: {line}")
    return wrong
