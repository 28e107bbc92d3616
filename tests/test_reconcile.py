"""``noimpunity reconcile``: the records against an official list, section by section.

The lists are the excerpts of tests/fixtures/importers/ (their README gives each one's source,
SHA-256 and rows): the whole EU chemical-weapons annex, OFAC's SSRC rows (the SSRC, its 271
employees, the EKT network) and a sample of SDN rows, and 39 records of the UN Consolidated
List. The records are the minimal site, copied and edited into the state each test needs.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.reconcile.known import KNOWN_FILE, read_settings
from tests.conftest import REPO, TODAY

FIXTURES = Path(__file__).resolve().parent / "fixtures/importers"
EU = FIXTURES / "eu-32018R1542.csv"  # the whole annex: 31 persons, 6 entities
OFAC = FIXTURES / "sdn-2024-05-03-ssrc.csv"  # SSRC 9352, employees 21905-22175, EKT 24744-24756
SDN_SAMPLE = FIXTURES / "sdn-sample.csv"  # 11 rows: MISHKIN 26170, MAHROUS 20069...
UN = FIXTURES / "un-2026-02-27-excerpt.xml"  # 39 records: DPRK, Al-Qaida, Taliban

MISHKIN = "designations/alexander-mishkin.yaml"
CENTRE = "designations/scientific-studies-and-research-centre.yaml"
GRU = "designations/main-intelligence-directorate.yaml"
US_SSRC = """\
  - authority: US
    program: NPWMD
    entry: "9352"
    listed: 2005-06-29
    reference: Executive Order 13382
    measures: [asset-freeze]
"""
EKT = """\
id: electronics-katrangi-trading
type: entity
name: Electronics Katrangi Trading
aliases: [EKT, Electronic System Group, ESG, E.K.T.]
country: [LB]
identifiers:
  - {type: registration-number, number: 808 195 689 00019, country: FR}
sanctions:
  - authority: US
    program: NPWMD
    entry: "24744"
    listed: 2016-07-21
    reference: Executive Order 13382
    measures: [asset-freeze]
grounds:
  en: Lebanese supplier of the SSRC.
  fr: Fournisseur libanais du CERS.
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["reconcile", *map(str, args)], catch_exceptions=False)


def as_json(*args: str | Path) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def add_sanction(root: Path, rel: str, block: str) -> None:
    """Append a sanction entry to a record's list (sanctions come just before grounds)."""
    edit(root, rel, "grounds:\n", f"{block}grounds:\n")


def write_known(root: Path, text: str) -> None:
    (root / KNOWN_FILE).write_text(text, "utf-8")


def section(markdown: str, letter: str) -> list[str]:
    """The table rows of section (a), (b), (c) or (d) of a Markdown report."""
    lines = markdown.split(f"### ({letter}) ", 1)[1].split("\n### ", 1)[0].splitlines()
    return [line for line in lines[2:] if line.startswith("| ") and not line.startswith("| ---")]


def rows(markdown: str, letter: str) -> list[str]:
    return section(markdown, letter)[1:]  # without the header


@pytest.fixture
def repo(minimal_copy: Path) -> Path:
    """The minimal site, where the SSRC also has OFAC's spelling and its US sanction."""
    alias = "  - Scientific Studies and Research Center\n"
    edit(minimal_copy, CENTRE, "  - SSRC\n", f"  - SSRC\n{alias}")
    add_sanction(minimal_copy, CENTRE, US_SSRC)
    return minimal_copy


# --- the four sections ----------------------------------------------------------------------


