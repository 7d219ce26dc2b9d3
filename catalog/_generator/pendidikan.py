"""Dinas Pendidikan dan Kebudayaan: schools, dropouts, heritage objects and arts groups."""

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

AG = "disdikbud"


def sekolah() -> None:
    rng = rng_for("statistik-sekolah-per-kecamatan")
    rows = []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            pop = population(kec, year)
            for level, share, per_school, ratio in (("SD", 0.125, 190, 16),
                                                    ("SMP", 0.055, 260, 15)):
                pupils = int(pop * share * rng.uniform(0.96, 1.04))
                schools = max(1, round(pupils / per_school))
                teachers = int(pupils / ratio * rng.uniform(0.9, 1.1))
                rows.append([year, kec, level, schools, pupils, teachers])
    write_dataset(
        AG, "statistik-sekolah-per-kecamatan",
        title="Jumlah Sekolah, Siswa dan Guru SD dan SMP per Kecamatan 2019-2025",
        title_en="Primary and junior secondary schools, pupils and teachers by district 2019-2025",
        description="Jumlah satuan pendidikan, peserta didik dan guru jenjang SD dan SMP (negeri "
                    "dan swasta) per kecamatan pada awal tahun ajaran.",
        description_en="Number of schools, pupils and teachers at primary (SD) and junior "
                       "secondary (SMP) level, public and private, per district at the start "
                       "of each school year.",
        keywords=["sekolah", "siswa", "guru", "school", "education", "pendidikan"],
        topics=["pendidikan"], category="PERIODIC", modified=date(2025, 9, 15),
        temporal=(2019, 2025),
        resources=[Resource("sekolah", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("jenjang", "string", "Jenjang pendidikan"),
            ("jumlah_sekolah", "integer", "Jumlah sekolah"),
            ("jumlah_siswa", "integer", "Jumlah siswa"),
            ("jumlah_guru", "integer", "Jumlah guru")], rows)])


def putus_sekolah() -> None:
    rng = rng_for("angka-putus-sekolah")
    rows = []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            for level, share, rate in (("SD", 0.125, 0.004), ("SMP", 0.055, 0.011)):
                pupils = int(population(kec, year) * share)
                remote = 1.6 if kec in ("Batu Ampar", "Kubu", "Teluk Pakedai", "Terentang") else 1
                drop = int(pupils * rate * remote * rng.uniform(0.6, 1.4))
                rows.append([year, kec, level, drop, round(100 * drop / pupils, 2)])
    write_dataset(
        AG, "angka-putus-sekolah",
        title="Angka Putus Sekolah SD dan SMP per Kecamatan 2019-2025",
        title_en="School dropout rates, primary and junior secondary, by district 2019-2025",
        description="Jumlah siswa putus sekolah dan angka putus sekolah per jenjang dan kecamatan.",
        description_en="Pupils who dropped out and dropout rate by level and district.",
        keywords=["putus sekolah", "dropout", "pendidikan", "education"],
        topics=["pendidikan", "sosial"], category="PERIODIC", modified=date(2025, 10, 6),
        temporal=(2019, 2025),
        resources=[Resource("putus-sekolah", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("jenjang", "string", "Jenjang pendidikan"),
            ("siswa_putus_sekolah", "integer", "Siswa putus sekolah"),
            ("angka_putus_sekolah_persen", "number", "Angka putus sekolah (%)")], rows)])


