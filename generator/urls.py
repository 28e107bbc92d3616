"""Where each page lives in site/, and relative links between pages.

Every page is a directory with an ``index.html`` so that addresses stay clean and permanent
(``/en/designations/<id>/``). Links are relative, so the site works under any base path.
"""

from __future__ import annotations

# The address of the subjects' pages: an address, not the repository's folder of the same name.
SUBJECTS = "designations"


def home(lang: str) -> str:
    return f"{lang}/"


def subjects(lang: str) -> str:
    return f"{lang}/{SUBJECTS}/"


def subject(lang: str, subject_id: str) -> str:
    return f"{lang}/{SUBJECTS}/{subject_id}/"


def browse(lang: str, facet: str, value: str) -> str:
    """The list narrowed to one value of a facet: ``en/browse/country/sy/``."""
    return f"{lang}/browse/{facet}/{value.lower()}/"


def by_date(lang: str) -> str:
    return f"{lang}/browse/by-date/"


def changes(lang: str) -> str:
    return f"{lang}/changes/"


def feed(lang: str) -> str:
    return f"{lang}/feed.xml"


def feed_page(first: str, number: int) -> str:
    """A page of the paged feed (RFC 5005): the feed's own address for the first,
    ``feed/N.xml`` beside it for the others."""
    return first if number == 1 else f"{first.removesuffix('.xml')}/{number}.xml"


def feed_of(page_address: str) -> str:
    """The Atom feed of one subject, authority or case: ``feed.xml`` in its page's folder."""
    return f"{page_address}feed.xml"


def data(lang: str) -> str:
    return f"{lang}/data/"


def search(lang: str) -> str:
    return f"{lang}/search/"


def authorities(lang: str) -> str:
    return f"{lang}/authorities/"


def authority(lang: str, code: str) -> str:
    return f"{lang}/authorities/{code.lower()}/"


def cases(lang: str) -> str:
    return f"{lang}/cases/"


def case(lang: str, case_id: str) -> str:
    return f"{lang}/cases/{case_id}/"


def participants(lang: str) -> str:
    return f"{lang}/participants/"


def page(lang: str, slug: str) -> str:
    return f"{lang}/{slug}/"


def news(lang: str) -> str:
    return f"{lang}/news/"


def news_item(lang: str, slug: str) -> str:
    return f"{lang}/news/{slug}/"


def file_of(path: str) -> str:
    """The file that serves an address: ``en/`` -> ``en/index.html``."""
    return f"{path}index.html" if path.endswith("/") or not path else path


def relative(from_path: str, to_path: str) -> str:
    """Link from the page at ``from_path`` to ``to_path`` (both relative to the site root).

    Pure string work on ``/``-separated addresses (called tens of times per page): the common
    leading folders are dropped and each remaining folder of ``from_path`` becomes ``..``.
    """
    here = from_path.split("/")[:-1]  # the folders of the page: "en/x/" -> [en, x]
    there = to_path.split("/")
    common = 0
    limit = min(len(here), len(there) - 1)
    while common < limit and here[common] == there[common]:
        common += 1
    link = "/".join([".."] * (len(here) - common) + there[common:])
    if not link:
        return "./"
    if link.endswith("/") or not there[-1]:
        return link
    return link if to_path else link + "/"