def test_eu_annex_against_the_minimal_site(minimal_copy: Path) -> None:
    result = run("eu-csv", EU, "--root", minimal_copy, "--date", "2026-07-03")
    assert result.exit_code == 1
    assert result.stderr == ""
    report = result.stdout
    assert report.startswith("## Reconciliation with an EU annex: eu-32018R1542.csv\n")
    assert (
        "File eu-32018R1542.csv (eu-csv), dated 2026-07-03 · authority **EU** · 37 persons and"
        " entities: 2 matching a record, 0 outside the chemical-weapons scope\n"
    ) in report
    assert rows(report, "a") == rows(report, "b") == []
    # Mishkin (I.A 7) is matched by his entry and agrees; the SSRC, by its name, lacks the
    # entry number and two of the names the annex gives it.
    assert rows(report, "c") == [
        "| `scientific-studies-and-research-centre` | EU I.B 1 | `entry` | I.B 1 | — |",
        "| `scientific-studies-and-research-centre` | EU I.B 1 | `aliases` | CERS"
        " | not among our names |",
        "| `scientific-studies-and-research-centre` | EU I.B 1 | `aliases` | Centre de"
        " Recherche de Kaboun | not among our names |",
    ]
    unrecorded = rows(report, "d")
    assert len(unrecorded) == 35  # the whole annex is the chemical-weapons list
    assert unrecorded[0] == (
        "| EU I.A 1 (line 2) | person | Tariq Yasmina | every entry of the file |"
    )
    assert all(row.endswith("| every entry of the file |") for row in unrecorded)


def test_a_entries_whose_record_lacks_the_sanction(minimal_copy: Path) -> None:
    report = run("ofac-csv", SDN_SAMPLE, "--root", minimal_copy).stdout
    assert rows(report, "a") == [
        "| OFAC 9352 (line 1) | Scientific Studies and Research Center"
        " | `scientific-studies-and-research-centre` | name |  |",
        "| OFAC 26170 (line 8) | Alexander Yevgeniyevich Mishkin | `alexander-mishkin`"
        " | name and birth date |  |",
    ]
    # A lifted sanction is no sanction: the entry is still listed, the report says so.
    measures = "    measures: [asset-freeze, travel-ban]\n"
    edit(minimal_copy, MISHKIN, measures, f"{measures}    lifted: 2020-01-01\n")
    document = as_json("eu-csv", EU, "--root", minimal_copy)
    (mishkin,) = document["missing_sanction"]
    assert mishkin == {
        "entry": "I.A 7",
        "label": "EU I.A 7",
        "line": 8,
        "type": "person",
        "name": "Alexander Yevgeniyevich Mishkin",
        "record": "alexander-mishkin",
        "matched_by": "entry",
        "note": "ours was lifted on 2020-01-01",
    }


def test_a_identifier_numbers_match_whatever_their_spacing(minimal_copy: Path) -> None:
    # Neither the entry number nor a name can tell that this is EKT: only its French number.
    ekt = EKT.replace("808 195 689 00019", "80819568900019").replace('    entry: "24744"\n', "")
    ekt = ekt.replace("name: Electronics Katrangi Trading", "name: Beirut Electronics House")
    ekt = ekt.replace("aliases: [EKT, Electronic System Group, ESG, E.K.T.]\n", "")
    (minimal_copy / "designations/electronics-katrangi-trading.yaml").write_text(ekt, "utf-8")
    document = as_json("ofac-csv", OFAC, "--root", minimal_copy)
    # It has a US sanction, without the number: not a missing sanction, a missing number.
    assert [item["record"] for item in document["missing_sanction"]] == [
        "scientific-studies-and-research-centre"
    ]
    entries = [d for d in document["differences"] if d["field"] == "entry"]
    assert [(d["record"], d["official"], d["ours"]) for d in entries] == [
        ("electronics-katrangi-trading", ["24744"], [])
    ]
    # Without its US sanction, it is an entry whose record lacks it, matched by the number.
    path = minimal_copy / "designations/electronics-katrangi-trading.yaml"
    path.write_text(ekt.replace("authority: US", "authority: FR"), "utf-8")
    missing = as_json("ofac-csv", OFAC, "--root", minimal_copy)["missing_sanction"]
    assert [(item["record"], item["matched_by"]) for item in missing] == [
        ("scientific-studies-and-research-centre", "name"),
        ("electronics-katrangi-trading", "identifier"),
    ]


