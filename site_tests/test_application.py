"""Results application and rectification (#16): proposals from the final result, persons with
responsibility, 容错 and 澄清保护, the leading group's decision bound to the result, the history,
rectification items from issue to acceptance, overdue on a given date; properties over generated
data; the year's settings; the CLI."""

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scorer import application, application_files, rectification, standards, workspace as workspace_module, yearfiles
from scorer.errors import Collector, InvalidInput
from scorer.model import Year
from site_tests.application_gen import BUNDLES, BUNDLES_JSON, Office, application_for, call, reviewed

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_OPS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # whole operations
MEETING = "领导小组2020年第1次会议"


def _office(n=3, seed=5):
    office = Office(reviewed(n, seed))
    name = office.workspace["roster"][0]["name"]
    return office, name, office.view(name)


def _texts(view):
    return {p["key"]: p["text"] for p in view["proposals"] + view["persons"]}


def test_editing_the_application_settings_stales_no_assessment_but_a_scored_setting_does():
    year = BUNDLES["dept"].year.to_json()
    standard = BUNDLES["dept"].standard
    before = standards.bundle(Year.from_json(year), standard).hash
    year["application"]["proposals"]["personal"]["good"] = "另一种表述"
    assert standards.bundle(Year.from_json(year), standard).hash == before
    year["grades"][0]["application"]["organization"] = "另一种表述"
    assert standards.bundle(Year.from_json(year), standard).hash != before


def test_proposals_are_prefilled_from_the_grade_and_the_responsibility_and_editable_with_a_reason():
    office, name, view = _office()
    grade = next(g for g in BUNDLES["dept"].year.grades if g.id == view["grade"]["id"])
    assert [p["target"] for p in view["proposals"]] == ["organization", "principal", "members"]
    assert [p["text"] for p in view["proposals"]] == [getattr(grade.application, t) for t in ("organization", "principal", "members")]
    problem = view["problems"][0]["key"]
    assert office.add("persons", {"id": "p1", "organization": name, "name": "张三", "post": "书记",
                                  "responsibility": "principal-leadership", "problem": problem})["ok"]
    rules = application.settings(BUNDLES["dept"].year)
    view = office.view(name)
    assert view["persons"][0]["text"] == rules.proposals["principal-leadership"][grade.id]
    refused = office.add("proposals", {"id": "e1", "organization": name, "target": "members", "text": "改写", "reason": " "})
    assert not refused["ok"] and refused["problems"][0]["path"] == "/reason"
    assert office.add("proposals", {"id": "e1", "organization": name, "target": "members", "text": "改写", "reason": "分工调整"})["ok"]
    members = office.view(name)["proposals"][2]
    assert (members["text"], members["edited"], members["reason"], members["prefilled"]) == (
        "改写", True, "分工调整", grade.application.members)


def test_a_tolerance_finding_shows_in_that_persons_proposal_and_placeholders_say_so():
    office, name, view = _office()
    problem = view["problems"][0]["key"]
    for pid in ("p1", "p2"):
        assert office.add("persons", {"id": pid, "organization": name, "name": pid, "post": "委员",
                                      "responsibility": "direct", "problem": problem})["ok"]
    assert office.add("tolerance", {"id": "t1", "organization": name, "person": "p2", "situation": "TOL-9",
                                    "reason": "x", "date": "2020-01-05"})["problems"][0]["path"] == "/tolerance/0/situation"
    assert office.add("tolerance", {"id": "t1", "organization": name, "person": "p2", "situation": "TOL-2",
                                    "reason": "先行先试中的失误", "date": "2020-01-05"})["ok"]
    p1, p2 = office.view(name)["persons"]
    rules = application.settings(BUNDLES["dept"].year)
    assert p1["tolerance"] is None and p1["text"] != rules.tolerance_proposal
    assert p2["text"] == rules.tolerance_proposal and p2["tolerance"]["placeholder"] is True
    assert any("待编辑依据正式文件填写" in b for b in p2["basis"])


