"""`opendata users disable|enable|unlock`: a disabled account cannot sign in and its tokens
stop working (enabling gives them back); unlock lifts the sign-in lock on an account."""

from __future__ import annotations

import uuid

import pytest

from opendata.accounts.service import SignInLimits, create_user, sign_in
from opendata.accounts.tokens import viewer_for_token
from opendata.errors import RateLimited, Unauthenticated
from opendata.services import Services
from tests.accounts.test_throttle_and_tokens import _run

PASSWORD = "kata-sandi-yang-benar"
LIMITS = SignInLimits(failures_per_account_from_address=3)


async def test_a_disabled_account_cannot_sign_in_or_use_its_tokens(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    email = f"u{uuid.uuid4().hex[:8]}@kubu.example"
    created = await create_user(
        services.database, email=email, name="Petugas", role="ADMIN", password=PASSWORD
    )
    assert await viewer_for_token(services.database, created.token) is not None

    assert await _run(services, "users", "disable", "--email", email) == 0
    assert "disabled user" in capsys.readouterr().out
    assert await viewer_for_token(services.database, created.token) is None
    with pytest.raises(Unauthenticated):
        await sign_in(services.database, email=email, password=PASSWORD)

    assert await _run(services, "users", "enable", "--email", email) == 0
    assert await viewer_for_token(services.database, created.token) is not None
    assert (await sign_in(services.database, email=email, password=PASSWORD)).token

    assert await _run(services, "users", "disable", "--email", "nobody@kubu.example") == 2
    assert "error:" in capsys.readouterr().err


async def test_unlock_lifts_a_sign_in_lock(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    email = f"u{uuid.uuid4().hex[:8]}@kubu.example"
    await create_user(
        services.database, email=email, name="Petugas", role="ADMIN", password=PASSWORD
    )
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            await sign_in(services.database, email=email, password="salah-sandi", limits=LIMITS)
    with pytest.raises(RateLimited):  # locked, even with the right password
        await sign_in(services.database, email=email, password=PASSWORD, limits=LIMITS)

    assert await _run(services, "users", "unlock", "--email", email) == 0
    assert "forgot 3 failed sign-in(s)" in capsys.readouterr().out
    assert (await sign_in(services.database, email=email, password=PASSWORD, limits=LIMITS)).token
