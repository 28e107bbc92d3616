"""Nothing lost: killed builds, lost pages, full disks and unwritable folders.

- Killed: the repository's own records (about 340) are built (site A); then the short title,
  shown on every page, is changed, and ``noimpunity build`` is killed with SIGKILL at moments
  spread over its run (fixed seed): the main process alone or its whole process group, with and
  without the cache. After each kill ``site/`` must be exactly the site before (or, when the
  kill came after the swap, exactly the new one): the same files and bytes, nothing extra; no
  worker may live on; and a normal build must then give what a clean build gives. Three titles
  take turns, so that the spare copy never already holds the site being built.
- Subjects in = subject pages out: a planner or a renderer that loses a subject's page stops
  the build with ``page-count`` (exit status 3) and the published site untouched.
- A record saved again while the build reads it: ``changed-during-build`` (exit status 1) and
  the published site untouched (tests/test_lock.py has the other cases).
- A full disk, an output inside a file, a folder without permission: one line, exit status 1,
  the site untouched, the half-built copy deleted. A cache that cannot be written: a warning,
  and a build without it.
"""

from __future__ import annotations

import calendar
import contextlib
import errno
import hashlib
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from click.testing import CliRunner, Result

from generator import plan as plan_stage
from generator import render
from generator.build import build_site
from generator.cache import Store
from generator.cli import main
from generator.errors import InternalError
from generator.publish import Publisher
from generator.render import Renderer
from tests.conftest import REPO, TODAY

COMMAND = Path(sys.executable).parent / "noimpunity"
EPOCH = str(calendar.timegm(TODAY.timetuple()))  # the builds' date, in subprocesses too
SEED = 20261123
KILLS = 8
LOG = logging.getLogger(__name__)
# The short title, on every page; the build after a kill makes the next one (never the title of
# the spare copy, which would leave little to do).
TITLES = [f"No impunity for chemical weapons{mark}," for mark in ("", " (B)", " (C)")]

# A tree as compared: every file with the hash of its bytes and its mode; every folder.
Tree = dict[str, str]


def snapshot(root: Path) -> Tree:
    found: Tree = {}
    for folder, folders, files in os.walk(root):
        base = Path(folder)
        for name in folders:
            found[(base / name).relative_to(root).as_posix() + "/"] = "folder"
        for name in files:
            path = base / name
            data = hashlib.sha256(path.read_bytes()).hexdigest()
            found[path.relative_to(root).as_posix()] = f"{data} {path.lstat().st_mode:o}"
    return found


def differences(actual: Tree, expected: Tree) -> str:
    """A short account of how two trees differ (the full dicts are too long to read)."""
    extra = sorted(actual.keys() - expected.keys())
    missing = sorted(expected.keys() - actual.keys())
    changed = sorted(p for p in actual.keys() & expected.keys() if actual[p] != expected[p])
    return f"extra {extra[:5]} ({len(extra)}), missing {missing[:5]} ({len(missing)}), " + (
        f"changed {changed[:5]} ({len(changed)})"
    )


@dataclass(frozen=True)
class Repository:
    root: Path
    cache: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "NOIMPUNITY_CACHE_DIR": str(self.cache),
            "NOIMPUNITY_JOBS": "2",  # worker processes even on one core
            "SOURCE_DATE_EPOCH": EPOCH,
        }

    def command(self, *args: str | Path) -> list[str]:
        return [str(COMMAND), "build", "--quiet", "--root", str(self.root), *map(str, args)]

    def build(self, *args: str | Path) -> None:
        finished = subprocess.run(
            self.command(*args),
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (finished.returncode, finished.stderr) == (0, ""), finished.stderr

    def start(self, *args: str | Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(*args),
            env=self.environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the workers can be killed with it
        )

    def title(self, text: str) -> None:
        path = self.root / "content/site.yaml"
        current = path.read_text("utf-8")
        for title in TITLES:
            current = current.replace(title, text)
        path.write_text(current, "utf-8")


def copy_repository(root: Path) -> Path:
    """The repository's content/ and designations/ in a git repository of one commit."""
    root.mkdir(parents=True)
    for name in ("content", "designations"):
        shutil.copytree(REPO / name, root / name)
    date = "2026-01-05T12:00:00+00:00"
    environment = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    for command in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "records"]):
        subprocess.run(
            ["git", *identity, *command],
            cwd=root,
            env=environment,
            check=True,
            capture_output=True,
            timeout=60,
        )
    return root


@dataclass(frozen=True)
class Kill:
    moment: float  # the fraction of a build's duration after which it is killed
    group: bool  # the whole process group, else the main process alone
    cache: bool


