"""Drafts -> files in designations/: ids, records already there, links, never overwriting.

A draft is not written when a record already holds the same subject: the same entry of the
same authority, or the same name (and, for persons, the same birth date), as the validator's
duplicate rule sees it. An id taken by another subject gets the birth year or ``-2``, ``-3``...
Files are created exclusively: one that appears meanwhile is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.importers.draft import SKIPPED, Draft, Notice, alias_name
from generator.importers.naming import split_acronym
from generator.layout import DESIGNATIONS
from generator.load import Mapping, Node, Scalar, Sequence, load_yaml_file
from generator.names import compare_key, slugify
from generator.new import SCHEMA_COMMENT
from generator.spreadsheet import looks_like_formula
from generator.yaml_writer import dump_yaml


@dataclass(frozen=True, slots=True)
class Known:
    """What the importer needs of a record: its names, birth dates and sanction entries."""

    id: str
    type: str
    names: frozenset[str]
    births: frozenset[str]
    entries: frozenset[tuple[str, str]]


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    skipped: int = 0
    notices: list[Notice] = field(default_factory=list)


def write_drafts(root: Path, drafts: list[Draft]) -> Outcome:
    """Write every draft that is not already recorded; say what was skipped and why."""
    folder = root / DESIGNATIONS
    known = read_known(folder)
    outcome = Outcome()
    planned: dict[str, Draft] = {}
    for draft in drafts:
        record_id = _place(draft, known, planned)
        if record_id is None:
            outcome.skipped += 1
        else:
            planned[record_id] = draft
    placed = {id(draft) for draft in planned.values()}
    related = _resolve_links(planned, known, [d for d in drafts if id(d) not in placed])
    folder.mkdir(parents=True, exist_ok=True)
    for record_id, draft in planned.items():
        warn_formulas(draft)
        path = folder / f"{record_id}.yaml"
        text = _header(draft) + dump_yaml(draft.record(record_id, related.get(record_id, [])))
        try:
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:
            skip(draft, f"{DESIGNATIONS}/{record_id}.yaml appeared meanwhile")
            outcome.skipped += 1
            continue
        outcome.written.append(path)
    outcome.notices = [notice for draft in drafts for notice in draft.notices]
    return outcome


def warn_formulas(draft: Draft) -> None:
    """Say so when a name, alias or reference would start a spreadsheet formula."""
    named = [("name", draft.name), ("sanctions[0].reference", draft.sanction.get("reference", ""))]
    named += [("aliases", alias_name(alias)) for alias in draft.values.get("aliases", [])]
    for field_name, value in named:
        if looks_like_formula(str(value)):
            draft.warn(
                "import-check",
                field_name,
                f"'{value}' starts like a spreadsheet formula; check it against the list",
            )


def _header(draft: Draft) -> str:
    return (
        f"{SCHEMA_COMMENT}\n"
        f"# Draft made by `noimpunity import` from {Path(draft.source).name} ({draft.label}).\n"
        "# Check it against the legal act, write the grounds in your own words, then run\n"
        "# `noimpunity validate`.\n"
    )


def _place(draft: Draft, known: dict[str, Known], planned: dict[str, Draft]) -> str | None:
    """The id to write the draft under, or None (with a notice) when it must not be written."""
    names, births = identity(draft)
    if _already_recorded(draft, names, births, known):
        return None
    base = slugify(draft.name) or slugify(draft.label)
    if base not in known and base not in planned:
        return base
    holder = known.get(base)
    if holder is not None and _undecidable(draft, names, births, holder):
        skip(
            draft,
            f"{DESIGNATIONS}/{base}.yaml has the same name and nothing tells the two apart;"
            " compare them, and add the sanction there or write the record by hand",
        )
        return None
    record_id = _free_id(base, births, set(known) | set(planned))
    draft.warn("import-id", "id", f"'{base}' is taken by another subject; written as '{record_id}'")
    return record_id


def _already_recorded(
    draft: Draft, names: frozenset[str], births: frozenset[str], known: dict[str, Known]
) -> bool:
    """Skip (with a notice) a draft whose entry, or failing that whose identity, is recorded."""
    entry = (draft.sanction.get("authority", ""), draft.sanction.get("entry", ""))
    holder = next((other for other in known.values() if entry in other.entries), None)
    if holder is not None:
        message = f"{DESIGNATIONS}/{holder.id}.yaml already has the {' entry '.join(entry)}"
    else:
        holder = next((o for o in known.values() if same_subject(draft, names, births, o)), None)
        if holder is None:
            return False
        message = (
            f"{DESIGNATIONS}/{holder.id}.yaml looks like the same subject (same name"
            f"{' and birth date' if draft.type == 'person' else ''}); add this sanction there"
        )
    skip(draft, message)
    return True


def skip(draft: Draft, why: str) -> None:
    """Mark the draft as not written: its other notices no longer matter."""
    draft.notices = [Notice(draft.source, draft.row, SKIPPED, "id", f"not written: {why}")]


def identity(draft: Draft) -> tuple[frozenset[str], frozenset[str]]:
    """The compared names (name and strong aliases) and birth dates of a draft."""
    names = name_keys(draft.name)
    for alias in draft.values.get("aliases", []):
        if isinstance(alias, str):
            names |= name_keys(alias)
        elif not alias.get("weak"):
            names |= name_keys(str(alias["name"]))
    births = frozenset(str(date) for date in draft.values.get("birth_date", []))
    return frozenset(names - {""}), births


def name_keys(name: str) -> set[str]:
    """How a name is compared: ``Main Intelligence Directorate (GRU)`` also without ``(GRU)``."""
    return {compare_key(name), compare_key(split_acronym(name)[0])}


def same_subject(draft: Draft, names: frozenset[str], births: frozenset[str], other: Known) -> bool:
    """Whether ``other`` has the draft's entry, or its name (and, for persons, birth date)."""
    entry = (draft.sanction.get("authority", ""), draft.sanction.get("entry", ""))
    if all(entry) and entry in other.entries:
        return True
    if other.type != draft.type or not names & other.names:
        return False
    return draft.type != "person" or bool(births & other.births)


