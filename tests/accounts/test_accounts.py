"""Sign-up, sign-in with rate limits, hashed revocable tokens, and the `users add` command."""

from __future__ import annotations

import argparse
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from opendata.accounts.models import AccessToken, User
from opendata.accounts.service import SignInLimits, create_user, sign_in, sign_up
from opendata.accounts.tokens import revoke_all_tokens, revoke_token, viewer_for_token
from opendata.accounts.viewer import Role
from opendata.cli.accounts import register_commands
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.errors import BadUserInput, NotFound, RateLimited, Unauthenticated
from opendata.services import Services

PASSWORD = "kata-sandi-rahasia"


async def test_sign_up_gives_a_requester_token_stored_only_as_its_hash(services: Services) -> None:
    result = await sign_up(
        services.database, name="Rina", email=" Rina@Example.org ", password=PASSWORD
    )
    assert result.viewer.role is Role.REQUESTER
    assert result.viewer.email == "rina@example.org"
    viewer = await viewer_for_token(services.database, result.token)
    assert viewer == result.viewer
    async with services.database.session() as session:
        stored = list((await session.execute(select(AccessToken.token_hash))).scalars())
        user = (await session.execute(select(User))).scalar_one()
    assert stored == [hashlib.sha256(result.token.encode()).hexdigest()]
    assert user.password_hash is not None and PASSWORD not in user.password_hash


async def test_sign_up_refuses_a_taken_email_short_password_and_bad_email(
    services: Services,
) -> None:
    await sign_up(services.database, name="Rina", email="rina@example.org", password=PASSWORD)
    cases = [
        ("rina@example.org", PASSWORD, "email"),
        ("RINA@example.org", PASSWORD, "email"),
        ("lain@example.org", "pendek", "password"),
        ("bukan-surel", PASSWORD, "email"),
    ]
    for email, password, field in cases:
        with pytest.raises(BadUserInput) as error:
            await sign_up(services.database, name="X", email=email, password=password)
        assert error.value.field == field


async def test_sign_in_with_the_right_password_gives_a_new_token(services: Services) -> None:
    signed_up = await sign_up(
        services.database, name="Rina", email="rina@example.org", password=PASSWORD
    )
    signed_in = await sign_in(services.database, email="RINA@example.org", password=PASSWORD)
    assert signed_in.token != signed_up.token
    assert signed_in.viewer.user_id == signed_up.viewer.user_id
    with pytest.raises(Unauthenticated):
        await sign_in(services.database, email="rina@example.org", password="salah-sandi-123")
    with pytest.raises(Unauthenticated):
        await sign_in(services.database, email="tidak-ada@example.org", password=PASSWORD)


async def test_sign_in_is_rate_limited_per_account(services: Services) -> None:
    await sign_up(services.database, name="Rina", email="rina@example.org", password=PASSWORD)
    limits = SignInLimits(failures_per_account=3, failures_per_address=100)
    now = utcnow()
    for attempt in range(3):
        with pytest.raises(Unauthenticated):
            await sign_in(
                services.database,
                email="rina@example.org",
                password="salah-sandi-123",
                client_address=f"10.0.0.{attempt}",
                now=now,
                limits=limits,
            )
    # even the right password is refused now, from any address
    with pytest.raises(RateLimited):
        await sign_in(
            services.database,
            email="rina@example.org",
            password=PASSWORD,
            client_address="10.9.9.9",
            now=now,
            limits=limits,
        )
    # after the window the account may try again
    later = await sign_in(
        services.database,
        email="rina@example.org",
        password=PASSWORD,
        now=now + limits.window + timedelta(seconds=1),
        limits=limits,
    )
    assert later.viewer.email == "rina@example.org"


