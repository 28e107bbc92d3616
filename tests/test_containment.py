"""Nothing is read or written outside its place: `new`'s ids, links and hidden files in the
input folders, and the did-you-mean that must stay fast with thousands of unknown ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.assets import load_assets
from generator.cli import main
from generator.read import read_site
from generator.validate import SUGGESTION_POOL, nearby, suggest
from tests.conftest import MINIMAL, REPO, TODAY


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    return root


def new(root: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["new", "person", *args, "--root", str(root)])
    return done.exit_code, done.output


@pytest.mark.parametrize(
    "record_id", ["../../../escaped", "/tmp/absolute", "UPPER Case", "a" * 300, "a_b", ""]
)
def test_new_refuses_an_id_that_is_not_one(repo: Path, record_id: str) -> None:
    before = sorted(path for path in repo.parent.rglob("*"))
    code, output = new(repo, "Some Name", "--id", record_id)
    assert code == 1, output
    assert "is not an id" in output or "cannot make an id" in output
    assert "Traceback" not in output
    assert sorted(path for path in repo.parent.rglob("*")) == before


def test_new_never_follows_a_link(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "outside.yaml"
    (repo / "designations" / "some-name.yaml").symlink_to(target)  # dangling
    code, output = new(repo, "Some Name")
    assert code == 1 and "already exists" in output
    assert not target.exists()


def test_new_makes_a_short_id_from_a_long_name(repo: Path) -> None:
    code, output = new(repo, "Name " * 60)
    assert code == 0, output
    [written] = list((repo / "designations").glob("name-*.yaml"))
    assert len(written.stem) <= 150 and not written.stem.endswith("-")


@pytest.mark.parametrize(
    ("place", "target"),
    [
        ("templates/static/env.js", "/proc/self/environ"),
        ("templates/static/passwd.css", "/etc/passwd"),
        ("content/news/leak.en.md", "/etc/hostname"),
    ],
)
def test_a_link_in_an_input_folder_is_refused(repo: Path, place: str, target: str) -> None:
    shutil.copytree(REPO / "templates", repo / "templates")
    (repo / place).parent.mkdir(parents=True, exist_ok=True)
    (repo / place).symlink_to(target)
    site, problems = read_site(repo, TODAY)
    assert site is None
    assert [p.format() for p in problems if p.code == "not-regular-file"] == [
        f"{place}:1:1: error[not-regular-file] a file is a symbolic link; what the site"
        " publishes must be a regular file inside the repository (copy the file in place of"
        " the link)"
    ]
    assert place.removeprefix("templates/static/") not in load_assets(repo / "templates/static")


def test_hidden_files_are_reported(repo: Path) -> None:
    (repo / "content" / ".draft.en.md").write_text("---\ntitle: x\n---\n", "utf-8")
    _site, problems = read_site(repo, TODAY)
    assert [p.code for p in problems] == ["hidden-file"]
    assert problems[0].location.path == "content/.draft.en.md"


def test_did_you_mean_compares_a_bounded_number_of_candidates() -> None:
    ids = tuple(sorted(f"{first}-person-{n}" for first in "abcdefghij" for n in range(300)))
    assert len(nearby("b-person-17", ids)) <= SUGGESTION_POOL
    assert suggest("b-persn-17", list(ids)) == "; did you mean 'b-person-17'?"
    assert suggest("zzz", list(ids)) == ""
