"""numbers.dec/plain answer ints without a trip through str: the same values as before, for every int."""

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from scorer.numbers import dec, json_default, plain, to_json


@given(st.integers(-10 ** 30, 10 ** 30))
def test_ints_are_the_same_decimal_and_stay_ints(n):
    assert dec(n) == Decimal(str(n)) and type(dec(n)) is Decimal and str(dec(n)) == str(Decimal(str(n)))
    assert plain(n) == n and type(plain(n)) is int


@given(st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000),
                 st.decimals(allow_nan=False, allow_infinity=False)))
def test_decimals_unchanged(d):
    assert dec(d) is d
    want = int(d) if d == d.to_integral_value() else float(d)
    assert plain(d) == want and type(plain(d)) is type(want)


def test_booleans_are_still_refused():
    with pytest.raises(TypeError):
        dec(True)
    with pytest.raises(TypeError):
        plain(False)


_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
              st.decimals(allow_nan=False, allow_infinity=False, places=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=4), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_encoding_with_json_default_writes_what_to_json_then_encoding_writes(value):
    """Answers and content hashes are written with `default=json_default` instead of walking the value
    with `to_json` first: the text (and so every hash bound to it) must be the same."""
    for sort in (False, True):
        want = json.dumps(to_json(value), ensure_ascii=False, sort_keys=sort, separators=(",", ":"))
        assert json.dumps(value, ensure_ascii=False, sort_keys=sort, separators=(",", ":"), default=json_default) == want