def kill_plan() -> list[Kill]:
    """Moments spread over a build (one in each eighth, at a random place in it)."""
    rng = random.Random(SEED)
    return [
        Kill((number + rng.random()) / KILLS, number % 2 == 0, number not in {2, 5})
        for number in range(KILLS)
    ]


def kill(process: subprocess.Popen[bytes], delay: float, group: bool) -> str:
    """Kill ``process`` (or its group) after ``delay`` seconds; say whether it had finished."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()
        return "killed"
    return "finished"


def workers_left(group: int) -> list[int]:
    """Processes of the killed build still running after a while: orphaned workers."""
    deadline = time.monotonic() + 3.0  # SIGKILL takes effect when the process next runs
    while (found := _members(group)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def _members(group: int) -> list[int]:
    """The processes of ``group`` running the build's command (zombies are dead: left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text("utf-8")
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        state, _, group_of = stat.rsplit(")", 1)[1].split()[:3]
        if int(group_of) == group and state != "Z" and bytes(COMMAND) in command:
            found.append(int(entry.name))
    return found


def end_group(group: int) -> None:
    """Kill what is left of a build's process group, if anything."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    folder = tmp_path_factory.mktemp("atomic")
    return Repository(copy_repository(folder / "repo"), folder / "cache")


def test_a_killed_build_leaves_the_site_as_it_was(repository: Repository, tmp_path: Path) -> None:
    started = time.perf_counter()
    references: list[Tree] = []
    for number, title in enumerate(TITLES):  # clean builds, without the cache, each in a new folder
        repository.title(title)
        clean = repository.site if number == 0 else tmp_path / f"clean-{number}"
        repository.build("--no-cache", "--output", clean)  # the first one is site A
        references.append(snapshot(clean))
    duration = (time.perf_counter() - started) / len(TITLES)
    published = 0
    for plan in kill_plan():
        title = (published + 1) % len(TITLES)
        repository.title(TITLES[title])
        process = repository.start(*([] if plan.cache else ["--no-cache"]))
        try:
            outcome = kill(process, plan.moment * duration, plan.group)
            if outcome == "killed" and Path("/proc/self/stat").exists():
                assert not workers_left(process.pid), f"{plan}: orphaned workers run on"
            after = snapshot(repository.site)
            if after == references[title]:  # killed after the swap: the new site, whole
                outcome += " after the swap"
            else:
                expected = references[published]
                assert after == expected, (plan, differences(after, expected))
            siblings = {path.name for path in repository.root.iterdir()}
            expected = {".git", "content", "designations", "site", ".site.previous"}
            assert siblings <= expected | {".site.lock"}  # a killed build's lock: free
            began = time.perf_counter()
            repository.build()
            if outcome == "killed":  # then this build did the work of the one killed
                duration = time.perf_counter() - began
        finally:
            end_group(process.pid)
        assert snapshot(repository.site) == references[title], (plan, "the next build")
        LOG.info("%s of %.1f s: %s", plan, duration, outcome)
        published = title
    litter = [path.name for path in repository.cache.rglob(".*") if path.is_file()]
    seconds = time.perf_counter() - started
    LOG.info("%.1f s in all; temporary files left in the cache: %s", seconds, litter)


# -- subjects in = subject pages out -------------------------------------------------------------

MISHKIN = "designations/alexander-mishkin.yaml"
HINT = "(a bug of noimpunity, please report it)"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def build_minimal(root: Path, output: Path) -> None:
    build_site(root, output, today=TODAY)


def drop_from_plan(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    """Make the planner forget the page at ``address``, as a bug would."""
    plans = Renderer.plans
    monkeypatch.setattr(
        Renderer, "plans", lambda self: [p for p in plans(self) if p.path != address]
    )


def test_a_subject_left_out_of_the_plan_stops_the_build(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "site"
    build_minimal(minimal_copy, output)
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    drop_from_plan(monkeypatch, "en/designations/alexander-mishkin/")
    with pytest.raises(InternalError) as failure:
        build_minimal(minimal_copy, output)
    [problem] = failure.value.problems
    assert problem.code == "page-count"
    assert problem.format() == (
        f"{MISHKIN}: error[page-count] internal error: 3 subject records but 2 en subject pages"
        f" planned; no page for alexander-mishkin {HINT}"
    )
    assert snapshot(output) == before


def test_a_subject_page_not_written_stops_the_build(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is missing from the spare copy even though that copy held an older version of
    it (the build before the last): a stale page is never published in its place."""
    monkeypatch.setenv("NOIMPUNITY_JOBS", "2")  # the pages are written by worker processes
    output = tmp_path / "site"
    build_minimal(minimal_copy, output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    build_minimal(minimal_copy, output)  # the spare copy now holds the first build
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "(military intelligence)", "(military intelligence service)")
    write = render.write_file

    def skip_one(path: Path, data: bytes) -> None:
        if not path.as_posix().endswith("/fr/designations/alexander-mishkin/index.html"):
            write(path, data)

    monkeypatch.setattr(render, "write_file", skip_one)
    with pytest.raises(InternalError) as failure:
        build_minimal(minimal_copy, output)
    assert [problem.format() for problem in failure.value.problems] == [
        f"{MISHKIN}: error[page-count] internal error: 3 subject records but 2 fr subject pages"
        f" written; no page for alexander-mishkin {HINT}"
    ]
    assert snapshot(output) == before


