"""Phone numbers, e-mail addresses and web addresses: what a record may hold, and one canonical
form of each.

The validator calls the ``*_problem`` functions (a message when the text is not acceptable);
the FollowTheMoney export publishes the ``canonical_*`` forms. The rules are those a
FollowTheMoney reader applies when it cleans a value, so that nothing this module accepts is
dropped or changed by one: ``tests/test_ftm.py`` checks that with the library, value by value.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import ParseResult, urlparse

# --- phone numbers -----------------------------------------------------------------------------

# As printed: digits grouped by spaces, dashes, dots, slashes or brackets, after a "+" and the
# country code. E.164 allows 15 digits in all; no country's numbers are shorter than 7 with
# their country code.
PHONE_CHARACTERS = re.compile(r"[0-9+ ().\-/]+")
PHONE_DIGITS = (7, 15)
# "+44 (0) 20 ...": the trunk prefix a caller from abroad leaves out; kept, it would change the
# number.
TRUNK_PREFIX = re.compile(r"\(\s*0\s*\)")


def phone_problem(text: str) -> str | None:
    """Why ``text`` is not a phone number in international form, or None when it is one."""
    digits = sum(character.isdigit() for character in text)
    if not PHONE_CHARACTERS.fullmatch(text):
        return f"'{text}' is not a phone number: only digits, spaces and + ( ) . - / may appear"
    if text.count("+") != 1 or not text.lstrip("( ").startswith("+"):
        return f"'{text}' is not in international form: it must start with + and the country code"
    if TRUNK_PREFIX.search(text):
        return f"'{text}' holds a trunk prefix (0) that callers from abroad leave out"
    if not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        low, high = PHONE_DIGITS
        return f"'{text}' has {digits} digits; a phone number has {low} to {high}"
    return None


def canonical_phone(text: str) -> str:
    """E.164: ``(+963) 11-2210758`` -> ``+963112210758``."""
    return "+" + "".join(character for character in text if character.isdigit())


# --- e-mail addresses --------------------------------------------------------------------------

# The part before "@": up to 64 characters, none of those that delimit addresses in mail headers.
MAIL_LOCAL = re.compile(r'[^<>()\[\],;:?\s@"]{1,64}')
# A domain in ASCII letters, digits and single hyphens inside labels, ending in a top-level domain
# of letters. Internationalised domains (xn--, or in another script) are not accepted: their
# readings differ between IDNA versions.
MAIL_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9]|-(?!-)){0,62}(?<!-)", re.I)
MAIL_TLD = re.compile(r"[a-z]{2,63}", re.I)


def email_problem(text: str) -> str | None:
    """Why ``text`` is not an e-mail address, or None when it is one."""
    local, at, domain = text.rpartition("@")
    if not at or not MAIL_LOCAL.fullmatch(local):
        return f"'{text}' is not an e-mail address"
    if not domain:
        return f"'{text}' is not an e-mail address: it has no domain after @"
    labels = domain.split(".")
    if (
        len(labels) < 2
        or len(domain) > 253
        or not all(MAIL_LABEL.fullmatch(label) for label in labels)
        or not MAIL_TLD.fullmatch(labels[-1])
    ):
        return f"'{text}' is not an e-mail address: '{domain}' is not a domain name in ASCII"
    return None


def canonical_email(text: str) -> str:
    """Domain names are case-insensitive: written in lower case."""
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


# --- web addresses -----------------------------------------------------------------------------

WEB_SCHEMES = ("http", "https")
# A label of a host name, in any script; it must hold a letter or a digit.
HOST_LABEL = re.compile(r"[\w-]{1,63}")
HOST_ALNUM = re.compile(r"[^\W_]")
SPACE = re.compile(r"\s")  # what str.isspace() calls a space, anywhere
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def web_address_problem(text: str, scheme_required: bool = True) -> str | None:
    """Why ``text`` is not a web address, or None when it is one.

    ``scheme_required=False`` also accepts an address printed without ``http://``, as official
    lists print websites (``www.example.com``).
    """
    parsed = _parse(text, scheme_required)
    if parsed is None or not _host_ok(parsed):
        return f"'{text}' is not a web address"
    return None


def canonical_web_address(text: str) -> str:
    """The scheme in lower case (``http`` when none is written) and at least ``/`` as path:
    ``www.example.com`` -> ``http://www.example.com/``."""
    parsed = _parse(text, scheme_required=False)
    if parsed is None:
        raise ValueError(f"not a web address: {text!r}")
    return parsed._replace(path=parsed.path.strip() or "/").geturl()


def _parse(text: str, scheme_required: bool) -> ParseResult | None:
    if SPACE.search(text):
        return None
    written = SCHEME.match(text)
    if written:
        scheme = written.group(1).lower()
        return urlparse(text)._replace(scheme=scheme) if scheme in WEB_SCHEMES else None
    host = text.partition("/")[0]
    if scheme_required or ":" in host or "." not in host:  # www.example.com, not "localhost"
        return None
    return urlparse("//" + text)._replace(scheme="http")


def _host_ok(parsed: ParseResult) -> bool:
    try:
        host = parsed.hostname
        _port = parsed.port  # raises for a port that is not a number up to 65535
    except ValueError:
        return False
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.rstrip(".").split(".")
        if not all(HOST_LABEL.fullmatch(label) and HOST_ALNUM.search(label) for label in labels):
            return False
        # No top-level domain is one character long or made of digits ("3.4", "N.A.").
        return len(labels) == 1 or (len(labels[-1]) >= 2 and not labels[-1].isdigit())
    return True
