"""Which record each official entry is: by entry number, else identifier, else name and birth.

The order goes from the surest sign to the weakest. The authority's own entry number in a
sanction of the record settles it; an identity document or registration number shared with the
record comes next; last, a name or alias with the same birth date, under the keys the
validator's duplicate check uses (``checks.identity_keys``: any case, script, word order or
transliteration; vowels may differ only with an exact date). An organisation matches on its
name alone, a person never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.checks import identity_keys
from generator.model import Sanction, Subject
from generator.reconcile.official import OfficialEntry, entry_key, entry_shape, number_key

BY_ENTRY = "entry"
BY_IDENTIFIER = "identifier"
BY_NAME = "name and birth date"
BY_NAME_ONLY = "name"


@dataclass(frozen=True, slots=True)
class Match:
    official: OfficialEntry
    record: Subject
    by: str  # BY_ENTRY, BY_IDENTIFIER, BY_NAME or BY_NAME_ONLY


@dataclass(frozen=True, slots=True)
class Scope:
    """Which sanctions of the records come from the list being reconciled.

    EU annexes and the UN's lists are told apart by programme (an EU annex is one regime);
    OFAC's SDN list holds every OFAC entry, whatever the programme, so its entry numbers
    decide. A sanction with neither programme nor entry is taken to come from the list when the
    list is the authority's own (``unmarked``); the UN's listings, which a participant applies,
    are recorded with a ``UN-`` programme (as ``noimpunity import`` writes them).
    """

    authority: str
    programs: frozenset[str]
    shapes: frozenset[str]  # entry_shape of the file's entries
    by_program: bool
    unmarked: bool

    @classmethod
    def of(
        cls, authority: str, entries: Sequence[OfficialEntry], *, by_program: bool, unmarked: bool
    ) -> Scope:
        return cls(
            authority=authority,
            programs=frozenset(e.program for e in entries if e.program),
            shapes=frozenset(entry_shape(e.entry) for e in entries if e.entry),
            by_program=by_program,
            unmarked=unmarked,
        )

    def holds(self, sanction: Sanction) -> bool:
        if sanction.authority != self.authority:
            return False
        if self.by_program and sanction.program:
            return sanction.program in self.programs
        if sanction.entry:
            return entry_shape(sanction.entry) in self.shapes
        if sanction.program:
            return sanction.program in self.programs
        return self.unmarked

    def sanctions(self, record: Subject) -> list[Sanction]:
        return [sanction for sanction in record.sanctions if self.holds(sanction)]


@dataclass(slots=True)
class RecordIndex:
    """The records, indexed by the authority's entry numbers, identifiers and identity keys."""

    entries: dict[str, list[Subject]] = field(default_factory=dict)
    numbers: dict[str, list[Subject]] = field(default_factory=dict)
    identities: dict[tuple[str, str, str], list[Subject]] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[Subject], authority: str) -> RecordIndex:
        index = cls()
        for record in sorted(records, key=lambda subject: subject.id):
            entries = {
                entry_key(sanction.entry)
                for sanction in record.sanctions
                if sanction.authority == authority and sanction.entry
            }
            for key in entries:
                index.entries.setdefault(key, []).append(record)
            numbers = {number_key(item.number) for item in record.identifiers} - {""}
            for number in numbers:
                index.numbers.setdefault(number, []).append(record)
            for identity in identity_keys(record):
                index.identities.setdefault(identity, []).append(record)
        return index

    def match(self, official: OfficialEntry) -> list[Match]:
        """The records this entry is, found by the surest sign that finds any."""
        found = self.entries.get(entry_key(official.entry), []) if official.entry else []
        if found:
            return [Match(official, record, BY_ENTRY) for record in found]
        found = _unique(self.numbers.get(number, []) for number in sorted(official.numbers))
        if found:
            return [Match(official, record, BY_IDENTIFIER) for record in found]
        keys = sorted(official.identity_keys)
        found = _unique(self.identities.get(key, []) for key in keys)
        by = BY_NAME if any(birth for _, _, birth in keys) else BY_NAME_ONLY
        return [Match(official, record, by) for record in found]


def _unique(groups: Iterable[list[Subject]]) -> list[Subject]:
    seen: dict[str, Subject] = {}
    for group in groups:
        for record in group:
            seen.setdefault(record.id, record)
    return sorted(seen.values(), key=lambda record: record.id)
