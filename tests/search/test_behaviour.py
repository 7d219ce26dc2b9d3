"""Search behaviour, the same on every backend (whoosh on SQLite and PostgreSQL, PostgreSQL FTS)."""

from __future__ import annotations

from opendata.catalogue.changes import record_catalogue_change
from opendata.catalogue.queries import DatasetFilter
from opendata.search import SearchQuery, SearchResults
from opendata.services import Services
from tests.search.catalogue import NIK, add_exemption, dataset_id


async def search(services: Services, text: str, **options: object) -> SearchResults:
    return await services.search.search(SearchQuery(text=text, **options))  # type: ignore[arg-type]


async def slugs(services: Services, text: str, **options: object) -> list[str]:
    return [hit.slug for hit in (await search(services, text, **options)).hits]


async def test_backend_follows_settings(searchable: Services) -> None:
    assert searchable.search.name == searchable.settings.resolved_search_backend


async def test_indonesian_stems_meet(searchable: Services) -> None:
    for word in ("sehat", "kesehatan", "menyehatkan", "KESEHATAN"):
        found = await slugs(searchable, word)
        assert "tenaga-kesehatan-puskesmas" in found, word
        assert "cakupan-imunisasi" in found, word


async def test_affixed_forms_meet_their_root(searchable: Services) -> None:
    assert (await slugs(searchable, "persekolahan"))[0] == "anggaran-sekolah-dasar"
    assert (await slugs(searchable, "penganggaran"))[0] == "anggaran-sekolah-dasar"


async def test_english_words_find_english_titles(searchable: Services) -> None:
    assert (await slugs(searchable, "roads"))[0] == "kondisi-jalan-kabupaten"
    assert (await slugs(searchable, "health workers"))[0] == "tenaga-kesehatan-puskesmas"
    assert (await slugs(searchable, "immunisation"))[0] == "cakupan-imunisasi"


async def test_typos_are_forgiven(searchable: Services) -> None:
    assert "tenaga-kesehatan-puskesmas" in await slugs(searchable, "kesehtan")
    assert (await slugs(searchable, "imunisais"))[0] == "cakupan-imunisasi"  # transposition
    assert (await slugs(searchable, "anggarn sekolah"))[0] == "anggaran-sekolah-dasar"


async def test_short_words_get_no_typo_budget(searchable: Services) -> None:
    assert await slugs(searchable, "jln") == []


async def test_stop_words_alone_find_nothing(searchable: Services) -> None:
    result = await search(searchable, "yang dan di")
    assert result.total == 0 and result.hits == []


async def test_cell_values_are_found(searchable: Services) -> None:
    result = await search(searchable, "Sungai Kakap")
    assert result.hits[0].slug == "tenaga-kesehatan-puskesmas"
    assert result.hits[0].highlight is not None
    assert "<mark>Sungai</mark> <mark>Kakap</mark>" in result.hits[0].highlight


async def test_title_outranks_cell_values(searchable: Services) -> None:
    # "jalan" is in the road dataset's title, and only a cell value elsewhere.
    assert (await slugs(searchable, "jalan"))[0] == "kondisi-jalan-kabupaten"


async def test_withheld_field_values_are_not_found(searchable: Services) -> None:
    assert await slugs(searchable, NIK) == []
    assert await slugs(searchable, "Aminah") == []
    assert await slugs(searchable, "Siti") == []
    # the public field of the same rows still is
    assert await slugs(searchable, "Punggur") == ["penerima-bantuan-sosial"]


async def test_withheld_rows_are_not_found(searchable: Services) -> None:
    assert await slugs(searchable, "Rahasiawan") == []


async def test_dataset_withheld_whole_is_found_by_metadata_only(searchable: Services) -> None:
    assert await slugs(searchable, "wabah") == ["laporan-intelijen-kesehatan"]
    assert await slugs(searchable, "Tersembunyi") == []


async def test_withheld_text_never_in_a_highlight(searchable: Services) -> None:
    for text in ("penerima bantuan", "bansos", "desa", "nik", "nama"):
        for hit in (await search(searchable, text)).hits:
            assert hit.highlight is None or (
                NIK not in hit.highlight and "Aminah" not in hit.highlight
            ), (text, hit)


async def test_removed_datasets_are_not_found(searchable: Services) -> None:
    assert "dataset-lama-dihapus" not in await slugs(searchable, "kesehatan lingkungan")


