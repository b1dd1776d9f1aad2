"""The one walk over a standard's items, and the one Chinese wording of an item's rule.

An assessment answers three kinds of item: the deductions under each area's indicators, the
standard's bonuses, and the year's grade-limit situations. Validation, scoring, carrying a draft into
a new year and the pages all need them in the same order (the standard's order), so they all take it
from `walk` instead of nesting their own loops over areas -> indicators -> deductions. How a rule
reads ("每次扣 0.5 分，最多扣 2 分") is decided once, in `rule_text`, for every page that shows it.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from .numbers import num

DEDUCTION, BONUS, LIMIT = "deduction", "bonus", "limit"

# How a deduction counts (`per` in standard.schema.json), as a reader is told when it changes.
PER_NAMES = {"occurrence": "每发生一次扣分", "once": "发生即扣（只扣一次）"}


class Item(NamedTuple):
    """One answerable item: its kind, its dict from the data, and (deductions only) where it sits."""

    kind: str
    item: dict
    indicator: dict | None = None
    area: dict | None = None

    @property
    def id(self) -> str:
        return self.item["id"]


def walk(standard: dict, grade_limits: list) -> Iterator[Item]:
    """Every item of `standard` then the year's `grade_limits`, in the standard's order."""
    for area in standard["areas"]:
        for indicator in area["indicators"]:
            for item in indicator["deductions"]:
                yield Item(DEDUCTION, item, indicator, area)
    for bonus in standard["bonuses"]:
        yield Item(BONUS, bonus)
    for limit in grade_limits:
        yield Item(LIMIT, limit)


def walk_bundle(bundle: dict) -> Iterator[Item]:
    """`walk` over a normalized bundle (`{"standard": ..., "year": {"grade_limits": ...}}`)."""
    return walk(bundle["standard"], bundle["year"]["grade_limits"])


_INDEX: dict = {}


def index(bundle: dict) -> dict:
    """id -> Item of a published bundle, in the standard's order, walked once per bundle hash: a
    district's final results score thousands of assessments against the same three bundles."""
    # Keyed by the content hash and by the very objects (kept alive in the entry, so their ids are not
    # reused): a bundle whose parts are replaced under its old hash is walked afresh. Bundles are
    # published data, never edited in place once scored.
    key = (bundle.get("hash"), id(bundle["standard"]), id(bundle["year"]))
    if key not in _INDEX:
        if len(_INDEX) >= 64:
            _INDEX.clear()
        _INDEX[key] = (bundle["standard"], bundle["year"], {entry.id: entry for entry in walk_bundle(bundle)})
    return _INDEX[key][2]


def deduction_rule(item: dict) -> str:
    """'每次扣 0.5 分，最多扣 2 分' or '发生即扣 3 分'."""
    if item["per"] == "once":
        return f"发生即扣 {num(item['points'])} 分"
    cap = f"，最多扣 {num(item['cap'])} 分" if "cap" in item else ""
    return f"每次扣 {num(item['points'])} 分{cap}"


def bonus_rule(item: dict) -> str:
    """'每次加 1 分，最多加 3 分'."""
    cap = f"，最多加 {num(item['cap'])} 分" if "cap" in item else ""
    return f"每次加 {num(item['points'])} 分{cap}"


def limit_rule(limit: dict, grades: list) -> str:
    """'出现即等级最高为“一般”': the cap is named by the year's grade, never by its id."""
    cap = next(g for g in grades if g["id"] == limit["max_grade"])
    return f"出现即等级最高为“{cap['name']}”"


def rule_text(entry: Item, grades: list) -> str:
    """How the pages word the rule of one walked item."""
    if entry.kind == DEDUCTION:
        return deduction_rule(entry.item)
    if entry.kind == BONUS:
        return bonus_rule(entry.item)
    return limit_rule(entry.item, grades)
