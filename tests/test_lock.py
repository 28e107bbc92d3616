"""One build at a time, from inputs read whole, leaving no half-built copy behind.

- Two builds of one output folder started together (processes): one builds, the other waits
  for it and then builds (or, after the wait, says that another build is running); never a
  misleading error or an internal one, and the site is then what a clean build gives.
- A lock held by another process: the build waits while it is held, then gives up naming its
  pid. A lock left by a dead build (its pid gone) is taken over, with flock and without.
- A record or page changed, added or deleted while the build reads the repository: nothing is
  published, and the problem names the file.
- A build failing after it began the new copy of the site (a full disk, an exception in the
  writer, Ctrl-C) deletes that copy; one failing on the records keeps the spare copy, whole.
"""

from __future__ import annotations

import calendar
import errno
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator import build, lock, plan
from generator.build import BuildRunningError, build_site
from generator.cli import main
from generator.errors import BuildError
from generator.fingerprint import RACY_NS, input_digest, sources_digest
from generator.inputs import Inputs, InputsChangedError
from generator.layout import templates_for
from generator.publish import Publisher
from tests.conftest import TODAY

COMMAND = Path(sys.executable).parent / "noimpunity"
EPOCH = str(calendar.timegm(TODAY.timetuple()))
MISHKIN = "designations/alexander-mishkin.yaml"
PAGE = "en/designations/alexander-mishkin/index.html"
CHANGED = "changed-during-build"
# Every test process ends within this many seconds, or fails.
TIMEOUT = 120
# A process holding the lock of the folder given as its first argument: it says "held" once it
# has it, then keeps it for the seconds of its second argument, or until its input is closed.
HOLDER = """
import sys, time
from pathlib import Path
from generator import lock
held = lock.acquire(Path(sys.argv[1]), wait=30)
print("held", flush=True)
if sys.argv[2] == "stdin":
    sys.stdin.read()
else:
    time.sleep(float(sys.argv[2]))
held.release()
"""


def snapshot(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def build_once(root: Path, output: Path, **options: Any) -> build.BuildResult:
    return build_site(root, output, today=TODAY, **options)


def siblings(output: Path) -> list[str]:
    return sorted(path.name for path in output.parent.iterdir())


@pytest.fixture
def holder() -> Iterator[Callable[[Path, str], subprocess.Popen[str]]]:
    """Start processes holding a lock (see HOLDER), ended with the test."""
    started: list[subprocess.Popen[str]] = []

    def start(output: Path, hold: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(output), hold],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None
        assert process.stdout.readline() == "held\n"
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=TIMEOUT)


# -- two builds at once ------------------------------------------------------------------------


def start_build(root: Path, output: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(COMMAND), "build", "--quiet", "--root", str(root), "--output", str(output), *options],
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NOIMPUNITY_JOBS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("second", [[], ["--no-cache"]], ids=["both-cached", "one-without"])
def test_two_builds_at_once_take_turns(
    minimal_copy: Path, tmp_path: Path, second: list[str]
) -> None:
    """From an empty site, then after each of two edits: both succeed, one after the other,
    or the second says that the first is running. The site is then a clean build's."""
    output = tmp_path / "site"
    edits = [None, ("GRU", "GRU (military intelligence)"), ("(military", "(the military")]
    for change in edits:
        if change:
            edit(minimal_copy / MISHKIN, *change)
        builds = [start_build(minimal_copy, output), start_build(minimal_copy, output, *second)]
        try:
            outcomes = [process.communicate(timeout=TIMEOUT) for process in builds]
        finally:
            for process in builds:
                process.kill()  # only if it is still running: the test failed
        for process, other, (stdout, stderr) in zip(builds, builds[::-1], outcomes, strict=True):
            busy = f"error: another build is running (pid {other.pid})\n"
            assert (process.returncode, stdout, stderr) in {(0, "", ""), (1, "", busy)}, stderr
        assert 0 in {process.returncode for process in builds}
        reference = tmp_path / "reference"
        build_once(minimal_copy, reference, cache=False)
        assert snapshot(output) == snapshot(reference)
        # no lock left, and the spare copy unless a build without the cache came last
        assert set(siblings(output)) - {".site.previous"} == {"reference", "repo", "site"}
        shutil.rmtree(reference)


