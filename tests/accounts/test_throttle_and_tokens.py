"""Sign-in throttle under concurrency (one server and two sharing PostgreSQL), tokens that
end (expiry, a bounded number per user, signOut), and the operator's `users` commands."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from opendata.accounts.models import AccessToken
from opendata.accounts.service import SignInLimits, create_user, sign_in, sign_up
from opendata.accounts.tokens import MAX_ACTIVE_TOKENS, viewer_for_token
from opendata.app import create_app
from opendata.cli import build_parser
from opendata.db.base import utcnow
from opendata.errors import RateLimited, Unauthenticated
from opendata.services import Services, open_services
from tests.conftest import DatabaseFactory, asgi_client, make_services
from tests.web.helpers import data, error_codes, gql

PASSWORD = "kata-sandi-yang-benar"
LIMITS = SignInLimits(failures_per_account=5, failures_per_address=20)


def _email() -> str:
    return f"u{uuid.uuid4().hex[:10]}@example.org"


async def _outcomes(attempts: list[asyncio.Future[object]] | list[object]) -> dict[str, int]:
    results = await asyncio.gather(*attempts, return_exceptions=True)  # type: ignore[arg-type]
    counts = {"refused": 0, "checked": 0, "other": 0}
    for result in results:
        if isinstance(result, RateLimited):
            counts["refused"] += 1
        elif isinstance(result, Unauthenticated):
            counts["checked"] += 1
        else:
            counts["other"] += 1
    return counts


async def test_concurrent_wrong_passwords_for_one_account_check_at_most_the_limit(
    services: Services,
) -> None:
    email = _email()
    await sign_up(services.database, name="Rina", email=email, password=PASSWORD)
    attempts = [
        sign_in(
            services.database,
            email=email,
            password=f"salah-{n:04d}-sandi",
            client_address=f"10.0.0.{n}",
            limits=LIMITS,
        )
        for n in range(40)
    ]
    counts = await _outcomes(attempts)  # type: ignore[arg-type]
    assert counts == {"refused": 35, "checked": 5, "other": 0}
    with pytest.raises(RateLimited):  # the right password too, until the window passes
        await sign_in(services.database, email=email, password=PASSWORD, limits=LIMITS)


async def test_concurrent_wrong_passwords_from_one_address_check_at_most_its_limit(
    services: Services,
) -> None:
    attempts = [
        sign_in(
            services.database,
            email=_email(),
            password="salah-sekali-sandi",
            client_address="198.51.100.7",
            limits=LIMITS,
        )
        for _ in range(30)
    ]
    counts = await _outcomes(attempts)  # type: ignore[arg-type]
    assert counts == {"refused": 10, "checked": 20, "other": 0}


async def test_two_servers_sharing_postgres_share_one_atomic_limit(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    first = await make_services(database_factory, "postgres", tmp_path / "one")
    second = await open_services(first.settings.with_overrides(data_dir=tmp_path / "two"))
    try:
        email = _email()
        await sign_up(first.database, name="Rina", email=email, password=PASSWORD)
        attempts = [
            sign_in(
                server.database,
                email=email,
                password="salah-sekali-sandi",
                client_address=f"10.1.0.{n}",
                limits=LIMITS,
            )
            for n in range(20)
            for server in (first, second)
        ]
        counts = await _outcomes(attempts)  # type: ignore[arg-type]
        assert counts == {"refused": 35, "checked": 5, "other": 0}
    finally:
        await first.close()
        await second.close()


async def test_a_right_password_after_wrong_ones_still_signs_in_under_the_limit(
    services: Services,
) -> None:
    email = _email()
    await sign_up(services.database, name="Rina", email=email, password=PASSWORD)
    for _ in range(4):
        with pytest.raises(Unauthenticated):
            await sign_in(services.database, email=email, password="salah-sandi-x", limits=LIMITS)
    signed_in = await sign_in(services.database, email=email, password=PASSWORD, limits=LIMITS)
    assert await viewer_for_token(services.database, signed_in.token) is not None
    with pytest.raises(Unauthenticated):  # the success did not count as a failure
        await sign_in(services.database, email=email, password="salah-sandi-y", limits=LIMITS)


# ---------------------------------------------------------------- tokens that end


async def test_a_token_expires_after_its_lifetime(services: Services) -> None:
    month_ago = utcnow() - timedelta(days=31)
    old = await sign_up(
        services.database, name="Rina", email=_email(), password=PASSWORD, now=month_ago
    )
    assert await viewer_for_token(services.database, old.token) is None
    short = await create_user(
        services.database,
        email=_email(),
        name="Petugas",
        role="ADMIN",
        lifetime=timedelta(hours=1),
    )
    assert await viewer_for_token(services.database, short.token) is not None
    later = utcnow() + timedelta(hours=2)
    assert await viewer_for_token(services.database, short.token, now=later) is None


async def test_the_configured_lifetime_is_what_sign_up_over_graphql_gives(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    services = await make_services(
        database_factory, dialect, tmp_path / "d", token_lifetime=timedelta(days=3)
    )
    try:
        async with asgi_client(create_app(services)) as client:
            body = await gql(
                client,
                "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
                {"i": {"name": "Rina", "email": _email(), "password": PASSWORD}},
            )
            assert data(body)["signUp"]["token"]
        async with services.database.session() as session:
            stored = (await session.execute(select(AccessToken))).scalar_one()
        assert stored.expires_at - stored.created_at == timedelta(days=3)
    finally:
        await services.close()


async def test_signing_in_again_and_again_keeps_only_the_newest_tokens(
    services: Services,
) -> None:
    email = _email()
    first = await sign_up(services.database, name="Rina", email=email, password=PASSWORD)
    tokens = [first.token]
    for _ in range(MAX_ACTIVE_TOKENS + 1):
        tokens.append((await sign_in(services.database, email=email, password=PASSWORD)).token)
    alive = [await viewer_for_token(services.database, t) is not None for t in tokens]
    assert alive == [False, False] + [True] * MAX_ACTIVE_TOKENS


SIGN_OUT = "mutation { signOut }"
VIEWER = "{ viewer { email } }"


async def test_sign_out_revokes_the_calling_token_only(services: Services) -> None:
    email = _email()
    first = await sign_up(services.database, name="Rina", email=email, password=PASSWORD)
    second = await sign_in(services.database, email=email, password=PASSWORD)
    async with asgi_client(create_app(services)) as client:
        assert data(await gql(client, VIEWER, token=first.token))["viewer"]["email"] == email
        assert data(await gql(client, SIGN_OUT, token=first.token)) == {"signOut": True}
        refused = await client.post(
            "/graphql",
            json={"query": VIEWER},
            headers={"Authorization": f"Bearer {first.token}"},
        )
        assert refused.status_code == 401
        assert data(await gql(client, VIEWER, token=second.token))["viewer"]["email"] == email
        assert error_codes(await gql(client, SIGN_OUT)) == ["UNAUTHENTICATED"]


# ---------------------------------------------------------------- the operator's commands


async def _run(services: Services, *argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(await args.handler(services, args))


async def test_users_token_set_password_and_revoke(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    email = _email()
    lost = await create_user(services.database, email=email, name="Admin", role="ADMIN")
    assert await _run(services, "users", "token", "--email", email.upper()) == 0
    new_token = capsys.readouterr().out.strip().splitlines()[-1]
    assert new_token != lost.token
    assert (await viewer_for_token(services.database, new_token)) is not None

    new_password = "sandi-baru-yang-panjang"
    assert await _run(services, "users", "set-password", "--email", email, "--password",
                      new_password) == 0  # fmt: skip
    signed_in = await sign_in(services.database, email=email, password=new_password)

    assert await _run(services, "users", "revoke", "--email", email) == 0
    assert "revoked 3 token(s)" in capsys.readouterr().out
    for token in (lost.token, new_token, signed_in.token):
        assert await viewer_for_token(services.database, token) is None

    assert await _run(services, "users", "token", "--email", "nobody@example.org") == 2
    assert "error:" in capsys.readouterr().err
    assert await _run(services, "users", "set-password", "--email", email, "--password",
                      "pendek") == 2  # fmt: skip
