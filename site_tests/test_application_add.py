"""`application_add` on an organization's slice (issue #16: one change shown in <= 50 ms for 1000
organizations): the records already in the slice are checked against their schema once per change
(as the slice is opened), not a second time with the new record; every check of the new record
stays, and a hostile slice is still refused.

Why: the operation checked the opened slice in full and then ran the whole part's check again on the
part with the new record (`check_part`), schemas of every record included (~8 % of its time).
`check_new` now runs only what the new record can change: its schema, the list's size limit, and the
checks between records (ids, references, dates, the decisions' order).
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scorer import application, application_files, yearfiles
from scorer.errors import InvalidInput
from site_tests.application_gen import BUNDLES, BUNDLES_JSON, Office, call, reviewed

MEETING = "领导小组2020年第1次会议"


def _office():
    office = Office(reviewed(3, 5))
    name = office.workspace["roster"][0]["name"]
    view = office.view(name)
    problem = view["problems"][0]
    assert office.add("persons", {"id": "p1", "organization": name, "name": "张三", "post": "书记",
                                  "responsibility": "personal", "problem": problem["key"]})["ok"]
    assert office.add("items", {"id": "i1", "organization": name, "problem": problem["key"], "problem_text": "p",
                                "measure": "m", "deadline": "2020-03-01", "responsible": "r", "issued": "2020-01-20"})["ok"]
    assert office.add("events", {"id": "e1", "item": "i1", "kind": "reported", "status": "done", "done": "2020-02-01",
                                 "date": "2020-02-01"})["ok"]
    return office, name, office.view(name)


def _valid(part_name, name, view):
    problem = view["problems"][0]["key"]
    return {"persons": {"id": "x1", "organization": name, "name": "王五", "post": "委员", "responsibility": "personal", "problem": problem},
            "proposals": {"id": "x1", "organization": name, "target": "organization", "text": "t", "reason": "r"},
            "tolerance": {"id": "x1", "organization": name, "person": "p1", "situation": "TOL-1", "reason": "r", "date": "2020-01-05"},
            "clarifications": {"id": "x1", "organization": name, "problem": problem, "finding": "f", "date": "2020-01-05"},
            "decisions": {"id": "x1", "organization": name, "kind": "decision", "result_hash": view["result_hash"],
                          "outcome": "adopted", "date": "2020-01-15", "meeting": MEETING},
            "items": {"id": "x1", "organization": name, "problem": problem, "problem_text": "p", "measure": "m",
                      "deadline": "2020-03-01", "responsible": "r", "issued": "2020-01-20"},
            "events": {"id": "x1", "item": "i1", "kind": "accepted", "date": "2020-02-05"},
            }[part_name]


OFFICE, NAME, VIEW = _office()
PART = OFFICE.workspace["application"]

# Values a field of the new record may be given: valid ones, references to nothing or to another
# record, dates out of order or impossible, an id already taken.
FIELDS = {
    "id": st.sampled_from(["x1", "p1", "i1", "e1", "x2"]),
    "person": st.sampled_from(["p1", "ghost", "x1"]),
    "item": st.sampled_from(["i1", "ghost"]),
    "kind": st.sampled_from(["decision", "change", "reported", "accepted", "returned"]),
    "date": st.sampled_from(["2020-01-05", "2019-12-31", "2020-02-30", "2021-01-01"]),
    "deadline": st.sampled_from(["2020-03-01", "2019-01-01"]),
    "issued": st.sampled_from(["2020-01-20", "2020-13-01"]),
    "outcome": st.sampled_from(["adopted", "changed"]),
    "texts": st.sampled_from([{"organization": "t"}, {"person:ghost": "t"}, {}]),
    "reason": st.sampled_from(["r", " "]),
    "target": st.sampled_from(["organization", "person", "principal"]),
    "situation": st.sampled_from(["TOL-1", "TOL-X"]),
    "responsibility": st.sampled_from(["personal", "nobody"]),
    "status": st.sampled_from(["done", "in-progress"]),
}


@st.composite
def _entries(draw):
    part_name = draw(st.sampled_from(application.PARTS))
    entry = copy.deepcopy(_valid(part_name, NAME, VIEW))
    for key in draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=3, unique=True)):
        entry[key] = draw(FIELDS[key])
    return part_name, entry


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_entries())
def test_a_new_record_is_accepted_only_when_the_whole_workspace_with_it_passes_every_check(drawn):
    """The class of new records (each part, fields set to valid, dangling, duplicate, out-of-order or
    impossible values): whatever `application_add` accepts, the stored workspace with it passes the
    full check (`yearfiles.check_workspace`, `check_part` with every schema), so nothing `check_new`
    no longer repeats lets a record through; what it refuses, it refuses with reasons."""
    part_name, entry = drawn
    reply = OFFICE.add(part_name, entry)
    if not reply["ok"]:
        assert reply["problems"] and all(p["message"] for p in reply["problems"])
        return
    stored = copy.deepcopy(OFFICE.workspace)
    OFFICE.workspace["application"][part_name].pop()
    yearfiles.check_workspace(stored, BUNDLES)  # raises InvalidInput, failing the test, if anything is wrong


def test_the_list_size_limit_still_counts_the_new_record(monkeypatch):
    schema = copy.deepcopy(application_files.load_schema("application"))
    schema["properties"]["proposals"]["maxItems"] = len(PART["proposals"])
    monkeypatch.setattr(application_files, "load_schema", lambda name: schema)
    with pytest.raises(InvalidInput) as refused:
        application_files.check_new("proposals", _valid("proposals", NAME, VIEW), PART, VIEW, BUNDLES)
    assert [p.path for p in refused.value.problems] == [("proposals",)]
    assert "至多" in refused.value.problems[0].message


def test_each_record_of_the_slice_is_checked_against_its_schema_once_per_change(monkeypatch):
    """Fails when `application_add` validates the whole application part twice (the opened slice's
    check, then again with the new record)."""
    seen = []
    validate = application_files.validate

    def counting(value, schema, *args, **kw):
        if isinstance(value, dict) and set(application.PARTS) <= set(value):
            seen.append(len(value["events"]))
        return validate(value, schema, *args, **kw)

    monkeypatch.setattr(application_files, "validate", counting)
    entry = _valid("proposals", NAME, VIEW)
    slice_text = OFFICE.text()
    reply = call("application_add", BUNDLES_JSON, slice_text + " ", "proposals", json.dumps(entry, ensure_ascii=False), "2020-01-10")
    assert reply["ok"], reply
    assert seen == [len(PART["events"])]


@pytest.mark.parametrize("spoil", [
    lambda w: w["application"]["events"].append({"id": "e9", "item": "ghost", "kind": "accepted", "date": "2020-02-05"}),
    lambda w: w["application"]["persons"][0].update(responsibility="nobody"),
    lambda w: w["application"]["items"][0].update(deadline="2019-01-01"),
    lambda w: w["application"]["proposals"].append({"id": "x9", "organization": "不存在的党组织", "target": "organization", "text": "t", "reason": "r"}),
    lambda w: w["application"]["persons"].append(dict(w["application"]["persons"][0])),
    lambda w: w["application"]["events"][0].pop("status"),
    lambda w: w["application"]["items"][0].update(extra="x"),
])
def test_a_hostile_slice_is_still_refused_whole(spoil):
    """The slice is the page's to send, not to be trusted: a slice whose existing records are wrong
    (a step of an item never issued, an unknown responsibility, a deadline before the issue, a record
    of an organization not in the workspace, a duplicate id, a record off its schema) is refused,
    with a valid new record, and nothing is answered to store."""
    hostile = copy.deepcopy(OFFICE.workspace)
    spoil(hostile)
    entry = _valid("proposals", NAME, VIEW)
    reply = call("application_add", BUNDLES_JSON, json.dumps(hostile, ensure_ascii=False), "proposals",
                 json.dumps(entry, ensure_ascii=False), "2020-01-10")
    assert not reply["ok"] and reply["problems"] and all(p["message"] for p in reply["problems"])
    assert "result" not in reply
