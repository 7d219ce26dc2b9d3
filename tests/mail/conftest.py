from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from opendata.config import MailSettings
from opendata.services import Services
from tests.conftest import DatabaseFactory, make_services
from tests.mail.catcher import MailCatcher


@pytest.fixture
def catcher() -> Iterator[MailCatcher]:
    with MailCatcher() as running:
        yield running


@pytest.fixture
async def mail_services(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path, catcher: MailCatcher
) -> AsyncIterator[Services]:
    """A fresh store whose mail goes to the test's SMTP server."""
    mail = MailSettings(
        smtp_url=catcher.url,
        mail_from="PPID Kubu Raya <ppid@kuburayakab.go.id>",
    )
    built = await make_services(
        database_factory,
        dialect,
        tmp_path / "data",
        mail=mail,
        public_url="https://data.kuburayakab.go.id",
    )
    yield built
    await built.close()
