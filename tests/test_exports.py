"""The downloads parse with standard tools, hold every subject once, and match their checksums."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.build import build_site
from generator.model import Site
from generator.read import read_site
from tests.conftest import MINIMAL, REPO, TODAY

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module", params=[MINIMAL, REPO], ids=["minimal", "repository"])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Site, Path]:
    root: Path = request.param
    output = tmp_path_factory.mktemp("exports") / "site"
    build_site(root, output, strict=True, today=TODAY)
    site, _problems = read_site(root, TODAY)
    assert site is not None
    return site, output


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheets need
    assert b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_subjects_json(built: tuple[Site, Path]) -> None:
    site, output = built
    document = json.loads((output / "data/subjects.json").read_text("utf-8"))
    assert document["format_version"] == 1
    assert document["count"] == len(site.subjects)
    assert [s["id"] for s in document["subjects"]] == [s.id for s in site.subjects]
    first = document["subjects"][0]
    assert {"sanctions", "grounds", "aliases", "status", "pages"} <= set(first)


def test_csv_files(built: tuple[Site, Path]) -> None:
    site, output = built
    subjects = read_csv(output / "data/subjects.csv")
    assert [row["id"] for row in subjects] == [s.id for s in site.subjects]
    sanctions = read_csv(output / "data/sanctions.csv")
    assert len(sanctions) == sum(len(s.sanctions) for s in site.subjects)
    assert {row["subject_id"] for row in sanctions} == {s.id for s in site.subjects}


def test_one_json_per_subject(built: tuple[Site, Path]) -> None:
    site, output = built
    for subject in site.subjects:
        document = json.loads((output / f"data/subjects/{subject.id}.json").read_text("utf-8"))
        assert document["subject"]["id"] == subject.id
        page = (output / f"en/designations/{subject.id}/index.html").read_text("utf-8")
        assert f'type="application/json" href="../../../data/subjects/{subject.id}.json"' in page


def test_checksums_match(built: tuple[Site, Path]) -> None:
    _site, output = built
    data = output / "data"
    index = json.loads((data / "index.json").read_text("utf-8"))
    listed = {entry["path"] for entry in index["files"]}
    on_disk = {
        path.relative_to(data).as_posix()
        for path in data.rglob("*")
        if path.is_file() and path.name not in ("index.json", "SHA256SUMS")
    }
    assert listed == on_disk
    for entry in index["files"]:
        content = (data / entry["path"]).read_bytes()
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    sums = (data / "SHA256SUMS").read_text("utf-8").splitlines()
    assert sums == [f"{e['sha256']}  {e['path']}" for e in index["files"]]


def test_sitemap_and_robots(built: tuple[Site, Path]) -> None:
    site, output = built
    tree = ET.parse(output / "sitemap.xml")
    locations = {url.findtext(f"{SITEMAP}loc") for url in tree.getroot()}
    base = site.config.base_url
    for subject in site.subjects:
        for lang in site.config.languages:
            assert f"{base}{lang}/designations/{subject.id}/" in locations
    assert f"{base}404.html" not in locations
    robots = (output / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()


def test_revision_is_recorded_only_at_the_top_of_a_git_tree(built: tuple[Site, Path]) -> None:
    site, output = built
    document = json.loads((output / "data/subjects.json").read_text("utf-8"))
    revision = document["source_revision"]
    if site.config.base_url == "https://example.org/":  # the minimal site, inside the repository
        assert revision is None
    else:  # the repository, a git clone
        assert isinstance(revision, str)
        assert len(revision) == 40


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path: Path) -> None:
    """OWASP's rule for CSV injection: a leading apostrophe; JSON keeps the exact value."""
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    record = root / "designations/alexander-mishkin.yaml"
    formula = '=HYPERLINK("http://example.org","Petrov")'
    text = record.read_text("utf-8").replace("  - Alexander Petrov\n", f"  - '{formula}'\n")
    record.write_text(text.replace("reference: Council", "reference: +Council"), "utf-8")
    build_site(root, tmp_path / "site", today=TODAY)
    [row] = [r for r in read_csv(tmp_path / "site/data/subjects.csv") if r["name"].startswith("A")]
    assert row["aliases"].startswith("'" + formula)
    sanctions = read_csv(tmp_path / "site/data/sanctions.csv")
    assert any(r["reference"].startswith("'+Council") for r in sanctions)
    document = json.loads((tmp_path / "site/data/subjects/alexander-mishkin.json").read_text())
    assert formula in [alias["name"] for alias in document["subject"]["aliases"]]
