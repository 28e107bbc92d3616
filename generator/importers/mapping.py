"""Mapping steps several importers share: aliases with their language, dates, countries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from generator.importers.draft import Draft, ImportFileError
from generator.importers.naming import is_single_word, name_language
from generator.importers.values import country_code, country_codes, parse_dates, parse_full_date


def read_text_file(path: Path) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark), else a clear error."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path}: byte {exc.start} is not UTF-8; is this the right file and format?"
        ) from None


def csv_rows(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the line each starts on (cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None


def add_alias(draft: Draft, name: str, *, weak: bool = False) -> None:
    """An alias with its language when known; names in other scripts without one are noted."""
    countries = draft.values.get("nationality", []) + draft.values.get("country", [])
    lang, script = name_language(name, countries)
    if lang is None and script != "Latn":
        draft.warn(
            "import-lang",
            "aliases",
            f"'{name}' is in {script}; the list does not say in which language (set lang)",
        )
    if draft.type == "person" and is_single_word(name):
        weak = True  # a surname or a first name alone, as the hand-written records do
    draft.add_alias(name, lang=lang, weak=weak)


def add_birth_dates(draft: Draft, text: str, source_field: str) -> None:
    dates = parse_dates(text)
    draft.add("birth_date", *dates.values)
    for doubt in dates.doubts:
        draft.warn("import-date", source_field, doubt)


def add_countries(draft: Draft, key: str, text: str, source_field: str) -> None:
    """Nationalities or countries, as ISO codes; what is not a known country is reported."""
    codes, unknown = country_codes(text)
    draft.add(key, *codes)
    for part in unknown:
        draft.warn(
            "import-country",
            source_field,
            f"'{part}' is not a country or nationality we know; not written",
        )


def set_listed(draft: Draft, text: str, source_field: str) -> None:
    listed = parse_full_date(text) if text else None
    if listed is None:
        draft.warn(
            "import-fill",
            "sanctions[0].listed",
            f"no listing date could be read from {source_field} {text!r}; fill it in",
        )
    else:
        draft.sanction["listed"] = listed.isoformat()


def drop(
    draft: Draft, source_field: str, value: str, why: str = "our format has no field for it"
) -> None:
    draft.warn("import-dropped", source_field, f"{value!r} not written: {why}")


def add_identifier(draft: Draft, kind: str, text: str, note: str | None = None) -> None:
    """``N006478882 (Syria)`` -> {type, number, country}; text in brackets that is not a
    country, or after them, goes to the note."""
    number, country, rest = split_number(text)
    if not number:
        return
    item: dict[str, str] = {"type": kind, "number": number}
    if kind in ("inn", "ogrn"):
        country = country or "RU"  # Russian numbers by definition
    if country:
        item["country"] = country
    notes = [part for part in (note, rest) if part]
    if notes:
        item["note"] = "; ".join(notes)
    draft.add("identifiers", item)


def split_number(text: str) -> tuple[str, str | None, str]:
    """``808 195 689 00019 (France)`` -> (number, FR, ""); ``123 (Nabatieh) issued 2001`` ->
    (``123``, None, ``Nabatieh; issued 2001``)."""
    number, bracket, after = text.strip().partition("(")
    inside, _, rest = after.partition(")")
    country = country_code(inside) if bracket else None
    notes = [part.strip() for part in ("" if country else inside, rest) if part.strip()]
    return number.strip().rstrip(",;"), country, "; ".join(notes)
