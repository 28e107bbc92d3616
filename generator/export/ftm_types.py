"""How a value is written for each FollowTheMoney property type.

A FollowTheMoney reader cleans every value it loads according to its property's type (names lose
surrounding quotes and doubled spaces, phone numbers become E.164, web addresses gain a scheme and
a path...). The export writes each value in that cleaned form already, so that a reader keeps it
exactly as published. What a validated record can hold is narrow (the validator refuses control
and invisible characters, and checks phone numbers, e-mail and web addresses: contact.py), so a
few plain rules cover it; ``tests/test_ftm.py`` compares them with the library's own cleaning on
the repository's records and on generated values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from generator.contact import canonical_email, canonical_phone, canonical_web_address

# FollowTheMoney's text cleaning turns these space-like characters into a plain space...
SPACE_LIKE = re.compile("[\u2000-\u200a\u2028\u2029\u0a00\u1680\u202f\u205f\u3000]")
# ... and deletes control characters (but tab, line feed and carriage return), zero-width and
# direction marks, the soft hyphen, the byte-order mark and lone surrogates.
DELETED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u061c\u2060-\u2064\u00ad\ufeff\ud800-\udfff]"
)
# Names are squashed further: zero-width characters go, every run of white space is one space.
NAME_DELETED = re.compile("[\u200b\u200c\u200d\ufeff\u00ad\u2060-\u2064]")
NAME_SPACES = re.compile("[\\s\u0a00]+")
QUOTED = re.compile(r"""["'](.*)["']""")
# Addresses: line breaks, tabs and semicolons separate parts with ", ".
ADDRESS_BREAKS = re.compile(r"\r\n|\n|<BR/>|<BR>|\t|ESQ\.,|ESQ,|;")
ADDRESS_COMMAS = re.compile(r",\s?[,.]")


def clean_text(text: str) -> str:
    """Every textual value: composed (NFC), unsafe characters replaced or deleted, trimmed."""
    text = unicodedata.normalize("NFC", text)
    return DELETED.sub("", SPACE_LIKE.sub(" ", text)).strip()


def clean_name(text: str) -> str:
    """A name: also without one pair of surrounding quotes, and with single spaces."""
    text = clean_text(text)
    quoted = QUOTED.fullmatch(text)
    if quoted:
        text = quoted.group(1)
    return NAME_SPACES.sub(" ", NAME_DELETED.sub("", text)).strip(" ")


def clean_address(text: str) -> str:
    """An address on one line, its parts separated by ", "."""
    text = ADDRESS_COMMAS.sub(", ", ADDRESS_BREAKS.sub(", ", clean_text(text)))
    return NAME_SPACES.sub(" ", NAME_DELETED.sub("", text)).strip(" ")


def _unchanged(text: str) -> str:
    return text


# FollowTheMoney type -> how a value of that type is written. Dates (ISO 8601, partial ones
# too), lower-case country codes, genders, topics and entity ids are produced in their final form.
CLEAN: dict[str, Callable[[str], str]] = {
    "name": clean_name,
    "string": clean_text,
    "text": clean_text,
    "identifier": clean_text,
    "address": clean_address,
    "phone": lambda text: canonical_phone(clean_text(text)),
    "email": lambda text: canonical_email(clean_text(text)),
    "url": lambda text: canonical_web_address(clean_text(text)),
    "date": _unchanged,
    "country": _unchanged,
    "gender": _unchanged,
    "topic": _unchanged,
    "entity": _unchanged,
}
