"""Badan Penanggulangan Bencana Daerah: disaster events, hotspots, resilient villages, risk."""

from __future__ import annotations

from datetime import date

from common import (
    DAYS_IN_MONTH,
    DESA,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    Resource,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "bpbd"
COASTAL = ["Batu Ampar", "Kubu", "Teluk Pakedai", "Sungai Kakap"]
PEAT = ["Sungai Raya", "Sungai Ambawang", "Kuala Mandor B", "Rasau Jaya", "Kubu", "Batu Ampar"]


def _event_date(rng, kind: str, year: int) -> date:
    if kind == "kebakaran hutan dan lahan":
        month = rng.choices(range(1, 13), weights=[1, 2, 2, 1, 1, 2, 6, 10, 9, 3, 1, 1])[0]
    elif kind == "banjir":
        month = rng.choices(range(1, 13), weights=[8, 5, 3, 2, 1, 1, 1, 1, 2, 4, 8, 10])[0]
    else:
        month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, DAYS_IN_MONTH[month - 1]))


def kejadian() -> None:
    rng = rng_for("kejadian-bencana")
    dry = {2019: 3.0, 2020: 0.7, 2021: 0.8, 2022: 0.6, 2023: 2.2, 2024: 1.0, 2025: 0.9}
    rows = []
    for year in range(2019, 2026):
        plan = [("banjir", rng.randint(10, 18)),
                ("kebakaran hutan dan lahan", int(rng.randint(6, 10) * dry[year])),
                ("angin puting beliung", rng.randint(4, 9)), ("abrasi", rng.randint(2, 5))]
        for kind, n in plan:
            for _ in range(n):
                if kind == "abrasi":
                    kec = rng.choice(COASTAL)
                elif kind == "kebakaran hutan dan lahan":
                    kec = rng.choice(PEAT)
                else:
                    kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
                houses = {"banjir": rng.randint(0, 40), "angin puting beliung": rng.randint(1, 25),
                          "abrasi": rng.randint(0, 8)}.get(kind, rng.randint(0, 2))
                displaced = rng.randint(0, houses * 4) if kind != "kebakaran hutan dan lahan" \
                    else 0
                deaths = 1 if rng.random() < 0.03 else 0
                rows.append([_event_date(rng, kind, year), kec, kind, deaths, houses, displaced])
    rows.sort(key=lambda r: r[0])
    write_dataset(
        AG, "kejadian-bencana",
        title="Kejadian Bencana di Kabupaten Kubu Raya 2019-2025",
        title_en="Disaster events in Kubu Raya 2019-2025",
        description="Setiap kejadian bencana yang ditangani BPBD: tanggal, kecamatan, jenis "
                    "bencana, korban jiwa, rumah rusak dan jumlah pengungsi. Diumumkan "
                    "serta-merta.",
        description_en="Every disaster event handled by the agency: date, district, type, "
                       "deaths, damaged houses and displaced people. Published immediately.",
        keywords=["bencana", "disaster", "banjir", "flood", "karhutla", "kebencanaan"],
        topics=["kebencanaan"], category="IMMEDIATE", modified=date(2026, 1, 6),
        temporal=(2019, 2025),
        resources=[Resource("kejadian", [
            ("tanggal", "date", "Tanggal kejadian"), ("kecamatan", "string", "Kecamatan"),
            ("jenis_bencana", "string", "Jenis bencana"),
            ("korban_jiwa", "integer", "Korban jiwa"), ("rumah_rusak", "integer", "Rumah rusak"),
            ("pengungsi", "integer", "Pengungsi (jiwa)")], rows)])


def titik_panas() -> None:
    rng = rng_for("titik-panas-bulanan")
    dry = {2019: 3.0, 2020: 0.7, 2021: 0.8, 2022: 0.6, 2023: 2.2, 2024: 1.0, 2025: 0.9}
    season = [0.2, 0.5, 0.5, 0.2, 0.2, 0.5, 2, 5, 4, 1, 0.2, 0.1]
    rows = []
    for year in range(2019, 2026):
        for month in range(1, 13):
            for kec in KECAMATAN:
                peat = 2.5 if kec in PEAT else 0.5
                mean = peat * season[month - 1] * dry[year]
                rows.append([year, month, kec, int(rng.expovariate(1 / mean)) if mean else 0])
    write_dataset(
        AG, "titik-panas-bulanan",
        title="Jumlah Titik Panas (Hotspot) Bulanan per Kecamatan 2019-2025",
        title_en="Monthly fire hotspots by district 2019-2025",
        description="Jumlah titik panas dengan tingkat kepercayaan tinggi yang terpantau satelit "
                    "per kecamatan per bulan, sebagai indikator kebakaran hutan dan lahan.",
        description_en="High-confidence satellite fire hotspots per district and month, an "
                       "indicator of forest and land fires.",
        keywords=["titik panas", "hotspot", "karhutla", "forest fire", "gambut"],
        topics=["kebencanaan", "lingkungan"], category="PERIODIC", modified=date(2026, 1, 6),
        temporal=(2019, 2025),
        resources=[Resource("titik-panas", [
            ("tahun", "integer", "Tahun"), ("bulan", "integer", "Bulan"),
            ("kecamatan", "string", "Kecamatan"),
            ("jumlah_titik_panas", "integer", "Jumlah titik panas")], rows)])


