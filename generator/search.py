"""Search: the name-screening index, and every subject's names and grounds indexed by Pagefind.

The search box screens names first (``generator/screening``: ``search/names.json``, scored in
the page); Pagefind then finds the pages whose text mentions the words (a company named in
someone's grounds, a place).

Why Pagefind: a static index (no server), loaded in small chunks by the browser, with prefix
matching for partial words, one index per language, and a PyPI package that ships its binary.
What it cannot know is that "Hassan" and "Hasan", or "Боширов" and "Boshirov", are one name:
so each subject is indexed as a custom record whose text holds its names and their variants
(ASCII transliteration with anyascii, case and accents folded, doubled letters collapsed, the
Arabic article dropped or joined), and the page's script transliterates the query the same way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii
from markupsafe import escape
from pagefind_bin import get_executable

from generator import urls
from generator.cache import Store
from generator.i18n import translations
from generator.labels import LABELS
from generator.model import Site, Subject
from generator.names import fold
from generator.publish import Output
from generator.screening.index import INDEX_PATH, index_json

OUTPUT_FOLDER = "pagefind"
# Where the scratch pages and Pagefind's output go when the system has it: a folder in memory.
MEMORY = "/dev/shm"
BYTES_PER_PAGE = 32 * 1024  # room kept for each scratch page and its share of the index (6 KiB)
ARTICLES = frozenset({"al", "el", "ul"})  # the Arabic article as transliterated: al-Assad
DOUBLED = re.compile(r"(\w)\1+")
UNUSED = re.compile(r"-ui\.(js|css)$|highlight")  # Pagefind's ready-made interfaces: not used


def name_variants(name: str) -> set[str]:
    """The spellings under which a reader may look for ``name``."""
    variants = {name, anyascii(name)}
    folded = fold(anyascii(name))
    for text in (folded, DOUBLED.sub(r"\1", folded)):
        words = text.split()
        variants.add(text)
        without = [word for word in words if word not in ARTICLES]
        variants.add(" ".join(without))
        variants.add(" ".join(_join_articles(words)))
    return {variant for variant in variants if variant}


def _join_articles(words: list[str]) -> Iterator[str]:
    """``al assad`` -> ``alassad``: the article written as part of the name."""
    pending = ""
    for word in words:
        if word in ARTICLES:
            pending += word
            continue
        yield pending + word
        pending = ""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    id: str
    url: str
    lang: str
    content: str
    meta: dict[str, str]


def search_records(site: Site) -> Iterator[SearchRecord]:
    """One record per subject and language: its names and variants, and what results show."""
    for lang in site.config.languages:
        gettext = translations(lang).gettext
        for subject in site.subjects:
            meta = {
                "title": subject.name,
                "type": gettext(LABELS[subject.type]),
                "authorities": ", ".join(subject.authorities),
                "status": gettext(LABELS[subject.status_on(site.as_of)]),
            }
            grounds = subject.grounds.get(lang) or next(iter(subject.grounds.values()), "")
            content = _indexed_names(subject) + "\n" + grounds
            yield SearchRecord(subject.id, urls.subject(lang, subject.id), lang, content, meta)


def _indexed_names(subject: Subject) -> str:
    """A subject's names and their variants as indexed, computed once per record version: kept
    with the record in the build cache (``Subject.derived``), as a rebuild indexes every record
    again."""
    text: str | None = subject.derived.get("indexed_names")
    if text is None:
        variants = set().union(*(name_variants(name) for name in subject_names(subject)))
        text = subject.derived["indexed_names"] = " · ".join(sorted(variants))
    return text


def search_files(site: Site) -> list[Output]:
    """The Pagefind index of the site, as files under pagefind/, and the screening index."""
    with Indexing(site) as indexing:
        return [Output(path, data) for path, data in indexing.files().items()]


class Indexing:
    """The search index being made by Pagefind, in its own process (see ``search_files``).

    Each record becomes a tiny HTML page in a scratch folder (Pagefind reads its language from
    ``lang``, its text from the body and its result fields from ``data-pagefind-meta``, the
    subject page's address included: ``url``); the Pagefind binary indexes that folder in one
    run, far faster than one call per record. The pages lie flat, one folder per language:
    a folder per record, as the site's addresses would have it, cost more than Pagefind itself
    on a disk (10,000 folders made and deleted: 8 s at 10,000 records). The scratch folder is
    in memory where the system offers one (``scratch_folder``). It is started at once
    and waited for in ``files()``; used as a context manager, a build interrupted in between
    stops it and deletes the scratch folder.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        count = len(site.subjects) * len(site.config.languages)
        self._scratch = tempfile.TemporaryDirectory(
            prefix="noimpunity-search-", dir=scratch_folder(count)
        )
        scratch = Path(self._scratch.name)
        pages, self._index = scratch / "pages", scratch / "index"
        for lang in site.config.languages:
            (pages / lang).mkdir(parents=True)
        for record in search_records(site):
            path = pages / record.lang / f"{record.id}.html"
            path.write_text(_record_page(record), "utf-8")
        self._log = scratch / "pagefind.log"
        command = [str(get_executable()), "--site", str(pages), "--output-path", str(self._index)]
        # Its messages go to a file, not a pipe: the workers forked meanwhile inherit no pipe
        # end, and nothing has to drain a pipe while the build waits for its workers.
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def files(self) -> dict[str, bytes]:
        """Wait for Pagefind; the screening index and Pagefind's files, by path."""
        if self._process.wait() != 0:
            said = self._log.read_text("utf-8", errors="replace").strip()
            raise RuntimeError(f"pagefind failed: {said}")
        found = sorted(path for path in self._index.rglob("*") if path.is_file())
        files = {INDEX_PATH: index_json(self.site)}
        for path in found:
            if not UNUSED.search(path.name):
                files[f"{OUTPUT_FOLDER}/{path.relative_to(self._index).as_posix()}"] = _stable(path)
        return files

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, *failure: object) -> None:
        """Stop Pagefind if it still runs, and delete the scratch folder."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._scratch.cleanup()


def index_files(site: Site, key: str, cache: Path | None) -> dict[str, bytes]:
    """The search index stage: the files of ``search_files`` by path, made once for each
    ``key`` (the fingerprint of what the index shows) and kept in the ``cache`` folder.

    Made while planning, as Pagefind names its files after their content. Running Pagefind
    beside the render workers instead was measured (10,000 records, two cores): 10 % less
    time, 25-40 % more peak memory (Pagefind's and the workers' at once); not worth it while
    memory is the larger gap to its target (benchmarks/README.md)."""
    store = Store.open(cache, "search")
    files: dict[str, bytes] = store.remember(
        key, lambda: {output.path: output.data for output in search_files(site)}
    )
    store.save()
    return files


def _stable(path: Path) -> bytes:
    """The file's bytes; JSON with its keys sorted (Pagefind writes languages in any order)."""
    data = path.read_bytes()
    if path.suffix != ".json":
        return data
    return json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()


