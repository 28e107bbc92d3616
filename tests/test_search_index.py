"""The search index stage: the names a subject is indexed under (computed once per record
version), and Pagefind, stopped by a failed build."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from generator import search
from generator.build import build_site
from generator.read import read_site
from tests.conftest import MINIMAL, TODAY


def test_indexed_names_are_computed_once_and_kept_with_the_record() -> None:
    site, _ = read_site(MINIMAL, dt.date(2026, 1, 1))
    assert site is not None
    records = list(search.search_records(site, site.subjects))
    subject = site.subjects[0]
    kept = subject.derived["indexed_names"]
    assert subject.name in kept
    subject.derived["indexed_names"] = "kept"  # what a later build reads back from the cache
    again = [
        r for r in search.search_records(site, site.subjects) if r.url.endswith(f"/{subject.id}/")
    ]
    assert again and all(r.content.startswith("kept\n") for r in again)
    assert len(records) == len(site.subjects) * len(site.config.languages)


def test_a_build_interrupted_while_pagefind_runs_stops_it_and_leaves_no_scratch(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the build waits for Pagefind kills it and deletes its scratch folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(search, "MEMORY", str(scratch))  # where the scratch folder goes
    slow = tmp_path / "pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 60\n", "utf-8")
    slow.chmod(0o755)
    monkeypatch.setattr(search, "get_executable", lambda: slow)
    running: list[subprocess.Popen[bytes]] = []

    def interrupted(indexing: search.Indexing) -> dict[str, bytes]:
        running.append(indexing._process)
        assert indexing._process.poll() is None  # Pagefind runs
        raise KeyboardInterrupt

    monkeypatch.setattr(search.Indexing, "files", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(minimal_copy, minimal_copy / "site", today=TODAY, cache=False)
    assert running and running[0].poll() is not None  # killed and reaped
    assert list(scratch.iterdir()) == []
    assert not (minimal_copy / "site").exists()


def test_the_scratch_folder_is_in_memory_when_there_is_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MEMORY", str(tmp_path))
    assert search.scratch_folder(1000) == str(tmp_path)
    free = os.statvfs(tmp_path)
    too_many = free.f_bavail * free.f_frsize // search.BYTES_PER_PAGE + 1
    assert search.scratch_folder(too_many) is None  # the system's temporary folder
    monkeypatch.setattr(search, "MEMORY", str(tmp_path / "absent"))
    assert search.scratch_folder(1) is None


def test_scratch_folders_of_killed_builds_are_swept(tmp_path: Path) -> None:
    """A build killed with ``kill -9`` leaves its scratch folder in memory; the next one
    deletes it, and never one of a build still running (this process)."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = tmp_path / f"{search.SCRATCH}{dead.pid}-abc"
    running = tmp_path / f"{search.SCRATCH}{os.getpid()}-def"
    other = tmp_path / "someone-else"
    for folder in (left, running, other):
        (folder / "pages").mkdir(parents=True)
    search.sweep(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([running.name, other.name])


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
        search.index_shards(site, {0: site.subjects}, {})
