"""The district page of final results (`scorer.office_results`, operations `results_view` and
`results_export`) on generated workspaces: every organization once, changed grades first, the grade
distribution counting exactly the final results, exports carrying the very rows shown, and a refused
workspace answered with reasons, never a partial view."""

from __future__ import annotations

import base64
import csv
import io
import json

from hypothesis import given, settings, strategies as st

from scorer import browser, workspace as workspace_module
from site_tests import year_workspaces as yw

BUNDLES_JSON = yw.bundles_json()


def call(op, *args):
    return json.loads(getattr(browser, op)(*args))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 30), st.integers(0, 4), st.floats(0, 1))
def test_the_view_shows_every_organization_once_changed_grades_first(seed, organizations, records, reviewed):
    ws = yw.generate(organizations, records, seed=seed, reviewed=reviewed)
    answer = call("results_view", BUNDLES_JSON, json.dumps(ws, ensure_ascii=False))
    assert answer["ok"], answer["problems"][:3]
    view = answer["result"]
    district = workspace_module.district(ws, {sid: b for sid, b in yw.RAW_BUNDLES.items()})
    names = [r["organization"] for r in view["rows"]]
    assert sorted(names) == sorted(r["name"] for r in district["rows"]) and len(set(names)) == len(names)
    flags = [r["grade_changed"] for r in view["rows"]]
    assert flags == sorted(flags, reverse=True), "a changed grade after an unchanged one"
    finals = [r for r in view["rows"] if r["final"]]
    assert sum(g["count"] for e in view["distribution"] for g in e["grades"]) == len(finals)
    for entry in view["distribution"]:
        assert entry["total"] == sum(1 for r in finals if r["standard"] == entry["standard"])
    by_name = {r["name"]: r for r in district["rows"]}
    for row in view["rows"]:
        source = by_name[row["organization"]]
        assert (row["total"], row["grade"], row["self_grade"]) == (source["total"], source["grade"], source["self_grade"])
    assert view["changed"] == sum(flags)


def test_exports_carry_the_rows_shown():
    ws = yw.generate(30, 2, seed=7, reviewed=1.0)
    text = json.dumps(ws, ensure_ascii=False)
    view = call("results_view", BUNDLES_JSON, text)["result"]
    table = call("results_export", "csv", BUNDLES_JSON, text)["result"]["text"]
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    assert rows[0][0] == "党组织" and [r[0] for r in rows[1:]] == [r["organization"] for r in view["rows"]]
    missing = call("results_export", "missing", BUNDLES_JSON, text)["result"]["text"]
    assert len(list(csv.reader(io.StringIO(missing.lstrip("\ufeff"))))) == len(view["missing"]) + 1
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(call("results_export", "xlsx", BUNDLES_JSON, text)["result"]["base64"])))
    assert book.sheetnames == ["评议结果", "等级分布", "尚缺名单"]
    assert [c.value for c in book["评议结果"]["A"]][1:] == [r["organization"] for r in view["rows"]]


def test_a_bad_workspace_is_refused_with_reasons():
    ws = yw.generate(3, 1, seed=1)
    ws["assessments"][0]["hash"] = "sha256:" + "0" * 64
    for op, args in (("results_view", ()), ("results_export", ("csv",))):
        answer = call(op, *args, BUNDLES_JSON, json.dumps(ws, ensure_ascii=False))
        assert answer["ok"] is False and any("哈希" in p["message"] for p in answer["problems"])
    assert call("results_view", BUNDLES_JSON, '{"format": "gm-workspace/1", "format": "x"}')["ok"] is False
    assert call("results_export", "pdf", BUNDLES_JSON, "{}")["ok"] is False