def test_a_clarification_blocks_every_proposal_drawn_from_that_report():
    office, name, view = _office()
    problem = view["problems"][0]["key"]
    assert office.add("persons", {"id": "p1", "organization": name, "name": "张三", "post": "书记",
                                  "responsibility": "personal", "problem": problem})["ok"]
    assert office.add("clarifications", {"id": "c1", "organization": name, "problem": problem,
                                         "finding": "经核查反映失实", "date": "2020-01-08"})["ok"]
    view = office.view(name)
    assert view["blocked"] and view["persons"][0]["none"] and view["persons"][0]["clarified"]
    assert "person:p1" not in application.proposed_texts({"targets": view["proposals"], "persons": view["persons"]})
    refused = office.add("persons", {"id": "p2", "organization": name, "name": "李四", "post": "委员",
                                     "responsibility": "personal", "problem": problem})
    assert not refused["ok"] and "澄清保护" in refused["problems"][0]["message"]
    refused = office.add("decisions", {"id": "d1", "organization": name, "kind": "decision", "result_hash": view["result_hash"],
                                       "outcome": "adopted", "date": "2020-01-15", "meeting": MEETING})
    assert not refused["ok"] and "已澄清" in refused["problems"][0]["message"]
    assert not office.add("items", {"id": "i1", "organization": name, "problem": problem, "problem_text": "x", "measure": "m",
                                    "deadline": "2020-03-01", "responsible": "r", "issued": "2020-01-20"})["ok"]


def test_the_decision_is_locked_bound_to_its_result_and_the_history_reads_in_order():
    office, name, view = _office()
    decision = {"id": "d1", "organization": name, "kind": "decision", "result_hash": view["result_hash"],
                "outcome": "adopted", "date": "2020-01-15", "meeting": MEETING}
    stale = office.add("decisions", dict(decision, result_hash="sha256:" + "0" * 64))
    assert not stale["ok"] and "已改变" in stale["problems"][0]["message"]
    assert office.add("decisions", decision)["ok"]
    assert office.workspace["application"]["decisions"][0]["proposals"] == _texts(view)
    again = office.add("decisions", dict(decision, id="d2", date="2020-01-20"))
    assert not again["ok"] and "只能记录变更" in again["problems"][0]["message"]
    no_reason = office.add("decisions", dict(decision, id="d2", kind="change", outcome="changed",
                                             texts={"organization": "改为通报"}, date="2020-02-01"))
    assert not no_reason["ok"] and no_reason["problems"][0]["path"] == "/decisions/1/reason"
    earlier = office.add("decisions", dict(decision, id="d2", kind="change", outcome="changed", reason="复议",
                                           texts={"organization": "改为通报"}, date="2020-01-01"))
    assert not earlier["ok"]
    assert office.add("decisions", dict(decision, id="d2", kind="change", outcome="changed", reason="复议",
                                        texts={"organization": "改为通报"}, date="2020-02-01", meeting="第2次会议"))["ok"]
    view = office.view(name)
    assert [s["step"] for s in view["history"]] == ["self-declared", "reviewed", "proposed", "decided", "changed"]
    dates = [s["date"] for s in view["history"] if s["date"]]
    assert dates == sorted(dates)
    assert view["decision"]["texts"]["organization"] == "改为通报"
    notice = view["notice"]
    assert notice["meeting"] == MEETING and notice["changes"][0]["reason"] == "复议"
    assert {line["key"]: line["text"] for line in notice["lines"]}["organization"] == "改为通报"
    # the review changes after the decision: the decision is shown stale, never silently rewritten
    review = next(r for r in office.workspace["reviews"] if r["organization"]["name"] == name)
    review["decisions"] = [d for d in review["decisions"] if d["decision"] != "confirm"][:-1] or []
    review["qualitative"] = {"level": "poor" if review.get("qualitative", {}).get("level") != "poor" else "good"}
    after = office.view(name)
    assert after["result_hash"] != view["result_hash"] and after["decision"]["stale"]
    assert after["decision"]["entries"] == view["decision"]["entries"]
    assert call("application_view", BUNDLES_JSON, office.text())["result"]["summary"]["stale"] == 1


def _issue(office, name, view, ident, deadline, as_of="2020-01-20"):
    problem = view["problems"][0]
    return office.add("items", {"id": ident, "organization": name, "problem": problem["key"],
                                "problem_text": f"{problem['item']} {problem['text']}", "measure": "建立台账，逐项整改",
                                "deadline": deadline, "responsible": "张三", "issued": "2020-01-20"}, as_of)