def test_b_sanctions_whose_entry_is_not_in_the_file(minimal_copy: Path) -> None:
    gone = """\
  - authority: EU
    program: EU-CHEM
    entry: I.B 9
    listed: 2019-01-21
    reference: Council Implementing Regulation (EU) 2019/84
    measures: [asset-freeze]
"""
    add_sanction(minimal_copy, GRU, gone)
    undated = run("eu-csv", EU, "--root", minimal_copy).stdout
    assert rows(undated, "b") == [
        "| `main-intelligence-directorate` | Main Intelligence Directorate (GRU) | I.B 9"
        " | EU-CHEM | 2019-01-21 |"
    ]
    assert "its date is unknown (give --date)" in undated
    assert "date unknown (not given with --date)" in undated
    dated = run("eu-csv", EU, "--root", minimal_copy, "--date", "2026-07-03").stdout
    assert "The file of 2026-07-03 no longer holds them" in dated
    # A file older than the listing cannot hold the entry: nothing to lift then.
    older = as_json("eu-csv", EU, "--root", minimal_copy, "--date", "2019-01-20")
    assert older["to_lift"] == []
    assert older["date"] == "2019-01-20"


def test_b_a_sanction_without_entry_is_held_while_its_record_matches(minimal_copy: Path) -> None:
    document = as_json("ofac-csv", SDN_SAMPLE, "--root", minimal_copy)
    # The GRU's US sanction has neither programme nor entry; no row of the sample is the GRU.
    assert document["to_lift"] == [
        {
            "record": "main-intelligence-directorate",
            "name": "Main Intelligence Directorate (GRU)",
            "entry": None,
            "program": None,
            "listed": "2016-12-28",
        }
    ]
    # The SSRC's EU sanction has none either, but the annex holds the SSRC.
    assert as_json("eu-csv", EU, "--root", minimal_copy)["to_lift"] == []


def test_b_and_c_a_renumbered_entry_is_shown_once(minimal_copy: Path) -> None:
    edit(minimal_copy, MISHKIN, "entry: I.A 7\n", "entry: I.A 70\n")
    document = as_json("eu-csv", EU, "--root", minimal_copy)
    assert document["to_lift"] == []
    (entry,) = [d for d in document["differences"] if d["record"] == "alexander-mishkin"]
    assert (entry["field"], entry["official"], entry["ours"]) == ("entry", ["I.A 7"], ["I.A 70"])


def test_c_field_differences_side_by_side(minimal_copy: Path) -> None:
    edit(minimal_copy, MISHKIN, "name: Alexander Yevgeniyevich Mishkin", "name: Alexander Mishkin")
    edit(minimal_copy, MISHKIN, "  - Alexander Petrov\n", "  - Alexandr Petrov\n")
    edit(minimal_copy, MISHKIN, "birth_date: 1979-07-13", "birth_date: [1979-07-13, 1979]")
    edit(minimal_copy, MISHKIN, '"Kotlas, Russia"', '"Kotlas, Arkhangelsk Oblast"')
    edit(minimal_copy, MISHKIN, "nationality: [RU]", "nationality: [RU, GB]")
    report = run("ofac-csv", SDN_SAMPLE, "--root", minimal_copy).stdout
    assert rows(report, "c") == [
        "| `alexander-mishkin` | OFAC 26170 | `name` | Alexander Yevgeniyevich Mishkin"
        " | Alexander Mishkin |",
        "| `alexander-mishkin` | OFAC 26170 | `birth_date` | 1979-07-13 | 1979-07-13; 1979 |",
        "| `alexander-mishkin` | OFAC 26170 | `birth_place` | Loyga, Russia; Kotlas, Russia"
        " | Loyga, Russia; Kotlas, Arkhangelsk Oblast |",
        "| `alexander-mishkin` | OFAC 26170 | `nationality` | RU | RU; GB |",
        "| `scientific-studies-and-research-centre` | OFAC 9352 | `name` | Scientific Studies"
        " and Research Center | Scientific Studies and Research Centre |",
    ]
    # The EU's alias Alexander Petrov is not "Alexandr Petrov": one letter is a difference.
    eu = run("eu-csv", EU, "--root", minimal_copy).stdout
    assert "| `alexander-mishkin` | EU I.A 7 | `aliases` | Alexander Petrov" in eu


