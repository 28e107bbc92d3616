"""The change log of the list, from the records' own dates: listings, renewals, liftings and
expiries, newest first.

A build knows these from the records alone (the history of amendments from git is a later
addition). Every change names its subject, its authority and its legal act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from generator.model import Sanction, Site, Subject

KINDS = ("listed", "renewed", "lifted", "expired")


@dataclass(frozen=True, slots=True)
class Change:
    date: dt.date
    kind: str  # one of KINDS
    subject: Subject
    sanction: Sanction

    @property
    def key(self) -> str:
        """A stable identifier of the change, for the feed's entry ids."""
        sanction = self.sanction
        return f"{self.subject.id}/{sanction.authority}/{sanction.listed}/{self.kind}/{self.date}"


def sanction_changes(subject: Subject, sanction: Sanction, day: dt.date) -> Iterator[Change]:
    yield Change(sanction.listed, "listed", subject, sanction)
    for renewal in sanction.renewed:
        yield Change(renewal.earliest(), "renewed", subject, sanction)
    if sanction.lifted is not None and sanction.lifted <= day:
        yield Change(sanction.lifted, "lifted", subject, sanction)
    elif sanction.status_on(day) == "expired" and sanction.expires is not None:
        yield Change(sanction.expires, "expired", subject, sanction)


def changes(site: Site) -> list[Change]:
    """Every change up to the build date, newest first (ties in a stable order)."""
    found = [
        change
        for subject in site.subjects
        for sanction in subject.sanctions
        for change in sanction_changes(subject, sanction, site.as_of)
        if change.date <= site.as_of
    ]
    return sorted(found, key=lambda c: (-c.date.toordinal(), c.subject.sort_key, c.key))
