"""The inspection planner: full coverage within the term, the yearly share, kinds spread evenly,
reproducible from a seed; impossible inputs say the smallest share that works."""

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.errors import InvalidInput
from scorer import office
from scorer.planner import csv_rows, parse_share, per_year, plan

KINDS = ["区直单位", "街道党工委", "驻区单位", "区属企业"]


@st.composite
def inputs(draw):
    n = draw(st.integers(min_value=1, max_value=60))
    orgs = [{"name": f"党组织{i}", "kind": draw(st.sampled_from(KINDS))} for i in range(n)]
    first = draw(st.integers(min_value=2019, max_value=2030))
    length = draw(st.integers(min_value=1, max_value=5))
    from_year = first + draw(st.integers(min_value=0, max_value=length - 1))
    inspected = draw(st.lists(st.sampled_from([o["name"] for o in orgs]), unique=True)) if from_year > first else []
    uncovered = n - len(inspected)
    years = first + length - from_year
    minimum = max(1, -(-uncovered // years))
    slots = draw(st.integers(min_value=minimum, max_value=n))
    share = Decimal(slots) / n
    return orgs, first, first + length - 1, share, inspected, from_year, draw(st.integers(0, 2**16))


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_plan_properties(case):
    orgs, first, last, share, inspected, from_year, seed = case
    result = plan(orgs, first, last, share, inspected, from_year, seed)
    years = result["years"]
    assert [y["year"] for y in years] == list(range(from_year, last + 1))
    covered = set(inspected) | {o["name"] for y in years for o in y["organizations"]}
    assert covered == {o["name"] for o in orgs}, "everyone is inspected within the term"
    slots = per_year(share, len(orgs))
    assert all(len(y["organizations"]) == slots for y in years), "each year keeps the share"
    for y in years:
        names = [o["name"] for o in y["organizations"]]
        assert len(names) == len(set(names)), "nobody twice in one year"
    for kind in KINDS:
        counts = [sum(o["kind"] == kind for o in y["organizations"]) for y in years]
        assert max(counts) - min(counts) <= 1, f"{kind} spread evenly: {counts}"
    assert plan(orgs, first, last, share, inspected, from_year, seed) == result, "same seed, same plan"


def earlier_inspections(result: dict, inspected) -> list:
    """(year, name, inspected before?) for every planned row, computed from the plan's rows alone."""
    rows = [(y["year"], o["name"], o) for y in result["years"] for o in y["organizations"]]
    return [(year, name, row, name in inspected or any(n == name and y < year for y, n, _ in rows))
            for year, name, row in rows]


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_review_means_inspected_before(case):
    """复查 exactly when the organization was inspected in an earlier year of this plan or in the history
    given; every other row is its 首次检查. (Round-robin dealing used to mark a 2021 row 复查 whose
    first inspection was in 2025.)"""
    orgs, first, last, share, inspected, from_year, seed = case
    result = plan(orgs, first, last, share, inspected, from_year, seed)
    rows = earlier_inspections(result, set(inspected))
    for year, name, row, before in rows:
        assert row["first"] is (not before), (year, name, row)
        assert row["inspection"] == ("复查" if before else "首次检查"), (year, name, row)
    assert result["reviews"] == sum(before for *_, before in rows)
    assert [r[4] for r in office.plan_table(result)[1:]] == [row["inspection"] for _, _, row, _ in rows]
    assert [r[3] for r in csv_rows(result)[1:]] == ["否" if before else "是" for *_, before in rows]


def test_exports_label_the_plan_by_the_same_rule():
    """The page hands its plan back for the CSV and xlsx exports: the labels are the planner's again,
    whatever the payload says; a payload that is no plan is refused with a reason."""
    orgs = [{"name": f"党组织{i}", "kind": KINDS[i % 4]} for i in range(10)]
    result = plan(orgs, 2021, 2025, "40%", ["党组织3"], 2022, seed=3)
    tampered = {**result, "years": [{**y, "organizations": [{**o, "first": True, "inspection": "首次检查"}
                                                            for o in y["organizations"]]} for y in result["years"]]}
    tampered["inspected"] = ["党组织3"]
    assert office.csv_export("plan", tampered) == office.csv_export("plan", {**result, "inspected": ["党组织3"]})
    assert office.plan_table(office._plan(tampered)) == office.plan_table(result)
    assert "复查" in [row[4] for row in office.plan_table(result)]
    for bad in ({}, {"years": [{"organizations": [{"name": "甲"}]}]}, {"years": [{"year": 2021, "organizations": ["甲"]}]}):
        with pytest.raises(InvalidInput, match="缺少检查计划"):
            office.csv_export("plan", bad)


def test_review_seen_from_the_cli(tmp_path):
    """The command of the issue: 10 organizations, 2021-2025, 25% (15 places, 5 repeats)."""
    import csv
    import os
    import subprocess
    import sys

    orgs = tmp_path / "orgs.csv"
    orgs.write_text("名称,类别\n" + "".join(f"党组织{i},{KINDS[i % 3]}\n" for i in range(10)), encoding="utf-8")
    for seed in range(5):
        done = subprocess.run([sys.executable, "-m", "scorer", "plan", str(orgs), "--first", "2021", "--last", "2025",
                               "--share", "25%", "--seed", str(seed), "--csv"],
                              capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=os.getcwd()))
        assert done.returncode == 0, done.stderr
        rows = list(csv.DictReader(done.stdout.splitlines()))
        assert sum(r["首次检查"] == "否" for r in rows) == 5
        for row in rows:
            earlier = any(r["名称"] == row["名称"] and r["年度"] < row["年度"] for r in rows)
            assert (row["首次检查"] == "否") == earlier, (seed, row)


def test_different_seeds_differ():
    orgs = [{"name": f"党组织{i}", "kind": KINDS[i % 4]} for i in range(40)]
    assert plan(orgs, 2021, 2025, "20%", seed=1) != plan(orgs, 2021, 2025, "20%", seed=2)


def test_impossible_share_names_the_smallest_that_works():
    orgs = [{"name": f"党组织{i}", "kind": "区直单位"} for i in range(50)]
    with pytest.raises(InvalidInput, match="最小比例为 20.0%"):
        plan(orgs, 2021, 2025, "10%")
    plan(orgs, 2021, 2025, "20%")


@pytest.mark.parametrize("text,value", [("30%", "0.3"), ("30", "0.3"), ("0.25", "0.25"), ("100%", "1"), ("12.5％", "0.125")])
def test_share_forms(text, value):
    assert parse_share(text) == Decimal(value)


@pytest.mark.parametrize("text", ["0", "-5%", "abc", "150%"])
def test_bad_shares_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_share(text)


def test_bad_lists_name_every_problem():
    with pytest.raises(InvalidInput) as caught:
        plan([{"name": "甲", "kind": "x"}, {"name": "甲", "kind": "x"}, {"name": "", "kind": "x"}], 2025, 2021, "50%",
             inspected=["乙"])
    text = str(caught.value)
    assert "重复出现" in text and "没有名称" in text and "晚于末年" in text and "'乙' 不在党组织名单中" in text


def test_kind_counts_overall():
    orgs = [{"name": f"党组织{i}", "kind": KINDS[i % 3]} for i in range(30)]
    result = plan(orgs, 2021, 2025, "20%", seed=7)
    firsts = Counter(o["kind"] for y in result["years"] for o in y["organizations"] if o["first"])
    assert sum(firsts.values()) == 30


def test_cli_plan_csv_round_trip(tmp_path):
    import csv
    import os
    import subprocess
    import sys

    orgs = tmp_path / "orgs.csv"
    orgs.write_text("名称,类别\n" + "".join(f"党组织{i},{KINDS[i % 4]}\n" for i in range(12)), encoding="utf-8")
    inspected = tmp_path / "done.txt"
    inspected.write_text("党组织0\n党组织1\n", encoding="utf-8")
    args = [sys.executable, "-m", "scorer", "plan", str(orgs), "--first", "2021", "--last", "2025", "--from-year", "2022",
            "--share", "25%", "--inspected", str(inspected), "--seed", "4", "--csv"]
    done = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert {r["年度"] for r in rows} == {"2022", "2023", "2024", "2025"}
    assert {r["名称"] for r in rows} >= {f"党组织{i}" for i in range(2, 12)}
    args[args.index("25%")] = "5%"
    done = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert done.returncode == 1 and "最小比例为 25.0%" in done.stderr
