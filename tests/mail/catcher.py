"""A real SMTP server (aiosmtpd) in the test process, on a free loopback port.

It records a message only once it has accepted it (answered 250 to the end of DATA), like a
real server. `hang_next()` makes it stall on the next message before accepting: if the client
dies meanwhile, aiosmtpd cancels the handler on the lost connection and nothing is delivered.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.web.server import free_port


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())  # type: ignore[attr-defined]


class MailCatcher:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._hang = threading.Event()
        self.hanging = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> MailCatcher:
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.controller.stop()

    def hang_next(self) -> None:
        self._hang.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._hang.is_set():
            self._hang.clear()
            self.hanging.set()
            await asyncio.sleep(3600)  # cancelled by aiosmtpd when the connection is lost
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(Received(tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def messages(self, subject: str = "") -> list[Received]:
        """What arrived, or only the messages whose subject contains `subject`."""
        with self._lock:
            return [mail for mail in self.received if subject in mail.subject]

    def wait_for(self, count: int, timeout: float = 60, subject: str = "") -> list[Received]:
        """At least `count` messages (whose subject contains `subject`), up to `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(subject)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.messages(subject))}")
