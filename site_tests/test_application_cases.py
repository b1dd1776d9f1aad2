"""Run the results application cases (site_tests/application_cases/*.yaml) through the operations."""

import pytest

from site_tests import application_cases
from site_tests.application_gen import Office

CASES = list(application_cases.cases())
NAME = "区示例局党组"


def test_enough_cases():
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case):
    office = Office(application_cases.base_workspace())
    for step in case["steps"]:
        view = office.view(NAME)
        before = office.text()
        reply = office.add(step["add"], application_cases.substitute(step["entry"], view), step.get("as_of", "2020-01-10"))
        if "refused" in step:
            assert not reply["ok"], step
            assert any(step["refused"] in p["message"] for p in reply["problems"]), reply["problems"]
            assert office.text() == before
        else:
            assert reply["ok"], reply
    expect = case["expect"]
    as_of = expect.get("rectification", {}).get("as_of", "2020-01-10")
    view = office.view(NAME, as_of)
    texts = {p["key"]: p["text"] for p in view["proposals"] + view["persons"]}
    decided = view["decision"]
    for key, text in expect.get("texts", {}).items():
        assert texts[key] == text, key
    if "blocked" in expect:
        assert len(view["blocked"]) == expect["blocked"]
    if "decision" in expect:
        assert decided["state"] == expect["decision"]
    if "stale" in expect:
        assert decided["stale"] == expect["stale"]
    if "history" in expect:
        assert [s["step"] for s in view["history"]] == expect["history"]
    if "rectification" in expect:
        shown = view["rectification"]
        for key in ("open", "overdue", "accepted"):
            if key in expect["rectification"]:
                assert shown[key] == expect["rectification"][key], key
        statuses = {i["id"]: i["status"] for i in shown["items"]}
        for item, status in expect["rectification"].get("statuses", {}).items():
            assert statuses[item] == status, item
