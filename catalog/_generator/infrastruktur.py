"""Dinas Pekerjaan Umum dan Penataan Ruang: roads, bridges, procurement and irrigation."""

from __future__ import annotations

from datetime import date

from common import (
    DESA,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    Resource,
    ex_row,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "dinas-pupr"
KONDISI = ["baik", "sedang", "rusak ringan", "rusak berat"]
WORDS = ["Karya", "Mandiri", "Bangun", "Kapuas", "Sejahtera", "Khatulistiwa", "Abadi", "Jaya",
         "Utama", "Borneo", "Raya", "Cipta", "Persada", "Lestari", "Perkasa"]


def _ruas(rng, kec: str, i: int) -> str:
    desa = DESA[kec]
    if i % 3 == 0 and len(desa) > 1:
        a, b = rng.sample(desa, 2)
        return f"Jalan {a} - {b}"
    return f"Jalan {rng.choice(['Parit', 'Gang', 'Poros', 'Lingkar'])} {rng.choice(desa)} {i}"


def jalan() -> None:
    rng = rng_for("kondisi-jalan-kabupaten")
    segments = []
    for kec in KECAMATAN:
        for i in range(4 + KECAMATAN_WEIGHT[kec] // 15):
            segments.append((kec, _ruas(rng, kec, i + 1), round(rng.uniform(0.8, 14.5), 2),
                             rng.randint(0, 3)))
    rows = []
    for year in (2021, 2023, 2025):
        for kec, name, length, state in segments:
            state = min(3, max(0, state + rng.choice([-1, 0, 0, 1])))
            rows.append([name, kec, length, KONDISI[state], year])
    write_dataset(
        AG, "kondisi-jalan-kabupaten",
        title="Kondisi Ruas Jalan Kabupaten 2021-2025",
        title_en="Condition of regency road segments 2021-2025",
        description="Panjang dan kondisi setiap ruas jalan kabupaten hasil survei kondisi jalan "
                    "(baik, sedang, rusak ringan, rusak berat) tahun 2021, 2023 dan 2025.",
        description_en="Length and condition of every regency road segment from the road "
                       "condition surveys of 2021, 2023 and 2025.",
        keywords=["jalan", "roads", "kondisi jalan", "infrastruktur", "infrastructure"],
        topics=["infrastruktur"], category="PERIODIC", modified=date(2025, 12, 10),
        temporal=(2021, 2025),
        resources=[Resource("ruas-jalan", [
            ("ruas_jalan", "string", "Nama ruas jalan"), ("kecamatan", "string", "Kecamatan"),
            ("panjang_km", "number", "Panjang (km)"), ("kondisi", "string", "Kondisi"),
            ("tahun_survei", "integer", "Tahun survei")], rows)])


def jembatan() -> None:
    rng = rng_for("data-jembatan-kabupaten")
    rows = []
    for i in range(64):
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        desa = rng.choice(DESA[kec])
        kind = rng.choices(["beton", "kayu", "rangka baja", "gantung"], weights=[5, 4, 2, 1])[0]
        state = rng.choices(KONDISI, weights=[4, 3, 2, 1] if kind != "kayu" else [1, 2, 3, 3])[0]
        rows.append([f"JBT-{i + 1:03d}", f"Jembatan Parit {desa} {i % 7 + 1}", kec, desa,
                     round(rng.uniform(6, 85), 1), round(rng.choice([3.0, 4.5, 6.0, 7.0]), 1),
                     kind, state, 2025])
    write_dataset(
        AG, "data-jembatan-kabupaten",
        title="Data Jembatan Kabupaten 2025",
        title_en="Regency bridges 2025",
        description="Daftar jembatan pada jalan kabupaten dengan lokasi, panjang, lebar, tipe "
                    "konstruksi dan kondisi hasil inventarisasi tahun 2025.",
        description_en="Bridges on regency roads with location, length, width, construction "
                       "type and condition from the 2025 inventory.",
        keywords=["jembatan", "bridges", "infrastruktur", "infrastructure"],
        topics=["infrastruktur"], category="PERIODIC", modified=date(2025, 11, 25),
        temporal=(2025, 2025),
        resources=[Resource("jembatan", [
            ("kode_jembatan", "string", "Kode jembatan"), ("nama_jembatan", "string", "Nama"),
            ("kecamatan", "string", "Kecamatan"), ("desa", "string", "Desa"),
            ("panjang_m", "number", "Panjang (m)"), ("lebar_m", "number", "Lebar (m)"),
            ("tipe_konstruksi", "string", "Tipe konstruksi"), ("kondisi", "string", "Kondisi"),
            ("tahun_survei", "integer", "Tahun survei")], rows)])


def pengadaan() -> None:
    rng = rng_for("paket-pengadaan")
    works = ["Peningkatan Jalan", "Pemeliharaan Berkala Jalan", "Pembangunan Jembatan",
             "Rehabilitasi Saluran Irigasi", "Pembangunan Drainase", "Penataan Trotoar",
             "Pengawasan Teknis Peningkatan Jalan", "Perencanaan Teknis Jembatan"]
    rows = []
    for i in range(150):
        year = 2024 if i < 70 else 2025
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        pagu = rng.randrange(150, 9500) * 1_000_000
        method = "tender" if pagu >= 1_000_000_000 else rng.choice(
            ["pengadaan langsung", "e-purchasing", "tender"])
        if year == 2024:
            status = rng.choices(["selesai", "batal"], weights=[12, 1])[0]
        else:
            status = rng.choices(["pengumuman", "evaluasi", "penetapan pemenang", "kontrak",
                                  "selesai", "batal"], weights=[2, 3, 1, 4, 4, 1])[0]
        awarded = status in ("penetapan pemenang", "kontrak", "selesai")
        value = int(pagu * rng.uniform(0.86, 0.98)) // 1000 * 1000 if awarded else None
        firm = f"{rng.choice(['CV', 'PT'])} {' '.join(rng.sample(WORDS, 2))}" if awarded else None
        name = f"{rng.choice(works)} {rng.choice(DESA[kec])}"
        rows.append([f"PKT-{year}-{i + 1:04d}", year, name,
                     kec, method, pagu, value, status, firm])
    test = ("Membuka isi penawaran dan hasil evaluasi sebelum pemenang ditetapkan dapat "
            "mengganggu persaingan usaha yang sehat antarpeserta tender; informasi dibuka "
            "setelah penetapan pemenang sehingga pengawasan publik tetap terjamin.")
    write_dataset(
        AG, "paket-pengadaan",
        title="Paket Pengadaan Barang dan Jasa Dinas PUPR 2024-2025",
        title_en="Public works procurement packages 2024-2025",
        description="Daftar paket pengadaan pekerjaan konstruksi dan jasa konsultansi: pagu, "
                    "metode pengadaan, nilai kontrak, status tender dan penyedia. Paket yang "
                    "masih dalam tahap evaluasi dikecualikan sampai pemenang ditetapkan.",
        description_en="Construction and consultancy procurement packages: budget ceiling, "
                       "method, contract value, tender status and supplier. Packages still "
                       "under evaluation are withheld until the award.",
        keywords=["pengadaan", "procurement", "tender", "kontrak", "lpse"],
        topics=["infrastruktur", "keuangan"], category="ON_REQUEST", modified=date(2025, 10, 30),
        temporal=(2024, 2025),
        exemptions=[ex_row({"status_tender": "evaluasi"}, "PASAL_17B", test, 21,
                           date(2025, 6, 2), date(2025, 12, 31))],
        resources=[Resource("paket", [
            ("kode_paket", "string", "Kode paket"), ("tahun_anggaran", "integer", "Tahun anggaran"),
            ("nama_paket", "string", "Nama paket"), ("kecamatan", "string", "Kecamatan"),
            ("metode_pengadaan", "string", "Metode pengadaan"), ("pagu", "integer", "Pagu (Rp)"),
            ("nilai_kontrak", "integer", "Nilai kontrak (Rp)"),
            ("status_tender", "string", "Status tender"), ("penyedia", "string", "Penyedia")],
            rows)])


def irigasi() -> None:
    rng = rng_for("daerah-irigasi")
    areas = ["Rasau Jaya", "Sungai Kakap", "Kubu", "Teluk Pakedai", "Sungai Ambawang",
             "Kuala Mandor B", "Batu Ampar", "Terentang"]
    rows = []
    for kec in areas:
        for desa in rng.sample(DESA[kec], min(3, len(DESA[kec]))):
            area = rng.randint(80, 1400)
            rows.append([f"DI {desa}", kec, rng.choice(["rawa", "pasang surut"]), area,
                         int(area * rng.uniform(0.5, 0.95)),
                         rng.choices(KONDISI, weights=[3, 4, 2, 1])[0], 2025])
    write_dataset(
        AG, "daerah-irigasi",
        title="Daerah Irigasi Kewenangan Kabupaten 2025",
        title_en="Irrigation areas under regency authority 2025",
        description="Daerah irigasi rawa dan pasang surut kewenangan kabupaten: luas baku, luas "
                    "fungsional dan kondisi jaringan.",
        description_en="Swamp and tidal irrigation areas under regency authority: design area, "
                       "functional area and network condition.",
        keywords=["irigasi", "irrigation", "sawah", "pertanian", "infrastruktur"],
        topics=["infrastruktur"], category="PERIODIC", modified=date(2025, 7, 14),
        temporal=(2025, 2025),
        resources=[Resource("daerah-irigasi", [
            ("nama_daerah_irigasi", "string", "Nama daerah irigasi"),
            ("kecamatan", "string", "Kecamatan"), ("tipe", "string", "Tipe irigasi"),
            ("luas_baku_ha", "integer", "Luas baku (ha)"),
            ("luas_fungsional_ha", "integer", "Luas fungsional (ha)"),
            ("kondisi_jaringan", "string", "Kondisi jaringan"),
            ("tahun", "integer", "Tahun")], rows)])


def build() -> None:
    write_agency(AG, "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kubu Raya", "PUPR",
                 "Menyelenggarakan urusan jalan, jembatan, sumber daya air, irigasi dan "
                 "penataan ruang kabupaten.",
                 "Runs regency roads, bridges, water resources, irrigation and spatial "
                 "planning.")
    jalan()
    jembatan()
    pengadaan()
    irigasi()
