"""Fingerprints: short hashes of everything an output depends on.

The build cache and the output manifest are keyed on them, so a cached value can only be reused
when its inputs are byte for byte the same: the input files, the templates, the content pages,
the build date and the generator itself (its code, its catalogs and its libraries' versions).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
# Libraries whose output ends up in the site: a new version may change a page.
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "babel", "pagefind", "followthemoney")


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


def tree_digest(folder: Path) -> str:
    """Every file under ``folder``: its path and its bytes (an absent folder has a digest too)."""
    state = hashlib.blake2b(digest_size=16)
    for name in _files(str(folder), ""):
        with open(f"{folder}/{name}", "rb") as handle:  # noqa: PTH123 - thousands of files
            data = handle.read()
        for part in (name.encode("utf-8"), data):
            state.update(len(part).to_bytes(8, "little"))
            state.update(part)
    return state.hexdigest()


def _files(top: str, prefix: str) -> list[str]:
    """Relative paths of the files under ``top``, sorted, skipping ``__pycache__``."""
    try:
        entries = sorted(os.scandir(top), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found: list[str] = []
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                found += _files(entry.path, f"{prefix}{entry.name}/")
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


def input_digest(
    root: Path, templates: Path, today: dt.date, strict: bool, revision: str | None
) -> str:
    """Everything a build reads: equal digests give equal sites."""
    return digest(
        code_version(),
        tree_digest(templates),
        tree_digest(root / "content"),
        tree_digest(root / "designations"),
        today.isoformat(),
        str(strict),
        revision or "",
        str(importlib.util.find_spec("followthemoney") is not None),
    )
