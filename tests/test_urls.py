"""Relative links between pages, so that the site works under any base path."""

from __future__ import annotations

import pytest

from generator import urls


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("en/designations/x/", "static/style.css", "../../../static/style.css"),
        ("en/designations/x/", "en/", "../../"),
        ("en/designations/x/", "fr/designations/x/", "../../../fr/designations/x/"),
        ("en/", "en/", "./"),
        ("en/", "en/news/", "news/"),
        ("index.html", "en/", "en/"),
        ("index.html", "static/style.css", "static/style.css"),
        ("404.html", "", "./"),
    ],
)
def test_relative(source: str, target: str, expected: str) -> None:
    assert urls.relative(source, target) == expected


def test_addresses_are_directories_served_by_index_files() -> None:
    assert urls.file_of(urls.subject("fr", "gosniiokht")) == "fr/designations/gosniiokht/index.html"
    assert urls.authority("en", "EU") == "en/authorities/eu/"
