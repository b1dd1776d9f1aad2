"""The final result the review screen, the evaluation sheet and the organization's feedback show
(`final_result`, and the `result` of `feedback_make` / `feedback_read`) fits final-result.schema.json
(each review case's is checked in test_review_cases.py), and every change carries its words (`line`,
from `evaluation.change_text`): the pages show that line and keep no wording of their own, so the
receipt and the pages cannot drift apart."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scorer import browser, tree, year_ops  # browser first: it imports year_ops
from scorer.evaluation import change_text, final_result
from scorer.numbers import to_json
from site_tests import year_gen
from site_tests.result_schemas import answer_problems, schema_problems

ROOT = Path(__file__).resolve().parent.parent
YEAR = tree.load(str(ROOT / "standards")).current
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def final(bundle, assessment, review, records=()) -> dict:
    """The operation's answer, checked against its declared schema; its result."""
    answer = json.loads(browser.final_result(dumps(bundle.to_json()), dumps(assessment), dumps(review), dumps(list(records))))
    assert answer["ok"], answer
    assert answer_problems("final_result", answer) == []
    return answer["result"]


def sent(result: dict) -> dict:
    """A library final result (`evaluation.final_result`) as the operations send it."""
    return to_json(year_ops.worded(result))


def assert_lines(result: dict) -> None:
    """Each change's line is change_text's, and the receipt says the same lines in the same order."""
    lines = [c["line"] for c in result["changes"]]
    assert lines == [change_text(c) for c in result["changes"]]
    start = next((i for i, line in enumerate(result["receipt"]) if line in lines), 0)
    assert result["receipt"][start:start + len(lines)] == lines


def test_the_operation_declares_the_final_result_schema():
    assert browser.REGISTRY["final_result"].result_schema == "final-result.schema.json"


def test_the_words_are_the_answers_not_the_librarys():
    """Decisions are bound to the library's result (`application.result_hash`): adding the words to it
    would make every recorded decision stale."""
    bundle = YEAR.bundle("dept")
    own = json.loads((ROOT / "examples" / "self-assessment.json").read_text("utf-8"))
    review = json.loads((ROOT / "examples" / "review.json").read_text("utf-8"))
    library = final_result(bundle, own, review)
    assert library["changes"] and all("line" not in c for c in library["changes"])
    answered = final(bundle, own, review)
    assert [{k: v for k, v in c.items() if k != "line"} for c in answered["changes"]] == to_json(library["changes"])


@FAST
@given(st.integers(0, 2 ** 32 - 1), st.sampled_from(sorted(YEAR.standards)))
def test_generated_reviews_fit_and_word_each_change_once(seed, sid):
    """Reviews with every kind of decision and additions, on generated self-assessments."""
    rng = random.Random(seed)
    bundle = YEAR.bundle(sid)
    assessment = year_gen.assessment_for(bundle, "甲", rng)
    result = final(bundle, assessment, year_gen.review_for(bundle, assessment, rng, "rev-1"))
    assert_lines(result)


def test_the_feedback_carries_the_same_lines():
    bundle = dumps(YEAR.bundle("dept").to_json())
    own = (ROOT / "examples" / "self-assessment.json").read_text("utf-8")
    made = json.loads(browser.feedback_make(bundle, own, (ROOT / "examples" / "review.json").read_text("utf-8"), "{}"))
    opened = json.loads(browser.feedback_read(bundle, dumps(made["result"]["feedback"])))
    for result in (made["result"]["result"], opened["result"]["result"]):
        assert schema_problems("final-result", json.loads(dumps(result))) == []
        assert_lines(result)
    assert [c["line"] for c in opened["result"]["result"]["changes"]] == [c["line"] for c in made["result"]["result"]["changes"]]
    assert len(opened["result"]["result"]["changes"]) == 3


def test_the_schema_refuses_a_change_without_its_line():
    bundle = YEAR.bundle("dept")
    own = json.loads((ROOT / "examples" / "self-assessment.json").read_text("utf-8"))
    review = json.loads((ROOT / "examples" / "review.json").read_text("utf-8"))
    result = json.loads(dumps(final(bundle, own, review)))
    del result["changes"][0]["line"]
    assert [path for path, _ in schema_problems("final-result", result)] == [("changes", 0)]
