"""``validate --format github|json``: the same problems for CI annotations and other tools."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main
from generator.errors import Location, Problem, Severity


def validate(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["validate", "--root", str(root), *args])


def break_record(root: Path) -> None:
    """An error in one record, a warning in another."""
    record = root / "designations/alexander-mishkin.yaml"
    record.write_text(record.read_text("utf-8").replace("birth_date:", "birth_dat:"), "utf-8")
    other = root / "designations/main-intelligence-directorate.yaml"
    text = other.read_text("utf-8").replace("  fr: Service de renseignement militaire russe.\n", "")
    other.write_text(text, "utf-8")


def test_github_annotations(minimal_copy: Path) -> None:
    break_record(minimal_copy)
    result = validate(minimal_copy, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=designations/alexander-mishkin.yaml,line=7,col=1,title=error[unknown-field]"
        "::birth_dat: not a field of a person; did you mean 'birth_date'?",
        "::warning file=designations/main-intelligence-directorate.yaml,line=13,col=3,"
        "title=warning[missing-translation]::grounds.fr: the grounds have no fr text;"
        " fr readers see the en one",
    ]
    assert result.stderr.splitlines() == ["1 error, 1 warning"]


def test_json_document(minimal_copy: Path) -> None:
    break_record(minimal_copy)
    result = validate(minimal_copy, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["errors"], document["warnings"]) == (1, 1)
    assert document["problems"][0] == {
        "path": "designations/alexander-mishkin.yaml",
        "line": 7,
        "column": 1,
        "severity": "error",
        "code": "unknown-field",
        "field": "birth_dat",
        "message": "not a field of a person; did you mean 'birth_date'?",
        "hint": "",
    }


def test_json_of_a_valid_site_is_an_empty_list(minimal_copy: Path) -> None:
    result = validate(minimal_copy, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [], "errors": 0, "warnings": 0}


def test_strict_json_fails_on_warnings(minimal_copy: Path) -> None:
    record = minimal_copy / "designations/main-intelligence-directorate.yaml"
    record.write_text(
        record.read_text("utf-8").replace("  fr: Service de renseignement militaire russe.\n", ""),
        "utf-8",
    )
    assert validate(minimal_copy, "--format", "json").exit_code == 0
    result = validate(minimal_copy, "--format", "json", "--strict")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["warnings"] == 1


def test_workflow_command_escaping() -> None:
    problem = Problem(
        Location("designations/a,b:c.yaml", 3, 4),
        "invalid-date",
        "listed",
        "100% wrong\nsecond line",
        severity=Severity.ERROR,
    )
    assert problem.github() == (
        "::error file=designations/a%2Cb%3Ac.yaml,line=3,col=4,title=error[invalid-date]"
        "::listed: 100%25 wrong%0Asecond line"
    )


def test_unknown_format_is_a_usage_error(minimal_copy: Path) -> None:
    assert validate(minimal_copy, "--format", "xml").exit_code == 2
