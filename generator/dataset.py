"""The list as a dataset, as readers and machines are told of it: which version it is (the
commit and its day), when it last changed, its licence, and the schema.org ``Dataset`` of the
data page (JSON-LD) with each file's size and checksum. The footers and the data page show
them (templates/base.html, templates/data.html)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel.core import get_global
from babel.units import format_unit

from generator import urls
from generator.i18n import format_locale
from generator.model import Site


@dataclass(frozen=True, slots=True)
class Version:
    """What the site was built from: the commit of the repository (None: not a git
    repository) and the day it was made."""

    revision: str | None = None
    committed: dt.date | None = None


def last_updated(site: Site) -> dt.date | None:
    """The day the list last changed: the latest day a record was committed (None without
    git history)."""
    return max((history.last for history in (site.history or {}).values()), default=None)


def dataset(
    site: Site,
    version: Version,
    files: Sequence[tuple[str, str, str]],
    measured: Mapping[str, tuple[int, str]] | None,
    lang: str,
) -> dict[str, Any]:
    """The data page's schema.org Dataset: the list, its version, licence and ``files`` (name,
    description, media type) with their size and SHA-256 when ``measured`` (by path)."""
    config, base = site.config, site.config.base_url
    first = config.languages[0]
    found: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": config.title.get(lang) or config.title[first],
        "description": config.description.get(lang) or config.description[first],
        "url": base + urls.data(lang),
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": config.title[first], "url": base},
    }
    if config.licence:
        found["license"] = config.licence.url
    if version.revision:
        found["version"] = version.revision
    updated = last_updated(site)
    if updated:
        found["dateModified"] = updated.isoformat()
    found["distribution"] = [
        _distribution(base, name, media, (measured or {}).get(f"data/{name}"))
        for name, _, media in files
        if not name.endswith("/")  # a folder of one file per subject
    ]
    return found


def _distribution(
    base: str, name: str, media: str, measure: tuple[int, str] | None
) -> dict[str, Any]:
    found = {
        "@type": "DataDownload",
        "name": name,
        "encodingFormat": media,
        "contentUrl": f"{base}data/{name}",
    }
    if measure:
        found |= {"contentSize": f"{measure[0]} B", "sha256": measure[1]}
    return found


def file_size(value: int, lang: str) -> str:
    """A size as readers read it, in the units of their language: 512 B, 12 kB, 1.2 MB."""
    if value < 1000:
        return format_unit(value, "digital-byte", length="short", locale=lang)
    if value < 1_000_000:
        return format_unit(value / 1000, "digital-kilobyte", "short", "#,##0", locale=lang)
    return format_unit(value / 1e6, "digital-megabyte", "short", "#,##0.0", locale=lang)


def open_graph_locale(lang: str) -> str:
    """A language as Open Graph names a locale: the one the site formats dates in (en ->
    en_GB), else the language's likeliest territory (de -> de_DE)."""
    if "_" in format_locale(lang):
        return format_locale(lang)
    likely: Mapping[str, str] = get_global("likely_subtags")
    parts = likely.get(lang, lang).split("_")
    territory = [part for part in parts[1:] if len(part) == 2 and part.isupper()]
    return f"{parts[0]}_{territory[0]}" if territory else lang