def _undecidable(draft: Draft, names: frozenset[str], births: frozenset[str], other: Known) -> bool:
    """Same type and name, and a birth date missing on one side: maybe the same person."""
    if other.type != draft.type or not names & other.names:
        return False
    return draft.type != "person" or not births or not other.births


def _free_id(base: str, births: Iterable[str], taken: set[str]) -> str:
    years = sorted({birth[:4] for birth in births})
    if len(years) == 1 and f"{base}-{years[0]}" not in taken:
        return f"{base}-{years[0]}"
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _resolve_links(
    planned: dict[str, Draft], known: dict[str, Known], skipped: list[Draft]
) -> dict[str, list[dict[str, str]]]:
    """``Linked To: NAME`` -> ``related: linked-to`` when exactly one record has that name
    (a name of a draft skipped as already recorded leads to the record that holds it)."""
    ids_by_name = _ids_by_name(planned, known, skipped)
    related: dict[str, list[dict[str, str]]] = {}
    for record_id, draft in planned.items():
        for link in draft.links:
            ids = sorted(ids_by_name.get(compare_key(link), set()) - {record_id})
            if len(ids) == 1:
                item = {"id": ids[0], "relation": "linked-to"}
                if item not in related.setdefault(record_id, []):
                    related[record_id].append(item)
                continue
            found = f"records {', '.join(ids)} have that name" if ids else "no record has that name"
            draft.warn(
                "import-link", "related", f"linked to '{link}', but {found}; link it by hand"
            )
    return related


def _ids_by_name(
    planned: dict[str, Draft], known: dict[str, Known], skipped: list[Draft]
) -> dict[str, set[str]]:
    ids_by_name: dict[str, set[str]] = {}
    for record_id, draft in planned.items():
        for name in identity(draft)[0]:
            ids_by_name.setdefault(name, set()).add(record_id)
    for other in known.values():
        for name in other.names:
            ids_by_name.setdefault(name, set()).add(other.id)
    for draft in skipped:
        names, births = identity(draft)
        holders = {
            other.id for other in known.values() if same_subject(draft, names, births, other)
        }
        for name in names if len(holders) == 1 else ():
            ids_by_name.setdefault(name, set()).update(holders)
    return ids_by_name


def read_known(folder: Path) -> dict[str, Known]:
    """Names, birth dates and entries of the records in ``folder`` (broken ones as far as read)."""
    known: dict[str, Known] = {}
    if not folder.is_dir():
        return known
    for path in sorted(folder.glob("*.yaml")):
        root = load_yaml_file(path, path.name).root
        known[path.stem] = _known(path.stem, root)
    return known


def _known(record_id: str, root: Node | None) -> Known:
    if not isinstance(root, Mapping):
        return Known(record_id, "", frozenset(), frozenset(), frozenset())
    names = name_keys(_text(root.get("name")))
    for alias in _items(root.get("aliases")):
        if isinstance(alias, Scalar):
            names |= name_keys(alias.value)
        elif isinstance(alias, Mapping) and _text(alias.get("weak")) != "true":
            names |= name_keys(_text(alias.get("name")))
    entries = {
        (_text(item.get("authority")), _text(item.get("entry")))
        for item in _items(root.get("sanctions"))
        if isinstance(item, Mapping)
    }
    births = {item.value for item in _items(root.get("birth_date")) if isinstance(item, Scalar)}
    return Known(
        record_id,
        _text(root.get("type")),
        frozenset(names - {""}),
        frozenset(births),
        frozenset(entries),
    )


def _text(node: Node | None) -> str:
    return node.value.strip() if isinstance(node, Scalar) else ""


def _items(node: Node | None) -> tuple[Node, ...]:
    if isinstance(node, Sequence):
        return node.items
    return (node,) if isinstance(node, Scalar) and not node.is_null else ()
