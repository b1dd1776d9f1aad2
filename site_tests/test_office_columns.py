"""The office table's columns are defined once (`office.combined_columns`): the page's table (the
`columns` and `cells` the worker sends with the rows), the CSV and the workbook show the same headings
and the same values, for any collection, with or without references and weights."""

from __future__ import annotations

import base64
import csv
import io
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scorer import assessment, browser, collect, office, tree
from scorer.errors import InvalidInput
from scorer.standards import scoring_hash

YEAR = tree.load("standards").current
BUNDLES = [YEAR.bundle(s).to_json() for s in YEAR.standards]  # as published: what pages send
REFS = "名称,党风廉政建设责任制考核\r\n党组织1,95\r\n党组织2,80.5\r\n"


def call(op, *args):
    return json.loads(getattr(browser, op)(*args))


def weighted(bundle):
    """The bundle with a reference weight in its year, re-hashed, so a 综合得分 column appears."""
    value = json.loads(json.dumps(bundle, ensure_ascii=False))
    value["year"]["reference_weights"] = {"党风廉政建设责任制考核": 0.2}
    value["hash"] = scoring_hash(value["year"], value["standard"])
    return value


def files(seed, n, bundles):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        bundle = rng.choice(bundles)
        value = assessment.empty(bundle, rng.choice(["党组织1", "党组织2", "", f"党组织{i}", "=1+1"]))
        ids = sorted(assessment.item_ids(bundle))
        value["items"] = {k: [{"date": rng.choice(["2019-06-01", "2018-06-01"]), "count": rng.randint(1, 3)}]
                          for k in rng.sample(ids, rng.randint(0, 12))}
        if rng.random() < 0.5:
            value["organization"]["kind"] = "区直单位"
        out.append({"name": f"f{i}.json", "text": json.dumps(value, ensure_ascii=False)})
    return out


def view(seed, n, references, weights):
    bundles = [weighted(b) for b in BUNDLES] if weights else BUNDLES
    bundles_json = json.dumps(bundles, ensure_ascii=False)
    answer = call("collect", bundles_json, json.dumps(files(seed, n, bundles), ensure_ascii=False))
    assert answer["ok"], answer
    result = answer["result"]
    if references:
        refs = call("references", REFS)["result"]
        answer = call("combine", json.dumps(result, ensure_ascii=False), json.dumps(refs, ensure_ascii=False), bundles_json)
        assert answer["ok"], answer
        result = answer["result"]
    return result


def blank(value):
    return "" if value is None else value


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 9), references=st.booleans(), weights=st.booleans())
def test_page_csv_and_workbook_share_one_column_definition(seed, n, references, weights):
    shown = view(seed, n, references, weights)
    page = shown["columns"]
    text = call("office_csv", "combined", json.dumps(shown, ensure_ascii=False))["result"]["text"]
    table = list(csv.reader(io.StringIO(text[1:])))
    book = load_workbook(io.BytesIO(base64.b64decode(
        call("office_xlsx", "combined", json.dumps(shown, ensure_ascii=False))["result"]["base64"])))
    sheet = [["" if c is None else c for c in r] for r in book["汇总表"].iter_rows(values_only=True)]
    definition = office.combined_columns(shown)
    # The headings: the definition's, in its order, on the page and in both exports.
    assert [c["label"] for c in page] == [c.label for c in definition if c.page]
    assert table[0] == list(sheet[0]) == [c.label for c in definition if c.export]
    assert ("综合得分" in table[0]) == (weights and references and n > 0 and any(
        r["organization"] in ("党组织1", "党组织2") for r in shown["rows"]))
    # The values: a column both show has the same cell on the page and in the exports.
    both = [c["label"] for c in page if c["label"] in table[0]]
    assert set(both) == set(table[0]) - {"重复提交", "计入统计", "等级限制"}
    assert len(shown["rows"]) == len(table) - 1 == len(sheet) - 1
    for row, line, cells in zip(shown["rows"], table[1:], sheet[1:]):
        for label in both:
            value = blank(row["cells"][[c["label"] for c in page].index(label)])
            exported = line[table[0].index(label)]
            assert exported in (str(value), "'" + str(value)), (label, value, exported)
            stored = cells[sheet[0].index(label)]
            assert stored == value or float(stored) == float(value), (label, value, stored)