def test_c_case_word_order_script_and_a_places_country_are_no_difference(
    minimal_copy: Path,
) -> None:
    edit(minimal_copy, MISHKIN, "  - Alexander Petrov\n", "  - PETROV, Alexander\n")
    edit(minimal_copy, MISHKIN, "name: Alexander Yevgeniyevich Mishkin", "name: Aleksandr Mishkin")
    cyrillic = "  - {name: Александр"
    edit(minimal_copy, MISHKIN, cyrillic, f"  - Alexander Yevgeniyevich MISHKIN\n{cyrillic}")
    edit(
        minimal_copy,
        MISHKIN,
        '["Loyga, Russia", "Kotlas, Russia"]',
        '["Loyga, Russian Federation", "Kotlas"]',
    )
    for source, path in (("eu-csv", EU), ("ofac-csv", SDN_SAMPLE)):
        document = as_json(source, path, "--root", minimal_copy)
        assert [d for d in document["differences"] if d["record"] == "alexander-mishkin"] == []


def test_c_identifiers_by_number(repo: Path) -> None:
    (repo / "designations/electronics-katrangi-trading.yaml").write_text(
        EKT.replace("00019", "00018"), "utf-8"
    )
    document = as_json("ofac-csv", OFAC, "--root", repo)
    (numbers,) = [d for d in document["differences"] if d["field"] == "identifiers"]
    assert numbers["official"] == [
        "808 195 689 00019 (registration-number, FR)",
        "2014 B 24978 (registration-number, FR)",
    ]
    assert numbers["ours"] == ["808 195 689 00018 (registration-number, FR)"]


def test_d_ofac_scope_follows_links_and_titles(repo: Path) -> None:
    document = as_json("ofac-csv", OFAC, "--root", repo)
    scope = {item["entry"]: item["scope"] for item in document["unrecorded"]}
    employees = [entry for entry in scope if 21905 <= int(entry) <= 22175]
    assert len(employees) == 271
    assert scope["21905"] == "names scientific-studies-and-research-centre in its title or remarks"
    assert scope["24744"] == "linked to scientific-studies-and-research-centre"
    # The rest of the EKT network is linked to EKT and Amir Katrangi, whom we do not record.
    assert sorted(set(scope) - set(employees)) == ["24744"]
    assert document["counts"]["out_of_scope"] == 12
    assert document["missing_sanction"] == []
    assert [item["record"] for item in document["to_lift"]] == ["main-intelligence-directorate"]
    # Once EKT is recorded, what is linked to it is in scope too.
    (repo / "designations/electronics-katrangi-trading.yaml").write_text(EKT, "utf-8")
    document = as_json("ofac-csv", OFAC, "--root", repo)
    scope = {item["entry"]: item["scope"] for item in document["unrecorded"]}
    assert scope["24745"] == "linked to electronics-katrangi-trading"  # Amir KATRANGI
    assert "24744" not in scope
    assert document["counts"]["out_of_scope"] == 4  # linked to Amir Katrangi only, or to none


def test_d_scope_from_reconcile_yaml(repo: Path) -> None:
    write_known(
        repo,
        "scope:\n  ofac-csv:\n    not_through: [scientific-studies-and-research-centre]\n"
        '    entries: ["24750", "24751"]\n',
    )
    document = as_json("ofac-csv", OFAC, "--root", repo)
    assert [(item["entry"], item["scope"]) for item in document["unrecorded"]] == [
        ("24750", "entry named in reconcile.yaml"),
        ("24751", "entry named in reconcile.yaml"),
    ]
    write_known(repo, "scope:\n  ofac-csv: {linked: false}\n")
    assert as_json("ofac-csv", OFAC, "--root", repo)["unrecorded"] == []


def test_d_un_scope_is_what_the_configuration_names(minimal_copy: Path) -> None:
    result = run("un-xml", UN, "--authority", "EU", "--root", minimal_copy)
    assert result.exit_code == 0  # nothing of the UN is chemical-weapons by default
    assert "✅ **The records agree with the file** · 0 known differences not shown" in result.stdout
    write_known(minimal_copy, "scope:\n  un-xml:\n    programs: [UN-DPRK]\n    entries: QDi.012\n")
    document = as_json("un-xml", UN, "--authority", "EU", "--root", minimal_copy)
    scope = [(item["entry"], item["scope"]) for item in document["unrecorded"]]
    assert len(scope) == 20  # the 12 DPRK persons, 7 DPRK entities and one Al-Qaida person
    assert ("KPi.033", "programme UN-DPRK") in scope
    assert ("QDi.012", "entry named in reconcile.yaml") in scope


