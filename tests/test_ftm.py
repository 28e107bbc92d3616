"""The FollowTheMoney export, checked with the followthemoney library.

The build writes the export with its own code (generator/export/ftm.py) and never imports the
library, a test dependency only. Here the library reads every entity back: schemata, property
names and values must be valid in its model, and each value one it keeps exactly as written; it
builds the same entities from the same record values through its own API; and for generated
values the validator accepts, the export's way of writing them equals the library's cleaning.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pycountry
import pytest
from followthemoney import model, registry
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from generator.build import build_site
from generator.contact import email_problem, phone_problem, web_address_problem
from generator.export.ftm import SCHEMATA, ftm_lines, sanction_values, subject_values
from generator.export.ftm_types import CLEAN
from generator.model import Site
from generator.names import find_invisible
from generator.read import read_site
from generator.validate import CONTROL
from tests.conftest import MINIMAL, REPO, TODAY

ROOTS = pytest.mark.parametrize("root", [MINIMAL, REPO], ids=["minimal", "repository"])
# Libraries the FtM export needed when it was built with followthemoney: none may be imported
# by a build.
FTM_LIBRARIES = ("followthemoney", "normality", "rigour", "phonenumbers", "icu")


def exported(root: Path) -> tuple[Site, list[dict[str, Any]]]:
    site, _problems = read_site(root, TODAY)
    assert site is not None
    return site, [json.loads(line) for line in ftm_lines(site).decode("utf-8").splitlines()]


@ROOTS
def test_every_entity_is_valid_in_the_model_and_kept_as_written(root: Path) -> None:
    site, entities = exported(root)
    ids = {entity["id"] for entity in entities}
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None, entity["schema"]
        proxy = model.get_proxy(entity)  # cleans every value, as a reader loading the file does
        assert proxy.to_dict()["properties"] == entity["properties"], entity["id"]
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            assert prop is not None, f"{schema.name} has no property {name}"
            assert values == sorted(set(values)), (entity["id"], name)
            for value in values:
                cleaned = prop.type.clean(value, format=prop.format, proxy=proxy)
                assert cleaned == value, (entity["id"], name, value)
                if prop.type == registry.entity:
                    assert value in ids
    subjects = [entity for entity in entities if entity["schema"] != "Sanction"]
    assert [entity["id"] for entity in subjects] == [f"noimpunity-{s.id}" for s in site.subjects]
    sanctions = [entity for entity in entities if entity["schema"] == "Sanction"]
    assert len(sanctions) == sum(len(subject.sanctions) for subject in site.subjects)


def library_entities(site: Site) -> list[dict[str, Any]]:
    """The export as the library itself builds it from the same values (cleaning each one)."""
    authorities = {participant.code: participant for participant in site.participants}
    entities = []
    for subject in site.subjects:
        entity = model.make_entity(SCHEMATA[subject.type])
        entity.id = f"noimpunity-{subject.id}"
        for prop, _kind, value in subject_values(subject):
            entity.add(prop, value)
        if subject.is_listed_on(site.as_of):
            entity.add("topics", "sanction")
        entities.append(entity)
        for sanction in subject.sanctions:
            record = model.make_entity("Sanction")
            record.make_id(
                entity.id, sanction.authority, sanction.listed.isoformat(), sanction.reference
            )
            record.add("entity", entity.id)
            for prop, value in sanction_values(site, subject, sanction, authorities):
                record.add(prop, value)
            entities.append(record)
    return [
        {
            "id": proxy.id,
            "schema": proxy.schema.name,
            "properties": {key: sorted(values) for key, values in sorted(proxy.properties.items())},
        }
        for proxy in entities
    ]


@ROOTS
def test_the_library_builds_the_same_entities_from_the_same_values(root: Path) -> None:
    """Same ids (sanctions: the library's make_id), same values after its cleaning, nothing
    dropped: the export is what the followthemoney-built export of earlier versions was."""
    site, entities = exported(root)
    assert entities == library_entities(site)


def test_a_lifted_sanction_has_an_end_date_and_no_sanction_topic_when_nothing_is_in_force() -> None:
    _site, entities = exported(MINIMAL)
    french = next(
        e
        for e in entities
        if e["schema"] == "Sanction" and e["properties"].get("endDate") == ["2018-07-18"]
    )
    assert french["properties"]["status"] == ["lifted"]
    centre = next(
        e for e in entities if e["id"] == "noimpunity-scientific-studies-and-research-centre"
    )
    assert centre["properties"]["topics"] == ["sanction"]  # the EU sanction is still in force


def test_the_export_is_published_with_its_checksum(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(MINIMAL, output, strict=True, today=TODAY)
    assert (output / "data/subjects.ftm.json").is_file()
    index = json.loads((output / "data/index.json").read_text("utf-8"))
    assert "subjects.ftm.json" in {entry["path"] for entry in index["files"]}


def test_a_build_never_imports_the_library(tmp_path: Path) -> None:
    """Importing followthemoney (or what it pulls in) fails in this build: it must not try."""
    script = textwrap.dedent(
        f"""
        import datetime, sys
        from pathlib import Path
        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {FTM_LIBRARIES!r}:
                    raise ImportError("a build may not import " + name)
        sys.meta_path.insert(0, Refuse())
        from generator.build import build_site
        build_site(Path({str(REPO)!r}), Path({str(tmp_path / "site")!r}), strict=True,
                   today=datetime.date.fromisoformat({TODAY.isoformat()!r}))
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True)
    lines = (tmp_path / "site/data/subjects.ftm.json").read_text("utf-8").splitlines()
    assert len(lines) > 338


