"""`opendata requests recalculate`: adopt an edited calendar override file and move the
running deadlines it changes (each change is written in the request's timeline)."""

from __future__ import annotations

import argparse
from typing import Any

from opendata.calendar import WorkingCalendar
from opendata.cli.groups import add_command, command_group
from opendata.information_requests.recalculation import apply_calendar
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    """Add the `requests` command group to the CLI's subparsers."""
    commands = command_group(subparsers, "requests", "information requests (permohonan)")
    add_command(
        commands,
        "recalculate",
        "re-read the calendar overrides (cuti bersama, regional holidays) and move every "
        "running deadline; a requester's window is never shortened. The servers pick it up.",
        recalculate_command,
    )


async def recalculate_command(services: Services, args: argparse.Namespace) -> int:
    calendar = WorkingCalendar.from_settings(services.settings)
    moved = await apply_calendar(services, calendar)
    for change in moved:
        print(
            f"{change.registration_number} {change.kind.value}: "
            f"{change.before.isoformat()} -> {change.after.isoformat()}"
        )
    print(f"{len(moved)} deadlines moved")
    return 0
