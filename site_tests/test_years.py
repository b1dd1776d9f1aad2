"""The yearly cycle on a multi-year fixture (2019-2021 published, 2022 draft): diff classification,
change notes, carry-forward of answers, the current year, new-year scaffolding."""

import os
import shutil
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import assessment, carry, diff, newyear, tree
from scorer.errors import InvalidInput
from scorer.scoring import score

YEARS = os.path.join(os.path.dirname(__file__), "fixtures", "years")


@pytest.fixture(scope="module")
def loaded():
    return tree.load(YEARS)


def copy_tree(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(YEARS, root)  # follows the measures.yaml symlink
    return root


def test_current_is_latest_published_never_draft(loaded):
    assert list(loaded.years) == [2019, 2020, 2021, 2022]
    assert loaded.years[2022].settings.status == "draft"
    assert loaded.current.year == 2021


def test_diff_2019_2020_is_classified_exactly(loaded):
    result = diff.diff_years(loaded.years[2019], loaded.years[2020])
    assert result["settings"] == []
    got = [(r["kind"], r["id"]) for r in result["standards"]["dept"]]
    assert got == [
        ("replaced", "POL-03"),
        ("changed", "IDE-01"),
        ("changed", "ORG-01"),
        ("moved", "ORG-02"),
        ("added", "INS-02"),
        ("removed", "INS-01"),
        ("changed", "BON-02"),
        ("changed", "ideological"),
        ("changed", "organizational"),
        ("changed", "conduct"),
    ]
    records = {(r["kind"], r["id"]): r for r in result["standards"]["dept"]}
    replaced = records[("replaced", "POL-03")]
    assert replaced["old_id"] == "POL-02"
    assert [{k: f[k] for k in ("field", "old", "new")} for f in replaced["fields"]] == [
        {"field": "title", "old": "请示报告", "new": "重大事项请示报告"}]
    assert replaced["fields"][0]["marks"]["new"] == [["ins", "重大事项"], ["same", "请示报告"]]
    assert records[("moved", "ORG-02")]["old_area"] == "organizational"
    assert ("changed", "CON-01") not in records, "a space before 。 is not a change"


def test_diff_2020_2021_includes_settings(loaded):
    result = diff.diff_years(loaded.years[2020], loaded.years[2021])
    assert [(r["kind"], r["id"]) for r in result["settings"]] == [("changed", "bonus_cap")]
    assert [(r["kind"], r["id"]) for r in result["standards"]["dept"]] == [("changed", "DIS-01"), ("added", "BON-03")]


def test_punctuation_width_and_spacing_are_not_changes():
    assert diff.same_text("测试，内容（一）", "测试,内容(一)")
    assert diff.same_text("两个 维护", "两个维护")
    assert not diff.same_text("两个维护", "两个拥护")


def test_year_without_change_notes_fails_validation(tmp_path):
    root = copy_tree(tmp_path)
    settings = root / "2021" / "year.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.split("changes:")[0] + "changes: []\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        tree.load(str(root))
    message = str(caught.value)
    assert "2021/year.yaml:" in message and "与 2020 年度相比有 3 处变化，但 changes 为空" in message


def test_unchanged_draft_needs_no_notes(loaded):
    assert loaded.years[2022].settings.changes == ()


def test_carry_forward_carries_who_and_reminds_of_what_happened(loaded):
    old_bundle, new_bundle = loaded.years[2019].bundle("dept").to_json(), loaded.years[2020].bundle("dept").to_json()
    old = assessment.empty(old_bundle, "区某局党组")
    old["organization"]["kind"] = "区直单位"
    old["assessor"] = {"name": "张三", "date": "2019-12-20"}
    occurrence = [{"date": "2019-05-01", "note": "会议", "evidence": [{"file": "纪要.pdf"}]}]
    old["items"] = {"POL-01a": occurrence, "POL-02a": occurrence, "INS-01a": occurrence,
                    "IDE-01a": occurrence, "ORG-02a": occurrence, "BON-01": occurrence, "LIM-01": occurrence}
    assessment.check(old, old_bundle)
    moved = carry.carry_forward(old_bundle, new_bundle, old)
    new = moved["assessment"]
    assessment.check(new, new_bundle)
    # Last year's occurrences are not this year's: the draft starts empty and scores the base.
    assert new["items"] == {}
    assert new["organization"] == {"name": "区某局党组", "kind": "区直单位"} and new["assessor"] == {"name": "张三"}
    result = score(new_bundle, new)
    assert result["total"] == 100 and result["excluded"] == []
    # Every answered item is a reminder under this year's id, its occurrences as they were declared.
    assert [(r["id"], r["new_id"]) for r in moved["reminders"]] == [
        ("POL-01a", "POL-01a"), ("POL-02a", "POL-03a"), ("IDE-01a", "IDE-01a"), ("ORG-02a", "ORG-02a"),
        ("INS-01a", None), ("BON-01", "BON-01"), ("LIM-01", "LIM-01")]
    assert all(r["occurrences"] == occurrence for r in moved["reminders"])
    review = {(r["id"], r["status"]) for r in moved["review"]}
    assert review == {("POL-02a", "renamed"), ("INS-01a", "removed"), ("IDE-01a", "changed"), ("ORG-02a", "moved")}
    # The side-by-side view scores last year's record under this year's standard, re-dated for that only.
    as_if = moved["as_if"]
    assessment.check(as_if, new_bundle)
    assert sorted(as_if["items"]) == ["BON-01", "IDE-01a", "LIM-01", "ORG-02a", "POL-01a", "POL-03a"]
    assert as_if["items"]["POL-03a"][0]["date"] == "2020-05-01"
    assert score(new_bundle, as_if)["excluded"] == []


def test_a_kind_this_year_no_longer_has_is_not_carried(loaded):
    old_bundle, new_bundle = loaded.years[2019].bundle("dept").to_json(), loaded.years[2020].bundle("dept").to_json()
    old = assessment.empty(old_bundle, "甲")
    old["organization"]["kind"] = "区直单位"
    new_bundle = dict(new_bundle, standard=dict(new_bundle["standard"], organization_kinds=["区属企业"]))
    assert carry.carry_forward(old_bundle, new_bundle, old)["assessment"]["organization"] == {"name": "甲"}


def test_same_answers_under_both_years(loaded):
    old_bundle, new_bundle = loaded.years[2020].bundle("dept").to_json(), loaded.years[2021].bundle("dept").to_json()
    old = assessment.empty(old_bundle)
    old["items"] = {"BON-01": [{"date": "2020-02-29", "count": 3}], "BON-02": [{"date": "2020-01-01", "count": 2}]}
    moved = carry.carry_forward(old_bundle, new_bundle, old)
    assert moved["as_if"]["items"]["BON-01"][0]["date"] == "2021-02-28"  # no 29 February in 2021
    assert score(old_bundle, old)["bonus"] == 5  # 3 (item cap) + 3 -> year cap 5
    assert score(new_bundle, moved["as_if"])["bonus"] == 6  # the 2021 cap is 6
    assert score(new_bundle, moved["assessment"])["bonus"] == 0  # nothing of 2020 counts in 2021


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_no_carried_draft_holds_last_years_occurrences(loaded, data):
    """Any record of any earlier year, carried into any later one: the draft holds no occurrence, scores
    the base, and every answered item is reminded once with its occurrences unchanged."""
    first, later = sorted(data.draw(st.lists(st.sampled_from([2019, 2020, 2021]), min_size=2, max_size=2, unique=True)))
    old_bundle, new_bundle = loaded.years[first].bundle("dept").to_json(), loaded.years[later].bundle("dept").to_json()
    ids = sorted(assessment.item_ids(old_bundle))
    chosen = data.draw(st.dictionaries(st.sampled_from(ids), st.lists(st.tuples(
        st.dates(min_value=date(first, 1, 1), max_value=date(first, 12, 31)), st.integers(1, 20)), min_size=1, max_size=3),
        max_size=10))
    old = assessment.empty(old_bundle, "性质测试")
    old["items"] = {i: [{"date": d.isoformat(), "count": n} for d, n in rows] for i, rows in chosen.items()}
    assessment.check(old, old_bundle)
    moved = carry.carry_forward(old_bundle, new_bundle, old)
    assert moved["assessment"]["items"] == {}
    result = score(new_bundle, moved["assessment"])
    assert result["total"] == new_bundle["standard"]["base_score"] and result["declared"] == []
    assert sorted(r["id"] for r in moved["reminders"]) == sorted(chosen)
    assert all(r["occurrences"] == old["items"][r["id"]] for r in moved["reminders"])
    assessment.check(moved["as_if"], new_bundle)
    assert score(new_bundle, moved["as_if"])["excluded"] == []


def test_new_year_rewrites_block_list_notes(tmp_path):
    text = "year: 2020\nstatus: published\nchanges:\n- 甲\n- 乙\ngrades: []\n"
    out = newyear.rewrite_settings(text, 2021)
    assert "year: 2021" in out and "status: draft" in out and "甲" not in out and "grades: []" in out


def test_new_year_from_fixture_validates(tmp_path):
    root = copy_tree(tmp_path)
    written = newyear.scaffold(str(root), 2023, 2022)
    assert len(written) == 2
    loaded = tree.load(str(root))
    assert loaded.years[2023].settings.status == "draft" and loaded.current.year == 2021


def header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    end = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), len(lines))
    return "".join(lines[:end])


