"""``noimpunity import``: official lists -> draft records that validate but for what only a
coordinator can fill (the grounds, and the listing date OFAC's CSV does not give).

The tests read only the fixtures in tests/fixtures/importers/ (their README says where each one
comes from): the whole EU annex, excerpts of OFAC's sdn.csv and of the UN Consolidated List (real
rows and records copied byte for byte), and hand-made files for the quirks and breakages the real
files do not show.

Tests marked ``official_lists`` also read the whole official files; they are deselected unless
``NOIMPUNITY_OFFICIAL_LISTS`` names a folder holding the official files (where to get each is in
tests/fixtures/importers/README.md), laid out as
(``eu-chemical-weapons/32018R1542.csv``, ``ofac-sdn/sdn-2024-05-03.csv``,
``un-consolidated/consolidated-2026-02-27.xml``, with the SHA-256 the fixtures' README gives).
They check that each fixture is a faithful copy, that the excerpts hold every record the tests
filter on, and that every person and entity of the whole files gives a draft yamllint accepts::

    NOIMPUNITY_OFFICIAL_LISTS=path/to/official-lists .venv/bin/pytest tests/test_importers.py

A missing or different file makes them fail, never skip.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_regressions.file_regression import FileRegressionFixture
from yamllint import linter
from yamllint.config import YamlLintConfig

from generator.cli import main
from generator.errors import Problem
from generator.identifiers import inn_ok, ogrn_ok
from generator.importers import ImportFileError, ImportUsageError, run_import, writer
from generator.importers.draft import Draft, parse_filters
from generator.importers.naming import (
    doubtful_words,
    invert_name,
    name_language,
    recase,
    split_acronym,
    split_names,
)
from generator.importers.ofac import FILTER_KEYS as OFAC_KEYS
from generator.importers.ofac import reference_for
from generator.importers.ofac_remarks import apply_remarks, split_remarks
from generator.importers.values import (
    country_codes,
    parse_date,
    parse_dates,
    parse_full_date,
)
from generator.read import read_site
from tests.conftest import REPO, TODAY

FIXTURES = Path(__file__).resolve().parent / "fixtures/importers"
EU = FIXTURES / "eu-32018R1542.csv"  # the whole annex
OFAC = FIXTURES / "sdn-2024-05-03-ssrc.csv"  # SSRC, its 271 employees, the EKT network
UN = FIXTURES / "un-2026-02-27-excerpt.xml"  # 39 records: 36 DPRK and Taliban, 3 Al-Qaida
SDN_SAMPLE = FIXTURES / "sdn-sample.csv"
# The official file each fixture was taken from, as laid out in $NOIMPUNITY_OFFICIAL_LISTS.
OFFICIAL_LISTS = "NOIMPUNITY_OFFICIAL_LISTS"
SOURCES = {
    EU: "eu-chemical-weapons/32018R1542.csv",
    OFAC: "ofac-sdn/sdn-2024-05-03.csv",
    SDN_SAMPLE: "ofac-sdn/sdn-2024-05-03.csv",
    UN: "un-consolidated/consolidated-2026-02-27.xml",
}
NOTICE_LINE = re.compile(r"^\S+:\d+: warning\[import-[a-z]+\] [\w\[\].()/ ]+: .+$")
SUMMARY = re.compile(r"^wrote \d+ drafts?, skipped \d+ existing, \d+ values? needs? attention")
FILLED_GROUNDS = "grounds:\n  en: Written by a coordinator.\n  fr: Écrit par un coordinateur.\n"


@pytest.fixture
def empty_site(minimal_copy: Path) -> Path:
    """The minimal site without its records: only what the importer writes."""
    for path in (minimal_copy / "designations").iterdir():
        path.unlink()
    return minimal_copy


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)], catch_exceptions=False)


def draft_text(root: Path, record_id: str) -> str:
    return (root / "designations" / f"{record_id}.yaml").read_text("utf-8")


def errors_by_file(root: Path) -> dict[str, set[tuple[str, str]]]:
    _site, problems = read_site(root, TODAY)
    found: dict[str, set[tuple[str, str]]] = {}
    for problem in problems:
        if problem.is_error:
            found.setdefault(Path(problem.location.path).stem, set()).add(
                (problem.code, problem.field)
            )
    return found


def complete(root: Path, listed: str | None = None) -> None:
    """Do the coordinator's part: grounds in their own words (and the listing date)."""
    for path in (root / "designations").glob("*.yaml"):
        text = re.sub(
            r"^grounds:\n(?:  .*\n)+", FILLED_GROUNDS, path.read_text("utf-8"), flags=re.M
        )
        if listed:
            text = re.sub(
                r"^( +)reference:", rf"\1listed: {listed}\n\1reference:", text, flags=re.M
            )
        path.write_text(text, "utf-8")


def site_errors(root: Path) -> list[Problem]:
    _site, problems = read_site(root, TODAY)
    return [problem for problem in problems if problem.is_error]


PLACEHOLDERS = {("placeholder", "grounds.en"), ("placeholder", "grounds.fr")}


# --- the real files ---------------------------------------------------------------------------


