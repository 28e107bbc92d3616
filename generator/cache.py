"""The build cache (``.cache/`` in the repository): values keyed by the digest of their inputs.

A store is one pickle file holding ``{key: value}``; keys are fingerprints of everything the
value was computed from (see fingerprint.py), so an entry is either exactly right or never
looked up again. Each build keeps only the entries it used, so a store does not grow without
bound. Files are replaced atomically; a missing, corrupt or foreign file is an empty store.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.layout import CACHE

# Where the cache lives instead of ROOT/.cache (the tests keep it out of their fixtures).
FOLDER_VARIABLE = "NOIMPUNITY_CACHE_DIR"
_MISSING = object()


def folder_for(root: Path) -> Path:
    """The cache folder of the repository at ``root``."""
    configured = os.environ.get(FOLDER_VARIABLE, "").strip()
    return Path(configured) if configured else root / CACHE


class Store:
    """One named store of the cache; ``folder=None`` keeps nothing between builds.

    Entries are spread over up to 256 shard files by their key's first two hex digits, so that
    a build that changes one entry rewrites one small file.
    """

    @classmethod
    def open(cls, folder: Path | None, name: str) -> Store:
        """The store, read from disk once per process: a long-lived process (the preview
        server) keeps it in memory from one build to the next. Its entries are keyed by their
        inputs' fingerprints, so one written meanwhile by another process is never wrong."""
        if folder is None:
            return cls(None, name)
        key = (str(folder), name)
        store = _OPEN.get(key)
        if store is None:
            store = _OPEN[key] = cls(folder, name)
        else:
            store.begin()
        return store

    def __init__(self, folder: Path | None, name: str) -> None:
        self.folder = folder / name if folder else None
        self._shards: dict[str, dict[str, Any]] = self._read()
        self._used: set[str] = set()
        self._dirty: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, dict[str, Any]]:
        if self.folder is None or not self.folder.is_dir():
            return {}
        shards = {}
        for path in self.folder.glob("*.pickle"):
            try:
                with path.open("rb") as handle:
                    entries = pickle.load(handle)
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
                continue  # a damaged shard is an empty one
            if isinstance(entries, dict):
                shards[path.stem] = entries
        return shards

    def begin(self) -> None:
        """Start counting what a new build uses."""
        self._used = set()
        self.hits = self.misses = 0

    def get(self, key: str) -> Any:
        """The value stored under ``key``, or ``None``."""
        value = self._shards.get(key[:2], {}).get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
            return None
        self.hits += 1
        self._used.add(key)
        return value

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value under ``key``, computed and stored when missing."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def put(self, key: str, value: Any) -> None:
        self._shards.setdefault(key[:2], {})[key] = value
        self._used.add(key)
        self._dirty.add(key[:2])

    def save(self) -> None:
        """Write the shards that changed, keeping only the entries this build used."""
        if self.folder is None:
            return
        for name, entries in sorted(self._shards.items()):
            unused = entries.keys() - self._used
            if name not in self._dirty and not unused:
                continue
            for key in unused:
                del entries[key]
            path = self.folder / f"{name}.pickle"
            if entries:
                write_atomic(path, pickle.dumps(entries, protocol=5))
            else:
                path.unlink(missing_ok=True)
        self._dirty.clear()


_OPEN: dict[tuple[str, str], Store] = {}


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
