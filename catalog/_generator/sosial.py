"""Dinas Sosial: social-aid recipients, poverty, persons with disabilities, aid disbursed."""

from __future__ import annotations

from datetime import date

from common import (
    DESA,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    Resource,
    ex_field,
    nik,
    person,
    population,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "dinsos"
BANTUAN = ["PKH", "BPNT", "BLT Dana Desa"]
NILAI = {"PKH": 3_000_000, "BPNT": 2_400_000, "BLT Dana Desa": 3_600_000}
POOR_SHARE = {"Batu Ampar": 1.6, "Kubu": 1.5, "Teluk Pakedai": 1.5, "Terentang": 1.4,
              "Kuala Mandor B": 1.2}


def penerima() -> None:
    rng = rng_for("penerima-bantuan-sosial")
    weights = [KECAMATAN_WEIGHT[k] * POOR_SHARE.get(k, 1.0) for k in KECAMATAN]
    rows = []
    for _ in range(600):
        kec = rng.choices(KECAMATAN, weights=weights)[0]
        desa = rng.choice(DESA[kec])
        street = rng.choice(["Jl. Parit", "Gg.", "Jl. Desa", "Dusun"])
        address = (f"{street} {rng.choice(['Mawar', 'Melati', 'Harapan', 'Damai', 'Sepakat'])} "
                   f"RT {rng.randint(1, 20):03d}/RW {rng.randint(1, 6):03d}, Desa {desa}")
        rows.append([person(rng), nik(rng), address, kec,
                     rng.choices(BANTUAN, weights=[4, 5, 3])[0], rng.randint(2022, 2025)])
    rows.sort(key=lambda r: (r[5], r[3]))
    test = ("Membuka nama, NIK dan alamat penerima bantuan mengungkap kondisi ekonomi keluarga "
            "dan dapat menimbulkan stigma atau penyalahgunaan identitas; jumlah penerima per "
            "kecamatan dan jenis bantuan tetap terbuka untuk pengawasan publik.")
    write_dataset(
        AG, "penerima-bantuan-sosial",
        title="Penerima Bantuan Sosial 2022-2025",
        title_en="Social assistance recipients 2022-2025",
        description="Daftar penerima bantuan sosial (PKH, BPNT dan BLT Dana Desa) per tahun dan "
                    "kecamatan. Nama, NIK dan alamat penerima dikecualikan.",
        description_en="Recipients of social assistance (PKH conditional cash transfer, BPNT "
                       "food aid and village-fund cash aid) by year and district. Names, ID "
                       "numbers and addresses are withheld.",
        keywords=["bansos", "bantuan sosial", "pkh", "bpnt", "social assistance", "sosial"],
        topics=["sosial"], category="ON_REQUEST", modified=date(2026, 1, 26),
        temporal=(2022, 2025),
        exemptions=[ex_field(name, "PASAL_17H", test, 19, date(2025, 4, 28))
                    for name in ("nik", "nama", "alamat")],
        resources=[Resource("penerima", [
            ("nama", "string", "Nama penerima"), ("nik", "string", "NIK"),
            ("alamat", "string", "Alamat"), ("kecamatan", "string", "Kecamatan"),
            ("jenis_bantuan", "string", "Jenis bantuan"), ("tahun", "integer", "Tahun")],
            rows)])


def kemiskinan() -> None:
    rng = rng_for("data-kemiskinan")
    district, regency = [], []
    for year in range(2019, 2026):
        total_pop = 0
        for kec in KECAMATAN:
            pop = population(kec, year)
            share = 0.19 * POOR_SHARE.get(kec, 1.0) * (1 - 0.02 * (year - 2019))
            if year in (2020, 2021):
                share *= 1.08
            people = int(pop * share * rng.uniform(0.95, 1.05))
            district.append([year, kec, int(people / 3.6), people, round(100 * people / pop, 2)])
            total_pop += pop
        rate = 5.3 - 0.12 * (year - 2019) + (0.4 if year in (2020, 2021) else 0)
        regency.append([year, 410_000 + 17_500 * (year - 2019) + rng.randint(-2000, 2000),
                        round(total_pop * rate / 100 / 1000, 2), round(rate, 2)])
    write_dataset(
        AG, "data-kemiskinan",
        title="Data Kemiskinan dan DTKS per Kecamatan 2019-2025",
        title_en="Poverty and the social welfare register (DTKS) by district 2019-2025",
        description="Jumlah keluarga dan jiwa dalam Data Terpadu Kesejahteraan Sosial (DTKS) "
                    "per kecamatan, serta garis kemiskinan dan persentase penduduk miskin "
                    "tingkat kabupaten.",
        description_en="Families and people in the integrated social welfare register per "
                       "district, and the regency's poverty line and poverty rate.",
        keywords=["kemiskinan", "poverty", "dtks", "garis kemiskinan", "sosial"],
        topics=["sosial", "ekonomi"], category="PERIODIC", modified=date(2026, 2, 12),
        temporal=(2019, 2025),
        resources=[
            Resource("dtks-kecamatan", [
                ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
                ("keluarga_dtks", "integer", "Keluarga dalam DTKS"),
                ("jiwa_dtks", "integer", "Jiwa dalam DTKS"),
                ("persentase_penduduk_dtks", "number", "Persentase penduduk dalam DTKS (%)")],
                district),
            Resource("kemiskinan-kabupaten", [
                ("tahun", "integer", "Tahun"),
                ("garis_kemiskinan", "integer", "Garis kemiskinan (Rp/kapita/bulan)"),
                ("penduduk_miskin_ribu", "number", "Penduduk miskin (ribu jiwa)"),
                ("persentase_penduduk_miskin", "number", "Persentase penduduk miskin (%)")],
                regency),
        ])


def disabilitas() -> None:
    rng = rng_for("penyandang-disabilitas")
    rows = []
    for year in range(2023, 2026):
        for kec in KECAMATAN:
            for kind, share in (("fisik", 0.004), ("sensorik", 0.002), ("intelektual", 0.0012),
                                ("mental", 0.001)):
                n = population(kec, year) * share * rng.uniform(0.8, 1.2)
                male = int(n * rng.uniform(0.48, 0.56))
                rows.append([year, kec, kind, male, int(n) - male])
    write_dataset(
        AG, "penyandang-disabilitas",
        title="Penyandang Disabilitas per Kecamatan dan Ragam 2023-2025",
        title_en="Persons with disabilities by district and type 2023-2025",
        description="Jumlah penyandang disabilitas terdata menurut ragam disabilitas, jenis "
                    "kelamin dan kecamatan.",
        description_en="Registered persons with disabilities by type of disability, sex and "
                       "district.",
        keywords=["disabilitas", "disability", "inklusi", "inclusion", "sosial"],
        topics=["sosial"], category="PERIODIC", modified=date(2025, 12, 3),
        temporal=(2023, 2025),
        resources=[Resource("disabilitas", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("ragam_disabilitas", "string", "Ragam disabilitas"),
            ("laki_laki", "integer", "Laki-laki"), ("perempuan", "integer", "Perempuan")], rows)])


