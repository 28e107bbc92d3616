"""FollowTheMoney export (``data/subjects.ftm.json``): one entity per line, as OpenSanctions-style
tools ingest it. Built with the ``followthemoney`` library (the optional extra ``ftm``).

FtM silently drops a value its type cannot clean; every value is therefore cleaned first and
any that would be lost is returned as a problem instead, so that nothing disappears unnoticed.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Iterator
from typing import Any

from generator.errors import Problem
from generator.model import Participant, Sanction, Site, Subject

PREFIX = "noimpunity"
SCHEMATA = {
    "person": "Person",
    "entity": "LegalEntity",
    "group": "Organization",
    "government": "PublicBody",
}
IDENTIFIER_PROPERTIES = {
    "passport": "passportNumber",
    "national-id": "idNumber",
    "tax-number": "taxNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "registration-number": "registrationNumber",
    "other": "idNumber",
}
MEASURES = {
    "asset-freeze": "Asset freeze",
    "travel-ban": "Travel ban",
    "arms-embargo": "Arms embargo",
    "export-restrictions": "Export restrictions",
    "other": "Other measures",
}


def available() -> bool:
    """True when the optional extra is installed (checked without importing it: it is slow)."""
    return importlib.util.find_spec("followthemoney") is not None


def subject_values(subject: Subject) -> Iterator[tuple[str, str]]:
    """(property, value) pairs of a subject's entity."""
    yield "name", subject.name
    for alias in subject.aliases:
        yield ("weakAlias" if alias.weak else "alias"), alias.name
    for prop, values in (
        ("birthDate", [value.iso() for value in subject.birth_date]),
        ("birthPlace", subject.birth_place),
        ("nationality", [code.lower() for code in subject.nationality]),
        ("country", [code.lower() for code in subject.country]),
        ("position", subject.position),
        ("address", subject.address),
        ("phone", subject.phone),
        ("email", subject.email),
        ("website", subject.website),
        ("sourceUrl", subject.sources),
    ):
        yield from ((prop, value) for value in values)
    if subject.gender:
        yield "gender", subject.gender
    for identifier in subject.identifiers:
        yield IDENTIFIER_PROPERTIES[identifier.type], identifier.number


def sanction_values(
    site: Site, subject: Subject, sanction: Sanction, authorities: dict[str, Participant]
) -> Iterator[tuple[str, str]]:
    participant = authorities.get(sanction.authority)
    names = participant.name if participant and participant.name else {}
    yield "authority", names.get("en", sanction.authority)
    yield "country", sanction.authority.lower() if len(sanction.authority) == 2 else "eu"
    yield "startDate", sanction.listed.isoformat()
    yield "listingDate", sanction.listed.isoformat()
    yield "reason", subject.grounds.get("en", "")
    yield "summary", sanction.reference
    yield "status", sanction.status_on(site.as_of)
    for measure in sanction.measures:
        yield "provisions", MEASURES[measure]
    end = sanction.lifted or (
        sanction.expires if sanction.status_on(site.as_of) == "expired" else None
    )
    optional = {
        "authorityId": sanction.entry,
        "program": sanction.program,
        "sourceUrl": sanction.url,
    }
    if end is not None:
        optional["endDate"] = end.isoformat()
    yield from ((prop, value) for prop, value in optional.items() if value)


def ftm_lines(site: Site) -> tuple[bytes, list[Problem]]:
    """The export as JSON lines, and a problem for every value FtM could not keep."""
    lines: list[str] = []
    problems: list[Problem] = []
    for subject in site.subjects:
        text, dropped = subject_lines(site, subject)
        lines.append(text)
        problems += dropped
    return "".join(lines).encode("utf-8"), problems


@functools.cache
def load_model() -> Any:
    """FollowTheMoney's model, loaded once.

    Importing the library reads its 71 schema files with PyYAML's pure-Python loader, which
    takes about a second; libyaml's loader (the one this generator reads records with) gives
    the same data in a fraction of that, so it stands in while the library loads.
    """
    import yaml  # noqa: PLC0415

    original = yaml.safe_load
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=loader)
    try:
        from followthemoney import model  # noqa: PLC0415 - an optional extra
    finally:
        yaml.safe_load = original
    return model


def subject_lines(site: Site, subject: Subject) -> tuple[str, list[Problem]]:
    """One subject's entities (itself, then a Sanction per sanction) as JSON lines."""
    model = load_model()

    lines: list[str] = []
    problems: list[Problem] = []
    authorities = {participant.code: participant for participant in site.participants}
    entity = model.make_entity(SCHEMATA[subject.type])
    entity.id = f"{PREFIX}-{subject.id}"
    _add(entity, subject_values(subject), subject, problems)
    if subject.is_listed_on(site.as_of):
        entity.add("topics", "sanction")
    lines.append(_line(entity.to_dict()))
    for sanction in subject.sanctions:
        record = model.make_entity("Sanction")
        record.make_id(
            entity.id, sanction.authority, sanction.listed.isoformat(), sanction.reference
        )
        record.add("entity", entity.id)
        _add(record, sanction_values(site, subject, sanction, authorities), subject, problems)
        lines.append(_line(record.to_dict()))
    return "".join(lines), problems


def _add(
    entity: Any, values: Iterator[tuple[str, str]], subject: Subject, problems: list[Problem]
) -> None:
    for prop, value in values:
        before = set(entity.get(prop))
        entity.add(prop, value)
        if set(entity.get(prop)) == before and value not in before:
            message = f"FollowTheMoney cannot keep '{value}' as {entity.schema.name}.{prop}"
            problems.append(Problem(subject.origin.at(""), "ftm-dropped", prop, message))


def _line(data: dict[str, Any]) -> str:
    properties = {key: sorted(values) for key, values in sorted(data["properties"].items())}
    return (
        json.dumps(
            {"id": data["id"], "schema": data["schema"], "properties": properties},
            ensure_ascii=False,
        )
        + "\n"
    )
