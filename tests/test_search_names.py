"""The names and variants a subject is indexed under, computed once per record version."""

from __future__ import annotations

import datetime as dt

from generator import search
from generator.read import read_site
from tests.conftest import MINIMAL


def test_indexed_names_are_computed_once_and_kept_with_the_record() -> None:
    site, _ = read_site(MINIMAL, dt.date(2026, 1, 1))
    assert site is not None
    records = list(search.search_records(site))
    subject = site.subjects[0]
    kept = subject.derived["indexed_names"]
    assert subject.name in kept
    subject.derived["indexed_names"] = "kept"  # what a later build reads back from the cache
    again = [r for r in search.search_records(site) if r.url.endswith(f"/{subject.id}/")]
    assert again and all(r.content.startswith("kept\n") for r in again)
    assert len(records) == len(site.subjects) * len(site.config.languages)
