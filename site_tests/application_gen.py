"""Generated results application data (seeded, issue #16): an office driving the operations as the
pages do, and whole application parts (persons, 容错, decisions, rectification items and reports)
valid for a generated year's workspace.

Shared by the tests of the rules and properties, the hostile-file tests and bench/application_year.py,
so all of them exercise the same shapes. Deterministic for a given `random.Random`.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from scorer import application, browser, rectification, tree
from site_tests import year_gen

ROOT = Path(__file__).resolve().parent.parent
YEAR = tree.load(str(ROOT / "standards")).year(2019)
BUNDLES = {sid: YEAR.bundle(sid) for sid in YEAR.standards}
BUNDLES_JSON = json.dumps([b.to_json() for b in BUNDLES.values()], ensure_ascii=False)  # as published


def call(name: str, *args) -> dict:
    """One browser operation by name, its envelope parsed."""
    return json.loads(browser.REGISTRY[name].function(*args))


class Office:
    """A workspace kept the way the office page keeps it: records are appended only when the scorer
    answers ok; `add` returns the envelope."""

    def __init__(self, workspace: dict):
        self.workspace = workspace
        self.workspace.setdefault("application", application.empty())

    def text(self) -> str:
        return json.dumps(self.workspace, ensure_ascii=False)

    def view(self, name: str, as_of: str = "2020-01-10") -> dict:
        reply = call("application_org", BUNDLES_JSON, self.text(), name, as_of)
        assert reply["ok"], reply
        return reply["result"]

    def add(self, part: str, entry: dict, as_of: str = "2020-01-10") -> dict:
        reply = call("application_add", BUNDLES_JSON, self.text(), part, json.dumps(entry, ensure_ascii=False), as_of)
        if reply["ok"]:
            self.workspace["application"][part].append(reply["result"]["entry"])
        return reply


def reviewed(n: int = 3, seed: int = 5, records_per_org: int = 4) -> dict:
    """A generated year's workspace of `n` organizations, each reviewed."""
    return year_gen.workspace(BUNDLES, n, random.Random(seed), records_per_org=records_per_org)


def _day(start: str, days: int) -> str:
    return (date.fromisoformat(start) + timedelta(days=days)).isoformat()


def application_for(workspace: dict, rng: random.Random, persons: int = 3, items: int = 10) -> dict:
    """A valid application part for every organization with a final result: `persons` persons with
    responsibility (one of them with a 容错 finding), a decision (some changed later), `items`
    rectification items with reports, acceptances and returns at random."""
    part = application.empty()
    year = next(iter(BUNDLES.values())).year
    rules = application.settings(year)
    responsibilities, situations = list(rules.responsibilities), list(rules.situations)
    views = application.views({sid: b for sid, b in BUNDLES.items()}, workspace, part, None)
    for k, (name, view) in enumerate(views.items()):
        found = view["problems"]
        if view["grade"] is None or not found:
            continue
        for j in range(persons):
            pid = f"p{k}-{j}"
            part["persons"].append({"id": pid, "organization": name, "name": f"人员{k}-{j}", "post": "班子成员",
                                    "responsibility": rng.choice(responsibilities), "problem": rng.choice(found)["key"],
                                    "updated": "2020-01-05T09:00:00Z"})
            if j == 0:
                part["tolerance"].append({"id": f"t{k}", "organization": name, "person": pid, "situation": rng.choice(situations),
                                          "reason": "探索性工作中的失误", "date": "2020-01-06", "updated": "2020-01-06T09:00:00Z"})
        part["decisions"].append({"id": f"d{k}", "organization": name, "kind": "decision", "result_hash": view["result_hash"],
                                  "outcome": "adopted",
                                  "proposals": application.proposed_texts({"targets": view["proposals"], "persons": []}), "date": "2020-01-15", "meeting": "领导小组2020年第1次会议",
                                  "recorded": "2020-01-15T10:00:00Z"})
        for j in range(items):
            problem = found[j % len(found)]
            issued = "2020-01-20"
            item = {"id": f"i{k}-{j}", "organization": name, "problem": problem["key"],
                    "problem_text": f"{problem['item']} {problem['text']}", "measure": "制定整改方案并落实",
                    "deadline": _day(issued, rng.choice([20, 40, 60, 90])), "responsible": f"人员{k}-0", "issued": issued,
                    "recorded": "2020-01-20T10:00:00Z"}
            part["items"].append(item)
            roll = rng.random()
            if roll < 0.6:
                done = _day(issued, rng.randint(5, 80))
                part["events"].append({"id": f"e{k}-{j}", "item": item["id"], "kind": "reported", "date": done,
                                       "status": "done", "done": done, "note": "已完成", "recorded": done + "T12:00:00Z"})
                if roll < 0.4:
                    part["events"].append({"id": f"a{k}-{j}", "item": item["id"], "kind": "accepted" if roll < 0.3 else "returned",
                                           "date": _day(done, 3), "reason": "" if roll < 0.3 else "佐证材料不足",
                                           "recorded": _day(done, 3) + "T12:00:00Z"})
    return part


def with_application(workspace: dict, rng: random.Random, **kw) -> dict:
    out = dict(workspace)
    out["application"] = application_for(workspace, rng, **kw)
    return out


# ---------------------------------------------------------------- equality requests (CPython, Node, page)

