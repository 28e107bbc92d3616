"""Markdown from records and pages can never inject markup or script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from generator.markup import ALLOWED_TAGS, MarkdownRenderer

RENDERER = MarkdownRenderer()


class ElementCollector(HTMLParser):
    """Every element and attribute a browser would see in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = ElementCollector()
    collector.feed(html)
    return collector.elements


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)>",
        "<div onclick='alert(1)'>block</div>",
        "[click](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "<iframe src='https://example.org'></iframe>",
        "<style>body{display:none}</style>",
        "[x](jav&#x09;ascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[a]: javascript:alert(1)\n\n[x][a]",
        "![i](javascript:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>",
        '[x](https://example.org/"onmouseover="alert(1))',
    ],
)
def test_raw_html_and_script_urls_are_neutralised(text: str) -> None:
    for tag, attributes in elements(str(RENDERER.render(text))):
        assert tag in ALLOWED_TAGS
        for name, value in attributes:
            assert not name.startswith("on")
            address = "".join((value or "").split()).lower()
            assert not address.startswith(("javascript:", "data:"))


def test_raw_html_stays_visible_as_text() -> None:
    assert str(RENDERER.render("a <b>bold</b> claim")) == "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>"


def test_markdown_still_works() -> None:
    html = str(RENDERER.render("**Strong** and [a link](https://example.org)\n\n- one\n- two"))
    assert "<strong>Strong</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](https://example.org/)",
        "<https://example.org/>",
        "[x](//example.org/)",
        "[x](http://a.b)",
    ],
)
def test_links_off_the_site_get_noopener_noreferrer(text: str) -> None:
    [(tag, attributes)] = elements(str(RENDERER.render(text)))[1:]
    assert tag == "a"
    assert dict(attributes)["rel"] == "noopener noreferrer"
