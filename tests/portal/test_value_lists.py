"""The dataset page's value lists (issue 26): an unfiltered charted table takes them from the
rows it already read for the chart instead of one GROUP BY per text field. They must
be exactly the database's answer (`row_query.distinct_values`): the same values in the same
order (capitals, accents and digits included), the small groups of personal data left out,
nothing from a withheld column or a withheld row. Both databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opendata.catalogue import row_query
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.queries import dataset_and_resources_at_slug
from opendata.catalogue.table_state import TableState
from opendata.portal.preview import PICKER_VALUES, build_preview
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.catalogue.builders import NIK_EXEMPTION, ROW_EXEMPTION, write_agency, write_dataset

# capitals before small letters, accented letters after both, digits first, a withheld row
# ("dalam penyelidikan") whose district appears nowhere else
MIXED = "kecamatan,tahun,kasus,nik,status\n" + "".join(
    f"{district},{2020 + n % 5},{n},61120000000000{n:02d},{status}\n"
    for n, (district, status) in enumerate(
        [
            ("Sungai Kakap", "terbuka"),
            ("sungai kakap", "terbuka"),
            ("Ámbawang", "terbuka"),
            ("ambawang", "terbuka"),
            ("Zebra", "terbuka"),
            ("zebra", "terbuka"),
            ("10 Ilir", "terbuka"),
            ("9 Ilir", "terbuka"),
            ("Kubu", "dalam penyelidikan"),
            ("Sungai Kakap", "terbuka"),
            ("Zebra", "terbuka"),
            ("Ámbawang", "selesai"),
            ("", "terbuka"),
        ]
    )
)


async def _expected(session: Any, source: row_query.RowSource, name: str) -> list[Any] | None:
    """The value list as the database answers it (what the page showed before)."""
    minimum = (await row_query.small_cell_facts(session, source)).minimum
    found = await row_query.distinct_values(
        session, source, name, PICKER_VALUES + 1, minimum=minimum
    )
    return found if len(found) <= PICKER_VALUES and (found or minimum is None) else None


async def test_the_value_lists_are_the_databases_answer(services: Services, tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", "terbuka", csv_text=MIXED)
    write_dataset(root, "dinkes", "pribadi", csv_text=MIXED, exemptions=[NIK_EXEMPTION])
    write_dataset(root, "dinkes", "sebagian", csv_text=MIXED, exemptions=[ROW_EXEMPTION])
    assert (await load_catalog(services, root)).ok
    for slug in ("terbuka", "pribadi", "sebagian"):
        async with services.database.session() as session:
            read = await dataset_and_resources_at_slug(session, slug, regency_today())
            assert read is not None
            found, (resource,) = read
            source = row_query.row_source(resource, found.policy)
            preview = await build_preview(
                session, resource, found.policy, TableState(resource.name), for_chart=True
            )
            assert preview.every_row is not None  # the rows the lists may come from
            lists = {c.field.name: c.choices for c in preview.columns if not c.withheld}
            for name in ("kecamatan", "status"):
                assert lists[name] == await _expected(session, source, name), (slug, name)
            if slug == "terbuka":
                assert lists["kecamatan"] and lists["kecamatan"][0] == "10 Ilir"
            if slug == "sebagian":
                assert "Kubu" not in (lists["kecamatan"] or [])
            if slug == "pribadi":
                assert "nik" not in lists
