"""The fingerprint of every file of the site: what it depends on, hashed (see fingerprint.py).

``common`` covers what any page may show: the generator, the templates, content/ (the site's
configuration, participants, cases, pages) and the build date. On top of it:

- a subject's page: its record's bytes, the records it links to or that link to it, and its
  history; a withdrawn record's page: its record and history;
- every other page: the listing view of all records (render.py's ``listing_view``: what lists,
  counts and change logs show, without details), with the history; those pages are rendered
  from that view only, so a record's details cannot reach them unseen;
- a subject's JSON download: its record and history, the source revision and the record count;
  the whole-list downloads: every record, the history and the source revision;
- the search index: every name and what results show; the sitemap: the list of pages and the
  history; static assets: their bytes.
"""

from __future__ import annotations

import functools

from generator.export.data import DATA, WHOLE_LIST
from generator.fingerprint import code_version, digest, object_digest
from generator.publish import Planned
from generator.render import DETAIL_TEMPLATES, PagePlan, Renderer

SEARCH_FOLDER = "pagefind"


class Keys:
    def __init__(self, renderer: Renderer, sources: str, revision: str | None) -> None:
        site = renderer.site
        self.site = site
        self.index = renderer.index
        self.revision = revision or ""
        self.common = digest(code_version(), sources, site.as_of.isoformat())
        self.history = site.history or {}
        self.history_digest = object_digest(sorted(self.history.items()))
        listing = renderer.listing
        self.listing = digest(
            self.common,
            object_digest((listing.subjects, listing.tombstones)),
            self.history_digest,
        )
        fingerprints = sorted(site.fingerprints.items())
        records = digest(self.common, *(f"{id_}={value}" for id_, value in fingerprints))
        self.all = digest(records, self.history_digest, self.revision)

    def page(self, plan: PagePlan) -> str:
        subject = plan.context.get("subject") or plan.context.get("tombstone")
        if subject is None or plan.template not in DETAIL_TEMPLATES:
            return f"{self.listing}:{plan.template}:{plan.path}"
        return f"{self._record(subject.id)}:{plan.template}:{plan.path}"

    @functools.cache  # noqa: B019 - one Keys per build
    def _record(self, subject_id: str) -> str:
        """A record's page inputs, shared by its pages in every language."""
        fingerprints = self.site.fingerprints
        linked = [
            f"{link.relation}:{link.subject.id}={fingerprints[link.subject.id]}"
            for link in self.index.links.get(subject_id, ())
        ]
        history = repr(self.history.get(subject_id))
        return digest(self.common, fingerprints[subject_id], history, *linked)

    def downloads(self) -> list[Planned]:
        """The files under data/ (their contents are produced only when one has changed)."""
        count = str(len(self.site.subjects))
        planned = [Planned(f"{DATA}/{path}", digest(self.all, path)) for path in WHOLE_LIST]
        for subject in self.site.subjects:
            own = self.site.fingerprints[subject.id]
            history = repr(self.history.get(subject.id))
            key = digest(self.common, self.revision, count, own, history)
            planned.append(Planned(f"{DATA}/subjects/{subject.id}.json", key))
        # index.json and SHA256SUMS describe every file above
        summary = digest(*(item.key for item in planned))
        planned += [Planned(f"{DATA}/{path}", summary) for path in ("index.json", "SHA256SUMS")]
        return planned

    def search(self) -> str:
        """What the search indexes are made of: names, identifiers, grounds and what results
        show, per subject, and the screening rules (part of the generator's code)."""
        shown = [
            (
                s.id,
                s.name,
                s.aliases,
                s.type,
                s.authorities,
                s.status_on(self.site.as_of),
                s.birth_date,
                s.countries,
                s.identifiers,
                s.grounds,
            )
            for s in self.site.subjects
        ]
        return digest(self.common, object_digest(shown))

    def sitemap(self, paths: list[str]) -> list[Planned]:
        key = digest(self.common, *paths, self.history_digest)
        return [Planned("sitemap.xml", key), Planned("robots.txt", key)]

    @staticmethod
    def static(data: bytes) -> str:
        return digest(data)