def test_rectification_from_issue_to_acceptance_and_an_overdue_item_stands_out():
    office, name, view = _office()
    assert _issue(office, name, view, "i1", "2020-03-01")["ok"] and _issue(office, name, view, "i2", "2020-02-01")["ok"]
    assert not _issue(office, name, view, "i3", "2020-01-01")["ok"]  # deadline before issue
    listed = call("rectification_list", BUNDLES_JSON, office.text(), name, json.dumps({"issued": "2020-01-20"}))["result"]["list"]
    review = next(r for r in office.workspace["reviews"] if r["organization"]["name"] == name)
    own = next(e["assessment"] for e in office.workspace["assessments"] if e["hash"] == review["assessment_hash"])
    bundle = json.dumps(BUNDLES[view["standard"]].to_json(), ensure_ascii=False)
    feedback = call("feedback_make", bundle, json.dumps(own, ensure_ascii=False), json.dumps(review, ensure_ascii=False),
                    json.dumps({"issued": "2020-01-20", "rectification": office.workspace["application"]["items"]}))["result"]["feedback"]
    assert feedback["rectification"] == listed  # the feedback carries the list (a real one: it is checked whole)
    opened = call("rectification_open", bundle, json.dumps(feedback, ensure_ascii=False), "null")
    assert [i["id"] for i in opened["result"]["items"]] == ["i1", "i2"]
    progress = {"reported": "2020-02-20", "items": [{"id": "i1", "status": "done", "done": "2020-02-15", "note": "已整改"}]}
    report = call("rectification_report", json.dumps(listed, ensure_ascii=False), json.dumps(progress, ensure_ascii=False))["result"]["report"]
    accept = {"id": "a1", "item": "i1", "kind": "accepted", "date": "2020-02-25"}
    assert "待验收" in office.add("events", accept)["problems"][0]["message"]  # nothing reported yet
    imported = call("rectification_import", BUNDLES_JSON, office.text(), json.dumps(report, ensure_ascii=False), "2020-02-21T08:00:00Z")["result"]
    office.workspace["application"]["events"] += imported["events"]
    again = call("rectification_import", BUNDLES_JSON, office.text(), json.dumps(report, ensure_ascii=False), "")["result"]
    assert again["events"] == [] and again["already"] == ["i1"]
    assert office.add("events", dict(accept, id="r1", kind="returned"))["problems"][0]["path"] == "/events/1/reason"
    assert office.add("events", accept)["ok"]
    shown = call("rectification_view", BUNDLES_JSON, office.text(), "2020-03-05")["result"]
    first = shown["organizations"][0]
    assert first["name"] == name and (first["open"], first["overdue"], first["accepted"]) == (1, 1, 1)
    assert [(i["id"], i["days_overdue"]) for i in shown["overdue_items"]] == [("i2", 33)]
    items = {i["id"]: i for i in office.view(name, "2020-03-05")["rectification"]["items"]}
    assert items["i1"]["status"] == "accepted" and items["i2"]["overdue"]
    closed = call("rectification_import", BUNDLES_JSON, office.text(), json.dumps(report, ensure_ascii=False), "x")
    assert not closed["ok"] and "已验收销号" in closed["problems"][0]["message"]


def test_a_report_for_items_never_issued_or_changed_since_is_refused():
    office, name, view = _office()
    assert _issue(office, name, view, "i1", "2020-03-01")["ok"]
    listed = call("rectification_list", BUNDLES_JSON, office.text(), name, json.dumps({"issued": "2020-01-20"}))["result"]["list"]
    progress = {"reported": "2020-02-20", "items": [{"id": "i1", "status": "in-progress", "note": "推进中"}]}
    report = call("rectification_report", json.dumps(listed, ensure_ascii=False), json.dumps(progress, ensure_ascii=False))["result"]["report"]
    before = office.text()
    for spoil, words in ((lambda r: r["items"][0].update(id="zzz"), "未下发"),
                         (lambda r: r["items"][0].update(hash="sha256:" + "1" * 64), "不一致"),
                         (lambda r: r.update(organization="别的党组织"), "不是")):
        bad = copy.deepcopy(report)
        spoil(bad)
        reply = call("rectification_import", BUNDLES_JSON, before, json.dumps(bad, ensure_ascii=False), "")
        assert not reply["ok"] and any(words in p["message"] for p in reply["problems"]), reply
    tampered = copy.deepcopy(listed)
    tampered["items"][0]["item"]["deadline"] = "2020-12-31"
    reply = call("rectification_open", json.dumps(BUNDLES[view["standard"]].to_json(), ensure_ascii=False), json.dumps(tampered, ensure_ascii=False), "null")
    assert not reply["ok"] and "哈希不符" in reply["problems"][0]["message"]
    assert office.text() == before


