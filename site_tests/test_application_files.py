"""Hostile and bad files through the results application's readers and operations (#16): every
hostile file is refused with its reason by each operation that takes a file, a refusal never changes
the workspace, and a workspace whose application part is hostile is refused as a whole."""

import copy
import json
import time

import pytest

from scorer import application, textinput, yearfiles
from scorer.errors import InvalidInput
from site_tests import hostile
from site_tests.application_gen import BUNDLES, BUNDLES_JSON, Office, call, reviewed

GENERIC = {name: why for name, why in hostile.ASSESSMENTS.items() if name != "proto-keys.json"}


def _text(name):
    """The file as a page hands it to an operation: text decoded by `read_files`, or None when
    `read_files` already refuses its bytes (then no operation ever sees it)."""
    import base64

    data = hostile.assessment_path(name).read_bytes()
    files = json.dumps([{"name": name, "base64": base64.b64encode(data).decode("ascii")}])
    answer = call("read_files", "json", files)["result"][0]
    if "problems" in answer:
        assert any(GENERIC[name] in p["message"] for p in answer["problems"]), answer
        return None
    return answer["text"]


@pytest.fixture(scope="module")
def office():
    office = Office(reviewed(2, 11))
    name = office.workspace["roster"][0]["name"]
    view = office.view(name)
    problem = view["problems"][0]
    assert office.add("items", {"id": "i1", "organization": name, "problem": problem["key"], "problem_text": "p",
                                "measure": "m", "deadline": "2020-03-01", "responsible": "r", "issued": "2020-01-20"})["ok"]
    return office


@pytest.mark.parametrize("name", sorted(GENERIC))
def test_each_hostile_file_is_refused_by_each_operation_that_takes_a_file(office, name):
    text = _text(name)
    if text is None:
        return
    before = office.text()
    dept = json.dumps(BUNDLES["dept"].to_json(), ensure_ascii=False)
    org = office.workspace["roster"][0]["name"]
    replies = {
        "import": call("rectification_import", BUNDLES_JSON, before, text, ""),
        "open": call("rectification_open", dept, text, "null"),
        "report": call("rectification_report", text, '{"reported": "2020-02-01", "items": []}'),
        "add": call("application_add", BUNDLES_JSON, before, "persons", text, "2020-01-10"),
        "org": call("application_org", BUNDLES_JSON, text, org, "2020-01-10"),
        "view": call("application_view", BUNDLES_JSON, text),
        "rectification": call("rectification_view", BUNDLES_JSON, text, "2020-01-10"),
    }
    for door, reply in replies.items():
        assert reply["ok"] is False and reply["problems"] and all(p["message"] for p in reply["problems"]), (door, reply)
    said = [p["message"] for p in replies["import"]["problems"]]
    assert any(GENERIC[name] in m or "重复的字段" in m or "控制字符 U+0000" in m for m in said), said
    assert office.text() == before


def test_a_report_over_the_bound_is_refused_unread(tmp_path):
    path = tmp_path / "report.json"
    with open(path, "wb") as handle:
        handle.write(b'{"format": "gm-rectification-report/1"')
        handle.truncate(textinput.MAX_JSON_BYTES + 10)
    started = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        yearfiles.read(textinput.read_path(str(path), "report.json", "json"), "gm-rectification-report/1", "report.json")
    assert "文件过大" in caught.value.problems[0].message and time.monotonic() - started < 2
    assert caught.value.problems[0].source == "report.json"


def test_a_duplicate_key_in_a_report_is_named_with_its_line(office):
    org = office.workspace["roster"][0]["name"]
    text = ('{"format": "gm-rectification-report/1", "year": 2019, "organization": "%s",\n'
            ' "reported": "2020-02-01", "reported": "2020-02-02", "items": []}' % org)
    reply = call("rectification_import", BUNDLES_JSON, office.text(), text, "")
    assert reply["ok"] is False
    problem = reply["problems"][0]
    assert "重复的字段 'reported'" in problem["message"] and problem["line"] == 2


def test_a_list_and_a_report_of_another_format_are_named():
    with pytest.raises(InvalidInput) as caught:
        yearfiles.read({"format": "gm-rectification/1"}, "gm-rectification-report/1", "r.json")
    assert "这是整改清单，不是整改情况报告" in caught.value.problems[0].message


@pytest.mark.parametrize("spoil,words", [
    (lambda a: a.update(persons=[{"id": "x"}] * 2), "缺少"),
    (lambda a: a["items"].append(copy.deepcopy(a["items"][0])), "重复的整改事项编号"),
    (lambda a: a.update(events=[{"id": "e", "item": "i1", "kind": "reported", "date": "2020-01-01", "recorded": "t"}]), "已完成（done）还是整改中"),
    (lambda a: a.update(decisions=[{"id": "d", "organization": "x", "kind": "change", "result_hash": "sha256:" + "0" * 64,
                                     "outcome": "adopted", "date": "2020-01-01", "meeting": "m", "recorded": "t", "reason": "r"}]),
     "最早的一条应为决定"),
    (lambda a: a["items"][0].update(note="x" * 10), "未知字段 'note'"),
    (lambda a: a.pop("events"), "缺少"),
])
def test_a_workspace_with_a_bad_application_part_is_refused_whole(office, spoil, words):
    stored = json.loads(office.text())
    spoil(stored["application"])
    reply = call("application_view", BUNDLES_JSON, json.dumps(stored, ensure_ascii=False))
    assert reply["ok"] is False and any(words in p["message"] for p in reply["problems"]), reply["problems"]
    assert all(p["path"].startswith("/application") for p in reply["problems"])


def test_a_workspace_from_before_the_application_reads_as_before():
    ws = reviewed(2, 3)
    assert "application" not in ws
    shown = call("application_view", BUNDLES_JSON, json.dumps(ws, ensure_ascii=False))["result"]
    assert shown["summary"]["decided"] == 0 and len(shown["rows"]) == 2
    assert call("workspace_read", BUNDLES_JSON, json.dumps(ws, ensure_ascii=False))["ok"]
    assert application.empty() == {k: [] for k in application.PARTS}
