"""Dinas Lingkungan Hidup: waste volumes, air quality, river water quality, waste banks."""

from __future__ import annotations

from datetime import date

from common import (
    DESA,
    GIVEN_NAMES,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    Resource,
    population,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "dlh"


def sampah() -> None:
    rng = rng_for("volume-sampah-bulanan")
    rows = []
    for year in range(2019, 2026):
        for month in range(1, 13):
            for kec in KECAMATAN:
                served = 0.55 if kec in ("Sungai Raya", "Sungai Ambawang", "Sungai Kakap") \
                    else 0.2
                served += 0.03 * (year - 2019)
                kg = population(kec, year) * 0.55 * 30 * min(served, 0.9)
                festive = 1.12 if month in (4, 12) else 1.0
                rows.append([year, month, kec, round(kg / 1000 * festive * rng.uniform(0.9, 1.1),
                                                      1)])
    write_dataset(
        AG, "volume-sampah-bulanan",
        title="Volume Sampah Terangkut per Kecamatan per Bulan 2019-2025",
        title_en="Monthly volume of waste collected by district 2019-2025",
        description="Volume sampah yang terangkut ke tempat pemrosesan akhir per kecamatan "
                    "setiap bulan, dalam ton.",
        description_en="Waste collected and taken to the landfill per district and month, in "
                       "tonnes.",
        keywords=["sampah", "waste", "persampahan", "lingkungan", "environment"],
        topics=["lingkungan"], category="PERIODIC", modified=date(2026, 1, 14),
        temporal=(2019, 2025),
        resources=[Resource("volume-sampah", [
            ("tahun", "integer", "Tahun"), ("bulan", "integer", "Bulan"),
            ("kecamatan", "string", "Kecamatan"),
            ("volume_ton", "number", "Volume terangkut (ton)")], rows)])


def _ispu_class(value: int) -> str:
    for limit, label in ((50, "baik"), (100, "sedang"), (200, "tidak sehat"),
                         (300, "sangat tidak sehat")):
        if value <= limit:
            return label
    return "berbahaya"


def udara() -> None:
    rng = rng_for("kualitas-udara-ispu")
    stations = [("SPKU Sungai Raya", "Sungai Raya"), ("SPKU Sungai Ambawang", "Sungai Ambawang"),
                ("SPKU Rasau Jaya", "Rasau Jaya")]
    haze = {2019: 5.0, 2023: 3.2}
    rows = []
    for year in range(2019, 2026):
        for month in range(1, 13):
            for station, kec in stations:
                factor = haze.get(year, 1.3) if month in (8, 9) else 1.0
                pm25 = round(rng.uniform(9, 22) * factor, 1)
                pm10 = round(pm25 * rng.uniform(1.4, 1.9), 1)
                ispu = int(min(480, pm25 * 2.1 + rng.uniform(5, 15)))
                rows.append([year, month, station, kec, pm25, pm10, ispu, _ispu_class(ispu)])
    write_dataset(
        AG, "kualitas-udara-ispu",
        title="Kualitas Udara (ISPU) Bulanan 2019-2025",
        title_en="Monthly air quality (ISPU) 2019-2025",
        description="Rata-rata bulanan konsentrasi PM2,5 dan PM10 serta Indeks Standar "
                    "Pencemar Udara (ISPU) di stasiun pemantau kualitas udara.",
        description_en="Monthly mean PM2.5 and PM10 concentrations and the air pollution "
                       "standard index (ISPU) at the air quality monitoring stations.",
        keywords=["kualitas udara", "air quality", "ispu", "pm2.5", "kabut asap", "haze"],
        topics=["lingkungan"], category="PERIODIC", modified=date(2026, 1, 14),
        temporal=(2019, 2025), license="ODbL-1.0",
        resources=[Resource("ispu", [
            ("tahun", "integer", "Tahun"), ("bulan", "integer", "Bulan"),
            ("stasiun", "string", "Stasiun pemantau"), ("kecamatan", "string", "Kecamatan"),
            ("pm25_ug_m3", "number", "PM2,5 (µg/m³)"), ("pm10_ug_m3", "number", "PM10 (µg/m³)"),
            ("ispu", "integer", "ISPU"), ("kategori", "string", "Kategori ISPU")], rows)])


def air_sungai() -> None:
    rng = rng_for("kualitas-air-sungai")
    points = [("TP-01", "Sungai Kapuas", "Sungai Raya"), ("TP-02", "Sungai Kapuas", "Sungai Kakap"),
              ("TP-03", "Sungai Ambawang", "Sungai Ambawang"),
              ("TP-04", "Sungai Kakap", "Sungai Kakap"),
              ("TP-05", "Sungai Punggur", "Sungai Kakap"),
              ("TP-06", "Sungai Terentang", "Terentang")]
    rows = []
    for year in range(2021, 2026):
        for semester in (1, 2):
            for code, river, kec in points:
                bod = round(rng.uniform(1.5, 6.5), 2)
                cod = round(bod * rng.uniform(2.5, 4.0), 2)
                status = "memenuhi" if bod <= 3 else "cemar ringan" if bod <= 5.5 \
                    else "cemar sedang"
                rows.append([year, semester, code, river, kec, round(rng.uniform(4.8, 7.2), 2),
                             round(rng.uniform(3.0, 6.5), 2), bod, cod,
                             round(rng.uniform(20, 140), 1), status])
    write_dataset(
        AG, "kualitas-air-sungai",
        title="Pemantauan Kualitas Air Sungai 2021-2025",
        title_en="River water quality monitoring 2021-2025",
        description="Hasil uji parameter kualitas air (pH, DO, BOD, COD, TSS) di titik pantau "
                    "sungai setiap semester dan status mutu airnya.",
        description_en="Water quality parameters (pH, DO, BOD, COD, TSS) at river monitoring "
                       "points each half-year, with the resulting quality status.",
        keywords=["kualitas air", "water quality", "sungai", "river", "lingkungan"],
        topics=["lingkungan"], category="PERIODIC", modified=date(2026, 2, 2),
        temporal=(2021, 2025),
        resources=[Resource("air-sungai", [
            ("tahun", "integer", "Tahun"), ("semester", "integer", "Semester"),
            ("kode_titik", "string", "Kode titik pantau"), ("sungai", "string", "Sungai"),
            ("kecamatan", "string", "Kecamatan"), ("ph", "number", "pH"),
            ("do_mg_l", "number", "DO (mg/L)"), ("bod_mg_l", "number", "BOD (mg/L)"),
            ("cod_mg_l", "number", "COD (mg/L)"), ("tss_mg_l", "number", "TSS (mg/L)"),
            ("status_mutu", "string", "Status mutu")], rows)])


def bank_sampah() -> None:
    rng = rng_for("bank-sampah")
    rows = []
    suffixes = ["Lestari", "Bersih", "Hijau", "Mandiri", "Berkah"]
    for _ in range(36):
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        desa = rng.choice(DESA[kec])
        members = rng.randint(15, 320)
        name = f"Bank Sampah {rng.choice(GIVEN_NAMES)} {rng.choice(suffixes)}"
        rows.append([name, kec, desa, rng.randint(2016, 2025), members,
                     round(members * rng.uniform(0.02, 0.09), 1),
                     rng.choices(["aktif", "tidak aktif"], weights=[4, 1])[0]])
    write_dataset(
        AG, "bank-sampah",
        title="Bank Sampah Terdaftar 2025",
        title_en="Registered waste banks 2025",
        description="Bank sampah yang terdaftar di DLH dengan lokasi, tahun berdiri, jumlah "
                    "nasabah, sampah terkelola per tahun dan status keaktifan.",
        description_en="Waste banks registered with the agency, with location, year founded, "
                       "members, waste handled per year and whether active.",
        keywords=["bank sampah", "daur ulang", "recycling", "waste bank", "lingkungan"],
        topics=["lingkungan", "ekonomi"], category="PERIODIC", modified=date(2025, 9, 30),
        temporal=(2025, 2025), license="CC0-1.0",
        resources=[Resource("bank-sampah", [
            ("nama_bank_sampah", "string", "Nama bank sampah"),
            ("kecamatan", "string", "Kecamatan"), ("desa", "string", "Desa"),
            ("tahun_berdiri", "integer", "Tahun berdiri"),
            ("jumlah_nasabah", "integer", "Jumlah nasabah"),
            ("sampah_terkelola_ton", "number", "Sampah terkelola (ton/tahun)"),
            ("status", "string", "Status")], rows)])


def build() -> None:
    write_agency(AG, "Dinas Lingkungan Hidup Kabupaten Kubu Raya", "DLH",
                 "Menyelenggarakan urusan lingkungan hidup: persampahan, pengendalian "
                 "pencemaran udara dan air, serta ruang terbuka hijau.",
                 "Runs environmental affairs: waste management, air and water pollution "
                 "control and green open space.")
    sampah()
    udara()
    air_sungai()
    bank_sampah()
