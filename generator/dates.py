"""Partial dates (``1966``, ``1979-07``, ``1979-07-13``) and full dates, parsed from text.

YAML never parses dates for us (see load.py): this module decides what a valid date is, so that
``2018-02-30`` is a located error rather than a traceback or a silent string.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MIN_YEAR = 1800
_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        return self.iso()


class DateError(ValueError):
    """The text is not a date of the expected form; the message says what is allowed."""


def parse_partial_date(text: str) -> PartialDate:
    match = _PATTERN.fullmatch(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if year < MIN_YEAR:
        raise DateError(f"year {year} is before {MIN_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {month}; months run from 01 to 12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            raise DateError(f"'{text}' does not exist: {name} {year} has {last} days")
    return PartialDate(year, month, day)


def parse_full_date(text: str) -> dt.date:
    if not _PATTERN.fullmatch(text.strip()):
        raise DateError(f"'{text}' is not a date; write YYYY-MM-DD")
    value = parse_partial_date(text)
    if value.day is None:
        raise DateError(f"'{text}' is not a full date; write YYYY-MM-DD")
    return value.earliest()