def test_eu_annex_gives_37_drafts_that_validate_once_grounds_are_written(
    empty_site: Path, file_regression: FileRegressionFixture
) -> None:
    report = run_import("eu-csv", EU, empty_site)
    assert len(report.written) == 37
    assert report.skipped == 0
    errors = errors_by_file(empty_site)
    assert len(errors) == 37
    assert all(found == PLACEHOLDERS for found in errors.values())
    types = [path.read_text("utf-8").count("\ntype: person\n") for path in report.written]
    assert sum(types) == 31
    file_regression.check(
        draft_text(empty_site, "anatoliy-vladimirovich-chepiga"),
        basename="eu-I.A-6",
        extension=".yaml",
    )
    file_regression.check(
        draft_text(
            empty_site, "state-scientific-research-institute-for-organic-chemistry-and-technology"
        ),
        basename="eu-I.B-2",
        extension=".yaml",
    )
    complete(empty_site)
    site, problems = read_site(empty_site, TODAY)
    assert [p.format() for p in problems if p.is_error] == []
    assert site is not None and len(site.subjects) == 37


def test_eu_annex_quirks_are_mapped(empty_site: Path) -> None:
    run_import("eu-csv", EU, empty_site)
    zughaib = draft_text(empty_site, "walid-zughaib")
    assert "  - name: Zgha'ib\n    weak: true\n" in zughaib
    assert "nationality: [SY]" in zughaib
    assert "birth_date: [1981-06-16, 1980-06-16]" in draft_text(
        empty_site, "alexey-alexandrovich-alexandrov"
    )
    assert "birth_date: '1966'" in draft_text(empty_site, "stanislav-valentinovich-makshakov")
    assert "nationality: [CA]" in draft_text(empty_site, "chadi-houranieh")
    institute = draft_text(
        empty_site,
        "33rd-central-scientific-research-and-testing-institute-of-the-ministry-of-defence-of-the"
        "-russian-federation",
    )
    assert "- {type: inn, number: '6441013942', country: RU}" in institute
    assert "    number: '644101001'\n    note: KPP" in institute
    troops = draft_text(
        empty_site,
        "radiological-chemical-and-biological-defence-troops-of-the-ministry-of-defence-of-the"
        "-russian-federation",
    )
    assert "{type: ogrn, number: '1037739635890', country: RU}" in troops


def test_eu_statement_of_reasons_is_never_copied(empty_site: Path) -> None:
    report = run_import("eu-csv", EU, empty_site)
    texts = " ".join(path.read_text("utf-8") for path in report.written)
    for phrase in ("liaison officer", "Novichok", "Salisbury", "Navalny", "epibatidine"):
        assert phrase not in texts


def test_eu_aksyonov_inn_fails_its_check_digits_and_is_reported(empty_site: Path) -> None:
    report = run_import("eu-csv", EU, empty_site, ["entry=31", "annex=I.A"])
    assert [n.format() for n in report.notices] == [
        f"{EU}:32: warning[import-check] innCode: INN 366217317327 fails the INN check digits;"
        " check it against the act"
    ]


def test_ofac_ssrc_and_ekt_network(
    empty_site: Path, file_regression: FileRegressionFixture
) -> None:
    report = run_import("ofac-csv", OFAC, empty_site, ["ent_num=9352,24744-24756"])
    assert len(report.written) == 14
    errors = errors_by_file(empty_site)
    assert len(errors) == 14
    assert all(
        found == {*PLACEHOLDERS, ("missing-field", "sanctions[0].listed")}
        for found in errors.values()
    )
    listed = [n for n in report.notices if n.field == "sanctions[0].listed"]
    assert len(listed) == 14 and all(n.code == "import-fill" for n in listed)
    ekt = draft_text(empty_site, "electronics-katrangi-trading")
    assert "{id: scientific-studies-and-research-center, relation: linked-to}" in ekt
    assert "aliases: [Electronic System Group, EKT, ESG, E.K.T.]" in ekt
    file_regression.check(ekt, basename="ofac-24744", extension=".yaml")
    beurklian = draft_text(empty_site, "anni-beurklian")
    assert "nationality: [LB, US]" in beurklian
    assert "{id: amir-katrangi, relation: linked-to}" in beurklian
    assert "birth_date: '1928'" in draft_text(empty_site, "mohamad-katrangi")
    complete(empty_site, listed="2018-01-26")
    assert site_errors(empty_site) == []


def test_ofac_271_ssrc_employees(empty_site: Path) -> None:
    report = run_import("ofac-csv", OFAC, empty_site, ["ent_num=21905-22175"])
    assert len(report.written) == 271
    texts = [path.read_text("utf-8") for path in report.written]
    assert all("program: SYRIA" in text for text in texts)
    assert all("reference: Executive Order 13582" in text for text in texts)
    assert all(
        "position: Scientific Studies and Research Center Employee" in text for text in texts
    )
    assert "name: Ahmad 'Ali\n" in draft_text(empty_site, "ahmad-ali")
    renamed = [n.message for n in report.notices if n.code == "import-id"]
    assert renamed  # several employees share a name; the second one gets its birth year
    assert all(re.search(r"written as '[a-z-]+-(19\d\d|\d)'$", message) for message in renamed)
    complete(empty_site, listed="2017-04-24")
    assert site_errors(empty_site) == []


