"""`opendata db upgrade|current|check`: the schema's version, for administrators and scripts.

`upgrade` is the one command that moves a PostgreSQL database's schema forward (a server
refuses a schema that is behind); `current` prints where the database stands; `check` exits
0 when the database is at this code's head and 1 otherwise, for deployment scripts.
"""

from __future__ import annotations

import argparse
from typing import Any

from opendata.cli.groups import add_command, command_group
from opendata.db.engine import Database
from opendata.db.migrate import SchemaStatus, schema_state, upgrade_to_head


def register_commands(subparsers: Any) -> None:
    """Add the `db` command group; its commands take the database alone (no search, no
    calendar), so they run on an empty, old or newer database."""
    db_commands = command_group(subparsers, "db", "the database schema")
    for name, help, handler in (
        ("upgrade", "apply the migrations to head, each one logged", upgrade),
        ("current", "print the schema's revision and this code's head", current),
        ("check", "exit 0 when the schema is at this code's head, 1 when not", check),
    ):
        add_command(db_commands, name, help, handler).set_defaults(database_only=True)


async def upgrade(database: Database, _: argparse.Namespace) -> int:
    state = await upgrade_to_head(database)
    print(f"database at head {', '.join(sorted(state.current))}")
    return 0


async def current(database: Database, _: argparse.Namespace) -> int:
    print((await schema_state(database)).describe())
    return 0


async def check(database: Database, _: argparse.Namespace) -> int:
    state = await schema_state(database)
    print(state.describe())
    return 0 if state.status is SchemaStatus.AT_HEAD else 1
