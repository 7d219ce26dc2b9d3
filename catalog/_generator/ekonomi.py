"""Dinas Koperasi, Usaha Kecil dan Menengah: UMKM registry, cooperatives, training, sectors."""

from __future__ import annotations

from datetime import date

from common import (
    GIVEN_NAMES,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    Resource,
    ex_field,
    nik,
    person,
    phone,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "dinkop-umkm"
SEKTOR = {
    "kuliner": ["Warung Makan", "Kue", "Kerupuk Ikan", "Kopi", "Amplang", "Sambal"],
    "kerajinan": ["Anyaman", "Kerajinan Kayu", "Tenun", "Manik"],
    "perdagangan": ["Toko", "Kios", "Toko Kelontong", "Grosir"],
    "pertanian": ["Kebun", "Tani", "Jamur", "Madu Kelulut"],
    "perikanan": ["Tambak", "Ikan Asin", "Udang Ebi", "Budidaya Lele"],
    "jasa": ["Bengkel", "Laundry", "Penjahit", "Servis Ponsel"],
    "fesyen": ["Butik", "Konveksi", "Batik"],
}
SEKTOR_WEIGHT = [30, 8, 22, 10, 10, 14, 6]


def registri() -> None:
    rng = rng_for("registri-umkm")
    rows = []
    for _ in range(800):
        sector = rng.choices(list(SEKTOR), weights=SEKTOR_WEIGHT)[0]
        owner = person(rng)
        brand = rng.choice([owner.split()[0], rng.choice(GIVEN_NAMES),
                            rng.choice(["Berkah", "Mandiri", "Sejahtera", "Kapuas", "Khas Kubu"])])
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        turnover = int(rng.lognormvariate(18.4, 0.9)) // 100_000 * 100_000
        rows.append([f"{rng.choice(SEKTOR[sector])} {brand}", owner, nik(rng), phone(rng), kec,
                     sector, rng.randint(1998, 2025), max(turnover, 6_000_000)])
    test = ("Membuka NIK dan nomor telepon pemilik usaha mengungkap data pribadi dan membuka "
            "peluang penipuan serta penyalahgunaan identitas; nama usaha, sektor dan omzet "
            "tetap terbuka untuk kepentingan publik.")
    write_dataset(
        AG, "registri-umkm",
        title="Registri Usaha Mikro, Kecil dan Menengah (UMKM)",
        title_en="Register of micro, small and medium enterprises (MSMEs)",
        description="Daftar UMKM yang terdaftar di Dinas Koperasi dan UKM: nama usaha, pemilik, "
                    "kecamatan, sektor, tahun berdiri dan omzet tahunan. NIK dan telepon pemilik "
                    "dikecualikan.",
        description_en="MSMEs registered with the agency: business name, owner, district, "
                       "sector, year founded and annual turnover. Owners' ID numbers and phone "
                       "numbers are withheld.",
        keywords=["umkm", "msme", "usaha mikro", "small business", "ekonomi"],
        topics=["ekonomi"], category="ON_REQUEST", modified=date(2026, 3, 16),
        temporal=(2019, 2026),
        exemptions=[ex_field("nik_pemilik", "PASAL_17H", test, 17, date(2025, 4, 7)),
                    ex_field("telepon", "PASAL_17H", test, 17, date(2025, 4, 7))],
        resources=[Resource("umkm", [
            ("nama_usaha", "string", "Nama usaha"), ("pemilik", "string", "Nama pemilik"),
            ("nik_pemilik", "string", "NIK pemilik"), ("telepon", "string", "Telepon"),
            ("kecamatan", "string", "Kecamatan"), ("sektor", "string", "Sektor usaha"),
            ("tahun_berdiri", "integer", "Tahun berdiri"),
            ("omzet_tahunan", "integer", "Omzet tahunan (Rp)")], rows)])


def koperasi() -> None:
    rng = rng_for("koperasi-per-kecamatan")
    rows = []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            registered = int(KECAMATAN_WEIGHT[kec] * 0.6) + 5 + (year - 2019)
            active = int(registered * rng.uniform(0.45, 0.75))
            members = active * rng.randint(35, 110)
            volume = members * rng.randint(1_500, 6_000) * 1000
            rows.append([year, kec, registered, active, members, volume])
    write_dataset(
        AG, "koperasi-per-kecamatan",
        title="Jumlah Koperasi per Kecamatan 2019-2025",
        title_en="Cooperatives by district 2019-2025",
        description="Jumlah koperasi terdaftar dan aktif, jumlah anggota dan volume usaha "
                    "koperasi aktif per kecamatan.",
        description_en="Registered and active cooperatives, members and business volume of "
                       "active cooperatives per district.",
        keywords=["koperasi", "cooperatives", "anggota", "ekonomi"],
        topics=["ekonomi"], category="PERIODIC", modified=date(2026, 2, 23),
        temporal=(2019, 2025),
        resources=[Resource("koperasi", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("koperasi_terdaftar", "integer", "Koperasi terdaftar"),
            ("koperasi_aktif", "integer", "Koperasi aktif"),
            ("jumlah_anggota", "integer", "Jumlah anggota"),
            ("volume_usaha", "integer", "Volume usaha (Rp)")], rows)])