# -- a lock held by another process, or left by a dead one -------------------------------------


def test_a_build_waits_for_the_build_holding_its_folder(
    minimal_copy: Path, tmp_path: Path, holder: Callable[[Path, str], subprocess.Popen[str]]
) -> None:
    output = tmp_path / "site"
    holding = holder(output, "1.0")
    started = time.monotonic()
    build_once(minimal_copy, output)
    waited = time.monotonic() - started
    assert holding.wait(timeout=TIMEOUT) == 0
    assert waited >= 0.5, "built while the lock was held"
    assert (output / "en/index.html").is_file()
    assert siblings(output) == ["repo", "site"]


def test_a_build_gives_up_naming_the_holder(
    minimal_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    holder: Callable[[Path, str], subprocess.Popen[str]],
) -> None:
    output = tmp_path / "site"
    build_once(minimal_copy, output)
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    holding = holder(output, "stdin")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["build", "--root", str(minimal_copy), "-o", str(output)])
    assert time.monotonic() - started >= 0.3
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: another build is running (pid {holding.pid})\n"
    assert snapshot(output) == before
    holding.communicate("", timeout=TIMEOUT)  # it is done: the next build runs
    build_once(minimal_copy, output)
    assert "military intelligence" in (output / PAGE).read_text("utf-8")
    assert siblings(output) == [".site.previous", "repo", "site"]


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()  # reaped: no process has its pid any more
    return process.pid


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "pid-only"])
def test_a_stale_lock_is_taken_over(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flock: bool
) -> None:
    monkeypatch.setattr(lock, "USE_FLOCK", flock and lock.USE_FLOCK)
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)  # a stale lock is not waited for
    output = tmp_path / "site"
    stale = lock.lock_path(output)
    stale.write_text(f"{dead_pid()} {socket.gethostname()}\n", "utf-8")
    build_once(minimal_copy, output)
    assert (output / "en/index.html").is_file()
    assert not stale.exists()


