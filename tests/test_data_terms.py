"""What a reader needs to trust and reuse the list: how current it is (every footer), which
version the files are (the data page), the licence and its terms, each download's size and
checksum, and the same as schema.org Dataset metadata; the icons and link previews."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build_site
from generator.downloads import DOWNLOADS
from generator.official_links import in_language
from tests.conftest import MINIMAL, TODAY
from tests.test_git_history import commit, make_repo

LICENCE = "licence: {name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}\n"
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def with_licence(repo: Path) -> Path:
    site = repo / "content/site.yaml"
    site.write_text(site.read_text("utf-8") + LICENCE, "utf-8")
    return repo


def single_files() -> list[str]:
    """The downloads that are one file (not a folder of one file per subject)."""
    return [download.name for download in DOWNLOADS if not download.name.endswith("/")]


def size_and_sha256(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def dataset(page: str) -> dict[str, object]:
    [found] = LD_JSON.findall(page)
    loaded: dict[str, object] = json.loads(found)
    return loaded


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The minimal site with a licence and a git history (last change 2021-05-05), built."""
    repo = with_licence(make_repo(tmp_path))
    commit(repo, "2021-06-01", "A licence")
    build_site(repo, tmp_path / "site", today=TODAY, cache=False)
    return tmp_path / "site"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_data_page_gives_each_file_its_size_and_checksum(built: Path, lang: str) -> None:
    page = (built / f"{lang}/data/index.html").read_text("utf-8")
    for name in single_files():
        size, sha256 = size_and_sha256(built / "data" / name)
        row = page[page.index(f"<code>{name}</code>") :]
        row = row[: row.index("</tr>")]
        assert f'<code class="checksum">{sha256}</code>' in row, name
        shown = re.search(r'<td class="number" data-label="[^"]+">([^<]+)</td>', row)
        assert shown is not None, name
        digits = re.sub(r"\D", "", shown.group(1))
        assert digits, name
        # Rounded to the unit shown (bytes, kB with no decimals, MB with one).
        expected = size if size < 1000 else round(size / 1000) if size < 10**6 else None
        if expected is not None:
            assert int(digits) == expected, (name, shown.group(1), size)
    assert "index.json" in page and "Not measured" not in page


