"""Standards that validate must be able to mean what they say, tested over classes of inputs.

- Every `pattern` of every schema is matched as JSON Schema (ECMA-262) does: a value is accepted
  exactly when the whole of it matches (Python's `$` also matched before a final newline, so an id
  'POL-01\\n' was valid).
- The number checks agree with the scorer itself: a standard is refused for a one-off deduction or a
  cap above its indicator, a bonus above the year's cap, or a top grade out of reach exactly when
  scoring shows the rule could never apply as written.
"""

import json
import os
import re
from decimal import Decimal
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import assessment, model, standards, tree
from scorer.errors import Collector
from scorer.schema import validate
from scorer.scoring import score

FIXTURE_TREE = os.path.join(os.path.dirname(__file__), "fixtures", "tree")


def schema_patterns() -> list:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for entry in resources.files("scorer").joinpath("schemas").iterdir():
        if entry.name.endswith(".schema.json"):
            walk(json.loads(entry.read_text("utf-8")))
    return sorted(set(found))


PATTERNS = schema_patterns()


@st.composite
def pattern_and_text(draw):
    pattern = draw(st.sampled_from(PATTERNS))
    matching = st.from_regex(pattern)
    text = draw(st.one_of(matching, matching.map(lambda s: s + "\n"), matching.map(lambda s: s.rstrip("\n") + "\n"),
                          matching.map(lambda s: "\n" + s), st.text(max_size=12)))
    return pattern, text


@settings(max_examples=500, deadline=None)
@given(pattern_and_text())
def test_a_pattern_accepts_exactly_the_full_matches(case):
    pattern, text = case
    problems = []
    validate(text, {"type": "string", "pattern": pattern}, lambda path, message: problems.append(message))
    assert (not problems) == bool(re.fullmatch(pattern, text)), (pattern, text, problems)


def test_the_patterns_are_found():
    assert "^[A-Z]{3}-[0-9]{2,3}$" in PATTERNS and len(PATTERNS) >= 8


LOADED = tree.load(FIXTURE_TREE)
YEAR = LOADED.years[2019]
ARTICLES = {a.id: a.title for c, a in LOADED.measures.articles()}
SUBJECTS = {a.id for c, a in LOADED.measures.articles() if c.number == 2}


def halves(low, high):
    """Multiples of 0.5 from `low` to `high`."""
    return st.integers(min_value=int(Decimal(low) * 2), max_value=int(Decimal(high) * 2)).map(lambda n: Decimal(n) / 2)


@st.composite
def variants(draw):
    """The fixture's dept standard and year with the numbers the four rules are about drawn anew."""
    standard, year = YEAR.standards["dept"].to_json(), YEAR.settings.to_json()  # plain values to vary
    political = standard["areas"][0]["indicators"]
    pol01b, pol02a = political[0]["deductions"][1], political[1]["deductions"][0]
    assert pol01b["id"] == "POL-01b" and pol02a["id"] == "POL-02a" and pol02a["per"] == "once"
    pol02a["points"] = draw(halves("0.5", 6))
    pol01b["cap"] = draw(halves(pol01b["points"], 25))
    bon01, bon02 = standard["bonuses"]
    bon01["points"] = draw(halves("0.5", 8))
    bon01["cap"] = draw(halves(bon01["points"], 10))
    bon02["points"] = draw(halves("0.5", 8))
    if draw(st.booleans()):
        bon02["cap"] = draw(halves(bon02["points"], 10))
    year["bonus_cap"] = draw(halves(0, 8))
    year["grades"][0]["min"] = draw(st.integers(min_value=81, max_value=115).map(Decimal))
    return standard, year


def refused(standard, year) -> set:
    """Which of the four rules the checks report, as (rule, item id); any other problem fails the test."""
    collector = Collector("x.yaml")
    standards.check_standard(standard, collector, ARTICLES, SUBJECTS, year)
    year_collector = Collector("year.yaml")
    standards.check_grades_reachable(year, {"dept": standard}, year_collector)
    kinds = set()
    for problem in collector.problems + year_collector.problems:
        item = standard
        for step in problem.path[:-1]:  # the item the problem is located at
            item = item[step] if problem.source == "x.yaml" else item
        if problem.message.startswith("per 为 once 的扣分项扣"):
            kinds.add(("once", item["id"]))
        elif "超过所属指标" in problem.message:
            kinds.add(("cap", item["id"]))
        elif problem.message.startswith("奖励项"):
            kinds.add(("bonus", item["id"]))
        elif problem.message.startswith("最高等级"):
            kinds.add(("top", ""))
        else:
            raise AssertionError(f"unexpected problem: {problem}")
    return kinds


def amounts(bundle, answers: dict) -> dict:
    """Every answered item's amount (item caps applied, before the indicator's floor) and the total."""
    value = assessment.empty(bundle, "性质测试")
    value["items"] = {i: [{"date": f"{bundle['year']['year']}-03-01", "count": n}] for i, n in answers.items()}
    result = score(bundle, value)
    found = {e["id"]: Decimal(str(e["amount"])) for a in result["areas"] for i in a["indicators"] for e in i["items"]}
    found.update({e["id"]: Decimal(str(e["amount"])) for e in result["bonuses"]})
    return found, Decimal(str(result["total"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_refused_exactly_when_scoring_shows_the_rule_cannot_hold(case):
    standard, year = case
    bundle = standards.bundle(model.Year.from_json(year), model.Standard.from_json(standard)).to_json()
    indicator_points = {i["id"]: Decimal(str(i["points"])) for a in standard["areas"] for i in a["indicators"]}
    expected = set()
    once, _ = amounts(bundle, {"POL-02a": 1})
    if once["POL-02a"] > indicator_points["POL-02"]:
        expected.add(("once", "POL-02a"))
    capped, _ = amounts(bundle, {"POL-01b": 1000})
    if capped["POL-01b"] > indicator_points["POL-01"]:
        expected.add(("cap", "POL-01b"))
    cap = Decimal(str(year["bonus_cap"]))
    for bonus in standard["bonuses"]:
        single, _ = amounts(bundle, {bonus["id"]: 1})
        most, _ = amounts(bundle, {bonus["id"]: 1000})
        # an uncapped item may add up past the year's cap (the cap is there for that); one occurrence,
        # or the item's own cap, above the year's cap can never be granted as written
        if single[bonus["id"]] > cap or ("cap" in bonus and most[bonus["id"]] > cap):
            expected.add(("bonus", bonus["id"]))
    _, best = amounts(bundle, {b["id"]: 1000 for b in standard["bonuses"]})
    if best < Decimal(str(year["grades"][0]["min"])):
        expected.add(("top", ""))
    assert refused(standard, year) == expected
