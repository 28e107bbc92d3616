"""Stage 4, write: files -> a fresh directory beside the output, swapped into place in one step.

The new site is written completely into a temporary sibling directory (same file system), then
exchanged with the old one by a single ``renameat2(RENAME_EXCHANGE)`` call where the kernel
offers it (Linux), or by two renames otherwise. Until that moment the previous site is untouched;
if anything fails or the build is interrupted, the temporary directory is removed and the old
site stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.render import Output

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_site(outputs: Iterable[Output], static: Path | None, target: Path) -> int:
    """Write the outputs and the static folder, publish them at ``target``; return the count."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _staging(target) as staging:
        count = 0
        for output in outputs:
            _write_file(staging / output.path, output.data)
            count += 1
        if static is not None and static.is_dir():
            count += _copy_tree(static, staging / "static")
        _publish(staging, target)
    return count


@contextlib.contextmanager
def _staging(target: Path) -> Iterator[Path]:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy_tree(source: Path, destination: Path) -> int:
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            _write_file(destination / path.relative_to(source), path.read_bytes())
            count += 1
    return count


def _publish(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; afterwards ``staging`` holds the old site (or nothing)."""
    staging.chmod(0o755)
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    staging.rename(target)
    old.rename(staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically with Linux's renameat2; False where unavailable."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
