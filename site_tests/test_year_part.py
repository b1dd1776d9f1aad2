"""A year's optional settings parts (`evaluation`, `application`) are asked for one way
(`model.year_part`): the same refusal wording naming the part of year.yaml, made once per record."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from scorer import application, model, tree, yearfiles
from scorer.errors import InvalidInput

READERS = [  # the part of year.yaml, its reader, and the refusal's wording
    ("evaluation", yearfiles.settings, "2019 年度未设置年终评议规则（year.yaml 中的 evaluation），无法评议"),
    ("application", application.settings, "2019 年度未设置结果运用规则（year.yaml 中的 application），无法提出运用建议"),
]


@pytest.fixture(scope="module")
def year():
    return tree.load("standards").current.bundle("dept").year


@pytest.mark.parametrize("part, read, message", READERS)
def test_a_year_without_the_part_is_refused_naming_it(year, part, read, message):
    with pytest.raises(InvalidInput) as refused:
        read(dataclasses.replace(year, **{part: None}))
    [problem] = refused.value.problems
    assert (problem.source, problem.path, problem.message) == ("年度设置", (part,), message)


@pytest.mark.parametrize("part, read, message", READERS)
def test_the_lookups_are_made_once_per_record_and_anew_for_another(year, part, read, message):
    first = read(year)
    assert read(year) is first
    assert read(dataclasses.replace(year)) is first  # the same part record: the same lookups
    copy = dataclasses.replace(getattr(year, part))
    other = read(dataclasses.replace(year, **{part: copy}))
    assert other is not first and other == first


def test_both_readers_go_through_the_one_function(year, monkeypatch):
    asked = []
    monkeypatch.setattr(yearfiles, "year_part", lambda y, part, *rest: asked.append(part))
    monkeypatch.setattr(application, "year_part", lambda y, part, *rest: asked.append(part))
    yearfiles.settings(year)
    application.settings(year)
    assert asked == ["evaluation", "application"]


@pytest.mark.parametrize("module", ["scorer.model", "scorer.yearfiles", "scorer.application"])
def test_the_modules_sharing_it_import_on_their_own(module):
    """The shared function closes no import cycle: each module first, in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
