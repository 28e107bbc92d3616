"""Incremental and parallel builds give byte for byte the site a cold, serial build gives.

Each scenario edits the repository, rebuilds into the same output with the cache, and compares
the result with a build from scratch (no cache, one process) into a fresh folder: a record's
grounds, a record's name (shown on lists and on the pages of related subjects), a participant,
a template, a new record, a removed record, an edit after that (its pages and their folders go
then). Also: unchanged inputs write nothing, and files edited or deleted by hand in the output
are put back.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from generator import search
from generator.build import BuildError, BuildResult, build_site
from generator.downloads import data_page_rows
from generator.model import Site, Subject
from generator.read import read_site
from generator.render import DETAIL_TEMPLATES, Renderer
from tests.conftest import TEMPLATES, TODAY


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the hash of its bytes and its mode, and every folder (a
    folder left empty by a deleted page is a difference)."""
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        + f" {path.stat().st_mode:o}"
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    def use(count: int) -> None:
        monkeypatch.setenv("NOIMPUNITY_JOBS", str(count))

    return use


@pytest.fixture
def repo(minimal_copy: Path) -> Path:
    """The minimal site with its own copy of the templates (so a test can edit them)."""
    shutil.copytree(TEMPLATES, minimal_copy / "templates")
    return minimal_copy


def incremental(root: Path, output: Path) -> BuildResult:
    return build_site(root, output, today=TODAY)


def cold(root: Path, output: Path, jobs: Callable[[int], None]) -> dict[str, str]:
    jobs(1)
    shutil.rmtree(output, ignore_errors=True)
    build_site(root, output, today=TODAY, cache=False)
    jobs(2)
    return tree(output)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


MISHKIN = "designations/alexander-mishkin.yaml"
GRU = "designations/main-intelligence-directorate.yaml"


