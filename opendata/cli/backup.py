"""`opendata backup FILE`, `opendata restore FILE`, `opendata attachments import`.

Backup and restore work on the settings alone: a backup runs beside the live servers, a
restore replaces the database (stop the servers first) before anything opens it. After a
restore the services are opened once, which migrates and rebuilds the search index, and
the index is checked against the restored database.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from opendata.attachments.store import DatabaseStore, local_store, uses_database
from opendata.backup import BackupError, Summary, backup, restore
from opendata.cli.groups import add_command, command_group
from opendata.config import Settings
from opendata.services import Services, open_services


async def _done(
    what: str, work: Callable[[Settings, Path], Awaitable[Summary]], settings: Settings, file: str
) -> Summary | None:
    """The work's summary, or None once its refusal is said in one line."""
    try:
        return await work(settings, Path(file))
    except BackupError as error:
        print(f"{what} refused: {error}")
        return None


async def backup_command(settings: Settings, args: argparse.Namespace) -> int:
    summary = await _done("backup", backup, settings, args.file)
    if summary is None:
        return 1
    print(summary.line("backed up to", Path(args.file)))
    return 0


async def restore_command(settings: Settings, args: argparse.Namespace) -> int:
    summary = await _done("restore", restore, settings, args.file)
    if summary is None:
        return 1
    services = await open_services(settings)  # migrates; rebuilds the index of the new identity
    try:
        rebuilt_again = await services.search.check_and_repair()
    finally:
        await services.close()
    print(summary.line("restored from", Path(args.file)))
    print("search index rebuilt" + (" (and repaired again)" if rebuilt_again else " and checked"))
    return 0


async def import_attachments(services: Services, args: argparse.Namespace) -> int:
    if not uses_database(services.settings):
        print("attachments are kept in the data folder (OPENDATA_ATTACHMENT_STORE=folder)")
        return 1
    store = DatabaseStore(services.database)
    added = await store.import_folder(local_store(services.settings.data_dir))
    print(f"{added} attachment files copied into the database")
    return 0


def register_commands(subparsers: Any) -> None:
    made = subparsers.add_parser("backup", help="write one backup file (database and files)")
    made.set_defaults(settings_handler=backup_command)
    made.add_argument("file", help="the backup file to write (.tar, or .tar.gz to compress)")
    back = subparsers.add_parser("restore", help="restore a backup file (stop the servers first)")
    back.set_defaults(settings_handler=restore_command)
    back.add_argument("file", help="a file written by `opendata backup`")
    group = command_group(subparsers, "attachments", "attachment documents")
    add_command(
        group,
        "import",
        "copy the documents of the data folder into the database store",
        import_attachments,
    )
