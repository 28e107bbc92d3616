"""Permanent ids: withdrawn records keep their page; validate --against catches vanished ids."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from generator.build import build_site
from generator.cli import main
from generator.read import read_site
from tests.conftest import TODAY
from tests.test_git_history import commit, make_repo

TOMBSTONE = """\
id: main-intelligence-directorate
type: entity
name: Main Intelligence Directorate (GRU)
removed:
  date: 2022-02-02
  reason:
    en: Entered twice; the sanction is on another record.
    fr: Saisie en double ; la sanction figure sur une autre fiche.
"""


def unlink_related(root: Path) -> None:
    record = root / "designations/alexander-mishkin.yaml"
    text = record.read_text("utf-8")
    record.write_text(
        text.replace(
            "related:\n  - {id: main-intelligence-directorate, relation: employee-of}\n", ""
        ),
        "utf-8",
    )


def validate(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["validate", "--root", str(root), *args])


def test_a_tombstone_keeps_the_page_and_leaves_the_list(minimal_copy: Path, tmp_path: Path) -> None:
    unlink_related(minimal_copy)
    (minimal_copy / "designations/main-intelligence-directorate.yaml").write_text(
        TOMBSTONE, "utf-8"
    )
    site, problems = read_site(minimal_copy, TODAY)
    assert site is not None and problems == []
    assert [t.id for t in site.tombstones] == ["main-intelligence-directorate"]
    output = tmp_path / "site"
    build_site(minimal_copy, output, strict=True, today=TODAY)
    page = (output / "fr/designations/main-intelligence-directorate/index.html").read_text("utf-8")
    assert "retirée de la liste le 2 février 2022" in page
    assert "Saisie en double" in page
    listing = (output / "en/designations/index.html").read_text("utf-8")
    assert "main-intelligence-directorate" not in listing


def test_a_tombstone_needs_its_reason(minimal_copy: Path) -> None:
    unlink_related(minimal_copy)
    text = TOMBSTONE.split("  reason:", maxsplit=1)[0]
    (minimal_copy / "designations/main-intelligence-directorate.yaml").write_text(text, "utf-8")
    _site, problems = read_site(minimal_copy, TODAY)
    assert [p.format() for p in problems] == [
        "designations/main-intelligence-directorate.yaml:5:3: error[missing-field] removed.reason:"
        " is required but missing (Why, per language (for example: entered twice).)"
    ]


def test_validate_against_reports_a_vanished_record(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    unlink_related(repo)
    (repo / "designations/main-intelligence-directorate.yaml").unlink()
    result = validate(repo, "--against", "HEAD")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "designations/main-intelligence-directorate.yaml: error[removed-id] id:"
        " 'main-intelligence-directorate' was published at HEAD and has disappeared; ids are"
        " permanent (restore the file, or keep it as a tombstone: id, type, name and removed:"
        " {date, reason})"
    )


def test_validate_against_in_json(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    unlink_related(repo)
    (repo / "designations/main-intelligence-directorate.yaml").unlink()
    result = validate(repo, "--against", "HEAD", "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["code"], problem["path"]) == (
        "removed-id",
        "designations/main-intelligence-directorate.yaml",
    )


def test_validate_against_accepts_a_tombstone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    unlink_related(repo)
    (repo / "designations/main-intelligence-directorate.yaml").write_text(TOMBSTONE, "utf-8")
    commit(repo, "2022-02-02", "Withdraw a duplicate")
    assert validate(repo, "--against", "HEAD~1").exit_code == 0


def test_validate_against_an_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    result = validate(make_repo(tmp_path), "--against", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.stderr
