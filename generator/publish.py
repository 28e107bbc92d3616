"""The publish stage: bring a spare copy of the site up to date, then swap it into place.

Two complete trees live side by side: the published ``site/`` and, beside it, the hidden
``.site.previous/`` holding the build before (kept only when the build cache is on). A build
updates the spare tree — writing only the files whose fingerprint changed, hard-linking those
the published tree already has right, deleting files no longer produced — and then exchanges
the two directories with a single ``renameat2(RENAME_EXCHANGE)`` call (two renames where the
kernel lacks it). Until that moment the published site is untouched: a failed or killed build
leaves it as it was.

Each tree has a manifest (in the cache folder, named after the directory's inode, which moves
with it through the exchange): for every file its fingerprint, size and modification time. A
file counts as right only when its fingerprint matches and it still has that size and time, so
a file edited or deleted by hand is rewritten. A tree whose manifest is missing (the build that
was updating it was interrupted), or whose top folder changed since it was written (a new
folder on a reused inode), is emptied first.

A build that fails once it has begun changing the spare tree deletes it (``abandon``): it is
half-built, a build that ran out of space filled the disk with it, and its manifest is gone, so
the next build would empty it anyway. A build that fails before (on a problem in the records)
keeps it: it is still the site before, whole, and spares the next build its work.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import pickle
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from generator.cache import write_atomic

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
MANIFEST_VERSION = 2


@dataclass(frozen=True, slots=True)
class Planned:
    """A file the build will publish and the fingerprint of what it depends on."""

    path: str
    key: str


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path under site/ and its bytes. Here, below every stage
    that makes files (render, the exports, search), so that none of them imports another."""

    path: str
    data: bytes


# A published file as recorded: (fingerprint, size, modification time in ns); plain tuples,
# which pickle fast.
Entry = tuple[str, int, int]
Manifest = dict[str, Entry]


def write_file(path: Path, data: bytes) -> None:
    """Write a new file at ``path``, never in place (the old one may be linked to the other
    tree)."""
    with naming(path), new_file(path) as handle:
        handle.write(data)


def new_file(path: Path) -> BinaryIO:
    """``path`` opened as a new file: any old one unlinked first, folders made when missing."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    try:
        return path.open("xb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("xb")


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """Give ``path`` to an OSError raised inside that names no file (a failed write or close:
    "No space left on device"), so that the message can say which file."""
    try:
        yield
    except OSError as failure:
        if failure.filename is not None or failure.errno is None:
            raise
        raise OSError(failure.errno, failure.strerror, str(path)) from failure


def filename_of(failure: OSError, second: bool = False) -> str | None:
    """The (first or second) file an OSError names, as text."""
    name = failure.filename2 if second else failure.filename
    if name is None:
        return None
    return os.fsdecode(name) if isinstance(name, str | bytes) else str(name)


class IncompleteError(Exception):
    """Planned files missing from the spare tree when it is to be published (a bug)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"{len(missing)} planned files were not written: {missing[:3]}")
        self.missing = missing


