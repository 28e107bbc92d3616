"""Names: comparison keys, sort keys and the script a name is written in."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NON_WORD = re.compile(r"[^\w]+")

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


def slugify(name: str) -> str:
    """An ASCII id from a name in any script: ``Александр Мишкин`` -> ``aleksandr-mishkin``."""
    ascii_name = anyascii(name).lower()
    return "-".join(part for part in re.split(r"[^a-z0-9]+", ascii_name) if part)
