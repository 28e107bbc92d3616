"""``new``: a skeleton record with every field of its type, explained in a comment.

Fields the coordinator must fill hold a ``TODO:`` placeholder, which the validator reports as
``error[placeholder]`` until it is replaced; optional fields are commented out with an example.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.fields import SANCTION_FIELDS, SUBJECT_FIELDS, Field
from generator.layout import DESIGNATIONS
from generator.names import MAX_ID_LENGTH, slugify
from generator.validate import SLUG
from generator.yaml_writer import dump_yaml

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/designation.schema.json"
TODO_GROUNDS = {
    "en": "TODO: summarise in your own words why the subject is listed.",
    "fr": "TODO: résumez avec vos propres mots les motifs de l'inscription.",
}


class ScaffoldError(Exception):
    """The record cannot be written (it exists, or the id is not usable)."""


@dataclass(frozen=True, slots=True)
class Scaffold:
    path: Path
    id: str
    to_fill: tuple[str, ...]  # fields left as TODO placeholders


def scaffold_record(
    root: Path,
    subject_type: str,
    name: str,
    *,
    record_id: str | None = None,
    authority: str | None = None,
    listed: dt.date | None = None,
    reference: str | None = None,
) -> Scaffold:
    """Write ``designations/<id>.yaml`` for a new subject; never overwrite an existing file."""
    if record_id is None:
        record_id = slugify(name)
        if not record_id:
            raise ScaffoldError(f"cannot make an id from {name!r}; pass --id")
    elif not SLUG.fullmatch(record_id) or len(record_id) > MAX_ID_LENGTH:
        raise ScaffoldError(
            f"{record_id[:120]!r} is not an id: use a-z, 0-9 and single '-' only, at most"
            f" {MAX_ID_LENGTH} characters"
        )
    folder = root / DESIGNATIONS
    if folder.is_symlink() or not folder.resolve().is_relative_to(root.resolve()):
        raise ScaffoldError("designations/ is a symbolic link; records are written only inside it")
    path = folder / f"{record_id}.yaml"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(
            f"{path.relative_to(root).as_posix()} already exists; edit it to add a sanction,"
            " or choose another id with --id"
        )
    sanction = {
        "authority": authority or "TODO: participant code, e.g. FR",
        "listed": listed.isoformat() if listed else "TODO: date of the act, YYYY-MM-DD",
        "reference": reference or "TODO: the legal act, as cited officially",
        "measures": ["asset-freeze", "travel-ban"]
        if subject_type == "person"
        else ["asset-freeze"],
    }
    record = {"id": record_id, "type": subject_type, "name": name}
    text = render_skeleton(record, sanction, subject_type)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # never follows a link, never overwrites
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists") from None
    to_fill = [f"sanctions[0].{k}" for k, v in sanction.items() if str(v).startswith("TODO")]
    return Scaffold(path, record_id, (*to_fill, "grounds.en", "grounds.fr"))


def render_skeleton(record: Mapping[str, object], sanction: Mapping[str, object], kind: str) -> str:
    lines = [SCHEMA_COMMENT, f"# A new {kind}. Every field is explained in docs/coordinators.md."]
    for spec in SUBJECT_FIELDS:
        if kind not in spec.applies_to:
            continue
        if spec.name in record:
            lines.append(_commented(dump_yaml({spec.name: record[spec.name]}), spec))
        elif spec.name == "sanctions":
            lines.append(f"sanctions:  # {spec.doc}")
            lines.extend(_sanction_lines(sanction))
        elif spec.name == "grounds":
            lines.append(f"grounds:  # {spec.doc}")
            lines.extend(f"  {lang}: |\n    {text}" for lang, text in TODO_GROUNDS.items())
        elif spec.example is not None:
            example = dump_yaml({spec.name: spec.example})
            lines.append(_commented(example, spec, commented_out=True))
    return "\n".join(lines) + "\n"


def _sanction_lines(sanction: Mapping[str, object]) -> list[str]:
    lines: list[str] = []
    for index, spec in enumerate(SANCTION_FIELDS):
        value = sanction.get(spec.name, spec.example)
        if value is None:
            continue
        text = _commented(dump_yaml({spec.name: value}), spec, spec.name not in sanction)
        prefix = "  - " if index == 0 else "    "
        lines.extend(
            prefix + line if i == 0 else "    " + line for i, line in enumerate(text.split("\n"))
        )
    return lines


def _commented(text: str, spec: Field, commented_out: bool = False) -> str:
    """YAML for one field with its explanation after it; commented out for optional fields."""
    first, *rest = text.rstrip("\n").split("\n")
    lines = [f"{first}  # {spec.doc}", *rest]
    if commented_out:
        lines = [f"# {line}" for line in lines]
    return "\n".join(lines)
