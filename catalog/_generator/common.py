"""Shared pieces of the demo-catalogue generator: seeded randomness, name lists and writers.

Every value written here is synthetic. Each dataset draws from its own RNG seeded with its
slug, so regenerating one module never shifts the numbers of another.
"""

from __future__ import annotations

import csv
import random
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CATALOG = Path(__file__).resolve().parent.parent
SEED = "kubu-raya-opendata-demo"

NOTE_ID = "Data sintetis untuk demonstrasi; bukan data resmi."
NOTE_EN = "Synthetic demonstration data; not official figures."

# Kecamatan of Kabupaten Kubu Raya with a rough relative population weight.
KECAMATAN_WEIGHT = {
    "Batu Ampar": 40,
    "Kuala Mandor B": 30,
    "Kubu": 40,
    "Rasau Jaya": 30,
    "Sungai Ambawang": 85,
    "Sungai Kakap": 120,
    "Sungai Raya": 250,
    "Teluk Pakedai": 22,
    "Terentang": 12,
}
KECAMATAN = list(KECAMATAN_WEIGHT)

# Desa names used for illustration only.
DESA = {
    "Batu Ampar": ["Batu Ampar", "Padang Tikar Satu", "Padang Tikar Dua", "Teluk Nibung",
                   "Nipah Panjang", "Tanjung Harapan", "Sungai Jawi"],
    "Kuala Mandor B": ["Kuala Mandor B", "Kubu Padi", "Retok", "Sungai Enau", "Sungai Asam"],
    "Kubu": ["Kubu", "Olak-Olak Kubu", "Sungai Terus", "Pelita Jaya", "Seruat Dua", "Dabong"],
    "Rasau Jaya": ["Rasau Jaya I", "Rasau Jaya II", "Rasau Jaya III", "Rasau Jaya Umum",
                   "Bintang Mas", "Pematang Tujuh"],
    "Sungai Ambawang": ["Ambawang Kuala", "Jawa Tengah", "Korek", "Pancaroba", "Lingga",
                        "Mega Timur", "Teluk Bakung", "Puguk"],
    "Sungai Kakap": ["Sungai Kakap", "Pal Sembilan", "Sungai Rengas", "Jeruju Besar", "Kalimas",
                     "Punggur Kecil", "Punggur Besar", "Tanjung Saleh"],
    "Sungai Raya": ["Sungai Raya", "Sungai Raya Dalam", "Kapur", "Kuala Dua", "Arang Limbung",
                    "Limbung", "Teluk Kapuas", "Mekar Sari", "Parit Baru", "Tebang Kacang"],
    "Teluk Pakedai": ["Teluk Pakedai Hulu", "Kuala Karang", "Sungai Deras", "Sungai Nibung",
                      "Tanjung Bunga"],
    "Terentang": ["Terentang Hulu", "Terentang Hilir", "Permata", "Teluk Empening"],
}

GIVEN_NAMES = [
    "Agus", "Budi", "Dewi", "Siti", "Rina", "Andi", "Eko", "Sri", "Wahyu", "Nur", "Dian",
    "Fitri", "Hendra", "Indah", "Joko", "Kartika", "Lestari", "Made", "Novi", "Putri",
    "Rahmat", "Rizki", "Sari", "Taufik", "Wulan", "Yanti", "Yusuf", "Zainal", "Ahmad",
    "Bayu", "Citra", "Dedi", "Erna", "Fajar", "Gita", "Hadi", "Irwan", "Jamal", "Lina",
    "Maya", "Nanda", "Oktavia", "Pratama", "Ratna", "Samsul", "Tri", "Utami", "Vina",
    "Wati", "Yoga", "Ayu", "Bambang", "Dwi", "Fauzi", "Hasan", "Iman", "Kurnia", "Mulyadi",
    "Nurul", "Rahayu", "Saputra", "Setiawan", "Hidayat", "Susanti", "Wijaya", "Permana",
    "Rahmawati", "Kurniawan", "Handayani", "Syahputra", "Maulana", "Anggraini", "Ramadhan",
]

# Perangkat daerah (OPD) named in budget and PPID statistics.
OPD = ["Dinkes", "Disdikbud", "PUPR", "Disdukcapil", "Diskominfo", "Bappeda", "BPBD", "DLH",
       "Diskumkm", "Dinsos", "BKAD", "Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat",
       "Dinas Perhubungan", "Dinas Pertanian", "Satpol PP", "RSUD Kubu Raya"]

DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
TOPICS = {"kesehatan", "pendidikan", "infrastruktur", "kependudukan", "teknologi-informasi",
          "perencanaan", "kebencanaan", "lingkungan", "ekonomi", "sosial", "keuangan"}

SUMMARY: list[tuple[str, str, str, dict[str, int], int]] = []


