"""scorer.items: the one walk over a standard's items and the one wording of an item's rule."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from macros import render, render_assess, render_standards
from scorer import assessment, carry, diff, items, model, numerals, tree
from scorer.numbers import num

YEAR = tree.load("standards").year(2019)
GRADES = YEAR.settings.grades

amounts = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(50), places=2)


@st.composite
def standards(draw):
    """A standard's shape with unique ids: areas -> indicators -> deductions, bonuses; and limits."""
    counter = iter(range(10_000))
    areas = []
    for _ in range(draw(st.integers(0, 4))):
        indicators = []
        for _ in range(draw(st.integers(0, 3))):
            deductions = tuple(model.Deduction(f"D{next(counter)}", "t", draw(amounts),
                                               per=draw(st.sampled_from(["occurrence", "once"])))
                               for _ in range(draw(st.integers(0, 3))))
            indicators.append(model.Indicator(f"I{next(counter)}", "t", "c", Decimal(1), "m", (), deductions))
        areas.append(model.Area(f"A{next(counter)}", "n", Decimal(1), tuple(indicators)))
    bonuses = tuple(model.Bonus(f"B{next(counter)}", "t", draw(amounts)) for _ in range(draw(st.integers(0, 3))))
    limits = [model.GradeLimit(f"L{next(counter)}", "t", GRADES[-1].id) for _ in range(draw(st.integers(0, 2)))]
    standard = model.Standard("s", "t", "t", "sample", (), (), "e", Decimal(100), tuple(areas), bonuses)
    return standard, limits


@settings(max_examples=60, deadline=None)
@given(standards())
def test_walk_yields_every_item_once_in_the_standards_order_with_its_place(shape):
    standard, limits = shape
    walked = list(items.walk(standard, limits))
    expected = [d.id for a in standard.areas for i in a.indicators for d in i.deductions]
    expected += [b.id for b in standard.bonuses] + [limit.id for limit in limits]
    assert [e.id for e in walked] == expected
    for entry in walked:
        if entry.kind == items.DEDUCTION:
            assert entry.item in entry.indicator.deductions and entry.indicator in entry.area.indicators
        else:
            assert entry.indicator is None and entry.area is None
            assert entry.item in (standard.bonuses if entry.kind == items.BONUS else limits)


@settings(max_examples=80, deadline=None)
@given(amounts, st.one_of(st.none(), amounts), st.sampled_from(["occurrence", "once"]))
def test_rule_wording_for_every_amount_and_cap(amount, cap, per):
    item = model.Deduction("X", "t", amount, per=per, cap=cap)
    rule = items.deduction_rule(item)
    if per == "once":
        assert rule == f"发生即扣 {num(amount)} 分"
    else:
        assert rule == f"每次扣 {num(amount)} 分" + ("" if cap is None else f"，最多扣 {num(cap)} 分")
    assert items.bonus_rule(model.Bonus("B", "t", amount, cap=cap)) == f"每次加 {num(amount)} 分" + ("" if cap is None else f"，最多加 {num(cap)} 分")
    assert ".0 分" not in rule  # whole points read 20, never 20.0


def test_rule_text_dispatches_on_kind_and_names_the_grade():
    bundle = YEAR.bundle("dept")
    walked = list(items.walk_bundle(bundle))
    assert {e.kind for e in walked} == {items.DEDUCTION, items.BONUS, items.LIMIT}
    names = {g.name for g in GRADES}
    for entry in walked:
        text = items.rule_text(entry, GRADES)
        if entry.kind == items.LIMIT:
            assert text.startswith("出现即等级最高为“") and text[len("出现即等级最高为“"):-1] in names
        else:
            assert text == (items.deduction_rule if entry.kind == items.DEDUCTION else items.bonus_rule)(entry.item)


def test_every_user_of_the_walk_agrees_on_ids_kinds_and_order():
    for standard_id in YEAR.standards:
        bundle = YEAR.bundle(standard_id)
        walked = [(e.id, e.kind) for e in items.walk_bundle(bundle)]
        assert list(assessment.item_ids(bundle).items()) == walked
        assert [(k, v[0]) for k, v in carry._items(bundle).items()] == walked
        rules = render_assess.item_rules(YEAR.standards[standard_id], YEAR.settings)
        assert list(rules) == [i for i, _ in walked]


def test_the_pages_word_rules_with_the_scorers_functions():
    """One wording: the standards pages' Jinja globals are the scorer's functions, not copies."""
    env = render_standards._env()
    assert env.globals["deduction_rule"] is items.deduction_rule
    assert env.globals["bonus_rule"] is items.bonus_rule
    assert env.globals["fmt"] is num


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["occurrence", "once"]), amounts, st.one_of(st.none(), amounts)),
                min_size=2, max_size=5), st.data())
def test_diff_records_carry_the_rule_and_per_names_the_comparison_page_shows(specs, data):
    """The comparison page words nothing itself: a whole deduction added or removed carries its rule,
    a changed `per` carries both values' names, from the same functions the standards pages use."""
    def indicator(chosen):
        return {"id": "POL-01", "deductions": [
            {"id": f"POL-01{chr(97 + n)}", "text": f"情形{n}", "per": per, "points": amount}
            | ({} if cap is None else {"cap": cap}) for n, (per, amount, cap) in chosen]}
    numbered = list(enumerate(specs))
    old = data.draw(st.lists(st.sampled_from(numbered), unique=True))
    new = data.draw(st.lists(st.sampled_from(numbered), unique=True))
    flipped = [(n, ("once" if per == "occurrence" else "occurrence", a, c)) for n, (per, a, c) in new]
    old_ind, new_ind = indicator(sorted(old)), indicator(sorted(flipped))
    changes = {c["path"]: c for c in diff._item_changes(old_ind, new_ind)}
    old_items = {d["id"]: d for d in old_ind["deductions"]}
    new_items = {d["id"]: d for d in new_ind["deductions"]}
    for item_id in old_items.keys() ^ new_items.keys():
        item = new_items.get(item_id) or old_items[item_id]
        assert changes[f"deductions.{item_id}"]["rule"] == items.deduction_rule(model.Deduction.from_json(item))
    for item_id in old_items.keys() & new_items.keys():
        per = changes[f"deductions.{item_id}.per"]
        assert per["labels"] == {per["old"]: items.PER_NAMES[per["old"]], per["new"]: items.PER_NAMES[per["new"]]}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 99), unique=True), st.lists(st.integers(1, 99), unique=True))
def test_diff_names_every_article_of_a_changed_article_list(old, new):
    """basis and applies_to changes carry each article's name, worded by scorer.numerals (the pages' own)."""
    ids = lambda numbers: [f"article-{n}" for n in numbers]  # noqa: E731
    change = diff.field_change("indicator", "basis", ids(old), ids(new))
    assert change["labels"] == {f"article-{n}": numerals.article_label(n) for n in old + new}
    assert all(label.startswith("第") and label.endswith("条") for label in change["labels"].values())
    assert "labels" not in diff.field_change("standard", "emphasis", ["甲"], ["乙"])
    assert render.article_label is numerals.article_label and render.chinese_numeral is numerals.chinese_numeral


def test_an_id_that_is_not_an_article_keeps_its_own_text():
    assert [numerals.article_id_label(v) for v in ("article-17", "article-0", "article-100", "art-3", 5)] == [
        "第十七条", "article-0", "article-100", "art-3", "5"]
