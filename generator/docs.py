"""The generated parts of docs/coordinators.md: the record reference and the error catalogue.

Both come from the code (the field specs, the problem codes and how to fix each), so the guide
cannot drift: ``make docs`` rewrites the sections between the ``BEGIN GENERATED`` markers, and a
test fails when the committed guide differs. Examples are real messages, taken from the
snapshots of the invalid-case tests.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from generator.fields import (
    ALIAS_FIELDS,
    CASE_FIELDS,
    EVENT_FIELDS,
    IDENTIFIER_FIELDS,
    MILESTONE_FIELDS,
    RELATED_FIELDS,
    REMOVED_FIELDS,
    SANCTION_FIELDS,
    SUBJECT_FIELDS,
    SUBJECT_TYPES,
    TOMBSTONE_FIELDS,
    Field,
    Kind,
)

GUIDE = Path("docs/coordinators.md")
SNAPSHOTS = Path("tests/test_validate")
SECTION = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z-]+) -->\n).*?(<!-- END GENERATED -->)", re.S
)

FIXES: dict[str, str] = {
    "control-character": "Remove the character: retype the text, or delete the escape (`\\0`,"
    " `\\e`) that wrote it. The message gives its code point and place.",
    "changed-during-build": "Nothing to fix in the data: the file was saved, added or deleted"
    " while the build was reading the repository, so the build stopped before publishing rather"
    " than publish what it read half-written; the site online is the one before. Build again"
    " once the file is saved; if it keeps happening, stop what keeps writing it (an editor's"
    " autosave, a sync tool, a `git checkout` running at the same time).",
    "complex-key": "Write keys as plain words (`name:`), never lists or mappings.",
    "duplicate-id": "Each participant code appears once in content/participants.yaml.",
    "duplicate-key": "Keep one of the two keys; YAML would silently keep only the last.",
    "empty-file": "Write the record, or delete the file.",
    "empty-value": "Give the field a value, or remove the line if the field is optional.",
    "expires-before-listed": "Correct the expiry date: a measure cannot end before it starts.",
    "expires-before-renewed": "Set `expires` to the end date given by the latest renewal act.",
    "field-not-applicable": "Remove the field: it does not apply to this type of subject.",
    "file-too-large": "Records are small; split the content or remove what does not belong.",
    "formula-like": "Check the value against the act: no name, alias or reference starts with"
    " `=`, `+`, `-` or `@`. If it is right, leave it: the CSV downloads write it after an"
    " apostrophe so that spreadsheets show it as text; JSON and FtM keep it as it is.",
    "front-matter": "Start the page with `---`, a `title:` line and `---`.",
    "future-date": "Dates record acts that happened; check the year.",
    "hidden-file": "Rename the file without its leading dot if it is meant to be read, or delete"
    " it (an editor's backup, a file copied by mistake): hidden files are never read.",
    "id-mismatch": "Make `id` equal to the file name (without `.yaml`); never rename a"
    " published record.",
    "invalid-bool": "Write `true` or `false`.",
    "invalid-choice": "Use one of the values listed in the message.",
    "invalid-code": "Use the participant's code in capitals (`EU`, `FR`, `US`).",
    "invalid-country": "Use an ISO 3166-1 alpha-2 code in capitals (`SY`, `RU`, `GB`).",
    "invalid-email": "Write one address per item, as `name@example.com`, with the domain in"
    " ASCII letters.",
    "invalid-phone": "Write the number in international form: `+`, the country code, then the"
    " number without its trunk `0` (`+7 495 945 76 96`); one number per item.",
    "invalid-date": "Write a real date as YYYY-MM-DD (YYYY or YYYY-MM where partial dates are"
    " allowed).",
    "invalid-identifier": "Correct the number; if the act prints it so, record it as"
    " `type: other` with a `note`.",
    "invalid-id": "Use lower-case letters, digits and single hyphens.",
    "invalid-language": "Use an ISO 639-1 code (`ru`, `ar`, `fr`).",
    "invalid-url": "Write the full address starting with `https://` (links in Markdown too;"
    " a `website` may leave out `http://`).",
    "invisible-character": "Delete the invisible character (the message names it and gives its"
    " place) and retype the text around it; copy-paste from PDFs and web pages brings them.",
    "lifted-before-listed": "Correct the date the measure was lifted.",
    "likely-duplicate": "Merge the two records into one, with one sanction entry per authority."
    " Names match in any case, accents, word order, script or transliteration. If they are two"
    " subjects (a company and a branch trading under its name), link them in `related`.",
    "line-too-long": "Break the text over several lines (YAML joins the lines of a value with"
    " spaces), or use a `>` block.",
    "missing-field": "Add the field; the message says what it holds.",
    "missing-official-url": "Link the act where the authority publishes it (`url`, on a domain"
    " listed under its `official_domains` in content/participants.yaml). If no official text can"
    " be found online, write `url_not_found: true`: the page says so.",
    "missing-file": "Restore content/site.yaml, content/participants.yaml or designations/.",
    "missing-translation": "Add the text in the missing language.",
    "mixed-script": "Retype the word in one script: a letter of another script that looks"
    " Latin (a Cyrillic a, a Greek o) hides the name from searches. Names in another script belong"
    " in `aliases` with their `lang`.",
    "multiple-documents": "Keep one YAML document per file: remove the extra `---`.",
    "name-script": "Write `name` in Latin script; put the original-script name in `aliases`"
    " with its `lang`.",
    "not-regular-file": "Put the file itself in the repository (designations/, content/,"
    " templates/), not a symbolic link to it: a link could publish a file from anywhere.",
    "not-utf8": "Save the file as UTF-8 in your editor.",
    "page-count": "Nothing to fix in the data: a bug of noimpunity lost a subject's page, and"
    " the build stopped before publishing. Report it with the message.",
    "page-language": "Name the page `<name>.<language>.md` with a language of the site.",
    "placeholder": "Replace the `TODO:` text written by `noimpunity new`.",
    "removed-id": "Restore the record, or keep its file as a tombstone (id, type, name and"
    " `removed: {date, reason}`).",
    "related-cycle": "A body cannot be part of (or a subsidiary of) itself, even through others:"
    " remove the link that points from the larger body to the smaller one.",
    "renewed-before-listed": "Correct the renewal date: a renewal follows the listing.",
    "self-related": "Remove the link: a record cannot relate to itself.",
    "stray-file": "Rename the file to `<id>.yaml`, or move it out of designations/.",
    "third-party-sources": "Link the act in `url`, or add an official page to `sources` (the"
    " authority's press release or list entry): the record rests on the press alone. Declare each"
    " authority's `official_domains` in content/participants.yaml so that its links are checked.",
    "template": "Fix the template at the line given (for site maintainers).",
    "too-deep": "Records are shallow: remove the extra nesting.",
    "unknown-authority": "Use a code from content/participants.yaml.",
    "unknown-case": "Use a case id from content/cases.yaml.",
    "unknown-field": "Correct the field name (see the suggestion) or remove it.",
    "unknown-language": "Use only the languages of the site as keys.",
    "unknown-related": "Use the id (file name without `.yaml`) of an existing record.",
    "unofficial-url": "Put the official publication in `url`; third-party pages about the act"
    " belong in `sources`.",
    "url-not-found-with-url": "Remove `url_not_found`: the act is linked.",
    "unwritten-file": "Nothing to fix in the data: a bug of noimpunity did not write a file it"
    " planned, and the build stopped before publishing. Report it with the message.",
    "wrong-type": "Write the kind of value the message asks for (text, a list, a mapping).",
    "yaml-alias": "Write the value out instead of using `*name`.",
    "yaml-anchor": "Remove the `&name` anchor.",
    "yaml-merge": "Write the fields out instead of using `<<:`.",
    "yaml-syntax": "Fix the YAML at the line given (indent with spaces; close quotes, brackets).",
    "yaml-tag": "Remove the `!!tag`: every value is read as text and checked by field.",
}
# Codes with no invalid-case snapshot, with a real message of the same form.
EXTRA_EXAMPLES = {
    "changed-during-build": "designations/alexander-mishkin.yaml: error[changed-during-build]"
    " changed while the build read it; nothing was published (build again)",
    "file-too-large": "designations/x.yaml:1:1: error[file-too-large] the file has 2,000,000"
    " bytes; at most 1,048,576 are allowed",
    "removed-id": "designations/said-said.yaml: error[removed-id] id: 'said-said' was published"
    " at origin/main and has disappeared; ids are permanent (restore the file, or keep it as a"
    " tombstone: id, type, name and removed: {date, reason})",
    "not-regular-file": "designations/x.yaml:1:1: error[not-regular-file] a record is a symbolic"
    " link; a record must be a regular file inside the repository (copy the file in place of"
    " the link)",
    "template": "templates/news.html:2:1: error[template] Expected an expression, got 'end of"
    " statement block'",
    "page-count": "designations/alexander-mishkin.yaml: error[page-count] internal error: 3"
    " subject records but 2 en subject pages planned; no page for alexander-mishkin (a bug of"
    " noimpunity, please report it)",
    "unwritten-file": "data/subjects.csv: error[unwritten-file] internal error: planned but not"
    " written: data/subjects.csv (a bug of noimpunity, please report it)",
}


def _describe(spec: Field) -> str:
    kind = {
        Kind.RECORD: "mapping" if not spec.shorthand else "text or mapping",
        Kind.LOCALIZED: "text per language",
        Kind.CHOICE: "one of " + ", ".join(f"`{choice}`" for choice in spec.choices),
    }.get(spec.kind, spec.kind.value)
    if spec.many:
        kind = f"{kind}, or a list" if spec.single_ok else f"list of {kind}"
    return kind


def _table(fields: tuple[Field, ...], with_types: bool = False) -> list[str]:
    head = "| field | value | required | meaning |" + (" applies to |" if with_types else "")
    rule = "| --- | --- | --- | --- |" + (" --- |" if with_types else "")
    rows = [head, rule]
    for spec in fields:
        row = (
            f"| `{spec.name}` | {_describe(spec)} | {'yes' if spec.required else ''} | {spec.doc} |"
        )
        if with_types:
            applies = (
                "all"
                if len(spec.applies_to) == len(SUBJECT_TYPES)
                else ", ".join(sorted(spec.applies_to))
            )
            row += f" {applies} |"
        rows.append(row)
    return rows


def record_reference() -> str:
    parts = [
        ("A record", SUBJECT_FIELDS, True),
        ("A sanction entry (`sanctions`)", SANCTION_FIELDS, False),
        ("An alias (`aliases`)", ALIAS_FIELDS, False),
        ("An identifier (`identifiers`)", IDENTIFIER_FIELDS, False),
        ("A link (`related`)", RELATED_FIELDS, False),
        ("A case (`content/cases.yaml`)", CASE_FIELDS, False),
        ("An event of a case (`events`)", EVENT_FIELDS, False),
        ("A documented count of participants (`content/milestones.yaml`)", MILESTONE_FIELDS, False),
        ("A withdrawn record (tombstone)", TOMBSTONE_FIELDS, False),
        ("Why it was withdrawn (`removed`)", REMOVED_FIELDS, False),
    ]
    lines: list[str] = []
    for title, fields, with_types in parts:
        lines += [f"#### {title}", "", *_table(fields, with_types), ""]
    return "\n".join(lines)


def error_catalogue(examples: Mapping[str, str]) -> str:
    lines: list[str] = []
    for code in sorted(FIXES):
        lines += [f"#### `{code}`", "", "```text", examples.get(code, "(no example)"), "```", ""]
        lines += [f"Fix: {FIXES[code]}", ""]
    return "\n".join(lines)


def snapshot_examples(folder: Path) -> dict[str, str]:
    """The first message of each code in the invalid-case snapshots, in case-name order."""
    examples = dict(EXTRA_EXAMPLES)
    for path in sorted(folder.glob("*.yml")):
        for message in yaml.safe_load(path.read_text("utf-8"))["problems"]:
            code = message.split("[", 1)[1].split("]", 1)[0]
            examples.setdefault(code, message)
    return examples


def render_guide(text: str, examples: Mapping[str, str]) -> str:
    """The guide with its generated sections rewritten."""
    generated = {"record-reference": record_reference(), "error-codes": error_catalogue(examples)}

    def replace(match: re.Match[str]) -> str:
        return f"{match.group(1)}\n{generated[match.group('name')]}\n{match.group(3)}"

    return SECTION.sub(replace, text)


def main() -> None:
    """``python -m generator.docs``: rewrite the generated sections of the guide in place."""
    text = GUIDE.read_text("utf-8")
    GUIDE.write_text(render_guide(text, snapshot_examples(SNAPSHOTS)), "utf-8")
    sys.stdout.write(f"updated {GUIDE}\n")


if __name__ == "__main__":
    main()
