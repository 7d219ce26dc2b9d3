"""Log lines: a timestamp on every line, text or one JSON object per line, and repeated
warnings and errors summarised instead of flooding the log (a database that went away makes
every request and every background poll fail the same way).

The JSON lines are made by `JsonFormatter`, a few lines over the standard `logging`
module rather than a dependency: one `json.dumps` of the record's fields.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

# what a record carries beyond the standard attributes, copied into JSON lines as they are
EXTRA_FIELDS = ("request_id", "method", "route", "status", "ms")
# a warning or error with the same logger and message is written at most BURST times per
# WINDOW seconds; the rest are counted and summarised in the next line let through
WINDOW_SECONDS = 10.0
BURST = 5
# the request being served, for every log line written while serving it (RequestIdFilter)
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def _utc(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """`2026-12-06T08:00:00.123+00:00 INFO opendata.access: message`."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_utc(record)} {record.levelname} {record.name}: {record.getMessage()}"
        request_id = getattr(record, "request_id", None)
        if request_id is not None and record.name != "opendata.access":
            line += f" [request {request_id}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the access fields, and the
    exception's text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (name, getattr(record, name)) for name in EXTRA_FIELDS if hasattr(record, name)
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RepeatLimit(logging.Filter):
    """Lets through at most `burst` warnings or errors with the same logger and message in
    each `window` seconds; the first line after a window with suppressed lines says how many
    were left out."""

    def __init__(self, *, window: float = WINDOW_SECONDS, burst: int = BURST) -> None:
        super().__init__()
        self.window = window
        self.burst = burst
        # (logger, message template) -> [window start, lines written, lines left out]
        self._seen: dict[tuple[str, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        seen = self._seen.get(key)
        if seen is None or now - seen[0] >= self.window:
            left_out = int(seen[2]) if seen is not None else 0
            self._seen[key] = [now, 1, 0]
            if left_out:
                record.msg = f"{record.msg} ({left_out} similar lines left out)"
            if len(self._seen) > 1000:  # messages with values in them: keep the table small
                self._seen = {key: self._seen[key]}
            return True
        if seen[1] < self.burst:
            seen[1] += 1
            return True
        seen[2] += 1
        return False


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record written while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            current = REQUEST_ID.get()
            if current is not None:
                record.request_id = current
        return True


def configure_logging(log_format: str | None = None) -> None:
    """The process's one log handler on stderr: `text` (default) or `json`
    (`--log-format`, OPENDATA_LOG_FORMAT), with repeated errors limited."""
    chosen = log_format or os.environ.get("OPENDATA_LOG_FORMAT") or "text"
    if chosen not in ("text", "json"):
        raise ValueError(f"OPENDATA_LOG_FORMAT must be 'text' or 'json', not {chosen!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    handler.addFilter(RepeatLimit())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # uvicorn's own loggers write through the root handler (same format, same limit)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # opendata.access replaces uvicorn's access line (which shows the path and query)
    logging.getLogger("uvicorn.access").disabled = True
