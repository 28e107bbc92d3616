"""The JSON Schema (draft 2020-12) of a designation record, derived from the field specs.

It describes records as editors read them (YAML 1.2: ``1966`` is a number, ``true`` a boolean),
so that an editor validates and completes a record while it is typed. The validator stays the
authority: it reads every value as text and applies the same specs, with located messages.
"""

from __future__ import annotations

import json
from typing import Any

from generator.countries import CODES
from generator.dates import MIN_YEAR
from generator.fields import SUBJECT_FIELDS, SUBJECT_TYPES, Field, Kind
from generator.validate import LANGUAGES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "schema/designation.schema.json"
MAX_YEAR = 2100
TEXT: dict[str, Any] = {"type": ["string", "number"], "minLength": 1}


def _scalar(spec: Field) -> dict[str, Any]:
    simple: dict[Kind, dict[str, Any]] = {
        Kind.TEXT: TEXT,
        Kind.MARKDOWN: {"type": "string", "minLength": 1},
        Kind.SLUG: {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        Kind.CODE: {"type": "string", "pattern": "^[A-Z]{2}$"},
        Kind.CHOICE: {"enum": list(spec.choices)},
        Kind.BOOL: {"type": "boolean"},
        Kind.DATE: {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
        Kind.COUNTRY: {"enum": sorted(CODES)},
        Kind.LANGUAGE: {"enum": sorted(LANGUAGES)},
        Kind.URL: {"type": "string", "pattern": "^https?://[^\\s]+$", "format": "uri"},
        Kind.WEBSITE: {"type": "string", "pattern": "^[^\\s]+\\.[^\\s]+$"},
        Kind.PHONE: {"type": "string", "pattern": "^[( ]*\\+[0-9 ().\\-/]+$"},
        Kind.EMAIL: {"type": "string", "pattern": "^[^\\s@]+@[^\\s@]+\\.[A-Za-z]{2,}$"},
    }
    if spec.kind in simple:
        return dict(simple[spec.kind])
    year = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
    if spec.kind is Kind.YEAR:
        return year
    if spec.kind is Kind.PARTIAL_DATE:
        text = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
        return {"anyOf": [text, year]}
    if spec.kind is Kind.LOCALIZED:
        return {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]{2}$"},
            "additionalProperties": {"type": "string", "minLength": 1},
            "required": ["en"],
        }
    return _record(spec.fields, spec.shorthand)


def _record(fields: tuple[Field, ...], shorthand: str = "") -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "object",
        "properties": {spec.name: field_schema(spec) for spec in fields},
        "additionalProperties": False,
    }
    required = [spec.name for spec in fields if spec.required]
    if required:
        record["required"] = required
    if shorthand:
        return {"anyOf": [TEXT, record]}
    return record


def field_schema(spec: Field) -> dict[str, Any]:
    """The schema of one field: its value, a list of values, and null where allowed."""
    item = _scalar(spec)
    schema: dict[str, Any]
    if spec.many:
        array: dict[str, Any] = {"type": "array", "items": item}
        if spec.required:
            array["minItems"] = 1
        schema = {"anyOf": [item, array]} if spec.single_ok else array
    else:
        schema = item
    if spec.nullable or (spec.many and not spec.required):
        schema = {"anyOf": [schema, {"type": "null"}]}
    return {"description": spec.doc, **schema}


def designation_schema() -> dict[str, Any]:
    """The schema of ``designations/<id>.yaml``; fields of another subject type are refused."""
    schema = _record(SUBJECT_FIELDS)
    per_type = []
    for subject_type in SUBJECT_TYPES:
        refused = {
            spec.name: False for spec in SUBJECT_FIELDS if subject_type not in spec.applies_to
        }
        per_type.append(
            {
                "if": {"properties": {"type": {"const": subject_type}}, "required": ["type"]},
                "then": {"properties": refused},
            }
        )
    return {
        "$schema": DIALECT,
        "title": "Designation record",
        "description": "One sanctioned individual, entity, group or government "
        "(noimpunity, designations/<id>.yaml).",
        **schema,
        "allOf": per_type,
    }


def schema_text() -> str:
    """The schema as committed and published: stable key order, two-space indent."""
    return json.dumps(designation_schema(), indent=2, ensure_ascii=False) + "\n"
