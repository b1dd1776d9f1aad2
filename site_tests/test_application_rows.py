"""One change on the results application pages replaces one organization's row of a district table
from that organization's own answer (issue #16's speed: a change shown in milliseconds, not after the
district is recomputed). What makes that right, for generated years:

- the `row` of an organization's view (`application_org`, `application_add`) is its row of
  `application_view`, and the summary of decisions is the sum of the rows' tallies;
- an organization's `rectification` (counts) is its row of `rectification_view`, and the district
  counts are the sums of the rows;
- after one decision or status change, the district recomputed equals the district before with that
  one row replaced: in CPython, and (the page's own code, office-application-model.mjs) under Node;
- the district rectification view is a summary: no items, the most overdue ones listed, counts whole.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scorer import application, rectification
from site_tests.application_gen import BUNDLES, BUNDLES_JSON, application_for, call, reviewed

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2020-04-30"


def _year(n: int, seed: int, persons: int, items: int) -> dict:
    ws = reviewed(n, seed, records_per_org=3)
    ws["application"] = application_for(ws, random.Random(seed), persons=persons, items=items)
    return ws


def _ok(reply: dict) -> dict:
    assert reply["ok"], reply["problems"][:3]
    return reply["result"]


def _text(ws: dict) -> str:
    return json.dumps(ws, ensure_ascii=False)


def _change(ws: dict, rng: random.Random) -> tuple[str, dict]:
    """One decision change (or first decision) or one acceptance/return of a reported item, valid in `ws`."""
    part = ws["application"]
    last = {}
    for e in sorted(part["events"], key=lambda e: (e["date"], e.get("recorded", ""), e["id"])):
        last[e["item"]] = e
    reported = [e for e in last.values() if e["kind"] == "reported"]
    if reported and rng.random() < 0.5:
        e = rng.choice(reported)
        kind = rng.choice(["accepted", "returned"])
        return "events", {"id": f"x-{rng.random()}", "item": e["item"], "kind": kind, "date": "2020-05-01",
                          "reason": "复核" if kind == "returned" else "", "recorded": "2020-05-01T10:00:00Z"}
    name = rng.choice([r["name"] for r in ws["roster"]])
    view = _ok(call("application_org", BUNDLES_JSON, _text(ws), name, AS_OF))
    first = view["decision"]["state"] == "none"
    entry = {"id": f"x-{rng.random()}", "organization": name, "kind": "decision" if first else "change",
             "result_hash": view["result_hash"], "outcome": "changed", "texts": {"organization": "改为另一种表述。"},
             "date": "2020-05-01", "meeting": "第 3 次会议", "recorded": "2020-05-01T10:00:00Z"}
    if not first:
        entry["reason"] = "复议"
    return "decisions", entry


def _replaced(rows: list, row: dict) -> list:
    return [row if r["name"] == row["name"] else r for r in rows]


def _counts_row(name: str, rect: dict) -> dict:
    return {"name": name, **{k: rect[k] for k in ("total", "open", "overdue", "reported", "accepted", "max_days_overdue")}}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 5), persons=st.integers(0, 3), items=st.integers(0, 5))
def test_an_organizations_own_answer_is_its_row_of_both_district_views(seed, n, persons, items):
    ws = _year(n, seed, persons, items)
    text = _text(ws)
    table = _ok(call("application_view", BUNDLES_JSON, text))
    rect = _ok(call("rectification_view", BUNDLES_JSON, text, AS_OF))
    year = next(iter(BUNDLES.values())).year
    assert table["summary"] == application.summarize(table["rows"], year.grades)
    assert table["summary"]["organizations"] == len(table["rows"])
    rect_rows = {o["name"]: o for o in rect["organizations"]}
    for row in table["rows"]:
        view = _ok(call("application_org", BUNDLES_JSON, text, row["name"], AS_OF))
        assert view["row"] == row
        assert _counts_row(row["name"], view["rectification"]) == rect_rows[row["name"]]
    for k in ("items", "open", "overdue", "accepted", "reported"):
        key = {"items": "total"}.get(k, k)
        assert rect["counts"][k] == sum(o[key] for o in rect["organizations"])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 5), change=st.integers(0, 1000))
def test_after_one_change_the_district_is_the_district_before_with_one_row_replaced(seed, n, change):
    ws = _year(n, seed, 2, 4)
    before = _ok(call("application_view", BUNDLES_JSON, _text(ws)))
    part, entry = _change(ws, random.Random(change))
    answer = _ok(call("application_add", BUNDLES_JSON, _text(ws), part, json.dumps(entry, ensure_ascii=False), AS_OF))
    ws["application"][part].append(answer["entry"])
    after = _ok(call("application_view", BUNDLES_JSON, _text(ws)))
    rows = _replaced(before["rows"], answer["view"]["row"])
    year = next(iter(BUNDLES.values())).year
    assert after["rows"] == rows
    assert after["summary"] == application.summarize(rows, year.grades)
    rect = _ok(call("rectification_view", BUNDLES_JSON, _text(ws), AS_OF))
    mine = next(o for o in rect["organizations"] if o["name"] == answer["view"]["organization"])
    assert mine == _counts_row(mine["name"], answer["view"]["rectification"])


def test_the_district_rectification_view_is_a_summary_of_every_item():
    ws = _year(30, 11, 1, 10)
    text = _text(ws)
    shown = _ok(call("rectification_view", BUNDLES_JSON, text, "2020-12-31"))
    rules = application.settings(next(iter(BUNDLES.values())).year)
    full = rectification.district(ws["application"], ws["roster"], rules, "2020-12-31")
    assert full["counts"]["overdue"] > rectification.OVERDUE_SHOWN  # the case where the list is cut
    assert all("items" not in o for o in shown["organizations"])
    assert shown["overdue_items"] == json.loads(json.dumps(full["overdue_items"][:rectification.OVERDUE_SHOWN]))
    assert shown["counts"] == dict(full["counts"], overdue_shown=rectification.OVERDUE_SHOWN)
    assert len(json.dumps(shown, ensure_ascii=False)) * 5 < len(json.dumps(full, ensure_ascii=False))  # not the items again


def _node(script: str, data: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the page's model is checked under Node (make setup)")
    module = (ROOT / "docs/assets/javascripts/office-application-model.mjs").as_uri()
    code = (f'import {{ withDistrictRow, withRectificationOrganization }} from "{module}";\n'
            'let text = ""; for await (const chunk of process.stdin) text += chunk;\n'
            f'const input = JSON.parse(text);\n{script}\n')
    run = subprocess.run([node, "--input-type=module", "-e", code], input=json.dumps(data, ensure_ascii=False),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_pages_row_replacement_gives_what_the_scorer_recomputes():
    """office-application-model.mjs replaces the row the way the scorer would recompute it: for
    several generated changes, the proposals table equals `application_view` after the change, and the
    rectification view's row and counts equal `rectification_view`'s."""
    cases = []
    for seed in range(6):
        ws = _year(4, 100 + seed, 2, 6)
        before = _ok(call("application_view", BUNDLES_JSON, _text(ws)))
        rect_before = _ok(call("rectification_view", BUNDLES_JSON, _text(ws), AS_OF))
        part, entry = _change(ws, random.Random(seed))
        answer = _ok(call("application_add", BUNDLES_JSON, _text(ws), part, json.dumps(entry, ensure_ascii=False), AS_OF))
        ws["application"][part].append(answer["entry"])
        cases.append({"before": before, "rect_before": rect_before, "view": answer["view"],
                      "after": _ok(call("application_view", BUNDLES_JSON, _text(ws))),
                      "rect_after": _ok(call("rectification_view", BUNDLES_JSON, _text(ws), AS_OF))})
    out = _node("""
const results = input.map((c) => ({
  table: withDistrictRow(c.before, c.view.row),
  rect: withRectificationOrganization(c.rect_before, c.view.organization, c.view.rectification),
}));
process.stdout.write(JSON.stringify(results));""", cases)
    for case, got in zip(cases, out):
        assert got["table"] == case["after"]
        rows = {o["name"]: o for o in got["rect"]["organizations"]}
        assert rows == {o["name"]: o for o in case["rect_after"]["organizations"]}
        assert got["rect"]["counts"] == case["rect_after"]["counts"] or (
            got["rect"]["counts"] == dict(case["rect_after"]["counts"], overdue_shown=got["rect"]["counts"]["overdue_shown"]))
        listed = [i["id"] for i in got["rect"]["overdue_items"]]
        assert listed == [i["id"] for i in case["rect_after"]["overdue_items"]][:len(listed)]