def test_un_sample_with_original_scripts_and_partial_dates(
    empty_site: Path, file_regression: FileRegressionFixture
) -> None:
    refs = "ref=KPi.033,KPi.066,QDi.012,QDi.314,TAi.025"
    report = run_import("un-xml", UN, empty_site, [refs], authority="EU")
    assert len(report.written) == 5
    assert all(found == PLACEHOLDERS for found in errors_by_file(empty_site).values())
    assert "birth_date: ['1967', '1968', '1969']" in draft_text(empty_site, "kim-jong-sik")
    khadem = draft_text(empty_site, "abdul-rauf-khadem")
    assert "birth_date: ['1958', '1959', '1960', '1961', '1962', '1963', '1970']" in khadem
    assert "aliases: [عبدالروف خادم, Mullah Abdul Rauf Aliza]" in khadem  # no lang: not known
    lang_notices = [n for n in report.notices if n.code == "import-lang"]
    assert len(lang_notices) == 3
    dates = [n.message for n in report.notices if n.code == "import-date"]
    assert "approximately 1970; written as 1970" in dates
    file_regression.check(
        draft_text(empty_site, "nashwan-abd-al-razzaq-abd-al-baqi"),
        basename="un-QDi.012",
        extension=".yaml",
    )
    complete(empty_site)
    assert site_errors(empty_site) == []


def test_un_listing_date_with_a_time_zone(empty_site: Path) -> None:
    """QDi.352 is listed on ``2015-04-07-04:00`` (an xs:date with its zone)."""
    report = run_import("un-xml", UN, empty_site, ["ref=QDi.352"], authority="FR")
    assert len(report.written) == 1
    text = report.written[0].read_text("utf-8")
    assert "- authority: FR\n" in text and "  listed: 2015-04-07\n" in text


# --- parsers of quirky values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "values", "doubts"),
    [
        ("21.1.2019", ["2019-01-21"], 0),
        ("16.6.1981 or 16.6.1980", ["1981-06-16", "1980-06-16"], 0),
        ("5 April 1979; 12 Apr 1978", ["1979-04-05", "1978-04-12"], 0),
        ("13 Jul 1979", ["1979-07-13"], 0),
        ("01 January 1957", ["1957-01-01"], 0),
        ("11 Apr. 1963", ["1963-04-11"], 0),
        ("Dec 1970", ["1970-12"], 0),
        ("1966", ["1966"], 0),
        ("circa 1951", ["1951"], 1),
        ("1960 to 1962", ["1960", "1961", "1962"], 1),
        ("01 Jan 1960 to 31 Dec 1962", ["1960", "1961", "1962"], 1),
        ("1900 to 1990", [], 1),
        ("30.2.1970", [], 1),
        ("12/05/1970", [], 1),  # day or month first? not guessed
    ],
)
def test_dates_as_printed(printed: str, values: list[str], doubts: int) -> None:
    dates = parse_dates(printed)
    assert dates.values == values
    assert len(dates.doubts) == doubts


def test_full_dates() -> None:
    assert str(parse_full_date("21.1.2019")) == "2019-01-21"
    assert parse_full_date("2019") is None
    assert parse_date("2009-04-24Z") == "2009-04-24"


@pytest.mark.parametrize(
    ("printed", "codes", "unknown"),
    [
        ("Syrian", ["SY"], []),
        ("Russian", ["RU"], []),
        ("Canadian", ["CA"], []),
        ("Russian Federation", ["RU"], []),
        ("Korea, North", ["KP"], []),
        ("Democratic People's Republic of Korea", ["KP"], []),
        ("Iran (Islamic Republic of)", ["IR"], []),
        ("Türkiye", ["TR"], []),
        ("Congo, Democratic Republic of the", ["CD"], []),
        ("United Kingdom of Great Britain and Northern Ireland", ["GB"], []),
        ("Syrian; Canadian", ["SY", "CA"], []),
        ("Korean", [], ["Korean"]),
        ("Congolese", [], ["Congolese"]),
        ("former Soviet Union", [], ["former Soviet Union"]),
        ("Kosovo", [], ["Kosovo"]),  # XK is not an ISO 3166-1 code
    ],
)
def test_nationalities_and_countries(printed: str, codes: list[str], unknown: list[str]) -> None:
    assert country_codes(printed) == (codes, unknown)


@pytest.mark.parametrize(
    ("printed", "organisation", "expected"),
    [
        ("Tariq YASMINA", False, "Tariq Yasmina"),
        ("Анатолий Владимирович ЧЕПИГА", False, "Анатолий Владимирович Чепига"),
        ("'ALI", False, "'Ali"),
        ("ZGHA'IB", False, "Zgha'ib"),
        ("O'BRIEN", False, "O'Brien"),
        ("AL-HURANI", False, "Al-Hurani"),
        ("SCIENTIFIC STUDIES AND RESEARCH CENTER", True, "Scientific Studies and Research Center"),
        ("27TH SCIENTIFIC CENTER", True, "27th Scientific Center"),
        ("MHD NAZIER HOURANIEH & SONS CO", True, "MHD Nazier Houranieh & Sons Co"),
        ("TOP TECHNOLOGIES SARL", True, "Top Technologies SARL"),
        ("Main Intelligence Directorate (GRU)", True, "Main Intelligence Directorate (GRU)"),
        ("GosNIIOKhT", True, "GosNIIOKhT"),
    ],
)
def test_capitalisation(printed: str, organisation: bool, expected: str) -> None:
    assert recase(printed, organisation=organisation) == expected


