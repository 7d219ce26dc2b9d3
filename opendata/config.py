"""Settings from flags and environment, in one typed object.

Every knob a deployment may turn lives here, so that the CLI, the app and the tests
build the same service from the same values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Literal, TypeVar

SearchBackendName = Literal["whoosh", "postgres"]
AttachmentStoreName = Literal["database", "folder"]

REPO_ROOT = Path(__file__).resolve().parent.parent
# the demo catalogue inside the package (a link to the top-level catalog/ in the source tree)
DEMO_CATALOG = Path(__file__).resolve().parent / "demo_catalog"


NumberT = TypeVar("NumberT", int, float)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return _number(name, raw, int) if raw not in (None, "") else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return _number(name, raw, float) if raw not in (None, "") else default


def _number(name: str, raw: str | None, kind: type[NumberT]) -> NumberT:
    """A number from the environment; a mistake names the variable (one line at start-up)."""
    try:
        return kind(raw or "")
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None


def _env_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list; unset or blank gives the default."""
    items = tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())
    return items or default


@dataclass(frozen=True)
class Limits:
    """Safety limits on every request: size, shape and cost of queries."""

    max_body_bytes: int = 256 * 1024
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    # Field selections written in a document (before fragments are spread): bounds the work of
    # validating it (overlapping-field checks grow with the square of the fields in one set).
    max_fields: int = 1000
    max_cost: int = 50_000
    page_max: int = 100
    rows_page_max: int = 1000
    # What one read statement may spend (OPENDATA_STATEMENT_TIMEOUT_MS); 0: unbounded. A file
    # download reads one snapshot for its whole stream and gets the larger bound below.
    statement_timeout_ms: int = 5000
    download_timeout_ms: int = 600_000


@dataclass(frozen=True)
class RateLimits:
    """Token-bucket rate limits: requests per second and burst, per client."""

    anonymous_rate: float = 50.0
    anonymous_burst: int = 200
    token_rate: float = 100.0
    token_burst: int = 400
    enabled: bool = True


@dataclass(frozen=True)
class MailSettings:
    """Outgoing e-mail and the background job queue that sends it (opendata.mail, .outbox)."""

    # smtp://user:pass@host:587 (STARTTLS) or smtps://...:465; empty: nothing is sent
    smtp_url: str = ""
    mail_from: str = "PPID <ppid@localhost>"
    job_poll_seconds: float = 1.0
    # a claimed job not finished within its lease is taken over by another worker
    job_lease_seconds: float = 120.0
    reminder_scan_seconds: float = 300.0
    run_jobs: bool = True


@dataclass(frozen=True)
class PullSettings:
    """Fetching the sources datasets declare (opendata.pull): schedule scans and fetch limits."""

    # how often each server looks for a source whose scheduled tick has come; 0: never
    scan_seconds: float = 30.0
    # the whole fetch (connect, redirects, body) must finish within this
    timeout_seconds: float = 60.0
    max_bytes: int = 256 * 1024 * 1024
    # loopback, private and link-local addresses are refused unless this is on
    # (OPENDATA_PULL_ALLOW_PRIVATE=1: a source on the same network, or the tests)
    allow_private_addresses: bool = False


