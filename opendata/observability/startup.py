"""What `opendata serve` checks before it serves, each problem in one line: the data folder
is writable (every command checks that), the SMTP server answers, the public address is set
when mail is on (links in mail would point at 127.0.0.1), and fonts exist for the letters.
A fatal problem stops the start; the others are warnings (the server serves, and says what
will not work)."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass

from opendata.config import Settings
from opendata.letters.fonts import font_count
from opendata.mail.smtp import SmtpServer, SmtpUrlError

SMTP_TIMEOUT_SECONDS = 3.0


class ConfigurationError(Exception):
    """A setting that cannot work; the message is one line."""


@dataclass(frozen=True)
class Problem:
    line: str
    fatal: bool


def one_line(error: BaseException) -> str:
    """An error as one line (its first line; the class name when it says nothing)."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def check_data_folder(settings: Settings) -> None:
    """Every command that opens the service writes to the data folder: refuse one it cannot."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=settings.data_dir):
            pass
    except OSError as error:
        raise ConfigurationError(
            f"error: the data folder {settings.data_dir} is not writable ({one_line(error)}); "
            "give --data-dir a folder this user may write"
        ) from error


async def _smtp(settings: Settings) -> Problem | None:
    if not settings.mail.smtp_url:
        return None
    try:
        server = SmtpServer.from_url(settings.mail.smtp_url)
    except SmtpUrlError as error:
        return Problem(f"error: {error}", fatal=True)
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(server.hostname, server.port), SMTP_TIMEOUT_SECONDS
        )
        writer.close()
    except (OSError, TimeoutError) as error:
        return Problem(
            f"warning: the SMTP server {server.hostname}:{server.port} does not answer "
            f"({one_line(error) if str(error) else 'no answer in 3 s'}); mail waits in the "
            "queue (opendata jobs list)",
            fatal=False,
        )
    return None


def _public_url(settings: Settings) -> Problem | None:
    if settings.mail.smtp_url and not settings.public_url:
        return Problem(
            "warning: mail is on but OPENDATA_PUBLIC_URL is not set: links in mail point at "
            f"{settings.absolute_base_url}",
            fatal=False,
        )
    return None


def _fonts() -> Problem | None:
    if font_count() == 0:
        return Problem(
            "warning: no fonts found (fontconfig): PDF letters are refused until a font is "
            "installed (e.g. apt-get install fonts-dejavu-core)",
            fatal=False,
        )
    return None


async def start_up_problems(settings: Settings) -> list[Problem]:
    found = [await _smtp(settings), _public_url(settings), _fonts()]
    return [problem for problem in found if problem is not None]
