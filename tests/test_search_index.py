"""The search index stage: the names a subject is indexed under (computed once per record
version), and Pagefind, which runs while the pages render, stopped by a failed build."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest

from generator import search
from generator.build import build_site
from generator.errors import BuildError
from generator.read import read_site
from tests.conftest import MINIMAL, TEMPLATES, TODAY


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


def test_a_failed_build_stops_the_search_index_and_leaves_no_scratch(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind runs while the pages render: a template that fails to render stops the build,
    which kills Pagefind if it still runs and deletes its scratch folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    templates = minimal_copy / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "news.html").write_text("{{ missing.value }}\n", "utf-8")
    with pytest.raises(BuildError):
        build_site(minimal_copy, minimal_copy / "site", today=TODAY)
    assert list(scratch.iterdir()) == []
    assert not (minimal_copy / "site").exists()


def test_pagefind_failing_is_an_error_that_says_what_it_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'cannot index: out of space' >&2\nexit 3\n", "utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "get_executable", lambda: fake)
    site, _ = read_site(MINIMAL, dt.date(2026, 1, 1))
    assert site is not None
    with pytest.raises(RuntimeError, match="pagefind failed: cannot index: out of space"):
        search.search_files(site)
