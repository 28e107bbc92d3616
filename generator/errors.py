"""Problems found in the input, as values.

Every stage reports what is wrong by returning ``Problem`` values; only the CLI prints them, in
one format: ``path:line:col: severity[code] field: message``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Characters never printed as they are: controls (a hostile value could drive the terminal) and
# invisible formatting characters (the message would not show what is wrong).
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: path relative to the repository root, line and column from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
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
        return shown(text)

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the file at the problem's place."""
        place = {"file": shown(self.location.path)}
        if self.location.line > 0:
            place |= {"line": str(self.location.line), "col": str(self.location.column)}
        place["title"] = f"{self.severity.value}[{self.code}]"
        properties = ",".join(f"{key}={_escape(value, True)}" for key, value in place.items())
        message = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            message += f" ({self.hint})"
        message = shown(message, keep="\r\n")  # _escape encodes line breaks as GitHub reads them
        return f"::{self.severity.value} {properties}::{_escape(message)}"

    def as_dict(self) -> dict[str, str | int]:
        """The problem as plain data, for ``--format json``."""
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.field)


def shown(text: str, keep: str = "") -> str:
    """Text safe to print: control and invisible characters (but ``keep``) as ``<U+001B>``."""
    return "".join(
        f"<U+{ord(char):04X}>" if _unshown(char) and char not in keep else char for char in text
    )


def _unshown(char: str) -> bool:
    return _UNSHOWN.match(char) is not None or unicodedata.category(char) == "Cf"


def _escape(text: str, in_property: bool = False) -> str:
    """Escape text for a workflow command (GitHub's rules for data and property values)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


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


class InternalError(BuildError):
    """A bug of the generator found before publishing (a subject without its page, a download
    not registered): nothing is published."""