def test_ofac_names_surname_first() -> None:
    assert recase(invert_name("'ALI, Ahmad")) == "Ahmad 'Ali"
    assert recase(invert_name("AL-HURANI, Haytham Ahmad")) == "Haytham Ahmad Al-Hurani"
    assert invert_name("TECHNOLAB") == "TECHNOLAB"
    assert doubtful_words("EKT SMART TECHNOLOGY", "Ekt Smart Technology") == ["EKT"]
    assert doubtful_words("GOLDEN STAR CO", "Golden Star Co") == []


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Zughib, Zgha'ib, Zughayb", ["Zughib", "Zgha'ib", "Zughayb"]),
        ("Saeed, Sa\u2019id Sa\u2019id", ["Saeed", "Sa\u2019id Sa\u2019id"]),
        ("Mohammed Khaled Nasri; Haled Natsri", ["Mohammed Khaled Nasri", "Haled Natsri"]),
        (
            "Centre d'Études et de Recherches Scientifiques (CERS), Centre de Recherche de Kaboun",
            [
                "Centre d'Études et de Recherches Scientifiques (CERS)",
                "Centre de Recherche de Kaboun",
            ],
        ),
        (
            "Войска радиационной, химической и биологической защиты",
            ["Войска радиационной, химической и биологической защиты"],
        ),
    ],
)
def test_alias_cells(cell: str, names: list[str]) -> None:
    assert split_names(cell) == names


def test_acronym_after_the_name_even_without_a_space() -> None:
    assert split_acronym(
        "State Scientific Research Institute for Organic Chemistry and Technology(GosNIIOKhT)"
    ) == ("State Scientific Research Institute for Organic Chemistry and Technology", "GosNIIOKhT")
    assert split_acronym("Scientific Studies and Research Centre (SSRC)") == (
        "Scientific Studies and Research Centre",
        "SSRC",
    )
    assert split_acronym("Centre de Recherche (Kaboun)") == ("Centre de Recherche (Kaboun)", None)


def test_language_of_a_name_only_when_known() -> None:
    assert name_language("Александр Мишкин", []) == ("ru", "Cyrillic")
    assert name_language("Александр Мишкин", ["RU"]) == ("ru", "Cyrillic")
    assert name_language("Олександр Мішкін", ["UA"]) == (None, "Cyrillic")
    assert name_language("محمد صلاح الدين", ["EG"]) == (None, "Arabic")
    assert name_language("김정식", ["KP"]) == ("ko", "Hang")
    assert name_language("Alexander Petrov", ["RU"]) == (None, "Latn")


def test_russian_numbers_check_digits() -> None:
    assert inn_ok("7704195013") and inn_ok("770170119783")
    assert not inn_ok("366217317327") and not inn_ok("644101001")
    assert ogrn_ok("1037739635890") and not ogrn_ok("1037739635891")


def remarks_draft(kind: str, remarks: str, title: str = "") -> Draft:
    draft = Draft("sdn.csv", 7, "OFAC 1", kind, "Name")
    apply_remarks(draft, remarks, title)
    return draft


def test_contact_values_the_validator_refuses_are_reported_at_once() -> None:
    """OFAC prints some numbers without their +: kept as printed, to be corrected."""
    draft = Draft("sdn.csv", 7, "OFAC 1", "entity", "Name")
    draft.add("phone", "(357)(22660766)", "+357 22 660766")
    draft.add("email", "info@example.com", "info at example")
    draft.add("website", "www.example.com")
    assert draft.values["phone"] == ["(357)(22660766)", "+357 22 660766"]
    assert [notice.format() for notice in draft.notices] == [
        "sdn.csv:7: warning[import-check] phone: '(357)(22660766)' is not in international form:"
        " it must start with + and the country code; correct it in the draft",
        "sdn.csv:7: warning[import-check] email: 'info at example' is not an e-mail address;"
        " correct it in the draft",
    ]


def test_ofac_remarks_of_a_person() -> None:
    draft = remarks_draft(
        "person",
        "DOB 05 Apr 1979; alt. DOB 12 Apr 1978; POB Nikolaevka, Amur Oblast, Russia; alt. POB"
        " Dushanbe, Tajikistan; nationality Russia; Gender Male; Secondary sanctions risk:"
        " Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; Passport 1084010"
        " (Egypt) issued 1999; Website www.example.org; Linked To: MAIN INTELLIGENCE DIRECTORATE.",
    )
    assert draft.values == {
        "birth_date": ["1979-04-05", "1978-04-12"],
        "birth_place": ["Nikolaevka, Amur Oblast, Russia", "Dushanbe, Tajikistan"],
        "nationality": ["RU"],
        "gender": ["male"],
        "identifiers": [
            {"type": "passport", "number": "1084010", "country": "EG", "note": "issued 1999"}
        ],
    }
    assert draft.links == ["MAIN INTELLIGENCE DIRECTORATE"]
    assert [(n.code, n.field) for n in draft.notices] == [
        ("import-dropped", "remarks"),
        ("import-dropped", "remarks"),
    ]
    assert "Secondary sanctions risk" in draft.notices[0].message
    assert "organisations only" in draft.notices[1].message


