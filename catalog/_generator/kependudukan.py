"""Dinas Kependudukan dan Pencatatan Sipil: population, birth certificates, e-KTP, migration."""

from __future__ import annotations

from datetime import date

from common import KECAMATAN, Resource, population, rng_for, write_agency, write_dataset

AG = "disdukcapil"


def penduduk() -> None:
    rng = rng_for("jumlah-penduduk-per-kecamatan")
    rows, families = [], []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            total = int(population(kec, year) * rng.uniform(0.99, 1.01))
            male = int(total * rng.uniform(0.505, 0.52))
            rows.append([year, kec, "Laki-laki", male])
            rows.append([year, kec, "Perempuan", total - male])
            families.append([year, kec, int(total / rng.uniform(3.4, 3.8))])
    write_dataset(
        AG, "jumlah-penduduk-per-kecamatan",
        title="Jumlah Penduduk per Kecamatan menurut Jenis Kelamin 2019-2025",
        title_en="Population by district and sex 2019-2025",
        description="Jumlah penduduk menurut data kependudukan semester II setiap tahun, per "
                    "kecamatan dan jenis kelamin, serta jumlah kepala keluarga.",
        description_en="Registered population at the end of each year by district and sex, "
                       "and the number of household heads.",
        keywords=["penduduk", "population", "jenis kelamin", "demografi", "kependudukan"],
        topics=["kependudukan"], category="PERIODIC", modified=date(2026, 1, 30),
        temporal=(2019, 2025),
        resources=[
            Resource("penduduk", [
                ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
                ("jenis_kelamin", "string", "Jenis kelamin"),
                ("jumlah_penduduk", "integer", "Jumlah penduduk")], rows),
            Resource("kepala-keluarga", [
                ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
                ("jumlah_kk", "integer", "Jumlah kartu keluarga")], families),
        ])


def akta() -> None:
    rng = rng_for("penerbitan-akta-kelahiran")
    rows = []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            births = int(population(kec, year) * 0.017)
            issued = int(births * rng.uniform(0.8, 1.3))
            coverage = min(99.5, 82 + 2.2 * (year - 2019) + rng.uniform(-3, 3))
            rows.append([year, kec, issued, round(coverage, 2)])
    write_dataset(
        AG, "penerbitan-akta-kelahiran",
        title="Penerbitan Akta Kelahiran per Kecamatan 2019-2025",
        title_en="Birth certificates issued by district 2019-2025",
        description="Jumlah akta kelahiran yang diterbitkan per kecamatan per tahun dan "
                    "persentase anak usia 0-18 tahun yang telah memiliki akta kelahiran.",
        description_en="Birth certificates issued per district and year, and the share of "
                       "children aged 0-18 who hold one.",
        keywords=["akta kelahiran", "birth certificate", "pencatatan sipil", "anak"],
        topics=["kependudukan"], category="PERIODIC", modified=date(2026, 1, 30),
        temporal=(2019, 2025),
        resources=[Resource("akta-kelahiran", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("akta_terbit", "integer", "Akta kelahiran terbit"),
            ("cakupan_anak_berakta_persen", "number", "Anak 0-18 tahun berakta (%)")], rows)])


def ktp_el() -> None:
    rng = rng_for("perekaman-ktp-elektronik")
    rows = []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            eligible = int(population(kec, year) * rng.uniform(0.68, 0.71))
            share = min(0.995, 0.9 + 0.012 * (year - 2019) + rng.uniform(-0.02, 0.01))
            done = int(eligible * share)
            rows.append([year, kec, eligible, done, round(100 * done / eligible, 2)])
    write_dataset(
        AG, "perekaman-ktp-elektronik",
        title="Perekaman KTP Elektronik per Kecamatan 2019-2025",
        title_en="Electronic identity card (e-KTP) enrolment by district 2019-2025",
        description="Jumlah penduduk wajib KTP, jumlah yang telah melakukan perekaman KTP-el "
                    "dan persentasenya per kecamatan.",
        description_en="Residents required to hold an ID card, those enrolled for the "
                       "electronic ID card, and the share, per district.",
        keywords=["ktp-el", "e-ktp", "identity card", "perekaman", "kependudukan"],
        topics=["kependudukan"], category="PERIODIC", modified=date(2025, 12, 22),
        temporal=(2019, 2025),
        resources=[Resource("ktp-el", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("wajib_ktp", "integer", "Penduduk wajib KTP"),
            ("sudah_rekam", "integer", "Sudah perekaman"),
            ("persentase_rekam", "number", "Persentase perekaman (%)")], rows)])


def mutasi() -> None:
    rng = rng_for("mutasi-penduduk")
    rows = []
    for year in range(2021, 2026):
        for kec in KECAMATAN:
            pop = population(kec, year)
            urban = 1.5 if kec in ("Sungai Raya", "Sungai Ambawang", "Sungai Kakap") else 0.7
            rows.append([year, kec, int(pop * 0.012 * urban * rng.uniform(0.8, 1.2)),
                         int(pop * 0.008 * rng.uniform(0.8, 1.2)),
                         int(pop * 0.017 * rng.uniform(0.9, 1.1)),
                         int(pop * 0.005 * rng.uniform(0.8, 1.2))])
    write_dataset(
        AG, "mutasi-penduduk",
        title="Mutasi Penduduk: Datang, Pindah, Lahir dan Mati per Kecamatan 2021-2025",
        title_en="Population change: in-migration, out-migration, births and deaths 2021-2025",
        description="Jumlah penduduk datang, pindah, kelahiran dan kematian yang tercatat per "
                    "kecamatan per tahun.",
        description_en="Recorded arrivals, departures, births and deaths per district and year.",
        keywords=["mutasi penduduk", "migrasi", "migration", "kelahiran", "kematian"],
        topics=["kependudukan"], category="PERIODIC", modified=date(2026, 2, 9),
        temporal=(2021, 2025),
        resources=[Resource("mutasi", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("penduduk_datang", "integer", "Penduduk datang"),
            ("penduduk_pindah", "integer", "Penduduk pindah"),
            ("kelahiran", "integer", "Kelahiran"), ("kematian", "integer", "Kematian")], rows)])


def build() -> None:
    write_agency(AG, "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kubu Raya", "Disdukcapil",
                 "Menyelenggarakan pendaftaran penduduk dan pencatatan sipil: KTP elektronik, "
                 "kartu keluarga, akta kelahiran, akta kematian dan perpindahan penduduk.",
                 "Runs population registration and civil records: electronic ID cards, family "
                 "cards, birth and death certificates and change of residence.")
    penduduk()
    akta()
    ktp_el()
    mutasi()