def scenarios(root: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    yield "grounds", lambda: edit(root / MISHKIN, "GRU", "GRU (military intelligence)")
    yield "name of a related subject", lambda: edit(root / GRU, "name: ", "name: The ")
    yield "participant", lambda: edit(root / "content/participants.yaml", "en: ", "en: The ")
    yield "template", lambda: edit(root / "templates/base.html", "<main", "<!-- x --><main")
    extra = (root / MISHKIN).read_text("utf-8").replace("alexander-mishkin", "alexander-mishkin-2")
    yield (
        "new record",
        lambda: (root / "designations/alexander-mishkin-2.yaml").write_text(
            extra.replace("name: Alexander", "name: Alexandre"), "utf-8"
        ),
    )
    yield "removed record", (root / "designations/alexander-mishkin-2.yaml").unlink
    # The spare tree this build writes into is the one published before the removal: it holds
    # the removed record's pages, deleted now, and their folders with them.
    yield (
        "edit after a removal",
        lambda: edit(root / MISHKIN, "GRU (military", "GRU (Russian military"),
    )


@pytest.mark.parametrize("per_part", [1000, 2], ids=["one index", "index in parts"])
def test_incremental_builds_match_cold_serial_builds(
    repo: Path,
    tmp_path: Path,
    jobs: Callable[[int], None],
    per_part: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Also with the full-text index in parts: a new record adds one, a removed one drops it."""
    monkeypatch.setattr(search, "RECORDS_PER_SHARD", per_part)
    jobs(2)  # the incremental builds render in two processes
    output, reference = tmp_path / "site", tmp_path / "reference"
    incremental(repo, output)
    assert tree(output) == cold(repo, reference, jobs)
    for name, change in scenarios(repo):
        change()
        result = incremental(repo, output)
        assert not result.unchanged, name
        assert tree(output) == cold(repo, reference, jobs), name


def test_a_grounds_edit_rewrites_only_that_subjects_files(repo: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    incremental(repo, output)
    before = tree(output)
    edit(repo / MISHKIN, "GRU", "GRU (military intelligence)")
    result = incremental(repo, output)
    after = tree(output)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert "en/designations/alexander-mishkin/index.html" in changed
    assert "en/designations/index.html" not in changed  # the list shows no grounds
    # rewritten: that subject's pages and feeds in both languages, the downloads, the data
    # pages (the downloads' checksums) and the full-text index (Pagefind holds the grounds),
    # nothing else
    others = [p for p in changed if "alexander-mishkin" not in p and not p.startswith("data/")]
    data_pages = {"en/data/index.html", "fr/data/index.html"}
    assert all(path.startswith("pagefind/") or path in data_pages for path in others), changed
    assert data_pages <= set(others)
    assert len(changed) <= result.written <= 14 + len(others) < result.files
    assert result.cache_hits == result.records - 1


def test_a_grounds_edit_reindexes_only_the_part_of_the_index_that_holds_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "RECORDS_PER_SHARD", 1)  # three subjects, three parts
    output = tmp_path / "site"
    incremental(repo, output)
    before = tree(output)
    indexed: list[list[str]] = []
    start = search.Indexing.__init__

    def counted(
        self: search.Indexing,
        site: Site,
        subjects: Sequence[Subject],
        words: Mapping[str, str],
        folder: str | None,
    ) -> None:
        indexed.append([subject.id for subject in subjects])
        start(self, site, subjects, words, folder)

    monkeypatch.setattr(search.Indexing, "__init__", counted)
    edit(repo / MISHKIN, "the GRU who", "the GRU, who")  # no word enters or leaves the index
    incremental(repo, output)
    assert indexed == [["alexander-mishkin"]]
    after = tree(output)
    site, _ = read_site(repo, TODAY)
    assert site is not None
    parts = search.merged_folders(site.subjects)
    assert len(parts) == 2
    changed = [p for p in after if p.startswith("pagefind/") and after[p] != before.get(p)]
    folders = {next((part for part in parts if p.startswith(part)), "pagefind/") for p in changed}
    assert len(folders) == 1, changed  # the files of one part only
    edit(repo / MISHKIN, "Salisbury attack", "Salisbury poisoning")  # a new word: in every part
    indexed.clear()
    incremental(repo, output)
    assert sorted(indexed) == [[subject.id] for subject in site.subjects]


def test_checks_kept_with_a_record_see_a_related_record_removed(repo: Path, tmp_path: Path) -> None:
    """A record's checks are kept with it while its related ids exist; once one is gone, the
    next build reports it (in the same process, which keeps the records it read)."""
    output = tmp_path / "site"
    incremental(repo, output)
    (repo / GRU).unlink()
    with pytest.raises(BuildError) as failure:
        incremental(repo, output)
    codes = {(problem.code, problem.location.path) for problem in failure.value.problems}
    assert ("unknown-related", MISHKIN) in codes


def test_unchanged_inputs_write_nothing(repo: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    incremental(repo, output)
    times = {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()}
    result = incremental(repo, output)
    assert result.unchanged and result.written == 0
    assert times == {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}


def test_files_edited_or_deleted_by_hand_are_put_back(
    repo: Path, tmp_path: Path, jobs: Callable[[int], None]
) -> None:
    output = tmp_path / "site"
    incremental(repo, output)
    (output / "en/index.html").write_text("edited by hand", "utf-8")
    (output / "data/subjects.json").unlink()
    (output / "fr/designations/alexander-mishkin/index.html").unlink()
    incremental(repo, output)
    assert tree(output) == cold(repo, tmp_path / "reference", jobs)


def test_a_damaged_spare_copy_is_rebuilt(
    repo: Path, tmp_path: Path, jobs: Callable[[int], None]
) -> None:
    """A build killed while updating the spare copy leaves it unknown: it is started afresh."""
    output = tmp_path / "site"
    incremental(repo, output)
    incremental_spare = tmp_path / ".site.previous"
    edit(repo / MISHKIN, "GRU", "GRU (military intelligence)")
    incremental(repo, output)
    for path in incremental_spare.rglob("*.html"):
        path.write_text("half written", "utf-8")
    cache = Path(os.environ["NOIMPUNITY_CACHE_DIR"]) / "trees"
    for manifest in cache.glob("tree-*"):  # as the interrupted build would have left it
        if manifest.name.endswith(f"-{incremental_spare.stat().st_ino}.pickle"):
            manifest.unlink()
    edit(repo / MISHKIN, "(military intelligence)", "(military intelligence service)")
    incremental(repo, output)
    assert tree(output) == cold(repo, tmp_path / "reference", jobs)


def test_parallel_and_serial_builds_are_identical(
    minimal_copy: Path, tmp_path: Path, jobs: Callable[[int], None]
) -> None:
    jobs(2)
    build_site(minimal_copy, tmp_path / "parallel", today=TODAY, cache=False)
    assert tree(tmp_path / "parallel") == cold(minimal_copy, tmp_path / "serial", jobs)


def test_list_pages_do_not_need_the_records_details(minimal_copy: Path) -> None:
    """Pages other than a subject's own are rendered from the listing view (no details), so
    that their fingerprints ignore details; rendered from the full records they are the same."""
    site, _ = read_site(minimal_copy, TODAY)
    assert site is not None
    renderer = Renderer(site, TEMPLATES, data_files=data_page_rows())
    full = Renderer(
        site, TEMPLATES, data_files=data_page_rows()
    )  # plans and renders list pages from the full records
    full.listing, full.listing_index = full.site, full.index
    ours = {p.path: p for p in renderer.plans() if p.template not in DETAIL_TEMPLATES}
    theirs = {p.path: p for p in full.plans() if p.template not in DETAIL_TEMPLATES}
    assert len(ours) > 40 and ours.keys() == theirs.keys()
    for path, plan in ours.items():
        assert renderer.render(plan) == full.render(theirs[path]), path


def test_an_edit_that_keeps_size_and_time_is_still_seen(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unchanged files are trusted by their size and times: an edit that keeps both (same
    length, modification time set back) still changes the change time, which is checked."""
    import generator.fingerprint

    # No "racily clean" margin: files hashed by one build are trusted by the next at once.
    monkeypatch.setattr(generator.fingerprint, "RACY_NS", 0)
    output = tmp_path / "site"
    incremental(repo, output)
    assert incremental(repo, output).unchanged  # every input trusted by its stat
    record = repo / MISHKIN
    before = record.stat()
    text = record.read_text("utf-8")
    assert "GRU" in text
    record.write_text(text.replace("GRU", "URG", 1), "utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size
    result = incremental(repo, output)
    assert not result.unchanged
    assert "URG" in (output / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
