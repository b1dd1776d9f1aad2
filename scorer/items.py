"""The one walk over a standard's items, and the one Chinese wording of an item's rule.

An assessment answers three kinds of item: the deductions under each area's indicators, the
standard's bonuses, and the year's grade-limit situations. Validation, scoring, carrying a draft into
a new year and the pages all need them in the same order (the standard's order), so they all take it
from `walk` instead of nesting their own loops over areas -> indicators -> deductions. How a rule
reads ("每次扣 0.5 分，最多扣 2 分") is decided once, in `rule_text`, for every page that shows it.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from .model import BONUS, DEDUCTION, LIMIT, PER_OCCURRENCE, PER_ONCE, Area, Bundle, GradeLimit, Indicator, Standard
from .model import Item as Rule
from .numbers import num

# How a deduction counts (`per` in standard.schema.json), as a reader is told when it changes.
PER_NAMES = {PER_OCCURRENCE: "每发生一次扣分", PER_ONCE: "发生即扣（只扣一次）"}


class Item(NamedTuple):
    """One walked item: its kind, its record (`model.Deduction`, `Bonus` or `GradeLimit`), and
    (deductions only) the indicator and area it sits in."""

    kind: str
    item: Rule | GradeLimit
    indicator: Indicator | None = None
    area: Area | None = None

    @property
    def id(self) -> str:
        return self.item.id


def walk(standard: Standard, grade_limits) -> Iterator[Item]:
    """Every item of `standard` then the year's `grade_limits`, in the standard's order."""
    for area in standard.areas:
        for indicator in area.indicators:
            for item in indicator.deductions:
                yield Item(DEDUCTION, item, indicator, area)
    for bonus in standard.bonuses:
        yield Item(BONUS, bonus)
    for limit in grade_limits:
        yield Item(LIMIT, limit)


def walk_bundle(bundle) -> Iterator[Item]:
    """`walk` over a bundle (a `model.Bundle`, or its published dict)."""
    bundle = Bundle.of(bundle)
    return walk(bundle.standard, bundle.year.grade_limits)


_INDEX: dict = {}


def index(bundle) -> dict:
    """id -> Item of a bundle (a `model.Bundle`, or its published dict), in the standard's order,
    walked once per bundle: a district's final results score thousands of assessments against the
    same three bundles."""
    bundle = Bundle.of(bundle)
    # Keyed by the content hash and by the identity of the frozen records (kept alive in the entry, so
    # their ids are not reused while cached): two bundles read from the same text are different
    # records and are walked each once; a record is never changed after it is built.
    key = (bundle.hash, id(bundle.standard), id(bundle.year))
    entry = _INDEX.get(key)
    if entry is None:
        if len(_INDEX) >= 64:
            _INDEX.clear()
        entry = _INDEX[key] = (bundle.standard, bundle.year, {item.id: item for item in walk_bundle(bundle)})
    return entry[2]


def deduction_rule(item: Rule) -> str:
    """'每次扣 0.5 分，最多扣 2 分' or '发生即扣 3 分'."""
    if item.per == PER_ONCE:
        return f"发生即扣 {num(item.points)} 分"
    cap = f"，最多扣 {num(item.cap)} 分" if item.cap is not None else ""
    return f"每次扣 {num(item.points)} 分{cap}"


def bonus_rule(item: Rule) -> str:
    """'每次加 1 分，最多加 3 分'."""
    cap = f"，最多加 {num(item.cap)} 分" if item.cap is not None else ""
    return f"每次加 {num(item.points)} 分{cap}"


def limit_rule(limit: GradeLimit, grades) -> str:
    """'出现即等级最高为“一般”': the cap is named by the year's grade, never by its id."""
    cap = next(g for g in grades if g.id == limit.max_grade)
    return f"出现即等级最高为“{cap.name}”"


def rule_text(entry: Item, grades) -> str:
    """How the pages word the rule of one walked item."""
    if entry.kind == DEDUCTION:
        return deduction_rule(entry.item)
    if entry.kind == BONUS:
        return bonus_rule(entry.item)
    return limit_rule(entry.item, grades)


def amount_text(score: dict, verb: str) -> str:
    """How an answered item's amount came about, in the words of the rule the scorer applied (the office's
    detail view): '发生 3 次 × 1 分 = 扣 3 分'. `score`: one item of `score()`'s result; `verb`: 扣 or 加."""
    count, points, amount = score["count"], num(score["points"]), num(score["amount"])
    if score["per"] == PER_ONCE:
        return f"发生 {count} 次，按一次计，{verb} {amount} 分"
    if score["capped"]:
        return f"发生 {count} 次，每次 {points} 分，达到单项上限，{verb} {amount} 分"
    return f"发生 {count} 次 × {points} 分 = {verb} {amount} 分"
