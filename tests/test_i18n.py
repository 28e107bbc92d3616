"""The French catalog is complete and current; dates are formatted per language."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from generator.dates import PartialDate
from generator.i18n import catalog_path, format_day, format_partial, translations
from tests.conftest import REPO

METHODS = [
    ("generator/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.xml", "jinja2"),
]
JINJA = {"trim_blocks": "true", "lstrip_blocks": "true"}
OPTIONS = {"templates/**.html": JINJA, "templates/**.xml": JINJA}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "translate": (2,)}


def extracted_messages() -> set[str]:
    found = extract_from_dir(
        REPO, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS, comment_tags=()
    )
    messages = set()
    for _filename, _lineno, message, _comments, _context in found:
        if isinstance(message, str):
            messages.add(message)
        else:  # (singular, plural) or a keyword call with a non-text first argument
            messages.update(part for part in message if part)
    return messages


def french_catalog() -> dict[str, str]:
    with catalog_path("fr").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    entries = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):  # a plural: every form must be translated
            forms = tuple(message.string)
            entries[message.id[0]] = forms[0] if all(forms) else ""
            entries[message.id[1]] = forms[-1] if all(forms) else ""
        else:
            entries[message.id] = str(message.string)
    return entries


def test_every_interface_string_has_a_french_translation() -> None:
    catalog = french_catalog()
    untranslated = sorted(m for m in extracted_messages() if not catalog.get(m))
    assert untranslated == [], "run `make catalog` and translate these"


def test_the_catalog_has_no_obsolete_strings() -> None:
    obsolete = sorted(set(french_catalog()) - extracted_messages())
    assert obsolete == [], "run `make catalog` to drop these"


def test_translations_keep_their_placeholders() -> None:
    for message, translation in french_catalog().items():
        for placeholder in ("%(count)s", "%(date)s", "%(name)s", "%(authority)s", "%(year)s"):
            assert (placeholder in message) == (placeholder in translation), message


def test_catalog_is_compiled_in_memory() -> None:
    assert translations("fr").gettext("Sanctions list") == "Liste des sanctions"
    assert translations("en").gettext("Sanctions list") == "Sanctions list"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (PartialDate(1966), "en", "1966"),
        (PartialDate(1979, 7), "en", "July 1979"),
        (PartialDate(1979, 7), "fr", "juillet 1979"),
        (PartialDate(1979, 7, 13), "en", "13 July 1979"),
        (PartialDate(1979, 7, 13), "fr", "13 juillet 1979"),
    ],
)
def test_partial_dates_are_shown_as_precisely_as_known(
    value: PartialDate, lang: str, expected: str
) -> None:
    assert format_partial(value, lang) == expected


def test_full_dates_per_language() -> None:
    assert format_day(dt.date(2018, 1, 23), "en") == "23 January 2018"
    assert format_day(dt.date(2018, 1, 23), "fr") == "23 janvier 2018"


def test_french_typography() -> None:
    """Curly apostrophes, and a non-breaking space before : ; ! ? as French requires."""
    for message, translation in french_catalog().items():
        assert "'" not in translation, message
        for mark in ":;!?":
            assert f" {mark}" not in translation, message