def test_without_flock_a_live_holder_is_waited_for(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without flock, the pid in the file decides: a live one (here a sleeping process) on this
    host, or a pid on another host (which cannot be looked at), holds the folder."""
    monkeypatch.setattr(lock, "USE_FLOCK", False)
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    output = tmp_path / "site"
    path = lock.lock_path(output)
    with subprocess.Popen(["sleep", "60"]) as sleeper:
        try:
            for pid, host in [(sleeper.pid, socket.gethostname()), (dead_pid(), "elsewhere")]:
                path.write_text(f"{pid} {host}\n", "utf-8")
                with pytest.raises(BuildRunningError) as refusal:
                    build_once(minimal_copy, output)
                shown = f"pid {pid}" + ("" if host != "elsewhere" else " on elsewhere")
                assert str(refusal.value) == f"another build is running ({shown})"
        finally:
            sleeper.kill()
    assert not output.exists()
    path.write_bytes(b"")  # a lock made long ago that names nobody (its maker died at once)
    os.utime(path, (time.time() - 60, time.time() - 60))
    build_once(minimal_copy, output)
    assert not path.exists()


def test_with_flock_the_kernel_decides(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With flock, a lock file nobody has locked is free whatever it says (here a build on
    another host, long dead, whose pid cannot be looked at)."""
    if not lock.USE_FLOCK:
        pytest.skip("no flock(2) here")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    output = tmp_path / "site"
    lock.lock_path(output).write_text("1 elsewhere\n", "utf-8")
    build_once(minimal_copy, output)
    assert siblings(output) == ["repo", "site"]


# -- inputs changed while they are read --------------------------------------------------------


def change_while_planning(monkeypatch: pytest.MonkeyPatch, change: Callable[[], None]) -> None:
    """Run ``change`` once the records and pages are read, as an editor saving a file would."""
    plan_site = plan.plan_site

    def planning(*args: Any) -> plan.Plan:
        files = plan_site(*args)
        change()
        return files

    monkeypatch.setattr(plan, "plan_site", planning)


CHANGES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "rewritten": (
        f"{MISHKIN}: error[changed-during-build] changed while the build read it; nothing was"
        " published (build again)",
        lambda root: edit(root / MISHKIN, "(military intelligence)", "(military intelligence!)"),
    ),
    "added": (
        "designations/new-record.yaml: error[changed-during-build] appeared while the build"
        " read the repository; nothing was published (build again)",
        lambda root: (root / "designations/new-record.yaml").write_text("id: new\n", "utf-8"),
    ),
    "deleted": (
        "content/declaration.fr.md: error[changed-during-build] disappeared while the build"
        " read it; nothing was published (build again)",
        lambda root: (root / "content/declaration.fr.md").unlink(),
    ),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_an_input_changed_during_the_build_publishes_nothing(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    output = tmp_path / "site"
    build_once(minimal_copy, output)
    edit(minimal_copy / MISHKIN, "Salisbury attack", "Salisbury attack of 2018")
    build_once(minimal_copy, output)  # the site before is the spare copy
    before = snapshot(output)
    assert siblings(output) == [".site.previous", "repo", "site"]
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    expected, change = CHANGES[case]
    change_while_planning(monkeypatch, lambda: change(minimal_copy))
    with pytest.raises(InputsChangedError) as failure:
        build_once(minimal_copy, output)
    assert [problem.format() for problem in failure.value.problems] == [expected]
    assert snapshot(output) == before
    assert siblings(output) == ["repo", "site"]  # the copy being built is gone
    monkeypatch.undo()
    if case == "added":
        (minimal_copy / "designations/new-record.yaml").unlink()
    build_once(minimal_copy, output)  # once the files are saved, the next build publishes
    reference = tmp_path / "reference"
    build_once(minimal_copy, reference, cache=False)
    assert snapshot(output) == snapshot(reference)


def test_many_changed_files_are_counted(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A branch checked out during the build: the first files are named, then how many more."""
    output = tmp_path / "site"

    def check_out() -> None:
        for number in range(12):
            (minimal_copy / f"content/news/item-{number:02}.en.md").write_text("x\n", "utf-8")

    change_while_planning(monkeypatch, check_out)
    with pytest.raises(InputsChangedError) as failure:
        build_once(minimal_copy, output)
    problems = failure.value.problems
    assert [problem.location.path for problem in problems] == [
        *(f"content/news/item-{number:02}.en.md" for number in range(10)),
        "content/news/item-10.en.md",
    ]
    assert problems[-1].message == "and 2 more input files changed; nothing was published"
    assert {problem.code for problem in problems} == {CHANGED}
    assert not output.exists()


def test_a_record_half_written_when_read_is_named(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record is read while it is half-written, and completed just after: whatever the half
    made of it (here a problem), the build also says that the file changed, and publishes
    nothing."""
    output = tmp_path / "site"
    build_once(minimal_copy, output)
    before = snapshot(output)
    record = minimal_copy / MISHKIN
    whole = record.read_text("utf-8").replace("GRU", "GRU (military intelligence)")
    record.write_text(whole[: whole.index("sanctions:")], "utf-8")  # the editor is saving it
    load_repository = build.load_repository

    def reading(*args: Any, **options: Any) -> Any:
        try:
            return load_repository(*args, **options)
        finally:
            record.write_text(whole, "utf-8")  # saved

    monkeypatch.setattr(build, "load_repository", reading)
    with pytest.raises(BuildError) as failure:
        build_once(minimal_copy, output)
    problems = failure.value.problems
    assert problems[0].format() == CHANGES["rewritten"][0]
    assert len(problems) > 1  # what the half-written record looked like
    assert snapshot(output) == before


def test_a_file_rewritten_alike_just_before_is_compared_by_its_bytes(minimal_copy: Path) -> None:
    """A file changed in the same clock tick as the build first saw it keeps its stat: files
    changed just before the build are compared by their bytes (here the digest the build saw
    is made to differ, as a second write in that tick would)."""
    templates = templates_for(minimal_copy)
    inputs = Inputs(None, minimal_copy, templates)
    sources = sources_digest(minimal_copy, templates, inputs)
    input_digest(minimal_copy, sources, TODAY, False, None, inputs)
    inputs.complete = True
    assert inputs.changes() == []
    path = str(minimal_copy / MISHKIN)
    stat, _ = inputs.seen[path]
    inputs.seen[path] = (stat, bytes(16))
    assert [problem.format() for problem in inputs.changes()] == [CHANGES["rewritten"][0]]
    inputs.started_ns = time.time_ns() + 10 * RACY_NS  # long after the file last changed:
    assert inputs.changes() == []  # its stat is trusted


# -- a failed build leaves no half-built copy --------------------------------------------------


def fail_in_writer(monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> list[str]:
    """The next file the publisher writes (after the pages) fails with ``failure``; the list
    returned gets its name."""
    failed: list[str] = []

    def failing(publisher: Publisher, path: str, data: bytes) -> None:
        failed.append(path)
        raise failure

    monkeypatch.setattr(Publisher, "write", failing)
    return failed


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), build.WriteError),
        (KeyboardInterrupt(), KeyboardInterrupt),
        (RuntimeError("a bug in the writer"), RuntimeError),
    ],
    ids=["full-disk", "ctrl-c", "bug"],
)
def test_a_failed_write_removes_the_copy_being_built(
    minimal_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    raised: type[BaseException],
) -> None:
    output = tmp_path / "site"
    build_once(minimal_copy, output)
    edit(minimal_copy / MISHKIN, "Salisbury attack", "Salisbury attack of 2018")
    build_once(minimal_copy, output)  # the site before is the spare copy, kept for the next
    before = snapshot(output)
    assert siblings(output) == [".site.previous", "repo", "site"]
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    failed = fail_in_writer(monkeypatch, failure)
    with pytest.raises(raised):
        build_once(minimal_copy, output)
    assert failed, "nothing was written"
    assert snapshot(output) == before
    assert siblings(output) == ["repo", "site"]  # neither the half-built copy nor the lock
    monkeypatch.undo()
    build_once(minimal_copy, output)
    assert "military intelligence" in (output / PAGE).read_text("utf-8")


def test_a_failure_in_a_worker_removes_the_copy_being_built(
    minimal_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOIMPUNITY_JOBS", "2")  # pages are written by forked workers
    output = tmp_path / "site"
    build_once(minimal_copy, output)
    before = snapshot(output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    from generator import render

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(render, "write_file", full)
    with pytest.raises(build.WriteError):
        build_once(minimal_copy, output)
    assert snapshot(output) == before
    assert siblings(output) == ["repo", "site"]


def test_a_build_stopped_by_the_records_keeps_the_spare_copy(
    minimal_copy: Path, tmp_path: Path
) -> None:
    """Before the spare copy is touched it is still the site before, whole: it is kept."""
    output = tmp_path / "site"
    build_once(minimal_copy, output)
    edit(minimal_copy / MISHKIN, "GRU", "GRU (military intelligence)")
    build_once(minimal_copy, output)
    spare = snapshot(tmp_path / ".site.previous")
    edit(minimal_copy / MISHKIN, "2019-01-21", "2019-02-30")
    with pytest.raises(BuildError):
        build_once(minimal_copy, output)
    assert snapshot(tmp_path / ".site.previous") == spare
    assert siblings(output) == [".site.previous", "repo", "site"]