def destana() -> None:
    rng = rng_for("desa-tangguh-bencana")
    threats = {kec: ["banjir", "kebakaran hutan dan lahan", "angin puting beliung"]
               for kec in KECAMATAN}
    for kec in COASTAL:
        threats[kec] = threats[kec] + ["abrasi"]
    rows = []
    for kec in KECAMATAN:
        for desa in rng.sample(DESA[kec], max(1, len(DESA[kec]) // 2)):
            year = rng.randint(2019, 2025)
            level = "pratama" if year >= 2023 else rng.choice(["pratama", "madya", "madya",
                                                               "utama"])
            rows.append([kec, desa, year, level, rng.choice(threats[kec]),
                         rng.randint(15, 40)])
    write_dataset(
        AG, "desa-tangguh-bencana",
        title="Desa Tangguh Bencana (Destana)",
        title_en="Disaster-resilient villages (Destana)",
        description="Desa yang telah dibentuk sebagai Desa Tangguh Bencana dengan tahun "
                    "pembentukan, tingkat ketangguhan, ancaman utama dan jumlah relawan.",
        description_en="Villages set up as disaster-resilient villages, with year formed, "
                       "resilience level, main hazard and number of volunteers.",
        keywords=["destana", "desa tangguh bencana", "resilience", "relawan", "kebencanaan"],
        topics=["kebencanaan"], category="PERIODIC", modified=date(2025, 12, 18),
        temporal=(2019, 2025),
        resources=[Resource("destana", [
            ("kecamatan", "string", "Kecamatan"), ("desa", "string", "Desa"),
            ("tahun_pembentukan", "integer", "Tahun pembentukan"),
            ("tingkat", "string", "Tingkat ketangguhan"),
            ("ancaman_utama", "string", "Ancaman utama"),
            ("jumlah_relawan", "integer", "Jumlah relawan")], rows)])


def risiko() -> None:
    rng = rng_for("kajian-risiko-bencana")
    rows = []
    for kec in KECAMATAN:
        for threat in ("banjir", "kebakaran hutan dan lahan", "angin puting beliung", "abrasi"):
            if threat == "abrasi" and kec not in COASTAL:
                continue
            index = rng.uniform(0.15, 0.85)
            if threat == "kebakaran hutan dan lahan" and kec in PEAT:
                index = min(0.95, index + 0.2)
            klass = "rendah" if index < 0.4 else "sedang" if index < 0.65 else "tinggi"
            exposed = int(KECAMATAN_WEIGHT[kec] * 1000 * index * rng.uniform(0.2, 0.6))
            rows.append([kec, threat, round(index, 3), klass, rng.randint(200, 9000), exposed])
    write_dataset(
        AG, "kajian-risiko-bencana",
        title="Kajian Risiko Bencana per Kecamatan 2024",
        title_en="Disaster risk assessment by district 2024",
        description="Indeks dan kelas risiko per jenis ancaman dan kecamatan, luas wilayah "
                    "terdampak dan jumlah penduduk terpapar menurut kajian risiko bencana 2024.",
        description_en="Risk index and class by hazard and district, affected area and exposed "
                       "population from the 2024 disaster risk assessment.",
        keywords=["risiko bencana", "disaster risk", "kajian risiko", "kebencanaan"],
        topics=["kebencanaan"], category="PERIODIC", modified=date(2025, 3, 11),
        temporal=(2024, 2024), license="ODbL-1.0",
        resources=[Resource("risiko", [
            ("kecamatan", "string", "Kecamatan"), ("jenis_ancaman", "string", "Jenis ancaman"),
            ("indeks_risiko", "number", "Indeks risiko"), ("kelas_risiko", "string", "Kelas"),
            ("luas_terdampak_ha", "integer", "Luas terdampak (ha)"),
            ("penduduk_terpapar", "integer", "Penduduk terpapar")], rows)])


def build() -> None:
    write_agency(AG, "Badan Penanggulangan Bencana Daerah Kabupaten Kubu Raya", "BPBD",
                 "Menyelenggarakan penanggulangan bencana: pencegahan, kesiapsiagaan, tanggap "
                 "darurat serta rehabilitasi dan rekonstruksi.",
                 "Runs disaster management: prevention, preparedness, emergency response and "
                 "rehabilitation.")
    kejadian()
    titik_panas()
    destana()
    risiko()
