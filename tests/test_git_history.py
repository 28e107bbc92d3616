"""History from git: first publication, last change and amendments of each record."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser

from generator.build import build_site
from generator.git import record_history
from tests.conftest import MINIMAL, TODAY


def commit(repo: Path, date: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00+00:00",
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    for key, value in (("user.name", "Coordinator"), ("user.email", "c@example.org")):
        subprocess.run(["git", "-C", str(repo), "config", key, value], check=True)
    commit(repo, "2020-01-01", "First publication")
    record = repo / "designations/alexander-mishkin.yaml"
    record.write_text(
        record.read_text("utf-8").replace(
            "- Alexander Petrov", "- Alexander Petrov\n  - A. Petrov"
        ),
        "utf-8",
    )
    commit(repo, "2021-05-05", "Add an alias")
    return repo


def test_record_history(tmp_path: Path) -> None:
    history = record_history(make_repo(tmp_path))
    assert history is not None
    mishkin = history["alexander-mishkin"]
    assert (mishkin.first.isoformat(), mishkin.last.isoformat()) == ("2020-01-01", "2021-05-05")
    assert [day.isoformat() for day in mishkin.amended] == ["2021-05-05"]
    assert history["main-intelligence-directorate"].amended == ()


def test_a_deleted_record_has_no_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "designations/main-intelligence-directorate.yaml").unlink()
    commit(repo, "2022-02-02", "Remove")
    history = record_history(repo)
    assert history is not None
    assert "main-intelligence-directorate" not in history


def test_no_history_outside_a_git_tree(tmp_path: Path) -> None:
    assert record_history(MINIMAL) is None  # inside the project's repository, not at its top
    copy = tmp_path / "copy"
    shutil.copytree(MINIMAL, copy)
    assert record_history(copy) is None


def test_pages_exports_and_feed_show_the_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    output = tmp_path / "site"
    build_site(repo, output, strict=True, today=TODAY)
    page = (output / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert (
        '<dt>First published</dt><dd><time datetime="2020-01-01">1 January 2020</time></dd>' in page
    )
    assert '<dt>Last changed</dt><dd><time datetime="2021-05-05">5 May 2021</time></dd>' in page
    document = json.loads((output / "data/subjects.json").read_text("utf-8"))
    assert document["history"] == "git"
    mishkin = next(s for s in document["subjects"] if s["id"] == "alexander-mishkin")
    assert (mishkin["first_published"], mishkin["last_changed"]) == ("2020-01-01", "2021-05-05")
    feed = feedparser.parse((output / "en/feed.xml").read_bytes())
    assert not feed.bozo
    amended = [e for e in feed.entries if e.title.startswith("Record amended")]
    assert [(e.title, e.updated) for e in amended] == [
        ("Record amended: Alexander Yevgeniyevich Mishkin", "2021-05-05T00:00:00Z")
    ]


def test_outside_git_the_exports_say_so(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(MINIMAL, output, strict=True, today=TODAY)
    document = json.loads((output / "data/subjects.json").read_text("utf-8"))
    assert document["history"] == "records only"
    assert document["subjects"][0]["first_published"] is None


def test_sitemap_lastmod_comes_from_the_history(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(make_repo(tmp_path), output, strict=True, today=TODAY)
    sitemap = (output / "sitemap.xml").read_text("utf-8")
    entry = sitemap.split("<loc>https://example.org/fr/designations/alexander-mishkin/</loc>")[1]
    assert entry.split("</url>")[0].strip().startswith("<lastmod>2021-05-05</lastmod>")


def test_the_changes_page_says_when_history_is_missing(tmp_path: Path) -> None:
    without = tmp_path / "without"
    build_site(MINIMAL, without, strict=True, today=TODAY)
    assert "built without its git history" in (without / "en/changes/index.html").read_text("utf-8")
    with_git = tmp_path / "with"
    build_site(make_repo(tmp_path), with_git, strict=True, today=TODAY)
    assert "built without its git history" not in (with_git / "en/changes/index.html").read_text(
        "utf-8"
    )
