"""The change log and the Atom feed, from the records' dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import feedparser

from generator.build import build_site
from generator.changelog import changes
from generator.read import read_site
from tests.conftest import MINIMAL, TODAY


def test_changes_of_the_minimal_site_newest_first() -> None:
    site, _problems = read_site(MINIMAL, TODAY)
    assert site is not None
    assert [
        (c.date.isoformat(), c.kind, c.subject.id, c.sanction.authority) for c in changes(site)
    ] == [
        ("2019-01-21", "listed", "alexander-mishkin", "EU"),
        ("2019-01-21", "listed", "scientific-studies-and-research-centre", "EU"),
        ("2018-07-18", "lifted", "scientific-studies-and-research-centre", "FR"),
        ("2018-01-18", "listed", "scientific-studies-and-research-centre", "FR"),
        ("2016-12-28", "listed", "main-intelligence-directorate", "US"),
    ]


def test_future_changes_are_not_shown_yet() -> None:
    site, _problems = read_site(MINIMAL, TODAY)
    assert site is not None
    earlier = replace(site, as_of=dt.date(2018, 12, 31))
    assert max(change.date for change in changes(earlier)) == dt.date(2018, 7, 18)


def test_lifting_a_sanction_reaches_the_change_log_and_the_feed(
    minimal_copy: Path, tmp_path: Path
) -> None:
    record = minimal_copy / "designations/alexander-mishkin.yaml"
    text = record.read_text("utf-8").replace(
        "    measures: [asset-freeze, travel-ban]\n",
        "    measures: [asset-freeze, travel-ban]\n    lifted: 2026-11-02\n",
    )
    record.write_text(text, "utf-8")
    output = tmp_path / "site"
    build_site(minimal_copy, output, strict=True, today=TODAY)
    page = (output / "en/changes/index.html").read_text("utf-8")
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert '<time datetime="2026-11-02">2 November 2026</time>' in first_row
    assert '<td data-label="Change">Lifted</td>' in first_row
    feed = feedparser.parse((output / "en/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.updated == "2026-11-02T00:00:00Z"
    entry = feed.entries[0]
    assert entry.title == "Lifted: Alexander Yevgeniyevich Mishkin (European Union)"
    assert entry.link == "https://example.org/en/designations/alexander-mishkin/"
    assert entry.updated == "2026-11-02T00:00:00Z"


def test_french_feed_is_valid_and_translated(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(MINIMAL, output, strict=True, today=TODAY)
    feed = feedparser.parse((output / "fr/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.language == "fr"
    assert len(feed.entries) == 5
    assert feed.entries[0].title.startswith("Inscrit\u00a0: ")
    assert len({entry.id for entry in feed.entries}) == 5