# --- the export's way of writing values = the library's cleaning, on generated values ---------


def accepted_text(text: str) -> bool:
    """What the validator lets through in a text field (no control or invisible character)."""
    return bool(text.strip()) and not CONTROL.search(text) and find_invisible(text) is None


TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Co", "Cn")),
    max_size=30,
).filter(accepted_text)
QUOTES_AND_SPACES = st.lists(
    st.sampled_from(["'", '"', " ", "\u00a0", "\u2003", "a", "Б", "ع", ";", "\n", ",", "."]),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(text=st.one_of(TEXT, QUOTES_AND_SPACES.filter(accepted_text)))
@example(text="'Abd-al-Latif Kitu'")
@example(text="\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")  # a Persian word with a ZWNJ
@example(text="Barzeh Street;\nDamascus, , Syria")
def test_text_values_are_written_as_the_library_cleans_them(text: str) -> None:
    for kind in ("name", "string", "text", "address", "identifier"):
        cleaned = registry.get(kind).clean(text)
        assert CLEAN[kind](text) == (cleaned or ""), kind


def dialled_at_home(code: int, national: str) -> bool:
    """True when ``national`` starts with what the country dials only at home (a trunk prefix
    such as 0, or a short local number the library completes with an area code): the library
    rewrites such a number, knowing each country's plan, which this generator does not."""
    for region in COUNTRY_CODE_TO_REGION_CODE[code]:
        plan = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
        prefix = plan.national_prefix_for_parsing if plan else None
        if prefix and re.match(prefix, national):
            return True
    return False


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """International form: +, a country calling code, then the national number as dialled from
    abroad, grouped in any way."""
    code = draw(st.sampled_from(sorted(COUNTRY_CODE_TO_REGION_CODE)))
    national = draw(st.text("0123456789", min_size=6, max_size=12))
    assume(not dialled_at_home(code, national))
    separators = st.sampled_from(["", " ", "-", ".", "/"])
    body = "".join(digit + draw(separators) for digit in national).strip(" -./")
    opening = draw(st.sampled_from(["+{} ", "(+{}) ", "+{}-", "+{}", "+{} ("]))
    text = opening.format(code) + body
    return text + ")" if opening.endswith("(") else text


@settings(max_examples=400, deadline=None, database=None)
@given(number=phone_numbers())
@example(number="(+963) 11-2210758")
@example(number="+7 (495) 945 76 96")
def test_phone_numbers_are_written_in_e164_as_the_library_writes_them(number: str) -> None:
    """The library also checks each number against its country's numbering plan: the numbers
    it finds valid are compared. A number written with what its country dials only at home
    (see dialled_at_home) passes the validator but reads differently in the library: the
    repository's numbers are checked with the library by the first two tests."""
    assert phone_problem(number) is None
    cleaned = registry.phone.clean(number)
    if cleaned is not None:
        assert CLEAN["phone"](number) == cleaned


LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
UNICODE_LABEL = st.text(st.characters(categories=("Ll", "Lo", "Nd")), min_size=1, max_size=8)


@st.composite
def web_addresses(draw: st.DrawFn) -> str:
    labels = draw(st.lists(st.one_of(LABEL, UNICODE_LABEL, st.just("_x")), min_size=1, max_size=4))
    host = ".".join(labels)
    scheme = draw(st.sampled_from(["", "http://", "https://", "HTTPS://", "ftp://", "mailto:"]))
    port = draw(st.sampled_from(["", ":8080", ":99999", ":x"]))
    path = draw(st.sampled_from(["", "/", "/a/b.htm", "/p;x", " /space"]))
    rest = draw(st.sampled_from(["", "?id=1@x", "#top", "?", "?q=http://y.z"]))
    return f"{scheme}{host}{port}{path}{rest}"


@settings(max_examples=500, deadline=None, database=None)
@given(address=web_addresses())
@example(address="www.ekt2.com")
@example(address="http://sgp-france.com")
@example(address="https://eng.mil.ru/en/science/sro/information.htm?id=10992@morfOrgScience")
def test_web_addresses_the_validator_accepts_are_kept_by_the_library(address: str) -> None:
    cleaned = registry.url.clean(address)
    for scheme_required in (True, False):
        if web_address_problem(address, scheme_required) is None:
            assert cleaned is not None, address
            assert CLEAN["url"](address) == cleaned


@st.composite
def emails(draw: st.DrawFn) -> str:
    local = draw(st.text("abcXYZ019._%+-'!#é", min_size=1, max_size=10))
    labels = draw(st.lists(st.one_of(LABEL, st.sampled_from(["Mail", "xn--p1ai"])), min_size=1))
    tld = draw(st.sampled_from(["ru", "COM", "sy", "x", "12", ""]))
    return f"{local}@{'.'.join([*labels, tld])}"


@settings(max_examples=400, deadline=None, database=None)
@given(address=emails())
@example(address="fin27cnii@mail.ru")
@example(address="Info@Houranieh.COM")
def test_emails_the_validator_accepts_are_kept_by_the_library(address: str) -> None:
    if email_problem(address) is None:
        assert CLEAN["email"](address) == registry.email.clean(address)


def test_every_country_code_the_validator_accepts_is_a_country_of_the_library() -> None:
    codes = [country.alpha_2.lower() for country in pycountry.countries]
    assert [code for code in codes if registry.country.clean(code) != code] == []
