"""`opendata calendar ...`: change the working calendar every server counts on.

Each change is stored in the database and moves the running deadlines in the same
transaction (the requesters are told by mail and in the timeline); the servers pick it up
on their next request, without a restart.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from opendata.cli.groups import command_group
from opendata.information_requests.recalculation import CalendarChange, change_calendar
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    """Add the `calendar` command group to the CLI's subparsers."""
    commands = command_group(subparsers, "calendar", "the working calendar (hari kerja)")
    holiday = commands.add_parser("holiday", help="add a day off (regional holiday, late decree)")
    holiday.add_argument("day", type=date.fromisoformat)
    holiday.add_argument("name", help="its name, in Indonesian")
    working = commands.add_parser("working", help="give a national holiday back as a working day")
    working.add_argument("day", type=date.fromisoformat)
    drop = commands.add_parser("drop", help="drop an override: the national calendar stands")
    drop.add_argument("day", type=date.fromisoformat)
    decree = commands.add_parser("decree", help="enter a year's SKB: its dates become final")
    decree.add_argument("year", type=int)
    decree.add_argument("reference", help="the decree's numbers and date")
    commands.add_parser("show", help="the overrides, the decreed and the provisional years")
    # the names the deployment guide uses: list, add (a holiday), remove (an override)
    add = commands.add_parser("add", help="the same as `holiday`: add a day off")
    add.add_argument("day", type=date.fromisoformat)
    add.add_argument("name", help="its name, in Indonesian")
    remove = commands.add_parser("remove", help="the same as `drop`: remove an override")
    remove.add_argument("day", type=date.fromisoformat)
    commands.add_parser("list", help="the same as `show`")
    for parser in (holiday, working, drop, decree, add, remove):
        parser.set_defaults(handler=change_command)
    for name in ("show", "list"):
        commands.choices[name].set_defaults(handler=show_command)


def _change(args: argparse.Namespace) -> CalendarChange:
    command = args.calendar_command
    if command in ("holiday", "add"):
        return CalendarChange(holidays={args.day: args.name})
    if command == "working":
        return CalendarChange(working_days=frozenset({args.day}))
    if command in ("drop", "remove"):
        return CalendarChange(dropped=frozenset({args.day}))
    return CalendarChange(decreed={args.year: args.reference})


async def change_command(services: Services, args: argparse.Namespace) -> int:
    moved = await change_calendar(services, _change(args))
    for change in moved:
        print(
            f"{change.registration_number} {change.kind.value}: "
            f"{change.before.isoformat()} -> {change.after.isoformat()}"
        )
    print(f"calendar version {services.calendar.version}; {len(moved)} deadlines moved")
    return 0


async def show_command(services: Services, args: argparse.Namespace) -> int:
    calendar = services.calendar
    for day, name in sorted(calendar.added_days.items()):
        print(f"{day.isoformat()} holiday {name}")
    for day in sorted(calendar.removed_days):
        print(f"{day.isoformat()} working")
    for year, reference in sorted(calendar.decreed.items()):
        print(f"{year} decreed {reference}")
    print(f"version {calendar.version}")
    return 0
