"""The JSON Schema: current, valid, accepted by every real record, and strict where it matters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, ValidationError

from generator.cli import main
from generator.export.schema import SCHEMA_FILE, designation_schema, schema_text
from generator.load import Mapping, Node, Scalar, load_yaml_file, load_yaml_text
from tests.conftest import MINIMAL, REPO

INTEGER = re.compile(r"[-+]?[0-9]+")
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
VALIDATOR = Draft202012Validator(designation_schema())


def as_editor_reads(node: Node) -> Any:
    """The value an editor sees (YAML 1.2 core schema), which is what the schema describes."""
    if isinstance(node, Mapping):
        return {key.value: as_editor_reads(value) for key, value in node.items}
    if not isinstance(node, Scalar):
        return [as_editor_reads(item) for item in node.items]
    if not node.plain:
        return node.value
    text = node.value
    if node.is_null:
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if INTEGER.fullmatch(text):
        return int(text)
    if FLOAT.fullmatch(text):
        return float(text)
    return text


def messages(error: ValidationError) -> list[str]:
    """An error's message and those of the alternatives it tried (anyOf)."""
    return [error.message, *(m for sub in error.context or () for m in messages(sub))]


def errors(text: str) -> list[str]:
    loaded = load_yaml_text(text, "x.yaml")
    assert loaded.root is not None
    found = VALIDATOR.iter_errors(as_editor_reads(loaded.root))
    return [message for error in found for message in messages(error)]


def record_paths() -> list[Path]:
    return sorted(
        [*(REPO / "designations").glob("*.yaml"), *(MINIMAL / "designations").glob("*.yaml")]
    )


def test_committed_schema_is_current() -> None:
    committed = (REPO / SCHEMA_FILE).read_text("utf-8")
    assert committed == schema_text(), "run: noimpunity schema > schema/designation.schema.json"


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(designation_schema())


def test_every_record_of_the_repository_validates() -> None:
    failures = {}
    for path in record_paths():
        loaded = load_yaml_file(path, path.name)
        assert loaded.root is not None
        found = [error.message for error in VALIDATOR.iter_errors(as_editor_reads(loaded.root))]
        if found:
            failures[path.name] = found
    assert failures == {}
    assert len(record_paths()) > 300


MINIMAL_PERSON = """\
id: x
type: person
name: X
sanctions:
  - {authority: EU, listed: 2019-01-21, reference: Act, measures: [asset-freeze]}
grounds: {en: Because.}
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("birth_dat: 1966\n", "Additional properties are not allowed ('birth_dat' was unexpected)"),
        ("country: [SY]\n", "False schema does not allow ['SY']"),
        ("nationality: [SYR]\n", "'SYR' is not one of"),
        ("gender: other\n", "'other' is not one of ['male', 'female']"),
        ("birth_date: 1979-7-13\n", "does not match"),
    ],
)
def test_schema_refuses_what_the_validator_refuses(change: str, expected: str) -> None:
    found = errors(MINIMAL_PERSON + change)
    assert any(expected in message for message in found), found


def test_schema_accepts_partial_dates_and_single_values() -> None:
    assert errors(MINIMAL_PERSON + "birth_date: 1966\nnationality: RU\nposition: Colonel\n") == []
    assert errors(MINIMAL_PERSON.replace("id: x", "id: X")) != []


def test_required_fields() -> None:
    found = errors("id: x\ntype: entity\nname: X\n")
    assert "'sanctions' is a required property" in found
    assert "'grounds' is a required property" in found


def test_schema_command_prints_the_committed_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads((REPO / SCHEMA_FILE).read_text("utf-8"))


def test_editors_are_pointed_at_the_schema() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text("utf-8"))
    assert settings["yaml.schemas"] == {"./schema/designation.schema.json": "designations/*.yaml"}