def test_another_file_not_written_stops_the_build(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "site"
    build_minimal(minimal_copy, output)
    before = snapshot(output)
    write = Publisher.write

    def skip_robots(publisher: Publisher, path: str, data: bytes) -> None:
        if path != "robots.txt":
            write(publisher, path, data)

    monkeypatch.setattr(Publisher, "write", skip_robots)
    with pytest.raises(InternalError) as failure:
        build_site(minimal_copy, output, today=TODAY, cache=False)  # every file is written
    [problem] = failure.value.problems
    assert problem.code == "unwritten-file"
    assert problem.format() == (
        f"robots.txt: error[unwritten-file] internal error: planned but not written: robots.txt"
        f" {HINT}"
    )
    assert snapshot(output) == before


def test_the_command_exits_3_on_a_lost_page(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_from_plan(monkeypatch, "fr/designations/alexander-mishkin/")
    result = invoke("build", "--root", minimal_copy, "--output", tmp_path / "site")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"{MISHKIN}: error[page-count] internal error: 3 subject records but 2 fr subject pages"
        f" planned; no page for alexander-mishkin {HINT}",
        "1 error, 0 warnings",
    ]
    assert not (tmp_path / "site").exists()


def test_a_record_saved_during_the_build_is_one_located_error(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record saved again once the build has read it (an editor, a sync tool): the pages may
    show it half-written, so nothing is published (changed-during-build, exit status 1)."""
    output = tmp_path / "site"
    build_minimal(minimal_copy, output)
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    plan_site = plan_stage.plan_site

    def planning(*args: Any) -> plan_stage.Plan:
        files = plan_site(*args)
        edit(minimal_copy / MISHKIN, "(military intelligence)", "(military intelligence service)")
        return files

    monkeypatch.setattr(plan_stage, "plan_site", planning)
    result = invoke("build", "--root", minimal_copy, "--output", output)
    assert (result.exit_code, result.stdout) == (1, "")
    code = "changed-during-build"
    assert result.stderr.splitlines() == [
        f"{MISHKIN}: error[{code}] changed while the build read it; nothing was published"
        " (build again)",
        "1 error, 0 warnings",
    ]
    assert snapshot(output) == before


# -- a full disk, a folder without permission ----------------------------------------------------

NO_SPACE = os.strerror(errno.ENOSPC)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


class FullDisk:
    """A file being written on a full disk: every write fails (and names no file, as the
    system's write does)."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exception: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, NO_SPACE)


def fill_disk_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The disk is full when the build writes the file ``name`` of the new site."""
    opener = Path.open

    def open_path(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = opener(path, mode, *args, **kwargs)
        new_site = ".site.previous" in path.parts and "x" in mode
        return FullDisk(handle) if new_site and path.as_posix().endswith(f"/{name}") else handle

    monkeypatch.setattr(Path, "open", open_path)


@pytest.mark.parametrize("name", ["en/index.html", "data/subjects.json"])
def test_a_full_disk_is_one_line_and_the_site_is_kept(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("NOIMPUNITY_JOBS", "2")  # pages are written by workers, downloads not
    output = tmp_path / "site"
    build_minimal(minimal_copy, output)
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    edit(minimal_copy / "content/participants.yaml", "en: ", "en: The ")
    fill_disk_at(monkeypatch, name)
    result = invoke("build", "--root", minimal_copy, "--output", output)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: cannot write {output}/{name}: {NO_SPACE} (the previous site is unchanged)\n"
    )
    assert snapshot(output) == before
    # the half-built spare copy filled the disk: it is gone, and so is the lock
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo", "site"]


def test_an_output_inside_a_file_is_one_line(minimal_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file\n", "utf-8")
    result = invoke("build", "--root", minimal_copy, "--output", tmp_path / "notes/site")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: cannot write {tmp_path}/notes/site: {tmp_path}/notes is a file, not a folder"
        " (no site was published)\n"
    )


def test_a_cache_that_is_a_file_is_not_used(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.write_text("not a folder\n", "utf-8")
    monkeypatch.setenv("NOIMPUNITY_CACHE_DIR", str(cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = invoke("build", "--quiet", "--root", minimal_copy, "--output", tmp_path / "site")
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: cannot use the build cache {cache}: it is a file, not a folder;"
        " building without it\n"
    )
    build_site(minimal_copy, tmp_path / "clean", cache=False)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


def test_a_cache_not_saved_after_publishing_is_a_warning(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save = Store.save

    def fail_for_records(store: Store) -> None:
        if store.folder is not None and store.folder.name == "records":
            raise OSError(errno.ENOSPC, NO_SPACE, str(store.folder / "00.pickle"))
        save(store)

    monkeypatch.setattr(Store, "save", fail_for_records)
    cache = Path(os.environ["NOIMPUNITY_CACHE_DIR"])
    result = invoke("build", "--quiet", "--root", minimal_copy, "--output", tmp_path / "site")
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: the build cache was not saved: {cache}/records/00.pickle: {NO_SPACE}\n"
    )
    assert (tmp_path / "site/en/index.html").is_file()


def unprivileged() -> list[str]:
    """A prefix that runs a command without the power to ignore file permissions (as root,
    with every capability dropped)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    prefix = [str(setpriv), "--bounding-set=-all", "--inh-caps=-all"]
    if setpriv is None or subprocess.run([*prefix, "true"], check=False).returncode:
        pytest.skip("running as root, and cannot drop the capabilities")
    return prefix


def run_unprivileged(*args: str | Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*unprivileged(), str(COMMAND), *map(str, args)],
        env={**os.environ, "NOIMPUNITY_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def test_an_output_folder_without_permission_is_one_line(
    minimal_copy: Path, tmp_path: Path
) -> None:
    place = tmp_path / "public"
    output = place / "site"
    cache = tmp_path / "cache"
    first = run_unprivileged("build", "-q", "--root", minimal_copy, "-o", output, cache=cache)
    assert (first.returncode, first.stderr) == (0, "")
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    with read_only(place):
        done = run_unprivileged("build", "--root", minimal_copy, "-o", output, cache=cache)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: cannot create {place}/.site.lock, where builds of {output} take turns:"
        " Permission denied (the previous site is unchanged)\n"
    )
    assert snapshot(output) == before


def test_a_read_only_cache_is_not_used(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # for the clean build in this process
    cache = tmp_path / "cache"
    (cache / "records").mkdir(parents=True)
    with read_only(cache / "records"):
        done = run_unprivileged(
            "build", "-q", "--root", minimal_copy, "-o", tmp_path / "site", cache=cache
        )
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        f"warning: cannot use the build cache {cache}: {cache}/records is not writable;"
        " building without it\n"
    )
    build_site(minimal_copy, tmp_path / "clean", cache=False)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


def test_a_stale_manifest_on_a_reused_inode_is_not_trusted(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed ``--no-cache`` build leaves a new spare copy (holding here the page of a record
    since withdrawn) whose folder the kernel may have given the inode number of the spare copy
    it deleted, whose manifest is still in the cache: that manifest must not be believed, or
    the page would be published."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NOIMPUNITY_CACHE_DIR", str(cache))
    output, spare = tmp_path / "site", tmp_path / ".site.previous"
    build_minimal(minimal_copy, output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    build_minimal(minimal_copy, output)
    [manifest] = cache.glob(f"trees/tree-*-{spare.stat().st_ino}.pickle")
    shutil.rmtree(spare)  # as the killed build did, then it made a new one and wrote into it
    spare.mkdir()
    page = spare / "en/designations/withdrawn-record/index.html"
    page.parent.mkdir(parents=True)
    page.write_text("a record withdrawn before it was published\n", "utf-8")
    reused = manifest.with_name(f"tree-{spare.stat().st_dev}-{spare.stat().st_ino}.pickle")
    manifest.rename(reused)  # the old spare copy's manifest, now under the new folder's inode
    edit(minimal_copy / MISHKIN, "(military intelligence)", "(military intelligence service)")
    build_minimal(minimal_copy, output)
    build_site(minimal_copy, tmp_path / "clean", today=TODAY, cache=False)
    assert snapshot(output) == snapshot(tmp_path / "clean")
