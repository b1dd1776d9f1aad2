"""numbers.dec/plain answer ints without a trip through str: the same values as before, for every int."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from scorer.numbers import dec, plain


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
