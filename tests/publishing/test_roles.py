"""The Satu Data roles: `users add --role PRODUCER --agency SLUG` and `--role DATA_STEWARD`."""

from __future__ import annotations

import argparse

import pytest

from opendata.accounts.service import create_user
from opendata.accounts.tokens import viewer_for_token
from opendata.accounts.viewer import Role
from opendata.cli.accounts import register_commands
from opendata.db.models import Agency
from opendata.errors import BadUserInput
from opendata.services import Services


async def test_producer_belongs_to_one_agency_and_the_steward_to_none(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    async with services.database.write() as session:
        session.add(Agency(slug="dinkes", name="Dinas Kesehatan"))
    parser = argparse.ArgumentParser(prog="opendata")
    register_commands(parser.add_subparsers(dest="command"))

    def add(*extra: str) -> argparse.Namespace:
        return parser.parse_args(["users", "add", "--email", "p@kab.go.id", "--name", "P", *extra])

    producer = add("--role", "PRODUCER", "--agency", "dinkes")
    assert await producer.handler(services, producer) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    viewer = await viewer_for_token(services.database, token)
    assert viewer is not None and viewer.role is Role.PRODUCER and viewer.agency_id is not None

    without_agency = add("--role", "PRODUCER")
    assert await without_agency.handler(services, without_agency) == 2
    with pytest.raises(BadUserInput) as error:
        await create_user(
            services.database,
            email="w@kab.go.id",
            name="W",
            role="DATA_STEWARD",
            agency_slug="dinkes",
        )
    assert error.value.field == "agency"
    steward = await create_user(
        services.database, email="w@kab.go.id", name="W", role="data_steward"
    )
    assert steward.viewer.role is Role.DATA_STEWARD and steward.viewer.agency_id is None
