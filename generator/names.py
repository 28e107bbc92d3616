"""Names: comparison keys, sort keys, the script a name is written in, and what hides in one.

A forger's tricks are caught here: letters of another script that look Latin inside a word
(``mixed_script``), characters that do not show (``find_invisible``), and spellings of one name
that differ only by transliteration, accents, case or punctuation (``identity_key``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

_NON_WORD = re.compile(r"[^\w]+")
# A word, for the mixed-script check: letters and combining marks (no digits, no "_").
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")

# Scripts written right to left; names in them get dir="rtl".
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa"})
_SCRIPT_PREFIXES = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "GREEK": "Grek",
    "CJK": "Hani",
    "HANGUL": "Hang",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
}
SCRIPT_NAMES = {code: prefix.title() for prefix, code in _SCRIPT_PREFIXES.items()} | {
    "Hani": "Chinese",
    "Jpan": "Japanese",
}
# Scripts whose words may mix by nature (Japanese writes kanji and kana together, Korean
# hangul and hanja): one group each, for the mixed-script check.
_SCRIPT_GROUPS = {"Jpan": "Hani", "Hang": "Hani"}
# The zero-width joiner and non-joiner are spelling in these scripts (Persian compounds,
# Indic conjuncts); anywhere else they only hide a difference between two names.
_JOINING_SCRIPTS = frozenset(
    {
        "ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI",
        "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA",
    }
)  # fmt: skip
_JOINERS = frozenset({"\u200c", "\u200d"})
# Transliteration variants of one sound, as the EU, US, UN and French lists write it
# (Dzhokhar / Jokhar, Khalil / Halil, Alexander / Aleksandr...), applied in this order.
_SPELLINGS = (
    ("tsch", "ch"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
)
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"([^\W\d_])\1+")  # a doubled letter (never a digit: 116 is not 16)
_ARTICLES = frozenset({"al", "el", "ul"})
_APOSTROPHES = re.compile("['`\u00b4]")  # Sa'id, Sa`id (ʿ in ASCII): one word


@functools.lru_cache(maxsize=1 << 17)  # names recur: sorting, duplicates, search
def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: ``Sa`id  SA'ID`` -> ``sa id sa id``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).split())


def compare_key(name: str) -> str:
    """Key under which two spellings count as the same name: folded tokens, sorted."""
    return " ".join(sorted(fold(name).replace("_", " ").split()))


def sort_key(name: str) -> str:
    """Alphabetical order that ignores case, accents and leading apostrophes (ʿayn)."""
    return fold(name)


@functools.lru_cache(maxsize=1 << 17)  # names recur: sorting, duplicates, search
def spelling_key(name: str) -> str:
    """Key under which two spellings of a name count as one, whatever the script.

    Transliterated to ASCII (``Мишкин`` -> ``Mishkin``, a look-alike Cyrillic letter -> its
    Latin twin), folded (case, accents, apostrophes), the usual variants of a consonant merged
    (``kh``/``h``, ``x``/``ks``, ``dzh``/``j``...), doubled letters single, the Arabic article
    dropped and the words sorted: ``MISHKIN, Alexander`` and ``Aleksandr Mishkin`` agree.
    """
    return " ".join(sorted(_DOUBLED.sub(r"\1", word) for word in _spelt_words(name)))


@functools.lru_cache(maxsize=1 << 17)  # names recur: sorting, duplicates, search
def identity_key(name: str) -> str:
    """``spelling_key`` without vowels, which transliterations write each their own way.

    ``Alexander Yevgeniyevich Mishkin`` and ``Aleksandr Evgenevich Mishkin`` agree; so do
    Mahmud and Muhammad, so this key is only for names that also share an exact birth date.
    """
    words = (_VOWELS.sub("", word) or word for word in _spelt_words(name))
    return " ".join(sorted(_DOUBLED.sub(r"\1", word) for word in words))


def _spelt_words(name: str) -> list[str]:
    words = []
    for word in fold(_APOSTROPHES.sub("", anyascii(name))).replace("_", " ").split():
        if word in _ARTICLES:
            continue
        for spelling, variant in _SPELLINGS:
            word = word.replace(spelling, variant)  # noqa: PLW2901 - rewritten step by step
        words.append(word)
    return words


def char_script(char: str) -> str:
    """ISO 15924 code of a letter's script; ``Zyyy`` for anything else."""
    name = unicodedata.name(char, "")
    for prefix, code in _SCRIPT_PREFIXES.items():
        if name.startswith(prefix):
            return code
    return "Zyyy"


def mixed_script(text: str) -> tuple[str, int, str, str] | None:
    """The first word that mixes scripts: (the word, the odd letter's index, their scripts).

    A word is a run of letters and combining marks. The odd letter is the first whose script
    differs from the word's main one (the script of most of its letters, else of its first):
    in ``Alex\u0430nder`` (a Cyrillic a), that is index 4, script ``Cyrl``, word ``Latn``.
    """
    for match in _WORD.finditer(text):
        scripts = [
            (index, _SCRIPT_GROUPS.get(code, code))
            for index, char in enumerate(match.group(), start=match.start())
            if char.isalpha() and (code := char_script(char)) != "Zyyy"
        ]
        kinds = [script for _, script in scripts]
        if len(set(kinds)) < 2:
            continue
        main = max(dict.fromkeys(kinds), key=kinds.count)
        odd = next((index, script) for index, script in scripts if script != main)
        return match.group(), odd[0], odd[1], main
    return None


def find_invisible(text: str) -> int | None:
    """Index of the first invisible formatting character, None when there is none.

    Every character of Unicode's "format" category counts (bidirectional overrides and
    isolates, zero-width space, word joiner, byte-order mark, soft hyphen...), except a
    zero-width joiner or non-joiner between two characters of a script that spells with it.
    """
    if text.isascii():
        return None  # no format character is ASCII
    for index, char in enumerate(text):
        if unicodedata.category(char) != "Cf":
            continue
        if char in _JOINERS and _joins(text, index):
            continue
        return index
    return None


def _joins(text: str, index: int) -> bool:
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = (_script_word(text[i]) for i in (index - 1, index + 1))
    return before == after and before in _JOINING_SCRIPTS


def _script_word(char: str) -> str:
    """The first word of a character's Unicode name: ARABIC, DEVANAGARI... ("" if unnamed)."""
    return unicodedata.name(char, "").partition(" ")[0]


def detect_script(text: str) -> str:
    """ISO 15924 code of the first letter's script (``Latn`` when there is no letter)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            for prefix, code in _SCRIPT_PREFIXES.items():
                if name.startswith(prefix):
                    return code
            return "Zyyy"
    return "Latn"


MAX_ID_LENGTH = 150  # ids are file and folder names: well under the 255 bytes systems allow


def slugify(name: str) -> str:
    """An ASCII id from a name in any script: ``Александр Мишкин`` -> ``aleksandr-mishkin``;
    a long name's id is cut at a hyphen, to at most MAX_ID_LENGTH characters."""
    ascii_name = anyascii(name).lower()
    made = "-".join(part for part in re.split(r"[^a-z0-9]+", ascii_name) if part)
    if len(made) <= MAX_ID_LENGTH:
        return made
    return made[: MAX_ID_LENGTH + 1].rsplit("-", 1)[0][:MAX_ID_LENGTH]
