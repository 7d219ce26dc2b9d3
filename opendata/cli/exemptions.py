"""`opendata exemptions sweep`: lift lapsed exemptions from the search index now."""

from __future__ import annotations

import argparse
from typing import Any

from opendata.cli.groups import command_group
from opendata.exemptions.sweep import sweep_expired
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    """Add the `exemptions` command group to the CLI's subparsers."""
    commands = command_group(subparsers, "exemptions", "Pasal 17 exemptions (the DIK)")
    sweep = commands.add_parser(
        "sweep",
        help="mark exemptions past their expiry date (Asia/Pontianak) as lapsed and re-index "
        "their datasets (the server also does this on its own)",
    )
    sweep.set_defaults(handler=sweep_command)


async def sweep_command(services: Services, args: argparse.Namespace) -> int:
    result = await sweep_expired(services)
    print(
        f"{len(result.lapsed_ids)} exemptions lapsed; {len(result.dataset_ids)} datasets re-indexed"
    )
    return 0
