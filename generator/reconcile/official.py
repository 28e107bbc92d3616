"""Official entries: the importers' drafts, seen as what ``reconcile`` compares.

A list file is read by the importer of its kind (``generator.importers``), never by a parser of
our own, so that the report sees exactly what ``noimpunity import`` would write. Each draft
becomes an ``OfficialEntry``: its entry number, its names and the values compared with a
record, normalised once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.checks import identity_keys  # the duplicate check's keys: one notion of "same"
from generator.dates import parse_partial_date
from generator.importers.draft import Draft
from generator.model import Alias, Identifier, Subject

# Notices whose message quotes a value of the Title or Remarks column the draft did not keep:
# the words of those columns still say which subject an entry belongs to.
_TEXT_FIELDS = frozenset({"Title", "remarks"})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
# Identifier numbers shorter than this are too likely to be shared by chance to match on.
MIN_NUMBER = 5


@dataclass(frozen=True, slots=True)
class OfficialEntry:
    """One person or entity of the list file, as read by its importer."""

    label: str  # "OFAC 24744", "EU I.A 7": how the list names it
    entry: str  # the entry number a record keeps in ``sanction.entry``
    row: int  # line of the file where it starts
    type: str
    name: str
    aliases: tuple[str, ...]
    program: str | None
    birth_date: tuple[str, ...]
    birth_place: tuple[str, ...]
    countries: tuple[str, ...]  # nationalities of a person, countries of an organisation
    identifiers: tuple[Identifier, ...]
    links: tuple[str, ...]  # names of the subjects it is "linked to"
    texts: tuple[str, ...]  # title, position and remarks not kept as fields
    subject: Subject  # the entry as a model object, for the duplicate check's keys

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def identity_keys(self) -> frozenset[tuple[str, str, str]]:
        return frozenset(identity_keys(self.subject))

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(filter(None, (number_key(item.number) for item in self.identifiers)))


def official_entries(drafts: Iterable[Draft]) -> list[OfficialEntry]:
    return [official_entry(draft) for draft in drafts]


def official_entry(draft: Draft) -> OfficialEntry:
    aliases = [_alias(item) for item in draft.values.get("aliases", [])]
    countries = draft.values.get("nationality" if draft.type == "person" else "country", [])
    identifiers = tuple(Identifier(**item) for item in draft.values.get("identifiers", []))
    subject = Subject(
        id="",
        type=draft.type,
        name=draft.name,
        sanctions=(),
        grounds={},
        aliases=tuple(aliases),
        birth_date=tuple(parse_partial_date(text) for text in draft.values.get("birth_date", [])),
    )
    texts = [*draft.values.get("position", [])]
    texts += [notice.message for notice in draft.notices if notice.field in _TEXT_FIELDS]
    return OfficialEntry(
        label=draft.label,
        entry=str(draft.sanction.get("entry", "")),
        row=draft.row,
        type=draft.type,
        name=draft.name,
        aliases=tuple(alias.name for alias in aliases),
        program=draft.sanction.get("program"),
        birth_date=tuple(draft.values.get("birth_date", [])),
        birth_place=tuple(draft.values.get("birth_place", [])),
        countries=tuple(countries),
        identifiers=identifiers,
        links=tuple(draft.links),
        texts=tuple(texts),
        subject=subject,
    )


def _alias(item: Any) -> Alias:
    if isinstance(item, dict):
        return Alias(name=str(item["name"]), lang=item.get("lang"), weak=bool(item.get("weak")))
    return Alias(name=str(item))


def entry_key(entry: str) -> str:
    """Entry numbers as lists print them: ``KPe.041 `` and ``KPE.041`` are one entry."""
    return " ".join(entry.split()).casefold()


def entry_shape(entry: str) -> str:
    """The form of an entry number: ``I.A 7`` -> ``i.a 0``, ``24744`` -> ``0``, ``KPi.033`` ->
    ``kpi.0``; a sanction whose entry has the form of a list's entries comes from that list."""
    return re.sub(r"\d+", "0", entry_key(entry))


def number_key(number: str) -> str:
    """An identifier's number without spaces or punctuation (``808 195 689 00019``); empty
    when it is too short to identify anyone."""
    key = _NOT_ALPHANUMERIC.sub("", number).casefold()
    return key if len(key) >= MIN_NUMBER and any(c.isdigit() for c in key) else ""
