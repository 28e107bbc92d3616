"""The screening index: every subject's names, identifiers and what a result shows.

Written to ``search/names.json`` for the search page, which loads it when a reader starts
typing, and built in memory by ``noimpunity screen``. It carries the rules (``rules.json``),
so the page normalises queries exactly as Python does. Rows are arrays, not objects: at 14,000
subjects the keys would be a third of the file.
"""

from __future__ import annotations

import json

from generator.model import Site, Subject
from generator.screening.normalise import rules
from generator.screening.score import Entry, Screener

INDEX_PATH = "search/names.json"
FORMAT = 1


def entry(subject: Subject, site: Site) -> Entry:
    return Entry(
        id=subject.id,
        type=subject.type,
        name=subject.name,
        status=subject.status_on(site.as_of),
        authorities=tuple(subject.authorities),
        born=tuple(date.iso() for date in subject.birth_date),
        nationality=tuple(subject.nationality if subject.type == "person" else subject.country),
        names=(subject.name, *(alias.name for alias in subject.aliases)),
        identifiers=tuple((item.number, item.type) for item in subject.identifiers),
        weak=tuple(n for n, alias in enumerate(subject.aliases, 1) if alias.weak),
    )


def entries(site: Site) -> tuple[Entry, ...]:
    return tuple(entry(subject, site) for subject in site.subjects)


def screener(site: Site) -> Screener:
    return Screener(entries(site))


def index_json(site: Site) -> bytes:
    """The index as the page reads it: compact, keys sorted, one line."""
    data = {
        "format": FORMAT,
        "rules": {key: value for key, value in rules().items() if key != "about"},
        "subjects": [item.row() for item in entries(site)],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
