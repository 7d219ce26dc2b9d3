"""`opendata apps ...`: tokens for the apps that push rows (contract v3).

`apps add --agency SLUG --dataset SLUG [--dataset SLUG ...] --name NAME` prints the token on
the last line (shown once, stored hashed); `apps list` shows every app and what it may write;
`apps revoke NAME` ends its token at once.
"""

from __future__ import annotations

import argparse
from typing import Any

from opendata.apps.registry import add_app, list_apps, revoke_app
from opendata.cli.accounts import _reporting_errors
from opendata.cli.groups import command_group
from opendata.services import Services


def register_commands(subparsers: Any) -> None:
    """Add the `apps` command group to the CLI's subparsers."""
    apps_commands = command_group(subparsers, "apps", "apps that push rows into datasets")
    add = apps_commands.add_parser(
        "add", help="a new app of one agency; prints its token on the last line"
    )
    add.add_argument("--agency", required=True, help="the agency's slug")
    add.add_argument(
        "--dataset",
        required=True,
        action="append",
        help="a dataset of that agency the app may write (repeat for more)",
    )
    add.add_argument("--name", required=True, help='the app\'s name, e.g. "RT Online"')
    add.set_defaults(handler=_reporting_errors(_add))

    apps_commands.add_parser("list", help="every app, its agency and datasets").set_defaults(
        handler=_reporting_errors(_list)
    )

    revoke = apps_commands.add_parser("revoke", help="end an app's token at once")
    revoke.add_argument("name")
    revoke.set_defaults(handler=_reporting_errors(_revoke))


async def _add(services: Services, args: argparse.Namespace) -> int:
    made = await add_app(
        services.database, name=args.name, agency_slug=args.agency, dataset_slugs=args.dataset
    )
    grant = made.grant
    print(
        f"created app {grant.name!r} agency={grant.agency_slug} "
        f"datasets={','.join(sorted(grant.datasets))}"
    )
    print(made.token)
    return 0


async def _list(services: Services, args: argparse.Namespace) -> int:
    for grant in await list_apps(services.database):
        state = f"revoked {grant.revoked_at:%Y-%m-%d %H:%M}" if grant.revoked_at else "active"
        print(f"{grant.name}\t{grant.agency_slug}\t{','.join(sorted(grant.datasets))}\t{state}")
    return 0


async def _revoke(services: Services, args: argparse.Namespace) -> int:
    ended = await revoke_app(services.database, args.name)
    print(f"revoked app {args.name!r}" if ended else f"app {args.name!r} was already revoked")
    return 0
