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

A large list's index comes in parts of about ``RECORDS_PER_SHARD`` subjects (``shards``), each
made by its own Pagefind run and cached, merged by the page: a rebuild re-indexes the parts
that hold a changed record. Each part also indexes the list of every word (``vocabulary``), so
that the parts answer a query as one index would.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii
from markupsafe import escape
from pagefind_bin import get_executable

from generator import urls
from generator.cache import Store
from generator.fingerprint import digest, object_digest
from generator.i18n import translations
from generator.labels import LABELS
from generator.model import Site, Subject
from generator.names import fold
from generator.screening.index import INDEX_PATH, entry, index_json

OUTPUT_FOLDER = "pagefind"
# Subjects per part of the full-text index (see ``shards``): the reader pays for each part. A
# first search fetches each part's entry point, metadata and the chunk of its words (each part
# holds the list of every word) that the query needs. On the OFAC list (13,738 subjects, both
# languages) a first search fetched from pagefind/, for three queries: 212-231 kB in 7-13
# requests from one index; 223-298 kB in 13-19 from parts of 5,000; 308-508 kB in 22-28 from
# parts of 2,500; 565-685 kB in 46-52 from parts of 1,000. Indexing a part of 5,000 takes
# Pagefind about 1.7 s and 250 MiB.
RECORDS_PER_SHARD = 5000
# What a merged part needs: its entry point, metadata, word index, filters and fragments.
SHARD_FILES = re.compile(r"pagefind-entry\.json$|[^/]+\.pf_meta$|(index|filter|fragment)/")
# Stripped from the words of the word list: Pagefind ignores them too ("attack." is "attack").
EDGES = re.compile(r"^\W+|\W+$")
PARALLEL = os.cpu_count() or 1  # Pagefind runs at a time (each is mostly one thread)
WORDS_PAGE = "_words.html"  # beside the records' pages (named by their ids: no underscore)
SCRATCH = "noimpunity-search-"  # then the building process's id: see ``sweep``
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


def search_records(site: Site, subjects: Sequence[Subject]) -> Iterator[SearchRecord]:
    """One record per subject and language: its names and variants, and what results show."""
    for lang in site.config.languages:
        gettext = translations(lang).gettext
        for subject in subjects:
            meta = {
                "title": subject.name,
                "type": gettext(LABELS[subject.type]),
                "authorities": ", ".join(subject.authorities),
                "status": gettext(LABELS[subject.status_on(site.as_of)]),
            }
            content = _indexed_text(subject, lang)
            yield SearchRecord(subject.id, urls.subject(lang, subject.id), lang, content, meta)


def _indexed_text(subject: Subject, lang: str) -> str:
    """What the index holds of a subject in ``lang``: its names and variants, and its grounds
    (in that language, else in the first they are written in)."""
    grounds = subject.grounds.get(lang) or next(iter(subject.grounds.values()), "")
    return _indexed_names(subject) + "\n" + grounds


def _indexed_names(subject: Subject) -> str:
    """A subject's names and their variants as indexed, computed once per record version: kept
    with the record in the build cache (``Subject.derived``), as a rebuild indexes every record
    again."""
    text: str | None = subject.derived.get("indexed_names")
    if text is None:
        variants = set().union(*(name_variants(name) for name in subject_names(subject)))
        text = subject.derived["indexed_names"] = " · ".join(sorted(variants))
    return text


# --- the index in parts, merged in the browser ----------------------------------------------


