"""Field differences between an official entry and the record it matched.

What counts as the same value: a name or place under ``names.spelling_key`` (case, accents,
punctuation, word order, script and the usual transliterations of one sound; a place's country
by its code, and a place with or without its country), a date of birth as written (``1966``,
``1979-07-13``), a country by its code, an identifier by its number without spaces or
punctuation. Records gather several authorities' spellings, so a name is a
difference only when the official one is missing from the record's names; for the other
fields the two sets of values must be equal, once the list gives any (a list silent on a field
says nothing against the record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.importers.values import place_country
from generator.model import Identifier, Subject
from generator.names import spelling_key
from generator.reconcile.official import OfficialEntry, entry_key, number_key

# The fields compared, in the order the report lists them. "sanction" is not a field: it names
# an entry whose record lacks the authority's sanction (section (a)), for known differences.
FIELDS = (
    "sanction",
    "entry",
    "name",
    "aliases",
    "birth_date",
    "birth_place",
    "nationality",
    "country",
    "identifiers",
)


@dataclass(frozen=True, slots=True)
class Difference:
    """One field on which a record and the official entry it matched disagree."""

    record: str  # the record's id
    label: str  # the official entry, as the list names it
    entry: str
    field: str
    official: tuple[str, ...]
    ours: tuple[str, ...]


def compare(
    official: OfficialEntry, record: Subject, ours_entries: tuple[str, ...] | None
) -> list[Difference]:
    """Every difference between the entry and the record.

    ``ours_entries`` are the record's entry numbers in the sanctions of the list's authority
    in force (empty strings for sanctions without one), or None when it has none in force:
    then the whole sanction is missing, which is reported apart.
    """

    def difference(field: str, theirs: tuple[str, ...], ours: tuple[str, ...]) -> Difference:
        return Difference(record.id, official.label, official.entry, field, theirs, ours)

    found = list(_names(official, record, difference))
    held = {entry_key(entry) for entry in ours_entries or ()}
    if ours_entries is not None and entry_key(official.entry) not in held:
        found.insert(0, difference("entry", (official.entry,), _present(ours_entries)))
    place_field = "nationality" if record.type == "person" else "country"
    identifiers = tuple(map(show_identifier, official.identifiers))
    pairs: list[tuple[str, tuple[str, ...], tuple[str, ...], Differ]] = [
        ("birth_date", official.birth_date, tuple(d.iso() for d in record.birth_date), _by(str)),
        ("birth_place", official.birth_place, record.birth_place, places_differ),
        (place_field, official.countries, record.countries, _by(str)),
        (
            "identifiers",
            identifiers,
            tuple(map(show_identifier, record.identifiers)),
            _by(identifier_key),
        ),
    ]
    for field, theirs, ours, differ in pairs:
        if theirs and differ(theirs, ours):
            found.append(difference(field, theirs, ours))
    return found


Differ = Callable[[tuple[str, ...], tuple[str, ...]], bool]


def _by(key: Callable[[str], str]) -> Differ:
    """Two sets of values differ unless they have the same keys."""

    def differ(theirs: tuple[str, ...], ours: tuple[str, ...]) -> bool:
        return {key(value) for value in theirs} != {key(value) for value in ours}

    return differ


def places_differ(theirs: tuple[str, ...], ours: tuple[str, ...]) -> bool:
    """Places of birth differ unless each of either side is a place of the other.

    ``Moscow, Russia`` and ``Moscow, Russian Federation`` are one place (the country by its
    code), and so are ``Perm`` and ``Perm, Russia``: lists print the country or leave it out,
    and a record cannot agree with both unless the country may be missing on one side.
    ``Serdobsk`` and ``Serdobsk, Penza Oblast, Russia`` stay two.
    """
    official, mine = [_place(place) for place in theirs], [_place(place) for place in ours]
    return not (
        all(any(_same_place(a, b) for b in mine) for a in official)
        and all(any(_same_place(b, a) for a in official) for b in mine)
    )


def _place(place: str) -> tuple[str, str | None]:
    """(the locality's spelling key, the country's code when the place ends with one)."""
    locality, comma, _ = place.rpartition(",")
    country = place_country(place) if comma else None
    return (spelling_key(locality), country) if country else (spelling_key(place), None)


def _same_place(one: tuple[str, str | None], other: tuple[str, str | None]) -> bool:
    countries = {one[1], other[1]} - {None}
    return one[0] == other[0] and len(countries) <= 1


def _names(
    official: OfficialEntry,
    record: Subject,
    difference: Callable[[str, tuple[str, ...], tuple[str, ...]], Difference],
) -> Iterator[Difference]:
    ours = {spelling_key(name) for name in (record.name, *(a.name for a in record.aliases))}
    if spelling_key(official.name) not in ours:
        yield difference("name", (official.name,), (record.name,))
    for alias in official.aliases:
        if spelling_key(alias) not in ours:
            yield difference("aliases", (alias,), ())


def _present(entries: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({entry for entry in entries if entry}))


def show_identifier(identifier: Identifier) -> str:
    """``N006478882 (passport, SY)``: the number first, as a known difference quotes it."""
    about = ", ".join(part for part in (identifier.type, identifier.country) if part)
    return f"{identifier.number} ({about})"


def identifier_key(shown: str) -> str:
    """The number of a shown identifier (``808 195 689 00019 (...)`` -> ``80819568900019``)."""
    number = shown.rsplit(" (", 1)[0] if shown.endswith(")") else shown
    return number_key(number) or number.casefold()
