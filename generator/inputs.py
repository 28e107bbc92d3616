"""The build's input files (content/, designations/, the templates): fingerprinted once, and
checked at the end, so that what is published was read whole.

An input file that changes while the build runs (a record being saved) stops it before
publishing, naming the file (``changed-during-build``), for the pages would show a half-written
record.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.errors import BuildError, Location, Problem
from generator.fingerprint import RACY_NS, FileIndex, Stat, file_digest, tree_files
from generator.layout import CONTENT, DESIGNATIONS
from generator.publish import filename_of

# Files named at most in the problems (a sync tool may change thousands at once).
NAMED = 10


class InputsChangedError(BuildError):
    """Input files changed while the build read them: nothing was published."""


class Inputs(FileIndex):
    """The build's index of its input files (content/, designations/, the templates), which
    also keeps what the build first saw of each: its ``stat`` and digest.

    Each file is first seen when the inputs are fingerprinted, before anything reads it for the
    site; if every file still has that ``stat`` when the site is complete (``check``), nothing
    changed in between, so what was read is what the fingerprint describes. Any write changes a
    file's change time (or its size), so a record saved during the build shows; a file last
    changed just before the build started (as git would say, "racily clean") is read again and
    its bytes compared. Hidden files are left out: the build never reads them, and an editor
    writes its swap files there.
    """

    def __init__(self, path: Path | None, root: Path, templates: Path) -> None:
        super().__init__(path)
        self.started_ns = time.time_ns()
        self.seen: dict[str, tuple[Stat, bytes]] = {}
        self.complete = False  # every input was fingerprinted
        self.folders = {
            str(templates): shown_path(templates, root),
            str(root / CONTENT): CONTENT,
            str(root / DESIGNATIONS): DESIGNATIONS,
        }

    def digest(self, path: str) -> bytes:
        content = super().digest(path)
        if path not in self.seen:  # FileIndex.digest leaves the stat it read in the entry
            self.seen[path] = (self.entries[path][0], content)
        return content

    def check(self) -> None:
        """``InputsChangedError`` when an input changed, appeared or disappeared."""
        changed = self.changes()
        if changed:
            raise InputsChangedError(changed)

    def changes(self) -> list[Problem]:
        """The input files changed since they were first seen, as problems (once all are seen)."""
        if not self.complete:
            return []
        found: list[tuple[str, str]] = []
        for folder, label in self.folders.items():
            prefix = f"{folder}/"
            now = {name for name in tree_files(folder, "") if not _hidden(name)}
            seen = {path.removeprefix(prefix) for path in self.seen if path.startswith(prefix)}
            for name in sorted(now | {name for name in seen if not _hidden(name)}):
                what = self._compare(prefix + name, name in now, name in seen)
                if what:
                    found.append((f"{label}/{name}", what))
        return changed_problems(found)

    def explain(self, failure: OSError) -> list[Problem]:
        """Problems for an OSError met while reading: the inputs that changed, when the error is
        about one of them (a file deleted between being listed and being read)."""
        name = filename_of(failure)
        folder = next((f for f in self.folders if name and name.startswith(f"{f}/")), None)
        if name is None or folder is None:
            return []
        if self.complete:
            return self.changes()
        if isinstance(failure, FileNotFoundError):
            label = f"{self.folders[folder]}/{name.removeprefix(f'{folder}/')}"
            return changed_problems([(label, "disappeared")])
        return []

    def _compare(self, path: str, exists: bool, seen: bool) -> str:
        """How the file at ``path`` changed since it was first seen ("" when it did not)."""
        if not seen:
            return "appeared"
        if not exists:
            return "disappeared"
        stat, content = self.seen[path]
        try:
            info = os.stat(path)  # noqa: PTH116 - as in FileIndex.digest
        except FileNotFoundError:
            return "disappeared"
        now = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        if now != stat:
            return "changed"
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self.started_ns - RACY_NS:
            with open(path, "rb") as handle:  # noqa: PTH123 - as in fingerprint._read
                if bytes.fromhex(file_digest(handle.read())) != content:
                    return "changed"
        return ""


def changed_problems(found: list[tuple[str, str]]) -> list[Problem]:
    """``changed-during-build`` problems for (file, how it changed): the first ``NAMED`` files,
    then how many more."""
    named = [(path, f"{_CHANGES[what]}; nothing was published") for path, what in found[:NAMED]]
    if len(found) > NAMED:
        more = f"and {len(found) - NAMED} more input files changed; nothing was published"
        named.append((found[NAMED][0], more))
    return [
        Problem(Location(path), "changed-during-build", "", message, _AGAIN)
        for path, message in named
    ]


_CHANGES = {
    "changed": "changed while the build read it",
    "appeared": "appeared while the build read the repository",
    "disappeared": "disappeared while the build read it",
}
_AGAIN = "build again"


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the repository when it is inside it, as problems name files."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))
