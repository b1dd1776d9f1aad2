"""The office counts each organization once per year and standard (issue #13, point 2).

Properties over generated collections: organizations filing several times, with and without the
assessor's date, under several file names, in any import order. Whatever the mix, the grade
distribution's totals are the number of distinct (organization, year, standard), exactly one file
per organization is counted, and it is the one `office_count.RULE` names.
"""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scorer import assessment, collect, office, office_count, tree

CURRENT = tree.load("standards").current
BUNDLES = [CURRENT.bundle(s).to_json() for s in CURRENT.standards]


def _next_year(bundle):
    """The same standard under a later year: the counting rule is per year as well as per standard."""
    later = copy.deepcopy(bundle)
    later["year"]["year"] += 1
    return later


ALL_BUNDLES = BUNDLES + [_next_year(b) for b in BUNDLES]
GRADES = {(b["year"]["year"], b["standard"]["id"]): b for b in ALL_BUNDLES}
ITEMS = {b["standard"]["id"]: sorted(i for i, k in assessment.item_ids(b).items() if k == "deduction") for b in BUNDLES}

filing = st.fixed_dictionaries({
    "organization": st.sampled_from(["光明区教育局党组", "光明区卫健局党组", "  光明区教育局党组 ", "凤凰街道党工委", ""]),
    "bundle": st.sampled_from(range(len(ALL_BUNDLES))),
    "assessed": st.sampled_from([None, "", "2019-12-01", "2019-12-20", "2020-01-05"]),
    "file": st.sampled_from(["自评.json", "自评_更正.json", "a.json", "z.json"]),
    "deductions": st.lists(st.integers(0, 200), max_size=6),
})


def _text(f) -> str:
    bundle = ALL_BUNDLES[f["bundle"]]
    value = assessment.empty(bundle, f["organization"])
    value["year"] = bundle["year"]["year"]
    ids = ITEMS[bundle["standard"]["id"]]
    for n in f["deductions"]:
        value["items"].setdefault(ids[n % len(ids)], []).append({"date": f"{value['year']}-06-01", "count": 1 + n % 3})
    if f["assessed"] is not None:
        value["assessor"] = {"name": "自评人", "date": f["assessed"]}
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(filing, min_size=1, max_size=14), st.randoms(use_true_random=False))
def test_every_count_is_one_per_organization_year_and_standard(filings, rng):
    files = [(f["file"], _text(f)) for f in filings]
    result = collect.collect(ALL_BUNDLES, files)
    rows = result["rows"]
    assert len(rows) == len(files) and not result["rejected"]
    distinct = {(r["organization"].strip(), r["year"], r["standard"]) for r in rows}

    # The distribution's totals, in all and per year and standard, and its grade counts.
    assert sum(e["total"] for e in result["distribution"]) == len(distinct)
    for entry in result["distribution"]:
        mine = {o for o, y, s in distinct if (y, s) == (entry["year"], entry["standard"])}
        assert entry["total"] == len(mine) == sum(g["count"] for g in entry["grades"])
    # The workbook's 等级分布 sheet sums to the same.
    assert sum(r[3] for r in office.distribution_table(result)[1:]) == len(distinct)

    # Exactly one counted row per organization, the one the rule picks; duplicates listed with it.
    by_key: dict = {}
    for position, row in enumerate(rows):
        by_key.setdefault((row["organization"].strip(), row["year"], row["standard"]), []).append((position, row))
    listed = {(d["organization"], d["year"], d["standard"]): d for d in result["duplicates"]}
    for key, members in by_key.items():
        counted = [row for _, row in members if row["counted"]]
        assert len(counted) == 1
        best = max(members, key=lambda m: ((m[1]["assessed"] or "") != "", m[1]["assessed"] or "", m[1]["file"], m[0]))
        assert counted[0] is best[1]
        assert all(row["duplicate"] == (len(members) > 1) for _, row in members)
        if len(members) > 1:
            assert listed[key]["files"] == [row["file"] for _, row in members]
            assert listed[key]["counted"] == best[1]["file"]
        else:
            assert key not in listed

    # The counted file does not depend on the import order when dates and names tell files apart.
    shuffled = files[:]
    rng.shuffle(shuffled)
    again = collect.collect(ALL_BUNDLES, shuffled)
    told_apart = [k for k, m in by_key.items() if len({(r["assessed"], r["file"]) for _, r in m}) == len(m)]
    if len(told_apart) == len(by_key):
        assert again["distribution"] == result["distribution"]
    for key in told_apart:
        before = next(r for _, r in by_key[key] if r["counted"])
        after = next(r for r in again["rows"] if r["counted"] and (r["organization"].strip(), r["year"], r["standard"]) == key)
        assert (after["file"], after["assessed"], after["total"]) == (before["file"], before["assessed"], before["total"])


def test_the_latest_dated_file_wins_over_an_undated_and_an_earlier_one():
    def text(date, deductions):
        return _text({"organization": "光明区教育局党组", "bundle": 0, "assessed": date, "file": "", "deductions": deductions})

    files = [("z-undated.json", text(None, [])), ("b-later.json", text("2019-12-20", [1, 2, 3])),
             ("a-earlier.json", text("2019-12-01", []))]
    result = collect.collect(BUNDLES, files)
    assert [r["counted"] for r in result["rows"]] == [False, True, False]
    assert result["duplicates"][0]["counted"] == "b-later.json"
    assert result["distribution"][0]["total"] == 1
    assert result["count_rule"] == office_count.RULE and "assessor.date" in office_count.RULE
