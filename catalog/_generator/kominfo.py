"""Dinas Komunikasi dan Informatika: RT Online reports, public wifi, signal, PPID statistics."""

from __future__ import annotations

from datetime import date, timedelta

from common import (
    DESA,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    OPD,
    Resource,
    ex_field,
    ex_row,
    person,
    phone,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "diskominfo"
URAIAN = {
    "warga sakit": [
        "Warga lanjut usia sakit dan membutuhkan kunjungan petugas puskesmas.",
        "Balita demam tinggi selama {n} hari, keluarga meminta pemeriksaan.",
        "Warga penyandang disabilitas sakit dan tidak dapat berobat sendiri.",
    ],
    "jalan rusak": [
        "Jalan lingkungan berlubang sepanjang sekitar {n} meter.",
        "Jalan tanah amblas di dekat parit, sulit dilalui kendaraan roda dua.",
        "Papan titian rusak sepanjang {n} meter, membahayakan anak sekolah.",
    ],
    "banjir": [
        "Air pasang menggenangi permukiman setinggi sekitar {n} cm.",
        "Parit tersumbat sehingga jalan tergenang setelah hujan deras.",
        "Banjir masuk ke rumah warga, sekitar {n} kepala keluarga terdampak.",
    ],
    "sampah": [
        "Tumpukan sampah di tepi parit belum diangkut selama {n} hari.",
        "Warga membuang sampah di lahan kosong, menimbulkan bau.",
        "Tempat penampungan sementara penuh dan sampah meluber ke jalan.",
    ],
    "penerangan jalan": [
        "Lampu penerangan jalan umum padam sejak {n} hari.",
        "Tiang lampu jalan miring dan kabel terkelupas.",
        "Ruas jalan gelap tanpa penerangan, warga meminta pemasangan lampu.",
    ],
}


def rt_online() -> None:
    rng = rng_for("laporan-rt-online")
    start, end = date(2024, 1, 1), date(2026, 2, 28)
    span = (end - start).days
    rows = []
    for _ in range(1500):
        day = start + timedelta(days=rng.randint(0, span))
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        kind = rng.choices(list(URAIAN), weights=[18, 30, 17, 22, 13])[0]
        age = (end - day).days
        if rng.random() < 0.03:
            status = "dalam penyelidikan"
        elif age < 14:
            status = rng.choice(["diterima", "diterima", "ditindaklanjuti"])
        elif age < 90:
            status = rng.choices(["diterima", "ditindaklanjuti", "selesai"], weights=[1, 4, 5])[0]
        else:
            status = rng.choices(["ditindaklanjuti", "selesai"], weights=[1, 9])[0]
        text = rng.choice(URAIAN[kind]).format(n=rng.randint(2, 60))
        rows.append([day, kec, rng.choice(DESA[kec]), f"{rng.randint(1, 24):03d}", kind, text,
                     status, person(rng), phone(rng)])
    rows.sort(key=lambda r: r[0])
    personal = ("Membuka nama dan nomor telepon pelapor mengungkap identitas warga dan dapat "
                "membuat warga enggan melapor; isi laporan tetap terbuka sehingga kepentingan "
                "publik atas layanan terpenuhi.")
    probe = ("Laporan yang sedang diselidiki aparat dapat menghambat penyelidikan bila dibuka "
             "sebelum waktunya; laporan dibuka kembali setelah penyelidikan selesai atau "
             "pengecualian berakhir.")
    write_dataset(
        AG, "laporan-rt-online",
        title="Laporan Warga melalui RT Online 2024-2026",
        title_en="Residents' reports through RT Online 2024-2026",
        description="Laporan warga yang masuk melalui aplikasi RT Online: tanggal, lokasi sampai "
                    "tingkat RT, kategori, uraian singkat dan status tindak lanjut. Nama dan "
                    "telepon pelapor dikecualikan; laporan yang sedang dalam penyelidikan "
                    "dikecualikan sementara.",
        description_en="Residents' reports submitted through the RT Online app: date, location "
                       "down to neighbourhood (RT), category, short description and follow-up "
                       "status. Reporter names and phone numbers are withheld; reports under "
                       "investigation are withheld for a time.",
        keywords=["rt online", "laporan warga", "pengaduan", "complaints", "smart city",
                  "citizen reports"],
        topics=["teknologi-informasi", "sosial"], category="ON_REQUEST",
        modified=date(2026, 3, 2), temporal=(2024, 2026),
        exemptions=[
            ex_field("pelapor", "PASAL_17H", personal, 9, date(2025, 2, 17)),
            ex_field("telepon_pelapor", "PASAL_17H", personal, 9, date(2025, 2, 17)),
            ex_row({"status": "dalam penyelidikan"}, "PASAL_17A", probe, 10, date(2025, 2, 17),
                   date(2027, 6, 30)),
        ],
        resources=[Resource("laporan", [
            ("tanggal", "date", "Tanggal laporan"), ("kecamatan", "string", "Kecamatan"),
            ("desa", "string", "Desa"), ("rt", "string", "Nomor RT"),
            ("kategori", "string", "Kategori laporan"), ("uraian", "string", "Uraian"),
            ("status", "string", "Status tindak lanjut"), ("pelapor", "string", "Nama pelapor"),
            ("telepon_pelapor", "string", "Telepon pelapor")], rows)])


def wifi() -> None:
    rng = rng_for("titik-wifi-publik")
    places = ["kantor desa", "sekolah", "puskesmas", "ruang publik", "masjid"]
    rows = []
    for i in range(72):
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        desa = rng.choice(DESA[kec])
        kind = rng.choice(places)
        rows.append([f"WIFI-{i + 1:03d}", f"{kind.title()} {desa}", kec, desa, kind,
                     rng.choice([10, 20, 20, 50, 100]), rng.randint(2020, 2025),
                     rng.choices(["aktif", "nonaktif"], weights=[9, 1])[0]])
    write_dataset(
        AG, "titik-wifi-publik",
        title="Titik Wifi Publik Gratis",
        title_en="Free public wifi hotspots",
        description="Lokasi titik akses internet gratis yang dikelola Diskominfo dengan jenis "
                    "lokasi, kapasitas dan status.",
        description_en="Free internet access points run by the agency, with place type, "
                       "bandwidth and status.",
        keywords=["wifi", "internet", "hotspot", "smart city", "teknologi informasi"],
        topics=["teknologi-informasi"], category="PERIODIC", modified=date(2025, 12, 1),
        temporal=(2020, 2025), license="CC0-1.0",
        resources=[Resource("wifi", [
            ("kode", "string", "Kode titik"), ("lokasi", "string", "Lokasi"),
            ("kecamatan", "string", "Kecamatan"), ("desa", "string", "Desa"),
            ("jenis_lokasi", "string", "Jenis lokasi"),
            ("bandwidth_mbps", "integer", "Bandwidth (Mbps)"),
            ("tahun_pasang", "integer", "Tahun pemasangan"), ("status", "string", "Status")],
            rows)])


def sinyal() -> None:
    rng = rng_for("cakupan-sinyal-desa")
    levels = ["tidak ada sinyal", "2G", "3G", "4G"]
    rows = []
    for kec in KECAMATAN:
        remote = kec in ("Batu Ampar", "Kubu", "Teluk Pakedai", "Terentang", "Kuala Mandor B")
        for desa in DESA[kec]:
            level = rng.randint(0, 2) if remote else rng.randint(2, 3)
            towers = rng.randint(0, 1) + (level >= 2)
            for year in (2023, 2024, 2025):
                rows.append([year, kec, desa, levels[level], towers])
                if level < 3 and rng.random() < 0.35:
                    level, towers = level + 1, towers + 1
    write_dataset(
        AG, "cakupan-sinyal-desa",
        title="Cakupan Sinyal Telepon Seluler per Desa 2023-2025",
        title_en="Mobile signal coverage by village 2023-2025",
        description="Jenis sinyal seluler terbaik yang tersedia di pusat desa dan jumlah menara "
                    "BTS di wilayah desa.",
        description_en="Best mobile signal available at each village centre and number of base "
                       "stations in the village.",
        keywords=["sinyal", "bts", "telekomunikasi", "mobile coverage", "desa"],
        topics=["teknologi-informasi", "infrastruktur"], category="PERIODIC",
        modified=date(2025, 12, 1), temporal=(2023, 2025),
        resources=[Resource("sinyal", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("desa", "string", "Desa"), ("sinyal_terbaik", "string", "Sinyal terbaik"),
            ("jumlah_bts", "integer", "Jumlah BTS")], rows)])