def test_un_entries_match_under_the_authority_given(minimal_copy: Path) -> None:
    record = (minimal_copy / MISHKIN).read_text("utf-8")
    record = record.replace("id: alexander-mishkin", "id: ri-won-ho").replace(
        "name: Alexander Yevgeniyevich Mishkin", "name: Ri Won Ho"
    )
    record = record.replace("birth_date: 1979-07-13", "birth_date: 1964-07-17")
    (minimal_copy / "designations/ri-won-ho.yaml").write_text(record, "utf-8")
    document = as_json("un-xml", UN, "--authority", "FR", "--root", minimal_copy)
    (missing,) = document["missing_sanction"]
    assert (missing["entry"], missing["record"], missing["matched_by"]) == (
        "KPi.033",
        "ri-won-ho",
        "name and birth date",
    )
    # Its EU-CHEM sanction is not from this list: nothing to lift.
    assert as_json("un-xml", UN, "--authority", "EU", "--root", minimal_copy)["to_lift"] == []


# --- known differences (reconcile.yaml) -----------------------------------------------------

KNOWN_SSRC = """\
scope:
  eu-csv: {all: false}
known:
  - id: scientific-studies-and-research-centre
    authority: EU
    field: entry
    official: I.B 1
    reason: the entry number is kept on the record's page only.
  - id: scientific-studies-and-research-centre
    authority: EU
    field: aliases
    official: [cers]
    reason: the French acronym is written in the grounds.
  - id: scientific-studies-and-research-centre
    authority: EU
    field: aliases
    official: Centre de recherche de Kaboun
    reason: a site, not a name of the Centre.
"""


def test_known_differences_are_left_out_and_counted(minimal_copy: Path) -> None:
    write_known(minimal_copy, KNOWN_SSRC)
    result = run("eu-csv", EU, "--root", minimal_copy)
    assert result.exit_code == 0
    assert "✅ **The records agree with the file** · 3 known differences not shown" in result.stdout
    assert "(c) Field differences (0)" in result.stdout
    document = as_json("eu-csv", EU, "--root", minimal_copy)
    assert (document["agrees"], document["counts"]["known"]) == (True, 3)


def test_a_known_difference_of_section_a(minimal_copy: Path) -> None:
    write_known(
        minimal_copy,
        "known:\n  - id: alexander-mishkin\n    authority: US\n    field: sanction\n"
        '    official: "26170"\n    reason: we record his EU listing only.\n',
    )
    document = as_json("ofac-csv", SDN_SAMPLE, "--root", minimal_copy)
    assert [item["record"] for item in document["missing_sanction"]] == [
        "scientific-studies-and-research-centre"
    ]
    assert document["counts"]["known"] == 1


def test_a_known_difference_that_no_longer_occurs_is_stale(minimal_copy: Path) -> None:
    known = KNOWN_SSRC.replace("official: I.B 1", "official: I.B 2") + (
        # about a record the annex does not hold: not judged against this file
        "  - id: main-intelligence-directorate\n    authority: EU\n    field: name\n"
        "    official: GRU\n    reason: not judged here.\n"
        # about another authority: not judged against this file either
        "  - id: alexander-mishkin\n    authority: US\n    field: name\n"
        "    official: MISHKIN\n    reason: not judged here.\n"
    )
    write_known(minimal_copy, known)
    result = run("eu-csv", EU, "--root", minimal_copy)
    assert result.exit_code == 1
    assert "**0 entries lack our sanction · 0 sanctions to be lifted · 1 difference" in (
        result.stdout
    )
    assert "2 known differences not shown · ⚠️ 1 stale" in result.stdout
    assert rows(result.stdout, "c") == [
        "| `scientific-studies-and-research-centre` | EU I.B 1 | `entry` | I.B 1 | — |"
    ]
    stale = result.stdout.split("### Stale known differences (1)\n", 1)[1].splitlines()
    assert stale[-1] == (
        "| `reconcile.yaml:4:5` | `scientific-studies-and-research-centre` | `entry` | I.B 2"
        " | the entry number is kept on the record's page only. |"
    )
    (item,) = as_json("eu-csv", EU, "--root", minimal_copy)["stale"]
    assert item == {
        "id": "scientific-studies-and-research-centre",
        "authority": "EU",
        "field": "entry",
        "official": ["I.B 2"],
        "reason": "the entry number is kept on the record's page only.",
        "location": "reconcile.yaml:4:5",
    }