EQUAL_OPERATIONS = ("application_view", "application_org", "application_add", "application_save", "rectification_view",
                    "rectification_list", "rectification_import")
SAVED_AT = "2020-02-01T09:00:05.000Z"  # the `updated` time of the generated saves


def _report(listed: dict, rng: random.Random, reported: str) -> dict:
    """The organization's report on some of its items, made as its page makes it (CPython)."""
    chosen = rng.sample(listed["items"], k=rng.randint(1, len(listed["items"])))
    progress = {"reported": reported, "items": [
        {"id": e["item"]["id"], "status": "done", "done": reported, "note": "已整改"} if rng.random() < 0.6 else
        {"id": e["item"]["id"], "status": "in-progress", "note": "推进中"} for e in chosen]}
    reply = call("rectification_report", json.dumps(listed, ensure_ascii=False), json.dumps(progress, ensure_ascii=False))
    assert reply["ok"], reply
    return reply["result"]["report"]


def equality_requests(seed: int, n: int = 5, persons: int = 2, items: int = 4) -> list:
    """(op, [JSON text args]) for every #16 operation of EQUAL_OPERATIONS on a generated workspace
    (seeded): answers that are results and refusals alike. Every argument is explicit (times
    included), so the answer depends on nothing but the arguments and any two engines must agree."""
    rng = random.Random(seed)
    workspace = with_application(reviewed(n, seed), rng, persons=persons, items=items)
    text = json.dumps(workspace, ensure_ascii=False)
    part = workspace["application"]
    names = [r["name"] for r in workspace["roster"]]
    as_of = _day("2020-01-20", rng.randint(10, 200))
    out = [("application_view", [BUNDLES_JSON, text]), ("rectification_view", [BUNDLES_JSON, text, as_of]),
           ("rectification_view", [BUNDLES_JSON, text, "2020-02-30"]),  # refused: no such date
           ("application_org", [BUNDLES_JSON, text, "不在名单中的党组织", as_of]),
           ("application_view", [BUNDLES_JSON, text.replace('"gm-workspace/1"', '"gm-workspace/9"', 1)]),  # refused: format
           ("rectification_list", [BUNDLES_JSON, text, names[0], json.dumps({"issued": "2020-13-01"})])]  # refused: date
    for k, name in enumerate(names):
        out.append(("application_org", [BUNDLES_JSON, text, name, as_of]))
        view = call("application_org", BUNDLES_JSON, text, name, as_of)
        if not view["ok"]:
            continue
        view = view["result"]
        stamp = "2020-02-01T09:00:00Z"
        entries = []
        if view["problems"]:
            problem = view["problems"][rng.randrange(len(view["problems"]))]
            entries += [("persons", {"id": f"np{k}", "organization": name, "name": f"新增{k}", "post": "委员",
                                     "responsibility": rng.choice(list(application.settings(next(iter(BUNDLES.values())).year).responsibilities)),
                                     "problem": problem["key"], "updated": stamp}),
                        ("items", {"id": f"ni{k}", "organization": name, "problem": problem["key"], "problem_text": problem["text"],
                                   "measure": "完善制度", "deadline": _day("2020-02-01", 30), "responsible": "书记",
                                   "issued": "2020-02-01", "recorded": stamp}),
                        ("persons", {"id": f"np{k}", "organization": name, "name": "同号", "post": "委员",  # duplicate id: refused
                                     "responsibility": "nope", "problem": "record:none", "updated": stamp})]
        entries.append(("decisions", {"id": f"nd{k}", "organization": name, "kind": "change", "result_hash": "sha256:" + "0" * 64,
                                      "outcome": "adopted", "date": "2020-02-02", "meeting": "会议", "reason": "复议",
                                      "recorded": stamp}))  # a stale result: refused
        reported = [i for i in view["rectification"]["items"] if i["status"] == "reported"]
        if reported:
            entries.append(("events", {"id": f"na{k}", "item": reported[0]["id"], "kind": "accepted", "date": as_of, "recorded": stamp}))
        for part_name, entry in entries:
            out.append(("application_add", [BUNDLES_JSON, text, part_name, json.dumps(entry, ensure_ascii=False), as_of]))
            additions = {"records": {part_name: [entry]}, "updated": SAVED_AT}  # what the page saves after it
            out.append(("application_save", [BUNDLES_JSON, text, json.dumps(additions, ensure_ascii=False)]))
        meta = json.dumps({"issued": "2020-01-25", "office": "办公室"}, ensure_ascii=False)
        out.append(("rectification_list", [BUNDLES_JSON, text, name, meta]))
        listed = call("rectification_list", BUNDLES_JSON, text, name, meta)
        if listed["ok"]:
            report = _report(listed["result"]["list"], rng, _day("2020-01-25", rng.randint(1, 60)))
            out.append(("rectification_import", [BUNDLES_JSON, text, json.dumps(report, ensure_ascii=False), stamp]))
            forged = dict(report, items=[dict(report["items"][0], id="never-issued")])
            out.append(("rectification_import", [BUNDLES_JSON, text, json.dumps(forged, ensure_ascii=False), stamp]))
    return out


__all__ = ["BUNDLES", "BUNDLES_JSON", "EQUAL_OPERATIONS", "SAVED_AT", "Office", "application_for", "call", "equality_requests",
           "rectification", "reviewed", "with_application"]
