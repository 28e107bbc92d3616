"""Git: revisions, merge bases and a revision's files (for ``diff`` and ``validate --against``),
and each record's history (for the build).

The working tree is never touched: a commit's ``designations/`` and ``content/`` are written
into a temporary directory. Every failure of git becomes a ``GitError`` saying what to do.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.layout import CONTENT, DESIGNATIONS

if TYPE_CHECKING:  # the build reads head_commit before knowing whether it has work to do
    from generator.model import RecordHistory

MAIN_BRANCHES = ("main", "origin/main")
EXPORTED = (DESIGNATIONS, CONTENT)
MORE_HISTORY = "fetch more history (git fetch --unshallow), or pass BASE explicitly"


class GitError(Exception):
    """Git failed or cannot provide what was asked (a revision, a merge base, the files of a
    commit); the message says what to do."""


@dataclass(frozen=True, slots=True)
class Revision:
    label: str  # Markdown, as shown in the summary's heading
    commit: str | None = None  # None: the working tree


def _quoted(rev: str) -> str:
    return "`" + rev.replace("`", "'") + "`"


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """The output of a git command run in ``root``, None when it fails."""
    try:
        command = ["git", "-C", str(root), *args]
        done = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH: install it first") from None
    return done.stdout if done.returncode == 0 else None


def _git_text(root: Path, *args: str) -> str | None:
    output = _git(root, *args)
    return None if output is None else output.decode().strip()


def head_commit(root: Path) -> str | None:
    """The commit checked out at ``root`` when it is the top of a git work tree, else None."""
    try:
        top = _git_text(root, "rev-parse", "--show-toplevel")
    except GitError:
        return None
    if top is None or Path(top).resolve() != root.resolve():
        return None
    return _git_text(root, "rev-parse", "HEAD")


def commit_day(root: Path, commit: str) -> dt.date | None:
    """The day ``commit`` was made (its committer date, in UTC), None when git cannot say."""
    stamp = _git_text(root, "show", "-s", "--format=%ct", commit)
    if not stamp or not stamp.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()


def check_work_tree(root: Path) -> None:
    if _git_text(root, "rev-parse", "--is-inside-work-tree") != "true":
        raise GitError(
            f"{root} is not in a git working tree: run noimpunity diff in a clone of the"
            " repository, or pass --root"
        )


def _commit(root: Path, rev: str) -> str | None:
    if rev.startswith("-"):
        return None
    return _git_text(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")


def revision(root: Path, rev: str) -> Revision:
    commit = _commit(root, rev)
    if commit is None:
        raise GitError(
            f"unknown revision '{rev}': check the name, or fetch it first (git fetch origin)"
        )
    return Revision(f"{_quoted(rev)} ({commit[:8]})", commit)


def merge_base(root: Path, head: Revision) -> Revision:
    target = head.commit or _commit(root, "HEAD")
    if target is None:
        raise GitError("HEAD has no commit yet: commit first, or pass BASE explicitly")
    branch = next((name for name in MAIN_BRANCHES if _commit(root, name)), None)
    if branch is None:
        raise GitError(
            "no branch main or origin/main to compare with: git fetch origin main,"
            " or pass BASE explicitly"
        )
    found = _git_text(root, "merge-base", branch, target)
    if not found:
        shallow = _git_text(root, "rev-parse", "--is-shallow-repository") == "true"
        where = "this shallow clone" if shallow else "this repository"
        name = head.label if head.commit else "HEAD"
        raise GitError(f"no merge base of {name} and {branch} in {where}: {MORE_HISTORY}")
    return Revision(f"merge base with `{branch}` ({found[:8]})", found)


@contextmanager
def checkout_files(root: Path, revision: Revision) -> Iterator[Path]:
    if revision.commit is None:
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="noimpunity-diff-") as folder:
        _export(root, revision.commit, Path(folder))
        yield Path(folder)


def _export(root: Path, commit: str, target: Path) -> None:
    """Write designations/ and content/ of ``commit`` (paths relative to ``root``) to target."""
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", *EXPORTED)
    entries = []
    for entry in (listing or b"").split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if name and meta.split()[1] == b"blob":
            entries.append((meta.split()[2], os.fsdecode(name)))
    batch = b"".join(oid + b"\n" for oid, _ in entries)
    data = _git(root, "cat-file", "--batch", stdin=batch) if entries else b""
    if listing is None or data is None:
        raise GitError(f"git cannot read the files of {commit[:8]}: {MORE_HISTORY}")
    position = 0
    for oid, path in entries:
        end = data.find(b"\n", position)
        header = data[position:end].split()
        if end < 0 or len(header) != 3:
            raise GitError(f"git cannot read {path} ({oid.decode()}): {MORE_HISTORY}")
        position = end + 1 + int(header[2])
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data[end + 1 : position])
        position += 1


def record_history(root: Path, folder: str = DESIGNATIONS) -> dict[str, RecordHistory] | None:
    """Per record id, its history in the commits of ``folder``; None outside a git tree.

    Deterministic for a given commit: dates are commit dates (UTC days) read from ``git log``.
    """
    from generator.model import RecordHistory  # noqa: PLC0415 - see the import above

    if head_commit(root) is None:
        return None
    output = _git_text(
        root, "log", "--reverse", "--no-renames", "--format=%x1e%cI", "--name-status", "--", folder
    )
    dates: dict[str, list[dt.date]] = {}
    for block in (output or "").split("\x1e"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        day = dt.datetime.fromisoformat(lines[0]).astimezone(dt.UTC).date()
        for line in lines[1:]:
            status, _, path = line.partition("\t")
            stem = Path(path).stem
            if status.startswith("D"):
                dates.pop(stem, None)
            elif path.endswith(".yaml"):
                dates.setdefault(stem, []).append(day)
    return {
        stem: RecordHistory(
            first=days[0], last=days[-1], amended=tuple(sorted({d for d in days if d > days[0]}))
        )
        for stem, days in sorted(dates.items())
    }


def files_at(root: Path, rev: str, folder: str) -> list[str]:
    """The paths under ``folder`` in revision ``rev`` (relative to ``root``)."""
    commit = revision(root, rev).commit
    assert commit is not None
    listing = _git_text(root, "ls-tree", "-r", "--name-only", commit, "--", folder)
    if listing is None:
        raise GitError(f"git cannot list {folder} at {rev}: {MORE_HISTORY}")
    return sorted(line for line in listing.splitlines() if line)
