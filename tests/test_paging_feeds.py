"""Lists that scale and changes to follow: the lists in pages (stable addresses, previous and
next, page numbers, rel=prev/next, an A–Z index to the right page), the changes paged, and an
Atom feed for each subject, authority and case, linked from its page (pages of 2 here, so that
the minimal site's three subjects fill two)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from generator import paging
from generator.build import build_site
from generator.paging import Paging
from tests.conftest import MINIMAL, TODAY
from tests.test_git_history import make_repo

SUBJECTS = (
    "alexander-mishkin",
    "main-intelligence-directorate",
    "scientific-studies-and-research-centre",
)
LINK = re.compile(r'<th scope="row"><a href="(?:[^"]*/)?([^/"]+)/">')  # a subject's id


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    repo = make_repo(tmp_path)  # a git history: the subjects' feeds have amendments too
    build_site(repo, tmp_path / "site", today=TODAY, cache=False)
    return tmp_path / "site"


def read(site: Path, address: str) -> str:
    return (site / address / "index.html").read_text("utf-8")


def test_the_list_comes_in_pages_with_every_subject_once(built: Path) -> None:
    first, second = read(built, "en/designations"), read(built, "en/designations/page/2")
    assert LINK.findall(first) + LINK.findall(second) == list(SUBJECTS)
    assert not (built / "en/designations/page/3").exists()
    assert '<link rel="next" href="page/2/">' in first and 'rel="prev"' not in first
    assert '<link rel="prev" href="../../">' in second and 'rel="next"' not in second
    assert "1 to 2 of 3, page 1 of 2." in first and "3 to 3 of 3, page 2 of 2." in second
    assert '<span aria-current="page">2</span>' in second
    assert 'hreflang="fr" href="https://example.org/fr/designations/page/2/"' in second
    assert "3 names, of which" in second  # the whole list's count on each page
    sitemap = (built / "sitemap.xml").read_text("utf-8")
    assert "https://example.org/fr/designations/page/2/" in sitemap


def test_the_a_to_z_index_leads_to_the_page_of_each_letter(built: Path) -> None:
    second = read(built, "en/designations/page/2")
    index = second[second.index('<nav class="az"') :]
    index = index[: index.index("</nav>")]
    assert re.findall(r'<a href="([^"]*)">([A-Z#])</a>', index) == [
        ("../../#letter-A", "A"),
        ("../../#letter-M", "M"),
        ("#letter-S", "S"),
    ]
    assert 'id="letter-S"' in second


def test_one_page_lists_have_no_page_links(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    build_site(repo, tmp_path / "site", today=TODAY, cache=False)
    page = read(tmp_path / "site", "en/designations")
    assert 'class="paging"' not in page and 'rel="next"' not in page
    assert LINK.findall(page) == list(SUBJECTS)


def test_authority_pages_and_the_changes_are_paged(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (built / "fr/changes/page/2/index.html").is_file()
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    repo = tmp_path / "one"
    shutil.copytree(MINIMAL, repo)
    build_site(repo, tmp_path / "one-site", today=TODAY, cache=False)
    pages = [read(tmp_path / "one-site", "en/authorities/eu"),
             read(tmp_path / "one-site", "en/authorities/eu/page/2")]  # fmt: skip
    assert [LINK.findall(page) for page in pages] == [["alexander-mishkin"], [SUBJECTS[2]]]
    assert not (tmp_path / "one-site/en/authorities/eu/page/3").exists()


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (5, 10, [1, None, 3, 4, 5, 6, 7, None, 10]),
        (1, 10, [1, 2, 3, None, 10]),
        (10, 10, [1, None, 8, 9, 10]),
        (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
    ],
)
def test_the_page_numbers_shown(number: int, count: int, shown: list[int | None]) -> None:
    addresses = tuple(f"p{n}/" for n in range(1, count + 1))
    assert Paging(number, addresses, 0, 0, 1, 1).shown() == shown


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_subject_has_its_feed_linked_from_its_page(built: Path, lang: str) -> None:
    for subject in SUBJECTS:
        page = read(built, f"{lang}/designations/{subject}")
        assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in page
        assert '<a href="feed.xml" type="application/atom+xml">' in page
        feed = feedparser.parse((built / f"{lang}/designations/{subject}/feed.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.link == f"https://example.org/{lang}/designations/{subject}/"
        links = {entry.link for entry in feed.entries}
        assert links == {f"https://example.org/{lang}/designations/{subject}/"}
    mishkin = feedparser.parse((built / "en/designations/alexander-mishkin/feed.xml").read_bytes())
    assert [entry.title for entry in mishkin.entries] == [
        "Record amended: Alexander Yevgeniyevich Mishkin",
        "Listed: Alexander Yevgeniyevich Mishkin (European Union)",
    ]


def test_authority_and_case_feeds(built: Path) -> None:
    eu = feedparser.parse((built / "en/authorities/eu/feed.xml").read_bytes())
    assert not eu.bozo and eu.feed.title.endswith("designations by European Union")
    assert len(eu.entries) == 2 and all("(European Union)" in e.title for e in eu.entries)
    assert 'href="feed.xml"' in read(built, "en/authorities/eu")
    case = feedparser.parse((built / "fr/cases/salisbury-2018/feed.xml").read_bytes())
    assert not case.bozo and case.entries
    assert 'href="feed.xml"' in read(built, "fr/cases/salisbury-2018")


def test_the_changes_feed_is_paged(built: Path) -> None:
    first = feedparser.parse((built / "en/feed.xml").read_bytes())
    assert not first.bozo and len(first.entries) == 2
    rels = {link.rel: link.href for link in first.feed.links}
    assert rels["next"] == "https://example.org/en/feed/2.xml"
    assert rels["first"] == "https://example.org/en/feed.xml"
    pages = [first]
    while "next" in {link.rel for link in pages[-1].feed.links}:
        following = {link.rel: link.href for link in pages[-1].feed.links}["next"]
        path = built / following.removeprefix("https://example.org/")
        pages.append(feedparser.parse(path.read_bytes()))
    entries = [entry.id for page in pages for entry in page.entries]
    assert len(entries) == len(set(entries)) >= 4  # three listings and an amendment
    assert {link.rel for link in pages[-1].feed.links} >= {"previous", "first", "last"}


def test_the_listing_file_holds_the_list_in_its_order(built: Path) -> None:
    listing = json.loads((built / "search/listing.json").read_text("utf-8"))
    rows = [dict(zip(listing["fields"], values, strict=True)) for values in listing["subjects"]]
    assert [row["id"] for row in rows] == list(SUBJECTS)
    mishkin = rows[0]
    assert mishkin == {
        "id": "alexander-mishkin",
        "name": "Alexander Yevgeniyevich Mishkin",
        "type": "person",
        "status": "listed",
        "countries": ["RU"],
        "authorities": ["EU"],
        "cases": ["salisbury-2018"],
        "first": "2019-01-21",
        "latest": "2019-01-21",
    }
    page = read(built, "en/designations")
    assert '<form class="filters combine" id="combine" hidden' in page
    assert 'data-listing="../../search/listing.json"' in page
