"""`opendata exemptions sweep`: lift lapsed exemptions from the search index now."""

from __future__ import annotations

import argparse
from typing import Any

from opendata.cli.groups import add_command, command_group
from opendata.exemptions.sweep import sweep_expired
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    """Add the `exemptions` command group to the CLI's subparsers."""
    commands = command_group(subparsers, "exemptions", "Pasal 17 exemptions (the DIK)")
    add_command(
        commands,
        "sweep",
        "mark exemptions past their expiry date (Asia/Pontianak) as lapsed and re-index "
        "their datasets (the server also does this on its own)",
        sweep_command,
    )


async def sweep_command(services: Services, args: argparse.Namespace) -> int:
    result = await sweep_expired(services)
    print(
        f"{len(result.lapsed_ids)} exemptions lapsed; {len(result.dataset_ids)} datasets re-indexed"
    )
    return 0
