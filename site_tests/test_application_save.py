"""`application_save` (issue #16): the records a results application page appends, checked against
the stored year without checking the whole year again, and the text the page stores.

What must hold: it accepts exactly what `application_add` accepts on the same workspace (a record
refused one way is refused the other), checks each record against the whole year (an id another
organization's record already has, which an organization's slice cannot show), and the text it
returns is the year with the records, which a full read (`workspace_read`) accepts as the same
workspace and the scorer's stamp vouches for. A refused base or a hostile addition is refused with
reasons, and a year the worker never checked is checked in full first."""

from __future__ import annotations

import json

import pytest

from scorer import application_ops, stamps
from site_tests.application_gen import BUNDLES_JSON, SAVED_AT, call, equality_requests, reviewed, with_application

SEEDS = (1601, 1602, 1603)


def _saves():
    """(text, part, entry) of every generated `application_add` request, with its verdict."""
    for seed in SEEDS:
        for op, args in equality_requests(seed):
            if op == "application_add":
                _, text, part, entry, as_of = args
                yield text, part, json.loads(entry), call(op, *args)


def _additions(records: dict, updated: str = SAVED_AT) -> str:
    return json.dumps({"records": records, "updated": updated}, ensure_ascii=False)


def test_a_save_accepts_what_application_add_accepts_and_stores_the_year_with_the_records():
    outcomes = set()
    for text, part, entry, added in _saves():
        # the page saves the entry as `application_add` answered it (recorded, proposals filled in)
        record = added["result"]["entry"] if added["ok"] else entry
        saved = call("application_save", BUNDLES_JSON, text, _additions({part: [record]}))
        assert saved["ok"] == added["ok"], (part, entry["id"], saved, added)
        outcomes.add(saved["ok"])
        if not saved["ok"]:
            continue
        want = json.loads(text)
        want["application"][part].append(record)
        want["updated"] = SAVED_AT
        assert json.loads(saved["result"]["text"]) == want
        full = call("workspace_read", BUNDLES_JSON, saved["result"]["text"])
        assert full["ok"] and full["result"]["stamp"] == saved["result"]["stamp"]
        assert call("workspace_stamp", BUNDLES_JSON, saved["result"]["text"], json.dumps(saved["result"]["stamp"]))["result"]["vouched"]
    assert outcomes == {True, False}


def _year():
    workspace = with_application(reviewed(4, 41), __import__("random").Random(41), persons=2, items=3)
    return workspace, json.dumps(workspace, ensure_ascii=False)


def _person(workspace, name, pid="p-new"):
    view = call("application_org", BUNDLES_JSON, json.dumps(workspace, ensure_ascii=False), name, "2020-01-10")["result"]
    return {"id": pid, "organization": name, "name": "张三", "post": "委员", "responsibility": "personal",
            "problem": view["problems"][0]["key"], "updated": "2020-02-01T09:00:00Z"}


def _with_problems(workspace):
    return next(r["name"] for r in workspace["roster"]
                if call("application_org", BUNDLES_JSON, json.dumps(workspace, ensure_ascii=False), r["name"], "2020-01-10")["result"]["problems"])


def test_an_id_another_organization_already_has_is_refused_though_its_own_slice_cannot_show_it():
    workspace, text = _year()
    name = _with_problems(workspace)
    other = next(p for p in workspace["application"]["persons"] if p["organization"] != name)
    entry = _person(workspace, name, pid=other["id"])
    mine = dict(workspace, application={k: [e for e in v if e.get("organization") == name] if k != "events" else []
                                        for k, v in workspace["application"].items()})
    assert call("application_add", BUNDLES_JSON, json.dumps(mine, ensure_ascii=False), "persons", json.dumps(entry), "2020-01-10")["ok"]
    saved = call("application_save", BUNDLES_JSON, text, _additions({"persons": [entry]}))
    assert not saved["ok"]
    assert [(p["path"], "已有编号" in p["message"]) for p in saved["problems"]] == [
        (f"/application/persons/{len(workspace['application']['persons'])}/id", True)]