@st.composite
def _item_story(draw):
    deadline = draw(st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2020, 12, 31)))
    as_of = draw(st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2021, 6, 30)))
    kinds = draw(st.lists(st.sampled_from(["reported-done", "reported-progress", "accepted", "returned"]), max_size=4))
    done = draw(st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2021, 6, 30)))
    grace = draw(st.integers(0, 30))
    return deadline.isoformat(), as_of.isoformat(), kinds, done.isoformat(), grace


@FAST
@given(_item_story())
def test_overdue_is_not_closed_past_the_deadline_and_grace_unless_reported_done_in_time(story):
    deadline, as_of, kinds, done, grace = story
    item = {"id": "i", "deadline": deadline}
    events = []
    for n, k in enumerate(kinds):
        e = {"id": f"e{n}", "item": "i", "kind": k.split("-")[0], "date": "2020-01-01", "recorded": f"{n:04d}"}
        if k.startswith("reported"):
            e.update(status="done" if k == "reported-done" else "in-progress", done=done)
        events.append(e)
    state = rectification.status(item, events, grace, as_of)
    from datetime import date, timedelta
    last = events[-1] if events else None
    closed = last is not None and last["kind"] == "accepted"
    waiting = last is not None and last["kind"] == "reported" and last["status"] == "done" and done <= deadline
    past = date.fromisoformat(as_of) > date.fromisoformat(deadline) + timedelta(days=grace)
    assert state["overdue"] == (past and not closed and not waiting)
    assert (state["status"] == "accepted") == closed


@SLOW_OPS
@given(st.integers(0, 2 ** 32 - 1), st.integers(1, 3))
def test_the_history_is_append_only(seed, changes):
    rng = random.Random(seed)
    office, name, view = _office(2, seed % 50)
    fixed = [s for s in office.view(name)["history"] if s["step"] != "proposed"]
    entry = {"id": "d0", "organization": name, "kind": "decision", "result_hash": view["result_hash"],
             "outcome": "adopted", "date": "2020-01-15", "meeting": MEETING}
    for n in range(changes + 1):
        assert office.add("decisions", entry)["ok"]
        now = [s for s in office.view(name)["history"] if s["step"] != "proposed"]
        assert now[:len(fixed)] == fixed and len(now) == len(fixed) + 1
        assert now[-1]["step"] == ("decided" if n == 0 else "changed")
        fixed = now
        entry = {"id": f"d{n + 1}", "organization": name, "kind": "change", "result_hash": view["result_hash"],
                 "outcome": rng.choice(["adopted", "changed"]), "date": f"2020-02-{n + 1:02d}", "meeting": f"第{n + 2}次会议",
                 "reason": "复议"}
        if entry["outcome"] == "changed":
            entry["texts"] = {"organization": f"表述{n}"}


_SPOILS = [
    ("persons", lambda e: e.update(responsibility="nobody")),
    ("persons", lambda e: e.update(problem="record:none")),  # only in context: the final result's problems
    ("persons", lambda e: e.pop("post")),
    ("persons", lambda e: e.update(extra=1)),
    ("tolerance", lambda e: e.update(person="ghost")),
    ("decisions", lambda e: e.update(kind="change")),
    ("decisions", lambda e: e.update(outcome="changed")),
    ("decisions", lambda e: e.update(date="2020-02-30")),
    ("items", lambda e: e.update(deadline="2019-01-01")),
    ("events", lambda e: e.update(item="ghost")),
]


def _valid(part_name, name, view):
    problem = view["problems"][0]["key"]
    return {"persons": {"id": "x1", "organization": name, "name": "王五", "post": "委员", "responsibility": "personal", "problem": problem},
            "tolerance": {"id": "x1", "organization": name, "person": "p1", "situation": "TOL-1", "reason": "r", "date": "2020-01-05"},
            "decisions": {"id": "x1", "organization": name, "kind": "decision", "result_hash": view["result_hash"],
                          "outcome": "adopted", "date": "2020-01-15", "meeting": MEETING},
            "items": {"id": "x1", "organization": name, "problem": problem, "problem_text": "p", "measure": "m",
                      "deadline": "2020-03-01", "responsible": "r", "issued": "2020-01-20"},
            "events": {"id": "x1", "item": "i1", "kind": "reported", "status": "done", "done": "2020-02-01", "date": "2020-02-01"},
            }[part_name]


