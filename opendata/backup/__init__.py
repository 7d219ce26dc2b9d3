"""`opendata backup FILE` and `opendata restore FILE`: everything a server keeps, in one file.

A backup is one tar file (gzip-compressed when its name ends in `.gz` or `.tgz`) holding:

- `manifest.json`: the format, when and from which kind of database it was made;
- the database: on SQLite `database.sqlite3`, made with SQLite's online backup API
  (`sqlite3.Connection.backup`, one consistent snapshot while the servers keep writing: never
  a `cp` of a live WAL database, which loses committed transactions); on PostgreSQL
  `database.pgdump`, made by `pg_dump --format=custom` (one consistent snapshot too). The
  database holds the requests, the calendar overrides, the accounts and, with the default
  store on PostgreSQL, the attachments;
- `attachments/..`: documents kept in the data folder (the store on SQLite, or files from
  before the database held them);
- `calendar-overrides.yaml`, if the data folder still has the old override file.

The database is copied first and the folder after: a document's file is written before its
row commits, so every attachment the copied database names is in the copied folder.

The search index is not in the backup: a restore gives the database a new identity
(`opendata.search.index.new_identity`), so whatever index lies in the data folder is rebuilt
from the restored database before any search answers, and never serves what the restored
database withholds.

A restore replaces the database: stop every server first, restore, then start them. An
older backup is migrated to the current schema on the way.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from opendata.attachments.store import KEY_PATTERN, local_store
from opendata.config import Settings
from opendata.db.engine import Database
from opendata.db.migrate import upgrade_to_head
from opendata.search.index import new_identity

FORMAT = "opendata-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
CALENDAR_MEMBER = "calendar-overrides.yaml"
ATTACHMENTS = "attachments"


class BackupError(Exception):
    """A backup that cannot be made or restored, said in one line."""


@dataclass(frozen=True)
class Summary:
    database: str
    attachments: int

    def line(self, verb: str, path: Path) -> str:
        return f"{verb} {path}: {self.database} database, {self.attachments} attachment files"


def _sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.resolved_database_url).database
    if not database:
        raise BackupError("the SQLite database has no file")
    return Path(database)


def _libpq(settings: Settings) -> tuple[str, dict[str, str]]:
    """The libpq URL for pg_dump/pg_restore, its password in the environment (not in `ps`)."""
    url = make_url(settings.resolved_database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)") from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{command[0]} failed: {detail[-1] if detail else done.returncode}")


def _snapshot_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: one consistent copy, the servers writing on meanwhile."""
    if not source.exists():
        raise BackupError(f"no database at {source}")
    live = sqlite3.connect(source, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            live.backup(copy)  # all pages in one step: one snapshot
        finally:
            copy.close()
    finally:
        live.close()


def _write_archive(target: Path, members: list[tuple[str, Path]], manifest: dict[str, str]) -> None:
    mode = "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, mode) as archive:  # type: ignore[call-overload]
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(datetime.now(UTC).timestamp())
        archive.addfile(info, io.BytesIO(data))
        for name, path in members:
            archive.add(path, arcname=name, recursive=False)
    os.replace(partial, target)


def _folder_members(settings: Settings) -> list[tuple[str, Path]]:
    members = []
    folder = local_store(settings.data_dir)
    for key in folder.stored_keys():
        members.append(
            (f"{ATTACHMENTS}/{key[:2]}/{key[2:4]}/{key}", folder.root / key[:2] / key[2:4] / key)
        )
    calendar = settings.calendar_overrides_file
    if calendar.exists():
        members.append((CALENDAR_MEMBER, calendar))
    return members


def _backup(settings: Settings, target: Path) -> Summary:
    kind = "postgresql" if settings.is_postgres else "sqlite"
    with tempfile.TemporaryDirectory(prefix="opendata-backup-") as work:
        if settings.is_postgres:
            dump = Path(work) / POSTGRES_MEMBER
            url, env = _libpq(settings)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-unlogged-table-data",
                    f"--file={dump}",
                    url,
                ],
                env,
            )
            database = [(POSTGRES_MEMBER, dump)]
        else:
            copy = Path(work) / SQLITE_MEMBER
            _snapshot_sqlite(_sqlite_path(settings), copy)
            database = [(SQLITE_MEMBER, copy)]
        files = _folder_members(settings)  # after the database: its every file is there
        manifest = {
            "format": FORMAT,
            "database": kind,
            "created_at": datetime.now(UTC).isoformat(),
        }
        _write_archive(target, database + files, manifest)
    attachments = sum(1 for name, _ in files if name.startswith(ATTACHMENTS + "/"))
    return Summary(kind, attachments)


async def backup(settings: Settings, target: Path) -> Summary:
    """Write one backup file of the database and the data folder's documents."""
    return await asyncio.to_thread(_backup, settings, target)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, object]:
    member = archive.extractfile(MANIFEST)
    if member is None:
        raise BackupError("not an opendata backup (no manifest)")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"not an opendata backup this version reads: {manifest.get('format')!r}")
    return dict(manifest)


def _restore_files(settings: Settings, archive: tarfile.TarFile) -> int:
    """The documents and the old override file, each put back where the server reads it."""
    folder = local_store(settings.data_dir)
    restored = 0
    for member in archive.getmembers():
        parts = member.name.split("/")
        if member.isfile() and member.name == CALENDAR_MEMBER:
            source = archive.extractfile(member)
            assert source is not None
            settings.calendar_overrides_file.write_bytes(source.read())
        elif member.isfile() and parts[0] == ATTACHMENTS and KEY_PATTERN.match(parts[-1]):
            source = archive.extractfile(member)
            assert source is not None
            folder._write(parts[-1], source.read())
            restored += 1
    return restored


def _restore_database(
    settings: Settings, archive: tarfile.TarFile, kind: object, work: Path
) -> None:
    wanted = "postgresql" if settings.is_postgres else "sqlite"
    if kind != wanted:
        raise BackupError(f"a {kind} backup cannot be restored into a {wanted} database")
    member = POSTGRES_MEMBER if settings.is_postgres else SQLITE_MEMBER
    archive.extract(member, work, filter="data")
    if settings.is_postgres:
        url, env = _libpq(settings)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={url}",
                str(work / member),
            ],
            env,
        )
        return
    target = _sqlite_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = sqlite3.connect(work / member)
    try:
        live = sqlite3.connect(target, timeout=30)
        try:
            saved.backup(live)  # page by page into the database file, its WAL kept right
        finally:
            live.close()
    finally:
        saved.close()


def _restore(settings: Settings, source: Path) -> Summary:
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:*") as archive, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(archive)
        _restore_database(settings, archive, manifest.get("database"), Path(work))
        attachments = _restore_files(settings, archive)
    return Summary(str(manifest.get("database")), attachments)


async def restore(settings: Settings, source: Path) -> Summary:
    """Put a backup back, migrate it to the current schema and give the database a new
    identity, so every search index made before is rebuilt from it (the caller then opens
    the services, which rebuilds and checks the index)."""
    summary = await asyncio.to_thread(_restore, settings, source)
    database = Database(settings.resolved_database_url)
    try:
        await upgrade_to_head(database)
        async with database.write() as session:
            await new_identity(session)
    finally:
        await database.dispose()
    return summary
