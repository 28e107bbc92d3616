"""One build at a time per output folder: a lock file beside it, held for the whole build.

Two builds of one site share its spare copy (publish.py): each empties and fills it while the
other does, and what they publish is a mix of both, or fails on a file or folder the other made
or deleted ("File exists", a page reported lost as if by a bug). So a build takes the lock of
its output folder before it looks at the published site, and keeps it until the new site is
published or abandoned; a second build waits a few seconds for it, then gives up with ``BusyError``,
which names the holder.

The lock is ``.<name>.lock`` beside the output folder, where the spare copy lives, rather than
in the build cache: every build writing that folder passes there, with or without a cache and
wherever ``NOIMPUNITY_CACHE_DIR`` points. flock(2) makes it correct: the kernel releases it when
its holder dies, however it dies, so a killed build's lock is free at once. The file holds the
holder's pid and host, for the message; where flock is unavailable (no ``fcntl``, or a
filesystem that refuses it) the file alone is the lock, and one whose pid is dead on this host is
stale: it is taken over. The holder deletes the file when it is done.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # not POSIX: the file alone is the lock
    fcntl = None

# How long a build waits for the one holding its output folder, and how often it looks.
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05
# Where flock(2) cannot be used: the lock file is then made exclusively (O_EXCL), and a file
# that names no holder (its maker died before writing it) is stale after this long.
USE_FLOCK = fcntl is not None
UNNAMED_STALE_SECONDS = 2.0
# What flock(2) answers on a filesystem that cannot lock (NFS without a lock daemon, FUSE).
_CANNOT_LOCK = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL}


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a lock, as its file says."""

    pid: int
    host: str

    def __str__(self) -> str:
        return f"pid {self.pid}" if self.host == _host() else f"pid {self.pid} on {self.host}"

    def dead(self) -> bool:
        """True when the holder is known to be gone: its pid runs nothing on this host."""
        return self.host == _host() and not _alive(self.pid)


class BusyError(Exception):
    """Another build held the lock for longer than the wait."""

    def __init__(self, path: Path, holder: Holder | None) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"{path} is held by {holder or 'another build'}")


class Lock:
    """A lock taken (see ``acquire``); ``release`` (or leaving a ``with`` block) gives it up."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        """Delete the file, then close it (which releases the flock): a build waiting on the
        deleted file sees that it is gone and locks the next one (see ``_lock``)."""
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is None:
            return
        try:
            if _same_file(descriptor, self.path):
                with contextlib.suppress(OSError):  # a folder made read-only: left, and free
                    self.path.unlink()
        finally:
            os.close(descriptor)

    def __enter__(self) -> Lock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def lock_path(output: Path) -> Path:
    """The lock file of the output folder ``output``, beside it (as its spare copy is)."""
    target = output.resolve()
    return target.parent / f".{target.name}.lock"


def acquire(output: Path, wait: float | None = None) -> Lock:
    """Take the lock of ``output``, waiting up to ``wait`` seconds (``WAIT_SECONDS``) for the
    build holding it; ``BusyError`` when it is still held then, OSError when the lock file cannot be
    made (its folder is made when missing)."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    flock = USE_FLOCK
    while True:
        descriptor = None
        if flock:
            try:
                descriptor = _lock(path)
            except _CannotLockError:
                flock = False
                continue
        else:
            descriptor = _create(path)
        if descriptor is not None:
            _write_holder(descriptor)
            return Lock(path, descriptor)
        if time.monotonic() >= deadline:
            raise BusyError(path, read_holder(path))
        time.sleep(POLL_SECONDS)


def read_holder(path: Path) -> Holder | None:
    """The holder named in the lock file, or None (no file, or not yet written)."""
    try:
        words = path.read_text("utf-8", errors="replace").split()
    except OSError:
        return None
    if not words or not words[0].isdigit():
        return None
    return Holder(int(words[0]), words[1] if len(words) > 1 else "")


class _CannotLockError(Exception):
    """flock(2) does not work on this filesystem."""


def _lock(path: Path) -> int | None:
    """The lock file opened and flock-ed, or None while another process holds it."""
    assert fcntl is not None
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        except OSError as failure:
            os.close(descriptor)
            if failure.errno in _CANNOT_LOCK:
                raise _CannotLockError from failure
            raise
        except BaseException:
            os.close(descriptor)
            raise
        if _same_file(descriptor, path):
            return descriptor
        os.close(descriptor)  # its holder deleted it as it finished: lock the next one


def _create(path: Path) -> int | None:
    """Without flock: the lock file made exclusively, or None while a live holder has it. A
    stale one (its pid dead on this host) is deleted, and made again."""
    while True:
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except FileExistsError:
            if not _stale(path):
                return None
        # Two builds finding the same stale file could both delete it, the second deleting the
        # file the first just made: a narrow race that only flock closes.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _stale(path: Path) -> bool:
    holder = read_holder(path)
    if holder is not None:
        return holder.dead()
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return True  # gone meanwhile: try again
    return age > UNNAMED_STALE_SECONDS


def _write_holder(descriptor: int) -> None:
    """Put this process's pid and host in the lock file: written first, then cut to length, so
    that a reader never finds it empty when it named an earlier holder."""
    data = f"{os.getpid()} {_host()}\n".encode()
    os.pwrite(descriptor, data, 0)
    os.ftruncate(descriptor, len(data))


def _same_file(descriptor: int, path: Path) -> bool:
    """True while ``path`` is still the file open as ``descriptor``."""
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _alive(pid: int) -> bool:
    """True unless no process has this pid (or it cannot be told: not POSIX)."""
    if pid <= 0:
        return False
    if os.name != "posix":  # os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _host() -> str:
    return socket.gethostname() or "localhost"
