"""The registry of downloads is the one list of the files under data/: the build writes exactly
what it registers, and stops (an internal error naming the file) when a producer and the
registry disagree."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import downloads
from generator.build import build_site
from generator.downloads import DOWNLOADS, Download
from generator.errors import InternalError
from generator.export.data import Produced, Sources
from generator.read import read_site
from tests.conftest import TODAY

HINT = "(a bug of noimpunity, please report it)"


def files_under(folder: Path) -> set[str]:
    return {
        (Path(base) / name).relative_to(folder.parent).as_posix()
        for base, _, names in os.walk(folder)
        for name in names
    }


def test_the_site_has_exactly_the_registered_downloads(minimal_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(minimal_copy, output, today=TODAY, cache=False)
    site, _ = read_site(minimal_copy, TODAY)
    assert site is not None
    registered = {path for download in DOWNLOADS for path in download.paths(site)}
    assert files_under(output / "data") == registered
    listed = (output / "data/SHA256SUMS").read_text("utf-8")
    checksums = {"data/index.json", "data/SHA256SUMS"}
    assert {f"data/{line.split()[1]}" for line in listed.splitlines()} == registered - checksums


def test_the_data_page_lists_every_download(minimal_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(minimal_copy, output, today=TODAY, cache=False)
    page = (output / "en/data/index.html").read_text("utf-8")
    for download in DOWNLOADS:
        assert f"<code>{download.name}</code>" in page


def nothing(sources: Sources) -> Iterator[Produced]:
    return iter(())


def test_a_registered_file_not_written_stops_the_build(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = Download(name="extra.txt", media_type="text/plain", produce=nothing, description="")
    monkeypatch.setattr(downloads, "DOWNLOADS", (*DOWNLOADS, extra))
    with pytest.raises(InternalError) as failure:
        build_site(minimal_copy, tmp_path / "site", today=TODAY, cache=False)
    assert [problem.format() for problem in failure.value.problems] == [
        "data/extra.txt: error[unwritten-file] internal error: a download not written in"
        f" downloads.DOWNLOADS: data/extra.txt {HINT}"
    ]
    assert not (tmp_path / "site").exists()


def test_a_written_file_not_registered_stops_the_build(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [schema] = [download for download in DOWNLOADS if download.name == "designation.schema.json"]

    def schema_and_more(sources: Sources) -> Iterator[Produced]:
        yield from schema.produce(sources)
        yield "data/stray.json", iter([b"{}\n"])

    changed = dataclasses.replace(schema, produce=schema_and_more)
    registry = tuple(changed if download is schema else download for download in DOWNLOADS)
    monkeypatch.setattr(downloads, "DOWNLOADS", registry)
    with pytest.raises(InternalError) as failure:
        build_site(minimal_copy, tmp_path / "site", today=TODAY, cache=False)
    assert [problem.format() for problem in failure.value.problems] == [
        "data/stray.json: error[unregistered-file] internal error: a download not registered in"
        f" downloads.DOWNLOADS: data/stray.json {HINT}"
    ]
    assert not (tmp_path / "site").exists()