def pelatihan() -> None:
    rng = rng_for("pelatihan-umkm")
    topics = ["Pemasaran digital", "Pengemasan produk", "Pembukuan sederhana",
              "Sertifikasi halal", "Pengolahan hasil perikanan", "Akses permodalan",
              "Foto produk untuk lokapasar"]
    rows = []
    for year in range(2022, 2026):
        for _ in range(rng.randint(8, 12)):
            month = rng.randint(2, 11)
            n = rng.randint(20, 60)
            rows.append([year, rng.choice(topics), rng.choice(KECAMATAN),
                         date(year, month, rng.randint(1, 28)), rng.randint(1, 3), n,
                         int(n * rng.uniform(0.4, 0.8))])
    rows.sort(key=lambda r: r[3])
    write_dataset(
        AG, "pelatihan-umkm",
        title="Pelatihan Pelaku UMKM 2022-2025",
        title_en="Training for MSME owners 2022-2025",
        description="Kegiatan pelatihan bagi pelaku UMKM: tema, kecamatan pelaksanaan, tanggal, "
                    "lama pelatihan, jumlah peserta dan peserta perempuan.",
        description_en="Training sessions for MSME owners: topic, district, date, duration, "
                       "participants and women participants.",
        keywords=["pelatihan", "training", "umkm", "capacity building", "ekonomi"],
        topics=["ekonomi"], category="PERIODIC", modified=date(2025, 12, 29),
        temporal=(2022, 2025),
        resources=[Resource("pelatihan", [
            ("tahun", "integer", "Tahun"), ("tema_pelatihan", "string", "Tema pelatihan"),
            ("kecamatan", "string", "Kecamatan pelaksanaan"),
            ("tanggal_mulai", "date", "Tanggal mulai"), ("lama_hari", "integer", "Lama (hari)"),
            ("jumlah_peserta", "integer", "Jumlah peserta"),
            ("peserta_perempuan", "integer", "Peserta perempuan")], rows)])


def per_sektor() -> None:
    rng = rng_for("umkm-per-sektor")
    rows = []
    for year in range(2019, 2026):
        growth = 1 + 0.06 * (year - 2019) - (0.05 if year == 2020 else 0)
        for kec in KECAMATAN:
            for sector, weight in zip(SEKTOR, SEKTOR_WEIGHT, strict=True):
                n = int(KECAMATAN_WEIGHT[kec] * weight * 0.5 * growth * rng.uniform(0.85, 1.15))
                rows.append([year, kec, sector, n, int(n * rng.uniform(1.6, 2.6))])
    write_dataset(
        AG, "umkm-per-sektor",
        title="Jumlah UMKM dan Tenaga Kerja per Kecamatan dan Sektor 2019-2025",
        title_en="MSMEs and their workers by district and sector 2019-2025",
        description="Jumlah UMKM dan tenaga kerja yang diserap per kecamatan dan sektor usaha, "
                    "hasil pendataan tahunan.",
        description_en="Number of MSMEs and workers employed per district and business sector, "
                       "from the annual survey.",
        keywords=["umkm", "msme", "tenaga kerja", "employment", "sektor usaha"],
        topics=["ekonomi"], category="PERIODIC", modified=date(2026, 2, 23),
        temporal=(2019, 2025),
        resources=[Resource("umkm-sektor", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("sektor", "string", "Sektor usaha"), ("jumlah_umkm", "integer", "Jumlah UMKM"),
            ("tenaga_kerja", "integer", "Tenaga kerja")], rows)])


def build() -> None:
    write_agency(AG, "Dinas Koperasi, Usaha Kecil dan Menengah Kabupaten Kubu Raya", "Diskumkm",
                 "Membina koperasi dan usaha mikro, kecil dan menengah: pendataan, pelatihan, "
                 "pendampingan dan akses permodalan.",
                 "Supports cooperatives and micro, small and medium enterprises: registration, "
                 "training, mentoring and access to finance.")
    registri()
    koperasi()
    pelatihan()
    per_sektor()
