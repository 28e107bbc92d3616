"""Producing a build's files: plan every file with its fingerprint, then make the missing ones.

Pages are rendered by worker processes straight into the publisher's spare tree; downloads
(from per-subject fragments kept in the cache), the search index and the sitemap are made in
this process. Imported only by builds that have something to do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import jinja2

from generator import parallel, urls
from generator.assets import Asset
from generator.cache import Store
from generator.errors import Location, Problem
from generator.export.data import Fragment, checksum_files, downloads, fragment
from generator.export.schema import schema_text
from generator.export.sitemap import sitemap_files
from generator.fingerprint import code_version, digest, object_digest
from generator.git import record_history
from generator.keys import Keys
from generator.model import RecordHistory, Site
from generator.publish import Output, Planned, Publisher
from generator.render import PagePlan, Renderer, render_into
from generator.search import search_files

Progress = Callable[[str, int, int], None]


@dataclasses.dataclass
class Plan:
    """Every file of the build with its fingerprint, and what producing them needs."""

    site: Site
    renderer: Renderer
    pages: list[PagePlan]
    planned: list[Planned]
    generated: dict[str, bytes]  # files already made while planning (static, search index)


def plan_build(
    site: Site,
    templates: Path,
    sources: str,
    revision: str | None,
    folder: Path | None,
    root: Path,
) -> Plan:
    """Render nothing yet: list the files, each with the fingerprint of its inputs
    (``sources``: the digest of the templates and content/, see fingerprint.sources_digest)."""
    history_store = Store.open(folder, "history")
    site = dataclasses.replace(site, history=_history(root, revision, history_store))
    history_store.save()
    renderer = Renderer(site, templates, folder / "jinja" if folder else None)
    keys = Keys(renderer, sources, revision)
    pages = renderer.plans()
    # Made whole here (its file names are content hashes), unless the cache has it.
    search_store = Store.open(folder, "search")
    search = search_store.remember(keys.search(), lambda: _search(site))
    search_store.save()
    static = _static_files(renderer.assets)
    planned = [Planned(urls.file_of(plan.path), keys.page(plan)) for plan in pages]
    planned += keys.downloads()
    planned += keys.sitemap([item.path for item in planned])
    planned += [Planned(path, keys.static(data)) for path, data in static.items()]
    planned += [Planned(path, keys.static(data)) for path, data in search.items()]
    return Plan(site, renderer, pages, planned, {**static, **search})


def produce(
    plan: Plan,
    needed: list[Planned],
    publisher: Publisher,
    revision: str | None,
    folder: Path | None,
    progress: Progress | None,
) -> int:
    """Make the needed files in the publisher's spare tree; return how many were written."""
    site = plan.site
    wanted = {item.path for item in needed}
    pages = [page for page in plan.pages if urls.file_of(page.path) in wanted]
    count = len(pages)
    report = (lambda finished: progress("pages", finished, count)) if progress else None
    parallel.run(render_into, pages, (plan.renderer, publisher.staging), report)
    others: list[Output] = []
    if any(path.startswith("data/") for path in wanted):
        exports = Store.open(folder, "exports")
        others += write_downloads(site, revision, exports, wanted, publisher)
        exports.save()
    if wanted & {"sitemap.xml", "robots.txt"}:
        others += sitemap_files(site, [urls.file_of(page.path) for page in plan.pages])
    others += [Output(path, data) for path, data in plan.generated.items()]
    for item in others:
        if item.path in wanted:
            publisher.write(item.path, item.data)
    return count + publisher.written


def template_problem(failure: jinja2.TemplateError, root: Path, templates: Path) -> Problem:
    """A template that does not compile or render, as a located problem."""
    name = getattr(failure, "filename", None) or ""
    line = getattr(failure, "lineno", None) or 0
    if not name:  # a rendering error: Jinja puts the template's line in the traceback
        frames = [
            f for f in traceback.extract_tb(failure.__traceback__) if f.filename.endswith(".html")
        ]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno or 0
    path = (templates / name) if name else templates
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return Problem(Location(shown, line, 1 if line else 0), "template", "", str(failure.message))


def write_downloads(
    site: Site, revision: str | None, store: Store | None, wanted: set[str], publisher: Publisher
) -> list[Output]:
    """Write the wanted downloads under data/ as they are made; return the checksum files.

    Every download is measured (size, SHA-256) for the checksums, written or not.
    """
    entries = []
    schema = Output("data/designation.schema.json", schema_text().encode("utf-8"))
    fragments = export_fragments(site, store)
    for path, chunks in downloads(site, revision, fragments, [schema]):
        if path in wanted:
            size, sha256 = publisher.write_chunks(path, chunks)
        else:
            size, sha256 = measure(chunks)
        entries.append((path, size, sha256))
    return checksum_files(entries)


def export_fragments(site: Site, store: Store | None) -> list[Fragment]:
    """Each subject's share of the downloads, computed once per version of its record (kept in
    ``store``), in parallel when many are missing."""
    common = digest(code_version(), object_digest((site.config, site.participants, site.as_of)))
    history = site.history or {}
    keys = [
        digest(common, site.fingerprints.get(subject.id, ""), subject.id,
               repr(history.get(subject.id)))
        if site.fingerprints.get(subject.id) else ""
        for subject in site.subjects
    ]  # fmt: skip
    found: list[Fragment | None] = [store.get(key) if store and key else None for key in keys]
    missing = [number for number, part in enumerate(found) if part is None]
    made = parallel.run(_fragments, missing, site)
    for number, part in zip(missing, made, strict=True):
        found[number] = part
        if store is not None and keys[number]:
            store.put(keys[number], part)
    return [part for part in found if part is not None]


def measure(chunks: Iterable[bytes]) -> tuple[int, str]:
    """Size and SHA-256 of a download that is not written."""
    state, size = hashlib.sha256(), 0
    for chunk in chunks:
        state.update(chunk)
        size += len(chunk)
    return size, state.hexdigest()


def _fragments(site: Site, numbers: Sequence[int]) -> list[Fragment]:
    return [fragment(site, site.subjects[number]) for number in numbers]


def _history(root: Path, revision: str | None, store: Store) -> dict[str, RecordHistory] | None:
    """The records' history from git, computed once per commit."""
    if revision is None:
        return record_history(root)
    history: dict[str, RecordHistory] | None = store.remember(
        digest(revision), lambda: record_history(root)
    )
    return history


def _search(site: Site) -> dict[str, bytes]:
    """The Pagefind index: its files by path."""
    return {output.path: output.data for output in search_files(site)}


def _static_files(assets: Mapping[str, Asset]) -> dict[str, bytes]:
    """The files of templates/static/ under their published, content-hashed names only."""
    return {asset.path: asset.data for asset in assets.values()}
