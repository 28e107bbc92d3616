"""The same inputs give byte-identical output, whatever the machine around the build.

The repository's own site is built twice, like `make site`, in two subprocesses at the same
time, from two copies at different paths (each a `git clone --shared` of the repository, so
the records' history is there, with the work tree's content/, designations/ and templates/
laid over it: tests/repository_copy.py), which differ in everything a build must not depend on:

- locale: LC_ALL=C and LANG=C against LC_ALL=fr_FR.UTF-8, LANG=fr_FR.UTF-8 and LANGUAGE=fr
  (when glibc lacks that locale, Babel and gettext still read the variables);
- time zone: UTC against Pacific/Kiritimati (UTC+14: another date for most of the day);
- umask: 022 against 077;
- the files' modification times (set with os.utime to 2001 and 2030), while both builds get
  the same SOURCE_DATE_EPOCH;
- the hash seed of str and bytes (PYTHONHASHSEED), which orders sets and so anything built by
  iterating one.

The first copy is then built again, over its own site/ and with whatever its first build left
to reuse (a warm cache, when the build has one). All three site/ trees must hold the same files
with the same bytes, and the same modes.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.repository_copy import repository_copy

SOURCE_DATE_EPOCH = "1795392000"  # 2026-11-23, as the other tests' TODAY
BUILD = "from generator.cli import main\nmain(prog_name='noimpunity')\n"
VARIABLES = ("LC_ALL", "LANG", "LANGUAGE", "TZ", "PYTHONHASHSEED", "SOURCE_DATE_EPOCH")


@dataclass(frozen=True)
class Machine:
    """Everything about one build's surroundings that must not show in its output."""

    folder: str
    env: dict[str, str]
    umask: int
    mtime: int


FIRST = Machine(
    folder="first",
    env={"LC_ALL": "C", "LANG": "C", "TZ": "UTC", "PYTHONHASHSEED": "1"},
    umask=0o022,
    mtime=978_307_200,  # 2001-01-01
)
SECOND = Machine(
    folder="second copy/elsewhere",
    env={
        "LC_ALL": "fr_FR.UTF-8",
        "LANG": "fr_FR.UTF-8",
        "LANGUAGE": "fr",
        "TZ": "Pacific/Kiritimati",
        "PYTHONHASHSEED": "4242",
    },
    umask=0o077,
    mtime=1_924_991_999,  # 2030-12-31
)


@dataclass(frozen=True)
class Sites:
    first: Path  # the first copy's first build (kept aside)
    second: Path  # the second copy's build
    again: Path  # the first copy's second build


def start_build(root: Path, machine: Machine) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env |= machine.env | {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    # -P: import the generator under test, not the clone's copy in the working directory.
    return subprocess.Popen(
        [sys.executable, "-P", "-c", BUILD, "build", "--root", str(root), "--strict", "--quiet"],
        cwd=root,
        env=env,
        umask=machine.umask,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def finish(*builds: subprocess.Popen[bytes]) -> None:
    for build in builds:
        output, _ = build.communicate(timeout=180)
        assert build.returncode == 0, output.decode(errors="replace")


def tree(site: Path) -> dict[str, tuple[str, str]]:
    """{path: (kind and mode, SHA-256 of the bytes)} of every file and folder under ``site``."""
    found = {".": (stat.filemode(site.lstat().st_mode), "")}
    for path in sorted(site.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            content = str(path.readlink()) if path.is_symlink() else ""
        found[path.relative_to(site).as_posix()] = (stat.filemode(info.st_mode), content)
    return found


def explain(name: str, first: Path, second: Path) -> str:
    """Where two files differ: their first differing lines, or their sizes for binary data."""
    one, two = (first / name).read_bytes(), (second / name).read_bytes()
    try:
        lines = difflib.unified_diff(
            one.decode().splitlines(),
            two.decode().splitlines(),
            "first",
            "second",
            n=1,
            lineterm="",
        )
        return "\n".join(list(lines)[:12])
    except UnicodeDecodeError:
        at = next((i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b), None)
        return f"binary: {len(one)} against {len(two)} bytes, first difference at byte {at}"


def same_bytes(first: Path, second: Path) -> None:
    one, two = tree(first), tree(second)
    only = sorted(set(one) ^ set(two))
    assert only == [], f"files in only one of the sites: {only[:20]}"
    different = sorted(name for name in one if one[name][1] != two[name][1])
    report = "\n\n".join(f"{name}:\n{explain(name, first, second)}" for name in different[:5])
    assert different == [], f"{len(different)} files differ:\n{report}"
    assert len(one) > 1000, "the site is nearly empty"


def different_modes(first: Path, second: Path) -> dict[str, tuple[str, str]]:
    one, two = tree(first), tree(second)
    return {
        name: (one[name][0], two[name][0])
        for name in sorted(one.keys() & two.keys())
        if one[name][0] != two[name][0]
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    """The two builds, run side by side, then the first one again."""
    base = tmp_path_factory.mktemp("reproducible")
    first = repository_copy(base / FIRST.folder / "repo", FIRST.mtime)
    second = repository_copy(base / SECOND.folder / "repo", SECOND.mtime)
    finish(start_build(first, FIRST), start_build(second, SECOND))
    kept = base / "first-site"
    shutil.copytree(first / "site", kept, symlinks=True)
    finish(start_build(first, FIRST))
    return Sites(first=kept, second=second / "site", again=first / "site")


def test_two_builds_on_different_machines_give_the_same_bytes(sites: Sites) -> None:
    same_bytes(sites.first, sites.second)


def test_building_again_gives_the_same_bytes_and_modes(sites: Sites) -> None:
    same_bytes(sites.first, sites.again)
    assert different_modes(sites.first, sites.again) == {}


def test_two_builds_on_different_machines_give_the_same_modes(sites: Sites) -> None:
    modes = different_modes(sites.first, sites.second)
    sample = dict(list(modes.items())[:10])
    assert modes == {}, f"{len(modes)} modes differ (first, second): {sample}"


def test_explain_shows_the_first_differing_lines(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "page.html").write_text("<p>a</p>\n<p>b</p>\n", "utf-8")
    (two / "page.html").write_text("<p>a</p>\n<p>c</p>\n", "utf-8")
    (one / "data.bin").write_bytes(b"\x00\xff\x01")
    (two / "data.bin").write_bytes(b"\x00\xff\x02")
    assert explain("page.html", one, two).splitlines()[-2:] == ["-<p>b</p>", "+<p>c</p>"]
    assert explain("data.bin", one, two) == "binary: 3 against 3 bytes, first difference at byte 2"
