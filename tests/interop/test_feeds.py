"""Atom feeds parse without bozo in feedparser, with stable ids and links to the pages."""

from __future__ import annotations

from datetime import date

import feedparser
import httpx

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.exemptions.service import ExemptionRequest, add_exemption, revoke_exemption
from opendata.services import Services
from tests.conftest import asgi_client
from tests.information_requests.helpers import NIK, make_desk, walk_in, wib
from tests.interop.conftest import PARTLY_WITHHELD, PUBLIC, SECRET_VALUE, WITHHELD_WHOLE, World
from tests.web.helpers import data, gql

FIELDS = "query($slug: String!) { dataset(slug: $slug) { resources { fields { name withheld } } } }"


async def _feed(client: httpx.AsyncClient, path: str) -> feedparser.FeedParserDict:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


async def test_datasets_feed_newest_first_with_page_links(world: World) -> None:
    feed = await _feed(world.client, "/feeds/datasets.atom")
    ids = [entry.id for entry in feed.entries]
    assert ids[0] == f"http://testserver/dataset/{PUBLIC}"  # modified 2026-01-15: the newest
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(entry.link == entry.id for entry in feed.entries)
    assert SECRET_VALUE not in str(feed)
    again = await _feed(world.client, "/feeds/datasets.atom")
    assert [e.id for e in again.entries] == ids and again.feed.updated == feed.feed.updated


async def test_agency_and_topic_feeds(world: World) -> None:
    dinkes = await _feed(world.client, "/feeds/instansi/dinkes.atom")
    assert {e.id.rsplit("/", 1)[-1] for e in dinkes.entries} == {
        PUBLIC,
        PARTLY_WITHHELD,
        WITHHELD_WHOLE,
    }
    disasters = await _feed(world.client, "/feeds/topik/kebencanaan.atom")
    assert [e.id.rsplit("/", 1)[-1] for e in disasters.entries] == ["kejadian-banjir"]
    assert (await world.client.get("/feeds/instansi/tidak-ada.atom")).status_code == 404
    assert (await world.client.get("/feeds/topik/tidak-ada.atom")).status_code == 404


async def test_exemption_feed_follows_the_dik_to_its_end(world: World) -> None:
    # the NIK exemption has no end (Pasal 17h); the catalogue's ROW and DATASET ones end in 2099
    assert len((await _feed(world.client, "/feeds/pengecualian.atom")).entries) == 2
    admin = await create_user(
        world.services.database, email="admin@kab.test", name="admin", role="ADMIN"
    )
    exemption = await add_exemption(
        world.services,
        admin.viewer,
        ExemptionRequest(
            dataset_slug=PUBLIC,
            scope="ROW",
            basis="PASAL_17A",
            consequence_test="Kasus di Kubu sedang diselidiki.",
            row_filter={"kecamatan": "Kubu"},
            expires_on=date(2030, 1, 31),
        ),
    )
    before = await _feed(world.client, "/feeds/pengecualian.atom")
    scheduled = next(e for e in before.entries if "2030-01-31" in e.title)
    await revoke_exemption(world.services, admin.viewer, exemption.id, "Penyelidikan selesai.")
    after = await _feed(world.client, "/feeds/pengecualian.atom")
    ended = next(e for e in after.entries if "dicabut" in e.title)
    assert ended.id == scheduled.id  # the same entry, updated
    assert ended.updated_parsed >= scheduled.updated_parsed and ended.updated != scheduled.updated
    assert ended.link == f"http://testserver/dataset/{PUBLIC}"
    assert "now public" in ended.summary and "Article 17(a)" in ended.summary


async def test_request_timeline_feed_shows_steps_not_the_requester(services: Services) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 2))
    number = record.request.registration_number
    async with asgi_client(create_app(services)) as client:
        feed = await _feed(client, f"/feeds/permohonan/{number}.atom")
        assert (await client.get("/feeds/permohonan/X/2026/9999.atom")).status_code == 404
    (entry,) = feed.entries
    assert entry.id == f"http://testserver/permohonan/{number}#event-{record.events[0].id}"
    assert entry.link == f"http://testserver/permohonan/{number}"
    assert number in entry.title and "Submitted" in entry.title
    assert NIK not in str(feed) and "Siti Aminah" not in str(feed)


async def test_an_ended_exemption_is_not_announced_public_while_another_withholds_it(
    world: World,
) -> None:
    admin = await create_user(
        world.services.database, email="admin@kab.test", name="admin", role="ADMIN"
    )

    async def withhold(basis: str, reason: str, until: date) -> int:
        request = ExemptionRequest(
            dataset_slug=PUBLIC,
            scope="FIELD",
            basis=basis,
            consequence_test=reason,
            field="kasus",
            expires_on=until,
        )
        return (await add_exemption(world.services, admin.viewer, request)).id

    first = await withhold("PASAL_17A", "Angka kasus sedang diselidiki.", date(2030, 1, 31))
    second = await withhold("PASAL_17C", "Angka kasus bagian dari perkara lain.", date(2031, 6, 30))
    await revoke_exemption(world.services, admin.viewer, first, "Penyelidikan selesai.")
    feed = await _feed(world.client, "/feeds/pengecualian.atom")
    (ended,) = [e for e in feed.entries if "dicabut" in e.title]
    assert "now public" not in ended.summary and "kini terbuka" not in ended.summary
    assert "still withheld under another exemption" in ended.summary
    # the same answer as every other door: the field is still withheld
    body = await gql(world.client, FIELDS, {"slug": PUBLIC})
    fields = data(body)["dataset"]["resources"][0]["fields"]
    assert {"name": "kasus", "withheld": True} in fields
    await revoke_exemption(world.services, admin.viewer, second, "Perkara selesai.")
    feed = await _feed(world.client, "/feeds/pengecualian.atom")
    assert all("now public" in e.summary for e in feed.entries if "dicabut" in e.title)