INVALID_KNOWN = """\
scope:
  ofac_csv: {linked: false}
  eu-csv: {all: maybe}
known:
  - id: alexander-mishkn
    authority: UE
    field: nationalty
    official: RU
    reason: typed in a hurry.
  - id: alexander-mishkin
    authority: EU
    feild: nationality
    official: RU
"""


def test_an_invalid_reconcile_yaml_gives_located_errors(minimal_copy: Path) -> None:
    write_known(minimal_copy, INVALID_KNOWN)
    result = run("eu-csv", EU, "--root", minimal_copy)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "reconcile.yaml:2:3: error[unknown-field] scope.ofac_csv: not a field of this record;"
        " did you mean 'ofac-csv'?",
        "reconcile.yaml:3:17: error[invalid-bool] scope.eu-csv.all: 'maybe' is not true or false",
        "reconcile.yaml:5:9: error[unknown-related] known[0].id: no record has the id"
        " 'alexander-mishkn'; did you mean 'alexander-mishkin'? (ids are file names in"
        " designations/ without .yaml)",
        "reconcile.yaml:6:16: error[unknown-authority] known[0].authority: 'UE' is not a"
        " participant; did you mean 'EU'? (authorities are the codes in"
        " content/participants.yaml)",
        "reconcile.yaml:7:12: error[invalid-choice] known[0].field: 'nationalty' is not one of:"
        " sanction, entry, name, aliases, birth_date, birth_place, nationality, country,"
        " identifiers; did you mean 'nationality'?",
        "reconcile.yaml:10:5: error[missing-field] known[1].field: is required but missing"
        " (The field that differs.)",
        "reconcile.yaml:10:5: error[missing-field] known[1].reason: is required but missing"
        " (Why the record deliberately differs.)",
        "reconcile.yaml:12:5: error[unknown-field] known[1].feild: not a field of this record;"
        " did you mean 'field'?",
        "8 errors, 0 warnings",
    ]


def test_reconcile_yaml_is_read_strictly(minimal_copy: Path) -> None:
    write_known(minimal_copy, "known:\n  - &same {id: a}\n  - *same\n")
    result = run("eu-csv", EU, "--root", minimal_copy)
    assert result.exit_code == 1
    assert "reconcile.yaml:2:5: error[yaml-anchor] anchors (&name) are not allowed" in (
        result.stderr
    )


def test_the_repositorys_reconcile_yaml_is_valid() -> None:
    settings, problems = read_settings(REPO, None, TODAY)
    assert [problem.format() for problem in problems] == []
    ids = {item.id for item in settings.known}
    ids |= {record for rules in settings.scope.values() for record in rules.not_through}
    assert ids, "the repository's reconcile.yaml names records"
    assert sorted(i for i in ids if not (REPO / "designations" / f"{i}.yaml").is_file()) == []


# --- formats, exit status, usage ------------------------------------------------------------