def test_new_year_files_name_their_own_year(tmp_path):
    """The real tree: 2020's year.yaml starts "# 2020 年度设置", not last year's "# 2019 年度设置"; no
    header names 2019; everything below the headers is copied as it was (year.yaml's rewritten lines
    apart)."""
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(os.path.dirname(YEARS), "..", "..", "standards"), root)
    written = newyear.scaffold(str(root), 2020, 2019)
    assert sorted(os.path.basename(p) for p in written) == ["dept.yaml", "stationed.yaml", "street.yaml", "year.yaml"]
    year_text = (root / "2020" / "year.yaml").read_text("utf-8")
    assert year_text.startswith("# 2020 年度设置。")
    for path in written:
        new = open(path, encoding="utf-8").read()
        old = (root / "2019" / os.path.basename(path)).read_text("utf-8")
        assert "2019" not in header(new), path
        if not path.endswith("year.yaml"):
            assert new[len(header(new)):] == old[len(header(old)):], path
    assert tree.load(str(root)).years[2020].settings.status == "draft"


@settings(max_examples=200, deadline=None)
@given(st.integers(1990, 2200), st.integers(1, 30), st.lists(st.sampled_from(["年度设置", "第一行", "x", "", " "]), max_size=4),
       st.sampled_from(["\n", "\r\n"]))