@dataclass(frozen=True)
class Settings:
    """The whole configuration of one opendata process."""

    data_dir: Path = Path(".opendata")
    database_url: str = ""
    search_backend: SearchBackendName | None = None
    demo_catalog: Path = DEMO_CATALOG
    limits: Limits = field(default_factory=Limits)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    exemption_sweep_seconds: float = 300.0
    # how often a server gives the free memory glibc keeps back to the system (opendata.heap;
    # OPENDATA_HEAP_TRIM_SECONDS); 0: never
    heap_trim_seconds: float = 60.0
    # how often a server builds the composite indexes for the filter combinations it has
    # seen counted often (opendata.catalogue.observed_filters; OPENDATA_OBSERVED_FILTER_SECONDS);
    # 0: never
    observed_filter_seconds: float = 60.0
    response_cache_entries: int = 2048
    log_sql: bool = False
    # how long a bearer token lasts (OPENDATA_TOKEN_DAYS); signing in again gives a new one
    token_lifetime: timedelta = timedelta(days=30)
    # The address the public reaches this service at (absolute links in DCAT, feeds,
    # sitemaps, CKAN resource URLs); empty: the address each request came in on.
    public_url: str = ""
    # Origins whose browser pages may call the open doors (GraphQL, CKAN API, DCAT, feeds).
    cors_origins: tuple[str, ...] = ("*",)
    mail: MailSettings = field(default_factory=MailSettings)
    pull: PullSettings = field(default_factory=PullSettings)
    # where attachment bytes live (OPENDATA_ATTACHMENT_STORE): `database` (every server reads
    # them) or `folder` (the data folder); None: the database on PostgreSQL, else the folder
    attachment_store: AttachmentStoreName | None = None

    @property
    def absolute_base_url(self) -> str:
        """Where links that leave the site point (e-mail, attachment URLs): `public_url`, or
        the default `serve` address when none is set."""
        return self.public_url or "http://127.0.0.1:8000"

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite in the data folder."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'opendata.sqlite3').resolve()}"

    @property
    def is_postgres(self) -> bool:
        return self.resolved_database_url.startswith("postgresql")

    @property
    def resolved_search_backend(self) -> SearchBackendName:
        """Default: PostgreSQL FTS on PostgreSQL (shared by all servers), whoosh on SQLite."""
        if self.search_backend is not None:
            return self.search_backend
        return "postgres" if self.is_postgres else "whoosh"

    @property
    def whoosh_dir(self) -> Path:
        return self.data_dir / "whoosh"

    @property
    def calendar_overrides_file(self) -> Path:
        return self.data_dir / "calendar-overrides.yaml"

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with some values replaced; None values are ignored (flag not given)."""
        given = {key: value for key, value in changes.items() if value is not None}
        return replace(self, **given)  # type: ignore[arg-type]


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the async drivers."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def settings_from_env() -> Settings:
    """Read the OPENDATA_* environment variables."""
    backend = os.environ.get("OPENDATA_SEARCH_BACKEND") or None
    if backend not in (None, "whoosh", "postgres"):
        raise ValueError(f"OPENDATA_SEARCH_BACKEND must be 'whoosh' or 'postgres', not {backend!r}")
    rate = RateLimits(
        anonymous_rate=_env_float("OPENDATA_RATE_ANONYMOUS", RateLimits.anonymous_rate),
        anonymous_burst=_env_int("OPENDATA_BURST_ANONYMOUS", RateLimits.anonymous_burst),
        token_rate=_env_float("OPENDATA_RATE_TOKEN", RateLimits.token_rate),
        token_burst=_env_int("OPENDATA_BURST_TOKEN", RateLimits.token_burst),
        enabled=os.environ.get("OPENDATA_RATE_LIMITS", "on") != "off",
    )
    mail = MailSettings(
        smtp_url=os.environ.get("OPENDATA_SMTP_URL", ""),
        mail_from=os.environ.get("OPENDATA_MAIL_FROM") or MailSettings.mail_from,
        job_poll_seconds=_env_float("OPENDATA_JOB_POLL_SECONDS", MailSettings.job_poll_seconds),
        job_lease_seconds=_env_float("OPENDATA_JOB_LEASE_SECONDS", MailSettings.job_lease_seconds),
        reminder_scan_seconds=_env_float(
            "OPENDATA_REMINDER_SCAN_SECONDS", MailSettings.reminder_scan_seconds
        ),
        run_jobs=os.environ.get("OPENDATA_RUN_JOBS", "on") != "off",
    )
    limits = Limits(
        statement_timeout_ms=_env_int("OPENDATA_STATEMENT_TIMEOUT_MS", Limits.statement_timeout_ms),
        download_timeout_ms=_env_int("OPENDATA_DOWNLOAD_TIMEOUT_MS", Limits.download_timeout_ms),
    )
    pull = PullSettings(
        scan_seconds=_env_float("OPENDATA_PULL_SCAN_SECONDS", PullSettings.scan_seconds),
        timeout_seconds=_env_float("OPENDATA_PULL_TIMEOUT_SECONDS", PullSettings.timeout_seconds),
        max_bytes=_env_int("OPENDATA_PULL_MAX_BYTES", PullSettings.max_bytes),
        allow_private_addresses=os.environ.get("OPENDATA_PULL_ALLOW_PRIVATE") == "1",
    )
    attachments = os.environ.get("OPENDATA_ATTACHMENT_STORE") or None
    if attachments not in (None, "database", "folder"):
        raise ValueError(
            f"OPENDATA_ATTACHMENT_STORE must be 'database' or 'folder', not {attachments!r}"
        )
    return Settings(
        attachment_store=attachments,  # type: ignore[arg-type]
        pull=pull,
        limits=limits,
        data_dir=Path(os.environ.get("OPENDATA_DATA_DIR", ".opendata")),
        mail=mail,
        database_url=os.environ.get("OPENDATA_DATABASE_URL", ""),
        search_backend=backend,  # type: ignore[arg-type]
        rate_limits=rate,
        log_sql=os.environ.get("OPENDATA_LOG_SQL") == "1",
        heap_trim_seconds=_env_float("OPENDATA_HEAP_TRIM_SECONDS", Settings.heap_trim_seconds),
        observed_filter_seconds=_env_float(
            "OPENDATA_OBSERVED_FILTER_SECONDS", Settings.observed_filter_seconds
        ),
        token_lifetime=timedelta(days=_env_float("OPENDATA_TOKEN_DAYS", 30.0)),
        public_url=os.environ.get("OPENDATA_PUBLIC_URL", "").rstrip("/"),
        cors_origins=_env_list("OPENDATA_CORS_ORIGINS", ("*",)),
    )
