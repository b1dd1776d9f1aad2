"""Check stamps (`scorer.stamps`): a workspace text the scorer checked is not checked again, and
anything else is.

Why: the office pages store only workspaces the scorer accepted, with the stamp `workspace_read` gave;
on the next open `workspace_stamp` vouches for the stored text by hashing it instead of re-checking
1000 organizations. The stamp must never let through a text it was not made for: another text, other
bundles (a revised standard or year settings), another version of the scorer, or a value that is not
a stamp at all.
"""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings, strategies as st

from scorer import browser, stamps, tree, yearfiles
from site_tests import year_gen

YEAR = tree.load("standards").year(2019)
BUNDLES = {sid: YEAR.bundle(sid) for sid in YEAR.standards}
BUNDLES_TEXT = json.dumps([b.to_json() for b in BUNDLES.values()], ensure_ascii=False)
TEXT = json.dumps(year_gen.workspace(BUNDLES, 6, random.Random(4), records_per_org=3), ensure_ascii=False)


@pytest.fixture
def checks(monkeypatch):
    """How many times a whole workspace is checked, from a cold scorer."""
    stamps.forget()
    seen = []
    real = yearfiles.check_workspace
    monkeypatch.setattr(yearfiles, "check_workspace", lambda *a, **k: seen.append(1) or real(*a, **k))
    yield seen
    stamps.forget()


def call(op, *args):
    return json.loads(getattr(browser, op)(*args))


def _stamp():
    reply = call("workspace_read", BUNDLES_TEXT, TEXT)
    assert reply["ok"], reply
    return reply["result"]["stamp"]


def test_a_stored_stamp_is_vouched_for_without_checking_and_the_results_are_the_same(checks):
    given_stamp = _stamp()
    want = call("results_view", BUNDLES_TEXT, TEXT)
    stamps.forget()  # a new page: nothing remembered, only the stamp stored with the text
    checks.clear()
    assert call("workspace_stamp", BUNDLES_TEXT, TEXT, json.dumps(given_stamp))["result"] == {"stamp": given_stamp, "vouched": True}
    assert call("results_view", BUNDLES_TEXT, TEXT) == want
    assert call("application_view", BUNDLES_TEXT, TEXT)["ok"]
    assert checks == []


def test_the_operations_on_one_text_check_it_once(checks):
    call("results_view", BUNDLES_TEXT, TEXT)
    call("workspace_results", BUNDLES_TEXT, TEXT)
    call("results_export", "csv", BUNDLES_TEXT, TEXT)
    assert checks == [1]


@pytest.mark.parametrize("what", ["another text", "other bundles", "another scorer", "not a stamp", "no stamp"])
def test_a_stamp_for_anything_else_is_not_vouched_for_and_the_text_is_checked_in_full(checks, what, monkeypatch):
    given_stamp, text, bundles = _stamp(), TEXT, BUNDLES_TEXT
    stamps.forget()
    checks.clear()
    if what == "another text":
        text = TEXT.replace('"roster": [', '"roster": [{"name": "另一个党组织"}, ', 1)
    elif what == "other bundles":
        other = json.loads(BUNDLES_TEXT)
        for bundle in other:  # a revised year setting the workspace does not depend on (a deadline)
            bundle["year"]["application"]["rectification"]["deadline_days"] += 1
        bundles = json.dumps(other, ensure_ascii=False)
    elif what == "another scorer":
        monkeypatch.setattr(stamps, "_code", "0" * 64)
    elif what == "not a stamp":
        given_stamp = given_stamp.upper()
    else:
        given_stamp = None
    reply = call("workspace_stamp", bundles, text, json.dumps(given_stamp))
    assert reply["ok"], reply
    assert reply["result"]["vouched"] is False and reply["result"]["stamp"] != given_stamp
    assert checks == [1]


def test_a_refused_text_with_a_stolen_stamp_is_refused_with_its_reasons(checks):
    given_stamp = _stamp()
    stamps.forget()
    hostile = TEXT.replace('"format": "gm-workspace/1"', '"format": "gm-workspace/1", "format": "gm-workspace/1"', 1)
    reply = call("workspace_stamp", BUNDLES_TEXT, hostile, json.dumps(given_stamp))
    assert reply["ok"] is False
    assert "重复" in reply["problems"][0]["message"] and reply["problems"][0]["source"] == "年度工作文件"
    assert call("results_view", BUNDLES_TEXT, hostile)["ok"] is False


def test_the_bundles_count_by_content_not_by_how_a_page_joined_their_files(checks):
    """office-review.mjs trims each bundle file before joining them; office-year.mjs does not."""
    given_stamp = _stamp()
    stamps.forget()
    checks.clear()
    joined = "[" + ",\n ".join(json.dumps(b, ensure_ascii=False) for b in reversed(json.loads(BUNDLES_TEXT))) + "]\n"
    assert call("workspace_stamp", joined, TEXT, json.dumps(given_stamp))["result"]["vouched"] is True
    assert checks == []


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.booleans(), st.text(max_size=80), st.lists(st.text(max_size=3), max_size=3)))
def test_any_value_given_as_a_stamp_is_answered_never_raised(value):
    stamps.forget()
    reply = call("workspace_stamp", BUNDLES_TEXT, TEXT, json.dumps(value))
    assert reply["ok"] and reply["result"]["vouched"] is False


def test_the_code_digest_covers_every_module_and_schema():
    """A changed module or schema changes the stamp (the digest reads them all, by path)."""
    from pathlib import Path

    root = Path(stamps.__file__).resolve().parent
    files = [p for p in root.rglob("*") if p.suffix in (".py", ".json") and "__pycache__" not in p.parts]
    assert any(p.name == "workspace.schema.json" for p in files) and any(p.name == "scoring.py" for p in files)
    before = stamps.stamp(BUNDLES_TEXT, TEXT)
    stamps._code = None
    assert stamps.code() and stamps.stamp(BUNDLES_TEXT, TEXT) == before  # deterministic


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_a_digest_remembered_by_equality_is_the_digest_of_that_very_text(texts):
    """`digest` answers a new string equal to a remembered one from memory: the answer must be that
    text's own SHA-256, and a different text (even of the same length) never gets another's."""
    import hashlib

    for text in texts + [t[::-1] for t in texts] + [("x" + t)[1:] for t in texts]:
        copy = "".join(list(text))  # equal, and (for most lengths) not the same object
        want = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        assert stamps.digest(text) == want and stamps.digest(copy) == want
