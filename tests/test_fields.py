"""The table of fields is consistent with itself and with the model that types it."""

from __future__ import annotations

import dataclasses

from generator import fields
from generator.export import ftm
from generator.export.data import SUBJECT_COLUMNS
from generator.model import DECLARED, RECORD_CLASSES, Subject


def test_the_model_types_only_fields_of_the_table() -> None:
    names = {spec.name for spec in fields.SUBJECT_FIELDS}
    assert names >= DECLARED
    assert {f.name for f in dataclasses.fields(Subject)} == DECLARED | {"extra", "origin"}
    records = {spec.name for spec in fields.SUBJECT_FIELDS if spec.kind is fields.Kind.RECORD}
    assert set(RECORD_CLASSES) == records


def test_every_subject_field_has_a_part_and_distinct_columns() -> None:
    for spec in fields.SUBJECT_FIELDS:
        assert spec.part in fields.PARTS, spec.name
    assert len(set(SUBJECT_COLUMNS)) == len(SUBJECT_COLUMNS)
    assert sorted(fields.EXPORT_ORDER, key=lambda s: s.name) == sorted(
        fields.SUBJECT_FIELDS, key=lambda s: s.name
    )


def test_optional_fields_have_an_example_for_the_skeleton() -> None:
    """new.py writes each optional field of a record commented out with its example."""
    for spec in fields.SUBJECT_FIELDS:
        assert spec.required or spec.example is not None, spec.name


def test_the_ftm_properties_are_those_the_table_declares() -> None:
    declared = {spec.name: spec.ftm for spec in fields.SUBJECT_FIELDS if spec.ftm}
    assert {name: tuple(value) for name, value in declared.items()} == ftm.SUBJECT_PROPERTIES
    assert "grounds" not in ftm.SUBJECT_PROPERTIES  # the reason is on each Sanction
