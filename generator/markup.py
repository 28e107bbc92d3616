"""Markdown (grounds, pages) -> HTML that cannot carry markup or script of its own.

Raw HTML in the Markdown is not interpreted: it comes out as visible text. The HTML that
Markdown produces is then cleaned against an allow-list with nh3, which also adds
``rel="noopener noreferrer"`` to links and keeps only http(s) and mailto addresses.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


class MarkdownRenderer:
    """Converts Markdown to clean HTML; one instance is reused for every text of a build."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        # Treat raw HTML as text: without these, Markdown passes tags through untouched.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def render(self, text: str) -> Markup:
        html = self._md.reset().convert(text)
        clean = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
        return Markup(clean)  # cleaned by nh3 just above
