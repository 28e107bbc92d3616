"""Check digits of identifiers the validator can verify: Russian INN and OGRN.

FollowTheMoney drops such a number when its check digit is wrong, so the validator reports it
first (the coordinator then records the number as printed, as ``type: other`` with a note).
"""

from __future__ import annotations

from collections.abc import Callable


def inn_ok(number: str) -> bool:
    """The check digits of a Russian taxpayer number (INN, 10 or 12 digits)."""
    digits = [int(c) for c in number] if number.isdigit() else []
    weights = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    if len(digits) == 10:
        return sum(w * d for w, d in zip(weights[2:], digits, strict=False)) % 11 % 10 == digits[9]
    if len(digits) == 12:
        tenth = sum(w * d for w, d in zip(weights[1:], digits, strict=False)) % 11 % 10
        eleventh = sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10
        return tenth == digits[10] and eleventh == digits[11]
    return False


def ogrn_ok(number: str) -> bool:
    """The check digit of a Russian state registration number (OGRN 13, OGRNIP 15 digits)."""
    if not number.isdigit() or len(number) not in (13, 15):
        return False
    modulus = 11 if len(number) == 13 else 13
    return int(number[:-1]) % modulus % 10 == int(number[-1])


CHECKS: dict[str, Callable[[str], bool]] = {"inn": inn_ok, "ogrn": ogrn_ok}
