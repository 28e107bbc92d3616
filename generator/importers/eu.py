"""EU: an annex of an EU sanctions act as CSV (OpenSanctions' "EU Journal consolidated" columns).

One row per entry: ``celex`` names the act, ``annex`` and ``recordId`` the entry (``I.A 7``),
``startDate`` the listing date, as printed in the Official Journal (``21.1.2019``). Multi-valued
cells are ``;``-separated. The ``reason`` column (the statement of reasons) is never copied.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.identifiers import inn_ok, ogrn_ok
from generator.importers.draft import (
    UNSUPPORTED,
    Draft,
    FilterKey,
    Filters,
    ImportFileError,
    Notice,
    Parsed,
)
from generator.importers.mapping import (
    add_alias,
    add_birth_dates,
    add_countries,
    add_identifier,
    csv_rows,
    drop,
    read_text_file,
    set_listed,
)
from generator.importers.naming import recase, split_acronym, split_names
from generator.importers.values import parse_full_date, place_country

FILTER_KEYS = (
    FilterKey("annex", "exact", "annex of the act: I.A (persons) or I.B (entities)"),
    FilterKey("entry", "range", "entry number within its annex (recordId): 6, 1-9"),
    FilterKey("type", "exact", "person or entity"),
    FilterKey("program", "exact", "programme code (programKey), e.g. EU-CHEM"),
    FilterKey("listed", "prefix", "listing date as YYYY, YYYY-MM or YYYY-MM-DD"),
    FilterKey("name", "contains", "part of the name or of an alias (case and accents ignored)"),
)
REQUIRED = ("celex", "recordId", "annex", "startDate", "schema", "name")
# The acts whose annexes OpenSanctions transcribes, as they are cited.
REFERENCES = {
    "32018R1542": "Council Regulation (EU) 2018/1542",
    "32012R0036": "Council Regulation (EU) No 36/2012",
    "32014R0269": "Council Regulation (EU) No 269/2014",
    "32017R1509": "Council Regulation (EU) 2017/1509",
    "32020R1998": "Council Regulation (EU) 2020/1998",
}
TYPES = {
    "Person": "person",
    "LegalEntity": "entity",
    "Organization": "entity",
    "Company": "entity",
    "PublicBody": "entity",
}
MEASURES = {
    "asset freeze": "asset-freeze",
    "travel ban": "travel-ban",
    "arms embargo": "arms-embargo",
}
# Identifier columns: (type, note); INN, OGRN and tax numbers are handled apart.
NUMBER_COLUMNS = {
    "passportNumber": ("passport", None),
    "idNumber": ("national-id", None),
    "kppCode": ("other", "KPP (Russian tax registration reason code)"),
    "okpoCode": ("other", "OKPO code"),
    "leiCode": ("other", "LEI"),
    "swiftBic": ("other", "SWIFT/BIC"),
    "imoNumber": ("other", "IMO number"),
}
# Columns read by the steps below; any other column with a value is reported as dropped.
READ = frozenset(
    {*REQUIRED, "programKey", "measure", "reason", "alias", "weakAlias", "previousName"}
    | {"nationality", "birthDate", "birthPlace", "position", "gender", "country", "jurisdiction"}
    | {"address", "phone", "email", "website", "taxNumber", "innCode", "ogrnCode"}
    | {"registrationNumber", *NUMBER_COLUMNS}
)
PERSON_ONLY = ("birthDate", "birthPlace", "position", "gender")
ENTITY_ONLY = ("country", "jurisdiction", "phone", "email", "website")


def parse(path: Path, filters: Filters, authority: str | None = None) -> Parsed:
    """Read the CSV file; convert the rows that pass the filters."""
    rows = csv_rows(read_text_file(path), path)
    header = next(rows, (0, []))[1]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(f"{path}: not an EU annex CSV: the header lacks {', '.join(missing)}")
    parsed = Parsed()
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise ImportFileError(
                f"{path}:{line}: {len(cells)} cells where the header has {len(header)}"
            )
        row = {key: value.strip() for key, value in zip(header, cells, strict=True)}
        parsed.total += 1
        if not filters.matches(_facts(row)):
            continue
        parsed.matched += 1
        _convert(row, str(path), line, parsed)
    return parsed


def _facts(row: dict[str, str]) -> dict[str, list[str]]:
    listed = parse_full_date(row["startDate"])
    return {
        "annex": [row["annex"]],
        "entry": [row["recordId"]],
        "type": [TYPES.get(row["schema"], row["schema"])],
        "program": [row.get("programKey", "")],
        "listed": [listed.isoformat() if listed else row["startDate"]],
        "name": [row["name"], *split_names(row.get("alias", ""))],
    }


def _convert(row: dict[str, str], source: str, line: int, parsed: Parsed) -> None:
    label = f"EU {row['annex']} {row['recordId']}".strip()
    kind = TYPES.get(row["schema"])
    if kind is None:
        parsed.notices.append(
            Notice(
                source,
                line,
                UNSUPPORTED,
                "schema",
                f"{label} is a {row['schema']}; only persons and entities are imported",
            )
        )
        return
    name, acronym = split_acronym(row["name"])
    draft = Draft(source, line, label, kind, recase(name, organisation=kind != "person"))
    if kind == "person":
        _person(draft, row)
    else:
        _entity(draft, row)
    if acronym:
        draft.add_alias(acronym)
    _aliases(draft, row)
    _identifiers(draft, row)
    _sanction(draft, row)
    for column, value in row.items():
        if value and column not in READ:
            drop(draft, column, value)
    parsed.drafts.append(draft)


def _person(draft: Draft, row: dict[str, str]) -> None:
    add_countries(draft, "nationality", row.get("nationality", ""), "nationality")
    add_birth_dates(draft, row.get("birthDate", ""), "birthDate")
    draft.add("birth_place", *_split(row.get("birthPlace", "")))
    draft.add("position", *_split(row.get("position", "")))
    gender = row.get("gender", "").lower()
    if gender in ("male", "female"):
        draft.add("gender", gender)
    elif gender:
        drop(draft, "gender", row["gender"], "not male or female")
    draft.add("address", *_split(row.get("address", "")))
    for column in ENTITY_ONLY:
        if row.get(column):
            drop(draft, column, row[column], "our format has this field for organisations only")


def _entity(draft: Draft, row: dict[str, str]) -> None:
    for column in ("country", "jurisdiction", "nationality"):
        add_countries(draft, "country", row.get(column, ""), column)
    addresses = _split(row.get("address", ""))
    draft.add("address", *addresses)
    if not draft.values.get("country"):
        draft.add("country", *(place_country(address) for address in addresses))
    draft.add("phone", *_split(row.get("phone", ""), ";,"))
    draft.add("email", *_split(row.get("email", ""), ";, "))
    draft.add("website", *_split(row.get("website", ""), "; "))
    for column in PERSON_ONLY:
        if row.get(column):
            drop(draft, column, row[column], "our format has this field for persons only")


def _aliases(draft: Draft, row: dict[str, str]) -> None:
    organisation = draft.type != "person"
    for column in ("alias", "weakAlias", "previousName"):
        for printed in split_names(row.get(column, "")):
            name, acronym = split_acronym(printed) if organisation else (printed, None)
            add_alias(draft, recase(name, organisation=organisation), weak=column == "weakAlias")
            if acronym:
                draft.add_alias(acronym)
            if column == "previousName":
                draft.warn("import-check", "previousName", f"'{printed}' written as an alias")


def _identifiers(draft: Draft, row: dict[str, str]) -> None:
    russian = "RU" in draft.values.get("nationality", []) + draft.values.get("country", [])
    for column, (kind, note) in NUMBER_COLUMNS.items():
        for value in _split(row.get(column, "")):
            add_identifier(draft, kind, value, note)
    for value in _split(row.get("innCode", "")):
        inn, _, kpp = (part.strip() for part in value.partition("/"))
        _add_inn(draft, inn, "innCode")
        if kpp:
            add_identifier(draft, "other", kpp, NUMBER_COLUMNS["kppCode"][1])
    for value in _split(row.get("taxNumber", "")):
        number = value.partition("(")[0].strip()
        if (russian or "(Russia" in value) and inn_ok(number):
            _add_inn(draft, value, "taxNumber")
        else:
            add_identifier(draft, "tax-number", value)
    for column in ("ogrnCode", "registrationNumber"):
        for value in _split(row.get(column, "")):
            is_ogrn = (column == "ogrnCode" or russian) and ogrn_ok(value)
            kind = "ogrn" if is_ogrn else "registration-number"
            add_identifier(draft, kind, value)


def _add_inn(draft: Draft, value: str, column: str) -> None:
    number = value.partition("(")[0].strip()
    if inn_ok(number):
        add_identifier(draft, "inn", value)
        return
    # kept as printed, but not as an INN: the validator (and FollowTheMoney) would refuse it
    add_identifier(draft, "other", value, "taxpayer number (INN) as printed; its check digit fails")
    draft.warn(
        "import-check",
        column,
        f"INN {number} fails the INN check digits; check it against the act",
    )


def _sanction(draft: Draft, row: dict[str, str]) -> None:
    celex = row["celex"]
    draft.sanction = {"authority": "EU"}
    if row.get("programKey"):
        draft.sanction["program"] = row["programKey"]
    draft.sanction["entry"] = f"{row['annex']} {row['recordId']}".strip()
    set_listed(draft, row["startDate"], "startDate")
    if celex in REFERENCES:
        draft.sanction["reference"] = REFERENCES[celex]
    else:
        draft.warn("import-fill", "sanctions[0].reference", f"cite the act of CELEX {celex!r}")
    if re.fullmatch(r"[0-9][0-9A-Z()]+", celex):
        draft.sanction["url"] = f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"
    draft.sanction["measures"] = _measures(draft, row.get("measure", ""))


def _measures(draft: Draft, cell: str) -> list[str]:
    """The measures printed; persons are also banned from travel (by the Council Decision that
    goes with the Regulation); an empty cell is read as an asset freeze, and said so."""
    measures = []
    for printed in _split(cell, ";,"):
        measure = MEASURES.get(printed.lower())
        if measure:
            measures.append(measure)
        else:
            drop(draft, "measure", printed, "not a measure our format knows")
    if not cell:
        draft.warn("import-check", "measure", "empty; written as asset-freeze (check the act)")
        measures.append("asset-freeze")
    if draft.type == "person":
        measures.append("travel-ban")
    return list(dict.fromkeys(measures))


def _split(text: str, separators: str = ";") -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", text) if separators else [text]
    return [part.strip() for part in parts if part.strip()]
