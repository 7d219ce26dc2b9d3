"""Signing up, signing in (rate-limited) and creating staff accounts.

Requesters sign up themselves; officers, superiors and admins are created by an operator
(`opendata users add`). Sign-in failures are limited per account *from one address*, per
client address, and (far more loosely) per account from everywhere, counted in the database
so that every server process sees the same counts. A stranger's five wrong passwords lock
only the stranger's address out of that account, never its owner elsewhere.

The limit is atomic: checking the count and recording the attempt happen in one short
transaction serialised per account and per address (PostgreSQL advisory locks, shared by
every server on the database; SQLite's `BEGIN IMMEDIATE`), and the attempt is recorded as a
failure before the password is checked, turned into a success only if it matches. So however
many attempts arrive at once, at most the allowed number of passwords is ever checked.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from opendata.accounts.models import SignInAttempt, User
from opendata.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)
from opendata.accounts.sessions import revoke_all_sessions
from opendata.accounts.tokens import (
    DEFAULT_TOKEN_LIFETIME,
    issue_token,
    revoke_all_tokens,
    viewer_of,
)
from opendata.accounts.viewer import AGENCY_ROLES, Role, Viewer
from opendata.db.base import utcnow
from opendata.db.engine import Database
from opendata.db.models import Agency
from opendata.errors import BadUserInput, RateLimited, Unauthenticated, not_found

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NIP_PATTERN = re.compile(r"[0-9]{18}\Z")  # Nomor Induk Pegawai: 18 ASCII digits


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins allowed per window before further attempts are refused."""

    window: timedelta = timedelta(minutes=15)
    # one account from one address: the owner's own typos, or a guesser at one place
    failures_per_account_from_address: int = 5
    # one account from all addresses together: a guesser spread over many places (high, so a
    # stranger cannot cheaply lock an officer out from elsewhere)
    failures_per_account: int = 100
    failures_per_address: int = 20
    # attempts older than this are deleted: the table stays small
    keep_for: timedelta = timedelta(days=1)


SIGN_IN_LIMITS = SignInLimits()


@dataclass(frozen=True)
class AuthResult:
    token: str
    viewer: Viewer


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _checked_email(email: str) -> str:
    cleaned = normalise_email(email)
    if len(cleaned) > 320 or not EMAIL_PATTERN.match(cleaned):
        raise BadUserInput("Alamat surel tidak valid.", "Not a valid email address.", field="email")
    return cleaned


def _checked_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 200:
        raise BadUserInput(
            "Nama wajib diisi (maksimum 200 karakter).",
            "A name is required (at most 200 characters).",
            field="name",
        )
    return cleaned


def _checked_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise BadUserInput(
            f"Kata sandi harus {MIN_PASSWORD_LENGTH} sampai {MAX_PASSWORD_LENGTH} karakter.",
            f"The password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            field="password",
        )
    return password


def _email_taken() -> BadUserInput:
    return BadUserInput(
        # does not confirm that the address has an account (nor that it has none)
        "Pendaftaran dengan alamat surel ini tidak dapat diselesaikan. Jika Anda sudah "
        "memiliki akun, silakan masuk.",
        "Sign-up with this email address could not be completed. If you already have an "
        "account, please sign in.",
        field="email",
    )


