"""Shared fixtures: the repository, the minimal test site, and a builder of broken sites."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
MINIMAL = SITES / "minimal"
INVALID = SITES / "invalid"
TEMPLATES = REPO / "templates"
# A fixed "today" so that the future-date rule gives the same answer on every run.
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    """A writable copy of the minimal site."""
    target = tmp_path / "repo"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture
def overlay_site(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy the minimal site, then lay the files of ``case`` (a folder) over it.

    An invalid case holds only what differs from the minimal site (usually one record), so
    each case shows the one broken thing it is about. A file named ``<name>.delete`` removes
    ``<name>`` from the copy.
    """

    def make(case: Path) -> Path:
        target = tmp_path / case.name
        shutil.copytree(MINIMAL, target)
        for path in sorted(case.rglob("*")):
            if not path.is_file() or path.name == "README.md":
                continue
            relative = path.relative_to(case)
            if path.suffix == ".delete":
                (target / relative.with_suffix("")).unlink()
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        return target

    return make


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_fixtures(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds keep their cache in a scratch folder, never in the fixture sites."""
    import os

    os.environ["NOIMPUNITY_CACHE_DIR"] = str(tmp_path_factory.mktemp("build-cache"))
