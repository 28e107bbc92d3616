"""The ``noimpunity`` command line: exit codes, problems on stderr, builds that fail cleanly."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.conftest import INVALID, MINIMAL

RECORD = "designations/alexander-mishkin.yaml"
CENTRE = "designations/scientific-studies-and-research-centre.yaml"
# Problems in three files. The checks find the page's warning last; stderr lists it first.
EXPECTED_ERRORS = [
    "content/about.en.md: warning[missing-translation] this page has no fr version"
    " (add about.fr.md beside it)",
    f"{RECORD}:7:1: error[unknown-field] birth_dat: not a field of a person;"
    " did you mean 'birth_date'?",
    f"{RECORD}:9:15: error[invalid-country] nationality[0]: 'ru' is not an ISO 3166-1 alpha-2"
    " country code (write it in capitals)",
    f"{CENTRE}:19:13: error[lifted-before-listed] sanctions[1].lifted: 2017-07-18 is before"
    " the listing date 2018-01-18",
    "3 errors, 1 warning",
]
WARNING = (
    f"{RECORD}:20:3: warning[missing-translation] grounds.fr: the grounds have no fr text;"
    " fr readers see the en one"
)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def broken(minimal_copy: Path) -> Path:
    """The minimal site with the problems of EXPECTED_ERRORS."""
    (minimal_copy / "content/about.en.md").write_text("---\ntitle: About\n---\nUs.\n", "utf-8")
    replace(minimal_copy / CENTRE, "lifted: 2018-07-18", "lifted: 2017-07-18")
    replace(minimal_copy / RECORD, "nationality: [RU]", "nationality: [ru]")
    replace(minimal_copy / RECORD, "birth_date:", "birth_dat:")
    return minimal_copy


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def lines(text: str) -> list[str]:
    return text.splitlines()


def digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_validate_minimal_site() -> None:
    result = run("validate", "--root", MINIMAL)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == "ok: 3 records, 4 participants, 4 pages\n"


def test_validate_broken_site(broken: Path) -> None:
    result = run("validate", "--root", broken)
    assert result.exit_code == 1
    assert lines(result.stderr) == EXPECTED_ERRORS
    assert result.stdout == ""


def test_validate_runs_as_a_real_command(broken: Path) -> None:
    command = Path(sys.executable).parent / "noimpunity"
    assert command.is_file()
    finished = subprocess.run(
        [command, "validate"], cwd=broken, capture_output=True, text=True, check=False
    )
    assert finished.returncode == 1
    assert lines(finished.stderr) == EXPECTED_ERRORS  # no traceback, nothing else
    assert finished.stdout == ""


def test_warnings_pass_unless_strict(overlay_site: Callable[[Path], Path]) -> None:
    root = overlay_site(INVALID / "missing-translation-grounds-fr")
    relaxed = run("validate", "--root", root)
    assert relaxed.exit_code == 0
    assert lines(relaxed.stderr) == [WARNING, "0 errors, 1 warning"]
    assert relaxed.stdout.startswith("ok: 3 records")
    strict = run("validate", "--strict", "--root", root)
    assert strict.exit_code == 1
    assert lines(strict.stderr) == [
        WARNING,
        "0 errors, 1 warning",
        "stopped: --strict makes warnings fatal",
    ]
    assert strict.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--no-such-option"],
        ["no-such-command"],
        ["build", "--port", "8000"],
        ["validate", "--root", "/no/such/directory"],
        ["serve", "--port", "eighty"],
    ],
    ids=["unknown-option", "unknown-command", "option-of-another-command", "bad-root", "bad-port"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert "Error:" in result.stderr
    assert "Traceback" not in result.output


def test_failed_build_leaves_the_output_unchanged(broken: Path, tmp_path: Path) -> None:
    output = tmp_path / "published"
    assert run("build", "--root", MINIMAL, "--output", output).exit_code == 0
    (output / "extra.txt").write_text("kept\n", "utf-8")
    before = digest(output)
    siblings = sorted(path.name for path in tmp_path.iterdir())
    result = run("build", "--root", broken, "--output", output)
    assert result.exit_code == 1
    assert lines(result.stderr) == EXPECTED_ERRORS
    assert result.stdout == ""
    assert digest(output) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == siblings


def test_build_minimal_site(minimal_copy: Path) -> None:
    result = run("build", "--root", minimal_copy)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("built ")
    assert result.stdout.rstrip().endswith(f"-> {minimal_copy / 'site'}")
    for page in ("index.html", "en/index.html", "fr/index.html"):
        assert (minimal_copy / "site" / page).is_file(), page
    assert '<html lang="fr"' in (minimal_copy / "site/fr/index.html").read_text("utf-8")


def test_build_quiet(minimal_copy: Path, tmp_path: Path) -> None:
    result = run("build", "--quiet", "--root", minimal_copy, "-o", tmp_path / "out")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "out/en/index.html").is_file()


COMMANDS = main.list_commands(click.Context(main))  # some are imported only when used


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {' '.join(command)}".rstrip())
    assert result.stderr == ""


def test_every_command_has_help_text() -> None:
    assert COMMANDS == [
        "build",
        "diff",
        "import",
        "new",
        "reconcile",
        "schema",
        "screen",
        "serve",
        "validate",
    ]
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command)
        assert command.help
