"""Names as official lists print them -> names as our records write them.

Lists print surnames or whole names in capitals (``Tariq YASMINA``, ``KATRANGI, Amir``,
``ELECTRONICS KATRANGI TRADING``); records use normal capitalisation. Words already in mixed
case are kept as printed, so ``GosNIIOKhT`` survives. The language of a name in another script
is set only when the script says it (Hangul is Korean) or, for Cyrillic, when nothing in the
record points to a language other than Russian.
"""

from __future__ import annotations

import re

from generator.importers.draft import words
from generator.names import detect_script

# Words written in lower case inside the name of an organisation (never as its first word).
SMALL_WORDS = frozenset(
    words("a an and at by de del des du et for in la le les of on the to ve with y")
)
# Short words of organisation names that are words, not acronyms (not worth a notice).
COMMON_WORDS = frozenset(
    words(
        "abu air al ali all bin car day dom el en gas lab los new oil one pro red rio san sea"
        " sky sun top"
    )
)
# Legal forms and similar abbreviations in organisation names, as usually written.
LEGAL_FORMS = {
    word.upper(): word
    for word in words(
        "AD AG AO Bhd BV CJSC Co Corp DMCC DOO EAD EOOD FZC FZCO FZE GmbH Inc JSC LLC LLP Ltd"
        " NPO NV OAO OJSC OOD OOO OU Oy PAO PJSC PLC Pte Pty SA SAL SARL SAS Sdn SpA SRL TOV"
        " WLL ZAO"
    )
}
_VOWELS = frozenset("AEIOUY")
_APOSTROPHES = "'’ʼ`"  # noqa: RUF001 - the apostrophes lists use
_ORDINAL = re.compile(r"\d+(ST|ND|RD|TH)")
_WORD_PARTS = re.compile(r"([(\"“]*)(.*?)([)\"”,;:]*)")
_ACRONYM_IN_BRACKETS = re.compile(r"(?P<name>.*?\S)\s*\((?P<short>[^()\s]{2,15})\)")
# Scripts used for one language only.
_SCRIPT_LANGUAGES = {
    "Hang": "ko",
    "Jpan": "ja",
    "Grek": "el",
    "Hebr": "he",
    "Armn": "hy",
    "Geor": "ka",
}
# Countries where a Cyrillic name may well be in another language than Russian.
_OTHER_CYRILLIC = frozenset({"BA", "BG", "BY", "KG", "KZ", "ME", "MK", "MN", "RS", "TJ", "UA"})
_SCRIPT_NAMES = {"Arab": "Arabic", "Hani": "Chinese characters", "Cyrl": "Cyrillic"}


def recase(name: str, *, organisation: bool = False) -> str:
    """Normal capitalisation for the words printed in capitals; other words stay as printed."""
    return " ".join(
        _recase_word(word, organisation=organisation, first=index == 0)
        for index, word in enumerate(name.split())
    )


def _recase_word(word: str, *, organisation: bool, first: bool) -> str:
    if not _in_capitals(word):
        return word
    match = _WORD_PARTS.fullmatch(word)
    assert match is not None  # the pattern matches any text
    lead, core, trail = match.groups()
    if _ORDINAL.fullmatch(core):
        return lead + core.lower() + trail
    if organisation:
        if core in LEGAL_FORMS:
            return lead + LEGAL_FORMS[core] + trail
        if (lead.startswith("(") and trail.startswith(")")) or _looks_like_acronym(core):
            return word
        if not first and core.lower() in SMALL_WORDS:
            return lead + core.lower() + trail
    return lead + _capitalise(core) + trail


def _in_capitals(word: str) -> bool:
    return any(c.isalpha() for c in word) and not any(c.islower() for c in word)


def _looks_like_acronym(word: str) -> bool:
    """``MHD``, ``SSRC``, ``E.K.T.``: Latin capitals without a vowel, or with dots."""
    letters = [c for c in word if c.isalpha()]
    if not letters or not all("A" <= c <= "Z" for c in letters):
        return False
    return ("." in word.rstrip(".") and len(letters) > 1) or (
        len(letters) > 1 and not _VOWELS & set(letters)
    )


def _capitalise(word: str) -> str:
    return "".join(_capitalise_segment(part) for part in re.split(r"([-/])", word))


def _capitalise_segment(segment: str) -> str:
    """``'ALI`` -> ``'Ali`` (ayn), ``O'BRIEN`` -> ``O'Brien``, ``ZGHA'IB`` -> ``Zgha'ib``."""
    result = ""
    for part in re.split(f"([{_APOSTROPHES}])", segment):
        if part in _APOSTROPHES or not part:
            result += part
        elif len(result.strip(_APOSTROPHES)) <= 1:
            result += part[:1].upper() + part[1:].lower()
        else:
            result += part.lower()
    return result


def doubtful_words(printed: str, recased: str) -> list[str]:
    """Short words recased from capitals that may be acronyms (``EKT`` -> ``Ekt``)."""
    pairs = zip(printed.split(), recased.split(), strict=False)
    return [
        before
        for before, after in pairs
        if before != after
        and 2 <= len(before) <= 3
        and before.isalpha()
        and after.lower() not in SMALL_WORDS | COMMON_WORDS
        and before not in LEGAL_FORMS
    ]


def recase_alias(printed: str, *, organisation: bool) -> str:
    """Like ``recase``, but a one-word alias of an organisation is an acronym (``KOMID``)."""
    if organisation and len(printed.split()) == 1 and len(printed) <= 6:
        return printed
    return recase(printed, organisation=organisation)


def invert_name(name: str) -> str:
    """``KATRANGI, Amir`` -> ``Amir KATRANGI`` (OFAC prints the surname first)."""
    surname, comma, given = name.partition(",")
    if not comma or not given.strip():
        return name.strip()
    return f"{given.strip()} {surname.strip()}"


def split_acronym(name: str) -> tuple[str, str | None]:
    """``Centre (SSRC)`` and ``Technology(GosNIIOKhT)`` -> the name and the short form."""
    match = _ACRONYM_IN_BRACKETS.fullmatch(name.strip())
    if match is None or sum(c.isupper() for c in match["short"]) < 2:
        return name.strip(), None
    return match["name"], match["short"]


def split_names(cell: str) -> list[str]:
    """A cell of names: ``;``-separated, or a comma list when every item starts a new name.

    ``Zughib, Zgha'ib, Zughayb`` gives three names, but ``Войска радиационной, химической и
    биологической защиты...`` stays one (the text after the comma goes on in lower case).
    """
    names: list[str] = []
    for part in cell.split(";"):
        items = [item.strip() for item in part.split(",")]
        if len(items) > 1 and all(_starts_a_name(item) for item in items):
            names.extend(items)
        elif part.strip():
            names.append(part.strip())
    return names


def _starts_a_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def name_language(name: str, countries: list[str]) -> tuple[str | None, str]:
    """The ISO 639-1 code of a name's language when it is known, and the script's name.

    ``countries`` are the nationalities or countries of the subject, used only to avoid
    calling a Ukrainian or Bulgarian name Russian.
    """
    script = detect_script(name)
    if script == "Cyrl":
        other = _OTHER_CYRILLIC.intersection(countries)
        return (None if other and "RU" not in countries else "ru"), _SCRIPT_NAMES[script]
    return _SCRIPT_LANGUAGES.get(script), _SCRIPT_NAMES.get(script, script)


def is_single_word(name: str) -> bool:
    return len(name.split()) == 1
