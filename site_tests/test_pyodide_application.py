"""The results application and rectification (issue #16) under Pyodide (the vendored runtime, in
Node) answer exactly as CPython: proposals tables, organizations' views, new records (accepted and
refused), district rectification views, lists and report imports over generated workspaces
(`application_gen.equality_requests`), whole reply against whole reply, each result fitting the
schema its operation declares, on both of the site's start-ups (plain and memory snapshot)."""

from __future__ import annotations

from collections import Counter

from site_tests.application_gen import EQUAL_OPERATIONS, equality_requests
from site_tests.result_schemas import answer_problems
from site_tests.test_pyodide_node import cpython, engine, wheel  # noqa: F401 (fixtures)

SEEDS = (1601, 1602, 1603, 1604)


def test_generated_workspaces_give_the_same_application_and_rectification_answers(engine):
    requests = [r for seed in SEEDS for r in equality_requests(seed)]
    replies = engine.many(requests)
    outcomes = Counter()
    for reply, (op, args) in zip(replies, requests):
        assert reply["ok"], (op, reply)
        want = cpython(op, *args)
        assert reply["result"] == want, (op, args[2:4] if op != "application_view" else "")
        assert answer_problems(op, reply["result"]) == [], op
        outcomes[op, want["ok"]] += 1
    # every operation answered, each both with a result and with a refusal
    assert {(op, ok) for op in EQUAL_OPERATIONS for ok in (True, False)} <= set(outcomes), outcomes