async def sign_up(
    database: Database,
    *,
    name: str,
    email: str,
    password: str,
    now: datetime | None = None,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> AuthResult:
    """A requester account (name and email; NIK and address come with the first request)."""
    cleaned_name = _checked_name(name)
    cleaned_email = _checked_email(email)
    password_hash = await hash_password(_checked_password(password))
    user = User(
        email=cleaned_email,
        name=cleaned_name,
        password_hash=password_hash,
        role=Role.REQUESTER.value,
        created_at=now or utcnow(),
    )
    try:
        async with database.write() as session:
            result = await _add_account(session, user, now=now, lifetime=lifetime)
    except IntegrityError:  # a concurrent sign-up with the same email won the race
        raise _email_taken() from None
    return result


async def _add_account(
    session: AsyncSession, user: User, *, now: datetime | None, lifetime: timedelta
) -> AuthResult:
    """`user` stored with its first token, unless its email already has an account (a
    concurrent twin is refused by the unique email at commit: the callers catch that)."""
    taken = (await session.execute(select(User.id).where(User.email == user.email))).first()
    if taken is not None:
        raise _email_taken()
    session.add(user)
    await session.flush()
    token = await issue_token(session, user.id, now=now, lifetime=lifetime)
    return AuthResult(token, viewer_of(user))


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


async def sign_in(
    database: Database,
    *,
    email: str,
    password: str,
    client_address: str = "",
    now: datetime | None = None,
    limits: SignInLimits = SIGN_IN_LIMITS,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> AuthResult:
    """A new token for the right email and password; too many failures are refused."""
    moment = now or utcnow()
    cleaned_email = normalise_email(email)
    account_key = _key("account", cleaned_email)
    address_key = _key("address", client_address or "unknown")
    since = moment - limits.window
    async with database.write() as session:
        await _serialise(session, account_key, address_key)
        account_failures = await _failures(session, SignInAttempt.account_key, account_key, since)
        address_failures = await _failures(session, SignInAttempt.address_key, address_key, since)
        pair_failures = await _failures(
            session, SignInAttempt.address_key, address_key, since, account_key
        )
        if (
            pair_failures >= limits.failures_per_account_from_address
            or account_failures >= limits.failures_per_account
            or address_failures >= limits.failures_per_address
        ):
            minutes = int(limits.window.total_seconds() // 60)
            raise RateLimited(
                f"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit.",
                f"Too many failed sign-in attempts; try again in {minutes} minutes.",
            )
        user = (
            await session.execute(
                select(User).where(User.email == cleaned_email, User.disabled_at.is_(None))
            )
        ).scalar_one_or_none()
        # counted as a failure from now on, until the password is seen to match
        attempt = SignInAttempt(
            account_key=account_key, address_key=address_key, at=moment, succeeded=False
        )
        session.add(attempt)
        await session.execute(
            delete(SignInAttempt).where(SignInAttempt.at < moment - limits.keep_for)
        )
        await session.flush()
        attempt_id = attempt.id
    matches = await verify_password(user.password_hash if user else None, password)
    if not matches or user is None:
        raise Unauthenticated(
            "Surel atau kata sandi salah.", "The email or password is not correct."
        )
    async with database.write() as session:
        await session.execute(
            update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(succeeded=True)
        )
        token = await issue_token(session, user.id, now=moment, lifetime=lifetime)
    return AuthResult(token, viewer_of(user))


async def _serialise(session: AsyncSession, *keys: str) -> None:
    """Hold, until the transaction ends, a lock per key that every server shares.

    PostgreSQL: transaction-level advisory locks, always taken in the same order (account,
    then address), so two sign-ins can never wait on each other in a circle. SQLite: the
    write transaction began with BEGIN IMMEDIATE and already excludes every other writer."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in keys:
        lock_id = int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


async def _failures(
    session: AsyncSession,
    column: InstrumentedAttribute[str],
    key: str,
    since: datetime,
    account_key: str | None = None,
) -> int:
    """Failed attempts since `since` under `key` (and only for `account_key`, when given)."""
    statement = select(func.count()).where(
        column == key, SignInAttempt.succeeded.is_(False), SignInAttempt.at >= since
    )
    if account_key is not None:
        statement = statement.where(SignInAttempt.account_key == account_key)
    return int((await session.execute(statement)).scalar_one())


async def create_user(
    database: Database,
    *,
    email: str,
    name: str,
    role: str,
    agency_slug: str | None = None,
    password: str | None = None,
    title: str | None = None,
    employee_number: str | None = None,
    now: datetime | None = None,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> AuthResult:
    """Any role, for operators (the CLI). Officers and superiors belong to one agency, and
    may be given the jabatan and NIP their letters are signed with."""
    try:
        chosen_role = Role(role.upper())
    except ValueError:
        raise BadUserInput(
            f"Peran harus salah satu dari {', '.join(Role)}.",
            f"The role must be one of {', '.join(Role)}.",
            field="role",
        ) from None
    cleaned_email = _checked_email(email)
    cleaned_name = _checked_name(name)
    cleaned_title, cleaned_nip = _cleaned(title), _cleaned(employee_number, " ")
    _staff_details(chosen_role, cleaned_title, cleaned_nip)
    password_hash = await hash_password(_checked_password(password)) if password else None
    if chosen_role in AGENCY_ROLES and not agency_slug:
        raise BadUserInput(
            "Petugas, atasan PPID dan produsen data harus terikat pada satu badan publik "
            "(--agency).",
            "Officers, superiors and data producers belong to one public body (--agency).",
            field="agency",
        )
    if chosen_role is Role.DATA_STEWARD and agency_slug:
        raise BadUserInput(
            "Walidata bekerja untuk semua badan publik, tanpa --agency.",
            "A data steward works for every public body, without --agency.",
            field="agency",
        )
    if chosen_role is Role.REQUESTER and agency_slug:
        raise BadUserInput(
            "Pemohon tidak terikat pada badan publik.",
            "A requester does not belong to a public body.",
            field="agency",
        )
    try:
        async with database.write() as session:
            agency_id: int | None = None
            if agency_slug:
                agency_id = (
                    await session.execute(select(Agency.id).where(Agency.slug == agency_slug))
                ).scalar_one_or_none()
                if agency_id is None:
                    raise not_found("Badan publik", "Public body", agency_slug, field="agency")
            user = User(
                email=cleaned_email,
                name=cleaned_name,
                password_hash=password_hash,
                role=chosen_role.value,
                agency_id=agency_id,
                title=cleaned_title or None,
                employee_number=cleaned_nip or None,
                created_at=now or utcnow(),
            )
            result = await _add_account(session, user, now=now, lifetime=lifetime)
    except IntegrityError:
        raise _email_taken() from None
    return result


# ---------------------------------------------------------------- operators (the CLI)


async def _user_by_email(session: AsyncSession, email: str) -> User:
    user = (
        await session.execute(select(User).where(User.email == normalise_email(email)))
    ).scalar_one_or_none()
    if user is None:
        raise not_found("Akun", "Account", normalise_email(email), field="email")
    return user


async def new_token_for(
    database: Database, email: str, *, lifetime: timedelta = DEFAULT_TOKEN_LIFETIME
) -> AuthResult:
    """A fresh token for an account whose holder lost theirs (it may have no password)."""
    async with database.write() as session:
        user = await _user_by_email(session, email)
        token = await issue_token(session, user.id, lifetime=lifetime)
    return AuthResult(token, viewer_of(user))


async def set_password(database: Database, email: str, password: str) -> Viewer:
    """Set (or reset) an account's password; its tokens stay as they are.

    Every browser signed in with the old password is signed out: a reset is what follows a
    password someone else may know, and their session must not outlive it.
    """
    password_hash = await hash_password(_checked_password(password))
    async with database.write() as session:
        user = await _user_by_email(session, email)
        user.password_hash = password_hash
    await revoke_all_sessions(database, user.id)
    return viewer_of(user)


async def revoke_tokens_of(database: Database, email: str) -> int:
    """End every token and every portal session of an account at once.

    Returns how many tokens were active; a revoked account keeps no way in, by program or page.
    """
    async with database.session() as session:
        user = await _user_by_email(session, email)
    await revoke_all_sessions(database, user.id)
    return await revoke_all_tokens(database, user.id)


def _staff_details(role: Role, title: str | None, employee_number: str | None) -> None:
    """A jabatan and NIP are for those who sign letters: officers and superiors."""
    if (title or employee_number) and role not in (Role.OFFICER, Role.SUPERIOR):
        raise BadUserInput(
            "Jabatan dan NIP hanya untuk petugas PPID dan atasan PPID.",
            "A title and NIP are only for officers and superiors.",
            field="title",
        )
    if employee_number and not NIP_PATTERN.match(employee_number):
        raise BadUserInput(
            "NIP harus 18 angka.", "The NIP must be 18 digits.", field="employeeNumber"
        )
    if title and len(title) > 200:
        raise BadUserInput(
            "Jabatan paling panjang 200 karakter.",
            "The title is at most 200 characters.",
            field="title",
        )


def _cleaned(value: str | None, drop: str = "") -> str | None:
    """Trimmed (and without `drop`); None stays None, "" stays "" (clears)."""
    if value is None:
        return None
    return value.strip().replace(drop, "") if drop else value.strip()


async def set_staff_title(
    database: Database, email: str, *, title: str | None, employee_number: str | None
) -> Viewer:
    """The jabatan and NIP an officer's or superior's letters are signed with; None leaves
    one as it is, "" clears it. Letters already issued keep what they were signed with."""
    cleaned_title, cleaned_nip = _cleaned(title), _cleaned(employee_number, " ")
    async with database.write() as session:
        user = await _user_by_email(session, email)
        _staff_details(Role(user.role), cleaned_title or "", cleaned_nip or "")
        if cleaned_title is not None:
            user.title = cleaned_title or None
        if cleaned_nip is not None:
            user.employee_number = cleaned_nip or None
    return viewer_of(user)