def shards(subjects: Sequence[Subject]) -> list[list[Subject]]:
    """The subjects in groups of about ``RECORDS_PER_SHARD``, each indexed by its own Pagefind
    run: a change to one record re-indexes its group only, and Pagefind's memory is that of
    one group (500 MiB for 10,000 records in one run; 2.2 GiB for 50,000).

    A subject's group follows from its id alone (a hash), so adding records moves none until
    the number of groups grows. Group 0 is the main index, under ``pagefind/`` with Pagefind's
    scripts; group N lies in ``pagefind/N/``, and the search page merges it into the main one
    (Pagefind's ``mergeIndex``: the index files only; the main one's WebAssembly serves all).
    """
    count = -(-len(subjects) // RECORDS_PER_SHARD) or 1
    groups: list[list[Subject]] = [[] for _ in range(count)]
    for subject in subjects:
        groups[_shard_of(subject.id, count)].append(subject)
    return groups


def _shard_of(subject_id: str, count: int) -> int:
    hashed = hashlib.blake2b(subject_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(hashed, "big") % count


def merged_folders(subjects: Sequence[Subject]) -> list[str]:
    """The folders of the parts merged into the main index (what ``search.js`` loads)."""
    return [f"{_folder(n)}/" for n, group in enumerate(shards(subjects)) if n and group]


def _folder(shard: int) -> str:
    return f"{OUTPUT_FOLDER}/{shard}" if shard else OUTPUT_FOLDER


def vocabulary(site: Site) -> dict[str, str]:
    """Every word the index holds, by language, for the word list each part carries (as
    written, lower case, without punctuation at either end: Pagefind splits them its way).

    Why: for a word that no page of an index starts with, Pagefind falls back to the longest
    indexed word the query starts with ("Salisbury" -> "sa", from "Sa'id"). Merged parts would
    each do so on their own: the parts without "Salisbury" would answer with every "Sa'id",
    scored above the pages that do mention it. A page listing every word of the whole index,
    in every part, gives each part the same words as the whole, so each falls back exactly
    when the whole would; the search leaves that page out (``_words_page``).
    """
    words = {}
    for lang in site.config.languages:
        found: set[str] = set()
        for subject in site.subjects:
            found.update(_indexed_words(subject, lang))
        words[lang] = " ".join(sorted(found))
    return words


def _indexed_words(subject: Subject, lang: str) -> frozenset[str]:
    """The words of ``_indexed_text``, kept with the record as its indexed names are."""
    known: dict[str, frozenset[str]] = subject.derived.setdefault("indexed_words", {})
    if lang not in known:
        text = _indexed_text(subject, lang).lower()
        known[lang] = frozenset(EDGES.sub("", word) for word in text.split()) - {""}
    return known[lang]


def index_files(
    site: Site, key: Callable[[Sequence[Subject]], str], cache: Path | None
) -> dict[str, bytes]:
    """The search index stage: the screening index and each part's Pagefind files, by path.

    Each part is kept in the ``cache`` folder under the ``key`` of its subjects (what the index
    shows of them) and the word list, so a rebuild re-indexes only the parts whose records
    changed (all of them when a word enters or leaves the index). Made while planning, as
    Pagefind names its files after their content. Running Pagefind beside the render workers
    instead was measured (10,000 records, two cores, one part): 10 % less time, 25-40 % more
    peak memory; not worth it while memory is the larger gap to its target."""
    store = Store.open(cache, "search")
    groups = shards(site.subjects)
    words = vocabulary(site) if len(groups) > 1 else {}
    # Where Pagefind reads its pages decides the order it indexes them in: part of the key.
    pages = max(map(len, groups)) * len(site.config.languages) * PARALLEL
    folder = scratch_folder(pages)
    shared = (str(len(groups)), str(folder), *(f"{lang}:{text}" for lang, text in words.items()))
    keys = [digest(key(group), *shared) for group in groups]
    wanted = [n for n, group in enumerate(groups) if n == 0 or group]
    found: dict[int, dict[str, bytes] | None] = {n: store.get(keys[n]) for n in wanted}
    missing = {n: groups[n] for n, files in found.items() if files is None}
    made = index_shards(site, missing, words, folder)
    for n, shard_files in made.items():
        store.put(keys[n], shard_files)
    # The screening index: the generator's code and content (an empty part's key) and each
    # subject's row, so that an edit to the grounds does not make it again.
    rows = (_screening_digest(subject, site) for subject in site.subjects)
    names_key = digest("names", key(()), *rows)
    files = {INDEX_PATH: store.remember(names_key, lambda: index_json(site))}
    for n in wanted:
        for path, data in (found[n] or made[n]).items():
            if n == 0 or SHARD_FILES.match(path):
                files[f"{_folder(n)}/{path}"] = data
    store.save()
    return files


def _screening_digest(subject: Subject, site: Site) -> str:
    """The digest of a subject's row in the screening index, kept with the record (its cache
    entry is one day's: the row holds that day's status)."""
    known: str | None = subject.derived.get("screening_digest")
    if known is None:
        known = subject.derived["screening_digest"] = object_digest(entry(subject, site).row())
    return known


def index_shards(
    site: Site,
    groups: Mapping[int, Sequence[Subject]],
    words: Mapping[str, str],
    folder: str | None = None,
) -> dict[int, dict[str, bytes]]:
    """Pagefind's files for each group of subjects, by path in its index folder: one Pagefind
    run per group, ``PARALLEL`` at a time, with their scratch folders in ``folder`` (None: the
    system's temporary folder). ``words``: the word list of each language, for an index in
    parts (see ``vocabulary``)."""
    made: dict[int, dict[str, bytes]] = {}
    pending = list(groups.items())
    if folder and pending:
        sweep(Path(folder))  # once a build, before its own scratch folders are made
    with contextlib.ExitStack() as running:
        started: list[tuple[int, Indexing]] = []
        while pending or started:
            while pending and len(started) < PARALLEL:
                n, group = pending.pop(0)
                indexing = Indexing(site, group, words, folder)
                started.append((n, running.enter_context(indexing)))
            n, indexing = started.pop(0)
            made[n] = indexing.files()
    return made


class Indexing:
    """The search index of some subjects being made by Pagefind, in its own process.

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

    def __init__(
        self,
        site: Site,
        subjects: Sequence[Subject],
        words: Mapping[str, str] | None = None,
        folder: str | None = None,
    ) -> None:
        self.site = site
        self._scratch = tempfile.TemporaryDirectory(prefix=f"{SCRATCH}{os.getpid()}-", dir=folder)
        scratch = Path(self._scratch.name)
        pages, self._index = scratch / "pages", scratch / "index"
        for lang in site.config.languages:
            (pages / lang).mkdir(parents=True)
        for record in search_records(site, subjects):
            path = pages / record.lang / f"{record.id}.html"
            path.write_text(_record_page(record), "utf-8")
        for lang, text in (words or {}).items():
            (pages / lang / WORDS_PAGE).write_text(_words_page(lang, text), "utf-8")
        self._log = scratch / "pagefind.log"
        command = [str(get_executable()), "--site", str(pages), "--output-path", str(self._index)]
        # Its messages go to a file, not a pipe: the workers forked meanwhile inherit no pipe
        # end, and nothing has to drain a pipe while the build waits for its workers.
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def files(self) -> dict[str, bytes]:
        """Wait for Pagefind; its files, by path in the index folder."""
        if self._process.wait() != 0:
            said = self._log.read_text("utf-8", errors="replace").strip()
            raise RuntimeError(f"pagefind failed: {said}")
        found = sorted(path for path in self._index.rglob("*") if path.is_file())
        return {
            path.relative_to(self._index).as_posix(): _stable(path)
            for path in found
            if not UNUSED.search(path.name)
        }

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, *failure: object) -> None:
        """Stop Pagefind if it still runs, and delete the scratch folder."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._scratch.cleanup()


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


def _words_page(lang: str, words: str) -> str:
    """The word list of a part (see ``vocabulary``), weighted 0: its words count as found, and
    it scores 0 for any query; the search page leaves out results that score 0. (A Pagefind
    filter would tell it apart too, but Pagefind writes filters in a different order from one
    run to the next.)"""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title></title></head>'
        f'<body data-pagefind-body><p data-pagefind-weight="0">{escape(words)}</p></body></html>\n'
    )


def subject_names(subject: Subject) -> list[str]:
    return [subject.name, *(alias.name for alias in subject.aliases)]


def scratch_folder(pages: int) -> str | None:
    """The folder in memory (``MEMORY``) when there is one with room for ``pages`` scratch
    pages and their index (those of the parts indexed at once), else the system's temporary
    folder (None).

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


def sweep(folder: Path) -> None:
    """Delete the scratch folders of builds that were killed (``kill -9``, out of memory) in
    ``folder``: in memory, they would hold their share of it until the machine restarts. Each
    is named after its process; one whose process is gone is left over."""
    for scratch in folder.glob(f"{SCRATCH}*-*"):
        pid = scratch.name.removeprefix(SCRATCH).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(scratch, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
