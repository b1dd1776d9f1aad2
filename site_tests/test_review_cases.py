"""The review cases (site_tests/review_cases/*.yaml): each case's final result under its file's rules."""

import pytest

from scorer.evaluation import final_result
from scorer.yearfiles import REVIEW, check_review, read
from site_tests import review_cases
from site_tests.result_schemas import schema_problems
from site_tests.test_final_result_schema import assert_lines, sent

CASES = [(path, case["name"]) for path in review_cases.files() for case in review_cases.load(path)["cases"]]


@pytest.mark.parametrize("path,name", CASES, ids=[f"{p.rsplit('/', 1)[1]}:{n}" for p, n in CASES])
def test_review_case(path, name):
    suite = review_cases.load(path)
    case = next(c for c in suite["cases"] if c["name"] == name)
    assessment, review, records = review_cases.documents(suite, case)
    if review is not None:  # every case's review is a valid gm-review/1 bound to its self-assessment
        check_review(read(review, REVIEW), suite["bundle"], assessment)
    result = final_result(suite["bundle"], assessment, review, records)
    wrong = review_cases.mismatches(result, case["expected"])
    assert not wrong, "\n".join(wrong + ["receipt:"] + result["receipt"])
    answer = sent(result)  # as the operations send it
    assert schema_problems("final-result", answer) == []
    assert_lines(answer)  # each change in the scorer's words, as the receipt says them


def test_a_typo_in_expected_is_refused(tmp_path):
    from scorer.errors import InvalidInput

    text = open(next(p for p in review_cases.files() if p.endswith("limit.yaml")), encoding="utf-8").read().replace("expected: {total: 98,", "expected: {totl: 98,", 1)
    bad = tmp_path / "typo.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match="未知字段 'totl'"):
        review_cases.load(str(bad))


def test_a_wrong_expectation_is_reported():
    """The comparison can fail: every compared key, when it differs, is named."""
    path = next(p for p in review_cases.files() if p.endswith("limit.yaml"))
    suite = review_cases.load(path)
    case = suite["cases"][0]
    result = final_result(suite["bundle"], *review_cases.documents(suite, case))
    wrong = {"total": 97, "score_total": 1, "grade": "poor", "method": "self", "self_total": 1, "self_grade": "poor",
             "changes": ["核减"], "pending": 3, "incomplete": ["x"], "receipt": ["no such line"]}
    assert len(review_cases.mismatches(result, wrong)) == len(wrong)
