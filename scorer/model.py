"""The typed model of what `standards/` holds: frozen classes the strict loader builds once.

Why: every module used to walk the standard's nested dicts by string keys, so a renamed key broke a
page silently. Here each record has named, typed attributes (`item.points` is a Decimal, `item.per`
is always there, a bonus counts per occurrence), and `to_json()` gives back exactly the dict the data
published before: the keys the source had, in the source's order, numbers as plain JSON numbers.
That is what keeps the published data byte-identical and the content hash unchanged.

The loader (`scorer.tree`, `scorer.measures`) validates the plain values first (schema, then the
invariants in `scorer.standards`), with the same messages and file:line as before; only valid values
become model objects. The browser's worker receives JSON: `scorer.browser` checks it the same way and
converts it here once per distinct text (`Bundle.of`). Standard library only (runs under Pyodide).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Mapping

from .errors import InvalidInput, Problem
from .numbers import dec, plain

DEDUCTION, BONUS, LIMIT = "deduction", "bonus", "limit"
PER_OCCURRENCE, PER_ONCE = "occurrence", "once"


class Node:
    """Conversion from and to the plain values of the data, shared by every record below.

    Subclasses name their nested records in `_nested` (field -> class; a list becomes a tuple) and
    their numbers in `_numbers` (read as Decimal, written with `numbers.plain`). `keys` remembers which
    keys the source had and in what order, so `to_json()` writes the same dict back; a record made in
    code (no `keys`) writes its fields in declaration order, leaving out absent optional ones and the
    ones in `_implied` (what the data leaves unsaid, such as a bonus's `per`).
    """

    __slots__ = ()
    _nested: dict = {}
    _numbers: tuple = ()
    _implied: tuple = ()
    _texts: tuple = ()  # free mappings of text kept as they are (no numbers in them)
    _always = False  # results: every field is written, None included (JSON null)

    @classmethod
    def from_json(cls, value: Mapping):
        """A record from plain values that already passed the schema (unknown keys are ignored)."""
        kwargs = {}
        for name in cls._names():
            if name in value:
                kwargs[name] = cls._read(name, value[name])
        return cls(**kwargs, keys=tuple(value))

    @classmethod
    def of(cls, value):
        """The one conversion at a public boundary: a record as is, or read from its (checked) plain
        dict, so callers that still hold the published JSON (the worker, other systems) keep working."""
        return value if isinstance(value, cls) else cls.from_json(value)

    @classmethod
    def _names(cls) -> tuple:
        names = cls.__dict__.get("_field_names")
        if names is None:
            names = tuple(f.name for f in fields(cls) if f.name != "keys")
            setattr(cls, "_field_names", names)
        return names

    @classmethod
    def _read(cls, name, value):
        kind = cls._nested.get(name)
        if name in cls._numbers:
            return dec(value)
        if kind is not None:
            return tuple(kind.from_json(v) for v in value) if isinstance(value, list) else kind.from_json(value)
        if isinstance(value, list):
            return tuple(value)
        if name in cls._texts:
            return value
        if isinstance(value, dict):  # a free mapping (reference weights), numbers as Decimal
            return {k: dec(v) for k, v in value.items()}
        return value

    def to_json(self) -> dict:
        """The plain, JSON-ready dict this record was read from (same keys, same order)."""
        if self._always:
            names = self._names()
        else:
            names = self.keys or tuple(n for n in self._names()
                                       if n not in self._implied and getattr(self, n) is not None)
        out = {}
        for name in names:
            value = getattr(self, name)
            out[name] = value if type(value) in _SCALARS else _plain(value)
        return out


_SCALARS = (str, int, float, bool, type(None))


def _plain(value):
    # Exact type tests, scalars first: this runs for every field of every result on each rescore.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple:
        return [_plain(v) for v in value]
    if kind is Decimal:
        return plain(value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    return value.to_json()  # a record


def derived(cache: dict, record, make):
    """`make(record)`, made once per record: what the pages and a district ask for again and again
    (a year's rules read into lookups, per organization of 1000) is derived from a frozen record
    once. The entry keeps the record alive, so its id is not reused; at most 64 entries."""
    cached = cache.get(id(record))
    if cached is None or cached[0] is not record:
        if len(cache) >= 64:
            cache.clear()
        cached = cache[id(record)] = (record, make(record))
    return cached[1]


_PARTS: dict = {}  # part name -> `derived` cache


def year_part(year, part: str, name: str, purpose: str, make):
    """`make(year.<part>)`, once per record (`derived`), or InvalidInput when year.yaml leaves the
    part out: "<year> 年度未设置<name>（year.yaml 中的 <part>），无法<purpose>". The evaluation's rules
    (`yearfiles.settings`) and the results application's (`application.settings`) are optional parts
    of a year read the same way; one function keeps the refusal's wording and the caching one."""
    rules = getattr(year, part)
    if rules is None:
        raise InvalidInput([Problem("年度设置", (part,), f"{year.year} 年度未设置{name}（year.yaml 中的 {part}），无法{purpose}")])
    return derived(_PARTS.setdefault(part, {}), rules, make)


_KEYS = field(default=(), compare=False, repr=False)
_record = dataclass(frozen=True, slots=True)


# ------------------------------------------------------------------ the Measures (measures.yaml)

@_record
class Document(Node):
    title: str
    short_title: str
    issuer: str
    year: int
    status: str
    chapter_count: int
    article_count: int
    article_titles: str
    notice: str
    keys: tuple = _KEYS


@_record
class Source(Node):
    id: str
    kind: str
    title: str
    note: str | None = None
    keys: tuple = _KEYS


@_record
class Passage(Node):
    source: str
    text: str
    keys: tuple = _KEYS


@_record
class Article(Node):
    id: str
    number: int
    title: str
    text_status: str
    passages: tuple = ()
    editor_note: str | None = None
    keys: tuple = _KEYS
    _nested = {"passages": Passage}


@_record
class Chapter(Node):
    id: str
    number: int
    title: str
    article_count: int
    articles: tuple
    summary: str | None = None
    keys: tuple = _KEYS
    _nested = {"articles": Article}


@_record
class Measures(Node):
    document: Document
    sources: tuple
    chapters: tuple
    keys: tuple = _KEYS
    _nested = {"document": Document, "sources": Source, "chapters": Chapter}

    def articles(self):
        """Every article in order, each with its chapter."""
        return [(chapter, article) for chapter in self.chapters for article in chapter.articles]


# ------------------------------------------------------------------ a year's settings (YEAR/year.yaml)

@_record
class Application(Node):
    """How a grade's result is applied, to the organization, its principal and its members."""

    organization: str
    principal: str
    members: str
    keys: tuple = _KEYS


@_record
class Grade(Node):
    id: str
    name: str
    min: Decimal
    meaning: str
    application: Application
    keys: tuple = _KEYS
    _nested = {"application": Application}
    _numbers = ("min",)


@_record
class GradeLimit(Node):
    """A situation that caps the grade whatever the score (出现即等级最高为…)."""

    id: str
    text: str
    max_grade: str
    keys: tuple = _KEYS
    kind = LIMIT


# ------------------------------------------------------------------ the year-end evaluation (year.yaml `evaluation`, #15)

@_record
class EvaluationSource(Node):
    """Where a supervision record comes from (日常监督, 审计...): the pages' choices."""

    id: str
    name: str
    keys: tuple = _KEYS


@_record
class Level(Node):
    """A qualitative judgement level: its score when weighted, the grade it caps at when limiting."""

    id: str
    name: str
    score: Decimal
    max_grade: str
    keys: tuple = _KEYS
    _numbers = ("score",)


@_record
class Qualitative(Node):
    mode: str  # display | limit | weight
    levels: tuple
    weight: Decimal | None = None
    keys: tuple = _KEYS
    _nested = {"levels": Level}
    _numbers = ("weight",)


@_record
class RelatedLimit(Node):
    """Below `below` points, the grade is at most `max_grade`."""

    below: Decimal
    max_grade: str
    keys: tuple = _KEYS
    _numbers = ("below",)


@_record
class Related(Node):
    """A related evaluation's result (党风廉政建设主体责任考核...) and how it enters the final grade."""

    name: str
    mode: str  # display | limit | weight
    weight: Decimal | None = None
    limits: tuple | None = None
    keys: tuple = _KEYS
    _nested = {"limits": RelatedLimit}
    _numbers = ("weight",)


@_record
class Evaluation(Node):
    """A year's evaluation rules. They decide final results, not how a self-assessment scores: the
    bundle's hash leaves them out (`standards.scoring_hash`); a review binds to them by `rules_hash`."""

    values: str  # sample | official
    sources: tuple
    qualitative: Qualitative
    related: tuple
    not_reviewed: str
    keys: tuple = _KEYS
    _nested = {"sources": EvaluationSource, "qualitative": Qualitative, "related": Related}


# ------------------------------------------------------------------ the results application (year.yaml `application`, #16)

@_record
class Responsibility(Node):
    """A kind of responsibility a person can bear (集体责任, 主要领导责任...)."""

    id: str
    name: str
    group: str  # collective | personal | leadership
    description: str | None = None
    keys: tuple = _KEYS


@_record
class ToleranceSituation(Node):
    """One of the year's 容错情形; `to-fill` while it is a placeholder for the official text."""

    id: str
    name: str
    text: str
    status: str  # to-fill | filled
    keys: tuple = _KEYS

    @property
    def placeholder(self) -> bool:
        return self.status == "to-fill"


@_record
class Tolerance(Node):
    official: bool
    note: str
    situations: tuple
    proposal: str
    keys: tuple = _KEYS
    _nested = {"situations": ToleranceSituation}


@_record
class Clarification(Node):
    proposal: str
    keys: tuple = _KEYS


@_record
class RectificationRules(Node):
    deadline_days: int
    grace_days: int
    keys: tuple = _KEYS


@_record
class ResultsApplication(Node):
    """A year's results application settings. They come after the final result, so the bundle's hash
    leaves them out (`standards.scoring_hash`); a decision binds to the result it decided on."""

    values: str  # sample | official
    responsibilities: tuple
    proposals: Mapping  # responsibility id -> grade id -> wording
    tolerance: Tolerance
    clarification: Clarification
    rectification: RectificationRules
    keys: tuple = _KEYS
    _nested = {"responsibilities": Responsibility, "tolerance": Tolerance, "clarification": Clarification,
               "rectification": RectificationRules}
    _texts = ("proposals",)


@_record
class Year(Node):
    year: int
    status: str
    values: str
    bonus_cap: Decimal
    grades: tuple
    grade_limits: tuple
    changes: tuple
    reference_weights: Mapping | None = None
    evaluation: Evaluation | None = None
    application: ResultsApplication | None = None
    keys: tuple = _KEYS
    _nested = {"grades": Grade, "grade_limits": GradeLimit, "evaluation": Evaluation,
               "application": ResultsApplication}
    _numbers = ("bonus_cap",)

    @property
    def published(self) -> bool:
        return self.status == "published"

    def grade(self, grade_id: str) -> Grade:
        return next(g for g in self.grades if g.id == grade_id)


# ------------------------------------------------------------------ a standard (YEAR/<id>.yaml)

@_record
class Item(Node):
    """An answerable item with its rule: `points` per occurrence (`per` occurrence, up to `cap`) or
    once (`per` once)."""

    id: str
    text: str
    points: Decimal
    per: str = PER_OCCURRENCE
    cap: Decimal | None = None
    keys: tuple = _KEYS
    _numbers = ("points", "cap")


@_record
class Deduction(Item):
    kind = DEDUCTION


@_record
class Bonus(Item):
    """A bonus always counts per occurrence: the data does not say `per`, and never writes it."""

    kind = BONUS
    _implied = ("per",)


@_record
class Indicator(Node):
    id: str
    title: str
    content: str
    points: Decimal
    method: str
    basis: tuple
    deductions: tuple
    replaces: tuple | None = None
    keys: tuple = _KEYS
    _nested = {"deductions": Deduction}
    _numbers = ("points",)


@_record
class Area(Node):
    id: str
    name: str
    points: Decimal
    indicators: tuple
    keys: tuple = _KEYS
    _nested = {"indicators": Indicator}
    _numbers = ("points",)


@_record
class Standard(Node):
    id: str
    title: str
    short_title: str
    status: str
    applies_to: tuple
    organization_kinds: tuple
    emphasis: str
    base_score: Decimal
    areas: tuple
    bonuses: tuple
    keys: tuple = _KEYS
    _nested = {"areas": Area, "bonuses": Bonus}
    _numbers = ("base_score",)

    def indicators(self):
        """Every indicator with its area, in order."""
        return [(area, indicator) for area in self.areas for indicator in area.indicators]


@_record
class Bundle(Node):
    """One standard of one year with the year's settings and their content hash: what is scored."""

    format: str
    year: Year
    standard: Standard
    hash: str
    keys: tuple = _KEYS
    _nested = {"year": Year, "standard": Standard}


# ------------------------------------------------------------------ what the scorer returns (scoring.score)
# Figures are kept as the JSON numbers they are shown as (`numbers.plain`, made where they are
# computed): `to_json()` of a result is then a plain copy, cheap enough for every rescore in the page.


@_record
class ItemScore(Node):
    """One answered deduction or bonus: how often, at how much, the amount after its own cap."""

    id: str
    text: str
    count: int
    points: int | float
    per: str
    amount: int | float
    capped: bool
    keys: tuple = _KEYS
    _always = True


@_record
class IndicatorScore(Node):
    id: str
    title: str
    points: int | float
    deducted: int | float
    score: int | float
    floored: bool  # the deductions exceeded the indicator's points (扣完为止)
    items: tuple
    keys: tuple = _KEYS
    _nested = {"items": ItemScore}
    _always = True


@_record
class AreaScore(Node):
    id: str
    name: str
    points: int | float
    deducted: int | float
    score: int | float
    indicators: tuple
    keys: tuple = _KEYS
    _nested = {"indicators": IndicatorScore}
    _always = True


@_record
class GradeResult(Node):
    """The grade given, in words only (its band's lower bound is the receipt's business)."""

    id: str
    name: str
    meaning: str
    application: Application
    keys: tuple = _KEYS
    _nested = {"application": Application}
    _always = True


@_record
class CapHit(Node):
    id: str
    kind: str  # item | indicator | year
    keys: tuple = _KEYS
    _always = True


@_record
class Excluded(Node):
    """An occurrence declared but not counted: dated outside the year, or not dated at all."""

    id: str
    index: int
    date: str | None
    count: int
    reason: str
    keys: tuple = _KEYS
    _always = True


@_record
class DeclaredOccurrence(Node):
    date: str
    count: int
    note: str
    evidence: tuple
    counted: bool
    reason: str
    keys: tuple = _KEYS
    _always = True


@_record
class Declared(Node):
    """Every occurrence declared under one item, counted or not: what the signed report lists."""

    id: str
    kind: str
    kind_name: str
    text: str
    occurrences: tuple
    keys: tuple = _KEYS
    _nested = {"occurrences": DeclaredOccurrence}
    _always = True


@_record
class ScoreResult(Node):
    """One assessment scored: the figures, the grade, and the receipt that shows every step."""

    standard: str
    year: int
    standard_hash: str
    organization: str
    base: int | float
    deducted: int | float
    bonus: int | float
    total: int | float
    areas: tuple
    bonuses: tuple
    grade: GradeResult
    grade_by_score: str
    limits_applied: tuple
    caps_hit: tuple
    receipt: tuple
    excluded: tuple
    notes: tuple
    declared: tuple
    keys: tuple = _KEYS
    _nested = {"areas": AreaScore, "bonuses": ItemScore, "grade": GradeResult, "caps_hit": CapHit,
               "excluded": Excluded, "declared": Declared}
    _always = True
