"""A ``Report`` as Markdown, for a pull request, an issue or a workflow run's summary.

A heading, the file, its date and the authority, the counts, then one table per section (with
"None." when a section is empty, so that a reader sees what was checked). Every value from the
list or the records is escaped: a name can never inject a link, an image or markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.diff import MARKDOWN
from generator.reconcile.official import OfficialEntry
from generator.reconcile.report import Report

LISTS = {
    "eu-csv": "an EU annex",
    "ofac-csv": "OFAC's SDN list",
    "un-xml": "the UN Consolidated List",
}


def render_markdown(report: Report) -> str:
    lines = [
        f"## Reconciliation with {LISTS.get(report.source, report.source)}: {_text(report.file)}",
        "",
        _about(report),
        "",
        _summary(report),
        *_missing(report),
        *_to_lift(report),
        *_differences(report),
        *_unrecorded(report),
        *_stale(report),
    ]
    return "\n".join(lines) + "\n"


def _about(report: Report) -> str:
    dated = f"dated {report.date}" if report.date else "date unknown (not given with --date)"
    left_out = f" ({report.left_out:,} of other kinds left out)" if report.left_out else ""
    return (
        f"File {_text(report.file)} ({report.source}), {dated} · authority **{report.authority}**"
        f" · {_count(report.entries, 'person or entity', 'persons and entities')}{left_out}:"
        f" {report.matched:,} matching a record, {report.out_of_scope:,} outside the"
        " chemical-weapons scope"
    )


def _summary(report: Report) -> str:
    known = f" · {_count(report.known, 'known difference', 'known differences')} not shown"
    if report.agrees:
        return f"✅ **The records agree with the file**{known}"
    counts = [
        _count(len(report.missing), "entry lacks our sanction", "entries lack our sanction"),
        _count(len(report.to_lift), "sanction to be lifted", "sanctions to be lifted"),
        _count(len(report.differences), "difference", "differences"),
        _count(len(report.unrecorded), "entry not recorded", "entries not recorded"),
    ]
    stale = f" · ⚠️ {len(report.stale)} stale" if report.stale else ""
    return f"**{' · '.join(counts)}**{known}{stale}"


def _missing(report: Report) -> list[str]:
    title = f"(a) Entries whose record lacks the {report.authority} sanction"
    rows = [
        [
            _entry(item.official),
            _text(item.official.name),
            f"`{item.record}`",
            item.by,
            _text(item.note),
        ]
        for item in report.missing
    ]
    note = "Add the sanction to the record, or record why not in `reconcile.yaml`."
    return _section(title, note, ["entry", "official name", "record", "matched by", "note"], rows)


def _to_lift(report: Report) -> list[str]:
    title = "(b) To be lifted: sanctions whose entry is not in the file"
    when = (
        f"The file of {report.date} no longer holds them"
        if report.date
        else "The file no longer holds them; its date is unknown (give --date)"
    )
    note = f"{when}: set `lifted` to the date of the act that lifted each one."
    rows = [
        [
            f"`{item.record}`",
            _text(item.name),
            _text(item.entry or "—"),
            _text(item.program or "—"),
            str(item.listed),
        ]
        for item in report.to_lift
    ]
    return _section(title, note, ["record", "name", "entry", "programme", "listed"], rows)


def _differences(report: Report) -> list[str]:
    note = (
        "Official value beside ours. Correct the record, or record the difference in"
        " `reconcile.yaml` with the official value as shown here."
    )
    rows = [
        [
            f"`{item.record}`",
            _text(item.label),
            f"`{item.field}`",
            _values(item.official),
            _values(item.ours, empty=_none(item.field)),
        ]
        for item in report.differences
    ]
    return _section(
        "(c) Field differences", note, ["record", "entry", "field", "official", "ours"], rows
    )


def _unrecorded(report: Report) -> list[str]:
    title = "(d) Entries of the chemical-weapons scope without a record"
    note = "Import them (`noimpunity import`) or leave them out of scope in `reconcile.yaml`."
    rows = [
        [_entry(item.official), item.official.type, _text(item.official.name), _text(item.why)]
        for item in report.unrecorded
    ]
    return _section(title, note, ["entry", "type", "official name", "in scope as"], rows)


def _stale(report: Report) -> list[str]:
    if not report.stale:
        return []
    note = "These known differences of `reconcile.yaml` no longer occur: remove them."
    rows = [
        [
            f"`{item.location}`",
            f"`{item.id}`",
            f"`{item.field}`",
            _values(item.official),
            _text(item.reason),
        ]
        for item in report.stale
    ]
    header = ["where", "record", "field", "official", "reason"]
    return _section("Stale known differences", note, header, rows)


def _section(title: str, note: str, header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["", f"### {title} ({len(rows)})", ""]
    if not rows:
        return [*lines, "None."]
    return [*lines, note, "", *_table(header, rows)]


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _entry(official: OfficialEntry) -> str:
    return f"{_text(official.label)} (line {official.row})"


def _values(values: Sequence[str], empty: str = "—") -> str:
    return "; ".join(_text(value) for value in values) if values else empty


def _none(field: str) -> str:
    return "not among our names" if field == "aliases" else "—"


def _text(text: str) -> str:
    return " ".join(text.split()).translate(MARKDOWN)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number:,} {singular if number == 1 else plural}"
