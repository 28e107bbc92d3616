"""Work spread over the machine's cores: forked worker processes, chunked, results in order.

Workers are forked, so they start with everything the parent holds (the model, the compiled
templates) and receive only indexes; the output keeps the input order, so a parallel build is
byte-identical to a serial one. Small jobs, machines with one core, platforms without ``fork``
and ``NOIMPUNITY_JOBS=1`` run in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items the pool costs more than it saves.
MIN_ITEMS = 200
CHUNKS_PER_WORKER = 4

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
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = pool.map(_call, [function] * len(spans), spans)
            return _gather(parts, spans, results, done)
    finally:
        _state, _items = None, ()


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
