"""Who may add and revoke, what is refused, history kept, and expiry with no one acting."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from opendata.app import create_app
from opendata.background import background_tasks
from opendata.catalogue.changes import record_catalogue_change
from opendata.cli import build_parser
from opendata.cli.exemptions import sweep_command
from opendata.db.models import Exemption
from opendata.exemptions.sweep import scheduled_sweeps, seconds_until_next_sweep, sweep_expired
from opendata.regency_time import REGENCY_TZ, regency_today
from opendata.visibility.rules import MASKED_VALUE, describe_target
from tests.exemptions.conftest import World
from tests.exemptions.helpers import HISTORY, NOTICE, REVOKE, add, rows_of, search_slugs
from tests.web.helpers import data, error_codes, gql

INVESTIGATION = "laporan-investigasi-wabah"


def _token(world: World, who: str) -> str | None:
    return None if who == "anonymous" else getattr(world.tokens, who)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["UNAUTHENTICATED"]),
        ("requester", ["FORBIDDEN"]),
        ("other_officer", ["FORBIDDEN"]),
        ("officer", []),
        ("admin", []),
    ],
)
async def test_only_officers_of_the_agency_and_admins_add_and_revoke(
    world: World, who: str, expected: list[str]
) -> None:
    token = _token(world, who)
    body = await add(world.client, token, dataset=INVESTIGATION, scope="FIELD", field="nik")
    assert error_codes(body) == expected
    # the one the officer adds, for the revoke half
    added = await add(
        world.client, world.tokens.officer, dataset=INVESTIGATION, scope="FIELD", field="kecamatan"
    )
    exemption_id = data(added)["addExemption"]["id"]
    body = await gql(
        world.client, REVOKE, {"id": exemption_id, "reason": "Sudah tidak relevan."}, token=token
    )
    assert error_codes(body) == expected
    if expected:
        assert body.get("data") is None
        _, rows = await rows_of(world.client, INVESTIGATION)
        assert all(row["kecamatan"] is None for row in rows)  # the refusals changed nothing


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scope": "FIELD", "field": "nik", "basis": "PASAL_17C"}, "expiresOn"),
        (
            {"scope": "FIELD", "field": "nik", "basis": "PASAL_17A", "expiresOn": "2020-01-01"},
            "expiresOn",
        ),
        ({"scope": "FIELD", "field": "tidak_ada"}, "field"),
        ({"scope": "FIELD"}, "field"),
        ({"scope": "ROW"}, "rowFilter"),
        ({"scope": "ROW", "rowFilter": {"tahun": "2024"}}, "rowFilter"),
        ({"scope": "ROW", "rowFilter": {"rahasia": "x"}}, "rowFilter"),
        ({"scope": "ROW", "rowFilter": ["status"]}, "rowFilter"),
        ({"scope": "FIELD", "field": "nik", "consequenceTest": "   "}, "consequenceTest"),
        ({"scope": "FIELD", "field": "nik", "decidedOn": "2999-01-01"}, "decidedOn"),
        ({"scope": "FIELD", "field": "nik", "decisionReference": "x" * 301}, "decisionReference"),
    ],
)
async def test_invalid_exemptions_are_refused_with_the_field_named(
    world: World, overrides: dict[str, object], field: str
) -> None:
    body = await add(world.client, world.tokens.officer, dataset=INVESTIGATION, **overrides)
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == field
    assert body["errors"][0]["extensions"]["messageEn"]


async def test_17a_to_17f_need_an_expiry_date_17g_to_17j_may_be_open_ended(world: World) -> None:
    for letter in "ABCDEF":
        body = await add(
            world.client,
            world.tokens.officer,
            dataset=INVESTIGATION,
            scope="FIELD",
            field="nik",
            basis=f"PASAL_17{letter}",
        )
        assert body["errors"][0]["extensions"]["field"] == "expiresOn"
        assert "Pasal 20" in body["errors"][0]["message"]
    body = await add(
        world.client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="FIELD",
        field="nik",
        basis="PASAL_17J",
    )
    assert data(body)["addExemption"]["expiresOn"] is None


async def test_an_expiry_date_of_today_applies_through_today(world: World) -> None:
    today = regency_today().isoformat()
    body = await add(
        world.client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="FIELD",
        field="nik",
        basis="PASAL_17A",
        expiresOn=today,
    )
    assert data(body)["addExemption"]["active"] is True
    _, rows = await rows_of(world.client, INVESTIGATION)
    assert all(row["nik"] is None for row in rows)


async def test_unknown_dataset_and_duplicate_are_refused(world: World) -> None:
    body = await add(
        world.client, world.tokens.admin, dataset="tidak-ada", scope="FIELD", field="nik"
    )
    assert error_codes(body) == ["NOT_FOUND"]
    first = await add(
        world.client, world.tokens.officer, dataset=INVESTIGATION, scope="FIELD", field="nik"
    )
    assert error_codes(first) == []
    again = await add(
        world.client, world.tokens.officer, dataset=INVESTIGATION, scope="FIELD", field="nik"
    )
    assert error_codes(again) == ["BAD_USER_INPUT"]


async def test_revocation_keeps_the_history_and_stops_applying_everywhere(world: World) -> None:
    client = world.client
    added = data(
        await add(
            client, world.tokens.officer, dataset=INVESTIGATION, scope="FIELD", field="kecamatan"
        )
    )
    exemption_id = added["addExemption"]["id"]
    assert await search_slugs(client, "Pakedai") == []
    revoked = data(
        await gql(
            client,
            REVOKE,
            {"id": exemption_id, "reason": "Keputusan atasan PPID."},
            token=world.tokens.admin,
        )
    )
    assert revoked["revokeExemption"]["active"] is False
    assert revoked["revokeExemption"]["revokeReason"] == "Keputusan atasan PPID."
    assert revoked["revokeExemption"]["revokedAt"]
    notice = data(await gql(client, NOTICE, {"slug": INVESTIGATION}))["dataset"]
    assert notice["exemptions"] == [] and notice["access"] == "PUBLIC"
    history = data(await gql(client, HISTORY, {"slug": INVESTIGATION}))["exemptionHistory"]
    assert [(h["id"], h["active"], h["target"]) for h in history] == [
        (exemption_id, False, "kecamatan")
    ]
    _, rows = await rows_of(client, INVESTIGATION)
    assert "Teluk Pakedai" in [row["kecamatan"] for row in rows]
    assert await search_slugs(client, "Pakedai") == [INVESTIGATION]
    async with world.services.database.session() as session:
        stored = (await session.scalars(select(Exemption).where(Exemption.source == "api"))).one()
    assert stored.revoked_by is not None and stored.created_by is not None
    again = await gql(
        client, REVOKE, {"id": exemption_id, "reason": "lagi"}, token=world.tokens.admin
    )
    assert error_codes(again) == ["INVALID_TRANSITION"]


async def test_revoke_needs_a_reason_an_existing_id_and_an_api_exemption(world: World) -> None:
    client, token = world.client, world.tokens.officer
    added = data(await add(client, token, dataset=INVESTIGATION, scope="FIELD", field="nik"))
    no_reason = await gql(
        client, REVOKE, {"id": added["addExemption"]["id"], "reason": " "}, token=token
    )
    assert error_codes(no_reason) == ["BAD_USER_INPUT"]
    missing = await gql(client, REVOKE, {"id": "RXhlbXB0aW9uOjk5OTk", "reason": "x"}, token=token)
    assert error_codes(missing) == ["NOT_FOUND"]
    wrong_type = await gql(client, REVOKE, {"id": "RGF0YXNldDox", "reason": "x"}, token=token)
    assert error_codes(wrong_type) == ["BAD_USER_INPUT"]
    catalogue = data(await gql(client, NOTICE, {"slug": "kasus-dbd"}))["dataset"]["exemptions"][0]
    from_file = await gql(client, REVOKE, {"id": catalogue["id"], "reason": "x"}, token=token)
    assert error_codes(from_file) == ["INVALID_TRANSITION"]
    assert "datapackage" in from_file["errors"][0]["message"]


async def _expire_yesterday(world: World) -> None:
    """What the passing of time does: the expiry date is now yesterday in regency time."""
    yesterday = regency_today() - timedelta(days=1)
    async with world.services.database.write() as session:
        statement = update(Exemption).where(Exemption.source == "api")
        await session.execute(statement.values(expires_on=yesterday, decided_on=yesterday))
        # Response caches are keyed by the regency date, which turns with the day; the date
        # does not turn here, so move the generation instead, as a logged change of no
        # dataset (no re-indexing: that is the sweep's job).
        await record_catalogue_change(world.services, session, [])


async def test_an_expired_exemption_no_longer_applies_and_the_sweep_reindexes(world: World) -> None:
    client = world.client
    body = await add(
        client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="ROW",
        basis="PASAL_17A",
        rowFilter={"status": "dalam penyelidikan"},
        expiresOn=regency_today().isoformat(),
    )
    exemption_id = data(body)["addExemption"]["id"]
    assert (await rows_of(client, INVESTIGATION))[0] == 1
    assert await search_slugs(client, "Ambawang") == []  # the index is built while it applies
    await _expire_yesterday(world)
    # rows, counts and notices read the date directly: public again at once
    assert (await rows_of(client, INVESTIGATION))[0] == 2
    notice = data(await gql(client, NOTICE, {"slug": INVESTIGATION}))["dataset"]
    assert notice["exemptions"] == [] and notice["access"] == "PUBLIC"
    history = data(await gql(client, HISTORY, {"slug": INVESTIGATION}))["exemptionHistory"]
    assert [(h["id"], h["active"], h["revokedAt"]) for h in history] == [
        (exemption_id, False, None)
    ]
    # The index was built while it applied. Whoosh rebuilds as soon as it sees the generation
    # move (the search change log), PostgreSQL keeps its documents until the sweep: either way
    # the row is public now, and after the sweep both backends find it.
    result = await sweep_expired(world.services)
    assert len(result.lapsed_ids) == 1
    assert await search_slugs(client, "Ambawang") == [INVESTIGATION]
    assert (await sweep_expired(world.services)).lapsed_ids == []  # idempotent
    async with world.services.database.session() as session:
        stored = (await session.scalars(select(Exemption).where(Exemption.source == "api"))).one()
    assert stored.lapsed_at is not None and stored.revoked_at is None


async def test_a_catalogue_exemption_already_past_its_expiry_does_not_apply(
    world: World,
) -> None:
    from opendata.catalogue.loader import load_catalog
    from tests.catalogue.builders import NIK_EXEMPTION, write_dataset

    yesterday = regency_today() - timedelta(days=1)
    lapsed = {
        **NIK_EXEMPTION,
        "basis": "PASAL_17A",
        "decidedOn": "2020-01-01",
        "expiresOn": yesterday.isoformat(),
    }
    write_dataset(world.catalog, "dinkes", "kasus-dbd", exemptions=[lapsed])
    assert (await load_catalog(world.services, world.catalog)).ok
    _, rows = await rows_of(world.client, "kasus-dbd")
    assert rows[0]["nik"] == "6112000000000001"
    notice = data(await gql(world.client, NOTICE, {"slug": "kasus-dbd"}))["dataset"]
    assert notice["access"] == "PUBLIC" and notice["exemptions"] == []


async def test_the_server_sweeps_at_start_up(world: World) -> None:
    await add(
        world.client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="ROW",
        basis="PASAL_17A",
        rowFilter={"status": "dalam penyelidikan"},
        expiresOn=regency_today().isoformat(),
    )
    assert await search_slugs(world.client, "Ambawang") == []
    await _expire_yesterday(world)
    assert await search_slugs(world.client, "Ambawang") == []
    app = create_app(world.services)
    assert background_tasks(world.services), "the server runs the sweep"
    async with app.router.lifespan_context(app):
        assert await search_slugs(world.client, "Ambawang") == [INVESTIGATION]


async def test_the_scheduled_sweep_stops_with_the_server(world: World) -> None:
    async with scheduled_sweeps(world.services, world.services.settings.exemption_sweep_seconds):
        pass  # entering sweeps once; leaving cancels the schedule without error


def test_the_schedule_wakes_just_after_regency_midnight() -> None:
    before_midnight = datetime(2026, 3, 16, 23, 59, 0, tzinfo=REGENCY_TZ)
    assert seconds_until_next_sweep(300, before_midnight) == pytest.approx(65)
    noon = datetime(2026, 3, 16, 12, 0, tzinfo=REGENCY_TZ)
    assert seconds_until_next_sweep(300, noon) == 300


async def test_opendata_exemptions_sweep_command(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["exemptions", "sweep"])
    assert args.handler is sweep_command
    await add(
        world.client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="FIELD",
        field="nik",
        basis="PASAL_17B",
        expiresOn=regency_today().isoformat(),
    )
    await _expire_yesterday(world)
    assert await sweep_command(world.services, argparse.Namespace()) == 0
    assert "1 exemptions lapsed; 1 datasets re-indexed" in capsys.readouterr().out


def test_describe_target_masks_values_of_withheld_fields() -> None:
    row_filter = {"nik": "6112000000000004", "status": "rahasia"}
    assert describe_target("ROW", None, row_filter) == "nik = 6112000000000004; status = rahasia"
    masked = describe_target("ROW", None, row_filter, lambda name: name == "nik")
    assert masked == f"nik = {MASKED_VALUE}; status = rahasia"
    assert describe_target("FIELD", "nik", None) == "nik"
    assert describe_target("DATASET", None, None) is None


async def test_a_past_row_notice_hides_its_values_while_other_rows_are_withheld(
    world: World,
) -> None:
    client, token = world.client, world.tokens.officer
    old = data(
        await add(
            client,
            token,
            dataset=INVESTIGATION,
            scope="ROW",
            rowFilter={"kecamatan": "Sungai Ambawang"},
        )
    )
    await gql(client, REVOKE, {"id": old["addExemption"]["id"], "reason": "Diganti."}, token=token)
    history = data(await gql(client, HISTORY, {"slug": INVESTIGATION}))["exemptionHistory"]
    assert history[0]["target"] == "kecamatan = Sungai Ambawang"  # nothing withheld now
    await add(
        client,
        token,
        dataset=INVESTIGATION,
        scope="ROW",
        basis="PASAL_17A",
        rowFilter={"status": "dalam penyelidikan"},
        expiresOn="2099-01-01",
    )
    history = data(await gql(client, HISTORY, {"slug": INVESTIGATION}))["exemptionHistory"]
    assert [h["target"] for h in history] == [
        f"kecamatan = {MASKED_VALUE}",
        "status = dalam penyelidikan",
    ]
    assert "Ambawang" not in str(history)
