"""Problems found in the input, as values.

Every stage reports what is wrong by returning ``Problem`` values; only the CLI prints them, in
one format: ``path:line:col: severity[code] field: message``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file: path relative to the repository root, line and column from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where, a stable code, the field, what and how to fix it."""

    location: Location
    code: str
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        field = f"{self.field}: " if self.field else ""
        text = f"{self.location}: {self.severity.value}[{self.code}] {field}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.field)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, line, column, then code; exact repeats removed."""
    unique = {(p.sort_key(), p.message, p.severity.value): p for p in problems}
    return [unique[key] for key in sorted(unique)]


def summarise(problems: Iterable[Problem]) -> str:
    """The one-line summary printed after the problems, e.g. ``2 errors, 1 warning``."""
    problems = list(problems)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class BuildError(Exception):
    """Raised by the core when input problems stop a build; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(summarise(problems))
        self.problems = problems
