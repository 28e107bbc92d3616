"""Building the minimal site: the file set, representative pages, determinism, atomicity."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from generator.build import build_site, today_utc
from generator.errors import BuildError
from generator.read import read_site
from tests.conftest import MINIMAL, TEMPLATES, TODAY


def build(root: Path, output: Path) -> None:
    build_site(root, output, templates=TEMPLATES, strict=True, today=TODAY)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("build") / "site"
    build(MINIMAL, output)
    return output


def test_output_files(built: Path, file_regression: FileRegressionFixture) -> None:
    listing = "\n".join(sorted(tree_digest(built))) + "\n"
    file_regression.check(listing, basename="minimal_files", extension=".txt")


def test_template_syntax_error_is_a_located_problem(minimal_copy: Path) -> None:
    templates = minimal_copy / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "news.html").write_text("line one\n{% if %}\n", "utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(minimal_copy, minimal_copy / "site", today=TODAY)
    assert [p.format() for p in failure.value.problems] == [
        "templates/news.html:2:1: error[template]"
        " Expected an expression, got 'end of statement block'"
    ]


@pytest.mark.parametrize(
    "page",
    [
        "en/designations/alexander-mishkin/index.html",
        "fr/designations/scientific-studies-and-research-centre/index.html",
        "en/designations/index.html",
        "fr/authorities/eu/index.html",
    ],
)
def test_representative_pages(
    built: Path, page: str, file_regression: FileRegressionFixture
) -> None:
    basename = page.removesuffix("/index.html").replace("/", "_")
    file_regression.check((built / page).read_text("utf-8"), basename=basename, extension=".html")


def test_every_record_has_a_page_per_language(built: Path) -> None:
    for record in (MINIMAL / "designations").glob("*.yaml"):
        for lang in ("en", "fr"):
            assert (built / lang / "designations" / record.stem / "index.html").is_file()


def test_language_switch_links_to_the_same_page(built: Path) -> None:
    english = (built / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    french = (built / "fr/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert 'href="../../../fr/designations/alexander-mishkin/" hreflang="fr"' in english
    assert 'href="../../../en/designations/alexander-mishkin/" hreflang="en"' in french
    assert '<html lang="fr"' in french


def test_non_latin_names_carry_their_language_and_direction(built: Path) -> None:
    page = (built / "en/designations/scientific-studies-and-research-centre/index.html").read_text(
        "utf-8"
    )
    assert '<span lang="ar" dir="rtl">مركز الدراسات والبحوث العلمية</span>' in page
    mishkin = (built / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert '<span lang="ru">Александр Евгеньевич Мишкин</span>' in mishkin


def test_dates_are_formatted_per_language(built: Path) -> None:
    english = (built / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    french = (built / "fr/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert ">13 July 1979</time>" in english
    assert ">13 juillet 1979</time>" in french


def test_lifted_sanction_is_shown_as_lifted(built: Path) -> None:
    page = (built / "en/designations/scientific-studies-and-research-centre/index.html").read_text(
        "utf-8"
    )
    assert "Lifted on 18 July 2018" in page


def test_building_twice_gives_identical_bytes(tmp_path: Path, built: Path) -> None:
    again = tmp_path / "again"
    build(MINIMAL, again)
    assert tree_digest(again) == tree_digest(built)


def test_rebuild_replaces_the_previous_site(minimal_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    build(minimal_copy, output)
    (output / "stale.html").write_text("left over", "utf-8")
    (minimal_copy / "designations/main-intelligence-directorate.yaml").unlink()
    record = minimal_copy / "designations/alexander-mishkin.yaml"
    record.write_text(record.read_text("utf-8").split("related:")[0], "utf-8")
    build(minimal_copy, output)
    assert not (output / "stale.html").exists()
    assert not (output / "en/designations/main-intelligence-directorate").exists()
    # nothing left beside it but the spare copy that speeds up the next build
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.previous", "repo", "site"]


def test_failed_build_leaves_the_previous_site_untouched(
    minimal_copy: Path, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    build(minimal_copy, output)
    before = tree_digest(output)
    record = minimal_copy / "designations/alexander-mishkin.yaml"
    record.write_text(record.read_text("utf-8").replace("2019-01-21", "2019-02-30"), "utf-8")
    with pytest.raises(BuildError) as failure:
        build(minimal_copy, output)
    assert [p.code for p in failure.value.problems] == ["invalid-date"]
    assert tree_digest(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]  # validation failed


def test_failure_while_rendering_leaves_the_previous_site_untouched(
    minimal_copy: Path, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    build(minimal_copy, output)
    before = tree_digest(output)
    broken = tmp_path / "templates"
    broken.mkdir()
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            target = broken / path.relative_to(TEMPLATES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (broken / "subject.html").write_text("{{ subject.no_such_field }}", "utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(minimal_copy, output, templates=broken, today=TODAY)
    [problem] = failure.value.problems
    assert (problem.code, problem.location.path) == (
        "template",
        (broken / "subject.html").as_posix(),
    )
    assert "no_such_field" in problem.message
    assert tree_digest(output) == before
    # the half-built spare copy is removed (it could fill a disk); the lock is released
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "repo",
        "site",
        "templates",
    ]


def freeze_until(record: Path, expiry: str) -> None:
    """Give the record's only sanction an expiry date and a renewal (``expiry`` holds more
    lines to add, such as ``not_renewed``)."""
    record.write_text(
        record.read_text("utf-8").replace(
            "    measures: asset-freeze\n",
            f"    measures: asset-freeze\n    expires: {expiry}\n    renewed: [2017-01-02]\n",
        ),
        "utf-8",
    )


def test_a_freeze_known_not_renewed_is_expired_and_its_subject_no_longer_listed(
    minimal_copy: Path, tmp_path: Path
) -> None:
    freeze_until(minimal_copy / "designations/main-intelligence-directorate.yaml",
                 "2017-06-28\n    not_renewed: true")  # fmt: skip
    output = tmp_path / "site"
    build(minimal_copy, output)
    page = (output / "en/designations/main-intelligence-directorate/index.html").read_text("utf-8")
    assert "Expired on 28 June 2017" in page
    assert "Renewed on 2 January 2017" in page
    assert '<span class="status status-delisted">No longer listed</span>' in page
    listing = (output / "fr/designations/index.html").read_text("utf-8")
    assert "3 noms, dont 2 actuellement inscrits." in listing
    data = json.loads((output / "data/subjects/main-intelligence-directorate.json").read_text())
    assert data["subject"]["status"] == "delisted"
    assert data["subject"]["sanctions"][0]["status"] == "expired"


@pytest.mark.parametrize(
    ("expiry", "shown"),
    [
        ("2017-06-28", "Renewal not recorded since 28 June 2017"),
        ("2017-06", "Renewal not recorded since the end of June 2017"),
    ],
)
def test_a_freeze_past_its_expiry_with_no_renewal_recorded_is_not_called_ended(
    minimal_copy: Path, tmp_path: Path, expiry: str, shown: str
) -> None:
    """We do not know that it ended: the reader is told what is known, and the subject is
    neither "listed" nor "no longer listed"."""
    freeze_until(minimal_copy / "designations/main-intelligence-directorate.yaml", expiry)
    output = tmp_path / "site"
    build(minimal_copy, output)
    page = (output / "en/designations/main-intelligence-directorate/index.html").read_text("utf-8")
    assert shown in page
    assert "Expired" not in page
    assert '<span class="status status-unconfirmed">Renewal not recorded</span>' in page
    french = (output / "fr/designations/main-intelligence-directorate/index.html").read_text()
    assert "Renouvellement non enregistré" in french
    listing = (output / "fr/designations/index.html").read_text("utf-8")
    assert "3 noms, dont 2 actuellement inscrits." in listing
    assert (output / "en/browse/status/unconfirmed/index.html").is_file()
    data = json.loads((output / "data/subjects/main-intelligence-directorate.json").read_text())
    assert data["subject"]["status"] == "unconfirmed"
    assert data["subject"]["sanctions"][0]["status"] == "unconfirmed"
    assert data["subject"]["sanctions"][0]["expires"] == expiry
    changes = (output / "en/changes/index.html").read_text("utf-8")
    assert "Renewed" in changes and "Expired" not in changes  # nothing is known to have ended


def test_a_freeze_before_its_expiry_says_until_when(minimal_copy: Path, tmp_path: Path) -> None:
    freeze_until(minimal_copy / "designations/main-intelligence-directorate.yaml", "2099-06")
    output = tmp_path / "site"
    build(minimal_copy, output)
    page = (output / "en/designations/main-intelligence-directorate/index.html").read_text("utf-8")
    assert "Until the end of June 2099 unless renewed" in page
    assert '<span class="status status-listed">Listed</span>' in page


def test_status_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1516665600")  # 2018-01-23T00:00:00Z
    assert today_utc() == dt.date(2018, 1, 23)


def test_case_pages_list_their_subjects_and_events_in_order(built: Path) -> None:
    page = (built / "fr/cases/salisbury-2018/index.html").read_text("utf-8")
    assert page.index(">mars 2018</time>") < page.index(">21 janvier 2019</time>")
    assert 'href="../../designations/alexander-mishkin/"' in page
    empty = (built / "en/cases/daesh/index.html").read_text("utf-8")
    assert "No subject on this list is linked to this case yet." in empty
    subject = (built / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert '<a href="../../cases/salisbury-2018/">Salisbury, 2018</a>' in subject


def test_filter_pages_narrow_the_list(built: Path) -> None:
    entities = (built / "en/browse/type/entity/index.html").read_text("utf-8")
    assert "2 names, of which 2 currently listed." in entities
    assert "alexander-mishkin" not in entities
    russia = (built / "fr/browse/country/ru/index.html").read_text("utf-8")
    assert 'href="../../../designations/alexander-mishkin/"' in russia
    assert 'href="../../../designations/scientific-studies-and-research-centre/"' not in russia
    assert '<a href="./" aria-current="page">Russie</a> <span class="count">(2)</span>' in russia
    newest = (built / "en/browse/by-date/index.html").read_text("utf-8")
    assert newest.index("alexander-mishkin/") < newest.index("main-intelligence-directorate/")


MILESTONES = """\
- date: 2018-10-19
  count: {en: 38 States and the European Union, fr: 38 États et l’Union européenne}
  source: https://www.diplomatie.gouv.fr/fr/
