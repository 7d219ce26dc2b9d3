"""The dataset page's chart: what it groups by, what it sums, and what it never shows."""

from __future__ import annotations

from datetime import date

from opendata.db.models import Exemption
from opendata.portal.chart import build_chart, plan_chart
from opendata.visibility.disclosure_control import DEFAULT_MINIMUM_CELL_SIZE as MIN_CELL
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy

FIELDS = [
    FieldDef("nama_usaha", "string"),
    FieldDef("nik_pemilik", "string"),
    FieldDef("kecamatan", "string"),
    FieldDef("tahun_berdiri", "integer"),
    FieldDef("omzet", "number", role="measure"),
]
# the TB register: patients' ages are a number, not an amount
REGISTER = [
    FieldDef("nik_pasien", "string"),
    FieldDef("umur", "integer", "Umur (tahun)"),
    FieldDef("kecamatan", "string"),
    FieldDef("tahun", "integer"),
]


def policy(*exemptions: Exemption) -> DatasetPolicy:
    return DatasetPolicy(1, tuple(exemptions))


def field_exemption(name: str, basis: str = "PASAL_17H") -> Exemption:
    return Exemption(
        id=1,
        dataset_id=1,
        scope="FIELD",
        field=name,
        basis=basis,
        consequence_test="uji",
        decided_on=date(2025, 1, 1),
    )


def rows(counts: dict[str, int]) -> list[dict[str, object]]:
    made = []
    for place, count in counts.items():
        for n in range(count):
            made.append(
                {
                    "nama_usaha": f"Usaha {place} {n}",
                    "nik_pemilik": f"61{n:014d}",
                    "kecamatan": place,
                    "tahun_berdiri": 2000 + n,
                    "omzet": 10.0,
                }
            )
    return made


def test_groups_by_the_least_varied_category_and_sums_an_amount_not_a_year() -> None:
    plan = plan_chart(FIELDS, policy())
    assert plan is not None and plan.value_field.name == "omzet"
    chart = build_chart(plan, rows({"Kubu": 6, "Rasau Jaya": 5}), policy())
    assert chart is not None and chart.group_field.name == "kecamatan"
    assert [(bar.label, bar.value) for bar in chart.bars] == [("Kubu", 60.0), ("Rasau Jaya", 50.0)]


def test_a_withheld_field_is_never_grouped_or_summed() -> None:
    withheld = policy(field_exemption("kecamatan"), field_exemption("omzet"))
    plan = plan_chart(FIELDS, withheld)
    assert plan is not None and plan.value_field is None  # omzet withheld: rows are counted
    assert "kecamatan" not in {f.name for f in plan.group_fields}
    only_place = policy(field_exemption("kecamatan"))
    plan = plan_chart(FIELDS, only_place)
    assert plan is not None and "kecamatan" not in {f.name for f in plan.group_fields}
    assert "nik_pemilik" in {f.name for f in plan_chart(FIELDS, policy()).group_fields}  # type: ignore[union-attr]


def test_with_personal_data_withheld_no_bar_stands_for_fewer_than_the_minimum_cell() -> None:
    personal = policy(field_exemption("nik_pemilik"))
    plan = plan_chart(FIELDS, personal)
    assert plan is not None
    chart = build_chart(
        plan,
        rows({"Kubu": MIN_CELL, "Batu Ampar": MIN_CELL + 1, "Rasau": MIN_CELL + 2, "Terentang": 2}),
        personal,
    )
    assert chart is not None
    # the small bar goes, and with it the next smallest, so the total minus the bars shown
    # is never one small group (the aggregate's complementary suppression)
    assert {bar.label for bar in chart.bars} == {"Batu Ampar", "Rasau"}
    # without a personal-data exemption, small groups are shown
    chart = build_chart(plan, rows({"Kubu": 5, "Batu Ampar": 5, "Terentang": 2}), policy())
    assert chart is not None and "Terentang" in {bar.label for bar in chart.bars}


def test_the_tb_register_counts_patients_per_year_and_never_adds_up_their_ages() -> None:
    plan = plan_chart(REGISTER, policy(field_exemption("nik_pasien")))
    assert plan is not None and plan.value_field is None and plan.by_year
    patients = [
        {"nik_pasien": None, "umur": age, "kecamatan": "Kubu", "tahun": year}
        for year, ages in ((2024, [63, 12, 40, 33, 51, 28]), (2025, [70, 45, 19, 22, 38]))
        for age in ages
    ]
    chart = build_chart(plan, patients, policy(field_exemption("nik_pasien")))
    assert chart is not None
    assert [(bar.label, bar.value) for bar in chart.bars] == [("2024", 6), ("2025", 5)]


def test_a_number_is_summed_only_when_the_schema_declares_it_a_measure() -> None:
    undeclared = [FieldDef("kecamatan", "string"), FieldDef("jumlah_kasus", "integer")]
    plan = plan_chart(undeclared, policy())
    assert plan is not None and plan.value_field is None
    declared = [FieldDef("kecamatan", "string"), FieldDef("jumlah_kasus", "integer", role="measure")]
    plan = plan_chart(declared, policy())
    assert plan is not None and plan.value_field is not None
    assert plan.value_field.name == "jumlah_kasus"
    cases = [{"kecamatan": place, "jumlah_kasus": 10} for place in ("Kubu", "Kubu", "Rasau")]
    chart = build_chart(plan, cases, policy())
    assert chart is not None and [(b.label, b.value) for b in chart.bars] == [
        ("Kubu", 20),
        ("Rasau", 10),
    ]
    # a measure that is withheld is not summed either: the rows are counted
    plan = plan_chart(declared, policy(field_exemption("jumlah_kasus")))
    assert plan is not None and plan.value_field is None