@pytest.mark.parametrize("part_name,spoil", _SPOILS)
def test_a_refused_record_changes_nothing_and_names_what_is_wrong(part_name, spoil):
    office, name, view = _office()
    assert office.add("persons", {"id": "p1", "organization": name, "name": "张三", "post": "书记",
                                  "responsibility": "personal", "problem": view["problems"][0]["key"]})["ok"]
    assert _issue(office, name, view, "i1", "2020-03-01")["ok"]
    good = _valid(part_name, name, view)
    bad = copy.deepcopy(good)
    spoil(bad)
    before = office.text()
    reply = office.add(part_name, bad)
    assert not reply["ok"] and reply["problems"] and all(p["message"] for p in reply["problems"])
    assert office.text() == before
    if bad.get("problem") == "record:none":
        return  # a stored workspace is not rescored on reading; the operation refused it above
    stored = json.loads(before)
    stored["application"][part_name].append(bad)
    with pytest.raises(InvalidInput) as refused:
        yearfiles.check_workspace(stored, BUNDLES, "我的工作文件.json")
    assert all(p.source == "我的工作文件.json" for p in refused.value.problems)
    assert office.add(part_name, good)["ok"]


def _record_set(part):
    return {k: sorted(json.dumps(e, sort_keys=True, ensure_ascii=False) for e in part[k]) for k in application.PARTS}


@FAST
@given(st.integers(0, 2 ** 32 - 1))
def test_merging_application_parts_is_idempotent_and_commutative_and_old_workspaces_merge(seed):
    rng = random.Random(seed)
    ws = reviewed(3, seed % 40)
    whole = application_for(ws, rng, persons=2, items=3)
    a, b = application.empty(), application.empty()
    for k in application.PARTS:
        for e in whole[k]:
            (a if rng.random() < 0.5 else b)[k].append(e)
            if rng.random() < 0.2:
                (b if e in a[k] else a)[k].append(e)
    ab, ba = application_files.merge_parts(a, b)[0], application_files.merge_parts(b, a)[0]
    assert _record_set(ab) == _record_set(ba) == _record_set(whole)
    assert _record_set(application_files.merge_parts(ab, ab)[0]) == _record_set(ab)
    old = copy.deepcopy(ws)
    merged = workspace_module.merge(old, dict(ws, application=whole))["workspace"]
    assert _record_set(merged["application"]) == _record_set(whole)
    application_files.check_part(merged["application"], BUNDLES, merged)


def _bad_year(edit):
    year = BUNDLES["dept"].year.to_json()
    edit(year["application"])
    collector = Collector("year.yaml")
    standards.check_year(year, collector)
    return [p.message for p in collector.problems]


@pytest.mark.parametrize("edit,words", [
    (lambda a: a["proposals"].pop("direct"), "缺少责任类型 'direct'"),
    (lambda a: a["proposals"]["direct"].pop("fair"), "缺少等次 'fair'"),
    (lambda a: a["proposals"]["direct"].update(great="x"), "未知等级 'great'"),
    (lambda a: a["tolerance"].update(official=True), "不能标为正式"),
    (lambda a: a.update(values="official"), "不能标为正式"),
    (lambda a: a["responsibilities"].append(dict(a["responsibilities"][0])), "重复的责任类型 id"),
    (lambda a: a["tolerance"]["situations"][0].update(status="official"), "to-fill"),
])
def test_bad_application_settings_are_named(edit, words):
    messages = _bad_year(edit)
    assert any(words in m for m in messages), messages


