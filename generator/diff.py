"""``noimpunity diff``: what a change does to the records and pages, as Markdown for a PR.

Both sides are read with the project's own reader (read.py), so that the comparison is on
model values, never on text: reformatting a record changes nothing here. A git revision is
exported into a temporary directory (the working tree is never touched); the working tree side
is read in place. Each file is read on its own: a broken record is listed as unreadable, with
its problems, and everything else is still compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import read
from generator.dates import PartialDate
from generator.errors import Problem, sort_problems
from generator.git import (
    Revision,
    check_work_tree,
    checkout_files,
    merge_base,
    revision,
)
from generator.layout import CONTENT, DESIGNATIONS, PAGE_SECTIONS, SITE_FILE
from generator.model import Page, Sanction, SiteConfig, Subject

SHORT = 100  # longer text is summarised as "changed", or cut in lists
PERMANENT = (
    "> **Ids are permanent**: a published record is never deleted or renamed. When its"
    " sanctions end, set `lifted` (or let `expires` pass) and keep the file. Restore these"
    " files unless the removal is deliberate (a duplicate never published, for example)."
)

PageKey = tuple[str, str, str]  # (section, slug, lang)


@dataclass(slots=True)
class Side:
    """What one revision holds, as model values; files that could not be read, with why."""

    subjects: dict[str, Subject] = field(default_factory=dict)  # file stem -> subject
    pages: dict[PageKey, Page] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)  # every path read, readable or not
    unreadable: dict[str, list[Problem]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # whole-site validation


@dataclass(slots=True)
class Section:
    title: str
    noun: tuple[str, str]  # singular, plural: for the summary line
    items: list[str] = field(default_factory=list)
    note: str = ""


def diff_summary(
    root: Path, base: str | None = None, head: str | None = None, *, today: dt.date
) -> str:
    """The Markdown summary of BASE -> HEAD (default: merge base with main -> working tree)."""
    check_work_tree(root)
    head_rev = revision(root, head) if head else Revision("working tree")
    base_rev = revision(root, base) if base else merge_base(root, head_rev)
    with checkout_files(root, base_rev) as folder:
        old = read_side(folder, today)
    with checkout_files(root, head_rev) as folder:
        new = read_side(folder, today, validate=True)
    return render(base_rev, head_rev, old, new)


# --- reading -----------------------------------------------------------------------------


def read_side(root: Path, today: dt.date, *, validate: bool = False) -> Side:
    """Read each record and page of ``root`` on its own; ``validate`` checks the whole site."""
    side = Side()
    problems: list[Problem] = []
    config = read.read_config(root, today, problems)
    if config is None:  # pages and records are still read, in the default languages
        side.unreadable[SITE_FILE] = problems
    side.files.update([SITE_FILE] if (root / SITE_FILE).is_file() else [])
    config = config or read.FALLBACK_CONFIG
    _read_subjects(side, root, config, today)
    _read_pages(side, root, config, today)
    if validate:
        side.problems = sort_problems(read.read_site(root, today)[1])
    return side


def _read_subjects(side: Side, root: Path, config: SiteConfig, today: dt.date) -> None:
    for path in sorted((root / DESIGNATIONS).glob("*.yaml")):
        if path.name.startswith(".") or not path.is_file():
            continue  # as read.read_subjects does (it reports stray files)
        rel = path.relative_to(root).as_posix()
        side.files.add(rel)
        problems: list[Problem] = []
        subject = read.read_subject(path, rel, config.languages, today, problems)
        if subject is None:
            side.unreadable[rel] = problems
        elif isinstance(subject, Subject):  # a tombstone is a removal, shown as such
            side.subjects[path.stem] = subject


def _read_pages(side: Side, root: Path, config: SiteConfig, today: dt.date) -> None:
    for section in PAGE_SECTIONS:
        for path in read.page_paths(root / CONTENT / section):
            rel = path.relative_to(root).as_posix()
            side.files.add(rel)
            problems: list[Problem] = []
            page = read.read_page(root, path, section, config, today, problems)
            if page is None:
                side.unreadable[rel] = problems
            else:
                side.pages[(section, page.slug, page.lang)] = page


# --- comparing ---------------------------------------------------------------------------


def _subject_sections(old: Side, new: Side) -> list[Section]:
    sections = {
        "added": Section("Added subjects", ("added", "added")),
        "removed": Section("⚠️ Removed subjects", ("removed", "removed"), note=PERMANENT),
        "amended": Section("Amended subjects", ("amended", "amended")),
        "lifted": Section("Sanctions lifted", ("sanction lifted", "sanctions lifted")),
        "renewed": Section("Sanctions renewed", ("renewal", "renewals")),
        "new": Section("New sanctions on existing subjects", ("new sanction", "new sanctions")),
    }
    for stem in sorted(old.subjects.keys() | new.subjects.keys()):
        path = f"{DESIGNATIONS}/{stem}.yaml"
        before, after = old.subjects.get(stem), new.subjects.get(stem)
        if path in old.unreadable or path in new.unreadable:
            continue  # listed as unreadable
        if before is None or after is None:
            subject = after or before
            assert subject is not None
            line = f"{_who(subject)} — {subject.type}; {', '.join(subject.authorities)}"
            sections["added" if before is None else "removed"].items.append(line)
        elif lines := _compare_subject(before, after, sections):
            sections["amended"].items.append(
                _who(after) + "".join(f"\n  - {line}" for line in lines)
            )
    return list(sections.values())


def _compare_subject(before: Subject, after: Subject, sections: dict[str, Section]) -> list[str]:
    """Sort what changed into lifted, renewed and new sanctions; return the other changes."""
    lines = _field_lines("", before, after, {"sanctions"})
    pairs, gained, lost = _pair_sanctions(before.sanctions, after.sanctions)
    for sanction in gained:
        act = f"{_escape(sanction.reference)}; {', '.join(sanction.measures)}"
        sections["new"].items.append(f"{_who(after)}: {_label(sanction)} — {act}")
    lines += [f"⚠️ sanction removed: {_label(sanction)}" for sanction in lost]
    for old, new in pairs:
        lifted, renewed, skip = _lifted_renewed(old, new)
        sections["lifted"].items += [f"{_who(after)}: {line}" for line in lifted]
        sections["renewed"].items += [f"{_who(after)}: {line}" for line in renewed]
        lines += _field_lines(f"{_label(new)}: ", old, new, skip)
    return lines


def _pair_sanctions(
    old: tuple[Sanction, ...], new: tuple[Sanction, ...]
) -> tuple[list[tuple[Sanction, Sanction]], list[Sanction], list[Sanction]]:
    """Match each sanction to its earlier state: same values, same act date, same act."""
    left, right, pairs = list(old), list(new), []
    for key in (repr, lambda s: (s.authority, s.listed), lambda s: (s.authority, s.reference)):
        for sanction in list(right):
            match = next((item for item in left if key(item) == key(sanction)), None)
            if match is not None:
                left.remove(match)
                right.remove(sanction)
                pairs.append((match, sanction))
    return pairs, right, left


def _lifted_renewed(old: Sanction, new: Sanction) -> tuple[list[str], list[str], set[str]]:
    """A lifting, a renewal (new act or later end), and the fields these lines account for."""
    label, lifted, renewed, skip = _label(new), [], [], set()
    if old.lifted is None and new.lifted is not None:
        lifted.append(f"{label} — lifted {new.lifted}")
        skip.add("lifted")
    renewals = [date for date in new.renewed if date not in old.renewed]
    later = old.expires is not None and new.expires is not None and new.expires > old.expires
    if renewals or later:
        parts = [f"renewed {', '.join(map(str, renewals))}"] if renewals else []
        if old.expires != new.expires:
            parts.append(f"expires {old.expires or 'none'} → {new.expires or 'none'}")
            skip.add("expires")
        renewed.append(f"{label} — {'; '.join(parts)}")
        if all(date in new.renewed for date in old.renewed):
            skip.add("renewed")
    return lifted, renewed, skip


def _field_lines(prefix: str, old: Any, new: Any, skip: set[str]) -> list[str]:
    names = [name for name in _differing(old, new) if name not in skip]
    return [_change(prefix + name, getattr(old, name), getattr(new, name)) for name in names]


def _differing(old: Any, new: Any) -> list[str]:
    """The fields of two dataclass values that differ (``origin`` is never compared)."""
    fields = [item.name for item in dataclasses.fields(old) if item.compare]
    return [name for name in fields if getattr(old, name) != getattr(new, name)]


def _change(name: str, old: Any, new: Any) -> str:
    if isinstance(old, Mapping):
        keys = sorted(old.keys() | new.keys())
        states = [
            (k, "added" if k not in old else "removed" if k not in new else "changed")
            for k in keys
            if old.get(k) != new.get(k)
        ]
        return "; ".join(f"{name}.{key} {state}" for key, state in states)
    if isinstance(old, tuple) and max(len(old), len(new)) > 1:
        gained = [f"added {_show(item)}" for item in new if item not in old]
        lost = [f"removed {_show(item)}" for item in old if item not in new]
        return f"{name}: {'; '.join(gained + lost) or 'reordered'}"
    if any(isinstance(v, str) and (len(v) > SHORT or "\n" in v) for v in (old, new)):
        return f"{name} changed"
    return f"{name}: {_show(old)} → {_show(new)}"


def _page_items(old: Side, new: Side) -> list[str]:
    names = sorted({(section, slug) for section, slug, _ in old.pages.keys() | new.pages.keys()})
    items = [_page_item(section, slug, old, new) for section, slug in names]
    return [item for item in items if item]


def _page_item(section: str, slug: str, old: Side, new: Side) -> str:
    keys = sorted(k for k in old.pages.keys() | new.pages.keys() if k[:2] == (section, slug))
    changes: dict[str, str] = {}
    for key in keys:
        before, after = old.pages.get(key), new.pages.get(key)
        if _page_path(key) in old.unreadable or _page_path(key) in new.unreadable:
            continue
        if before is None or after is None:
            changes[key[2]] = "added" if before is None else "removed"
        elif differing := _differing(before, after):
            changes[key[2]] = ", ".join(differing) + " changed"
    name = f"`{section}/{slug}`" if section else f"`{slug}`"
    states = set(changes.values())
    if states in ({"added"}, {"removed"}) and len(changes) == len(keys):
        first = min(keys, key=lambda key: (key[2] != "en", key[2]))
        title = _escape((new.pages.get(first) or old.pages[first]).title)
        return f"{states.pop()} {name} ({', '.join(changes)}): “{title}”"
    details = "; ".join(f"{lang}: {state}" for lang, state in changes.items())
    return f"changed {name} — {details}" if changes else ""


def _page_path(key: PageKey) -> str:
    section, slug, lang = key
    return "/".join(part for part in (CONTENT, section, f"{slug}.{lang}.md") if part)


def _unreadable_items(old: Side, new: Side) -> list[str]:
    items = []
    for path in sorted(old.unreadable.keys() | new.unreadable.keys()):
        if path in new.unreadable:
            was = "new file"
            if path in old.files:
                was = "also on BASE" if path in old.unreadable else "readable on BASE"
            state, problems = f"unreadable on HEAD ({was})", new.unreadable[path]
        else:
            now = "readable on HEAD, not compared" if path in new.files else "⚠️ deleted on HEAD"
            state, problems = f"unreadable on BASE ({now})", old.unreadable[path]
        block = _fence(problem.format() for problem in sort_problems(problems))
        items.append(f"`{path}` {state}" + "".join(f"\n  {line}" for line in block))
    return items


# --- rendering ---------------------------------------------------------------------------


def render(base: Revision, head: Revision, old: Side, new: Side) -> str:
    sections = [
        *_subject_sections(old, new),
        Section("Pages and news", ("page", "pages"), _page_items(old, new)),
        Section("Unreadable files", ("unreadable", "unreadable"), _unreadable_items(old, new)),
    ]
    counts = [("⚠️ " if s.note else "") + _count(len(s.items), *s.noun) for s in sections if s.items]
    status = _status(new.problems)
    summary = " · ".join(counts) if counts else "No change to records or pages"
    lines = [f"## Designations: {base.label} → {head.label}", "", f"**{summary}** · {status}"]
    for section in sections:
        if section.items:
            lines += ["", f"### {section.title}", ""]
            lines += [section.note, ""] if section.note else []
            lines += [f"- {item}" for item in section.items]
    lines += ["", f"### Validation of {head.label}", "", status]
    if new.problems:
        lines += ["", *_fence(problem.format() for problem in new.problems)]
    return "\n".join(lines) + "\n"


def _status(problems: list[Problem]) -> str:
    errors = sum(problem.is_error for problem in problems)
    warnings = _count(len(problems) - errors, "warning", "warnings")
    if errors:
        return f"❌ {_count(errors, 'error', 'errors')}, {warnings}"
    return f"✅ valid ({warnings})" if problems else "✅ valid"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _who(subject: Subject) -> str:
    return f"**{_escape(subject.name)}** (`{subject.id}`)"


def _label(sanction: Sanction) -> str:
    program = f" ({sanction.program})" if sanction.program else ""
    return f"{sanction.authority}{program}, listed {sanction.listed}"


def _show(value: Any) -> str:
    """A value in a code span: ``Name (ru, weak)`` for an alias, items of a list one by one."""
    if value is None or value == ():
        return "*none*"
    if isinstance(value, tuple):
        return ", ".join(_show(item) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, PartialDate):
        return _code(str(value))
    texts = []
    for item in dataclasses.fields(value):
        part = getattr(value, item.name)
        if part not in (None, False, ""):
            texts.append(item.name if part is True else str(part))
    return _code(texts[0] + (f" ({', '.join(texts[1:])})" if texts[1:] else ""))


def _code(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > SHORT:
        text = text[: SHORT - 1] + "…"
    if not text:
        return "*empty*"
    return f"`` {text} ``" if "`" in text else f"`{text}`"


MARKDOWN = str.maketrans({char: "\\" + char for char in "\\`*_[]<>#|~@!"})


def _escape(text: str) -> str:
    return " ".join(text.split()).translate(MARKDOWN)


def _fence(lines: Iterator[str] | list[str]) -> list[str]:
    body = list(lines)
    fence = "````" if any("```" in line for line in body) else "```"
    return [fence + "text", *body, fence]