def _record_page(record: SearchRecord) -> str:
    fields = {**record.meta, "url": "/" + record.url}  # the result's address (search.js)
    meta = "".join(
        f'<span data-pagefind-meta="{key}:{escape(value)}"></span>'
        for key, value in sorted(fields.items())
    )
    return (
        f'<!DOCTYPE html><html lang="{record.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(record.meta['title'])}</title></head>"
        f"<body data-pagefind-body>{meta}<p>{escape(record.content)}</p></body></html>\n"
    )


def subject_names(subject: Subject) -> list[str]:
    return [subject.name, *(alias.name for alias in subject.aliases)]


def scratch_folder(pages: int) -> str | None:
    """The folder in memory (``MEMORY``) when there is one with room for ``pages`` scratch
    pages and their index, else the system's temporary folder.

    At 10,000 records, writing the scratch pages and Pagefind's 20,000 files in memory rather
    than on this machine's disk saved 0.5-3 s of a build. It also makes the index the same on
    every Linux system: Pagefind's output follows the order in which the folder lists the
    pages, which in memory is the reverse of the order they were written (the subjects'), and
    on a disk follows a hash of their names particular to the disk. Room is checked first: a
    container may have a small one (64 MiB by default in Docker)."""
    try:
        free = os.statvfs(MEMORY)
    except OSError:
        return None
    room = free.f_bavail * free.f_frsize >= pages * BYTES_PER_PAGE
    return MEMORY if room and os.access(MEMORY, os.W_OK) else None
