"""The office's collection: every file checked and rescored, bad ones listed with reasons while the
rest go on, duplicates flagged, grade distribution, related review results beside the score."""

import json
import random

import pytest

from scorer import assessment, collect, tree
from scorer.errors import InvalidInput
from scorer.scoring import score

YEAR = tree.load("standards").current
BUNDLES = [YEAR.bundle(s).to_json() for s in YEAR.standards]


def filed(bundle, name, items=None, **extra):
    value = assessment.empty(bundle, name)
    value["items"] = items or {}
    value.update(extra)
    return json.dumps(value, ensure_ascii=False)


def test_good_bad_and_duplicate_files():
    dept = BUNDLES[0]
    files = [
        ("a.json", filed(dept, "区教育局党组", {"POL-01a": [{"date": "2019-03-01", "count": 2}]})),
        ("b.json", filed(dept, "区卫健局党组")),
        ("c.json", "{not json"),
        ("d.json", filed(dept, "区水务局党组", year=2031)),
        ("e.json", filed(dept, "区教育局党组")),
        ("f.json", json.dumps({**json.loads(filed(dept, "x")), "total": 100})),  # a stored total is refused, never trusted
    ]
    result = collect.collect(BUNDLES, files)
    assert [r["file"] for r in result["rows"]] == ["a.json", "b.json", "e.json"]
    assert {r["file"] for r in result["rejected"]} == {"c.json", "d.json", "f.json"}
    reasons = {r["file"]: " ".join(p["message"] for p in r["problems"]) for r in result["rejected"]}
    assert "不是有效的 JSON" in reasons["c.json"] and "2031" in reasons["d.json"] and "未知字段 'total'" in reasons["f.json"]
    # Neither file has a date: the later file name is the one counted (office_count.RULE).
    assert result["duplicates"] == [{"organization": "区教育局党组", "standard": "dept", "year": 2019,
                                     "files": ["a.json", "e.json"], "counted": "e.json", "counted_assessed": ""}]
    first = result["rows"][0]
    assert first["total"] == score(dept, json.loads(files[0][1]))["total"] and first["duplicate"] and not first["counted"]
    dist = result["distribution"][0]
    assert dist["total"] == 2 and sum(g["count"] for g in dist["grades"]) == 2, "two organizations, one filed twice"


def test_many_generated_files_score_as_the_engine_does():
    rng = random.Random(6)
    files = []
    for i in range(200):
        bundle = rng.choice(BUNDLES)
        ids = sorted(assessment.item_ids(bundle))
        items = {k: [{"date": "2019-05-05", "count": rng.randint(1, 3)}] for k in rng.sample(ids, 5)}
        files.append((f"{i}.json", filed(bundle, f"党组织{i}", items)))
    result = collect.collect(BUNDLES, files)
    assert len(result["rows"]) == 200 and not result["rejected"]
    for (name, text), row in zip(files, result["rows"]):
        value = json.loads(text)
        bundle = next(b for b in BUNDLES if b["standard"]["id"] == value["standard"])
        assert row["total"] == score(bundle, value)["total"]


def test_references_are_shown_and_weighed_only_where_defined():
    refs = collect.parse_references("名称,党风廉政建设责任制考核,书记述职评议\n区教育局党组,95,88\n")
    assert refs["values"]["区教育局党组"] == {"党风廉政建设责任制考核": 95, "书记述职评议": 88}
    result = collect.collect(BUNDLES, [("a.json", filed(BUNDLES[0], "区教育局党组"))])
    shown = collect.with_references(result, refs, BUNDLES)
    assert shown["rows"][0]["references"]["书记述职评议"] == 88 and shown["rows"][0]["combined"] is None
    assert collect.combined(100, {"党风廉政建设责任制考核": 95}, {"党风廉政建设责任制考核": 0.2}) == 99
    assert collect.combined(100, {}, {"党风廉政建设责任制考核": 0.2}) is None


def test_bad_reference_cells_are_listed_with_row_and_column():
    with pytest.raises(InvalidInput) as caught:
        collect.parse_references("名称,考核\n甲,abc\n乙,120\n,90\n")
    text = str(caught.value)
    assert ":2:2:" in text and ":3:2:" in text and ":4:1:" in text


def test_records_dated_outside_the_year_are_noted_not_counted():
    """A file with an occurrence of another year is counted with the scorer's figures (the occurrence
    costs nothing) and listed among the notices with the scorer's own sentence; clean files are not."""
    dept = BUNDLES[0]
    year = dept["year"]["year"]
    items = {"POL-01a": [{"date": f"{year}-03-01"}], "ORG-01a": [{"date": f"{year - 1}-11-11"}]}
    files = [("late.json", filed(dept, "区教育局党组", items)),
             ("clean.json", filed(dept, "区卫健局党组", {"POL-01a": items["POL-01a"]}))]
    result = collect.collect(BUNDLES, files)
    late, clean = result["rows"]
    assert late["total"] == clean["total"] == score(dept, json.loads(files[1][1]))["total"]
    expected = score(dept, json.loads(files[0][1]))["notes"]
    assert late["notes"] == expected and f"ORG-01a（{year - 1}-11-11）" in expected[0] and clean["notes"] == []
    assert result["notices"] == [{"file": "late.json", "organization": "区教育局党组", "year": year,
                                  "standard": "dept", "notes": expected}]
