"""``noimpunity new``: a skeleton that validates except for what only a coordinator knows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.fields import SUBJECT_TYPES
from generator.new import SCHEMA_COMMENT, ScaffoldError, scaffold_record
from generator.read import read_site
from tests.conftest import TODAY


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["new", *map(str, args)], catch_exceptions=False)


def problems_of(root: Path, record_id: str) -> list[tuple[str, str]]:
    _site, problems = read_site(root, TODAY)
    path = f"designations/{record_id}.yaml"
    return sorted((p.code, p.field) for p in problems if p.location.path == path)


@pytest.mark.parametrize("subject_type", SUBJECT_TYPES)
def test_skeleton_is_valid_but_for_the_fields_to_fill(
    minimal_copy: Path, subject_type: str
) -> None:
    made = scaffold_record(minimal_copy, subject_type, "Smart Green Power")
    assert made.path == minimal_copy / "designations/smart-green-power.yaml"
    assert problems_of(minimal_copy, made.id) == sorted(
        ("placeholder", field) for field in made.to_fill
    )
    assert made.path.read_text("utf-8").startswith(SCHEMA_COMMENT + "\n")


def test_given_sanction_leaves_only_the_grounds(minimal_copy: Path) -> None:
    made = scaffold_record(
        minimal_copy,
        "entity",
        "Lumière Élysées",
        authority="FR",
        listed=dt.date(2018, 1, 18),
        reference="Arrêté du 18 janvier 2018",
    )
    assert made.id == "lumiere-elysees"
    assert made.to_fill == ("grounds.en", "grounds.fr")
    assert problems_of(minimal_copy, made.id) == [
        ("placeholder", "grounds.en"),
        ("placeholder", "grounds.fr"),
    ]


def test_filled_in_skeleton_is_valid(minimal_copy: Path) -> None:
    made = scaffold_record(minimal_copy, "person", "Ruslan Boshirov", authority="EU")
    text = made.path.read_text("utf-8")
    text = text.replace("'TODO: date of the act, YYYY-MM-DD'", "2019-01-21")
    text = text.replace("'TODO: the legal act, as cited officially'", "Regulation (EU) 2019/84")
    text = text.replace("TODO: summarise in your own words why the subject is listed.", "Reasons.")
    text = text.replace(
        "TODO: résumez avec vos propres mots les motifs de l'inscription.", "Motifs."
    )
    text = text.replace("# birth_date: [1970-01-31]", "birth_date: [1979-04-05]")
    made.path.write_text(text, "utf-8")
    assert problems_of(minimal_copy, made.id) == []


def test_uncommented_examples_are_valid_values(minimal_copy: Path) -> None:
    made = scaffold_record(minimal_copy, "entity", "Example Trading", authority="FR")
    skipped = ("# A new", "# yaml-", "# related:", "# cases:")  # and the related example
    lines = []
    for line in made.path.read_text("utf-8").splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        keep = (
            not stripped.startswith("# ")
            or stripped.startswith(skipped)
            or "other-record-id" in stripped
        )
        lines.append(line if keep else indent + stripped[2:])
    made.path.write_text("\n".join(lines) + "\n", "utf-8")
    codes = {code for code, _field in problems_of(minimal_copy, made.id)}
    assert codes == {"placeholder"}


def test_names_in_other_scripts_give_ascii_ids(minimal_copy: Path) -> None:
    made = scaffold_record(minimal_copy, "person", "Анатолий Владимирович Чепига")
    assert made.id == "anatoliy-vladimirovich-chepiga"


def test_never_overwrites(minimal_copy: Path) -> None:
    before = (minimal_copy / "designations/alexander-mishkin.yaml").read_bytes()
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold_record(minimal_copy, "person", "Alexander Mishkin")
    assert (minimal_copy / "designations/alexander-mishkin.yaml").read_bytes() == before
    made = scaffold_record(
        minimal_copy, "person", "Alexander Mishkin", record_id="alexander-mishkin-2"
    )
    assert made.path.name == "alexander-mishkin-2.yaml"


def test_cli(minimal_copy: Path) -> None:
    result = run("person", "Ivan Osipov", "--root", minimal_copy, "--authority", "EU")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "wrote designations/ivan-osipov.yaml",
        "fill in: sanctions[0].listed, sanctions[0].reference, grounds.en, grounds.fr",
        "then run: noimpunity validate",
    ]
    again = run("person", "Ivan Osipov", "--root", minimal_copy)
    assert again.exit_code == 1
    assert "designations/ivan-osipov.yaml already exists" in again.stderr


@pytest.mark.parametrize(
    "args",
    [("alien", "X"), ("person", "X", "--listed", "2018-02-30"), ("person",)],
)
def test_cli_usage_errors(minimal_copy: Path, args: tuple[str, ...]) -> None:
    result = run(*args, "--root", minimal_copy)
    assert result.exit_code == 2
    assert not list((minimal_copy / "designations").glob("x.yaml"))


def test_writes_the_designations_folder_when_missing(minimal_copy: Path) -> None:
    shutil.rmtree(minimal_copy / "designations")
    made = scaffold_record(minimal_copy, "group", "Some Group")
    assert made.path.is_file()
