"""The feedback file carries the organization's rectification list (issue #16): "the organization
receives its list with the feedback file". The list is gm-feedback/1's optional `rectification` part
(the shape of a gm-rectification/1 file), made from the items issued so far, bound to the review the
feedback carries; the organization's pages take their list from either file; feedback files from
before #16 still open; a tampered or stale list is refused with every reason."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scorer import rectification
from site_tests.application_gen import BUNDLES, BUNDLES_JSON, Office, call, reviewed

FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
OFFICE = "光明区落实全面从严治党主体责任领导小组办公室"
ISSUED = "2020-01-25"


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _issue(office, name, view, ident, problem, deadline="2020-03-01"):
    reply = office.add("items", {"id": ident, "organization": name, "problem": problem["key"],
                                 "problem_text": f"{problem['item']} {problem['text']}", "measure": "建立台账，逐项整改",
                                 "deadline": deadline, "responsible": "张三", "issued": "2020-01-20"}, "2020-01-20")
    assert reply["ok"], reply
    return reply["result"]["entry"]


@pytest.fixture(scope="module")
def year():
    """A reviewed year of three organizations; two items issued to the first, one to the second."""
    office = Office(reviewed(3, 5))
    names = [r["name"] for r in office.workspace["roster"]]
    for name, count in zip(names, (2, 1)):
        view = office.view(name)
        for j in range(count):
            _issue(office, name, view, f"{name[-4:]}-{j}", view["problems"][j % len(view["problems"])])
    return office, names


def _documents(office, name):
    """(bundle text, self-assessment text or "null", review text) of one organization."""
    review = next(r for r in office.workspace["reviews"] if r["organization"]["name"] == name)
    assessment = next((e["assessment"] for e in office.workspace["assessments"] if e["hash"] == review["assessment_hash"]), None)
    return dumps(BUNDLES[review["standard"]].to_json()), dumps(assessment) if assessment else "null", dumps(review)


def make(office, name, items=None, **meta):
    bundle, assessment, review = _documents(office, name)
    meta = dict({"office": OFFICE, "issued": ISSUED}, **meta)
    if items is not None:
        meta["rectification"] = items
    return call("feedback_make", bundle, assessment, review, dumps(meta)), bundle


def test_the_feedback_carries_the_items_issued_so_far_in_the_list_files_shape(year):
    office, names = year
    items = office.workspace["application"]["items"]
    made, bundle = make(office, names[0], items)
    assert made["ok"], made
    feedback = made["result"]["feedback"]
    listed = call("rectification_list", BUNDLES_JSON, office.text(), names[0], dumps({"issued": ISSUED, "office": OFFICE}))["result"]["list"]
    assert feedback["rectification"] == listed  # the very list file the rectification page makes: the same shape
    assert [e["item"]["id"] for e in listed["items"]] == [i["id"] for i in items if i["organization"] == names[0]]
    assert all(e["hash"] == rectification.item_hash(e["item"]) for e in listed["items"])
    read = call("feedback_read", bundle, dumps(feedback))["result"]
    from_feedback = call("rectification_open", bundle, dumps(feedback), "null")["result"]
    from_list = call("rectification_open", bundle, dumps(listed), "null")["result"]
    assert read["rectification"] == from_feedback == from_list  # either file gives the page the same list
    assert [i["id"] for i in read["rectification"]["items"]] == [e["item"]["id"] for e in listed["items"]]
    # a report made from the feedback's list is imported by the office as one made from the list file
    progress = {"reported": "2020-02-20", "items": [{"id": listed["items"][0]["item"]["id"], "status": "in-progress", "note": "推进中"}]}
    report = call("rectification_report", dumps(from_feedback["list"]), dumps(progress))["result"]["report"]
    imported = call("rectification_import", BUNDLES_JSON, office.text(), dumps(report), "2020-02-21T08:00:00Z")
    assert imported["ok"] and len(imported["result"]["events"]) == 1, imported


def test_an_organization_with_no_items_and_an_old_feedback_file_open_without_a_list(year):
    office, names = year
    made, bundle = make(office, names[2], office.workspace["application"]["items"])
    assert made["ok"] and "rectification" not in made["result"]["feedback"]
    old, _ = make(office, names[0])  # no items sent: a gm-feedback/1 file as written before #16
    assert "rectification" not in old["result"]["feedback"]
    read = call("feedback_read", bundle, dumps(old["result"]["feedback"]))
    assert read["ok"] and read["result"]["rectification"] is None
    opened = call("rectification_open", bundle, dumps(old["result"]["feedback"]), "null")
    assert not opened["ok"] and "没有整改清单" in opened["problems"][0]["message"]


def test_an_item_no_longer_in_the_reviews_result_refuses_the_feedback(year):
    """Stale at export: the review changed after the item was issued, so the office is told which
    item no longer matches rather than sending a list the organization could not report on."""
    office, names = year
    items = copy.deepcopy(office.workspace["application"]["items"])
    mine = [i for i in items if i["organization"] == names[0]]
    mine[0]["problem"] = "addition:never-added"
    made, _ = make(office, names[0], items)
    assert not made["ok"]
    assert [p["path"] for p in made["problems"]] == ["/rectification", "/rectification/items/0/item/problem"]
    assert "反馈文件未生成" in made["problems"][0]["message"]  # said to the office, which is exporting it
    assert mine[0]["id"] in made["problems"][1]["message"] and "不在本反馈所附评议的最终结果中" in made["problems"][1]["message"]
    bad_date, _ = make(office, names[0], items, issued="2020-02-30")
    assert not bad_date["ok"] and "2020-02-30" in bad_date["problems"][0]["message"]
    not_a_list, _ = make(office, names[0], {"items": items})
    assert not not_a_list["ok"] and not_a_list["problems"][0]["path"] == "/rectification"


def _rehash(entry):
    entry["hash"] = rectification.item_hash(entry["item"])


def _other_problem(feedback, name, office):
    """A problem key of another organization: well-formed, hashed, but not in this review's result."""
    return next(i["problem"] for i in office.workspace["application"]["items"] if i["organization"] != name
                and i["problem"] not in {e["item"]["problem"] for e in feedback["rectification"]["items"]})