async def test_a_new_exemption_takes_values_out(searchable: Services) -> None:
    assert await slugs(searchable, "Kakap")
    target = await dataset_id(searchable, "tenaga-kesehatan-puskesmas")
    async with searchable.database.write() as session:
        await add_exemption(session, target, "FIELD", "kecamatan")
        await add_exemption(session, target, "FIELD", "puskesmas")
        await record_catalogue_change(searchable, session, [target])
    assert "tenaga-kesehatan-puskesmas" not in await slugs(searchable, "Kakap")
    assert "tenaga-kesehatan-puskesmas" in await slugs(searchable, "kesehatan")


async def test_rollback_leaves_the_index_unchanged(searchable: Services) -> None:
    target = await dataset_id(searchable, "tenaga-kesehatan-puskesmas")
    try:
        async with searchable.database.write() as session:
            await add_exemption(session, target, "FIELD", "kecamatan")
            await record_catalogue_change(searchable, session, [target])
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert "tenaga-kesehatan-puskesmas" in await slugs(searchable, "Rasau")


async def test_highlight_marks_stem_matches_and_escapes(searchable: Services) -> None:
    hit = (await search(searchable, "sehat")).hits[0]
    assert hit.highlight is not None and "<mark>Kesehatan</mark>" in hit.highlight
    hit = (await search(searchable, "menyehatkan balita")).hits[0]
    assert hit.slug == "cakupan-imunisasi"
    assert hit.highlight is not None and "<mark>menyehatkan</mark>" in hit.highlight


async def test_facets_add_up_to_the_total(searchable: Services) -> None:
    result = await search(searchable, "kecamatan")
    assert result.total == 2
    assert sum(f.count for f in result.facets["agency"]) == result.total
    agencies = {f.value: (f.label, f.count) for f in result.facets["agency"]}
    assert agencies["dinkes"] == ("Dinas Kesehatan", 1)
    topics = {f.value: f.label for f in result.facets["topic"]}
    assert topics["kesehatan"] == "Kesehatan"
    formats = {f.value: f.count for f in result.facets["format"]}
    assert formats == {"CSV": 2}
    years = [f.value for f in result.facets["year"]]
    assert years == sorted(years, reverse=True) and "2023" in years


async def test_facets_count_the_whole_result_not_the_page(searchable: Services) -> None:
    result = await search(searchable, "kesehatan", limit=1)
    assert len(result.hits) == 1 and result.total == 3
    assert sum(f.count for f in result.facets["agency"]) == 3


async def test_filters_narrow_results_and_facets(searchable: Services) -> None:
    everything = await search(searchable, "kecamatan")
    narrowed = await search(searchable, "kecamatan", filter=DatasetFilter(agencies=("dinkes",)))
    assert narrowed.total < everything.total
    assert [f.value for f in narrowed.facets["agency"]] == ["dinkes"]
    assert [h.slug for h in narrowed.hits] == ["tenaga-kesehatan-puskesmas"]
    by_year = await search(searchable, "kesehatan", filter=DatasetFilter(year=2024))
    assert [h.slug for h in by_year.hits] == ["laporan-intelijen-kesehatan"]
    by_format = await search(searchable, "kesehatan", filter=DatasetFilter(formats=("xlsx",)))
    assert [h.slug for h in by_format.hits] == ["cakupan-imunisasi"]
    by_topic = await search(searchable, "anggaran", filter=DatasetFilter(topics=("kesehatan",)))
    assert by_topic.total == 0


async def test_pagination_is_stable(searchable: Services) -> None:
    whole = await slugs(searchable, "kesehatan kecamatan desa", limit=50)
    everything = [h.slug for h in (await search(searchable, "data", limit=50)).hits]
    for text, expected in (("kesehatan", None), ("data", everything)):
        full = await slugs(searchable, text, limit=50)
        paged = []
        for offset in range(len(full)):
            paged += await slugs(searchable, text, offset=offset, limit=1)
        assert paged == full
        if expected is not None:
            assert full == expected
    assert whole == await slugs(searchable, "kesehatan kecamatan desa", limit=50)


async def test_order_by_title_and_recently_updated(searchable: Services) -> None:
    by_title = await slugs(searchable, "kesehatan", order="TITLE")
    assert by_title == [
        "cakupan-imunisasi",
        "tenaga-kesehatan-puskesmas",
        "laporan-intelijen-kesehatan",
    ]
    recent = await slugs(searchable, "kesehatan", order="RECENTLY_UPDATED")
    assert recent == [
        "tenaga-kesehatan-puskesmas",
        "laporan-intelijen-kesehatan",
        "cakupan-imunisasi",
    ]


async def test_reindex_all_gives_the_same_answers(searchable: Services) -> None:
    before = await search(searchable, "kesehatan kakap")
    count = await searchable.search.reindex_all()
    assert count == 6
    after = await search(searchable, "kesehatan kakap")
    assert [h.slug for h in after.hits] == [h.slug for h in before.hits]