def test_the_page_gets_a_cell_per_column_and_sorts_grades_by_their_rank():
    shown = view(3, 12, references=True, weights=False)
    ids = [c["id"] for c in shown["columns"]]
    assert ids[:6] == ["organization", "kind", "standard", "year", "total", "grade"] and ids[-2:] == ["note", "file"]
    ranks = office.grade_ranks(BUNDLES)
    for row in shown["rows"]:
        assert len(row["cells"]) == len(ids)
        assert row["keys"] == {"grade": ranks[(row["year"], row["grade"])]}
        assert row["cells"][ids.index("note")] == office.note(row)
    assert next(c for c in shown["columns"] if c["id"] == "grade")["sorted"]
    assert next(c for c in shown["columns"] if c["id"] == "organization")["empty"] == "（未填写名称）"


def test_note_words_duplicates_limits_and_records_left_out():
    assert office.note({}) == ""
    assert office.note({"duplicate": True, "counted": False}) == "重复提交（未计入统计）"
    assert office.note({"duplicate": True, "counted": True, "limits_applied": ["LIM-01", "LIM-02"], "notes": ["x"]}) \
        == "重复提交（计入统计）；等级限制：LIM-01、LIM-02；有记录未计入"


def test_combine_refuses_both_arguments_with_every_reason():
    with pytest.raises(InvalidInput) as caught:
        collect.combine({"rows": [{"organization": 1}]}, {"columns": [], "values": {"甲": 5}}, BUNDLES)
    assert [p.source for p in caught.value.problems] == [collect.COLLECTED_SOURCE, collect.REFERENCE_SOURCE]
    answer = call("combine", "[]", "{}", json.dumps(BUNDLES, ensure_ascii=False))
    assert not answer["ok"] and len(answer["problems"]) == 2


# ---------------------------------------------------------------- one round trip for a drop

def b64(text: str, encoding: str = "utf-8") -> str:
    return base64.b64encode(text.encode(encoding)).decode("ascii")


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), held=st.integers(0, 4), new=st.integers(0, 6))
def test_a_drop_of_bytes_is_one_collect_that_equals_reading_then_collecting(seed, held, new):
    """`collect` takes new files as bytes beside the texts already held: the same rows, the same
    `source` places and the same refusals as `read_files` followed by `collect` on the texts."""
    bundles_json = json.dumps(BUNDLES, ensure_ascii=False)
    kept = files(seed, held, BUNDLES)
    fresh = files(seed + 1, new, BUNDLES)
    rng = random.Random(seed)
    entries = []
    for f in fresh:
        kind = rng.choice(["utf-8", "utf-8-sig", "utf-16", "bad", "huge"])
        f["name"] = f"new-{f['name']}"
        if kind == "bad":
            entries.append({"name": f["name"], "base64": base64.b64encode(bytes(rng.randrange(256) for _ in range(40))).decode()})
        elif kind == "huge":
            entries.append({"name": f["name"], "size": 10 ** 9})
        else:
            entries.append({"name": f["name"], "base64": b64(f["text"], kind)})
    one = call("collect", bundles_json, json.dumps(kept + entries, ensure_ascii=False))
    assert one["ok"], one
    read = call("read_files", "json", json.dumps(entries, ensure_ascii=False))["result"]
    assert one["result"]["read"] == read
    texts = kept + [r for r in read if "text" in r]
    two = call("collect", bundles_json, json.dumps(texts, ensure_ascii=False))["result"]
    assert {k: v for k, v in one["result"].items() if k != "read"} == {k: v for k, v in two.items() if k != "read"}
    for row in one["result"]["rows"]:
        assert texts[row["source"]]["name"] == row["file"]
    assert all("problems" in r for r, e in zip(read, entries) if "size" in e)


def test_collect_refuses_a_file_list_of_the_wrong_shape_with_every_reason():
    answer = call("collect", json.dumps(BUNDLES, ensure_ascii=False),
                  json.dumps([{"name": "a.json"}, 5, {"name": "b.json", "size": True}, {"name": "c.json", "base64": "AA=="}]))
    assert not answer["ok"] and [p["path"] for p in answer["problems"]] == ["/0", "/1", "/2"]
    with pytest.raises(InvalidInput):
        collect.files_of({"name": "a.json"})