def penyaluran() -> None:
    rng = rng_for("rekap-penyaluran-bansos")
    rows = []
    for year in range(2021, 2026):
        for kec in KECAMATAN:
            for aid in BANTUAN:
                kpm = int(KECAMATAN_WEIGHT[kec] * POOR_SHARE.get(kec, 1.0) *
                          {"PKH": 9, "BPNT": 13, "BLT Dana Desa": 6}[aid] * rng.uniform(0.85, 1.15))
                rows.append([year, kec, aid, kpm, kpm * NILAI[aid]])
    write_dataset(
        AG, "rekap-penyaluran-bansos",
        title="Rekapitulasi Penyaluran Bantuan Sosial per Kecamatan 2021-2025",
        title_en="Social assistance disbursed by district 2021-2025",
        description="Jumlah keluarga penerima manfaat (KPM) dan nilai bantuan yang disalurkan "
                    "per kecamatan dan jenis bantuan.",
        description_en="Beneficiary families and amount disbursed per district and type of "
                       "assistance.",
        keywords=["bansos", "penyaluran", "pkh", "bpnt", "blt", "social assistance"],
        topics=["sosial", "keuangan"], category="PERIODIC", modified=date(2026, 1, 26),
        temporal=(2021, 2025),
        resources=[Resource("penyaluran", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("jenis_bantuan", "string", "Jenis bantuan"),
            ("jumlah_kpm", "integer", "Keluarga penerima manfaat"),
            ("nilai_bantuan", "integer", "Nilai bantuan (Rp)")], rows)])


def build() -> None:
    write_agency(AG, "Dinas Sosial Kabupaten Kubu Raya", "Dinsos",
                 "Menyelenggarakan urusan sosial: perlindungan dan jaminan sosial, rehabilitasi "
                 "sosial, pemberdayaan sosial dan penanganan fakir miskin.",
                 "Runs social affairs: social protection, rehabilitation, empowerment and "
                 "poverty relief.")
    penerima()
    kemiskinan()
    disabilitas()
    penyaluran()
