"""Permanent ids: withdrawn records (tombstones) and the check that no published id vanishes.

A record that must leave the list (entered twice, entered by mistake) is not deleted: its file
keeps ``id``, ``type`` and ``name`` and gains ``removed: {date, reason}``, and its page says so.
``noimpunity validate --against REV`` reports every record of REV that has no file any more.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator import fields
from generator.errors import Location, Problem
from generator.git import files_at
from generator.layout import DESIGNATIONS
from generator.load import Node
from generator.model import Origin, Site, Tombstone
from generator.validate import Checker

TOMBSTONE_HINT = (
    "restore the file, or keep it as a tombstone: id, type, name and removed: {date, reason}"
)


def read_tombstone(
    root: Node, rel: str, languages: tuple[str, ...], today: dt.date, problems: list[Problem]
) -> Tombstone | None:
    checker = Checker(rel, languages, today)
    data = checker.record(root, fields.TOMBSTONE_FIELDS)
    problems.extend(checker.problems)
    if data is None or any(p.is_error for p in checker.problems):
        return None
    removed = data["removed"]
    return Tombstone(
        id=data["id"],
        type=data["type"],
        name=data["name"],
        removed=removed["date"],
        reason=removed["reason"],
        origin=Origin(rel, checker.locations),
    )


def check_against(root: Path, revision: str, site: Site) -> list[Problem]:
    """Every record published at ``revision`` still has its file (a record or a tombstone)."""
    present = {subject.id for subject in site.subjects} | {t.id for t in site.tombstones}
    problems = []
    for path in files_at(root, revision, DESIGNATIONS):
        stem = Path(path).stem
        if path.endswith(".yaml") and stem not in present:
            message = f"'{stem}' was published at {revision} and has disappeared; ids are permanent"
            problems.append(Problem(Location(path), "removed-id", "id", message, TOMBSTONE_HINT))
    return problems
