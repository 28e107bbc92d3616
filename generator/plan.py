"""The plan stage: every file of the site, each with the fingerprint of what it depends on
(hashed, see fingerprint.py). Nothing is rendered yet; the publisher compares the plan with what
the previous builds hold, and only the files whose fingerprint changed are made.

The search index is made here (each of its parts that the cache does not have), for Pagefind
names its files after their content: the plan cannot name them otherwise. The static assets
too are read here.

``common`` covers what any page may show: the generator, the templates, content/ (the site's
configuration, participants, cases, pages), the build date and the day the list last changed
(every footer states both). On top of it:

- a subject's page: its record's bytes, the records it links to or that link to it, and its
  history; its feed and a withdrawn record's page: the record and its history;
- the data page: also the downloads (their sizes and checksums) and the revision, with its day;
- every other page: the listing view of all records (render.py's ``listing_view``: what lists,
  counts and change logs show, without details), with the history; those pages are rendered
  from that view only, so a record's details cannot reach them unseen;
- the downloads, as their registry says (downloads.py): a subject's JSON file, its record and
  history, the source revision and the record count; the whole-list downloads, every record,
  the history and the source revision; the checksums, every other download;
- each part of the search index: its subjects' names, grounds and what results show, and the
  words of the whole index; the screening index: all of them; the list pages' compact listing
  (listing_file.py): the listing view, as the list pages; the sitemap: the list of pages and the
  history; static assets: their bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import downloads, urls
from generator.assets import Asset
from generator.cache import Store
from generator.dataset import Version, last_updated
from generator.downloads import CHECKSUMS, SUBJECT
from generator.fingerprint import code_version, digest, object_digest
from generator.listing_file import LISTING_PATH, listing_json
from generator.model import Site, Subject
from generator.publish import Planned
from generator.render import DETAIL_TEMPLATES, FEED, LATE_TEMPLATES, PagePlan, Renderer
from generator.search import index_files


@dataclass(frozen=True, slots=True)
class Plan:
    """Every file of the build with its fingerprint, and what making them needs."""

    site: Site
    renderer: Renderer
    pages: list[PagePlan]
    planned: list[Planned]
    generated: dict[str, bytes]  # files already made while planning (static, search index)


@dataclass(frozen=True, slots=True)
class Context:
    """What the plan depends on besides the site: the templates, the digest of the templates
    and content/ (``sources``, see fingerprint.sources_digest), the commit the repository is at
    and the day it was made, and the cache folder (None: no cache)."""

    templates: Path
    sources: str
    revision: str | None
    cache: Path | None
    committed: dt.date | None = None


def plan_site(site: Site, context: Context) -> Plan:
    """List the files of the site, each with the fingerprint of its inputs."""
    bytecode = context.cache / "jinja" if context.cache else None
    version = Version(context.revision, context.committed)
    rows = downloads.data_page_rows()
    renderer = Renderer(site, context.templates, bytecode, data_files=rows, version=version)
    keys = Keys(renderer, context.sources, context.revision)
    pages = renderer.plans()
    search = index_files(site, keys.search, context.cache)
    listing = Store.open(context.cache, "listing")
    search[LISTING_PATH] = listing.remember(keys.listing, lambda: listing_json(renderer.listing))
    listing.save()
    static = _static_files(renderer.assets)
    planned = [Planned(urls.file_of(page.path), keys.page(page)) for page in pages]
    planned += keys.downloads
    planned += keys.sitemap([item.path for item in planned])
    planned += [Planned(path, keys.static(data)) for path, data in static.items()]
    planned += [Planned(path, keys.static(data)) for path, data in search.items()]
    return Plan(site, renderer, pages, planned, {**static, **search})


def _listing_digest(subject: Subject, view: Subject) -> str:
    """The digest of a subject's listing view, computed once per record version: kept with the
    record in the build cache (``Subject.derived``); pickling every view again took 0.2 s of
    each build at 10,000 records."""
    known: str | None = subject.derived.get("listing_digest")
    if known is None:
        known = subject.derived["listing_digest"] = object_digest(view)
    return known


def _static_files(assets: Mapping[str, Asset]) -> dict[str, bytes]:
    """The files of templates/static/ under their published, content-hashed names only."""
    return {asset.path: asset.data for asset in assets.values()}


class Keys:
    """The fingerprint of each kind of file (see the module's docstring)."""

    def __init__(self, renderer: Renderer, sources: str, revision: str | None) -> None:
        site = renderer.site
        self.site = site
        self.index = renderer.index
        self.revision = revision or ""
        self.version = repr(renderer.version)
        updated = last_updated(site)
        self.common = digest(
            code_version(), sources, site.as_of.isoformat(), updated.isoformat() if updated else ""
        )
        self.history = site.history or {}
        self.history_digest = object_digest(sorted(self.history.items()))
        listing = renderer.listing
        self.listing = digest(
            self.common,
            *map(_listing_digest, site.subjects, listing.subjects),
            object_digest(listing.tombstones),
            self.history_digest,
        )
        fingerprints = sorted(site.fingerprints.items())
        records = digest(self.common, *(f"{id_}={value}" for id_, value in fingerprints))
        self.all = digest(records, self.history_digest, self.revision)
        # The files under data/ and the digest of their keys (the data page shows them all).
        self.downloads, self.data = self._downloads()

    def page(self, plan: PagePlan) -> str:
        if plan.template in LATE_TEMPLATES:  # the data page
            return f"{digest(self.listing, self.version, self.data)}:{plan.template}:{plan.path}"
        subject = plan.context.get("subject") or plan.context.get("tombstone")
        if subject is None or plan.template not in DETAIL_TEMPLATES:
            return f"{self.listing}:{plan.template}:{plan.path}"
        if plan.template == FEED:  # its changes only: not the records it links to
            return f"{self._own(subject.id)}:{plan.template}:{plan.path}"
        return f"{self._record(subject.id)}:{plan.template}:{plan.path}"

    @functools.cache  # noqa: B019 - one Keys per build
    def _record(self, subject_id: str) -> str:
        """A record's page inputs, shared by its pages in every language."""
        fingerprints = self.site.fingerprints
        linked = [
            f"{link.relation}:{link.subject.id}={fingerprints[link.subject.id]}"
            for link in self.index.links.get(subject_id, ())
        ]
        return digest(self._own(subject_id), *linked)

    def _own(self, subject_id: str) -> str:
        """A record's own inputs: its bytes and its history."""
        history = repr(self.history.get(subject_id))
        return digest(self.common, self.site.fingerprints[subject_id], history)

    def _downloads(self) -> tuple[list[Planned], str]:
        """The files under data/, as registered (their contents are produced only when one has
        changed); the checksum files last, for they describe every other. With the digest of
        every other download's key."""
        count = str(len(self.site.subjects))
        planned, checksums = [], []
        for download in downloads.DOWNLOADS:
            if download.covers == CHECKSUMS:
                checksums += download.paths(self.site)
            elif download.covers == SUBJECT:
                for subject, path in zip(
                    self.site.subjects, download.paths(self.site), strict=True
                ):
                    own = self.site.fingerprints[subject.id]
                    history = repr(self.history.get(subject.id))
                    key = digest(self.common, self.revision, count, own, history)
                    planned.append(Planned(path, key))
            else:
                planned += [Planned(path, digest(self.all, download.name))
                            for path in download.paths(self.site)]  # fmt: skip
        summary = digest(*(item.key for item in planned))
        return planned + [Planned(path, summary) for path in checksums], summary

    def search(self, subjects: Sequence[Subject]) -> str:
        """What a part of the search index is made of: the subjects' names, identifiers,
        grounds and what results show, and the screening rules (part of the generator's code).
        """
        return digest(self.common, *(self._shown(subject) for subject in subjects))

    def _shown(self, subject: Subject) -> str:
        """The digest of what the search indexes show of a subject, kept with the record (its
        cache entry is one day's: the status is that day's)."""
        known: str | None = subject.derived.get("search_digest")
        if known is None:
            shown = (
                subject.id,
                subject.name,
                subject.aliases,
                subject.type,
                subject.authorities,
                subject.status_on(self.site.as_of),
                subject.birth_date,
                subject.countries,
                subject.identifiers,
                subject.grounds,
            )
            known = subject.derived["search_digest"] = object_digest(shown)
        return known

    def sitemap(self, paths: list[str]) -> list[Planned]:
        key = digest(self.common, *paths, self.history_digest)
        return [Planned("sitemap.xml", key), Planned("robots.txt", key)]

    @staticmethod
    def static(data: bytes) -> str:
        return digest(data)
