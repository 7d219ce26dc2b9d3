"""The free memory glibc keeps between long-lived allocations goes back to the system."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from opendata.background import background_tasks
from opendata.config import Settings
from opendata.heap import _TRIM, scheduled_heap_trims, trim_heap
from opendata.services import Services

BLOCK = 8 * 1024  # served from the heap (under glibc's mmap threshold), not by pymalloc
BLOCKS = 12_000


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(_TRIM is None, reason="the C library is not glibc")
def test_freed_memory_between_kept_blocks_is_given_back() -> None:
    """What the soak saw: one kept block in 16 pins the heap, so glibc returns nothing of the
    ~90 MB freed around them until the heap is trimmed."""
    blocks = [bytes(BLOCK) for _ in range(BLOCKS)]
    kept = blocks[::16]
    del blocks
    gc.collect()
    freed_but_kept = _rss_mb()
    assert trim_heap()
    given_back = freed_but_kept - _rss_mb()
    assert given_back > 40, f"only {given_back:.1f} MB given back"
    assert len(kept) == BLOCKS // 16


async def test_a_serving_process_trims_on_its_schedule(services: Services) -> None:
    every = services.settings.heap_trim_seconds
    assert every == Settings().heap_trim_seconds > 0
    assert (
        len(background_tasks(services))
        == len(background_tasks(_with(services, heap_trim_seconds=0))) + 1
    )
    async with scheduled_heap_trims(0.01):
        await asyncio.sleep(0.05)  # trims a few times and is cancelled cleanly at shutdown


def _with(services: Services, **changes: object) -> Services:
    return Services(
        settings=services.settings.with_overrides(**changes),
        database=services.database,
        search=services.search,
        calendar=services.calendar,
    )