class Publisher:
    """Publishes a planned set of files at ``target``, reusing what is already right.

    ``state`` is the folder keeping the manifests (in the build cache); without it nothing is
    reused: every file is produced and the old tree is deleted after the swap.
    """

    def __init__(self, target: Path, state: Path | None) -> None:
        self.target = target.resolve()
        self.state = state
        self.spare = self.target.parent / f".{self.target.name}.previous"
        self.current, self._memo = self._read_manifest(self.target)
        self.written = 0
        self.linked = 0
        self.deleted: set[str] = set()  # the folders that held files deleted by prepare
        self.changing = False  # the spare tree is half-built: from ``prepare`` to the swap

    # -- manifests ---------------------------------------------------------------------------

    def _manifest_path(self, tree: Path) -> Path | None:
        if self.state is None:
            return None
        try:
            info = tree.stat()
        except FileNotFoundError:
            return None
        return self.state / f"tree-{info.st_dev}-{info.st_ino}.pickle"

    def _read_manifest(self, tree: Path) -> tuple[Manifest, Any]:
        """A tree's files as recorded, and what the build that made it remembered."""
        path = self._manifest_path(tree)
        if path is None:
            return {}, None
        try:
            version, stamp, memo, files = pickle.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
            return {}, None
        if version != MANIFEST_VERSION or not isinstance(files, dict) or stamp != _stamp(tree):
            return {}, None
        return files, memo

    def _manifest(self, tree: Path) -> Manifest:
        return self._read_manifest(tree)[0]

    def _write_manifest(self, tree: Path, files: Manifest, memo: Any) -> None:
        path = self._manifest_path(tree)
        if path is not None:
            record = (MANIFEST_VERSION, _stamp(tree), memo, files)
            write_atomic(path, pickle.dumps(record, protocol=5))

    def _forget(self, tree: Path) -> None:
        path = self._manifest_path(tree)
        if path is not None:
            path.unlink(missing_ok=True)

    @staticmethod
    def _holds(tree: Path, path: str, entry: Entry | None, key: str) -> bool:
        """True when ``tree`` has ``path`` as recorded and the recorded fingerprint is ``key``."""
        if entry is None or entry[0] != key:
            return False
        try:
            info = os.stat(f"{tree}/{path}")  # noqa: PTH116 - tens of thousands of calls
        except OSError:
            return False
        return info.st_size == entry[1] and info.st_mtime_ns == entry[2]

    # -- the build -----------------------------------------------------------------------------

    def remembered(self, fingerprint: str) -> Any:
        """What the published build remembered (see ``publish``) if it was made from inputs
        with this fingerprint and every file of it is intact; else None."""
        memo = self._memo
        if not isinstance(memo, tuple) or not memo or memo[0] != fingerprint:
            return None
        intact = all(
            self._holds(self.target, path, entry, entry[0]) for path, entry in self.current.items()
        )
        return memo[1:] if intact else None

    def remember(self, memo: Any) -> None:
        """Record ``memo`` with the published tree (it was already right)."""
        self._write_manifest(self.target, self.current, memo)

    def unchanged(self, planned: list[Planned]) -> bool:
        """True when the published site is exactly the planned one: nothing to do."""
        if len(self.current) != len(planned) or not self.target.is_dir():
            return False
        return all(
            self._holds(self.target, item.path, self.current.get(item.path), item.key)
            for item in planned
        )

    def prepare(self, planned: list[Planned]) -> list[Planned]:
        """Bring the spare tree as close to ``planned`` as it gets for free; return the rest.

        Files the spare tree already holds stay; files the published tree holds are linked in;
        files not planned are deleted. What is returned must be produced and written with
        ``write`` (or ``write_file`` under ``staging``) before ``publish``.
        """
        self.target.parent.mkdir(parents=True, exist_ok=True)
        spare = self._manifest(self.spare) if self.spare.is_dir() else {}
        self.changing = True
        self._forget(self.spare)  # the spare tree is now being changed: unknown if interrupted
        if not spare:
            _remove_tree(self.spare)
            self.spare.mkdir()
        else:
            self.spare.chmod(0o755)  # was published: the site may have been made read-only
        wanted = {item.path for item in planned}
        for path in spare.keys() - wanted:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.spare}/{path}")  # noqa: PTH108 - as in _link
                self.deleted.add(os.path.dirname(path))  # noqa: PTH120 - a str, as the paths
        needed = []
        for item in planned:
            if self._holds(self.spare, item.path, spare.get(item.path), item.key):
                continue
            if self._holds(self.target, item.path, self.current.get(item.path), item.key):
                self._link(item.path)
                continue
            needed.append(item)
            if item.path in spare:  # its old version goes: a file not produced is then missed
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.spare}/{item.path}")  # noqa: PTH108 - as in _link
        return needed

    @property
    def staging(self) -> Path:
        return self.spare

    def _link(self, path: str) -> None:
        source, destination = f"{self.target}/{path}", f"{self.spare}/{path}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(destination)  # noqa: PTH108 - string paths: tens of thousands of calls
        try:
            os.link(source, destination)
        except FileNotFoundError:
            Path(destination).parent.mkdir(parents=True, exist_ok=True)
            os.link(source, destination)
        self.linked += 1

    def write(self, path: str, data: bytes) -> None:
        write_file(self.spare / path, data)
        self.written += 1

    def write_chunks(self, path: str, chunks: Iterable[bytes]) -> tuple[int, str]:
        """Write a file made in pieces; return its size and SHA-256."""
        state, size = hashlib.sha256(), 0
        target = self.spare / path
        with naming(target), new_file(target) as handle:
            for chunk in chunks:
                handle.write(chunk)
                state.update(chunk)
                size += len(chunk)
        self.written += 1
        return size, state.hexdigest()

    def publish(self, planned: list[Planned], memo: Any) -> None:
        """Record the spare tree's manifest and swap it with the published one.

        ``memo`` (starting with the inputs' fingerprint) is kept with the manifest and handed
        back by ``remembered`` to a build with the same inputs.
        """
        manifest = self._record(planned)
        _remove_empty_folders(self.spare, self.deleted)
        self.spare.chmod(0o755)
        self._write_manifest(self.spare, manifest, memo)
        _swap(self.spare, self.target)
        self.changing = False  # the spare tree is the previous site, whole, with its manifest
        if self.state is None:
            shutil.rmtree(self.spare, ignore_errors=True)

    def _record(self, planned: list[Planned]) -> Manifest:
        """The spare tree's manifest; ``IncompleteError`` when a planned file was not written."""
        manifest: Manifest = {}
        missing = []
        for item in planned:
            try:
                info = os.stat(f"{self.spare}/{item.path}")  # noqa: PTH116 - as in _holds
            except FileNotFoundError:
                missing.append(item.path)
                continue
            manifest[item.path] = (item.key, info.st_size, info.st_mtime_ns)
        if missing:
            raise IncompleteError(missing)
        return manifest

    def abandon(self) -> None:
        """After any failure (an interruption too): delete the spare tree if it is half-built,
        or if there is no cache to reuse it with; else it is the previous site, kept."""
        if self.state is not None and not self.changing:
            return
        self._forget(self.spare)
        _discard(self.spare)
        self.changing = False


