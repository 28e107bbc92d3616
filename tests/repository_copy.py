"""A throwaway copy of the repository's own site inputs, with their git history.

For the tests that build the real site (test_offline.py, test_reproducible.py) without touching
the repository: a build writes its cache (``.cache/``) into the folder it builds, and a copy
starts without one, so every step of the build runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO

# Laid over the clone from the work tree, so that uncommitted inputs are built too.
INPUTS = ("content", "designations", "templates")


def repository_copy(root: Path, mtime: int | None = None) -> Path:
    """``git clone --shared`` of the repository at ``root`` (its history included, its objects
    borrowed), with the work tree's inputs laid over it; every file's mtime set to ``mtime``."""
    root.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "clone", "--quiet", "--shared", str(REPO), str(root)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    for name in INPUTS:
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns(".cache"))
    if mtime is not None:
        for path in [root, *root.rglob("*")]:
            if path.relative_to(root).parts[:1] != (".git",):
                os.utime(path, (mtime, mtime), follow_symlinks=False)
    return root
