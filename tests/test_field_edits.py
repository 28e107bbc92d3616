"""An edit of any field of a record, rebuilt incrementally, gives the site a cold build gives.

The list pages are rendered from the listing view (render.listing_view: the fields the table
marks ``listing``) and fingerprinted from it; a field shown on a list but left out of the view
would leave the incremental build showing its old value. So every field of the table is edited
here, sub-fields of sanctions, aliases, identifiers and relations included; a field added to
the table without an edit below fails ``test_every_field_is_edited``.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import fields
from generator.build import build_site
from tests.conftest import TEMPLATES, TODAY

MISHKIN = "alexander-mishkin"  # a person
GRU = "main-intelligence-directorate"  # an entity
Edit = Callable[[dict[str, Any]], None]


def _set(key: str, value: object) -> Edit:
    def edit(record: dict[str, Any]) -> None:
        record[key] = value

    return edit


def _sanction(**values: object) -> Edit:
    def edit(record: dict[str, Any]) -> None:
        record["sanctions"][0].update(values)
        for key, value in values.items():
            if value is None:
                del record["sanctions"][0][key]

    return edit


def _item(key: str, **values: object) -> Edit:
    def edit(record: dict[str, Any]) -> None:
        first = record[key][0]
        record[key][0] = {**({"name": first} if isinstance(first, str) else first), **values}

    return edit


def _rename(record: dict[str, Any]) -> None:
    record["id"] = "alexander-mishkin-gru"


SANCTION_GRU = {
    "authority": "US",
    "listed": "2016-12-28",
    "reference": "Executive Order 13694, as amended",
    "measures": ["asset-freeze"],
}
# (field path, record, edit): the path names the table's field (sub-fields after a dot)
EDITS: list[tuple[str, str, Edit]] = [
    ("id", MISHKIN, _rename),
    ("type", GRU, _set("type", "group")),
    ("name", MISHKIN, _set("name", "Alexander Y. Mishkin")),
    ("aliases", MISHKIN, _set("aliases", ["A. Mishkin"])),
    ("aliases.name", MISHKIN, _item("aliases", name="Aleksandr Petrov")),
    ("aliases.lang", MISHKIN, _item("aliases", lang="en")),
    ("aliases.weak", MISHKIN, _item("aliases", weak=True)),
    ("country", GRU, _set("country", ["RU", "SY"])),
    ("address", GRU, _set("address", ["Khoroshevskoye shosse 76, Moscow"])),
    ("phone", GRU, _set("phone", ["+7 495 000 00 00"])),
    ("email", GRU, _set("email", ["info@example.org"])),
    ("website", GRU, _set("website", ["www.example.org"])),
    ("birth_date", MISHKIN, _set("birth_date", ["1979-07-14", "1978"])),
    ("birth_place", MISHKIN, _set("birth_place", ["Loyga, Arkhangelsk Oblast, Russia"])),
    ("nationality", MISHKIN, _set("nationality", ["RU", "UA"])),
    ("gender", MISHKIN, _set("gender", "female")),
    ("position", MISHKIN, _set("position", ["Military doctor"])),
    ("identifiers", GRU, _set("identifiers", [{"type": "inn", "number": "7704252261"}])),
    ("identifiers.type", MISHKIN, _set("identifiers", [{"type": "passport", "number": "1"}])),
    ("identifiers.number", MISHKIN, _set("identifiers", [{"type": "other", "number": "2"}])),
    (
        "identifiers.country",
        MISHKIN,
        _set("identifiers", [{"type": "other", "number": "2", "country": "RU"}]),
    ),
    (
        "identifiers.note",
        MISHKIN,
        _set("identifiers", [{"type": "other", "number": "2", "note": "Expired"}]),
    ),
    ("sanctions", GRU, _set("sanctions", [SANCTION_GRU])),
    ("sanctions.authority", MISHKIN, _sanction(authority="NO")),
    ("sanctions.program", MISHKIN, _sanction(program="CHEM")),
    ("sanctions.entry", MISHKIN, _sanction(entry="I.A 8")),
    ("sanctions.listed", MISHKIN, _sanction(listed="2019-01-22")),
    ("sanctions.reference", MISHKIN, _sanction(reference="Regulation (EU) 2019/85")),
    ("sanctions.url", MISHKIN, _sanction(url="https://eur-lex.europa.eu/eli/reg/2019/85/oj")),
    ("sanctions.url_not_found", GRU, _sanction(url_not_found=True)),
    ("sanctions.measures", MISHKIN, _sanction(measures=["asset-freeze"])),
    ("sanctions.lifted", MISHKIN, _sanction(lifted="2020-01-01")),
    ("sanctions.expires", MISHKIN, _sanction(expires="2020-10")),
    ("sanctions.not_renewed", MISHKIN, _sanction(expires="2020-10-16", not_renewed=True)),
    ("sanctions.renewed", MISHKIN, _sanction(renewed=["2020-01-21"])),
    ("grounds", MISHKIN, _set("grounds", {"en": "An officer.", "fr": "Un officier."})),
    ("related", GRU, _set("related", [{"id": MISHKIN, "relation": "linked-to"}])),
    ("related.id", MISHKIN, _item("related", id="scientific-studies-and-research-centre")),
    ("related.relation", MISHKIN, _item("related", relation="member-of")),
    ("cases", MISHKIN, _set("cases", ["salisbury-2018", "daesh"])),
    ("sources", MISHKIN, _set("sources", ["https://www.gov.uk/government/news/x"])),
]


def test_every_field_is_edited() -> None:
    paths = {path for path, _, _ in EDITS}
    for spec in fields.SUBJECT_FIELDS:
        assert spec.name in paths, f"no edit of {spec.name} in EDITS"
        for sub in spec.fields:
            assert f"{spec.name}.{sub.name}" in paths, f"no edit of {spec.name}.{sub.name}"


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def apply(root: Path, record_id: str, edit: Edit) -> None:
    path = root / "designations" / f"{record_id}.yaml"
    record = yaml.safe_load(path.read_text("utf-8"))
    edit(record)
    path.unlink()
    target = root / "designations" / f"{record['id']}.yaml"
    target.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.mark.parametrize("path, record_id, edit", EDITS, ids=[path for path, _, _ in EDITS])
def test_an_edit_rebuilt_incrementally_matches_a_cold_build(
    minimal_copy: Path, tmp_path: Path, path: str, record_id: str, edit: Edit
) -> None:
    shutil.copytree(TEMPLATES, minimal_copy / "templates")
    output, reference = tmp_path / "site", tmp_path / "reference"
    build_site(minimal_copy, output, today=TODAY)
    before = tree(output)
    apply(minimal_copy, record_id, edit)
    result = build_site(minimal_copy, output, today=TODAY)
    assert not result.unchanged and tree(output) != before, f"{path}: the edit changed nothing"
    build_site(minimal_copy, reference, today=TODAY, cache=False)
    assert tree(output) == tree(reference), path
