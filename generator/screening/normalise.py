"""Names as screening compares them: folded, transliterated tokens in one romanisation.

The rules are data (``rules.json``), shipped inside the screening index, so that the search
page (templates/static/screening.js) applies exactly these steps to what a reader types. Why
each step is there:

1. Lower case, then Unicode decomposition with the marks dropped: ``Müller`` and ``MULLER``,
   ``Ḥasan`` and ``Hasan`` are one spelling; so are the short vowels written over Arabic letters.
2. The apostrophes that stand for ʿayn and hamza (Sa'id, Saʿid) are dropped, joining the word;
   anything else that is not a letter or a digit separates words: hyphens, commas, dots.
3. Cyrillic, Arabic and Greek letters (and ß, æ, ø, ł...) become Latin ones, one table per
   script, so a name typed in its own script meets the romanised names of the official lists.
   Arabic writes no short vowels: ع becomes a (علي, Ali; عمار, Ammar), و and ي are w and y at
   the start of a word (وليد, Walid) and u and i inside it (خضور, Khaddur), the article ال
   (or وال) glued to a word is dropped as al- is, and the letters go straight into the folded
   alphabet of step 5 (ش is ch, خ is h, ج is i...).
4. Arabic articles and particles (al-, el-, ad-, ash-..., bin, ibn, bint, abu, umm) are
   dropped: lists write al-Assad, Assad and el Assad, Muhammad bin Salman and Muhammad Salman.
   ``Abd`` always begins a compound (Abd al-Rahman, Abdul Rahman, Abdelrahman): it is joined to
   the next word, whatever article comes between, and written ``abd``.
5. The romanisations of Russian and Arabic sounds are folded into one: French, German and
   English write Ч as tch/tsch/ch, Ш as ch/sch/sh, Ж as j/sch/zh, kha as kh/h, and Arabic ج as
   j/dj, خ as kh/h, ق as q/k; French writes gu before e and i (Evgueni, Guennadi); then w/v
   (Romanow), ou/u (Oussama), y/j/i (Yuri, Juri, Iouri), the final -ine of French (Poutine) and
   -off (Romanoff), the final h of -ah and -eh (Wardah, Wardeh: وردة). Vowels that
   romanisations swap are folded last: o/u (Mohammed, Muhammad), e/i (Sergei, Sergij).
   Doubled letters are written once (Hassan, Hasan).

6. Titles, legal forms and small words (Mr, General, Jr, LLC, Ltd, Co, SARL, of, the, de) and
   initials (A. V. Bortnikov) are dropped, unless nothing else is left: records rarely carry
   them, queries copied from customer files often do.

What stays different (Mohamed, Muhammad: a vowel more or less) is left to the similarity
measure and to the consonant skeleton (``score.py``).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("rules.json")
_SEPARATORS = re.compile(r"[\W_]+")
DOUBLED = re.compile(r"(\D)\1+")  # a doubled letter, never a digit (116 is not 16)


@functools.cache
def rules() -> dict[str, Any]:
    """The shared rules, as the index also carries them."""
    data: dict[str, Any] = json.loads(RULES_FILE.read_text("utf-8"))
    return data


@functools.lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[str, ...]:
    """The words of a name, normalised (steps 1-6 above); empty when nothing is left."""
    joiners = frozenset(rules()["joiners"])
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(
        c for c in decomposed if not unicodedata.category(c).startswith("M") and c not in joiners
    )
    words = [_transliterate(word) for word in _SEPARATORS.sub(" ", plain).split()]
    named = _drop_particles(words)
    stop = frozenset(rules()["stopwords"])
    kept = [word for word in named if len(word[0]) > 1 and word[0] not in stop] or named
    return tuple(_spell(word, arabic) for word, arabic in kept)


Word = tuple[str, bool]  # Latin letters, and whether they were Arabic (already folded)


def _transliterate(word: str) -> Word:
    """Latin letters for a word of another script. An Arabic word loses its article (ال, وال)
    and is written straight into the folded alphabet of step 5, whose digraph rules it must
    not meet (zay then ha is z, h: not the zh of Russian); its و and ي are consonants at the
    start of a word."""
    arabic: dict[str, str] = rules()["arabic"]
    if any(c in arabic for c in word):
        for prefix in rules()["arabic_prefixes"]:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                word = word[len(prefix) :]
                break
        initial: dict[str, str] = rules()["arabic_initial"]
        first = initial.get(word[0], arabic.get(word[0], word[0]))
        return first + "".join(arabic.get(c, c) for c in word[1:]), True
    table: dict[str, str] = rules()["transliteration"]
    return "".join(table.get(c, c) for c in word), False


def _drop_particles(words: list[Word]) -> list[Word]:
    particles = frozenset(rules()["particles"])
    abd = sorted(rules()["abd"], key=len, reverse=True)
    kept: list[Word] = []
    pending: Word | None = None  # an "abd" waiting for the word it begins
    for word, arabic in words:
        if pending:
            if word in particles:
                continue
            kept.append((pending[0] + word, pending[1] or arabic))
            pending = None
            continue
        if word in abd:
            pending = ("abd", arabic)
            continue
        if word in particles:
            continue
        prefix = next((p for p in abd if word.startswith(p) and len(word) > len(p) + 2), "")
        kept.append(("abd" + word[len(prefix) :] if prefix else word, arabic))
    if pending:
        kept.append(pending)
    return kept


def _spell(word: str, arabic: bool) -> str:
    if not arabic:
        for written, folded in rules()["spellings"]:
            word = word.replace(written, folded)
        for ending, folded in rules()["endings"]:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)] + folded
    for written, folded in rules()["vowel_folds"]:
        word = word.replace(written, folded)
    return DOUBLED.sub(r"\1", word)


def identifier_key(text: str) -> str:
    """An identifier as compared: upper case, without spaces, dashes, dots or slashes, and
    without leading zeros (registries print 0012345 and 12345 for one number)."""
    return re.sub(r"[\s\-./]+", "", text.upper()).lstrip("0")
