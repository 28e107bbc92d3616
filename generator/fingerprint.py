"""Fingerprints: short hashes of everything an output depends on.

The build cache and the output manifest are keyed on them, so a cached value can only be reused
when its inputs are byte for byte the same: the input files, the templates, the content pages,
the build date and the generator itself (its code, its catalogs and its libraries' versions).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.cache import write_atomic
from generator.layout import CONTENT, DESIGNATIONS

PACKAGE = Path(__file__).resolve().parent
# Libraries whose output ends up in the site: a new version may change a page.
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "babel", "pagefind")


def digest(*parts: bytes | str) -> str:
    """A 128-bit BLAKE2b hex digest of the parts (each length-prefixed, so none can blur)."""
    state = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        state.update(len(data).to_bytes(8, "little"))
        state.update(data)
    return state.hexdigest()


def object_digest(value: Any) -> str:
    """The digest of a value made of model objects, tuples, dicts, strings and dates."""
    return digest(pickle.dumps(value, protocol=5))


def tree_digest(folder: Path, index: FileIndex | None = None) -> str:
    """Every file under ``folder``: its path and its bytes (an absent folder has a digest too).

    With an ``index``, a file whose size, times and inode are unchanged is not read again.
    """
    state = hashlib.blake2b(digest_size=16)
    for name in tree_files(str(folder), ""):
        path = f"{folder}/{name}"
        content = index.digest(path) if index else _read(path)
        for part in (name.encode("utf-8"), content):
            state.update(len(part).to_bytes(8, "little"))
            state.update(part)
    return state.hexdigest()


def file_digest(data: bytes) -> str:
    """The digest of a file's bytes (as the index keeps it)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:  # noqa: PTH123 - thousands of files
        return handle.read()


# A file's identity as the index knows it: size, modification and change times, inode, device.
Stat = tuple[int, int, int, int, int]
# A file modified this close to the moment the index was saved may have changed again within
# the same clock tick without its times showing it ("racily clean", as git calls it): such
# files are always read.
RACY_NS = 2_000_000_000


class FileIndex:
    """Digests of input files, trusted while a file's size, times and inode are unchanged.

    Any write to a file changes its change time (``ctime``), which no tool can set back, so a
    file with the same ``stat`` as when it was hashed still has the same bytes (git's index
    relies on the same). Kept in the build cache; without one, every file is read.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.saved_ns, self.entries = 0, {}
        if path is not None:
            try:
                self.saved_ns, self.entries = pickle.loads(path.read_bytes())
            except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
                self.saved_ns, self.entries = 0, {}
        self.changed = False

    def digest(self, path: str) -> bytes:
        info = os.stat(path)  # noqa: PTH116 - thousands of files
        stat = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        known = self.entries.get(path)
        trusted = max(info.st_mtime_ns, info.st_ctime_ns) < self.saved_ns - RACY_NS
        if known is not None and known[0] == stat and trusted:
            return bytes.fromhex(known[1])
        content = file_digest(_read(path))
        if known is None or known != (stat, content):
            self.entries[path] = (stat, content)
            self.changed = True
        return bytes.fromhex(content)

    def save(self) -> None:
        if self.path is not None and (self.changed or not self.saved_ns):
            write_atomic(self.path, pickle.dumps((time.time_ns(), self.entries), protocol=5))
            self.changed = False


def tree_files(top: str, prefix: str) -> list[str]:
    """Relative paths of the files under ``top``, sorted, skipping ``__pycache__``."""
    try:
        entries = sorted(os.scandir(top), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found: list[str] = []
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                found += tree_files(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            found.append(prefix + entry.name)
    return found


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def code_version() -> str:
    """The generator's code, catalogs and library versions: any change invalidates the cache."""
    libraries = [f"{name}={_version(name)}" for name in LIBRARIES]
    return digest(tree_digest(PACKAGE), sys.version, *libraries)


def sources_digest(root: Path, templates: Path, index: FileIndex | None = None) -> str:
    """The templates and content/: what every page may show besides the records."""
    return digest(tree_digest(templates, index), tree_digest(root / CONTENT, index))


def input_digest(
    root: Path,
    sources: str,
    today: dt.date,
    strict: bool,
    revision: str | None,
    index: FileIndex | None = None,
) -> str:
    """Everything a build reads (``sources`` from ``sources_digest``): equal digests give equal
    sites."""
    return digest(
        code_version(),
        sources,
        tree_digest(root / DESIGNATIONS, index),
        today.isoformat(),
        str(strict),
        revision or "",
    )