def test_ofac_remarks_of_an_entity() -> None:
    draft = remarks_draft(
        "entity",
        "Website www.ekt2.com; Identification Number 808 195 689 00019 (France); a.k.a. 'EKT';"
        " a.k.a. 'ELECTRONIC SYSTEM GROUP'; f.k.a. 'OLD NAME TRADING'; Tax ID No. 7714789249"
        " (Russia); Registration Number 1097746565366 (Russia); Organization Established Date"
        " 2010.",
    )
    assert draft.values["website"] == ["www.ekt2.com"]
    assert draft.values["aliases"] == ["EKT", "Electronic System Group", "Old Name Trading"]
    assert draft.values["identifiers"] == [
        {
            "type": "registration-number",
            "number": "808 195 689 00019",
            "country": "FR",
            "note": "Identification Number",
        },
        {"type": "inn", "number": "7714789249", "country": "RU"},
        {"type": "ogrn", "number": "1097746565366", "country": "RU"},
    ]
    assert [n.code for n in draft.notices] == ["import-check", "import-dropped"]


def test_ofac_remarks_split_and_title_skipped() -> None:
    assert split_remarks("a.k.a. 'E.K.T.'.") == ["a.k.a. 'E.K.T.'"]
    title = "Scientific Studies and Research Center Employee"
    draft = remarks_draft("person", f"DOB 1928; {title}.", title)
    assert draft.values == {"birth_date": ["1928"]} and draft.notices == []


def test_ofac_programmes_and_their_acts() -> None:
    assert reference_for("NPWMD") == "Executive Order 13382"
    assert reference_for("SYRIA") == "Executive Order 13582"
    assert reference_for("RUSSIA-EO14024") == "Executive Order 14024"
    assert reference_for("CUBA") is None


def test_filters() -> None:
    filters = parse_filters(["ent_num=9352,24744-24756", "program=npwmd"], OFAC_KEYS)
    assert filters.matches({"ent_num": ["24750"], "program": ["NPWMD", "SYRIA"]})
    assert not filters.matches({"ent_num": ["24757"], "program": ["NPWMD"]})
    assert not filters.matches({"ent_num": ["9352"], "program": ["SYRIA"]})
    for wrong in ("ent_num", "colour=red", "ent_num=abc"):
        with pytest.raises(ImportUsageError):
            parse_filters([wrong], OFAC_KEYS)


# --- never overwriting, ids --------------------------------------------------------------------


def test_already_recorded_subjects_are_skipped_and_their_files_untouched(
    minimal_copy: Path,
) -> None:
    before = {p.name: p.read_bytes() for p in (minimal_copy / "designations").iterdir()}
    report = run_import("eu-csv", EU, minimal_copy, ["entry=1,7", "annex=I.A,I.B"])
    skipped = [n.message for n in report.notices if n.code == "import-skipped"]
    assert report.skipped == 2 and len(report.written) == 1  # Tariq Yasmina
    assert "alexander-mishkin.yaml already has the EU entry I.A 7" in skipped[0]
    assert "scientific-studies-and-research-centre.yaml looks like the same subject" in skipped[1]
    after = {p.name: p.read_bytes() for p in (minimal_copy / "designations").iterdir()}
    assert {name: after[name] for name in before} == before
    again = run_import("eu-csv", EU, minimal_copy, ["entry=1,7", "annex=I.A,I.B"])
    assert again.written == () and again.skipped == 3


def test_an_id_taken_by_another_person_gets_the_birth_year(empty_site: Path) -> None:
    other = "id: ahmad-ali\ntype: person\nname: Ahmad Ali\nbirth_date: 1950\n"
    (empty_site / "designations/ahmad-ali.yaml").write_text(other, "utf-8")
    report = run_import("ofac-csv", SDN_SAMPLE, empty_site, ["ent_num=21908"])
    assert [p.name for p in report.written] == ["ahmad-ali-1969.yaml"]
    assert any(n.code == "import-id" for n in report.notices)
    assert (empty_site / "designations/ahmad-ali.yaml").read_text("utf-8") == other


def test_an_id_taken_by_a_record_that_may_be_the_same_is_skipped(empty_site: Path) -> None:
    other = "id: ahmad-ali\ntype: person\nname: Ahmad Ali\n"  # no birth date: cannot tell
    (empty_site / "designations/ahmad-ali.yaml").write_text(other, "utf-8")
    report = run_import("ofac-csv", SDN_SAMPLE, empty_site, ["ent_num=21908"])
    assert report.written == () and report.skipped == 1
    assert "nothing tells the two apart" in report.notices[0].message


