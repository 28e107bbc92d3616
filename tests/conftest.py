"""Shared fixtures: the repository, the minimal test site, and a builder of broken sites."""

from __future__ import annotations

import datetime as dt
import os
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


# --- opt-in tests over the whole official list files (tests/test_importers.py) -----------------

OFFICIAL_LISTS = "NOIMPUNITY_OFFICIAL_LISTS"
OFFICIAL_MARKER = "official_lists"
_official_deselected = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{OFFICIAL_MARKER}: reads the whole official list files in ${OFFICIAL_LISTS} (laid out"
        " as tests/fixtures/importers/README.md says); deselected unless that variable is set",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without NOIMPUNITY_OFFICIAL_LISTS, the official-list tests are deselected (not skipped)."""
    if os.environ.get(OFFICIAL_LISTS):
        return
    deselected = [item for item in items if item.get_closest_marker(OFFICIAL_MARKER)]
    config.stash[_official_deselected] = len(deselected)
    if deselected:
        items[:] = [item for item in items if not item.get_closest_marker(OFFICIAL_MARKER)]
        config.hook.pytest_deselected(items=deselected)


def pytest_report_header(config: pytest.Config) -> str:
    folder = os.environ.get(OFFICIAL_LISTS)
    if folder:
        return f"official-list tests: on ({folder})"
    return (
        f"official-list tests: off (set {OFFICIAL_LISTS}=DIR, a folder of the official list"
        " files laid out as tests/fixtures/importers/README.md says, to run them)"
    )


def pytest_report_collectionfinish(config: pytest.Config) -> str | list[str]:
    """The header is written before collection: the count of deselected tests comes here."""
    count = config.stash.get(_official_deselected, 0)
    if not count or config.get_verbosity() < 0:
        return []
    return f"official-list tests: {count} deselected (set {OFFICIAL_LISTS}=DIR to run them)"
