"""US: OFAC's legacy SDN list, ``sdn.csv``.

No header; 12 columns (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
Tonnage, GRT, Vess_flag, Vess_owner, Remarks); CRLF line ends; ``-0- `` for an empty cell; a
Ctrl-Z byte at the end. Individuals are printed ``SURNAME, Given``. The file has no designation
date: ``listed`` is left for the coordinator, who finds it in OFAC's Recent Actions.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.importers.draft import (
    UNSUPPORTED,
    Draft,
    FilterKey,
    Filters,
    ImportFileError,
    Notice,
    Parsed,
)
from generator.importers.mapping import csv_rows, drop, read_text_file
from generator.importers.naming import doubtful_words, invert_name, recase
from generator.importers.ofac_remarks import apply_remarks

FILTER_KEYS = (
    FilterKey("ent_num", "range", "OFAC entry numbers or ranges: 9352,24744-24756"),
    FilterKey("program", "exact", "a programme of the entry, e.g. NPWMD, SYRIA"),
    FilterKey("type", "exact", "person, entity, vessel or aircraft"),
    FilterKey("name", "contains", "part of the name (case and accents ignored)"),
)
COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
EMPTY = "-0-"
TYPES = {"individual": "person", "": "entity", "vessel": "vessel", "aircraft": "aircraft"}
# Programme -> the act it rests on, as cited; programmes not here are left for the coordinator.
REFERENCES = {
    "NPWMD": "Executive Order 13382",
    "SYRIA": "Executive Order 13582",
    "SDGT": "Executive Order 13224",
    "GLOMAG": "Executive Order 13818",
    "CAATSA - RUSSIA": "Countering America's Adversaries Through Sanctions Act (CAATSA)",
    "MAGNIT": "Sergei Magnitsky Rule of Law Accountability Act of 2012",
}
ENTRY_PAGE = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id="
_EXECUTIVE_ORDER = re.compile(r".*EO ?(\d{5})")


def parse(path: Path, filters: Filters, authority: str | None = None) -> Parsed:
    """Read sdn.csv; convert the rows that pass the filters."""
    text = read_text_file(path).rstrip("\x1a\r\n")
    parsed = Parsed()
    chosen = filters.wanted.get("program", ())
    for line, cells in csv_rows(text, path):
        if len(cells) != len(COLUMNS):
            raise ImportFileError(
                f"{path}:{line}: {len(cells)} cells; an SDN row has {len(COLUMNS)}"
                " (is this OFAC's sdn.csv?)"
            )
        row = {key: _clean(value) for key, value in zip(COLUMNS, cells, strict=True)}
        if not row["ent_num"].isdigit():
            raise ImportFileError(f"{path}:{line}: ent_num {row['ent_num']!r} is not a number")
        parsed.total += 1
        if filters.matches(_facts(row)):
            parsed.matched += 1
            _convert(row, str(path), line, chosen, parsed)
    return parsed


def _clean(cell: str) -> str:
    cell = cell.strip()
    return "" if cell == EMPTY else cell


def programs(cell: str) -> list[str]:
    """``NPWMD] [CAATSA - RUSSIA`` -> [``NPWMD``, ``CAATSA - RUSSIA``]."""
    return [part.strip(" []") for part in cell.split("] [") if part.strip(" []")]


def _facts(row: dict[str, str]) -> dict[str, list[str]]:
    return {
        "ent_num": [row["ent_num"]],
        "program": programs(row["Program"]),
        "type": [TYPES.get(row["SDN_Type"], row["SDN_Type"])],
        "name": [row["SDN_Name"]],
    }


def _convert(
    row: dict[str, str], source: str, line: int, chosen: tuple[str, ...], parsed: Parsed
) -> None:
    label = f"OFAC {row['ent_num']}"
    kind = TYPES.get(row["SDN_Type"], row["SDN_Type"])
    if kind not in ("person", "entity"):
        message = f"{label} is a {kind}; only persons and entities are imported"
        parsed.notices.append(Notice(source, line, UNSUPPORTED, "SDN_Type", message))
        return
    draft = Draft(source, line, label, kind, _name(row["SDN_Name"], kind))
    for word in doubtful_words(row["SDN_Name"], draft.name) if kind == "entity" else ():
        draft.warn("import-check", "name", f"'{word}' written in lower case; is it an acronym?")
    title = row["Title"]
    if title and kind == "person":
        draft.add("position", title)
    elif title:
        drop(draft, "Title", title, "our format has positions for persons only")
    apply_remarks(draft, row["Remarks"], title)
    for column in COLUMNS[5:11]:
        if row[column]:
            drop(draft, column, row[column])
    _sanction(draft, row, chosen)
    parsed.drafts.append(draft)


def _name(printed: str, kind: str) -> str:
    if kind == "person":
        return recase(invert_name(printed))
    return recase(printed, organisation=True)


def _sanction(draft: Draft, row: dict[str, str], chosen: tuple[str, ...]) -> None:
    listed = programs(row["Program"])
    wanted = [p for p in listed if any(p.casefold() == c.casefold() for c in chosen)]
    program = (wanted or listed or [""])[0]
    draft.sanction = {"authority": "US", "program": program, "entry": row["ent_num"]}
    if not program:
        del draft.sanction["program"]
    others = [p for p in listed if p != program]
    if others:
        draft.warn(
            "import-check",
            "Program",
            f"also listed under {', '.join(others)}; add a sanction entry for each"
            " programme that rests on another act",
        )
    draft.warn(
        "import-fill",
        "sanctions[0].listed",
        "sdn.csv has no designation date; find it in OFAC's Recent Actions",
    )
    reference = reference_for(program)
    if reference:
        draft.sanction["reference"] = reference
    else:
        draft.warn(
            "import-fill", "sanctions[0].reference", f"cite the act of programme {program!r}"
        )
    # The entry's page in OFAC's Sanctions List Search: the official source of the listing.
    draft.sanction["url"] = f"{ENTRY_PAGE}{row['ent_num']}"
    draft.sanction["measures"] = ["asset-freeze"]


def reference_for(program: str) -> str | None:
    """The act a programme rests on, when the programme names one."""
    if program in REFERENCES:
        return REFERENCES[program]
    match = _EXECUTIVE_ORDER.fullmatch(program)
    return f"Executive Order {match[1]}" if match else None
