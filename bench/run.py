"""`python bench/run.py [NAME ...] [--quick]`: run named benchmarks, one JSON object per line.

Each benchmark is a module exposing `run(quick: bool)`, either an async or a plain generator
of dicts (one figure each). Add one by adding a line to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCHMARKS: dict[str, str] = {
    "search": "bench.search_bench",
    "graphql": "bench.graphql_bench",
    "filing": "bench.filing_bench",
    "rows": "bench.rows_bench",
    "harvest": "bench.harvest_bench",
    "soak": "bench.soak_bench",
    "hostile": "bench.hostile_bench",
    "aggregate": "bench.aggregate_bench",
    "pages": "bench.pages_bench",
    "outbox": "bench.outbox_bench",
    "hostile_uploads": "bench.uploads_bench",
    "costly_query": "bench.costly_bench",
    "reidentification": "bench.reidentification_bench",
    "push": "bench.push_bench",
    "peers": "bench.peers_bench",
    "rate_limit": "bench.rate_limit_bench",
    "anatomy": "bench.anatomy_bench",
}


def emit(figure: Any) -> None:
    print(json.dumps(figure, ensure_ascii=False, default=str), flush=True)


async def run_one(name: str, quick: bool) -> None:
    module = importlib.import_module(BENCHMARKS[name])
    produced: Any = module.run(quick)  # an async or a plain generator of figures
    if hasattr(produced, "__aiter__"):  # an async generator
        async for figure in produced:
            emit({"bench": name, **dict(figure)})
    else:
        for figure in produced:
            emit({"bench": name, **dict(figure)})


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small scales, under a minute")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {sorted(BENCHMARKS)}")
    for name in names:
        await run_one(name, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
