"""``noimpunity diff``: the Markdown summary of a change, read from scratch git repositories."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_regressions.file_regression import FileRegressionFixture

from generator.cli import main
from generator.diff import PERMANENT, diff_summary
from generator.git import GitError
from tests.conftest import MINIMAL, TODAY

MISHKIN = "designations/alexander-mishkin.yaml"
CENTRE = "designations/scientific-studies-and-research-centre.yaml"
GRU = "designations/main-intelligence-directorate.yaml"
WHO_MISHKIN = "**Alexander Yevgeniyevich Mishkin** (`alexander-mishkin`)"
WHO_CENTRE = "**Scientific Studies and Research Centre** (`scientific-studies-and-research-centre`)"
SUPPLIER = """\
id: chemical-supplier
type: entity
name: Chemical Supplier LLC
country: [SY]
sanctions:
  - authority: FR
    listed: 2026-10-01
    reference: Arrêté du 1er octobre 2026
    measures: [asset-freeze]
  - authority: EU
    listed: 2026-10-14
    reference: Council Implementing Regulation (EU) 2026/1
    measures: [asset-freeze]
grounds:
  en: Supplier of precursors to the SSRC.
  fr: Fournisseur de précurseurs du CERS.
"""
NEWS = "---\ntitle: {title}\ndate: 2026-11-20\n---\n{body}\n"
FR_SANCTION = """\
  - authority: FR
    listed: 2026-10-01
    reference: Arrêté du 1er octobre 2026
    measures: [asset-freeze]
    expires: 2027-04-01
"""
SHALLOW = (
    "error: no merge base of HEAD and origin/main in this shallow clone:"
    " fetch more history (git fetch --unshallow), or pass BASE explicitly\n"
)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git without the user's configuration, blind to repositories above tmp_path."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2026-11-20T12:00:00+00:00")
    midnight = dt.datetime.combine(TODAY, dt.time(), dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(midnight.timestamp())))


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def init(folder: Path) -> Path:
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Test Coordinator")
    git(folder, "config", "user.email", "coordinator@example.org")
    commit(folder, "the minimal site")
    return folder


@pytest.fixture
def repo(minimal_copy: Path) -> Path:
    """The minimal site committed on main, with the branch ``feature`` checked out."""
    init(minimal_copy)
    git(minimal_copy, "checkout", "-q", "-b", "feature")
    return minimal_copy


def run(repo: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args, "--root", str(repo)], catch_exceptions=False)


def summary(repo: Path, *args: str) -> str:
    result = run(repo, *args)
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def failure(repo: Path, *args: str) -> str:
    result = run(repo, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr
    return result.stderr


def section(text: str, title: str) -> list[str]:
    """The non-empty lines under ``### title``, up to the next heading."""
    parts = re.split(r"^### ", text, flags=re.MULTILINE)
    found = [part for part in parts if part.startswith(title + "\n")]
    assert len(found) == 1, f"no section {title!r} in:\n{text}"
    return [line for line in found[0].splitlines()[1:] if line]


def headline(text: str) -> str:
    return text.splitlines()[2]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_nothing_changed(repo: Path) -> None:
    base = git(repo, "rev-parse", "--short=8", "HEAD")
    assert summary(repo).splitlines() == [
        f"## Designations: merge base with `main` ({base}) → working tree",
        "",
        "**No change to records or pages** · ✅ valid",
        "",
        "### Validation of working tree",
        "",
        "✅ valid",
    ]


def test_added_record(repo: Path) -> None:
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)
    commit(repo, "add a supplier")
    text = summary(repo)
    assert headline(text) == "**1 added** · ✅ valid"
    assert section(text, "Added subjects") == [
        "- **Chemical Supplier LLC** (`chemical-supplier`) — entity; EU, FR"
    ]


def test_removed_record_is_flagged(repo: Path) -> None:
    (repo / CENTRE).unlink()
    commit(repo, "remove a record")
    text = summary(repo)
    assert headline(text) == "**⚠️ 1 removed** · ✅ valid"
    assert section(text, "⚠️ Removed subjects") == [PERMANENT, f"- {WHO_CENTRE} — entity; EU, FR"]


