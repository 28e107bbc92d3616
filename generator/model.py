"""The typed model that templates and exports receive: frozen dataclasses, never raw YAML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.dates import PartialDate
from generator.errors import Location
from generator.fields import Field, Kind
from generator.names import RTL_SCRIPTS, detect_script, sort_key

# No __slots__: slotted frozen dataclasses pickle through Python-level hooks, many times slower
# than plain instances, and the build cache pickles every record.
FROZEN = {"frozen": True, "kw_only": True}


class Locations(Mapping[str, Location]):
    """Where each field of one file was written, packed in one string: ``\n<field>\t<line>\t
    <column>`` per field.

    A record has some 36 located fields; as a dict of ``Location`` objects they took two thirds
    of the model's memory (6 kB a record, 300 MB at 50,000 records), held by the build for its
    whole length and copied page by page into every forked worker, though only a problem's
    message reads them. Packed, they take a sixth of that and pickle as two strings.
    """

    __slots__ = ("_packed", "_path")

    def __init__(self, path: str, packed: str) -> None:
        self._path = path
        self._packed = packed

    @staticmethod
    def of(path: str, locations: Mapping[str, Location]) -> Mapping[str, Location]:
        """``locations`` packed, or as given when they cannot be (another file, a field name
        holding a tab or a line break)."""
        if not isinstance(locations, dict) or not locations:
            return locations
        parts = []
        for key, where in locations.items():
            if where.path != path or "\t" in key or "\n" in key:
                return locations
            parts.append(f"\n{key}\t{where.line}\t{where.column}")
        return Locations(path, "".join(parts))

    def __getitem__(self, key: str) -> Location:
        start = self._packed.find(f"\n{key}\t") if "\n" not in key else -1
        if start < 0:
            raise KeyError(key)
        end = self._packed.find("\n", start + 1)
        _, line, column = self._packed[start + 1 : None if end < 0 else end].split("\t")
        return Location(self._path, int(line), int(column))

    def __iter__(self) -> Iterator[str]:
        return (entry.split("\t", 1)[0] for entry in self._packed[1:].split("\n"))

    def __len__(self) -> int:
        return self._packed.count("\n")

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Locations, (self._path, self._packed))


@dataclass(frozen=True)
class Origin:
    """Where a model object came from, and where each of its fields was written (packed, see
    ``Locations``)."""

    path: str
    locations: Mapping[str, Location] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "locations", Locations.of(self.path, self.locations))

    def at(self, field_path: str) -> Location:
        """Location of a field (``sanctions[0].listed``), else of its nearest written parent."""
        path = field_path
        while path:
            if path in self.locations:
                return self.locations[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.locations.get("", Location(self.path, 1, 1))


@dataclass(**FROZEN)
class Alias:
    name: str
    lang: str | None = None
    weak: bool = False

    @property
    def script(self) -> str:
        return detect_script(self.name)

    @property
    def html_lang(self) -> str | None:
        """The ``lang`` attribute for the name: its language, or ``und-<Script>`` if not Latin."""
        if self.lang:
            return self.lang
        script = self.script
        return None if script == "Latn" else f"und-{script}"

    @property
    def direction(self) -> str | None:
        return "rtl" if self.script in RTL_SCRIPTS else None


@dataclass(**FROZEN)
class Identifier:
    type: str
    number: str
    country: str | None = None
    note: str | None = None


@dataclass(**FROZEN)
class Sanction:
    authority: str
    listed: dt.date
    reference: str
    measures: tuple[str, ...]
    program: str | None = None
    entry: str | None = None
    url: str | None = None
    url_not_found: bool = False
    lifted: dt.date | None = None
    expires: PartialDate | None = None
    not_renewed: bool = False
    renewed: tuple[PartialDate, ...] = ()

    def status_on(self, day: dt.date) -> str:
        """What the records show of the measure on ``day``, claiming no more than they know.

        ``lifted`` from its lifting date; after ``expires`` (its last day, for a month),
        ``expired`` when it is known not to have been renewed, else ``unconfirmed``: the
        expiry passed with no renewal recorded, so whether it is still in force is not known.
        Otherwise ``in-force``.
        """
        if self.lifted is not None and self.lifted <= day:
            return "lifted"
        if self.expires is not None and self.expires.latest() < day:
            return "expired" if self.not_renewed else "unconfirmed"
        return "in-force"


@dataclass(**FROZEN)
class Relation:
    id: str
    relation: str


@dataclass(**FROZEN)
class Subject:
    """A subject record: the fields of fields.SUBJECT_FIELDS, as built by ``Subject.of``.

    The attributes below type the fields the code reads; a field of the table not declared here
    is kept in ``extra`` and read with ``subject["name"]``, or ``subject.name`` in templates
    (Jinja falls back to the item): a field added to the table needs no change here.
    """

    id: str
    type: str
    name: str
    sanctions: tuple[Sanction, ...]
    grounds: Mapping[str, str]
    aliases: tuple[Alias, ...] = ()
    country: tuple[str, ...] = ()
    address: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    website: tuple[str, ...] = ()
    birth_date: tuple[PartialDate, ...] = ()
    birth_place: tuple[str, ...] = ()
    nationality: tuple[str, ...] = ()
    gender: str | None = None
    position: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    related: tuple[Relation, ...] = ()
    cases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # the table's other fields, by name
    origin: Origin = field(default=Origin(""), compare=False, repr=False)

    @classmethod
    def of(cls, values: Mapping[str, Any], origin: Origin) -> Subject:
        """The subject holding ``values`` (each field's model value, see ``field_value``)."""
        declared, extra = _split(values)
        return cls(**declared, extra=extra, origin=origin)

    def replaced(self, values: Mapping[str, Any], origin: Origin) -> Subject:
        """A copy with some fields' values replaced."""
        declared, extra = _split(values)
        return dataclasses.replace(self, **declared, extra={**self.extra, **extra}, origin=origin)

    def __getitem__(self, name: str) -> Any:
        """The value of any field of the table, by name."""
        if name in DECLARED:
            return getattr(self, name)
        try:
            return self.extra[name]
        except KeyError:
            raise KeyError(name) from None

    @functools.cached_property
    def sort_key(self) -> tuple[str, str]:
        return (sort_key(self.name), self.id)

    @functools.cached_property
    def derived(self) -> dict[str, Any]:
        """Values later stages compute from the record alone (the duplicate check's name keys),
        kept on it: the build cache stores them with the record, so they are computed once."""
        return {}

    def is_listed_on(self, day: dt.date) -> bool:
        """True while at least one of its sanctions is in force."""
        return any(sanction.status_on(day) == "in-force" for sanction in self.sanctions)

    def status_on(self, day: dt.date) -> str:
        """``listed`` while a sanction is in force; ``unconfirmed`` when none is but one's expiry
        passed with no renewal recorded; ``delisted`` only once every sanction is lifted or
        known to have expired."""
        states = {sanction.status_on(day) for sanction in self.sanctions}
        if "in-force" in states:
            return "listed"
        return "unconfirmed" if "unconfirmed" in states else "delisted"

    @property
    def authorities(self) -> tuple[str, ...]:
        return tuple(sorted({sanction.authority for sanction in self.sanctions}))

    @property
    def first_listed(self) -> dt.date:
        return min(sanction.listed for sanction in self.sanctions)

    @property
    def countries(self) -> tuple[str, ...]:
        """Nationalities of a person, countries of an organisation."""
        return self.nationality if self.type == "person" else self.country

    @property
    def last_listed(self) -> dt.date:
        """Date of the most recent listing act, by any authority."""
        return max(sanction.listed for sanction in self.sanctions)


# The fields of the table that Subject declares as attributes.
DECLARED = frozenset(f.name for f in dataclasses.fields(Subject)) - {"extra", "origin"}


def _split(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Field values as Subject's attributes, and the rest (its ``extra``)."""
    declared = {name: value for name, value in values.items() if name in DECLARED}
    return declared, {name: value for name, value in values.items() if name not in DECLARED}


# The model class of each subject field holding records.
RECORD_CLASSES: dict[str, type[Any]] = {
    "aliases": Alias,
    "identifiers": Identifier,
    "related": Relation,
    "sanctions": Sanction,
}


def field_value(spec: Field, value: Any) -> Any:
    """A subject field's model value from its validated value (None when not written): records
    as their model class, several values as a tuple."""
    if value is None:
        return empty_value(spec)
    if spec.kind is Kind.RECORD:
        make = RECORD_CLASSES[spec.name]
        if spec.many:
            return tuple(make(**{key: _shared(v) for key, v in item.items()}) for item in value)
        return make(**{key: _shared(v) for key, v in value.items()})
    if spec.kind in PROSE:
        return tuple(value) if spec.many else value
    return tuple(_shared(item) for item in value) if spec.many else _shared(value)


# Texts written once per record, never shared with another (the rest are interned).
PROSE = frozenset({Kind.MARKDOWN, Kind.LOCALIZED})


def _shared(value: Any) -> Any:
    """A text as the one copy of it (``sys.intern``), in a tuple too; other values as given.

    The same few texts recur in every record (measures, authorities, types, countries,
    programmes, legal acts): each was a string of its own, a sixth of the model's memory. The
    read workers' results pickle an interned text once per chunk.
    """
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, tuple):
        return tuple(_shared(item) for item in value)
    return value


def empty_value(spec: Field) -> Any:
    """What a field holds when it is not written."""
    if spec.many:
        return ()
    if spec.kind is Kind.LOCALIZED:
        return {}
    return False if spec.kind is Kind.BOOL else None


@dataclass(**FROZEN)
class Participant:
    code: str
    kind: str
    name: Mapping[str, str]
    joined: dt.date | None = None
    coordinator: tuple[int, ...] = ()
    official_domains: tuple[str, ...] = ()
    list_url: str | None = None
    origin: Origin = field(default=Origin(""), compare=False, repr=False)

    def is_official(self, url: str) -> bool:
        """Whether ``url`` is on one of its official domains (or a subdomain of one)."""
        host = _host(url)
        return any(host == d or host.endswith("." + d) for d in self.official_domains)

    def display_name(self, lang: str) -> str:
        """Its name in ``lang``: an organisation's own (else its first), a State's from its code."""
        if self.name:
            return self.name.get(lang) or next(iter(self.name.values()))
        from generator.countries import country_name  # noqa: PLC0415 - Babel: only when needed

        return country_name(self.code, lang)


@functools.lru_cache(maxsize=1 << 16)
def _host(url: str) -> str:
    """A link's host name, lower case: parsed once per address (many records link one act)."""
    return (urlsplit(url).hostname or "").lower()


@dataclass(**FROZEN)
class Milestone:
    """A documented count of the participants: the Partnership's size on a date, as reported."""

    date: dt.date
    count: Mapping[str, str]
    source: str


@dataclass(**FROZEN)
class Page:
    """A Markdown page in one language: ``declaration``, ``about`` or a news item."""

    slug: str
    lang: str
    section: str  # "" for top-level pages, "news" for news items
    title: str
    body: str
    summary: str | None = None
    date: dt.date | None = None
    origin: Origin = field(default=Origin(""), compare=False, repr=False)


@dataclass(**FROZEN)
class Event:
    date: PartialDate
    text: Mapping[str, str]


@dataclass(**FROZEN)
class Case:
    """An incident or programme that ties designations together (Salisbury 2018, ...)."""

    id: str
    title: Mapping[str, str]
    summary: Mapping[str, str]
    events: tuple[Event, ...] = ()
    sources: tuple[str, ...] = ()
    origin: Origin = field(default=Origin(""), compare=False, repr=False)


@dataclass(**FROZEN)
class SiteConfig:
    title: Mapping[str, str]
    description: Mapping[str, str]
    base_url: str
    languages: tuple[str, ...]
    short_title: Mapping[str, str] = field(default_factory=dict)
    contact: str | None = None
    licence: Licence | None = None  # of the data and the site's texts


@dataclass(**FROZEN)
class Licence:
    name: str  # as readers know it: "CC BY 4.0"
    url: str  # its official text


@dataclass(**FROZEN)
class Tombstone:
    """A record withdrawn from the list (entered by mistake, a duplicate): its address stays."""

    id: str
    type: str
    name: str
    removed: dt.date
    reason: Mapping[str, str]
    origin: Origin = field(default=Origin(""), compare=False, repr=False)


@dataclass(**FROZEN)
class RecordHistory:
    """When a record was first published (committed) and last changed, and its amendments."""

    first: dt.date
    last: dt.date
    amended: tuple[dt.date, ...] = ()


@dataclass(**FROZEN)
class Site:
    config: SiteConfig
    participants: tuple[Participant, ...]
    subjects: tuple[Subject, ...]
    pages: tuple[Page, ...]
    as_of: dt.date  # the day statuses (in force, expired) are computed for
    cases: tuple[Case, ...] = ()
    # id -> history from git; None when the build is not at the top of a git tree
    history: Mapping[str, RecordHistory] | None = None
    tombstones: tuple[Tombstone, ...] = ()
    milestones: tuple[Milestone, ...] = ()  # documented counts of participants, oldest first
    # id -> digest of the record file's bytes (keys the build cache; see fingerprint.py)
    fingerprints: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def page(self, section: str, slug: str, lang: str) -> Page | None:
        for page in self.pages:
            if (page.section, page.slug, page.lang) == (section, slug, lang):
                return page
        return None
