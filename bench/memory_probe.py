"""Diagnostics for the soak: where a server's memory goes, minute by minute.

Enabled in `bench/bench_app.py` by `OPENDATA_TRACEMALLOC=N` (N frames per traceback; 1 is
enough for `lineno` sites) or, without tracemalloc (RSS undisturbed), by
`OPENDATA_PROBE_SECONDS`; `OPENDATA_MALLOC_TRIM=1` calls glibc's malloc_trim after each
probe (what RSS would be if the free memory glibc keeps were given back). Every `OPENDATA_PROBE_SECONDS` (60) the server prints one line
`MEMPROBE {json}` to its log: RSS, glibc's heap figures (in use vs free-but-kept: growth of
the free part alone is fragmentation, not a leak), Python's allocated blocks, tracemalloc's
total and its top growing sites since the previous probe and since the first one (the end of
warm-up), the object types whose counts grew most, the asyncio tasks, and the sizes of the
caches the server keeps between requests. Not for production: tracemalloc doubles memory
and slows every allocation.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import json
import os
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

PREFIX = "MEMPROBE "
TOP = 12


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def _glibc_heap() -> dict[str, float]:
    """glibc's view: bytes handed out (in use), free but kept, and mmapped (MB)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _Mallinfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return {}
    mb = 1024 * 1024
    return {
        "heap_mb": round(info.arena / mb, 1),
        "in_use_mb": round(info.uordblks / mb, 1),
        "free_kept_mb": round(info.fordblks / mb, 1),
        "mmapped_mb": round(info.hblkhd / mb, 1),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _type_counts() -> Counter[str]:
    return Counter(type(o).__qualname__ for o in gc.get_objects())


def _where(frame: tracemalloc.Frame) -> str:
    """file:line without reading the source (linecache would itself grow the process)."""
    parts = Path(frame.filename).parts
    return f"{'/'.join(parts[-3:])}:{frame.lineno}"


def _sites(diff: list[tracemalloc.StatisticDiff]) -> list[str]:
    grown = sorted(diff, key=lambda d: d.size_diff, reverse=True)[:TOP]
    return [
        f"{d.size_diff / 1024:+.0f} kB ({d.count_diff:+d}) {_where(d.traceback[-1])}"
        for d in grown
        if d.size_diff > 0
    ]


def _instances(type_name: str) -> list[Any]:
    return [o for o in gc.get_objects() if type(o).__name__ == type_name]


def _caches() -> dict[str, Any]:
    """Sizes of what the server keeps between requests (found by type: diagnostics only)."""
    from opendata.catalogue.tables import row_table
    from opendata.search import analysis, documents

    found: dict[str, Any] = {}
    for cache in _instances("ResponseCache"):
        found["response_cache"] = [len(cache), round(cache.size_bytes / 1024 / 1024, 1)]
    for preparer in _instances("DocumentPreparer"):
        found["prepared_documents"] = [len(preparer._entries), preparer._bytes]
    for limiter in _instances("RateLimiter"):
        found["rate_buckets"] = len(limiter._buckets)
    for engine in _instances("AsyncEngine"):
        found["pool"] = engine.pool.status()
    found["row_table"] = row_table.cache_info().currsize
    found["shared_analysis"] = len(documents._SHARED)
    for name in dir(analysis):
        cached = getattr(analysis, name)
        if hasattr(cached, "cache_info"):
            found[f"stem:{name}"] = cached.cache_info().currsize
    return found


def _traceback_lines(snapshot: tracemalloc.Snapshot, baseline: tracemalloc.Snapshot) -> list[str]:
    """The three fastest-growing sites since the baseline, with their call stacks."""
    diff = snapshot.compare_to(baseline, "traceback")
    grown = sorted(diff, key=lambda d: d.size_diff, reverse=True)[:3]
    return [
        f"{d.size_diff / 1024:+.0f} kB ({d.count_diff:+d}): "
        + " <- ".join(_where(frame) for frame in reversed(d.traceback))
        for d in grown
    ]


async def probe_forever(
    frames: int, every: float, trim: bool = False, extra: Callable[[], dict[str, Any]] | None = None
) -> None:
    """Probe every `every` seconds; tracemalloc only when `frames` > 0; malloc_trim after
    each probe when `trim`."""
    if frames > 0:
        tracemalloc.start(frames)
    _filters = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, __file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    ]
    began = time.monotonic()
    first_types: Counter[str] | None = None
    state: dict[str, Any] = {}
    while True:
        await asyncio.sleep(every)
        gc.collect()
        types = _type_counts()
        line: dict[str, Any] = {
            "pid": os.getpid(),
            "seconds": round(time.monotonic() - began),
            "rss_mb": _rss_mb(),
            **_glibc_heap(),
            "py_blocks": sys.getallocatedblocks(),
            "tasks": len(asyncio.all_tasks()),
            "objects": sum(types.values()),
            **_caches(),
            **(extra() if extra else {}),
        }
        if first_types is not None:
            line["types_grown_since_first"] = [
                f"{name} {count:+d}" for name, count in (types - first_types).most_common(TOP)
            ]
        else:
            first_types = types
        if frames > 0:
            _tracemalloc_lines(line, frames, _filters, state)
        if trim:  # what glibc gives back is free memory it kept: fragmentation, not a leak
            ctypes.CDLL("libc.so.6").malloc_trim(0)
            line["rss_after_trim_mb"] = _rss_mb()
        print(PREFIX + json.dumps(line), file=sys.stderr, flush=True)


def _tracemalloc_lines(
    line: dict[str, Any], frames: int, filters: list[tracemalloc.Filter], state: dict[str, Any]
) -> None:
    """Traced memory and the top growing sites since the last probe and the first one."""
    snapshot = tracemalloc.take_snapshot().filter_traces(filters)
    line["traced_mb"] = round(tracemalloc.get_traced_memory()[0] / 1024 / 1024, 1)
    previous, first = state.get("previous"), state.get("first")
    if previous is not None:
        line["grown_last_interval"] = _sites(snapshot.compare_to(previous, "lineno"))
    if first is not None:
        line["grown_since_first"] = _sites(snapshot.compare_to(first, "lineno"))
        if frames > 1:
            line["stacks_since_first"] = _traceback_lines(snapshot, first)
    else:
        state["first"] = snapshot
    state["previous"] = snapshot


def start_if_asked() -> asyncio.Task[None] | None:
    """The probe task when OPENDATA_TRACEMALLOC or OPENDATA_PROBE_SECONDS is set, else None
    (call inside the loop). Without tracemalloc the probe is light: no tracing overhead."""
    frames = int(os.environ.get("OPENDATA_TRACEMALLOC", "0") or 0)
    every = float(os.environ.get("OPENDATA_PROBE_SECONDS", "0") or 0)
    if frames <= 0 and every <= 0:
        return None
    every = every or 60.0
    trim = os.environ.get("OPENDATA_MALLOC_TRIM") == "1"
    return asyncio.get_running_loop().create_task(probe_forever(frames, every, trim))