def test_ids_within_one_file_and_without_birth_year(empty_site: Path) -> None:
    drafts = [Draft("f", row, f"X {row}", "entity", "Polo Trading") for row in (1, 2, 3)]
    for draft in drafts:
        draft.sanction = {"authority": "US", "entry": str(draft.row)}
    outcome = writer.write_drafts(empty_site, drafts)
    assert [p.stem for p in outcome.written] == ["polo-trading", "polo-trading-2", "polo-trading-3"]


def test_a_file_appearing_meanwhile_is_not_overwritten(
    empty_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = empty_site / "designations/technolab.yaml"
    target.write_text("someone else's work\n", "utf-8")
    monkeypatch.setattr(writer, "read_known", lambda folder: {})  # as if written after the scan
    report = run_import("ofac-csv", SDN_SAMPLE, empty_site, ["ent_num=21245"])
    assert report.written == () and report.skipped == 1
    assert target.read_text("utf-8") == "someone else's work\n"


# --- the command line --------------------------------------------------------------------------


def test_cli_writes_drafts_and_reports_what_needs_attention(empty_site: Path) -> None:
    result = run("ofac-csv", SDN_SAMPLE, "--root", empty_site)
    assert result.exit_code == 0
    *lines, summary = result.stderr.splitlines()
    assert all(NOTICE_LINE.match(line) for line in lines), lines
    assert SUMMARY.match(summary)
    assert summary.endswith("; 1 record of other kinds left out")  # the vessel MAR AZUL
    assert (
        result.stdout.splitlines()[0]
        == "wrote designations/scientific-studies-and-research-center.yaml"
    )
    assert (
        f"{SDN_SAMPLE}:2: warning[import-unsupported] SDN_Type: OFAC 4238 is a vessel"
        in result.stderr
    )
    assert (
        f"{SDN_SAMPLE}:3: warning[import-date] remarks (DOB): 'circa 1951' is approximate;"
        " written as 1951"
    ) in lines
    assert f"{SDN_SAMPLE}:9: warning[import-check] Program: also listed under CAATSA - RUSSIA" in (
        result.stderr
    )
    mishkin = draft_text(empty_site, "alexander-yevgeniyevich-mishkin")
    assert "program: NPWMD" in mishkin and "listed:" not in mishkin


def test_cli_program_filter_chooses_the_programme_written(empty_site: Path) -> None:
    result = run(
        "ofac-csv", SDN_SAMPLE, "--root", empty_site, "--filter", "program=CAATSA - RUSSIA"
    )
    assert result.exit_code == 0
    chepiga = draft_text(empty_site, "anatoliy-vladimirovich-chepiga")
    assert "program: CAATSA - RUSSIA" in chepiga
    assert "Countering America's Adversaries Through Sanctions Act (CAATSA)" in chepiga
    assert "also listed under NPWMD" in result.stderr


def test_cli_reports_dropped_columns_and_unknown_values(empty_site: Path) -> None:
    result = run("eu-csv", FIXTURES / "eu-quirks.csv", "--root", empty_site)
    assert result.exit_code == 0
    quirks = FIXTURES / "eu-quirks.csv"
    for line in (
        f"{quirks}:2: warning[import-country] nationality: 'Korean' is not a country or"
        " nationality we know; not written",
        f"{quirks}:2: warning[import-dropped] fatherName: 'Yuri' not written: our format has no"
        " field for it",
        f"{quirks}:2: warning[import-dropped] phone: '+7 000 000 00 00' not written: our format"
        " has this field for organisations only",
        f"{quirks}:3: warning[import-unsupported] schema: EU I.C 7 is a Vessel; only persons and"
        " entities are imported",
        f"{quirks}:4: warning[import-fill] sanctions[0].reference: cite the act of CELEX"
        " '32099R9999'",
    ):
        assert line in result.stderr.splitlines()
    assert "(not copied by the importer)" not in draft_text(empty_site, "kirill-yurievich-vasiliev")
    assert errors_by_file(empty_site)["example-trading-company"] == {
        *PLACEHOLDERS,
        ("missing-field", "sanctions[0].reference"),
    }


@pytest.mark.parametrize(
    ("source", "file", "message"),
    [
        ("eu-csv", FIXTURES / "eu-missing-columns.csv", "not an EU annex CSV: the header lacks"),
        ("ofac-csv", EU, "45 cells; an SDN row has 12"),
        ("un-xml", FIXTURES / "un-truncated.xml", "not well-formed XML"),
        ("un-xml", SDN_SAMPLE, "not well-formed XML"),
        ("eu-csv", SDN_SAMPLE, "not an EU annex CSV"),
    ],
)
def test_cli_malformed_files_exit_1(
    empty_site: Path, source: str, file: Path, message: str
) -> None:
    result = (
        run(source, file, "--root", empty_site, "--authority", "EU")
        if source == "un-xml"
        else (run(source, file, "--root", empty_site))
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output
    assert list((empty_site / "designations").iterdir()) == []


def test_import_file_errors_from_the_core(empty_site: Path, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("celex,recordId\n32018R1542,Zoukak \xe9\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match="is not UTF-8"):
        run_import("eu-csv", latin1, empty_site)
    empty = tmp_path / "sdn.csv"
    empty.write_bytes(b"\x1a")
    with pytest.raises(ImportFileError, match="holds no records"):
        run_import("ofac-csv", empty, empty_site)
    no_list = tmp_path / "list.xml"
    no_list.write_text("<sanctions/>", "utf-8")
    with pytest.raises(ImportFileError, match="not a UN Consolidated List"):
        run_import("un-xml", no_list, empty_site, authority="EU")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["un-xml", UN], "give --authority"),
        (["un-xml", UN, "--authority", "XX"], "'XX' is not a participant code"),
        (["eu-csv", EU, "--authority", "FR"], "--authority is for un-xml only"),
        (["eu-csv", EU, "--filter", "colour=red"], "unknown key 'colour'"),
        (["eu-csv", EU, "--filter", "annex"], "write KEY=VALUE"),
        (["ofac-csv", SDN_SAMPLE, "--filter", "ent_num=1-2"], "matches the filters"),
        (["eu-csv", EU, "--root", "/nonexistent/repo"], "does not exist"),
        (["pdf", EU], "is not one of"),
    ],
)
def test_cli_usage_errors_exit_2(empty_site: Path, args: list[str | Path], message: str) -> None:
    result = run(*args, *(["--root", empty_site] if "--root" not in args else []))
    assert result.exit_code == 2
    assert message in result.stderr
    assert list((empty_site / "designations").iterdir()) == []


def test_cli_help_documents_the_filters() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for key in ("annex", "ent_num", "program", "list", "ref", "name"):
        assert re.search(rf"^\s+{key}\s", result.stdout, flags=re.M), key


def lint(root: Path) -> tuple[int, list[str]]:
    """How many records root/designations holds, and what the repository's yamllint says."""
    config = YamlLintConfig(file=str(REPO / ".yamllint.yaml"))
    paths = sorted((root / "designations").glob("*.yaml"))
    found = [
        f"{path.name}:{problem.line}: {problem.desc}"
        for path in paths
        for problem in linter.run(path.read_text("utf-8"), config, f"designations/{path.name}")
    ]
    return len(paths), found


def test_drafts_pass_the_repositorys_yamllint(empty_site: Path) -> None:
    """The pre-commit hook lints designations/ with .yamllint.yaml: drafts must pass it.

    The UN excerpt's DPRK and Taliban records were chosen to show, twice where the whole lists
    can, every element, script, notice and YAML shape their drafts have (see the README).
    """
    reports = [
        run_import("eu-csv", EU, empty_site),
        run_import("ofac-csv", SDN_SAMPLE, empty_site),
        run_import("ofac-csv", OFAC, empty_site),
        run_import("un-xml", UN, empty_site, ["list=DPRK,Taliban"], authority="EU"),
    ]
    # Every person and entity is written or skipped as already recorded (the sample and the
    # excerpt share three rows; the EU and OFAC both list some subjects): 37 in the annex, 10 in
    # the sample (and a vessel), the excerpt's 285 rows and its 36 DPRK and Taliban records.
    assert [len(report.written) + report.skipped for report in reports] == [37, 10, 285, 36]
    count, found = lint(empty_site)
    assert count == sum(len(report.written) for report in reports) > 37 + 10 + 200 + 30
    assert found == []
    assert "sanctions:\n  - authority: EU\n    program: EU-CHEM\n" in draft_text(
        empty_site, "tariq-yasmina"
    )


# --- the fixtures ------------------------------------------------------------------------------


def readme_hashes() -> dict[str, str]:
    """The SHA-256 the fixtures' README gives, by fixture name or official file path."""
    text = (FIXTURES / "README.md").read_text("utf-8")
    return {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, re.M)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fixtures_are_the_files_their_readme_describes() -> None:
    """A fixture changed without its note in the README (where it comes from, what was taken)
    fails here; the EU fixture is the official file itself."""
    hashes = readme_hashes()
    fixtures = {path.name: sha256(path) for path in FIXTURES.iterdir() if path.name != "README.md"}
    assert {name: hashes.get(name) for name in fixtures} == fixtures
    assert set(SOURCES.values()) <= set(hashes)
    assert fixtures[EU.name] == hashes[SOURCES[EU]]


@pytest.mark.parametrize("fixture", [SDN_SAMPLE, OFAC], ids=lambda path: path.name)
def test_sdn_fixtures_keep_the_legacy_files_quirks(fixture: Path) -> None:
    """CRLF line ends (no bare LF), -0- cells, the final Ctrl-Z of the official file."""
    sample = fixture.read_bytes()
    assert sample.endswith(b"\r\n\x1a") and b"-0- " in sample
    assert sample.count(b"\n") == sample.count(b"\r\n")


# --- the whole official files (opt-in: NOIMPUNITY_OFFICIAL_LISTS) -----------------------------


def official(relative: str) -> Path:
    """An official list file in $NOIMPUNITY_OFFICIAL_LISTS: the very file the fixtures were
    taken from, or the test fails."""
    folder = os.environ.get(OFFICIAL_LISTS)
    layout = "a folder of the official files laid out as tests/fixtures/importers/README.md says"
    if not folder:
        pytest.fail(f"{OFFICIAL_LISTS} is not set: give it {layout}")
    path = Path(folder) / relative
    if not path.is_file():
        pytest.fail(f"{OFFICIAL_LISTS}={folder} has no {relative}: give it {layout}")
    expected = readme_hashes()[relative]
    if sha256(path) != expected:
        pytest.fail(
            f"{path} has SHA-256 {sha256(path)}, not {expected}: not the file the fixtures"
            " were taken from"
        )
    return path


def ofac_rows(data: bytes) -> list[bytes]:
    """The rows of an sdn.csv (CRLF line ends, a final Ctrl-Z)."""
    return data.removesuffix(b"\x1a").removesuffix(b"\r\n").split(b"\r\n")


UN_RECORD = re.compile(rb"    <(INDIVIDUAL|ENTITY)>\n.*?</\1>\n", re.S)


@pytest.mark.official_lists
@pytest.mark.parametrize("fixture", [EU, SDN_SAMPLE, OFAC, UN], ids=lambda path: path.name)
def test_fixtures_are_copied_byte_for_byte_from_the_official_files(fixture: Path) -> None:
    data, real = fixture.read_bytes(), official(SOURCES[fixture]).read_bytes()
    if fixture == EU:
        assert data == real
    elif fixture == UN:
        # The same XML declaration, root element, list elements and end; whole records.
        assert UN_RECORD.sub(b"", data) == UN_RECORD.sub(b"", real)
        where = {match.group(): match.start() for match in UN_RECORD.finditer(real)}
        starts = [where.get(match.group(), -1) for match in UN_RECORD.finditer(data)]
        assert -1 not in starts and starts == sorted(starts) and len(starts) == 39
    else:
        assert data.endswith(b"\r\n\x1a") and real.endswith(b"\r\n\x1a")
        line_of = {row: number for number, row in enumerate(ofac_rows(real), 1)}
        lines = [line_of.get(row) for row in ofac_rows(data)]
        assert None not in lines
        if fixture == OFAC:  # the lines the README gives
            assert lines == [944, *range(4565, 4836), *range(5700, 5713)]


def import_both(
    root: Path, tmp_path: Path, source: str, fixture: Path, filters: list[str], authority: str
) -> list[tuple[dict[str, str], list[tuple[str, str, str]], int, int]]:
    """What the fixture and the official file give with the same filters (file name aside)."""
    results = []
    for path in (fixture, official(SOURCES[fixture])):
        site = shutil.copytree(root, tmp_path / f"from-{path.name}")
        report = run_import(source, path, site, filters, authority or None)
        drafts = {
            written.name: written.read_text("utf-8").replace(f" from {path.name} (", " from (", 1)
            for written in report.written
        }
        notices = [(notice.code, notice.field, notice.message) for notice in report.notices]
        results.append((drafts, notices, report.skipped, report.unsupported))
    return results


@pytest.mark.official_lists
@pytest.mark.parametrize(
    ("source", "fixture", "filters", "authority"),
    [
        pytest.param("ofac-csv", OFAC, ["ent_num=9352,24744-24756"], "", id="ofac-ssrc-ekt"),
        pytest.param("ofac-csv", OFAC, ["ent_num=21905-22175"], "", id="ofac-employees"),
        pytest.param(
            "un-xml", UN, ["ref=KPi.033,KPi.066,QDi.012,QDi.314,TAi.025"], "EU", id="un-sample"
        ),
        pytest.param("un-xml", UN, ["ref=QDi.352"], "FR", id="un-QDi.352"),
    ],
)
def test_the_excerpts_hold_every_record_the_tests_filter_on(
    empty_site: Path,
    tmp_path: Path,
    source: str,
    fixture: Path,
    filters: list[str],
    authority: str,
) -> None:
    """The same drafts, notices and counts from the excerpt as from the whole official file."""
    from_fixture, from_official = import_both(
        empty_site, tmp_path, source, fixture, filters, authority
    )
    assert from_fixture[0]  # drafts were written
    assert from_fixture == from_official


@pytest.mark.official_lists
@pytest.mark.parametrize(
    ("source", "relative", "authority", "persons", "entities", "others"),
    [
        # Persons, entities and records of other kinds in each official file (the fixtures'
        # README gives them with the files).
        pytest.param("eu-csv", SOURCES[EU], None, 31, 6, 0, id="eu"),
        pytest.param("ofac-csv", SOURCES[OFAC], None, 6854, 6884, 851 + 376, id="ofac"),
        pytest.param("un-xml", SOURCES[UN], "EU", 730, 273, 0, id="un"),
    ],
)
def test_every_person_and_entity_of_the_official_files_gives_a_draft_yamllint_accepts(
    empty_site: Path,
    source: str,
    relative: str,
    authority: str | None,
    persons: int,
    entities: int,
    others: int,
) -> None:
    report = run_import(source, official(relative), empty_site, authority=authority)
    assert report.skipped == 0 and report.unsupported == others
    types = [path.read_text("utf-8").count("\ntype: person\n") for path in report.written]
    assert (sum(types), types.count(0)) == (persons, entities)
    count, found = lint(empty_site)
    assert count == persons + entities
    assert found == []
