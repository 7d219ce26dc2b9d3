"""The async engine and sessions, with the per-database settings that keep behaviour equal.

SQLite gets WAL, foreign keys and a busy timeout; write units of work begin with
`BEGIN IMMEDIATE` there, so that two writers queue instead of failing half-way (PostgreSQL
gets the same effect from row locks and `SELECT ... FOR UPDATE`).

Reads are bounded: each read statement may run `statement_timeout_ms` (PostgreSQL: the
read connection's `statement_timeout`, see `_settle`; SQLite: a progress handler that
interrupts a statement past its deadline), and one that runs longer is answered as
StatementTimedOut, never a 500. Writes are not bounded (a refused write would be worse).

PostgreSQL reads run in autocommit, read-only: a read statement costs its one round trip,
without the BEGIN and ROLLBACK around it (issue 26). That gives up no consistency: at READ
COMMITTED, which reads had, every statement saw its own snapshot in a transaction too. What
needs one snapshot across statements (a download) asks for it (`Database.snapshot`).
SQLite reads likewise begin no transaction: each statement reads the snapshot of its own
implicit one (WAL), and a request's reads cost no BEGIN and ROLLBACK, each a crossing to
aiosqlite's thread (a wake-up of each thread; on a busy machine, a wait for a core); a
download still has its snapshot. A read's connection refuses writes (`_settle`).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import math
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import event
from sqlalchemy.dialects.postgresql.asyncpg import (
    AsyncAdapt_asyncpg_connection,
    AsyncAdapt_asyncpg_ss_cursor,
)
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
)
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool, QueuePool
from sqlalchemy.sql.base import Executable
from sqlalchemy.util import EMPTY_DICT, await_

from opendata.db.fold import SQLITE_FUNCTION, fold
from opendata.errors import StatementTimedOut

# aiosqlite's DEBUG lines print every statement's bound parameters (personal data): never
logging.getLogger("aiosqlite").setLevel(logging.INFO)

# the execution option naming a statement's time bound in milliseconds (absent or 0: none)
TIMEOUT_OPTION = "statement_timeout_ms"
_Executable = TypeVar("_Executable", bound=Executable)

# the execution option of a statement whose work an index bounds (a few rows found by a key,
# a page after a key): on SQLite it runs on the event loop's thread (`_OneHopCursor`)
BOUNDED_OPTION = "opendata_bounded"
# where an aiosqlite connection keeps whether its next statement is bounded
_BOUNDED_ATTRIBUTE = "opendata_bounded"
# SQLite VM instructions between two looks at the clock
_PROGRESS_STEPS = 10_000
# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout
_QUERY_CANCELED = "57014"
# a pooled PostgreSQL connection is closed and replaced after this long
POOL_RECYCLE_SECONDS = 1800
# connections kept for `Database.side_engine` (each of its statements takes well under 1 ms)
SIDE_POOL_SIZE = 2
# where a PostgreSQL connection's info keeps the session settings `_settle` gave it
_SETTINGS = "opendata_settings"
# (statement timeout in ms, read-only) as a new connection has them: the server's defaults
_DEFAULTS = (0, False)
# where a SQLite connection's info keeps whether it was last made query-only (`_settle`)
_QUERY_ONLY = "opendata_query_only"


def _run_statement(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    """A whole statement in aiosqlite's thread: execute, read every row, close."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def bounded(statement: _Executable) -> _Executable:
    """`statement`, marked as one whose work an index bounds (`BOUNDED_OPTION`). Only for
    statements that read a few rows by a key or a page after one: on SQLite such a statement
    runs on the event loop, which waits for it; anything that may read a whole table (a
    count, a filter, a sort) must cross to aiosqlite's thread, where the loop goes on."""
    return statement.execution_options(**{BOUNDED_OPTION: True})  # type: ignore[return-value]


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor crosses to aiosqlite's thread four times a statement
    (open a cursor, execute, fetch, close), each a wake-up of the event loop; this one
    crosses once (`_run_statement`). The rows are read whole, as the stock cursor does.

    A bounded statement (`bounded`) does not cross at all: it runs where the loop runs. Its
    work is an index's few steps, less than the crossing (two thread wake-ups, and on a busy
    machine a wait for a core each: about 1 ms of a 7 ms page of rows, measured). The
    connection is the session's alone and the cursor holds its mutex, so aiosqlite's thread
    is idle meanwhile; SQLite serialises its connections, and its progress handler still
    interrupts the statement at its deadline."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # none is kept between statements
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1  # sqlite3's

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        pass  # nothing open: the statement closed its cursor in the thread

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        connection = self._connection
        mark = getattr(connection, _BOUNDED_ATTRIBUTE, None)
        async with self._adapt_connection._execute_mutex:
            if mark is not None and mark[0]:
                done = _run_statement(connection._conn, operation, parameters, many)  # type: ignore[attr-defined]
            else:
                done = await connection._execute(  # type: ignore[attr-defined]
                    _run_statement, connection._conn, operation, parameters, many
                )
        self._description, rows, self._rowcount, self._lastrowid = done
        self._rows = collections.deque(rows)


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Also: a commit or rollback with no transaction open (a read, which begins none, or
    the pool's reset after a rollback) is not sent to aiosqlite's thread, where sqlite3
    would find nothing to do; whether one is open is read here, as sqlite3 reads it."""

    __slots__ = ()
    _cursor_cls = _OneHopCursor

    def _in_transaction(self) -> bool:
        raw = self._connection._connection  # type: ignore[attr-defined]
        return raw is not None and bool(raw.in_transaction)

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()


class _IndexedByCompiler(SQLiteCompiler):
    """SQLite's compiler, writing a `with_hint(table, "INDEXED BY ...", "sqlite")` after
    the table it names (SQLAlchemy's own ignores hints on SQLite): a statement that must
    seek a given index, where SQLite's planner would pick another path
    (`row_query.seek_count`)."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def _configure_sqlite(engine: AsyncEngine) -> None:
    engine.sync_engine.dialect.statement_compiler = _IndexedByCompiler
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection) is AsyncAdapt_aiosqlite_connection:
            dbapi_connection.__class__ = _OneHopConnection
            # set before each statement (`_start_clock`), read by `_OneHopCursor._run`
            mark = [False]
            setattr(dbapi_connection._connection, _BOUNDED_ATTRIBUTE, mark)
            _record.info[_BOUNDED_ATTRIBUTE] = mark
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")  # acknowledged means on disk
        cursor.close()
        # the running statement's deadline, read by the progress handler in aiosqlite's thread
        deadline = [math.inf]
        _record.info["deadline"] = deadline

        def past_deadline() -> int:
            return 1 if time.monotonic() > deadline[0] else 0

        await_(dbapi_connection._connection.set_progress_handler(past_deadline, _PROGRESS_STEPS))
        # the text filters' folding (opendata.db.fold), as PostgreSQL's translate() does it
        await_(
            dbapi_connection._connection.create_function(
                SQLITE_FUNCTION, 1, fold, deterministic=True
            )
        )

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _start_clock(conn: Connection, *args: Any) -> None:
        timeout = conn.get_execution_options().get(TIMEOUT_OPTION)
        info = conn.connection.info
        info["deadline"][0] = time.monotonic() + timeout / 1000 if timeout else math.inf
        mark = info.get(_BOUNDED_ATTRIBUTE)
        if mark is not None:  # the statement's own options (args: cursor, SQL, parameters,
            context = args[3]  # context, many), absent for a driver-level statement
            mark[0] = bool(context is not None and context.execution_options.get(BOUNDED_OPTION))

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode is not None:  # None: reads, each statement its own (module docstring)
            conn.exec_driver_sql(f"BEGIN {mode}")

    @event.listens_for(engine.sync_engine, "engine_connect")
    def _settle(conn: Connection) -> None:
        """A read's connection refuses writes (`PRAGMA query_only`), as PostgreSQL's read
        connections do: a write slipped into a read, which no transaction would roll back
        now, is refused instead. Sent only when the connection last served the other kind
        of work, in aiosqlite's thread with nothing else (no transaction begun for it)."""
        read_only = conn.get_execution_options().get("sqlite_begin", "DEFERRED") is None
        proxied = conn.connection
        if proxied.info.get(_QUERY_ONLY, False) == read_only:
            return
        driver = proxied.driver_connection
        assert driver is not None
        pragma = f"PRAGMA query_only={int(read_only)}"
        await_(driver._execute(_run_statement, driver._conn, pragma, None, False))
        proxied.info[_QUERY_ONLY] = read_only


class _StreamingCursor(AsyncAdapt_asyncpg_ss_cursor):
    """A server-side cursor (`Session.stream`) lives in a transaction, which an autocommit
    read connection does not open: this one opens it for its stream (read-only, as the
    connection is) and ends it when it closes, so no transaction outlives the stream."""

    __slots__ = ("_opened",)

    def __init__(self, adapt_connection: Any) -> None:
        super().__init__(adapt_connection)
        self._opened = False

    async def _prepare_and_execute(self, operation: Any, parameters: Any) -> None:
        adapt = self._adapt_connection
        if adapt.autocommit and adapt._transaction is None:
            try:
                transaction = adapt._connection.transaction(readonly=adapt.readonly)
                await transaction.start()
            except Exception as error:
                adapt._handle_exception(error)
            adapt._transaction = transaction
            self._opened = True
        await super()._prepare_and_execute(operation, parameters)

    def close(self) -> None:
        super().close()
        if self._opened:
            self._opened = False
            self._adapt_connection.rollback()


class _StreamingConnection(AsyncAdapt_asyncpg_connection):
    __slots__ = ()
    _ss_cursor_cls = _StreamingCursor


def _wanted_settings(conn: Connection) -> tuple[int, bool]:
    """The session settings a connection's work runs under, from its engine's options: the
    statement bound (0: the server's default) and whether it only reads."""
    options = conn.get_execution_options()
    return int(options.get(TIMEOUT_OPTION) or 0), bool(options.get("postgresql_readonly"))


def _configure_postgres(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection) is AsyncAdapt_asyncpg_connection:
            dbapi_connection.__class__ = _StreamingConnection

    @event.listens_for(engine.sync_engine, "engine_connect")
    def _settle(conn: Connection) -> None:
        """Give the checked-out connection its work's statement bound and read-only flag as
        session settings, only when they differ from what it last had: a read on a
        connection that last read sends nothing more (a `SET LOCAL` in every read
        transaction cost a round trip, and needed the transaction). A write on a read's
        connection gets the server's defaults back first, so writes stay unbounded; a
        connection whose setting failed half-way is discarded, not reused."""
        wanted = _wanted_settings(conn)
        proxied = conn.connection
        if proxied.info.get(_SETTINGS, _DEFAULTS) == wanted:
            return
        timeout, read_only = wanted
        settings = (
            f"SET statement_timeout = {timeout}" if timeout else "RESET statement_timeout",
            "SET default_transaction_read_only = on"
            if read_only
            else "RESET default_transaction_read_only",
        )
        driver = proxied.driver_connection
        assert driver is not None
        try:  # one round trip for both, outside any transaction: they last the session
            await_(driver.execute("; ".join(settings)))
        except BaseException as error:
            proxied.invalidate(error if isinstance(error, Exception) else None)
            raise
        proxied.info[_SETTINGS] = wanted


# SQLite's pool: a connection is a file handle and an idle aiosqlite thread, but opening one
# costs a thread and five statements (`_configure_sqlite`); with SQLAlchemy's default (5, and
# 10 more at a peak, each closed when given back) 50 concurrent requests waited for a
# connection or opened and closed one: 630-700 requests/s with p95 244-282 ms on the mixed
# read load, against 860-990 and p95 85-176 ms with this size (bench/anatomy_bench.py's mix,
# one server, this 2-core machine)
SQLITE_POOL_SIZE = 20


def _pool_options(url: str, size: int) -> dict[str, Any]:
    """A PostgreSQL pool of `size` connections (and as many more at a peak). No ping round
    trip on checkout (it cost ~20% of a request): a pooled connection is recycled after a
    while, and one the server has closed is noticed without a round trip and replaced once
    (`_replace_closed`)."""
    return {
        "pool_size": size,
        "max_overflow": size,
        "pool_recycle": POOL_RECYCLE_SECONDS,
        "async_creator": uninterrupted_connect(url),
    }


def _replace_closed(engine: AsyncEngine) -> None:
    """A pooled asyncpg connection whose server end has gone (a restart, an idle timeout,
    `pg_terminate_backend`) is already marked closed by asyncpg's protocol when the loop saw
    the socket close: checking that flag costs no round trip. Raising DisconnectionError
    makes the pool discard it and check out another (a fresh one if need be), so no request
    is handed a connection known dead; a connection that dies mid-statement still fails
    that statement, and the pool then invalidates it."""

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        raw = getattr(dbapi_connection, "_connection", None)
        if raw is not None and raw.is_closed():
            raise DisconnectionError("the server closed this pooled connection")


def _timed_out(context: ExceptionContext) -> BaseException | None:
    """A statement stopped by its time bound becomes the refusal every door knows."""
    error = context.original_exception
    if getattr(error, "sqlstate", None) == _QUERY_CANCELED or str(error) == "interrupted":
        return StatementTimedOut()
    return None


def uninterrupted_connect(url: str) -> Callable[[], Awaitable[asyncpg.Connection]]:
    """asyncpg.connect that a cancelled caller cannot stop half-way.

    A request task cancelled while the pool opens a connection for it (graphql-core cancels
    sibling resolvers when one fails) used to interrupt asyncpg between its TCP connect and
    the SSL negotiation, which then logged "Future exception was never retrieved:
    unexpected connection_lost()". The connect now runs to its end in its own task; if the
    caller is gone by then, the new connection is closed and any error retrieved."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def connect() -> asyncpg.Connection:
        opening = asyncio.ensure_future(asyncpg.connect(dsn))
        try:
            return await asyncio.shield(opening)
        except asyncio.CancelledError:
            opening.add_done_callback(_close_unclaimed)
            raise

    return connect


def _close_unclaimed(opening: asyncio.Future[asyncpg.Connection]) -> None:
    if opening.cancelled():
        return
    if opening.exception() is None:  # retrieved either way
        opening.result().terminate()


class SharedReads:
    """One request's reads on one session: one connection checkout and (on SQLite) one read
    transaction for the whole request, instead of one per read (each cost a checkout, a
    BEGIN and a ROLLBACK, about half a millisecond; issue 26). PostgreSQL reads hold no
    transaction at all (module docstring).

    Kept between loans only while the pool has idle connections (`Database.pool_is_busy`):
    a request keeping one connection while it waits for a second (a nested read, the
    search index's own connection) could otherwise, under load, wait on others doing the
    same; when the pool is busy each loan ends its transaction, as every read did before.

    Lent to one reader at a time: concurrent readers (GraphQL resolvers, gathered loaders)
    take turns, which measured faster than a session each. A read inside a loan, in the
    task that holds it, gets a session of its own, as every read did before (no reader
    waits on itself); a reader never awaits another task's read while it holds a loan (the
    code inside a loan awaits only what takes its session). Each loan ends with the
    session's objects detached, as closing a session did. A loan that fails (a timeout, a
    cancelled resolver) closes the session, and the next reader starts a fresh one. A write
    ends the read transaction before it begins and after it commits (`Database.write`): no
    read transaction is held across a write (on PostgreSQL it could block the write's DDL;
    on SQLite it would keep reading the snapshot from before the write)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._session: AsyncSession | None = None
        self._turn = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None
        self._stale = False  # a write happened during a loan: end the transaction after it
        self._closed = False

    @asynccontextmanager
    async def lend(self) -> AsyncIterator[AsyncSession]:
        if self._closed or (self._holder is not None and self._holder is asyncio.current_task()):
            async with self.database._read() as own:
                yield own
            return
        async with self._turn:
            if self._closed:  # the request ended while this reader waited
                async with self.database._read() as own:
                    yield own
                return
            if self._session is None:
                self._session = self.database._read()
            session = self._session
            self._holder = asyncio.current_task()
            try:
                yield session
            except BaseException:
                self._session = None
                await asyncio.shield(session.close())
                raise
            finally:
                self._holder = None
            session.expunge_all()
            if self._stale or self._closed or self.database.pool_is_busy():
                await self._end()

    async def before_write(self) -> None:
        """End the read transaction now, or after the loan in progress (a write inside it)."""
        if self._turn.locked():
            self._stale = True
        else:
            await self._end()

    async def close(self) -> None:
        """At the end of the request; a loan still running closes the session after it."""
        self._closed = True
        if not self._turn.locked():
            await self._end()

    async def _end(self) -> None:
        session, self._session, self._stale = self._session, None, False
        if session is not None:
            await asyncio.shield(session.close())


