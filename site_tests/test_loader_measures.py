"""The strict loader on the Measures: the shipped file is valid, and each bad fixture fails with the
exact `file:line:col: message` its first line announces (one fixture per failure mode)."""

import glob
import os

import pytest

from scorer import measures
from scorer.errors import InvalidInput

HERE = os.path.dirname(__file__)
BAD = sorted(glob.glob(os.path.join(HERE, "fixtures", "measures", "bad-*.yaml")))


def expectation(path):
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    assert first.startswith("# expect: "), f"{path} must start with '# expect: LINE:COL: message'"
    where, message = first[len("# expect: "):].strip().split(": ", 1)
    line, column = map(int, where.split(":"))
    return line, column, message


def test_shipped_measures_are_valid():
    data = measures.load("standards/measures.yaml")
    assert len(data["chapters"]) == 7
    counts = [len(c["articles"]) for c in data["chapters"]]
    assert counts == [3, 9, 6, 4, 3, 3, 2]
    assert [a["number"] for a in measures.articles(data)] == list(range(1, 31))


def test_minimal_fixture_is_valid():
    measures.load(os.path.join(HERE, "fixtures", "measures", "ok-minimal.yaml"))


def test_there_is_a_bad_fixture_per_failure_mode():
    assert len(BAD) >= 15


@pytest.mark.parametrize("path", BAD, ids=[os.path.basename(p)[4:-5] for p in BAD])
def test_bad_fixture_fails_with_file_line_and_reason(path):
    line, column, message = expectation(path)
    with pytest.raises(InvalidInput) as caught:
        measures.load(path, source="x.yaml")
    rendered = [str(p) for p in caught.value.problems]
    assert any(r.startswith(f"x.yaml:{line}:{column}: ") and message in r for r in rendered), rendered


def test_problem_message_names_what_was_expected():
    path = os.path.join(HERE, "fixtures", "measures", "bad-unknown-key.yaml")
    with pytest.raises(InvalidInput) as caught:
        measures.load(path)
    unknown = [p for p in caught.value.problems if "titel" in p.message][0]
    assert "允许的字段" in unknown.message and "title" in unknown.message