def test_the_year_data_says_which_values_are_samples_and_that_the_tolerance_situations_are_not_official():
    rules = application.settings(BUNDLES["dept"].year)
    assert rules.sample and not rules.tolerance_official and "未公开" in rules.tolerance_note
    assert len(rules.situations) == 5 and all(s.status == "to-fill" for s in rules.situations.values())
    assert all("待" in s.name for s in rules.situations.values())


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "scorer", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_cli_prints_proposals_and_rectification_and_refuses_a_bad_date(tmp_path):
    ws = reviewed(4, 9)
    ws["application"] = application_for(ws, random.Random(3), persons=2, items=3)
    path = tmp_path / "工作.json"
    path.write_text(json.dumps(ws, ensure_ascii=False), "utf-8")
    done = _cli("proposals", str(path))
    assert done.returncode == 0, done.stderr
    assert "运用建议" in done.stdout or "建议" in done.stdout and "沿革" in done.stdout
    shown = json.loads(_cli("proposals", str(path), "--json").stdout)
    assert shown == json.loads(json.dumps(shown)) and len(shown["rows"]) == 4
    done = _cli("rectification", str(path), "--as-of", "2020-06-30", "--json")
    assert done.returncode == 0
    expected = json.loads(call("rectification_view", BUNDLES_JSON, json.dumps(ws, ensure_ascii=False), "2020-06-30")["result"] and
                          json.dumps(call("rectification_view", BUNDLES_JSON, json.dumps(ws, ensure_ascii=False), "2020-06-30")["result"]))
    printed = json.loads(done.stdout)  # every item of every organization; the page's view is its summary
    assert rectification.summary(printed) == expected
    assert sum(len(o["items"]) for o in printed["organizations"]) == printed["counts"]["items"] == len(ws["application"]["items"])
    bad = _cli("rectification", str(path), "--as-of", "2020-02-30")
    assert bad.returncode == 1 and "--as-of" in bad.stderr
    ws["application"]["events"].append({"id": "zz", "item": "ghost", "kind": "accepted", "date": "2020-01-01", "recorded": "t"})
    path.write_text(json.dumps(ws, ensure_ascii=False), "utf-8")
    bad = _cli("proposals", str(path))
    assert bad.returncode == 1 and str(path) in bad.stderr and "ghost" in bad.stderr


EXAMPLES = ROOT / "examples"


def test_the_worked_example_decides_changes_and_rectifies_as_the_readme_shows():
    done = _cli("rectification", "examples/workspace.json", "--as-of", "2020-04-30")
    assert done.returncode == 0, done.stderr
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "scorer proposals examples/workspace.json" in readme
    for line in done.stdout.splitlines()[1:]:
        if "逾期" in line:
            assert line in readme
    shown = json.loads(_cli("proposals", "examples/workspace.json", "--json").stdout)
    row = shown["rows"][0]
    assert row["decision_state"] == "changed" and not row["stale"] and row["persons"][1]["tolerance"]
    assert [s["step"] for s in row["history"]] == ["self-declared", "reviewed", "proposed", "decided", "changed"]
    assert row["notice"]["lines"] and row["notice"]["changes"][0]["reason"]


@pytest.mark.parametrize("name,doc", [("application", "workspace.json"), ("rectification", "rectification.json"),
                                      ("rectification_report", "rectification-report.json")])
def test_the_new_schemas_are_real_json_schema_and_the_examples_conform(name, doc):
    import jsonschema  # dev environment only

    schema = json.loads((ROOT / "scorer" / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    value = json.loads((EXAMPLES / doc).read_text("utf-8"))
    jsonschema.validate(value["application"] if name == "application" else value, schema)
    from sitebuild.publish import SCHEMAS
    assert name in SCHEMAS
    listed = json.loads((EXAMPLES / "rectification.json").read_text("utf-8"))
    application_files.check_list(yearfiles.read(listed, application_files.LIST))
    part = json.loads((EXAMPLES / "workspace.json").read_text("utf-8"))["application"]
    report = yearfiles.read(json.loads((EXAMPLES / "rectification-report.json").read_text("utf-8")), application_files.REPORT)
    with pytest.raises(InvalidInput) as closed:  # once zg-1 is accepted, the same report is refused for it
        application_files.check_report(report, part)
    assert [p.path for p in closed.value.problems] == [("items", 0, "id")]
    application_files.check_report(report, dict(part, events=[e for e in part["events"] if e["kind"] != "accepted"]))


def test_last_years_open_items_are_seen_the_next_year():
    ws = (EXAMPLES / "workspace.json").read_text("utf-8")
    seen = call("rectification_previous", BUNDLES_JSON, ws, "2020-04-30")["result"]
    assert seen["year"] == 2019 and [i["id"] for i in seen["organizations"]["区示例局党组"]] == ["zg-2"]
    assert seen["organizations"]["区示例局党组"][0]["overdue"]


def test_application_settings_are_the_years_records_read_once_per_record():
    year = BUNDLES["dept"].year
    rules = application.settings(year)
    assert application.settings(year) is rules  # a district asks per organization
    assert [r.to_json() for r in rules.responsibilities.values()] == year.application.to_json()["responsibilities"]
    edited = year.to_json()
    edited["application"]["rectification"]["deadline_days"] = 30
    assert application.settings(Year.from_json(edited)).deadline_days == 30 != rules.deadline_days
    assert Year.from_json(year.to_json()).to_json() == year.to_json()  # published as the YAML holds it
