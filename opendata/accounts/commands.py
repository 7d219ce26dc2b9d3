"""`opendata users add ...`: create officers, superiors, admins (and requesters) from the shell."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from opendata.accounts.service import create_user
from opendata.errors import DomainError
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    """Add the `users` command group to the CLI's subparsers."""
    users = subparsers.add_parser("users", help="manage accounts")
    users_commands = users.add_subparsers(dest="users_command", required=True)
    add = users_commands.add_parser(
        "add",
        help="create an account; prints its bearer token on the last line",
    )
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument(
        "--role",
        required=True,
        type=str.upper,
        choices=["REQUESTER", "OFFICER", "SUPERIOR", "ADMIN"],
    )
    add.add_argument("--agency", help="agency slug (required for OFFICER and SUPERIOR)")
    add.add_argument("--password", help="optional: without it the account signs in by token only")
    add.set_defaults(handler=add_user)


async def add_user(services: Services, args: argparse.Namespace) -> int:
    try:
        result = await create_user(
            services.database,
            email=args.email,
            name=args.name,
            role=args.role,
            agency_slug=args.agency,
            password=args.password,
        )
    except DomainError as error:
        print(f"error: {error.message_en} / {error.message_id}", file=sys.stderr)
        return 2
    viewer = result.viewer
    agency = f" agency={args.agency}" if args.agency else ""
    print(f"created user {viewer.user_id} role={viewer.role.value}{agency}")
    print(result.token)
    return 0
