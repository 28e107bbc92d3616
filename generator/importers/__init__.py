"""Importers: records of an official sanctions list -> draft records under designations/.

One module per source (``eu``, ``ofac``, ``un``) reads its file into drafts; ``writer`` gives
them ids and writes those not already recorded, never overwriting a file. Everything the
importer dropped or could not decide comes back as a ``Notice`` for the coordinator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.importers import eu, ofac, un
from generator.importers.draft import (
    FilterKey,
    Filters,
    ImportFileError,
    ImportUsageError,
    Notice,
    Parsed,
    parse_filters,
)
from generator.importers.writer import write_drafts
from generator.layout import PARTICIPANTS_FILE
from generator.load import Mapping, Scalar, load_yaml_file
from generator.load import Sequence as NodeSequence

__all__ = [
    "SOURCES",
    "ImportFileError",
    "ImportReport",
    "ImportUsageError",
    "Notice",
    "Source",
    "run_import",
]


@dataclass(frozen=True, slots=True)
class Source:
    """One kind of list file: how to read it and which filters it accepts."""

    name: str
    description: str
    parse: Callable[[Path, Filters, str | None], Parsed]
    filter_keys: tuple[FilterKey, ...]
    needs_authority: bool = False


SOURCES = {
    "eu-csv": Source("eu-csv", "EU annex as CSV (authority EU)", eu.parse, eu.FILTER_KEYS),
    "ofac-csv": Source("ofac-csv", "OFAC sdn.csv (authority US)", ofac.parse, ofac.FILTER_KEYS),
    "un-xml": Source(
        "un-xml", "UN Consolidated List XML (needs --authority)", un.parse, un.FILTER_KEYS, True
    ),
}


@dataclass(frozen=True, slots=True)
class ImportReport:
    written: tuple[Path, ...]
    skipped: int
    unsupported: int
    notices: tuple[Notice, ...]

    @property
    def attention(self) -> int:
        return sum(1 for notice in self.notices if notice.needs_attention)

    def summary(self) -> str:
        text = (
            f"wrote {_plural(len(self.written), 'draft')}, skipped {self.skipped} existing,"
            f" {_plural(self.attention, 'value')} need{'s' if self.attention == 1 else ''}"
            " attention"
        )
        if self.unsupported:
            text += f"; {_plural(self.unsupported, 'record')} of other kinds left out"
        return text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def run_import(
    source: str,
    path: Path,
    root: Path,
    filters: Sequence[str] = (),
    authority: str | None = None,
) -> ImportReport:
    """Read ``path`` as a ``source`` list and write drafts under ``root/designations``.

    Raises ImportUsageError when the options do not suit the source or the filters match no
    record, and ImportFileError when the file is not a list of that kind or holds no records.
    """
    kind = SOURCES.get(source)
    if kind is None:
        raise ImportUsageError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    _check_authority(kind, root, authority)
    parsed = kind.parse(path, parse_filters(filters, kind.filter_keys), authority)
    if parsed.total == 0:
        raise ImportFileError(f"{path}: holds no records")
    if parsed.matched == 0:
        raise ImportUsageError(f"no record of {path} matches the filters")
    outcome = write_drafts(root, parsed.drafts)
    notices = sorted((*parsed.notices, *outcome.notices), key=lambda notice: notice.row)
    return ImportReport(
        written=tuple(outcome.written),
        skipped=outcome.skipped,
        unsupported=len(parsed.notices),
        notices=tuple(notices),
    )


def _check_authority(kind: Source, root: Path, authority: str | None) -> None:
    if not kind.needs_authority:
        if authority:
            raise ImportUsageError(f"--authority is for un-xml only; {kind.description}")
        return
    if not authority:
        raise ImportUsageError(AUTHORITY_NEEDED)
    problem = authority_problem(root, authority)
    if problem:
        raise ImportUsageError(problem)


# What the UN's lists need: the participant applying them (the UN is not one).
AUTHORITY_NEEDED = (
    "the UN is not a participant: give --authority, the code of the participant that applies"
    " the UN listing (e.g. EU or FR)"
)


def authority_problem(root: Path, authority: str) -> str | None:
    """Why ``authority`` is not a participant code of the repository, or None when it is."""
    codes = participant_codes(root)
    if not re.fullmatch(r"[A-Z]{2}", authority) or (codes and authority not in codes):
        listed = f"; the participants are {', '.join(codes)}" if codes else ""
        return f"--authority {authority!r} is not a participant code{listed}"
    return None


def participant_codes(root: Path) -> list[str]:
    """The codes in ``root/content/participants.yaml`` (none when it cannot be read)."""
    path = root / PARTICIPANTS_FILE
    if not path.is_file():
        return []
    node = load_yaml_file(path, PARTICIPANTS_FILE).root
    items = node.items if isinstance(node, NodeSequence) else ()
    codes = (item.get("code") for item in items if isinstance(item, Mapping))
    return sorted(code.value for code in codes if isinstance(code, Scalar))