"""


def test_documented_counts_of_participants_are_shown_as_stated(
    minimal_copy: Path, tmp_path: Path
) -> None:
    """The list names only some participants: the page says so and gives the counts the
    statements give, with their source, and never calls its own list the total."""
    (minimal_copy / "content/milestones.yaml").write_text(MILESTONES, "utf-8")
    output = tmp_path / "site"
    build(minimal_copy, output)
    page = (output / "en/participants/index.html").read_text("utf-8")
    named = len(read_site(minimal_copy, TODAY)[0].participants)  # type: ignore[union-attr]
    assert f"{named} participants named." in page
    assert "the Partnership has more participants than it names" in page
    assert "<td>38 States and the European Union</td>" in page
    assert 'href="https://www.diplomatie.gouv.fr/fr/"' in page
    home = (output / "fr/index.html").read_text("utf-8")
    assert "Le Partenariat comptait 38 États et l’Union européenne le 19 octobre 2018" in home


def test_a_count_without_its_source_is_a_located_error(minimal_copy: Path) -> None:
    (minimal_copy / "content/milestones.yaml").write_text(
        MILESTONES.replace("  source: https://www.diplomatie.gouv.fr/fr/\n", ""), "utf-8"
    )
    site, problems = read_site(minimal_copy, TODAY)
    assert site is None
    assert [p.format() for p in problems] == [
        "content/milestones.yaml:1:3: error[missing-field] [0].source: is required but"
        " missing (The statement, preferably an official page.)"
    ]