def cagar_budaya() -> None:
    rng = rng_for("daftar-cagar-budaya")
    kinds = [("bangunan", ["Rumah Adat", "Masjid Tua", "Surau Lama", "Gudang Kopra",
                           "Rumah Panggung"]),
             ("situs", ["Situs Makam Kuno", "Situs Bekas Dermaga", "Situs Permukiman Lama"]),
             ("benda", ["Meriam Kuno", "Prasasti Kayu", "Perahu Lancang"]),
             ("struktur", ["Tugu Peringatan", "Parit Lama", "Jembatan Kayu Tua"])]
    rows = []
    for i in range(30):
        kind, names = rng.choice(kinds)
        kec = rng.choice(KECAMATAN)
        desa = rng.choice(DESA[kec])
        status = rng.choices(["ditetapkan", "diduga cagar budaya"], weights=[1, 2])[0]
        rows.append([f"CB-{i + 1:03d}", f"{rng.choice(names)} {desa}", kind, kec, desa, status,
                     rng.randint(2019, 2025)])
    write_dataset(
        AG, "daftar-cagar-budaya",
        title="Daftar Objek Cagar Budaya dan Objek Diduga Cagar Budaya",
        title_en="Register of heritage objects and suspected heritage objects",
        description="Objek cagar budaya yang telah ditetapkan dan objek yang diduga cagar budaya "
                    "hasil pendataan, dengan jenis, lokasi kecamatan dan desa, serta tahun "
                    "pendataan.",
        description_en="Designated heritage objects and objects suspected to be heritage, with "
                       "type, district and village, and year recorded.",
        keywords=["cagar budaya", "heritage", "kebudayaan", "culture", "sejarah"],
        topics=["pendidikan"], category="PERIODIC", modified=date(2025, 11, 12),
        temporal=(2019, 2025), license="CC0-1.0",
        resources=[Resource("cagar-budaya", [
            ("kode", "string", "Kode objek"), ("nama_objek", "string", "Nama objek"),
            ("jenis", "string", "Jenis objek"), ("kecamatan", "string", "Kecamatan"),
            ("desa", "string", "Desa"), ("status_penetapan", "string", "Status penetapan"),
            ("tahun_pendataan", "integer", "Tahun pendataan")], rows)])


def sanggar() -> None:
    rng = rng_for("sanggar-seni-budaya")
    arts = ["tari", "musik", "teater", "kriya", "sastra lisan"]
    prefix = ["Sanggar", "Sanggar Seni", "Komunitas", "Padepokan"]
    rows = []
    suffixes = ["Budaya", "Lestari", "Kapuas", "Pesisir", "Bersatu", "Muda"]
    for _ in range(42):
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        name = f"{rng.choice(prefix)} {rng.choice(GIVEN_NAMES)} {rng.choice(suffixes)}"
        rows.append([name, kec, rng.choice(arts), rng.randint(8, 60), rng.randint(1995, 2024),
                     rng.random() < 0.7])
    write_dataset(
        AG, "sanggar-seni-budaya",
        title="Sanggar Seni dan Komunitas Budaya Terdaftar",
        title_en="Registered arts studios and cultural communities",
        description="Sanggar seni dan komunitas budaya yang terdaftar di Disdikbud, dengan "
                    "bidang seni, jumlah anggota, tahun berdiri dan status keaktifan.",
        description_en="Arts studios and cultural communities registered with the agency, with "
                       "art form, members, year founded and whether active.",
        keywords=["sanggar", "seni", "arts", "kebudayaan", "culture"],
        topics=["pendidikan"], category="PERIODIC", modified=date(2025, 8, 4),
        temporal=(2024, 2025),
        resources=[Resource("sanggar", [
            ("nama_sanggar", "string", "Nama sanggar"), ("kecamatan", "string", "Kecamatan"),
            ("bidang_seni", "string", "Bidang seni"),
            ("jumlah_anggota", "integer", "Jumlah anggota"),
            ("tahun_berdiri", "integer", "Tahun berdiri"), ("aktif", "boolean", "Masih aktif")],
            rows)])


def build() -> None:
    write_agency(AG, "Dinas Pendidikan dan Kebudayaan Kabupaten Kubu Raya", "Disdikbud",
                 "Menyelenggarakan urusan pendidikan anak usia dini, pendidikan dasar dan "
                 "kebudayaan di Kabupaten Kubu Raya.",
                 "Runs early-childhood and basic education and cultural affairs in the regency.")
    sekolah()
    putus_sekolah()
    cagar_budaya()
    sanggar()
