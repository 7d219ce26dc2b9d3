"""A serving process freezes what start-up built and still collects its requests' cycles.

Each check runs in a fresh interpreter: freezing the test process would keep the garbage of
every app the suite starts after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from opendata.cycle_collector import OLDER_GENERATIONS, YOUNG_GENERATION

PROBE = textwrap.dedent(
    """
    import gc, json, weakref
    from opendata.app import create_app
    from opendata.cycle_collector import settle_for_serving

    class Node:
        pass

    def cycle():
        a, b = Node(), Node()
        a.other, b.other = b, a
        return weakref.ref(a)

    kept = Node(); kept.self = kept       # alive at start-up: frozen
    settle_for_serving()
    frozen = gc.get_freeze_count()
    later = cycle()                       # a request's garbage, made after start-up
    held = [[] for _ in range(3 * {young})]  # containers enough for a young collection
    young_collected = later() is None
    gc.collect()
    print(json.dumps({{
        "frozen": frozen,
        "threshold": gc.get_threshold(),
        "young_collected": young_collected,
        "kept_alive": kept.self is kept,
        "gc_enabled": gc.isenabled(),
    }}))
    """
).format(young=YOUNG_GENERATION)


def test_settling_freezes_start_up_and_keeps_collecting_cycles() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # the app's modules, schema and templates: far more than a bare interpreter's objects
    assert found["frozen"] > 50_000
    assert found["threshold"] == [YOUNG_GENERATION, *OLDER_GENERATIONS]
    assert found["gc_enabled"]
    # a cycle made after start-up is still found by a young collection, unforced
    assert found["young_collected"]
    assert found["kept_alive"]


def test_the_test_process_is_not_settled() -> None:
    """Only serving processes settle (cli `serve`, its workers, the bench servers)."""
    import gc

    assert gc.get_freeze_count() == 0