def test_records_in_one_save_are_checked_in_order_each_against_those_before_it():
    workspace, text = _year()
    name = _with_problems(workspace)
    first = _person(workspace, name, "p-a")
    saved = call("application_save", BUNDLES_JSON, text, _additions({"persons": [first, dict(first, name="李四")]}))
    assert not saved["ok"] and saved["problems"][0]["path"] == f"/application/persons/{len(workspace['application']['persons']) + 1}/id"
    both = call("application_save", BUNDLES_JSON, text, _additions({"persons": [first, dict(first, id="p-b", name="李四")]}))
    assert both["ok"] and [p["id"] for p in json.loads(both["result"]["text"])["application"]["persons"][-2:]] == ["p-a", "p-b"]


def test_a_year_this_worker_never_checked_is_checked_in_full_first_and_a_refused_one_is_refused(monkeypatch):
    workspace, text = _year()
    entry = _person(workspace, _with_problems(workspace))
    stamps.forget()
    application_ops.forget()
    checks = []
    from scorer import yearfiles

    real = yearfiles.check_workspace
    monkeypatch.setattr(yearfiles, "check_workspace", lambda *a, **k: checks.append(1) or real(*a, **k))
    assert call("application_save", BUNDLES_JSON, text, _additions({"persons": [entry]}))["ok"]
    assert checks == [1]  # the base, once; the records are checked by themselves
    assert call("application_save", BUNDLES_JSON, text, _additions({"persons": [entry]}))["ok"] and checks == [1]
    broken = text.replace('"gm-workspace/1"', '"gm-workspace/9"', 1)
    refused = call("application_save", BUNDLES_JSON, broken, _additions({"persons": [entry]}))
    assert not refused["ok"] and refused["problems"] == call("workspace_read", BUNDLES_JSON, broken)["problems"]


HOSTILE = {
    "not JSON": ("{records", "不是有效的 JSON"),
    "duplicate keys": ('{"records": {}, "records": {}, "updated": "2020-02-01T09:00:00Z"}', "重复"),
    "not an object": ("[]", "应为"),
    "a key too many": ('{"records": {}, "updated": "2020-02-01T09:00:00Z", "x": 1}', "应为"),
    "no such part": ('{"records": {"notes": []}, "updated": "2020-02-01T09:00:00Z"}', "未知的记录类型"),
    "records not a list": ('{"records": {"persons": {}}, "updated": "2020-02-01T09:00:00Z"}', "应为记录的数组"),
    "a time that is not one": ('{"records": {}, "updated": "昨天"}', "无法识别"),
    "a record of another shape": ('{"records": {"persons": [{"id": 1}]}, "updated": "2020-02-01T09:00:00Z"}', ""),
    "a lone surrogate": ('{"records": {"persons": [{"id": "\\ud800"}]}, "updated": "2020-02-01T09:00:00Z"}', "代理项"),
    "an event of no item": ('{"records": {"events": [{"id": "e1", "item": "nope", "kind": "accepted", "date": "2020-02-01", '
                            '"recorded": "2020-02-01T09:00:00Z"}]}, "updated": "2020-02-01T09:00:00Z"}', "没有编号为"),
    "nested too deep": ('{"records": ' + "[" * 3000 + "]" * 3000 + ', "updated": "2020-02-01T09:00:00Z"}', "嵌套过深"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_addition_is_refused_with_its_reason_and_never_raises(kind):
    _, text = _year()
    additions, words = HOSTILE[kind]
    refused = call("application_save", BUNDLES_JSON, text, additions)
    assert not refused["ok"] and refused["problems"], refused
    assert any(words in p["message"] for p in refused["problems"]), refused["problems"]


def test_the_whole_years_list_is_bounded_not_only_the_organizations(monkeypatch):
    """A year's list at its schema's bound refuses one more record, though the organization's own
    records are few (the bound is of the workspace's list)."""
    from scorer import application_files
    from scorer.schema import load_schema

    workspace, text = _year()
    entry = _person(workspace, _with_problems(workspace))
    schema = json.loads(json.dumps(load_schema("application")))
    schema["properties"]["persons"]["maxItems"] = len(workspace["application"]["persons"])
    monkeypatch.setattr(application_files, "load_schema", lambda name: schema if name == "application" else load_schema(name))
    refused = call("application_save", BUNDLES_JSON, text, _additions({"persons": [entry]}))
    assert not refused["ok"] and any("至多" in p["message"] for p in refused["problems"]), refused
