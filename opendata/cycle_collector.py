"""Python's cycle collector set for a long-running server (issue 26).

A serving process holds some 270,000 objects from start-up to shutdown (modules, the
GraphQL schema, templates, SQLAlchemy's mappers, the services), and CPython's collector
walks them all on each full collection, while each request allocates enough containers to
start a young collection every 700. Measured on the dataset page (SQLite, one client): the
collector took 12% of the server's time, and a full collection stopped it for 160 ms.

`settle_for_serving`, once start-up is done: one last full collection, then `gc.freeze()`
puts every object alive into a generation the collector never walks (nearly all live as
long as the process; any that die are still freed by their reference counts), and the
young generation grows to `YOUNG_GENERATION` objects, so a request rarely meets a
collection. Measured (older generations at 20, 20) with the anatomy bench's mixed load (50
clients, SQLite, caches on), two servers side by side, six 8-second rounds each,
alternating: p95 59 ms against 178 ms without, 1,123 requests/s against 1,013. One client
at a time the pages cost the same either way (the long pauses are what it removes).

Only serving processes call it (`opendata serve`, its workers, the bench servers): a test
process starts hundreds of apps, and freezing each one's objects would keep its garbage.
"""

from __future__ import annotations

import gc

YOUNG_GENERATION = 20_000
"""Container allocations between young collections (CPython's default: 700)."""
OLDER_GENERATIONS = (10, 10)
"""Young collections per middle one, middle per full: CPython's own. With the start-up
objects frozen a full collection walks only what requests left behind, so it may come as
often as CPython's default has it. The 6-minute soak (two servers, 30 clients), RSS slope
after its second minute: 0.38-0.66 MB a minute without settling, 0.98-1.4 with (20, 20)
here, 0.69-0.72 with these; every run within the soak's bound."""


def settle_for_serving() -> None:
    """Freeze what start-up built and space out collections (see the module's text)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, *OLDER_GENERATIONS)
