"""`browser.call_utf8`, the one way the worker and the Node runner call an operation (texts across
the JavaScript/Python boundary as UTF-8 bytes): the same answer as calling the operation with the
texts, Chinese and all; only REGISTRY's names; invalid UTF-8 is not taken for text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from scorer import browser
from site_tests.application_gen import BUNDLES, BUNDLES_JSON

BUNDLE = json.dumps(next(iter(BUNDLES.values())).to_json(), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_the_answer_in_bytes_is_the_operations_answer_for_any_text(text):
    assessment = json.dumps({"format": "gm-assessment/1", "organization": {"name": text}, "items": {}}, ensure_ascii=False)
    for name, args in (("score", [BUNDLE, assessment]), ("check", [BUNDLE, text]), ("read_files", ["json", text])):
        want = browser.REGISTRY[name].function(*args)
        got = browser.call_utf8(name, *(a.encode("utf-8", "surrogatepass") for a in args))
        assert got.decode("utf-8", "surrogatepass") == want


def test_a_deferred_operation_answers_the_same_through_bytes():
    want = browser.application_settings(BUNDLE)
    assert browser.call_utf8("application_settings", BUNDLE.encode()).decode() == want
    assert json.loads(browser.call_utf8("application_view", BUNDLES_JSON.encode(), b"null"))["ok"] is False


@pytest.mark.parametrize("name", ["call_utf8", "registry", "__import__", "_bundle", None, 3])
def test_only_the_registry_is_callable(name):
    with pytest.raises(ValueError):
        browser.call_utf8(name)


def test_bytes_that_are_not_utf8_are_not_taken_for_text():
    with pytest.raises(UnicodeDecodeError):
        browser.call_utf8("check", BUNDLE.encode(), b"\xff\xfe{}")
