"""How well a query matches a subject: a score from 0 to 1, a band, and what matched.

The method, applied alike by templates/static/screening.js (the vectors in
tests/screening/vectors.json hold both to the same results):

- Query and names are normalised into tokens (``normalise.py``).
- Two tokens are compared with Jaro-Winkler, the measure built for personal names (it forgives
  transposed and missing letters, and rewards a shared beginning), lowered by half the length
  difference (Katrani and Katan are two names, though they share five letters in order).
  Tokens whose consonant
  skeletons agree (first letter and consonants: Mohamed, Muhammad -> mhmd) score at least
  ``skeleton_similarity``: transliterations disagree mostly about vowels. A token that starts
  with a glued article (Alassad) is also compared without it. Below ``floor`` a pair does not
  count: unrelated words share letters by chance.
- Query tokens are paired one to one with a name's tokens, best pairs first, whatever their
  order (Mishkin Alexander, Alexander Mishkin).
- Each token weighs by how rare it is among the subjects of the list (``1 / (1 + ln df)``,
  counted by skeleton, so that Mohammed and Muhammad count as one name): a shared "Muhammad"
  says little, a shared "Boshirov" a lot. A query token that pairs with nothing weighs
  ``unmatched_query_weight`` (as much as a fairly rare name): a surname that is not there
  counts against the match, a word more (Syrian, in front of a body's name) less.
- The name's score is the weighted mean of the query tokens' similarities, lowered (by up to
  ``unmatched_name_penalty``, in proportion to their weight) for the name's tokens the query
  left out: "Putin" finds Vladimir Vladimirovich Putin, but "Vladimir Putin" does not find
  Vladimir Vladimirovich Chirkin, whose rare surname is not in the query. A subject's score is
  its best name's.
- An alias that the authority itself calls weak (a single common name, a nickname) scores
  ``weak_alias_factor`` of what it would, and is at most a possible match.
- Bands: ``exact`` when the query and a name have the same tokens (same spelling after
  normalising, any order) or an identifier is the same; ``strong`` from ``strong``; else
  ``possible`` from the threshold (``threshold``; ``wide_threshold`` when the reader widens).
- Identifiers (passports, INN, registration numbers) match only exactly, after
  ``identifier_key``: a number that is one digit off is another number.

Jaro-Winkler is written out here (and in the script) rather than taken from a library so that
the browser and Python compute the same floating-point numbers step by step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.screening.normalise import DOUBLED, identifier_key, rules, tokens

MAX_RESULTS = 50
_PARTS = re.compile(r"[\s,;:/]+")


def jaro_winkler(a: str, b: str) -> float:
    """Jaro similarity of ``a`` and ``b``, raised for a common prefix of up to 4 letters."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used_a = [False] * len(a)
    used_b = [False] * len(b)
    matches = 0
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(i + window + 1, len(b))):
            if not used_b[j] and b[j] == char:
                used_a[i] = used_b[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    half_transpositions = 0
    k = 0
    for i, char in enumerate(a):
        if used_a[i]:
            while not used_b[k]:
                k += 1
            if char != b[k]:
                half_transpositions += 1
            k += 1
    jaro = (matches / len(a) + matches / len(b) + (matches - half_transpositions / 2) / matches) / 3
    prefix = 0
    while prefix < min(4, len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def skeleton(token: str) -> str:
    """First letter and consonants, doubled ones once: the part transliterations agree on.
    v (w) counts as a vowel: Arabic writes u and w with one letter (Khaddur, Ridwan)."""
    vowels = rules()["vowels"]
    return DOUBLED.sub(r"\1", token[:1] + "".join(c for c in token[1:] if c not in vowels))


def _forms(token: str) -> list[str]:
    """The token, and without a glued article (alassad -> assad) when long enough."""
    forms = [token]
    for prefix in rules()["article_prefixes"]:
        if token.startswith(prefix) and len(token) >= len(prefix) + 3:
            forms.append(token[len(prefix) :])
    return forms


def similarity(query: str, name: str) -> float:
    """How alike two normalised tokens are, 0 below the floor."""
    if query == name:
        return 1.0
    if min(len(query), len(name)) <= rules()["short_token"]:
        # Ali and Halid share most of Ali's letters: a short word matches exactly, or by its
        # consonants when both have three letters or more (حسن, hsn: Hasan).
        if min(len(query), len(name)) >= 3 and skeleton(query) == skeleton(name):
            return float(rules()["skeleton_similarity"])
        return 0.0
    if query.startswith("abd") and name.startswith("abd"):
        query, name = query[3:], name[3:]  # Abd-al-Rahman, Abd-al-Wahhab: the name is after Abd
        if query == name:
            return 1.0
    skeleton_floor: float = rules()["skeleton_similarity"]
    best = 0.0
    for a in _forms(query):
        for b in _forms(name):
            value = 1.0 if a == b else jaro_winkler(a, b) * _length_factor(a, b)
            if len(a) >= 3 and len(b) >= 3 and skeleton(a) == skeleton(b):
                value = max(value, skeleton_floor)
            best = max(best, value)
    return best if best >= floor_for(min(len(query), len(name))) else 0.0


def _length_factor(a: str, b: str) -> float:
    """Jaro-Winkler forgives letters missing at the end (Katrani, Katan: 0.93); a word much
    shorter than the other is another word: the similarity is lowered by half the shortfall."""
    return 1 - 0.5 * (1 - min(len(a), len(b)) / max(len(a), len(b)))


def floor_for(length: int) -> float:
    """The least similarity that counts: higher for short words, where one letter is much."""
    floor: float = rules()["floor"]
    short: float = rules()["short_floor"]
    return short if length <= rules()["short_floor_length"] else floor


@dataclass(frozen=True, slots=True)
class Entry:
    """One subject as screening sees it (a row of the index)."""

    id: str
    type: str
    name: str
    status: str
    authorities: tuple[str, ...]
    born: tuple[str, ...]
    nationality: tuple[str, ...]
    names: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...]  # (number as printed, type)
    weak: tuple[int, ...] = ()  # positions in names of the aliases an authority calls weak

    def row(self) -> list[Any]:
        return [
            self.id,
            self.type,
            self.name,
            self.status,
            list(self.authorities),
            list(self.born),
            list(self.nationality),
            list(self.names),
            [list(pair) for pair in self.identifiers],
            list(self.weak),
        ]

    @classmethod
    def of_row(cls, row: Sequence[Any]) -> Entry:
        return cls(
            row[0],
            row[1],
            row[2],
            row[3],
            tuple(row[4]),
            tuple(row[5]),
            tuple(row[6]),
            tuple(row[7]),
            tuple((number, kind) for number, kind in row[8]),
            tuple(row[9]),
        )


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    score: float
    band: str  # exact, strong or possible
    matched: str  # the name, alias or identifier that matched
    by: str  # name or identifier


@dataclass(slots=True)
class Screener:
    """Scores queries against every name and identifier of a list.

    Each query token is compared once with each distinct token of the list; only names holding
    a token that passes the floor are scored. At 14,000 subjects that is some 20,000 token
    comparisons a word instead of one per name and word.
    """

    entries: tuple[Entry, ...]
    _names: list[tuple[int, str, tuple[str, ...], bool]] = field(default_factory=list)
    _holders: dict[str, list[int]] = field(default_factory=dict)  # token -> names holding it
    _weights: dict[str, float] = field(default_factory=dict)
    _identifiers: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frequency: dict[str, int] = {}
        for index, entry in enumerate(self.entries):
            seen: set[str] = set()
            for position, name in enumerate(entry.names):
                words = tokens(name)
                if not words:
                    continue
                for word in dict.fromkeys(words):
                    self._holders.setdefault(word, []).append(len(self._names))
                self._names.append((index, name, words, position in entry.weak))
                seen.update(words)
            for key in {skeleton(word) for word in seen}:
                frequency[key] = frequency.get(key, 0) + 1
            for number, _kind in entry.identifiers:
                key = identifier_key(number)
                if key:
                    self._identifiers.setdefault(key, []).append((index, number))
        self._weights = {
            word: 1 / (1 + math.log(frequency[skeleton(word)])) for word in self._holders
        }

    def weight(self, token: str) -> float:
        return self._weights.get(token, 1.0)

    def name_score(self, similar: list[dict[str, float]], name: tuple[str, ...]) -> float:
        """``similar[i]``: the list's tokens alike to query token i, with their similarity."""
        pairs = sorted(
            (-value, i, j)
            for i, alike in enumerate(similar)
            for j, token in enumerate(name)
            if (value := alike.get(token, 0.0)) > 0
        )
        values = [0.0] * len(similar)
        weights = [float(rules()["unmatched_query_weight"])] * len(similar)
        used: set[int] = set()
        for negative, i, j in pairs:
            if values[i] > 0 or j in used:
                continue
            used.add(j)
            values[i] = -negative
            weights[i] = self.weight(name[j])
        total = 0.0
        evidence = 0.0
        for value, weight in zip(values, weights, strict=True):
            total += weight
            evidence += weight * value
        score = evidence / total
        name_total = 0.0
        left_out = 0.0
        for j, token in enumerate(name):
            name_total += self.weight(token)
            if j not in used:
                left_out += self.weight(token)
        penalty: float = rules()["unmatched_name_penalty"]
        return score * (1 - penalty * left_out / name_total)

    def screen(self, query: str, threshold: float | None = None) -> list[Match]:
        """The subjects matching ``query`` at ``threshold`` or above, best first."""
        limit: float = rules()["threshold"] if threshold is None else threshold
        best: dict[int, Match] = {}
        for index, match in self._by_identifier(query):
            best[index] = match
        words = tokens(query)
        similar = [self._alike(word) for word in words]
        candidates = sorted(
            {n for alike in similar for token in alike for n in self._holders[token]}
        )
        wanted = sorted(words)
        for position in candidates:
            index, name, name_words, weak = self._names[position]
            if sorted(name_words) == wanted and not weak:
                score, band = 1.0, "exact"
            else:
                score = self.name_score(similar, name_words)
                if weak:
                    score *= rules()["weak_alias_factor"]
                found_band = _band(score, limit)
                if found_band is None:
                    continue
                band = "possible" if weak else found_band
            found = best.get(index)
            if found is None or _rank(score, band) > _rank(found.score, found.band):
                best[index] = Match(self.entries[index], score, band, name, "name")
        return sorted(best.values(), key=_order)[:MAX_RESULTS]

    def _alike(self, word: str) -> dict[str, float]:
        found = {}
        for token in self._holders:
            value = similarity(word, token)
            if value > 0:
                found[token] = value
        return found

    def _by_identifier(self, query: str) -> Iterable[tuple[int, Match]]:
        """The query as a whole, each of its parts (INN 7714676767; an INN and a KPP printed as
        6441013942 / 644101001), and its groups of digits joined (OGRN 1037 7396 35890)."""
        parts = _PARTS.split(query)
        numbers = " ".join(part for part in parts if any(c.isdecimal() for c in part))
        keys = [identifier_key(query), *(identifier_key(part) for part in parts)]
        keys.append(identifier_key(numbers))
        least = rules()["identifier_min_length"]
        for key in dict.fromkeys(keys):
            if len(key) < least or not any(c.isdecimal() for c in key):
                continue
            for index, number in self._identifiers.get(key, ()):
                yield index, Match(self.entries[index], 1.0, "exact", number, "identifier")


BANDS = ("possible", "strong", "exact")


def _band(score: float, threshold: float) -> str | None:
    if score < threshold:
        return None
    return "strong" if score >= rules()["strong"] else "possible"


def _rank(score: float, band: str) -> tuple[int, float]:
    return (BANDS.index(band), score)


def _order(match: Match) -> tuple[int, float, str, str]:
    return (-BANDS.index(match.band), -match.score, match.entry.name, match.entry.id)
