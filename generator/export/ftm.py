"""FollowTheMoney export (``data/subjects.ftm.json``): one entity per line, as OpenSanctions-style
tools ingest it: a Person, LegalEntity, Organization or PublicBody per subject, then a Sanction
per sanction.

Written from the validated records: the table of fields (fields.py) says which property each
field fills, the tables below which schema each subject gets and what fills each property of a
Sanction; each property's type says how its values are written (ftm_types.py). The
followthemoney library is not needed to build: ``tests/test_ftm.py`` reads every entity back
with it and checks schemata, property names and values against its model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from generator.dates import PartialDate
from generator.export.ftm_types import CLEAN
from generator.fields import SUBJECT_FIELDS
from generator.model import Alias, Identifier, Participant, Sanction, Site, Subject

PREFIX = "noimpunity"  # subject entities are "noimpunity-<record id>"
SCHEMATA = {
    "person": "Person",
    "entity": "LegalEntity",
    "group": "Organization",
    "government": "PublicBody",
}
# A subject's fields -> (property of its entity, that property's FollowTheMoney type), as the
# table declares them (fields.SUBJECT_FIELDS: ``ftm``).
SUBJECT_PROPERTIES: dict[str, tuple[str, str]] = {
    spec.name: (spec.ftm.prop, spec.ftm.type) for spec in SUBJECT_FIELDS if spec.ftm
}
WEAK_ALIAS = "weakAlias"
IDENTIFIER_PROPERTIES = {
    "passport": "passportNumber",
    "national-id": "idNumber",
    "tax-number": "taxNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "registration-number": "registrationNumber",
    "other": "idNumber",
}
# The properties of a Sanction entity and their types; sanction_values() says what fills each.
SANCTION_PROPERTIES: dict[str, str] = {
    "entity": "entity",
    "authority": "string",
    "country": "country",
    "startDate": "date",
    "listingDate": "date",
    "endDate": "date",
    "reason": "text",
    "description": "text",
    "summary": "text",
    "status": "string",
    "provisions": "string",
    "authorityId": "identifier",
    "program": "string",
    "sourceUrl": "url",
}
# What the site says under the grounds, said of ``reason`` too.
GROUNDS_NOTE = (
    "The reason is a summary written for this website; the statement of reasons in the legal"
    " act cited is authoritative."
)
MEASURES = {
    "asset-freeze": "Asset freeze",
    "travel-ban": "Travel ban",
    "arms-embargo": "Arms embargo",
    "export-restrictions": "Export restrictions",
    "other": "Other measures",
}


def subject_values(subject: Subject) -> Iterator[tuple[str, str, str]]:
    """(property, type, value as recorded) for each value of a subject's entity."""
    for field, (prop, kind) in SUBJECT_PROPERTIES.items():
        for item in _values_of(subject[field]):
            if isinstance(item, Alias):
                yield (WEAK_ALIAS if item.weak else prop), kind, item.name
            elif isinstance(item, Identifier):
                yield IDENTIFIER_PROPERTIES[item.type], kind, item.number
            elif isinstance(item, PartialDate):
                yield prop, kind, item.iso()
            else:  # text; FollowTheMoney writes country codes in lower case
                yield prop, kind, item.lower() if kind == "country" else item


def _values_of(value: object) -> tuple[Any, ...]:
    """A field's values: its tuple, its one value (gender), or none."""
    if isinstance(value, tuple):
        return value
    return (value,) if value else ()


def sanction_values(
    site: Site, subject: Subject, sanction: Sanction, authorities: dict[str, Participant]
) -> Iterator[tuple[str, str]]:
    """(property, value) for each value of a sanction's entity but ``entity``."""
    participant = authorities.get(sanction.authority)
    status = sanction.status_on(site.as_of)
    yield "authority", participant.display_name("en") if participant else sanction.authority
    yield "country", sanction.authority.lower() if len(sanction.authority) == 2 else "eu"
    yield "startDate", sanction.listed.isoformat()
    yield "listingDate", sanction.listed.isoformat()
    yield "reason", subject.grounds.get("en", "")
    yield "description", GROUNDS_NOTE
    yield "summary", sanction.reference
    yield "status", status
    for measure in sanction.measures:
        yield "provisions", MEASURES[measure]
    if sanction.lifted is not None and status == "lifted":
        yield "endDate", sanction.lifted.isoformat()
    elif sanction.expires is not None and status == "expired":
        yield "endDate", sanction.expires.iso()
    optional = {
        "authorityId": sanction.entry,
        "program": sanction.program,
        "sourceUrl": sanction.url,
    }
    yield from ((prop, value) for prop, value in optional.items() if value)


def ftm_lines(site: Site) -> bytes:
    """The whole export as JSON lines."""
    return "".join(subject_lines(site, subject) for subject in site.subjects).encode("utf-8")


def subject_lines(site: Site, subject: Subject) -> str:
    """One subject's entities (itself, then a Sanction per sanction) as JSON lines."""
    authorities = {participant.code: participant for participant in site.participants}
    entity_id = f"{PREFIX}-{subject.id}"
    properties: dict[str, list[str]] = {}
    for prop, kind, value in subject_values(subject):
        _add(properties, prop, kind, value)
    if subject.is_listed_on(site.as_of):
        _add(properties, "topics", "topic", "sanction")
    lines = [_line(entity_id, SCHEMATA[subject.type], properties)]
    for sanction in subject.sanctions:
        parts = (entity_id, sanction.authority, sanction.listed.isoformat(), sanction.reference)
        properties = {}
        _add(properties, "entity", "entity", entity_id)
        for prop, value in sanction_values(site, subject, sanction, authorities):
            _add(properties, prop, SANCTION_PROPERTIES[prop], value)
        lines.append(_line(sanction_id(*parts), "Sanction", properties))
    return "".join(lines)


def sanction_id(*parts: str) -> str:
    """The id FollowTheMoney's ``make_id`` gives for these parts: SHA-1 of their trimmed text,
    one after the other (so ids stay what earlier exports published)."""
    return hashlib.sha1("".join(part.strip() for part in parts).encode("utf-8")).hexdigest()


def _add(properties: dict[str, list[str]], prop: str, kind: str, value: str) -> None:
    written = CLEAN[kind](value)
    if not written:  # FollowTheMoney keeps no empty value (none is left by the validator)
        return
    values = properties.setdefault(prop, [])
    if written not in values:
        values.append(written)


def _line(entity_id: str, schema: str, properties: dict[str, list[str]]) -> str:
    data: dict[str, Any] = {
        "id": entity_id,
        "schema": schema,
        "properties": {key: sorted(values) for key, values in sorted(properties.items())},
    }
    return json.dumps(data, ensure_ascii=False) + "\n"
