"""Work spread over the machine's cores: forked worker processes, chunked, results in order.

Workers are forked, so they start with everything the parent holds (the model, the compiled
templates) and receive only indexes; the output keeps the input order, so a parallel build is
byte-identical to a serial one. Small jobs, machines with one core, platforms without ``fork``
and ``NOIMPUNITY_JOBS=1`` run in the calling process. On Linux a worker dies with the process
that forked it: a build killed with SIGKILL leaves no worker writing into the spare tree.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items the pool costs more than it saves.
MIN_ITEMS = 200
CHUNKS_PER_WORKER = 4
# prctl(2): the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1

# What the forked workers need, set just before forking (inherited, never pickled).
_state: Any = None
_items: Sequence[Any] = ()


def jobs() -> int:
    """How many processes to use: ``NOIMPUNITY_JOBS`` or the cores this process may use."""
    configured = os.environ.get("NOIMPUNITY_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run(
    function: Callable[[Any, Sequence[Item]], list[Result]],
    items: Sequence[Item],
    state: Any = None,
    done: Callable[[int], None] | None = None,
) -> list[Result]:
    """``function(state, chunk)`` over contiguous chunks of ``items``, results concatenated.

    ``done`` is told how many items are finished after each chunk (for a progress bar).
    """
    # An explicit NOIMPUNITY_JOBS is obeyed even for small jobs (the tests use it).
    least = 1 if os.environ.get("NOIMPUNITY_JOBS", "").strip() else MIN_ITEMS
    workers = min(jobs(), max(1, len(items) // least))
    serial = workers == 1 or "fork" not in multiprocessing.get_all_start_methods()
    size = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    spans = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    results: list[Result] = []
    global _state, _items
    _state, _items = state, items
    try:
        if serial:
            parts: Iterator[list[Result]] = (_call(function, span) for span in spans)
            return _gather(parts, spans, results, done)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            parts = pool.map(_call, [function] * len(spans), spans)
            return _gather(parts, spans, results, done)
    finally:
        _state, _items = None, ()


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the build is, rather than finish its chunks as an orphan (the
    pool's workers are forked by the thread that calls ``run``, which outlives the pool)."""
    if not sys.platform.startswith("linux"):
        return
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _gather(
    parts: Iterator[list[Result]],
    spans: list[tuple[int, int]],
    results: list[Result],
    done: Callable[[int], None] | None,
) -> list[Result]:
    for part, (_, end) in zip(parts, spans, strict=True):
        results.extend(part)
        if done:
            done(end)
    return results


def _call(
    function: Callable[[Any, Sequence[Item]], list[Result]], span: tuple[int, int]
) -> list[Result]:
    return function(_state, _items[span[0] : span[1]])