def test_json_has_stable_keys(repo: Path) -> None:
    document = as_json("ofac-csv", SDN_SAMPLE, "--root", repo, "--date", "2024-05-03")
    assert list(document) == [
        "source",
        "file",
        "date",
        "authority",
        "agrees",
        "counts",
        "missing_sanction",
        "to_lift",
        "differences",
        "unrecorded",
        "stale",
    ]
    assert (document["source"], document["file"], document["date"], document["authority"]) == (
        "ofac-csv",
        "sdn-sample.csv",
        "2024-05-03",
        "US",
    )
    assert document["counts"] == {
        "entries": 10,
        "left_out": 1,  # the vessel MAR AZUL
        "matched": 2,  # the SSRC by its entry, Mishkin by his name and birth date
        "out_of_scope": 4,
        "missing_sanction": 1,
        "to_lift": 1,
        "differences": 0,
        "unrecorded": 4,
        "known": 0,
        "stale": 0,
    }
    assert document["unrecorded"][0] == {
        "entry": "20069",
        "label": "OFAC 20069",
        "line": 4,
        "type": "person",
        "name": "Iyad Mohammad Esam Mahrous",
        "scope": "linked to scientific-studies-and-research-centre",
    }
    assert [(item["entry"], item["scope"]) for item in document["unrecorded"][1:]] == [
        ("21245", "linked to scientific-studies-and-research-centre"),
        ("21908", "names scientific-studies-and-research-centre in its title or remarks"),
        ("24744", "linked to scientific-studies-and-research-centre"),
    ]
    assert [len(document[key]) for key in list(document)[6:]] == [1, 1, 0, 4, 0]


def test_markdown_escapes_what_the_records_and_lists_hold(minimal_copy: Path) -> None:
    edit(
        minimal_copy,
        GRU,
        "name: Main Intelligence Directorate (GRU)",
        'name: "GRU | <img src=x onerror=alert(1)> [x](javascript:alert(1))"',
    )
    report = run("ofac-csv", SDN_SAMPLE, "--root", minimal_copy).stdout
    (row,) = rows(report, "b")
    assert row == (
        r"| `main-intelligence-directorate` | GRU \| \<img src=x onerror=alert(1)\>"
        r" \[x\](javascript:alert(1)) | — | — | 2016-12-28 |"
    )


def test_nothing_is_written(repo: Path) -> None:
    def digest() -> dict[str, str]:
        return {
            path.relative_to(repo).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(repo.rglob("*"))
            if path.is_file()
        }

    before = digest()
    run("ofac-csv", OFAC, "--root", repo)
    assert digest() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["un-xml", UN], "the UN is not a participant: give --authority"),
        (["eu-csv", EU, "--authority", "XX"], "--authority 'XX' is not a participant code"),
        (["ofac-csv", OFAC, "--authority", "us"], "--authority 'us' is not a participant code"),
        (["eu-csv", FIXTURES / "no-such-file.csv"], "does not exist"),
        (["eu-csv", EU, "--format", "html"], "'html' is not one of 'md', 'json'"),
        (["eu-csv", EU, "--date", "2024-13-01"], "'2024-13-01' does not match the format"),
        (["un-csv", UN], "'un-csv' is not one of 'eu-csv', 'ofac-csv', 'un-xml'"),
    ],
)
def test_usage_errors_exit_2(minimal_copy: Path, args: list[str | Path], message: str) -> None:
    result = run(*args, "--root", minimal_copy)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(
    ("source", "path", "message"),
    [
        ("eu-csv", FIXTURES / "eu-missing-columns.csv", "not an EU annex CSV"),
        ("ofac-csv", EU, "an SDN row has 12 (is this OFAC's sdn.csv?)"),
        ("un-xml", FIXTURES / "un-truncated.xml", "not well-formed XML"),
    ],
)
def test_a_file_of_another_kind_exits_1(
    minimal_copy: Path, source: str, path: Path, message: str
) -> None:
    result = run(source, path, "--root", minimal_copy, "--authority", "EU")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert re.fullmatch(rf"error: \S+: .*{re.escape(message)}.*\n", result.stderr)


def test_records_with_errors_exit_1_with_located_problems(minimal_copy: Path) -> None:
    edit(minimal_copy, MISHKIN, "nationality: [RU]", "nationality: [ru]")
    result = run("eu-csv", EU, "--root", minimal_copy)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{MISHKIN}:9:15: error[invalid-country] nationality[0]: 'ru' is not an ISO 3166-1"
        " alpha-2 country code (write it in capitals)",
        "1 error, 0 warnings",
    ]
