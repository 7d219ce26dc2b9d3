"""Issue 21 finding 3: `users revoke` and `users set-password` end the account's portal
sessions too, not only its bearer tokens (a 14-day cookie must not outlive a revocation)."""

from __future__ import annotations

import uuid

import pytest

from opendata.accounts.service import create_user
from opendata.accounts.sessions import open_session, signed_in
from opendata.cli import build_parser
from opendata.services import Services


async def _run(services: Services, *argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(await args.handler(services, args))


@pytest.mark.parametrize(
    "command",
    [("revoke",), ("set-password", "--password", "sandi-baru-yang-panjang")],
)
async def test_users_command_signs_the_account_out_of_the_pages(
    services: Services, command: tuple[str, ...]
) -> None:
    email = f"u{uuid.uuid4().hex[:10]}@example.org"
    created = await create_user(
        services.database, email=email, name="Pemohon", role="REQUESTER", password="sandi-lama-12"
    )
    database = services.database
    secrets = [(await open_session(database, created.viewer.user_id))[0] for _ in range(2)]
    assert all([await signed_in(database, secret) for secret in secrets])

    assert await _run(services, "users", command[0], "--email", email, *command[1:]) == 0

    for secret in secrets:
        assert await signed_in(database, secret) is None