def test_amended_fields(repo: Path) -> None:
    record = repo / MISHKIN
    replace(record, "name: Alexander Yevgeniyevich Mishkin", "name: Alexander Y. Mishkin")
    replace(
        record, "  - Alexander Petrov\n", "  - Alexander Petrov\n  - {name: Sasha, weak: true}\n"
    )
    replace(record, "birth_date: 1979-07-13", "birth_date: 1979-07-14")
    replace(record, "the Salisbury attack", "the Salisbury attack of March 2018")
    commit(repo, "amend Mishkin")
    text = summary(repo)
    assert headline(text) == "**1 amended** · ✅ valid"
    assert section(text, "Amended subjects") == [
        "- **Alexander Y. Mishkin** (`alexander-mishkin`)",
        "  - name: `Alexander Yevgeniyevich Mishkin` → `Alexander Y. Mishkin`",
        "  - grounds.en changed",
        "  - aliases: added `Sasha (weak)`",
        "  - birth_date: `1979-07-13` → `1979-07-14`",
    ]


def test_lifted_sanction(repo: Path) -> None:
    replace(
        repo / MISHKIN,
        "    measures: [asset-freeze, travel-ban]\n",
        "    measures: [asset-freeze, travel-ban]\n    lifted: 2026-11-02\n",
    )
    commit(repo, "lift")
    text = summary(repo)
    assert headline(text) == "**1 sanction lifted** · ✅ valid"
    assert section(text, "Sanctions lifted") == [
        f"- {WHO_MISHKIN}: EU (EU-CHEM), listed 2019-01-21 — lifted 2026-11-02"
    ]


def test_renewal_against_an_explicit_base(repo: Path) -> None:
    centre = repo / CENTRE
    replace(
        centre,
        "2019/84\n    measures: [asset-freeze]\n",
        "2019/84\n    measures: [asset-freeze]\n    renewed: [2025-01]\n    expires: 2026-01-21\n",
    )
    commit(repo, "the EU listing expires")
    replace(centre, "renewed: [2025-01]", "renewed: [2025-01, 2026-01-19]")
    replace(centre, "expires: 2026-01-21", "expires: 2027-01-21")
    text = summary(repo, "HEAD")
    assert headline(text) == "**1 renewal** · ✅ valid"
    assert section(text, "Sanctions renewed") == [
        f"- {WHO_CENTRE}: EU, listed 2019-01-21 — renewed 2026-01-19;"
        " expires 2026-01-21 → 2027-01-21"
    ]
    replace(centre, "renewed: [2025-01, 2026-01-19]", "renewed: [2025-01]")
    assert section(summary(repo, "HEAD"), "Sanctions renewed") == [
        f"- {WHO_CENTRE}: EU, listed 2019-01-21 — expires 2026-01-21 → 2027-01-21"
    ]


def test_new_sanction_on_an_existing_record(repo: Path) -> None:
    replace(repo / MISHKIN, "grounds:\n", FR_SANCTION + "grounds:\n")
    commit(repo, "France lists Mishkin")
    text = summary(repo)
    assert headline(text) == "**1 new sanction** · ✅ valid"
    assert section(text, "New sanctions on existing subjects") == [
        f"- {WHO_MISHKIN}: FR, listed 2026-10-01 — Arrêté du 1er octobre 2026; asset-freeze"
    ]


def test_pages_and_news(repo: Path) -> None:
    replace(
        repo / "content/declaration.fr.md", "title: Déclaration de principes", "title: Déclaration"
    )
    replace(repo / "content/declaration.fr.md", "six", "sept")
    news = repo / "content/news/2026-11-20-listing"
    write(news.with_suffix(".en.md"), NEWS.format(title="New *listings*", body="Two."))
    write(news.with_suffix(".fr.md"), NEWS.format(title="Nouvelles inscriptions", body="Deux."))
    for lang in ("en", "fr"):
        (repo / f"content/news/2018-01-23-launch.{lang}.md").unlink()
    commit(repo, "pages")
    text = summary(repo)
    assert headline(text) == "**3 pages** · ✅ valid"
    assert section(text, "Pages and news") == [
        "- changed `declaration` — fr: title, body changed",
        "- removed `news/2018-01-23-launch` (en, fr): “Launch of the Partnership”",
        "- added `news/2026-11-20-listing` (en, fr): “New \\*listings\\*”",
    ]


