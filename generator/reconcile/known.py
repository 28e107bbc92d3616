"""``reconcile.yaml``: the known, deliberate differences and the scope of section (d).

A coordinator records each deliberate difference once: the record, the authority, the field,
the official value and why ours differs (a fuller name, a nationality added from another
source, one person listed twice by OFAC). The report then leaves it out, counts it, and says
when it no longer occurs (stale), so that the file never hides a difference that changed.

The file lives at the top of the repository, not in ``content/``: everything under content/
is an input of every page of the site, and editing this file must not rebuild the site. It is
read with the strict loader and checked like a record: problems name file, line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem
from generator.fields import Field, Kind
from generator.importers import SOURCES
from generator.load import load_yaml_file
from generator.model import Origin, Site
from generator.names import fold
from generator.reconcile.compare import FIELDS, Difference, identifier_key
from generator.reconcile.scope import DEFAULT_RULES, ScopeRules
from generator.validate import Checker, suggest, suggest_code

KNOWN_FILE = "reconcile.yaml"

SCOPE_FIELDS = (
    Field("all", Kind.BOOL, "true: every entry of the file is in scope."),
    Field(
        "linked",
        Kind.BOOL,
        "true: entries linked to a recorded subject, or naming one of our organisations in"
        " their title or remarks, are in scope.",
    ),
    Field(
        "not_through",
        Kind.SLUG,
        "Records whose links and mentions do not bring an entry into scope (bodies with many"
        " designations of other kinds, such as an intelligence service).",
        many=True,
        single_ok=True,
    ),
    Field(
        "programs",
        Kind.TEXT,
        "Programmes whose entries are in scope (an entry's first programme).",
        many=True,
        single_ok=True,
    ),
    Field("entries", Kind.TEXT, "Entry numbers in scope.", many=True, single_ok=True),
)
KNOWN_FIELDS = (
    Field("id", Kind.SLUG, "Id of the record.", required=True),
    Field("authority", Kind.CODE, "The authority of the list.", required=True),
    Field("field", Kind.CHOICE, "The field that differs.", required=True, choices=FIELDS),
    Field(
        "official",
        Kind.TEXT,
        "The official value as the report prints it (a list when it prints several).",
        required=True,
        many=True,
        single_ok=True,
    ),
    Field("reason", Kind.TEXT, "Why the record deliberately differs.", required=True),
)
FILE_FIELDS = (
    Field(
        "scope",
        Kind.RECORD,
        "Per kind of file, what section (d) covers.",
        fields=tuple(Field(name, Kind.RECORD, "", fields=SCOPE_FIELDS) for name in SOURCES),
    ),
    Field("known", Kind.RECORD, "Known differences.", many=True, fields=KNOWN_FIELDS),
)


@dataclass(frozen=True, slots=True)
class KnownDifference:
    """One deliberate difference, as reconcile.yaml records it, and where."""

    id: str
    authority: str
    field: str
    official: tuple[str, ...]
    reason: str
    location: Location

    def covers(self, difference: Difference, authority: str) -> bool:
        """The same record, authority and field, and the same official value (in any case,
        accents or punctuation; an identifier by its number)."""
        about = (difference.record, authority, difference.field)
        if (self.id, self.authority, self.field) != about:
            return False
        reported = value_keys(self.field, difference.official)
        return value_keys(self.field, self.official) == reported


@dataclass(frozen=True, slots=True)
class Settings:
    """What reconcile.yaml says; the defaults when there is no such file."""

    scope: Mapping[str, ScopeRules] = field(default_factory=lambda: dict(DEFAULT_RULES))
    known: tuple[KnownDifference, ...] = ()


def value_keys(field_name: str, values: Iterable[str]) -> frozenset[str]:
    """Official values as a known difference and the report compare them."""
    key = identifier_key if field_name == "identifiers" else fold
    return frozenset(key(value) for value in values)


def read_settings(root: Path, site: Site | None, today: dt.date) -> tuple[Settings, list[Problem]]:
    """Read and check reconcile.yaml (the defaults if it does not exist)."""
    path = root / KNOWN_FILE
    if not path.is_file():
        return Settings(), []
    loaded = load_yaml_file(path, KNOWN_FILE)
    if loaded.root is None:
        return Settings(), list(loaded.problems)
    checker = Checker(KNOWN_FILE, ("en",), today)
    data = checker.record(loaded.root, FILE_FIELDS) or {}
    origin = Origin(KNOWN_FILE, checker.locations)
    problems = [*loaded.problems, *checker.problems]
    if site is not None:
        problems += _check_references(data, origin, site)
    scope = {
        source: rules.updated(data.get("scope", {}).get(source, {}))
        for source, rules in DEFAULT_RULES.items()
    }
    known = tuple(
        KnownDifference(
            **{name: item[name] for name in ("id", "authority", "field", "reason")},
            official=tuple(item["official"]),
            location=origin.at(f"known[{index}]"),
        )
        for index, item in enumerate(data.get("known", ()))
        if {spec.name for spec in KNOWN_FIELDS} <= set(item)
    )
    return Settings(scope, known), problems


def _check_references(data: Mapping[str, Any], origin: Origin, site: Site) -> list[Problem]:
    """Record ids that exist, authorities that are participants."""
    ids = sorted(subject.id for subject in site.subjects)
    codes = sorted(participant.code for participant in site.participants)
    places: list[tuple[str, str]] = [
        (f"known[{index}].id", item["id"])
        for index, item in enumerate(data.get("known", ()))
        if "id" in item
    ]
    for source, rules in data.get("scope", {}).items():
        places += [
            (f"scope.{source}.not_through[{index}]", record)
            for index, record in enumerate(rules.get("not_through", ()))
        ]
    problems = [
        Problem(
            origin.at(where),
            "unknown-related",
            where,
            f"no record has the id '{record}'{suggest(record, ids)}",
            "ids are file names in designations/ without .yaml",
        )
        for where, record in places
        if record not in ids
    ]
    for index, item in enumerate(data.get("known", ())):
        authority = item.get("authority")
        if authority and authority not in codes:
            where = f"known[{index}].authority"
            problems.append(
                Problem(
                    origin.at(where),
                    "unknown-authority",
                    where,
                    f"'{authority}' is not a participant{suggest_code(authority, codes)}",
                    "authorities are the codes in content/participants.yaml",
                )
            )
    return problems
