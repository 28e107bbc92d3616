"""UN: the Security Council's Consolidated List (XML, schema ``sc-sanctions.xsd``).

``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``, names in ``FIRST_NAME``..``FOURTH_NAME`` (in
capitals) and the name in its own script in ``NAME_ORIGINAL_SCRIPT``; dates of birth are exact,
approximate or a range of years. The UN is not a participant: the sanction entry is written for
the participant given with ``--authority``, which gives effect to the UN listing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers import expat

from generator.importers.draft import Draft, FilterKey, Filters, ImportFileError, Parsed, words
from generator.importers.mapping import (
    add_alias,
    add_countries,
    add_identifier,
    drop,
    set_listed,
)
from generator.importers.naming import recase, recase_alias
from generator.importers.values import MAX_RANGE_YEARS, country_code, parse_date

FILTER_KEYS = (
    FilterKey("list", "exact", "UN_LIST_TYPE: DPRK, Al-Qaida, Iran, Iraq, Taliban..."),
    FilterKey("ref", "prefix", "REFERENCE_NUMBER or its start: KPi.033, KPi., QD"),
    FilterKey("type", "exact", "person or entity"),
    FilterKey("name", "contains", "part of the name or of an alias (case and accents ignored)"),
)
# UN_LIST_TYPE codes that do not read well in a citation.
LIST_NAMES = {
    "Al-Qaida": "ISIL (Da'esh) and Al-Qaida",
    "CAR": "Central African Republic",
    "DRC": "Democratic Republic of the Congo",
    "GB": "Guinea-Bissau",
    "SouthSudan": "South Sudan",
}
DOCUMENT_TYPES = {
    "passport": "passport",
    "numéro de passeport": "passport",
    "número de pasaporte": "passport",
    "national identification number": "national-id",
}
# Elements read by the steps below, or deliberately not copied (COMMENTS1 is the statement of
# reasons; the others are list metadata).
READ = frozenset(
    words(
        "DATAID VERSIONNUM FIRST_NAME SECOND_NAME THIRD_NAME FOURTH_NAME UN_LIST_TYPE"
        " REFERENCE_NUMBER LISTED_ON NAME_ORIGINAL_SCRIPT COMMENTS1 TITLE DESIGNATION NATIONALITY"
        " LIST_TYPE"
        " LAST_DAY_UPDATED GENDER INDIVIDUAL_ALIAS ENTITY_ALIAS INDIVIDUAL_ADDRESS ENTITY_ADDRESS"
        " INDIVIDUAL_DATE_OF_BIRTH INDIVIDUAL_PLACE_OF_BIRTH INDIVIDUAL_DOCUMENT SORT_KEY"
        " SORT_KEY_LAST_MOD"
    )
)


def parse(path: Path, filters: Filters, authority: str | None = None) -> Parsed:
    """Read the XML file; convert the records that pass the filters."""
    root, lines = read_xml(path)
    if root.tag != "CONSOLIDATED_LIST":
        raise ImportFileError(f"{path}: not a UN Consolidated List (root <{root.tag}>)")
    parsed = Parsed()
    for element in (*root.iterfind("INDIVIDUALS/INDIVIDUAL"), *root.iterfind("ENTITIES/ENTITY")):
        parsed.total += 1
        if not filters.matches(_facts(element)):
            continue
        parsed.matched += 1
        parsed.drafts.append(_convert(element, str(path), lines.get(id(element), 0), authority))
    return parsed


def read_xml(path: Path) -> tuple[ET.Element, dict[int, int]]:
    """The element tree and the line each element starts on (keyed by ``id(element)``)."""
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[id(builder.start(tag, attributes))] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        with path.open("rb") as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as exc:
        raise ImportFileError(f"{path}:{exc.lineno}: not well-formed XML: {exc}") from None
    return builder.close(), lines


def _text(element: ET.Element, path: str) -> str:
    return " ".join((element.findtext(path) or "").split())


def _values(element: ET.Element, path: str) -> list[str]:
    return [" ".join((item.text or "").split()) for item in element.iterfind(path) if item.text]


def _facts(element: ET.Element) -> dict[str, list[str]]:
    aliases = _values(element, "INDIVIDUAL_ALIAS/ALIAS_NAME") + _values(
        element, "ENTITY_ALIAS/ALIAS_NAME"
    )
    return {
        "list": [_text(element, "UN_LIST_TYPE")],
        "ref": [_text(element, "REFERENCE_NUMBER")],
        "type": ["person" if element.tag == "INDIVIDUAL" else "entity"],
        "name": [_full_name(element), _text(element, "NAME_ORIGINAL_SCRIPT"), *aliases],
    }


def _full_name(element: ET.Element) -> str:
    parts = (
        _text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    )
    return " ".join(part for part in parts if part)


def _convert(element: ET.Element, source: str, line: int, authority: str | None) -> Draft:
    reference = _text(element, "REFERENCE_NUMBER")
    kind = "person" if element.tag == "INDIVIDUAL" else "entity"
    name = recase(_full_name(element), organisation=kind == "entity")
    draft = Draft(source, line, f"UN {reference}", kind, name)
    if kind == "person":
        _person(draft, element)
    _addresses(draft, element)
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        add_alias(draft, original)
    _aliases(draft, element)
    _sanction(draft, element, authority or "")
    for child in element:
        if child.tag not in READ and (child.text or "").strip():
            drop(draft, child.tag, " ".join(child.itertext()).strip())
    return draft


def _person(draft: Draft, element: ET.Element) -> None:
    for value in _values(element, "NATIONALITY/VALUE"):
        if value.lower() not in ("na", "n/a"):
            add_countries(draft, "nationality", value, "NATIONALITY")
    draft.add("position", *_values(element, "TITLE/VALUE"), *_values(element, "DESIGNATION/VALUE"))
    for position in draft.values.get("position", []):
        if ". " in position.rstrip("."):
            message = f"'{position[:60]}...' reads like sentences: keep the function only"
            draft.warn("import-check", "DESIGNATION", message)
    gender = _text(element, "GENDER").lower()
    if gender in ("male", "female"):
        draft.add("gender", gender)
    elif gender:
        drop(draft, "GENDER", gender, "not male or female")
    for birth in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        _birth_date(draft, birth)
    for place in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        draft.add("birth_place", _joined(place, ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")))
        if _text(place, "NOTE"):
            drop(draft, "INDIVIDUAL_PLACE_OF_BIRTH/NOTE", _text(place, "NOTE"))
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        _document(draft, document)


def _birth_date(draft: Draft, birth: ET.Element) -> None:
    """EXACT or APPROXIMATELY a DATE or a YEAR; BETWEEN a FROM_YEAR and a TO_YEAR."""
    kind = _text(birth, "TYPE_OF_DATE").upper()
    printed = _text(birth, "DATE") or _text(birth, "YEAR")
    field = "INDIVIDUAL_DATE_OF_BIRTH"
    if kind == "BETWEEN":
        first, last = _text(birth, "FROM_YEAR"), _text(birth, "TO_YEAR")
        years = range(int(first), int(last) + 1) if first.isdigit() and last.isdigit() else range(0)
        if 0 < len(years) <= MAX_RANGE_YEARS + 1:
            draft.add("birth_date", *(str(year) for year in years))
            draft.warn("import-date", field, f"between {first} and {last}; written as each year")
        else:
            drop(draft, field, f"between {first} and {last}", "not a range of years we can write")
    elif printed:
        value = parse_date(printed)
        if value is None:
            drop(draft, field, printed, "not a date we can read")
        draft.add("birth_date", value)
        if kind == "APPROXIMATELY" and value:
            draft.warn("import-date", field, f"approximately {printed}; written as {value}")
    if _text(birth, "NOTE"):
        drop(draft, f"{field}/NOTE", _text(birth, "NOTE"))


def _document(draft: Draft, document: ET.Element) -> None:
    number = _text(document, "NUMBER")
    printed_type = _text(document, "TYPE_OF_DOCUMENT")
    if not number:
        if printed_type or _text(document, "NOTE"):
            drop(
                draft,
                "INDIVIDUAL_DOCUMENT",
                printed_type or _text(document, "NOTE"),
                "it has no number",
            )
        return
    kind = DOCUMENT_TYPES.get(printed_type.lower(), "other")
    country = country_code(
        _text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE")
    )
    notes = [
        printed_type if kind == "other" else "",
        _text(document, "TYPE_OF_DOCUMENT2"),
        f"issued {_text(document, 'DATE_OF_ISSUE')}" if _text(document, "DATE_OF_ISSUE") else "",
        f"in {_text(document, 'CITY_OF_ISSUE')}" if _text(document, "CITY_OF_ISSUE") else "",
        _text(document, "NOTE"),
    ]
    text = f"{number} ({country})" if country else number
    add_identifier(draft, kind, text, "; ".join(note for note in notes if note) or None)


def _addresses(draft: Draft, element: ET.Element) -> None:
    for address in (*element.iterfind("INDIVIDUAL_ADDRESS"), *element.iterfind("ENTITY_ADDRESS")):
        text = _joined(address, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"))
        note = _text(address, "NOTE")
        draft.add("address", f"{text} ({note})" if text and note else text)
        if draft.type == "entity" and _text(address, "COUNTRY"):
            add_countries(draft, "country", _text(address, "COUNTRY"), "ENTITY_ADDRESS/COUNTRY")


def _joined(element: ET.Element, tags: tuple[str, ...]) -> str:
    return ", ".join(part for part in (_text(element, tag) for tag in tags) if part)


def _aliases(draft: Draft, element: ET.Element) -> None:
    """``QUALITY`` Low marks a weak alias; facts printed about an alias are reported."""
    for alias in (*element.iterfind("INDIVIDUAL_ALIAS"), *element.iterfind("ENTITY_ALIAS")):
        printed = _text(alias, "ALIAS_NAME").strip('"')
        if not printed:
            continue
        quality = _text(alias, "QUALITY").lower()
        name = recase_alias(printed, organisation=draft.type != "person")
        add_alias(draft, name, weak=quality == "low")
        if quality == "f.k.a.":
            draft.warn(
                "import-check",
                "aliases",
                f"'{name}' is a former name (f.k.a.); written as an alias",
            )
        extra = [
            _text(alias, tag)
            for tag in ("NOTE", "DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")
        ]
        if any(extra):
            drop(
                draft,
                "INDIVIDUAL_ALIAS",
                "; ".join(e for e in extra if e),
                f"facts about the alias '{name}'",
            )


def _sanction(draft: Draft, element: ET.Element, authority: str) -> None:
    code = _text(element, "UN_LIST_TYPE")
    draft.sanction = {
        "authority": authority,
        "program": f"UN-{code}",
        "entry": _text(element, "REFERENCE_NUMBER"),
    }
    set_listed(draft, _text(element, "LISTED_ON"), "LISTED_ON")
    list_name = LIST_NAMES.get(code, code)
    draft.sanction["reference"] = f"UN Security Council {list_name} sanctions list"
    draft.sanction["measures"] = ["asset-freeze"]
    draft.warn(
        "import-fill",
        "sanctions[0].reference",
        f"names the UN {list_name} list; cite the act by which {authority} gives effect to it",
    )