def test_invalid_head_is_still_compared(repo: Path) -> None:
    replace(repo / MISHKIN, "nationality: [RU]", "nationality: [ru]")
    replace(repo / GRU, "name: Main Intelligence Directorate (GRU)", "name: GRU")
    write(repo / "designations/broken.yaml", "id: broken\nname: [\n")
    commit(repo, "mistakes")
    text = summary(repo)
    error = (
        f"{MISHKIN}:9:15: error[invalid-country] nationality[0]: 'ru' is not an ISO 3166-1"
        " alpha-2 country code (write it in capitals)"
    )
    syntax = "designations/broken.yaml:3:1: error[yaml-syntax] did not find expected node content"
    assert headline(text) == "**1 amended · 2 unreadable** · ❌ 2 errors, 0 warnings"
    assert section(text, "Amended subjects") == [
        "- **GRU** (`main-intelligence-directorate`)",
        "  - name: `Main Intelligence Directorate (GRU)` → `GRU`",
    ]
    assert section(text, "Unreadable files") == [
        f"- `{MISHKIN}` unreadable on HEAD (readable on BASE)",
        *("  ```text", f"  {error}", "  ```"),
        "- `designations/broken.yaml` unreadable on HEAD (new file)",
        *("  ```text", f"  {syntax}", "  ```"),
    ]
    assert section(text, "Validation of working tree") == [
        "❌ 2 errors, 0 warnings",
        *("```text", error, syntax, "```"),
    ]


def test_unreadable_base_is_not_compared(repo: Path) -> None:
    replace(repo / MISHKIN, "gender: male", "gender: mal")
    commit(repo, "a typo")
    replace(repo / MISHKIN, "gender: mal", "gender: male")
    text = summary(repo, "HEAD")
    assert headline(text) == "**1 unreadable** · ✅ valid"
    lines = section(text, "Unreadable files")
    assert lines[0] == f"- `{MISHKIN}` unreadable on BASE (readable on HEAD, not compared)"
    assert lines[2].startswith(f"  {MISHKIN}:10:9: error[invalid-choice] gender:")


def test_working_tree_is_head_by_default(repo: Path) -> None:
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)  # not even added to git
    assert headline(summary(repo)) == "**1 added** · ✅ valid"
    assert (
        headline(summary(repo, "main", "feature")) == "**No change to records or pages** · ✅ valid"
    )
    assert git(repo, "status", "--porcelain") == "?? designations/chemical-supplier.yaml"


def test_explicit_base_and_head(repo: Path) -> None:
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)
    first = commit(repo, "add")
    git(repo, "tag", "v1")
    (repo / CENTRE).unlink()
    second = commit(repo, "remove")
    text = summary(repo, "main", "v1")
    assert text.splitlines()[0] == (
        f"## Designations: `main` ({git(repo, 'rev-parse', 'main')[:8]}) → `v1` ({first[:8]})"
    )
    assert headline(text) == "**1 added** · ✅ valid"
    text = summary(repo, "v1", "feature")
    assert text.splitlines()[0].endswith(f"→ `feature` ({second[:8]})")
    assert headline(text) == "**⚠️ 1 removed** · ✅ valid"
    assert headline(summary(repo, second, first)) == "**1 added** · ✅ valid"


def test_base_defaults_to_the_merge_base_with_main(repo: Path) -> None:
    fork = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)
    commit(repo, "meanwhile on main")
    git(repo, "checkout", "-q", "feature")
    replace(repo / GRU, "name: Main Intelligence Directorate (GRU)", "name: GRU")
    commit(repo, "rename")
    text = summary(repo)
    assert text.splitlines()[0] == (
        f"## Designations: merge base with `main` ({fork[:8]}) → working tree"
    )
    assert headline(text) == "**1 amended** · ✅ valid"  # main's new record is not "removed"
    assert headline(summary(repo, "main")) == "**⚠️ 1 removed · 1 amended** · ✅ valid"


def test_base_falls_back_to_origin_main(repo: Path, tmp_path: Path) -> None:
    commit_id = git(repo, "rev-parse", "HEAD")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    assert git(clone, "branch", "--format=%(refname:short)") == "feature"
    assert summary(clone).splitlines()[0] == (
        f"## Designations: merge base with `origin/main` ({commit_id[:8]}) → working tree"
    )
    git(clone, "checkout", "-q", "-b", "main")  # a local main is preferred to origin/main
    git(clone, "config", "user.name", "Test Coordinator")
    git(clone, "config", "user.email", "coordinator@example.org")
    replace(clone / GRU, "name: Main Intelligence Directorate (GRU)", "name: GRU")
    local = commit(clone, "local work on main")
    assert summary(clone).splitlines()[0] == (
        f"## Designations: merge base with `main` ({local[:8]}) → working tree"
    )


