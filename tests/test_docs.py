"""The coordinators' guide documents every command, field and error code, and is current."""

from __future__ import annotations

import click
import pytest

from generator.cli import main
from generator.docs import FIXES, GUIDE, SNAPSHOTS, render_guide, snapshot_examples
from generator.fields import SUBJECT_FIELDS
from tests.conftest import REPO
from tests.test_validate import CODES

TEXT = (REPO / GUIDE).read_text("utf-8")


def test_generated_sections_are_current() -> None:
    expected = render_guide(TEXT, snapshot_examples(REPO / SNAPSHOTS))
    assert expected == TEXT, "run: make docs"


def test_every_error_code_has_a_fix_and_a_real_example() -> None:
    assert sorted(CODES - set(FIXES)) == []
    assert sorted(set(FIXES) - CODES) == [], "documented codes that nothing reports"
    examples = snapshot_examples(REPO / SNAPSHOTS)
    for code in CODES:
        assert f"#### `{code}`" in TEXT
        assert f"[{code}]" in examples[code]


@pytest.mark.parametrize("command", main.list_commands(click.Context(main)))
def test_every_command_is_documented(command: str) -> None:
    assert f"`noimpunity {command}" in TEXT
    assert f"noimpunity {command}" in (REPO / "README.md").read_text("utf-8")


def test_every_field_is_in_the_reference() -> None:
    for spec in SUBJECT_FIELDS:
        assert f"| `{spec.name}` |" in TEXT