def ppid() -> None:
    rng = rng_for("statistik-permohonan-informasi")
    rows = []
    for year in range(2021, 2026):
        for opd in OPD:
            n = rng.randint(2, 40) + 4 * (year - 2021)
            full = int(n * rng.uniform(0.5, 0.8))
            part = int((n - full) * rng.uniform(0.3, 0.7))
            refused = n - full - part
            rows.append([year, opd, n, full, part, refused, rng.randint(0, max(0, refused // 2))])
    write_dataset(
        AG, "statistik-permohonan-informasi",
        title="Statistik Permohonan Informasi Publik per Perangkat Daerah 2021-2025",
        title_en="Public information requests by agency 2021-2025",
        description="Jumlah permohonan informasi publik yang diterima tiap perangkat daerah "
                    "dan hasil penyelesaiannya, bahan laporan layanan informasi publik PPID.",
        description_en="Public information requests received by each agency and their outcome, "
                       "as reported in the PPID's annual service report.",
        keywords=["ppid", "keterbukaan informasi", "freedom of information", "uu kip"],
        topics=["teknologi-informasi"], category="PERIODIC", modified=date(2026, 1, 15),
        temporal=(2021, 2025),
        resources=[Resource("permohonan", [
            ("tahun", "integer", "Tahun"), ("perangkat_daerah", "string", "Perangkat daerah"),
            ("permohonan_masuk", "integer", "Permohonan masuk"),
            ("dikabulkan_seluruhnya", "integer", "Dikabulkan seluruhnya"),
            ("dikabulkan_sebagian", "integer", "Dikabulkan sebagian"),
            ("ditolak", "integer", "Ditolak"), ("keberatan", "integer", "Keberatan diajukan")],
            rows)])


def build() -> None:
    write_agency(AG, "Dinas Komunikasi dan Informatika Kabupaten Kubu Raya", "Diskominfo",
                 "Menyelenggarakan urusan komunikasi, informatika, statistik sektoral dan "
                 "persandian, termasuk layanan RT Online dan PPID Utama.",
                 "Runs communications, informatics, sectoral statistics and encryption, "
                 "including the RT Online service and the lead information officer (PPID).")
    rt_online()
    wifi()
    sinyal()
    ppid()
