"""`opendata search reindex`: rebuild the search index from the database."""

from __future__ import annotations

import argparse
import time
from typing import Any

from opendata.cli.groups import add_command, command_group
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    search_commands = command_group(subparsers, "search", "the search index")
    add_command(search_commands, "reindex", "rebuild the index from the database", reindex_command)


async def reindex_command(services: Services, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    count = await services.search.reindex_all()
    backend = services.search.name
    print(f"{backend}: {count} datasets indexed in {time.perf_counter() - started:.2f} s")
    return 0
