"""What ``reconcile`` found, as plain values, and the same as one JSON document.

Four sections: (a) official entries matching a record that lacks the authority's sanction,
(b) sanctions of ours whose entry the file no longer holds, to be lifted, (c) field
differences between matched entries and their records, (d) entries of the chemical-weapons
scope that have no record. Known differences (``reconcile.yaml``) are left out and counted;
those that no longer occur are listed as stale.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from generator.reconcile.compare import Difference
from generator.reconcile.known import KnownDifference
from generator.reconcile.official import OfficialEntry


@dataclass(frozen=True, slots=True)
class MissingSanction:
    """(a) An official entry whose record has no sanction of the authority in force."""

    official: OfficialEntry
    record: str
    by: str  # how the entry was matched (match.BY_*)
    note: str  # what became of our sanction, if we had one


@dataclass(frozen=True, slots=True)
class ToLift:
    """(b) A sanction of ours in force whose entry the file does not hold."""

    record: str
    name: str
    entry: str | None
    program: str | None
    listed: dt.date


@dataclass(frozen=True, slots=True)
class Unrecorded:
    """(d) An entry of the chemical-weapons scope that matches no record."""

    official: OfficialEntry
    why: str  # why it is in scope


@dataclass(frozen=True, slots=True)
class Report:
    source: str  # eu-csv, ofac-csv, un-xml
    file: str  # the file's name (never its full path)
    date: dt.date | None  # the file's date, when given
    authority: str
    entries: int  # persons and entities read
    left_out: int  # records of other kinds (vessels, aircraft)
    matched: int  # entries matching a record
    out_of_scope: int  # entries matching no record, outside the chemical-weapons scope
    missing: tuple[MissingSanction, ...]
    to_lift: tuple[ToLift, ...]
    differences: tuple[Difference, ...]
    unrecorded: tuple[Unrecorded, ...]
    known: int  # reported items left out as known differences
    stale: tuple[KnownDifference, ...]

    @property
    def agrees(self) -> bool:
        """Nothing new to report: the exit status is 0."""
        return not (
            self.missing or self.to_lift or self.differences or self.unrecorded or self.stale
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data with stable keys, for ``--format json``."""
        return {
            "source": self.source,
            "file": self.file,
            "date": self.date.isoformat() if self.date else None,
            "authority": self.authority,
            "agrees": self.agrees,
            "counts": {
                "entries": self.entries,
                "left_out": self.left_out,
                "matched": self.matched,
                "out_of_scope": self.out_of_scope,
                "missing_sanction": len(self.missing),
                "to_lift": len(self.to_lift),
                "differences": len(self.differences),
                "unrecorded": len(self.unrecorded),
                "known": self.known,
                "stale": len(self.stale),
            },
            "missing_sanction": [_missing(item) for item in self.missing],
            "to_lift": [_to_lift(item) for item in self.to_lift],
            "differences": [_difference(item) for item in self.differences],
            "unrecorded": [
                {**_official(item.official), "scope": item.why} for item in self.unrecorded
            ],
            "stale": [_stale(item) for item in self.stale],
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"


def _official(official: OfficialEntry) -> dict[str, Any]:
    return {
        "entry": official.entry,
        "label": official.label,
        "line": official.row,
        "type": official.type,
        "name": official.name,
    }


def _missing(item: MissingSanction) -> dict[str, Any]:
    return {
        **_official(item.official),
        "record": item.record,
        "matched_by": item.by,
        "note": item.note or None,
    }


def _to_lift(item: ToLift) -> dict[str, Any]:
    return {
        "record": item.record,
        "name": item.name,
        "entry": item.entry,
        "program": item.program,
        "listed": item.listed.isoformat(),
    }


def _difference(item: Difference) -> dict[str, Any]:
    return {
        "record": item.record,
        "entry": item.entry,
        "label": item.label,
        "field": item.field,
        "official": list(item.official),
        "ours": list(item.ours),
    }


def _stale(item: KnownDifference) -> dict[str, Any]:
    return {
        "id": item.id,
        "authority": item.authority,
        "field": item.field,
        "official": list(item.official),
        "reason": item.reason,
        "location": str(item.location),
    }
