"""A build needs no network: the repository's own site builds with networking made impossible.

The site is built from a copy of the repository (tests/repository_copy.py: its history and the
work tree's inputs, and no build cache, so that every step runs, Pagefind's indexing included)
in a subprocess, under two layers:

- a network namespace of its own (``unshare --net --map-root-user``) when the kernel allows
  one: nothing there can reach another host, whatever program tries (the ``pagefind`` binary
  and ``git`` included). Not every machine permits it; the test id names the layers that ran.
- always, a guard installed in the Python process before the build starts: the socket calls
  that reach out (``socket.socket.connect``, ``connect_ex`` and ``sendto`` on non-Unix
  sockets, ``socket.create_connection``, ``socket.getaddrinfo``, ``gethostbyname``) record the
  attempt in a file and raise, and every program started through ``subprocess`` (or
  ``os.system``) is recorded and refused unless it is ``git`` or ``pagefind``, the two the
  build is known to run. Python code is thus caught trying; a binary's own attempts are only
  prevented, and only by the namespace.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repository_copy import repository_copy

# The programs a build may start: git (each record's history) and Pagefind (the search index).
ALLOWED = ("git", "pagefind", "pagefind_extended")
UNSHARE = ("unshare", "--net", "--map-root-user")
LOG_VARIABLE = "NOIMPUNITY_OFFLINE_LOG"
ALLOW_VARIABLE = "NOIMPUNITY_OFFLINE_ALLOW"

# Installed by `python -c` before the code in argv[1] runs; argv[2:] become its sys.argv[1:].
GUARD = """\
import errno, os, socket, subprocess, sys

_log = open(os.environ["NOIMPUNITY_OFFLINE_LOG"], "a", encoding="utf-8", buffering=1)
_allowed = set(os.environ["NOIMPUNITY_OFFLINE_ALLOW"].split(","))


def _refuse(what, detail):
    _log.write(f"network {what} {detail!r}\\n")
    raise OSError(errno.ENETUNREACH, f"no network during a build: {what} {detail!r}")


def _guard_method(name):
    original = getattr(socket.socket, name)

    def guarded(self, *args, **kwargs):
        if self.family == getattr(socket, "AF_UNIX", None):
            return original(self, *args, **kwargs)
        _refuse(f"socket.{name}", args)

    setattr(socket.socket, name, guarded)


def _guard_function(name):
    def guarded(*args, **kwargs):
        _refuse(name, args)

    setattr(socket, name, guarded)


for _name in ("connect", "connect_ex", "sendto"):
    _guard_method(_name)
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    _guard_function(_name)

_popen_init = subprocess.Popen.__init__


def _program(args):
    if isinstance(args, (str, bytes, os.PathLike)):
        args = [args]
    return os.path.basename(os.fsdecode(list(args)[0]).split()[0])


def _guarded_popen(self, args, *rest, **kwargs):
    program = _program(kwargs.get("executable") or args)
    _log.write(f"run {program}\\n")
    if program not in _allowed:
        raise PermissionError(f"a build may run only {sorted(_allowed)}, not {program!r}")
    _popen_init(self, args, *rest, **kwargs)


def _guarded_system(command):
    _log.write(f"run {_program(command)} (os.system)\\n")
    raise PermissionError(f"a build may not run {command!r} through os.system")


subprocess.Popen.__init__ = _guarded_popen
os.system = _guarded_system

_code = sys.argv[1]
sys.argv = [sys.argv[0], *sys.argv[2:]]
exec(compile(_code, "<offline>", "exec"))
"""

BUILD = "from generator.cli import main\nmain(prog_name='noimpunity')\n"

# What the guard must catch, without sending anything anywhere (loopback only, and refused
# before any packet leaves).
PROBE = """\
import socket, subprocess
attempts = [
    lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
    lambda: socket.getaddrinfo("localhost", 80),
    lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9)),
    lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9)),
    lambda: subprocess.run(["true"], check=False),
]
for attempt in attempts:
    try:
        attempt()
    except OSError:
        pass
    else:
        raise SystemExit("not refused")
subprocess.run(["git", "--version"], capture_output=True, check=True)
"""


@functools.cache
def namespace_works() -> bool:
    """Whether this machine lets an unprivileged process have a network namespace of its own."""
    if shutil.which(UNSHARE[0]) is None:
        return False
    try:
        done = subprocess.run([*UNSHARE, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def isolation() -> str:
    return "unshare-net+python-guard" if namespace_works() else "python-guard-only"


def run_guarded(
    tmp_path: Path, code: str, *args: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``code`` under the guard (and in a namespace when possible); its result and log."""
    log = tmp_path / "attempts.log"
    log.write_text("", "utf-8")
    env = {**os.environ, LOG_VARIABLE: str(log), ALLOW_VARIABLE: ",".join(ALLOWED)}
    env["SOURCE_DATE_EPOCH"] = "1795392000"  # 2026-11-23, as the other tests' TODAY
    prefix = list(UNSHARE) if namespace_works() else []
    done = subprocess.run(
        [*prefix, sys.executable, "-c", GUARD, code, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, log.read_text("utf-8").splitlines()


def test_the_guard_refuses_and_records_every_attempt(tmp_path: Path) -> None:
    done, log = run_guarded(tmp_path, PROBE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split(" ", 2)[1] for line in log] == [
        "create_connection",
        "getaddrinfo",
        "socket.connect",
        "socket.sendto",
        "true",
        "git",
    ]


@pytest.mark.parametrize("mechanism", [isolation()])
def test_the_site_builds_without_network(tmp_path: Path, mechanism: str) -> None:
    root = repository_copy(tmp_path / "repo")
    output = tmp_path / "site"
    done, log = run_guarded(
        tmp_path,
        BUILD,
        "build",
        "--root",
        str(root),
        "-o",
        str(output),
        "--strict",
        "--quiet",
        "--no-cache",
    )
    assert done.returncode == 0, f"[{mechanism}] the build failed:\n{done.stdout}{done.stderr}"
    assert [line for line in log if line.startswith("network ")] == [], mechanism
    programs = {line.split()[1] for line in log if line.startswith("run ")}
    # Both known programs ran under the guard (so it saw them), and nothing else did.
    assert programs <= set(ALLOWED), mechanism
    assert "git" in programs
    assert programs & {"pagefind", "pagefind_extended"}
    assert (output / "en" / "index.html").is_file()
    assert (output / "pagefind" / "pagefind.js").is_file()
