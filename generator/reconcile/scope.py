"""Section (d): which official entries without a record belong to the chemical-weapons list.

An EU chemical-weapons annex is the list itself: every entry. OFAC's SDN list holds every US
programme; its chemical-weapons entries are those "Linked To" a subject we record (the SSRC,
EKT...) and those whose title or remarks name one of our organisations (the 271 "Scientific
Studies and Research Center Employee" rows). The UN has no chemical-weapons regime: nothing,
unless the configuration names programmes or entries. ``reconcile.yaml`` sets, per kind of
file, what is added to or taken from these defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.model import Subject
from generator.names import fold, spelling_key
from generator.reconcile.official import OfficialEntry, entry_key

# Organisation names shorter than this (folded) are too common as words to look for in text.
MIN_MENTION = 3


@dataclass(frozen=True, slots=True)
class ScopeRules:
    """What makes an entry of one kind of file part of the chemical-weapons list."""

    all: bool = False  # every entry
    linked: bool = False  # linked to a recorded subject, or naming one of our organisations
    not_through: frozenset[str] = frozenset()  # record ids whose links do not count
    programs: frozenset[str] = frozenset()
    entries: frozenset[str] = frozenset()  # entry_key of the entries named

    def updated(self, given: Mapping[str, Any]) -> ScopeRules:
        """These rules with the values a configuration gives (the others kept)."""
        changes: dict[str, Any] = {}
        for name in ("all", "linked"):
            if name in given:
                changes[name] = bool(given[name])
        if "not_through" in given:
            changes["not_through"] = frozenset(given["not_through"])
        if "programs" in given:
            changes["programs"] = frozenset(given["programs"])
        if "entries" in given:
            changes["entries"] = frozenset(entry_key(text) for text in given["entries"])
        return replace(self, **changes)


DEFAULT_RULES = {
    "eu-csv": ScopeRules(all=True),
    "ofac-csv": ScopeRules(linked=True),
    "un-xml": ScopeRules(),
}


@dataclass(slots=True)
class Subjects:
    """Where the names of recorded subjects are looked up: in links, and in text."""

    by_name: dict[str, str] = field(default_factory=dict)  # spelling_key -> record id
    mentions: dict[str, str] = field(default_factory=dict)  # folded organisation name -> id
    pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, records: Iterable[Subject], rules: ScopeRules) -> Subjects:
        found = cls()
        for record in sorted(records, key=lambda subject: subject.id):
            if record.id in rules.not_through:
                continue
            names = [record.name, *(alias.name for alias in record.aliases if not alias.weak)]
            for name in names:
                found.by_name.setdefault(spelling_key(name), record.id)
                folded = fold(name)
                if record.type != "person" and len(folded) >= MIN_MENTION:
                    found.mentions.setdefault(folded, record.id)
        if found.mentions:
            longest_first = sorted(found.mentions, key=lambda name: (-len(name), name))
            alternatives = "|".join(re.escape(name) for name in longest_first)
            found.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        return found

    def linked(self, official: OfficialEntry) -> str | None:
        for link in official.links:
            record = self.by_name.get(spelling_key(link))
            if record:
                return f"linked to {record}"
        return None

    def mentioned(self, official: OfficialEntry) -> str | None:
        if self.pattern is None:
            return None
        for text in official.texts:
            found = self.pattern.search(fold(text))
            if found:
                return f"names {self.mentions[found.group()]} in its title or remarks"
        return None


def in_scope(official: OfficialEntry, rules: ScopeRules, subjects: Subjects) -> str | None:
    """Why the entry belongs to the chemical-weapons list, or None when it does not."""
    if rules.all:
        return "every entry of the file"
    if entry_key(official.entry) in rules.entries:
        return "entry named in reconcile.yaml"
    if official.program and official.program in rules.programs:
        return f"programme {official.program}"
    if rules.linked:
        return subjects.linked(official) or subjects.mentioned(official)
    return None