async def test_sign_in_is_rate_limited_per_client_address(services: Services) -> None:
    await sign_up(services.database, name="Rina", email="rina@example.org", password=PASSWORD)
    limits = SignInLimits(failures_per_account=100, failures_per_address=3)
    now = utcnow()
    for attempt in range(3):
        with pytest.raises(Unauthenticated):
            await sign_in(
                services.database,
                email=f"tebak{attempt}@example.org",
                password=PASSWORD,
                client_address="203.0.113.7",
                now=now,
                limits=limits,
            )
    with pytest.raises(RateLimited):
        await sign_in(
            services.database,
            email="rina@example.org",
            password=PASSWORD,
            client_address="203.0.113.7",
            now=now,
            limits=limits,
        )
    other = await sign_in(
        services.database,
        email="rina@example.org",
        password=PASSWORD,
        client_address="198.51.100.1",
        now=now,
        limits=limits,
    )
    assert other.viewer.email == "rina@example.org"


async def test_revoked_tokens_no_longer_authenticate(services: Services) -> None:
    first = await sign_up(
        services.database, name="Rina", email="rina@example.org", password=PASSWORD
    )
    second = await sign_in(services.database, email="rina@example.org", password=PASSWORD)
    assert await revoke_token(services.database, first.token)
    assert await viewer_for_token(services.database, first.token) is None
    assert await viewer_for_token(services.database, second.token) is not None
    assert await revoke_all_tokens(services.database, second.viewer.user_id) == 1
    assert await viewer_for_token(services.database, second.token) is None
    assert await viewer_for_token(services.database, "odt_not-a-real-token") is None
    assert await viewer_for_token(services.database, "") is None


async def _agency(services: Services) -> None:
    async with services.database.write() as session:
        session.add(Agency(slug="diskominfo", name="Diskominfo", acronym="DISKOMINFO"))


async def test_officers_and_superiors_belong_to_one_agency(services: Services) -> None:
    await _agency(services)
    with pytest.raises(BadUserInput) as error:
        await create_user(services.database, email="a@kab.go.id", name="A", role="OFFICER")
    assert error.value.field == "agency"
    with pytest.raises(NotFound):
        await create_user(
            services.database, email="a@kab.go.id", name="A", role="SUPERIOR", agency_slug="nope"
        )
    with pytest.raises(BadUserInput) as error:
        await create_user(services.database, email="a@kab.go.id", name="A", role="KING")
    assert error.value.field == "role"
    created = await create_user(
        services.database, email="a@kab.go.id", name="A", role="officer", agency_slug="diskominfo"
    )
    assert created.viewer.role is Role.OFFICER and created.viewer.agency_id is not None


async def test_users_add_command_prints_the_token_on_its_last_line(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    await _agency(services)
    parser = argparse.ArgumentParser(prog="opendata")
    register_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "users",
            "add",
            "--email",
            "ppid@kab.go.id",
            "--name",
            "PPID",
            "--role",
            "OFFICER",
            "--agency",
            "diskominfo",
            "--password",
            PASSWORD,
        ]
    )
    assert await args.handler(services, args) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    viewer = await viewer_for_token(services.database, token)
    assert viewer is not None and viewer.role is Role.OFFICER
    signed_in = await sign_in(services.database, email="ppid@kab.go.id", password=PASSWORD)
    assert signed_in.viewer.user_id == viewer.user_id
    bad = parser.parse_args(
        ["users", "add", "--email", "x@kab.go.id", "--name", "X", "--role", "SUPERIOR"]
    )
    assert await bad.handler(services, bad) == 2


async def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out(services: Services) -> None:
    """Issue 21 #6: five wrong passwords from one address lock that address out of the
    account, not the owner signing in from elsewhere (the default limits)."""
    await sign_up(services.database, name="Rina", email="ppid@example.org", password=PASSWORD)
    now = utcnow()
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            await sign_in(
                services.database,
                email="ppid@example.org",
                password="salah-sandi-123",
                client_address="203.0.113.66",
                now=now,
            )
    with pytest.raises(RateLimited):  # the stranger's address is stopped
        await sign_in(
            services.database,
            email="ppid@example.org",
            password=PASSWORD,
            client_address="203.0.113.66",
            now=now,
        )
    owner = await sign_in(
        services.database,
        email="ppid@example.org",
        password=PASSWORD,
        client_address="192.0.2.10",
        now=now,
    )
    assert owner.viewer.email == "ppid@example.org"