def test_the_dataset_metadata_names_the_version_licence_and_files(built: Path) -> None:
    page = (built / "en/data/index.html").read_text("utf-8")
    found = dataset(page)
    assert found["@type"] == "Dataset"
    assert found["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert found["dateModified"] == "2021-05-05"  # the last change to a record, not the licence
    assert isinstance(found["version"], str) and len(found["version"]) == 40
    distribution = found["distribution"]
    assert isinstance(distribution, list)
    assert [item["name"] for item in distribution] == single_files()
    for item in distribution:
        path = built / "data" / item["name"]
        size, sha256 = size_and_sha256(path)
        assert item["contentUrl"] == f"https://example.org/data/{item['name']}"
        assert (item["contentSize"], item["sha256"]) == (f"{size} B", sha256)


def test_the_data_page_states_the_version_and_the_licence(built: Path) -> None:
    page = (built / "en/data/index.html").read_text("utf-8")
    version = dataset(page)["version"]
    assert f"<code>{str(version)[:12]}</code>, committed on 1 June 2021" in page
    assert "The list last changed on 5 May 2021." in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in page
    french = (built / "fr/data/index.html").read_text("utf-8")
    assert "Dernière modification de la liste\u00a0: 5 mai 2021." in french


def test_every_footer_says_how_current_the_list_is(built: Path) -> None:
    pages = sorted(built.glob("*/**/index.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text("utf-8")
        footer = text[text.index('<footer class="site-footer">') :]
        english = path.relative_to(built).parts[0] == "en"
        as_of = "Statuses as of 23 November 2026." if english else "Statuts au 23 novembre 2026."
        changed = (
            "The list last changed on 5 May 2021."
            if english
            else "Dernière modification de la liste\u00a0: 5 mai 2021."
        )
        assert as_of in footer and changed in footer, path
        assert 'rel="license">CC BY 4.0</a>' in footer, path


def test_without_git_or_licence_the_footer_claims_neither(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    build_site(repo, tmp_path / "site", today=TODAY, cache=False)
    page = (tmp_path / "site/en/data/index.html").read_text("utf-8")
    assert "Statuses as of 23 November 2026." in page
    assert "last changed" not in page and 'rel="license"' not in page
    assert "Source revision: not known" in page
    found = dataset(page)
    assert "license" not in found and "version" not in found and "dateModified" not in found


def test_a_rebuild_after_an_edit_gives_the_new_checksums(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    output = tmp_path / "site"
    build_site(repo, output, today=TODAY)
    record = repo / "designations/alexander-mishkin.yaml"
    record.write_text(record.read_text("utf-8").replace("Petrov", "Petrow"), "utf-8")
    result = build_site(repo, output, today=TODAY)
    assert result.written < result.files  # a rebuild, not a full build
    page = (output / "en/data/index.html").read_text("utf-8")
    _, sha256 = size_and_sha256(output / "data/subjects.json")
    assert sha256 in page and dataset(page)["distribution"]


def test_the_metadata_cannot_close_its_script(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    site = repo / "content/site.yaml"
    hostile = "A </script><script>alert(1)</script> & co"
    site.write_text(site.read_text("utf-8").replace("Minimal Partnership site", hostile), "utf-8")
    build_site(repo, tmp_path / "site", today=TODAY, cache=False)
    page = (tmp_path / "site/en/data/index.html").read_text("utf-8")
    assert "<script>alert" not in page
    assert dataset(page)["name"] == hostile
    assert f'<meta property="og:site_name" content="{html.escape(hostile)}">' in page


def test_icons_and_link_previews(built: Path) -> None:
    page = (built / "fr/index.html").read_text("utf-8")
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
    assert icon and touch
    base = built / "fr"
    assert (base / icon.group(1)).resolve().read_bytes().startswith(b"<svg")
    assert (base / touch.group(1)).resolve().read_bytes().startswith(b"\x89PNG")
    assert '<meta property="og:locale" content="fr_FR">' in page
    assert '<meta property="og:url" content="https://example.org/fr/">' in page
    image = re.search(r'<meta property="og:image" content="https://example.org/([^"]+)">', page)
    assert image and (built / image.group(1)).is_file()
    assert '<meta name="twitter:card" content="summary">' in page


def test_the_header_searches_the_list_and_the_menu_has_the_data(built: Path) -> None:
    page = (built / "en/index.html").read_text("utf-8")
    assert re.search(
        r'<form class="header-search" role="search" aria-label="[^"]+" action="search/"', page
    )
    assert '<input id="header-search-query" name="q" type="search"' in page
    assert '<a href="data/">Data</a>' in page


@pytest.mark.parametrize(
    ("url", "french"),
    [
        (
            "https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj",
            "https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj/fra",
        ),
        (
            "https://eur-lex.europa.eu/eli/dec/2018/1544/oj/eng",
            "https://eur-lex.europa.eu/eli/dec/2018/1544/oj/fra",
        ),
        (
            "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02018R1542-20260703",
            "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:02018R1542-20260703",
        ),
        (
            "https://www.legislation.gov.uk/uksi/2019/618",
            "https://www.legislation.gov.uk/uksi/2019/618",
        ),
        (
            "https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj/extra",
            "https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj/extra",
        ),
    ],
)
def test_official_texts_in_the_readers_language(url: str, french: str) -> None:
    assert in_language(url, "fr", "en") == french
    assert in_language(url, "en", "en") == url  # the records' language: as recorded
    assert in_language(url, "ru", "en") == url  # not a language of EUR-Lex


def test_french_pages_link_to_the_french_eur_lex(built: Path) -> None:
    english = (built / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    french = (built / "fr/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert 'href="https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj"' in english
    assert 'href="https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj/fra"' in french
    record = json.loads((built / "data/subjects/alexander-mishkin.json").read_text("utf-8"))
    assert (
        record["subject"]["sanctions"][0]["url"]
        == "https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj"
    )
