"""`opendata ...`: the command line. Wiring only: commands open services and call the domain."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
from sqlalchemy.exc import SQLAlchemyError

from opendata.cli import accounts as accounts_commands
from opendata.cli import apps as apps_commands
from opendata.cli import backup as backup_commands
from opendata.cli import calendar as calendar_commands
from opendata.cli import database as database_commands
from opendata.cli import exemptions as exemptions_commands
from opendata.cli import letters as letters_commands
from opendata.cli import outbox as outbox_commands
from opendata.cli import requests as requests_commands
from opendata.cli import search as search_commands
from opendata.cli.groups import add_command, command_group
from opendata.config import Settings, settings_from_env
from opendata.db.engine import Database
from opendata.db.migrate import SchemaRefused
from opendata.errors import DomainError
from opendata.observability.logs import configure_logging
from opendata.observability.startup import ConfigurationError, check_data_folder, one_line
from opendata.services import Services, open_services

if TYPE_CHECKING:
    from opendata.catalogue.loader import RowOptions
    from opendata.catalogue.row_load import LoadProgress

Handler = Callable[[Services, argparse.Namespace], Awaitable[int]]

# Domains that add their own subcommands to `opendata`.
DOMAIN_COMMANDS = (
    accounts_commands.register_commands,
    search_commands.register_commands,
    exemptions_commands.register_commands,
    requests_commands.register_commands,
    outbox_commands.register_commands,
    letters_commands.register_commands,
    calendar_commands.register_commands,
    apps_commands.register_commands,
    database_commands.register_commands,
    backup_commands.register_commands,
)


def _settings(args: argparse.Namespace) -> Settings:
    settings = settings_from_env()
    data_dir = getattr(args, "data_dir", None)
    return settings.with_overrides(
        data_dir=Path(data_dir) if data_dir else None,
        database_url=getattr(args, "database_url", None),
    )


async def _serve(services: Services, args: argparse.Namespace) -> int:
    import uvicorn

    from opendata.app import create_app
    from opendata.catalogue.loader import load_catalog
    from opendata.catalogue.queries import agencies_page
    from opendata.cycle_collector import settle_for_serving
    from opendata.db.migrate import schema_lock
    from opendata.observability.startup import start_up_problems

    for problem in await start_up_problems(services.settings):
        print(f"opendata: {problem.line}", file=sys.stderr, flush=True)
        if problem.fatal:
            return 2
    # one server at a time fills an empty database: a second one starting at once waits
    async with schema_lock(services.database):
        async with services.database.session() as session:
            _, agency_count = await agencies_page(session, 0, 1)
        if agency_count == 0 and not args.no_demo:
            started = time.perf_counter()
            summary = await load_catalog(services, services.settings.demo_catalog)
            print(
                f"demo catalogue loaded in {time.perf_counter() - started:.2f} s: "
                f"{summary.lines()[-1]}",
                flush=True,
            )
            if not summary.ok:
                print("\n".join(summary.lines()), file=sys.stderr, flush=True)
    print(f"opendata: http://{args.host}:{args.port}/graphql", flush=True)
    if args.workers > 1:
        args.after = lambda: serve_workers(services.settings, args)
        return 0
    app = create_app(services)
    config = uvicorn.Config(app, **_uvicorn_options(args))
    settle_for_serving()
    await uvicorn.Server(config).serve()
    return 0


def _uvicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    """What every serving process passes to uvicorn (its own access log is replaced by
    opendata.observability's, its logging setup by ours)."""
    return {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "access_log": False,
        "log_config": None,
        "timeout_graceful_shutdown": 30,
        # behind a trusted proxy clients are told apart by the forwarded address
        "proxy_headers": bool(trusted := forwarded_allow_ips(args.forwarded_allow_ips)),
        "forwarded_allow_ips": trusted or None,
    }


def serve_workers(settings: Settings, args: argparse.Namespace) -> int:
    """`serve --workers N`: uvicorn's supervisor runs N processes on one socket; each opens
    its own services (opendata.app.worker_app) from the same settings, passed in the
    environment. The schema and the demo are already prepared by this process."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ["OPENDATA_DATA_DIR"] = str(settings.data_dir)
    os.environ["OPENDATA_DATABASE_URL"] = settings.resolved_database_url
    if getattr(args, "log_format", None):
        os.environ["OPENDATA_LOG_FORMAT"] = args.log_format
    config = uvicorn.Config(
        "opendata.app:worker_app", factory=True, workers=args.workers, **_uvicorn_options(args)
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0


def forwarded_allow_ips(given: str | None) -> list[str]:
    """The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: the flag, else
    OPENDATA_FORWARDED_ALLOW_IPS, else a proxy on this machine (127.0.0.1 and ::1). Empty:
    nobody's. Addresses or networks (10.0.0.0/8), comma-separated; `*` trusts everyone."""
    raw = given if given is not None else os.environ.get("OPENDATA_FORWARDED_ALLOW_IPS")
    if raw is None:
        raw = "127.0.0.1,::1"
    return [item.strip() for item in raw.split(",") if item.strip()]


def _row_options(args: argparse.Namespace) -> RowOptions:
    """`--skip-bad-rows`, and progress lines on stderr (rows/s and an ETA per resource)."""
    from opendata.catalogue.loader import RowOptions
    from opendata.catalogue.row_load import describe_progress

    def show(progress: LoadProgress) -> None:
        if progress.done and progress.seconds < 1:  # small files load without a word
            return
        end = "\n" if progress.done or not sys.stderr.isatty() else "\r"
        print(describe_progress(progress), end=end, file=sys.stderr, flush=True)

    return RowOptions(skip_bad_rows=getattr(args, "skip_bad_rows", False), progress=show)


async def _catalog_load(services: Services, args: argparse.Namespace) -> int:
    from opendata.catalogue.loader import load_catalog

    started = time.perf_counter()
    summary = await load_catalog(
        services,
        Path(args.path),
        prune=args.prune,
        dry_run=args.dry_run,
        over_service=args.over_service,
        rows=_row_options(args),
    )
    for line in summary.lines():
        print(line)
    print(f"took {time.perf_counter() - started:.2f} s")
    return 0 if summary.ok else 1


class CommandParser(argparse.ArgumentParser):
    """Every `opendata` command and subcommand accepts the shared options, before or after
    its name: `add_subparsers` builds subcommands with this same class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # SUPPRESS: a subcommand that is not given the flag keeps the value given before it.
        self.add_argument(
            "--data-dir",
            default=argparse.SUPPRESS,
            help="data folder (default ./.opendata, OPENDATA_DATA_DIR)",
        )
        self.add_argument(
            "--database-url",
            default=argparse.SUPPRESS,
            help="database URL (default SQLite in the data folder, OPENDATA_DATABASE_URL)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="opendata", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = add_command(
        commands, "serve", "migrate, load the demo if empty, serve /graphql", _serve
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-demo", action="store_true", help="do not load the demo catalogue")
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="serving processes sharing the port (default 1; each runs the background jobs, "
        "which are safe to run several times at once)",
    )
    serve.add_argument(
        "--log-format",
        choices=("text", "json"),
        default=argparse.SUPPRESS,
        help="log lines as text (default) or one JSON object each (OPENDATA_LOG_FORMAT)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="proxies whose X-Forwarded-For/-Proto are trusted, comma-separated addresses or "
        "networks (default 127.0.0.1,::1, OPENDATA_FORWARDED_ALLOW_IPS; '' trusts none): "
        "behind them clients are told apart by the forwarded address",
    )

    catalog_commands = command_group(commands, "catalog", "catalogue folders")
    load = add_command(
        catalog_commands, "load", "load a catalogue folder idempotently", _catalog_load
    )
    load.add_argument("path", help="the catalogue root: one folder per agency (agency.yaml)")
    load.add_argument(
        "--prune", action="store_true", help="also remove agencies that are not in the folder"
    )
    load.add_argument(
        "--dry-run", action="store_true", help="print what would change and change nothing"
    )
    load.add_argument(
        "--over-service",
        action="store_true",
        help="also replace datasets whose current version was published through the service "
        "(by default a load leaves them alone and lists them as kept)",
    )
    load.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="load a resource's good rows and list the bad lines (default: refuse the "
        "resource and keep its stored version)",
    )

    for register_commands in DOMAIN_COMMANDS:
        register_commands(commands)
    return parser


def _shown(settings: Settings) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


async def _run(args: argparse.Namespace) -> int:
    settings_handler = getattr(args, "settings_handler", None)
    if settings_handler is not None:  # backup, restore: before (or without) opening services
        return int(await settings_handler(_settings(args), args))
    try:
        settings = _settings(args)
    except ValueError as error:  # a malformed OPENDATA_* value
        raise ConfigurationError(one_line(error)) from error
    if getattr(args, "database_only", False):  # `db ...`: the schema alone
        database = Database(settings.resolved_database_url)
        try:
            return int(await args.handler(database, args))
        finally:
            await database.dispose()
    check_data_folder(settings)
    try:
        services = await open_services(settings)
    except (OSError, SQLAlchemyError, asyncpg.PostgresError) as error:
        raise ConfigurationError(
            f"cannot open the database {_shown(settings)}: {one_line(error)}"
        ) from error
    try:
        handler: Handler = args.handler
        return await handler(services, args)
    finally:
        await services.close()


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop, as uvicorn gives each process of `serve --workers N`: every request's
    waits and wake-ups (sockets, the database driver's, aiosqlite's thread) cost less than
    on asyncio's own loop (issue 26). uvloop has no Windows build: asyncio's loop there."""
    if sys.platform == "win32":
        return None
    import uvloop

    return uvloop.new_event_loop


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(getattr(args, "log_format", None))
    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            code = runner.run(_run(args))
        after: Callable[[], int] | None = getattr(args, "after", None)
        return after() if after is not None and code == 0 else code
    except KeyboardInterrupt:
        return 130
    except (SchemaRefused, ConfigurationError, DomainError) as error:
        # a mistake in the configuration or the database's state: one line, no traceback
        message = (
            f"error: {error.message_en} / {error.message_id}"
            if isinstance(error, DomainError)
            else one_line(error)
        )
        print(f"opendata: {message}", file=sys.stderr)
        return 2
