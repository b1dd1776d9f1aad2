"""Decimal helpers: every score is exact, and every number is shown the same way everywhere."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)


def dec(value) -> Decimal:
    """A Decimal from an int, a Decimal or a JSON-parsed number, never through a float's binary value."""
    kind = type(value)
    if kind is Decimal:
        return value
    if kind is int:  # exact either way; scoring converts some 180 points per assessment (a district: 360 000)
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    return Decimal(str(value))


def fmt(value) -> str:
    """One decimal place at least (2 -> "2.0", 0.25 -> "0.25"): how the receipts and pages print points."""
    value = dec(value)
    if value == value.to_integral_value():
        return f"{value:.1f}"
    return format(value.normalize(), "f")


def plain(value):
    """JSON-ready form of a Decimal: an int when whole, else a float whose repr is the same digits."""
    if type(value) is int:
        return value
    if type(value) is Decimal and value.is_finite():  # the usual case, without rounding a copy to compare
        whole = int(value)
        return whole if whole == value else float(value)
    value = dec(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_default(value):
    """`json.dumps(..., default=json_default)`: a Decimal written as `to_json` writes it. Why: the encoder
    calls this only for the Decimals it meets, where walking a whole value first to replace them (a
    district answer, 1000 decisions' results to hash) cost as much as the encoding."""
    if isinstance(value, Decimal):
        return plain(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_json(value):
    """Recursively replace Decimals with JSON numbers."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def num(value) -> str:
    """A number as people write it (20, 0.5, 2.25; never "20.0"): the pages' points and the receipts'
    arithmetic in words alike."""
    value = dec(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