def test_shallow_clone_without_the_merge_base(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "main")
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)
    commit(repo, "meanwhile on main")
    git(repo, "checkout", "-q", "feature")
    replace(repo / GRU, "name: Main Intelligence Directorate (GRU)", "name: GRU")
    commit(repo, "rename")
    clone = tmp_path / "shallow"
    url = repo.as_uri()
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", url, str(clone))
    git(clone, "checkout", "-q", "--detach")  # as CI checks out a pull request
    assert failure(clone) == SHALLOW
    text = summary(clone, "origin/main")  # an explicit BASE needs no merge base
    assert headline(text) == "**⚠️ 1 removed · 1 amended** · ✅ valid"


def test_no_main_branch(minimal_copy: Path) -> None:
    init(minimal_copy)
    git(minimal_copy, "branch", "-m", "main", "trunk")
    assert failure(minimal_copy) == (
        "error: no branch main or origin/main to compare with: git fetch origin main,"
        " or pass BASE explicitly\n"
    )
    assert headline(summary(minimal_copy, "trunk")).startswith("**No change")


def test_unknown_revision(repo: Path) -> None:
    assert failure(repo, "v9") == (
        "error: unknown revision 'v9': check the name, or fetch it first (git fetch origin)\n"
    )
    assert failure(repo, "main", "nope").startswith("error: unknown revision 'nope'")


def test_outside_a_git_repository(minimal_copy: Path) -> None:
    assert failure(minimal_copy) == (
        f"error: {minimal_copy} is not in a git working tree: run noimpunity diff in a clone"
        " of the repository, or pass --root\n"
    )
    with pytest.raises(GitError, match="not in a git working tree"):
        diff_summary(minimal_copy, today=TODAY)


def test_site_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    mono = tmp_path / "mono"
    shutil.copytree(MINIMAL, mono / "website")
    init(mono)
    website = mono / "website"
    (website / GRU).unlink()
    assert headline(summary(website)) == "**⚠️ 1 removed** · ❌ 1 error, 0 warnings"
    commit(mono, "remove")  # both sides from git: paths are relative to the site's folder
    assert (
        headline(summary(website, "HEAD~1", "HEAD")) == "**⚠️ 1 removed** · ❌ 1 error, 0 warnings"
    )


def test_root_defaults_to_the_current_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff"], catch_exceptions=False)
    assert (result.exit_code, headline(result.stdout)) == (0, "**1 added** · ✅ valid")


def test_rich_summary(repo: Path, file_regression: FileRegressionFixture) -> None:
    git(repo, "checkout", "-q", "main")
    replace(
        repo / CENTRE,
        "2019/84\n    measures: [asset-freeze]\n",
        "2019/84\n    measures: [asset-freeze]\n    renewed: [2025-01]\n    expires: 2026-01-21\n",
    )
    commit(repo, "the EU listing of the SSRC expires")
    git(repo, "checkout", "-q", "-b", "rich")
    mishkin = repo / MISHKIN
    replace(mishkin, "birth_date: 1979-07-13", "birth_date: [1979-07-13, 1979-07-12]")
    replace(mishkin, "  - {name: Александр Евгеньевич Мишкин, lang: ru}\n", "")
    replace(
        mishkin,
        "    measures: [asset-freeze, travel-ban]\n",
        "    measures: [asset-freeze]\n    lifted: 2026-11-02\n",
    )
    replace(mishkin, "grounds:\n", FR_SANCTION + "grounds:\n")
    replace(repo / CENTRE, "renewed: [2025-01]", "renewed: [2025-01, 2026-01-19]")
    replace(repo / CENTRE, "expires: 2026-01-21", "expires: 2027-01-21")
    (repo / GRU).unlink()
    write(repo / "designations/chemical-supplier.yaml", SUPPLIER)
    write(repo / "designations/half-done.yaml", "id: half-done\ntype: persn\n")
    commit(repo, "a coordinator's week")
    replace(repo / "content/declaration.en.md", "**six**", "**seven**")
    news = repo / "content/news/2026-11-20-listing"
    write(news.with_suffix(".en.md"), NEWS.format(title="New listings", body="Two."))
    text = summary(repo)
    file_regression.check(re.sub(r"\(([0-9a-f]{8})\)", "(<commit>)", text), extension=".md")