def _stamp(tree: Path) -> int:
    """When the top folder of ``tree`` last changed. A manifest is named after its tree's inode,
    which the kernel reuses once the tree is deleted (by ``--no-cache``, or by hand): a folder
    made since has another stamp, so the old tree's manifest is not taken for its own."""
    try:
        return os.stat(tree).st_mtime_ns  # noqa: PTH116 - as in _holds
    except OSError:
        return -1


def _remove_tree(tree: Path) -> None:
    """Delete ``tree`` if it exists; a file that cannot be deleted is an error naming it
    (shutil.rmtree's errors name only the last part of the path)."""
    if tree.is_symlink() or (tree.exists() and not tree.is_dir()):
        tree.unlink()
        return
    if not tree.exists():
        return
    tree.chmod(0o755)
    for folder, folders, files in os.walk(tree, topdown=False):
        for name in files:
            os.unlink(f"{folder}/{name}")  # noqa: PTH108 - string paths, as in _link
        for name in folders:
            path = f"{folder}/{name}"
            if os.path.islink(path):  # noqa: PTH114
                os.unlink(path)  # noqa: PTH108
            else:
                os.rmdir(path)  # noqa: PTH106
    tree.rmdir()


def _discard(tree: Path) -> None:
    """Delete ``tree`` as far as possible, never failing: a folder left read-only (the site may
    have been published so) is made writable to empty it."""

    def retry(function: Any, path: str, failure: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o755)  # noqa: PTH101, PTH120
            function(path)

    if tree.is_symlink() or tree.is_file():
        with contextlib.suppress(OSError):
            tree.unlink()
    elif tree.is_dir():
        shutil.rmtree(tree, onerror=retry)


def _remove_empty_folders(tree: Path, folders: set[str]) -> None:
    """Folders left empty by deleted files (a subject page that is gone), from those that held
    them upwards: walking the whole tree took 0.2 s at 10,000 records."""
    for deepest in sorted(folders, key=lambda path: -path.count("/")):
        folder = deepest
        while folder:
            try:
                os.rmdir(f"{tree}/{folder}")  # noqa: PTH106 - as in _link
            except OSError:
                break  # not empty (or gone with a folder below): the folders above stay too
            folder = os.path.dirname(folder)  # noqa: PTH120


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; afterwards ``staging`` holds the old site (or nothing)."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        return
    old = target.parent / f".{target.name}.swap"
    shutil.rmtree(old, ignore_errors=True)
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)  # the published site stays in place
        raise
    old.rename(staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically with Linux's renameat2; False where unavailable."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2: Any = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