# the request's shared reads, when its door opened them (`Database.shared_reads`)
_SHARED: ContextVar[SharedReads | None] = ContextVar("opendata_shared_reads", default=None)


class Database:
    """One database: an engine, a session factory for reads and one for writes."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        pool_size: int = 10,
        statement_timeout_ms: int = 0,
        download_timeout_ms: int = 0,
    ) -> None:
        self.url = url
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}  # no data in logs
        # PostgreSQL: one-statement autocommit writes beside the requests (the shared rate
        # limiter's buckets) on a small pool of their own; on a read's connection each undid
        # the read's settings (`_settle`) and the next read set them again (issue 26)
        self.side_engine: AsyncEngine | None = None
        if self.dialect == "postgresql":
            options.update(_pool_options(url, pool_size))
            side = {**options, **_pool_options(url, SIDE_POOL_SIZE)}
            self.side_engine = create_async_engine(url, isolation_level="AUTOCOMMIT", **side)
            _replace_closed(self.side_engine)
        elif ":memory:" in url:
            raise ValueError("in-memory SQLite is not supported: give a file path")
        else:
            nullpool = url.endswith("?nullpool")
            options.update(
                {"poolclass": NullPool}
                if nullpool
                else {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_SIZE}
            )
        self.engine: AsyncEngine = create_async_engine(url, **options)
        event.listen(self.engine.sync_engine, "handle_error", _timed_out)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
            write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            # one read transaction: SQLite's WAL keeps its snapshot until it ends
            snapshot_engine = self.engine.execution_options(**{TIMEOUT_OPTION: download_timeout_ms})
        else:
            _configure_postgres(self.engine)
            _replace_closed(self.engine)
            write_engine = self.engine
            snapshot_engine = self.engine.execution_options(
                isolation_level="REPEATABLE READ",
                postgresql_readonly=True,
                **{TIMEOUT_OPTION: download_timeout_ms},
            )
        read_options: dict[str, Any] = {TIMEOUT_OPTION: statement_timeout_ms}
        if self.dialect == "postgresql":  # no BEGIN and ROLLBACK round trips (module docstring)
            read_options.update(isolation_level="AUTOCOMMIT", postgresql_readonly=True)
        else:  # likewise no BEGIN, nor the ROLLBACK (`_OneHopConnection`): hops to its thread
            read_options.update(sqlite_begin=None)
        # reads through the driver itself (PostgreSQL search) connect here too: the same
        # statement bound and read-only settings as every read session
        self.read_engine: AsyncEngine = self.engine.execution_options(**read_options)
        self._read = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._write = async_sessionmaker(write_engine, expire_on_commit=False)
        self._snapshot = async_sessionmaker(snapshot_engine, expire_on_commit=False)
        # run at the start of every write (opendata.db.migrate.SchemaGuard: no writes to a
        # schema newer than this code)
        self.write_guard: Callable[[AsyncSession], Awaitable[None]] | None = None

    def pool_is_busy(self) -> bool:
        """Whether as many connections are checked out as the pool keeps (more need its
        overflow); a pool without a size (NullPool) never is."""
        pool = self.engine.sync_engine.pool
        return isinstance(pool, QueuePool) and pool.checkedout() >= pool.size()

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def session(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session for reading (no write lock taken on SQLite): the request's shared one
        when its door opened `shared_reads`, else a session of its own."""
        shared = _SHARED.get()
        if shared is not None and shared.database is self:
            return shared.lend()
        return self._read()

    @asynccontextmanager
    async def shared_reads(self) -> AsyncIterator[None]:
        """Inside this block (one request of a door), reads share one session
        (`SharedReads`); it is closed when the block ends."""
        shared = SharedReads(self)
        token = _SHARED.set(shared)
        try:
            yield
        finally:
            _SHARED.reset(token)
            await shared.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any error."""
        shared = _SHARED.get()
        if shared is not None and shared.database is not self:
            shared = None
        if shared is not None:
            await shared.before_write()
        async with self._write() as session, session.begin():
            if self.write_guard is not None:
                await self.write_guard(session)
            yield session
        if shared is not None:  # a read transaction another reader began meanwhile predates it
            await shared.before_write()

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[AsyncSession]:
        """One read-only transaction for a long read (a file download): every statement in
        it sees the database as it was at its first read, and it has the download bound.

        It ends by closing the session, which rolls back: nothing is written in it, and a
        stream its client cut short may leave the connection invalid, which a commit
        would raise on and only a rollback clears. Where even the rollback cannot run (a
        COPY cancelled under it is still being wound down by the driver: "another
        operation is in progress"), the connection is discarded, not given back to the
        pool, and the download ends quietly: its client has gone."""
        session = self._snapshot()
        try:
            await session.begin()
            yield session
        finally:
            try:
                await session.close()
            except DBAPIError:
                await session.invalidate()

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.side_engine is not None:
            await self.side_engine.dispose()
