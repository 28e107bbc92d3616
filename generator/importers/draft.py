"""What every importer shares: the draft being built, notices, filters and errors.

An importer reads one official list and turns each of its records into a ``Draft``: the fields
of our format it could fill, one sanction entry, and a ``Notice`` for every source value it
dropped or that the coordinator has to check. Drafts never carry the official statement of
reasons: their grounds are a placeholder that the validator reports until it is replaced.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.contact import email_problem, phone_problem, web_address_problem
from generator.fields import SANCTION_FIELDS, SUBJECT_FIELDS
from generator.names import fold

# Start with "TODO:" so that `noimpunity validate` reports them (error[placeholder]) until a
# coordinator has written the grounds in their own words.
PLACEHOLDER_GROUNDS = {
    "en": "TODO: in your own words, why the subject is listed (see the act; do not copy it).",
    "fr": "TODO: avec vos propres mots, les motifs de l'inscription (voir l'acte sans le copier).",
}
# Fields written as a list even when they hold one value (as in the hand-written records).
ALWAYS_LIST = frozenset({"aliases", "country", "nationality", "identifiers", "phone"})
SKIPPED = "import-skipped"  # a record not written because it is already recorded
UNSUPPORTED = "import-unsupported"  # a record of a kind the site does not publish (vessels...)
# Contact values the validator checks: one it refuses is kept as printed and reported at once.
CONTACT_PROBLEMS: dict[str, Callable[[str], str | None]] = {
    "phone": phone_problem,
    "email": email_problem,
    "website": functools.partial(web_address_problem, scheme_required=False),
}


def words(text: str) -> tuple[str, ...]:
    """A table written as words separated by spaces (long tables stay readable)."""
    return tuple(text.split())


class ImportFileError(Exception):
    """The input file cannot be read as a list of the expected format."""


class ImportUsageError(Exception):
    """The options do not suit the source: an unknown filter, a missing authority..."""


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing the coordinator should know about one source record."""

    path: str
    row: int
    code: str
    field: str
    message: str

    @property
    def needs_attention(self) -> bool:
        return self.code not in (SKIPPED, UNSUPPORTED)

    def format(self) -> str:
        where = f"{self.path}:{self.row}" if self.row > 0 else self.path
        field_part = f"{self.field}: " if self.field else ""
        return f"{where}: warning[{self.code}] {field_part}{self.message}"


@dataclass
class Draft:
    """A record being built from one source record (``row`` is its line in the file)."""

    source: str
    row: int
    label: str  # how the source identifies the record, e.g. "EU I.A 6" or "OFAC 24744"
    type: str
    name: str
    values: dict[str, list[Any]] = field(default_factory=dict)
    sanction: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # names of subjects it is "linked to"

    def add(self, key: str, *items: Any) -> None:
        """Append values to a list field, skipping empty ones and repeats."""
        values = self.values.setdefault(key, [])
        check = CONTACT_PROBLEMS.get(key)
        for item in items:
            if item and item not in values:
                values.append(item)
                problem = check(item) if check else None
                if problem:
                    self.warn("import-check", key, f"{problem}; correct it in the draft")

    def add_alias(self, name: str, lang: str | None = None, weak: bool = False) -> None:
        name = " ".join(name.split())
        known = [self.name, *(alias_name(alias) for alias in self.values.get("aliases", []))]
        if not name or name in known:
            return
        if lang is None and not weak:
            self.add("aliases", name)
            return
        alias: dict[str, Any] = {"name": name}
        if lang:
            alias["lang"] = lang
        if weak:
            alias["weak"] = True
        self.add("aliases", alias)

    def warn(self, code: str, field_name: str, message: str) -> None:
        self.notices.append(Notice(self.source, self.row, code, field_name, message))

    def record(self, record_id: str, related: Sequence[Mapping[str, str]] = ()) -> dict[str, Any]:
        """The draft as a record of our format, fields in the order of the field table."""
        data: dict[str, Any] = {"id": record_id, "type": self.type, "name": self.name}
        for spec in SUBJECT_FIELDS:
            if spec.name == "sanctions":
                data["sanctions"] = [_ordered_sanction(self.sanction)]
            elif spec.name == "grounds":
                data["grounds"] = dict(PLACEHOLDER_GROUNDS)
            elif spec.name == "related" and related:
                data["related"] = [dict(item) for item in related]
            elif values := self.values.get(spec.name):
                single = len(values) == 1 and spec.name not in ALWAYS_LIST
                data[spec.name] = values[0] if single else list(values)
        return data


def alias_name(alias: Any) -> str:
    return str(alias["name"]) if isinstance(alias, dict) else str(alias)


def _ordered_sanction(sanction: Mapping[str, Any]) -> dict[str, Any]:
    return {spec.name: sanction[spec.name] for spec in SANCTION_FIELDS if spec.name in sanction}


@dataclass
class Parsed:
    """What an importer read: the drafts and the notices about records it did not convert."""

    drafts: list[Draft] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    total: int = 0  # records in the file
    matched: int = 0  # records that passed the filters (converted or not)


@dataclass(frozen=True, slots=True)
class FilterKey:
    """A ``--filter KEY=VALUE`` a source accepts; ``kind`` says how VALUE is compared."""

    name: str
    kind: str  # exact | contains | prefix | range (numbers or N-M ranges)
    help: str


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters given on the command line: values of one key are alternatives, keys all apply."""

    wanted: Mapping[str, tuple[str, ...]]
    keys: Mapping[str, FilterKey]

    def matches(self, facts: Mapping[str, Sequence[str]]) -> bool:
        return all(
            any(
                _match(self.keys[key].kind, want, fact)
                for want in wanted
                for fact in facts.get(key, ())
            )
            for key, wanted in self.wanted.items()
        )


def parse_filters(specs: Sequence[str], keys: Sequence[FilterKey]) -> Filters:
    """``["program=NPWMD", "ent_num=9352,24744-24756"]`` -> Filters; ImportUsageError if wrong."""
    known = {key.name: key for key in keys}
    wanted: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip()
        if not sep or not value.strip():
            raise ImportUsageError(f"--filter {spec!r}: write KEY=VALUE")
        if name not in known:
            raise ImportUsageError(
                f"--filter {spec!r}: unknown key {name!r}; this source knows: {', '.join(known)}"
            )
        values = [part.strip() for part in value.split(",") if part.strip()]
        if known[name].kind == "range" and not all(_range(part) for part in values):
            raise ImportUsageError(f"--filter {spec!r}: write numbers or ranges such as 10-20")
        wanted[name] = (*wanted.get(name, ()), *values)
    return Filters(wanted, known)


def _range(text: str) -> tuple[int, int] | None:
    low, _, high = text.partition("-")
    if not low.strip().isdigit() or (high and not high.strip().isdigit()):
        return None
    return int(low), int(high or low)


def _match(kind: str, want: str, fact: str) -> bool:
    if kind == "range":
        bounds = _range(want)
        return bounds is not None and fact.isdigit() and bounds[0] <= int(fact) <= bounds[1]
    if kind == "contains":
        return fold(want) in fold(fact)
    if kind == "prefix":
        return fact.casefold().startswith(want.casefold())
    return fold(want) == fold(fact)