TAMPERS = {
    # name: (spoil the feedback in place, words the refusal must hold, the path it names); applied in
    # this order, so those that rehash the items they change come before those that spoil a hash
    "another problem": (lambda f, o, n: (f["rectification"]["items"][1]["item"].update(problem=_other_problem(f, n, o)),
                                         _rehash(f["rectification"]["items"][1])), "清单与评议不符", "/rectification/items/1/item/problem"),
    "another organization": (lambda f, o, n: (f["rectification"].update(organization="别的党组织"),
                                              [e["item"].update(organization="别的党组织") or _rehash(e) for e in f["rectification"]["items"]]),
                             "清单与反馈不符", "/rectification/organization"),
    "another year": (lambda f, o, n: f["rectification"].update(year=2020), "清单与反馈不符", "/rectification/year"),
    "content edited": (lambda f, o, n: f["rectification"]["items"][0]["item"].update(deadline="2021-12-31"), "哈希不符", "/rectification/items/0/hash"),
    "duplicate id": (lambda f, o, n: f["rectification"]["items"].append(copy.deepcopy(f["rectification"]["items"][0])), "重复", "/rectification/items/2/id"),
    "huge": (lambda f, o, n: f["rectification"]["items"].extend(
        dict(copy.deepcopy(f["rectification"]["items"][0]), item=dict(f["rectification"]["items"][0]["item"], id=f"x{k}"))
        for k in range(2001)), "", "/rectification/items"),
    "not a list": (lambda f, o, n: f.update(rectification={"format": "gm-rectification-report/1"}), "整改情况报告", "/rectification/format"),
}


@FEW
@given(kinds=st.lists(st.sampled_from(sorted(TAMPERS)), min_size=1, max_size=3, unique=True))
def test_a_tampered_list_is_refused_with_its_reasons_by_every_reader(year, kinds):
    office, names = year
    made, bundle = make(office, names[0], office.workspace["application"]["items"])
    feedback = copy.deepcopy(made["result"]["feedback"])
    if "not a list" in kinds:
        kinds = ["not a list"]  # nothing else can be spoiled in a list that is not one
    if "huge" in kinds:
        kinds = ["huge"]  # the size is refused before anything inside is looked at
    for kind in sorted(kinds, key=list(TAMPERS).index):  # those that rehash items before those that spoil a hash
        TAMPERS[kind][0](feedback, office, names[0])
    text = dumps(feedback)
    for op, args in (("feedback_read", (bundle, text)), ("rectification_open", (bundle, text, "null"))):
        reply = call(op, *args)
        assert not reply["ok"], (op, kinds)
        paths = [p["path"] for p in reply["problems"]]
        for kind in kinds:
            _, words, path = TAMPERS[kind]
            assert any(p == path or p.startswith(path + "/") for p in paths), (op, kind, paths)
            assert not words or any(words in p["message"] for p in reply["problems"]), (op, kind, reply["problems"])
        assert all(p["source"] == "反馈文件" for p in reply["problems"])


def test_a_list_taken_from_another_organizations_feedback_is_refused(year):
    office, names = year
    items = office.workspace["application"]["items"]
    mine, bundle = make(office, names[0], items)
    theirs, _ = make(office, names[1], items)
    feedback = copy.deepcopy(mine["result"]["feedback"])
    feedback["rectification"] = theirs["result"]["feedback"]["rectification"]
    reply = call("feedback_read", bundle, dumps(feedback))
    assert not reply["ok"] and any("清单与反馈不符" in p["message"] for p in reply["problems"])


def test_a_list_replaces_the_one_the_page_holds_only_without_losing_its_progress(year):
    """rectification_open with the list the organization's page holds (`held`): the same list or a
    newer one with every held item opens; another organization's list, or an older one lacking held
    items, is refused with the reason (the page then keeps what it has)."""
    office, names = year
    meta = dumps({"issued": ISSUED, "office": OFFICE})
    newer = call("rectification_list", BUNDLES_JSON, office.text(), names[0], meta)["result"]["list"]
    older = dict(newer, items=newer["items"][:1])
    other = call("rectification_list", BUNDLES_JSON, office.text(), names[1], meta)["result"]["list"]
    bundle = dumps(next(iter(BUNDLES.values())).to_json())  # a list file opens against any standard of its year

    def opened(listed, held):
        return call("rectification_open", bundle, dumps(listed), "null" if held is None else dumps(held))

    assert opened(older, None)["ok"] and opened(newer, newer)["ok"] and opened(newer, older)["ok"]
    refused = opened(older, newer)
    assert not refused["ok"] and newer["items"][1]["item"]["id"] in refused["problems"][0]["message"]
    assert "较早的清单" in refused["problems"][0]["message"]
    another = opened(other, newer)
    assert not another["ok"] and f"本页保存着“{names[0]}”" in another["problems"][0]["message"]
    assert f"该文件是“{names[1]}”" in another["problems"][0]["message"]
    hostile = call("rectification_open", bundle, dumps(newer), "{")
    assert not hostile["ok"] and hostile["problems"][0]["source"] == "本页保存的整改清单"