def rng_for(slug: str) -> random.Random:
    return random.Random(f"{SEED}/{slug}")


def nik(rng: random.Random) -> str:
    return "6112" + "".join(rng.choice("0123456789") for _ in range(12))


def phone(rng: random.Random) -> str:
    return "0812" + "".join(rng.choice("0123456789") for _ in range(8))


def person(rng: random.Random) -> str:
    first, second = rng.sample(GIVEN_NAMES, 2)
    return f"{first} {second}"


def weighted_kecamatan(rng: random.Random) -> str:
    return rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]


def random_date(rng: random.Random, start_year: int, end_year: int) -> date:
    year = rng.randint(start_year, end_year)
    month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, DAYS_IN_MONTH[month - 1]))


def population(kecamatan: str, year: int) -> int:
    """A smooth synthetic population: about 1,000 people per weight unit, growing 1.8%/year."""
    return int(KECAMATAN_WEIGHT[kecamatan] * 1000 * (1 + 0.018 * (year - 2019)))


# --- YAML with flow-style lists and mappings where it reads better ----------------------

class Flow(list):
    pass


class FlowMap(dict):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(FlowMap, lambda d, v: d.represent_mapping(
    "tag:yaml.org,2002:map", v.items(), flow_style=True))


def dump_yaml(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


# --- agencies, resources, exemptions, datasets ------------------------------------------

def write_agency(slug: str, name: str, acronym: str, description: str,
                 description_en: str) -> None:
    dump_yaml(CATALOG / slug / "agency.yaml", {
        "name": name,
        "acronym": acronym,
        "description": description,
        "description_en": description_en,
        "website": f"https://{slug}.kuburayakab.go.id",
        # the letterhead of its letters (synthetic, like everything here)
        "address": f"Kompleks Perkantoran Pemda Kubu Raya, Gedung {acronym}, "
                   "Jl. Arteri Supadio, Sungai Raya 78391",
        "phone": f"(0561) 72{zlib.crc32(slug.encode()) % 10000:04d}",
        "email": f"ppid@{slug}.kuburayakab.go.id",
        # when its PPID desk receives people in person (shown on the agency page)
        "opening_hours": "Senin-Kamis 08.00-15.30 WIB, Jumat 08.00-11.00 WIB (kecuali hari libur)",
    })


@dataclass
class Resource:
    name: str
    fields: list[tuple[str, str, str]]  # (name, type, Indonesian title)
    rows: list[list[Any]] = field(default_factory=list)


# The amounts that add up, per dataset (`role: measure`): a chart sums only these, else it
# counts rows. An age, a rate, a percentage, a year or a code is never one.
MEASURES: dict[str, frozenset[str]] = {slug: frozenset(names.split()) for slug, names in {
    "kasus-dbd-per-kecamatan": "jumlah_kasus jumlah_meninggal",
    "fasilitas-kesehatan-per-kecamatan": "puskesmas puskesmas_rawat_inap puskesmas_pembantu "
    "posyandu klinik_pratama dokter_umum dokter_gigi perawat bidan tenaga_gizi",
    "prevalensi-stunting-balita": "balita_diukur balita_stunting",
    "cakupan-imunisasi-dasar": "sasaran_bayi imunisasi_dasar_lengkap",
    "statistik-permohonan-informasi": "permohonan_masuk dikabulkan_seluruhnya dikabulkan_sebagian "
    "ditolak keberatan",
    "cakupan-sinyal-desa": "jumlah_bts",
    "usulan-musrenbang": "perkiraan_biaya",
    "angka-putus-sekolah": "siswa_putus_sekolah",
    "sanggar-seni-budaya": "jumlah_anggota",
    "statistik-sekolah-per-kecamatan": "jumlah_sekolah jumlah_siswa jumlah_guru",
    "titik-panas-bulanan": "jumlah_titik_panas",
    "kejadian-bencana": "korban_jiwa rumah_rusak pengungsi",
    "kajian-risiko-bencana": "luas_terdampak_ha penduduk_terpapar",
    "desa-tangguh-bencana": "jumlah_relawan",
    "pendapatan-asli-daerah": "target realisasi",
    "ringkasan-apbd": "anggaran realisasi",
    "daftar-aset-tanah": "luas_m2 nilai_perolehan",
    "realisasi-apbd-per-opd": "anggaran realisasi",
    "rekap-penyaluran-bansos": "jumlah_kpm nilai_bantuan",
    "data-kemiskinan": "keluarga_dtks jiwa_dtks",
    "penyandang-disabilitas": "laki_laki perempuan",
    "volume-sampah-bulanan": "volume_ton",
    "bank-sampah": "jumlah_nasabah sampah_terkelola_ton",
    "daerah-irigasi": "luas_baku_ha luas_fungsional_ha",
    "data-jembatan-kabupaten": "panjang_m",
    "kondisi-jalan-kabupaten": "panjang_km",
    "paket-pengadaan": "pagu nilai_kontrak",
    "koperasi-per-kecamatan": "koperasi_terdaftar koperasi_aktif jumlah_anggota volume_usaha",
    "registri-umkm": "omzet_tahunan",
    "pelatihan-umkm": "jumlah_peserta peserta_perempuan",
    "umkm-per-sektor": "jumlah_umkm tenaga_kerja",
    "mutasi-penduduk": "penduduk_datang penduduk_pindah kelahiran kematian",
    "jumlah-penduduk-per-kecamatan": "jumlah_penduduk jumlah_kk",
    "penerbitan-akta-kelahiran": "akta_terbit",
    "perekaman-ktp-elektronik": "wajib_ktp sudah_rekam",
}.items()}


def _field(slug: str, name: str, type_: str, title: str) -> FlowMap:
    extra = {"role": "measure"} if name in MEASURES.get(slug, ()) else {}
    return FlowMap(name=name, type=type_, title=title, **extra)


def _decision(number: int, decided: date) -> dict[str, Any]:
    return {"decisionReference": f"SK PPID Kabupaten Kubu Raya No. {number}/PPID/{decided.year}",
            "decidedOn": decided}


def ex_field(name: str, basis: str, test: str, number: int, decided: date,
             expires: date | None = None) -> dict[str, Any]:
    return {"scope": "FIELD", "field": name, "basis": basis, "consequenceTest": test,
            **_decision(number, decided), "expiresOn": expires}


def ex_row(row_filter: dict[str, Any], basis: str, test: str, number: int, decided: date,
           expires: date | None) -> dict[str, Any]:
    return {"scope": "ROW", "rowFilter": FlowMap(row_filter), "basis": basis,
            "consequenceTest": test, **_decision(number, decided), "expiresOn": expires}


def ex_dataset(basis: str, test: str, number: int, decided: date,
               expires: date | None = None) -> dict[str, Any]:
    return {"scope": "DATASET", "basis": basis, "consequenceTest": test,
            **_decision(number, decided), "expiresOn": expires}


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # values are rounded by the callers; repr never uses exponents here
    return str(value)


# How each dataset about people is published (`publicationMode`, docs/catalog-format.md).
# AGGREGATES where every public column of a row is a quasi-identifier of one person, so a
# row says nothing a count per group does not, and can only single someone out:
# - register-pasien-tbc: one row per patient (age, sex, kecamatan, year, outcome); a health
#   record (Pasal 17 huruf h) a 70-year-old in a small kecamatan would be found in;
# - penerima-bantuan-sosial: one row per household receiving aid, name, NIK and address
#   withheld; the PPID's consequence test keeps "recipients per kecamatan and programme"
#   public, which is exactly what the aggregate gives.
# The others stay ROWS: registri-umkm lists businesses (the owner's name, NIK and phone are
# withheld), laporan-rt-online lists reports about public services (the reporter withheld),
# which residents follow up row by row.
PUBLICATION_MODES = {
    "register-pasien-tbc": "AGGREGATES",
    "penerima-bantuan-sosial": "AGGREGATES",
}

# `updateFrequency` of every demo dataset (DCAT words); absent: IRREGULAR is not assumed.
UPDATE_FREQUENCIES = {
    "kejadian-bencana": "DAILY", "kasus-dbd-per-kecamatan": "WEEKLY",
    "laporan-rt-online": "DAILY", "titik-panas-bulanan": "MONTHLY",
    "volume-sampah-bulanan": "MONTHLY", "kualitas-udara-ispu": "MONTHLY",
    "paket-pengadaan": "MONTHLY", "mutasi-penduduk": "MONTHLY",
    "penerima-bantuan-sosial": "QUARTERLY", "rekap-penyaluran-bansos": "QUARTERLY",
    "realisasi-apbd-per-opd": "QUARTERLY", "register-pasien-tbc": "QUARTERLY",
    "kualitas-air-sungai": "SEMIANNUAL", "cakupan-imunisasi-dasar": "SEMIANNUAL",
    "statistik-permohonan-informasi": "ANNUAL", "jumlah-penduduk-per-kecamatan": "SEMIANNUAL",
    "indeks-pembangunan-manusia": "ANNUAL", "ringkasan-apbd": "ANNUAL",
    "pendapatan-asli-daerah": "ANNUAL", "statistik-sekolah-per-kecamatan": "ANNUAL",
    "angka-putus-sekolah": "ANNUAL", "data-kemiskinan": "ANNUAL",
    "penyandang-disabilitas": "ANNUAL", "prevalensi-stunting-balita": "ANNUAL",
    "fasilitas-kesehatan-per-kecamatan": "ANNUAL", "registri-umkm": "ANNUAL",
    "kondisi-jalan-kabupaten": "ANNUAL", "daftar-cagar-budaya": "IRREGULAR",
    "kajian-risiko-bencana": "IRREGULAR", "draf-memorandum-internal-rkpd": "IRREGULAR",
}


# what the dataset page calls each table of a dataset with more than one (else its name)
RESOURCE_TITLES: dict[tuple[str, str], dict[str, str]] = {
    (slug, name): {"title": title, "title_en": title_en}
    for slug, name, title, title_en in (
        ("kasus-dbd-per-kecamatan", "kasus", "Kasus DBD per kecamatan per tahun",
         "Dengue cases by district and year"),
        ("kasus-dbd-per-kecamatan", "kasus-bulanan", "Kasus DBD per bulan",
         "Dengue cases by month"),
        ("fasilitas-kesehatan-per-kecamatan", "fasilitas", "Fasilitas kesehatan per kecamatan",
         "Health facilities by district"),
        ("fasilitas-kesehatan-per-kecamatan", "tenaga-kesehatan",
         "Tenaga kesehatan per kecamatan", "Health workers by district"),
        ("pendapatan-asli-daerah", "pad", "PAD menurut jenis", "Own-source revenue by kind"),
        ("pendapatan-asli-daerah", "pajak-daerah", "Pajak daerah menurut jenis pajak",
         "Regional taxes by kind of tax"),
        ("data-kemiskinan", "dtks-kecamatan", "DTKS per kecamatan",
         "Social welfare register by district"),
        ("data-kemiskinan", "kemiskinan-kabupaten", "Kemiskinan tingkat kabupaten",
         "Poverty across the regency"),
        ("jumlah-penduduk-per-kecamatan", "penduduk", "Penduduk per kecamatan dan jenis kelamin",
         "Population by district and sex"),
        ("jumlah-penduduk-per-kecamatan", "kepala-keluarga", "Kepala keluarga per kecamatan",
         "Heads of household by district"),
    )
}


def write_dataset(agency: str, slug: str, *, title: str, title_en: str, description: str,
                  description_en: str, keywords: list[str], topics: list[str], category: str,
                  modified: date, temporal: tuple[int, int], resources: list[Resource],
                  license: str = "CC-BY-4.0", exemptions: list[dict[str, Any]] | None = None,
                  ) -> None:
    assert 4 <= len(keywords) <= 8, slug
    assert 1 <= len(topics) <= 2 and set(topics) <= TOPICS, slug
    assert date(2025, 1, 1) <= modified < date(2026, 11, 1), slug
    assert 2019 <= temporal[0] <= temporal[1] <= 2026, slug
    folder = CATALOG / agency / slug
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    res_yaml = []
    for res in resources:
        names = [f[0] for f in res.fields]
        assert all(SNAKE.match(n) for n in names), (slug, names)
        assert all(len(row) == len(names) for row in res.rows), (slug, res.name)
        with (folder / f"{res.name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(names)
            writer.writerows([_fmt(v) for v in row] for row in res.rows)
        counts[res.name] = len(res.rows)
        res_yaml.append({
            "name": res.name, **RESOURCE_TITLES.get((slug, res.name), {}),
            "path": f"{res.name}.csv", "format": "csv",
            "mediatype": "text/csv",
            "schema": {"fields": [_field(slug, n, t, ti) for n, t, ti in res.fields]},
        })
    for ex in exemptions or []:
        if ex["scope"] == "ROW":  # every ROW filter must match at least one row
            ok = False
            for res in resources:
                names = [f[0] for f in res.fields]
                if all(k in names for k in ex["rowFilter"]):
                    ok = ok or any(all(row[names.index(k)] == v for k, v in ex["rowFilter"].items())
                                   for row in res.rows)
            assert ok, (slug, ex["rowFilter"])
    data: dict[str, Any] = {
        "name": slug, "title": title, "title_en": title_en,
        "description": f"{description.strip()} {NOTE_ID}",
        "description_en": f"{description_en.strip()} {NOTE_EN}",
        "keywords": Flow(keywords), "topics": Flow(topics),
        "licenses": [FlowMap(name=license)], "category": category, "modified": modified,
        "temporal": FlowMap(start=temporal[0], end=temporal[1]),
    }
    if slug in UPDATE_FREQUENCIES:
        data["updateFrequency"] = UPDATE_FREQUENCIES[slug]
    if slug in PUBLICATION_MODES:
        data["publicationMode"] = PUBLICATION_MODES[slug]
    if exemptions:
        data["exemptions"] = exemptions
    data["resources"] = res_yaml
    dump_yaml(folder / "datapackage.yaml", data)
    SUMMARY.append((agency, slug, category, counts, len(exemptions or [])))
