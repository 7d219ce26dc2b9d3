"""`opendata users ...`: create accounts, give a new token, set a password, revoke tokens,
and the jabatan and NIP staff sign letters with.

Staff accounts may have no password (they sign in by token): `users token` is how someone
who lost theirs gets a new one, and `users revoke` how a lost or stolen one is ended.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from opendata.accounts.admin import set_disabled, unlock_sign_in
from opendata.accounts.service import (
    create_user,
    new_token_for,
    revoke_tokens_of,
    set_password,
    set_staff_title,
)
from opendata.accounts.viewer import Role
from opendata.cli.groups import add_command, command_group
from opendata.errors import DomainError
from opendata.services import Services

Command = Callable[[Services, argparse.Namespace], Awaitable[int]]


def register_commands(subparsers: Any) -> None:
    """Add the `users` command group to the CLI's subparsers."""
    users_commands = command_group(subparsers, "users", "manage accounts")

    def user_command(name: str, help: str, command: Command) -> argparse.ArgumentParser:
        """Every `users` command names its account by `--email` and reports refusals."""
        parser = add_command(users_commands, name, help, _reporting_errors(command))
        parser.add_argument("--email", required=True)
        return parser

    add = user_command(
        "add", "create an account; prints its bearer token on the last line", add_user
    )
    add.add_argument("--name", required=True)
    add.add_argument(
        "--role",
        required=True,
        type=str.upper,
        choices=[role.value for role in Role],
    )
    add.add_argument("--agency", help="agency slug (required for OFFICER, SUPERIOR and PRODUCER)")
    add.add_argument("--password", help="optional: without it the account signs in by token only")
    _title_arguments(add)
    title = user_command(
        "set-title",
        "set an officer's or superior's jabatan and NIP (letters issued later name them)",
        change_title,
    )
    _title_arguments(title)
    user_command("token", "issue a new token for an account; prints it on the last line", new_token)
    password = user_command(
        "set-password",
        "set or reset a password (signs the account out of the pages)",
        change_password,
    )
    password.add_argument(
        "--password", help="the new password (asked for without echo when not given)"
    )
    user_command("revoke", "revoke every token and portal session of an account", revoke_tokens)
    user_command(
        "disable",
        "disable an account: no sign-in, its tokens and sessions stop working",
        _switch(disabled=True),
    )
    user_command("enable", "enable a disabled account again", _switch(disabled=False))
    user_command("unlock", "lift a sign-in lock: forget the account's failed sign-ins", unlock)


def _title_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--title", help="jabatan on the letters (officers and superiors)")
    parser.add_argument("--nip", help="NIP, 18 digits (officers and superiors)")


def _reporting_errors(command: Command) -> Command:
    """A domain refusal is printed in both languages with exit code 2, never a traceback."""

    async def run(services: Services, args: argparse.Namespace) -> int:
        try:
            return await command(services, args)
        except DomainError as error:
            print(f"error: {error.message_en} / {error.message_id}", file=sys.stderr)
            return 2

    return run


async def add_user(services: Services, args: argparse.Namespace) -> int:
    result = await create_user(
        services.database,
        email=args.email,
        name=args.name,
        role=args.role,
        agency_slug=args.agency,
        password=args.password,
        title=args.title,
        employee_number=args.nip,
        lifetime=services.settings.token_lifetime,
    )
    viewer = result.viewer
    agency = f" agency={args.agency}" if args.agency else ""
    print(f"created user {viewer.user_id} role={viewer.role.value}{agency}")
    print(result.token)
    return 0


async def new_token(services: Services, args: argparse.Namespace) -> int:
    lifetime = services.settings.token_lifetime
    result = await new_token_for(services.database, args.email, lifetime=lifetime)
    print(f"new token for user {result.viewer.user_id}, valid for {lifetime.days} days")
    print(result.token)
    return 0


async def change_password(services: Services, args: argparse.Namespace) -> int:
    password = args.password
    if password is None:
        password = getpass.getpass("new password: ")
        if getpass.getpass("again: ") != password:
            print("error: the passwords differ / kata sandi tidak sama", file=sys.stderr)
            return 2
    viewer = await set_password(services.database, args.email, password)
    print(f"password set for user {viewer.user_id}")
    return 0


async def revoke_tokens(services: Services, args: argparse.Namespace) -> int:
    count = await revoke_tokens_of(services.database, args.email)
    print(f"revoked {count} token(s)")
    return 0


async def change_title(services: Services, args: argparse.Namespace) -> int:
    viewer = await set_staff_title(
        services.database, args.email, title=args.title, employee_number=args.nip
    )
    print(f"title and NIP set for user {viewer.user_id}")
    return 0


def _switch(*, disabled: bool) -> Command:
    """`users disable` and `users enable`."""

    async def run(services: Services, args: argparse.Namespace) -> int:
        viewer = await set_disabled(services.database, args.email, disabled=disabled)
        print(f"{'disabled' if disabled else 'enabled'} user {viewer.user_id}")
        return 0

    return run


async def unlock(services: Services, args: argparse.Namespace) -> int:
    count = await unlock_sign_in(services.database, args.email)
    print(f"forgot {count} failed sign-in(s)")
    return 0