def test_rewrite_header_class(latest, ahead, words, newline):
    """Any header naming the old year names the new one instead; years that merely contain its digits
    (12019, 20190) and everything after the header, comments included, are unchanged; line endings kept."""
    year = latest + ahead
    head = newline.join(f"# {latest} {w} 1{latest} {latest}0" for w in words + ["年度设置"]) + newline + newline
    body = f"year: {latest}  # {latest}{newline}status: published{newline}# {latest}{newline}"
    out = newyear.rewrite_header(head + body, latest, year)
    assert out.endswith(body)
    new_head = out[: len(out) - len(body)]
    assert new_head == head.replace(f"# {latest} ", f"# {year} ")
    assert new_head.count(newline) == head.count(newline)


def test_diff_of_grade_changes(loaded):
    import copy

    before = loaded.years[2021].settings.to_json()
    after = copy.deepcopy(before)
    after["grades"][1]["min"] = 85
    after["grades"][2]["name"] = "合格"
    records = diff.diff_settings(before, after)
    assert [(r["kind"], r["id"], r["title"]) for r in records] == [("changed", "fair-good", "较好"), ("changed", "fair", "合格")]


def test_char_diff_marks_changed_characters_only():
    marks = diff.char_diff("严格执行请示报告制度，", "认真执行请示报告制度,并报告")
    assert marks["old"] == [["del", "严格"], ["same", "执行请示报告制度，"]]
    assert marks["new"] == [["ins", "认真"], ["same", "执行请示报告制度,"], ["ins", "并报告"]]
    assert diff.char_diff("①项", "②项")["old"][0] == ["del", "①"]  # multi-char NFKC forms keep indices aligned


def test_changed_text_fields_carry_marks(loaded):
    result = diff.diff_years(loaded.years[2020], loaded.years[2021])
    record = result["standards"]["dept"][0]
    assert record["fields"][0]["marks"]["new"] == [["ins", "运用监督执纪"], ["same", "四种形态"]]
