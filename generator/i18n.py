"""Interface languages: gettext catalogs (Babel ``.po`` files) and locale-aware formatting.

Interface strings are written in English in the templates and in this package; each other
language has ``generator/locale/<lang>/LC_MESSAGES/messages.po``, compiled in memory when a build
starts (no compiled ``.mo`` file is committed, so none can be stale).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

from generator.dates import PartialDate

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# Babel locale used to format dates and numbers for each site language.
FORMAT_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a string for extraction without translating it yet."""
    return message


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang``; English (the source language) needs none."""
    path = catalog_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def template_gettext(lang: str) -> Callable[..., Markup]:
    """``_()`` and ``gettext()`` for autoescaped templates, as Jinja's "newstyle" gettext does it.

    The translation is trusted markup and always a format string (``%%`` -> ``%``); variables
    are escaped as they are substituted. A plain function rather than Jinja's context function:
    templates call it dozens of times per page.
    """
    lookup = translations(lang).gettext

    @functools.cache
    def plain(message: str) -> Markup:
        return Markup(lookup(message)) % {}

    def gettext(message: str, /, **variables: Any) -> Markup:
        if not variables:
            return plain(message)
        return Markup(lookup(message)) % variables

    return gettext


def format_locale(lang: str) -> str:
    return FORMAT_LOCALES.get(lang, lang)


@functools.cache
def format_day(value: dt.date, lang: str) -> str:
    """``13 July 1979`` / ``13 juillet 1979``."""
    return format_date(value, "long", locale=format_locale(lang))


@functools.cache
def format_partial(value: PartialDate, lang: str) -> str:
    """A partial date as precise as it is known: ``1966``, ``July 1979``, ``13 July 1979``."""
    if value.month is None:
        return str(value.year)
    if value.day is None:
        return format_skeleton("yMMMM", value.earliest(), locale=format_locale(lang))
    return format_day(value.earliest(), lang)
