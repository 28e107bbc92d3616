"""ISO 3166-1 alpha-2 country codes: which exist (pycountry) and their names per locale (Babel)."""

from __future__ import annotations

import functools

import pycountry
from babel import Locale

CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)


def is_country(code: str) -> bool:
    return code in CODES


@functools.cache
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


def country_name(code: str, lang: str) -> str:
    """``SY`` -> ``Syria`` in English, ``Syrie`` in French."""
    name = _territories(lang).get(code)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code
