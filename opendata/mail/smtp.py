"""The SMTP server from `OPENDATA_SMTP_URL`, and sending one message to it (aiosmtplib).

`smtp://user:pass@host:587` upgrades with STARTTLS (required when credentials are given, so a
password never crosses the wire in clear); `smtps://host:465` speaks TLS from the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib


class SmtpUrlError(ValueError):
    """OPENDATA_SMTP_URL is not a usable smtp:// or smtps:// URL."""


@dataclass(frozen=True)
class SmtpServer:
    hostname: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SmtpUrlError(
                "OPENDATA_SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465"
            )
        implicit_tls = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if implicit_tls else 587)
        except ValueError as error:
            raise SmtpUrlError("OPENDATA_SMTP_URL has an invalid port") from error
        return cls(
            hostname=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit_tls,
        )

    @property
    def start_tls(self) -> bool | None:
        """STARTTLS required with credentials; otherwise used whenever the server offers it."""
        if self.implicit_tls:
            return False
        return True if self.username else None


async def send_message(server: SmtpServer, message: EmailMessage, *, timeout: float) -> None:
    """Hand one message to the server; raises on refusal or a broken connection."""
    await aiosmtplib.send(
        message,
        hostname=server.hostname,
        port=server.port,
        username=server.username,
        password=server.password,
        use_tls=server.implicit_tls,
        start_tls=server.start_tls,
        timeout=timeout,
    )
