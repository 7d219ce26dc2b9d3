"""Dinas Kesehatan: facilities, dengue, stunting, immunisation and a patient-level TB register."""

from __future__ import annotations

from datetime import date

from common import (
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

AG = "dinkes"


def fasilitas() -> None:
    rng = rng_for("fasilitas-kesehatan-per-kecamatan")
    fac, staff = [], []
    for year in range(2021, 2026):
        for kec in KECAMATAN:
            w = KECAMATAN_WEIGHT[kec]
            pkm = 1 + w // 80
            fac.append([year, kec, pkm, 1 if w >= 30 else 0, 2 + w // 25 + rng.randint(0, 2),
                        int(w * 0.45) + rng.randint(0, 8) + (year - 2021),
                        w // 40 + rng.randint(0, 3)])
            staff.append([year, kec, pkm * 2 + rng.randint(0, 3), pkm + rng.randint(0, 1),
                          int(w * 0.5) + rng.randint(5, 20), int(w * 0.4) + rng.randint(5, 15),
                          pkm + rng.randint(0, 2)])
    write_dataset(
        AG, "fasilitas-kesehatan-per-kecamatan",
        title="Fasilitas dan Tenaga Kesehatan per Kecamatan 2021-2025",
        title_en="Health facilities and health workers by district 2021-2025",
        description="Jumlah puskesmas, puskesmas pembantu, posyandu dan klinik pratama, serta "
                    "jumlah tenaga kesehatan per kecamatan setiap akhir tahun.",
        description_en="Number of community health centres, auxiliary centres, posyandu and "
                       "clinics, and of health workers, per district at the end of each year.",
        keywords=["puskesmas", "posyandu", "tenaga kesehatan", "health facilities", "kesehatan"],
        topics=["kesehatan"], category="PERIODIC", modified=date(2026, 1, 20),
        temporal=(2021, 2025),
        resources=[
            Resource("fasilitas", [
                ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
                ("puskesmas", "integer", "Jumlah puskesmas"),
                ("puskesmas_rawat_inap", "integer", "Puskesmas rawat inap"),
                ("puskesmas_pembantu", "integer", "Puskesmas pembantu"),
                ("posyandu", "integer", "Jumlah posyandu"),
                ("klinik_pratama", "integer", "Klinik pratama")], fac),
            Resource("tenaga-kesehatan", [
                ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
                ("dokter_umum", "integer", "Dokter umum"),
                ("dokter_gigi", "integer", "Dokter gigi"),
                ("perawat", "integer", "Perawat"), ("bidan", "integer", "Bidan"),
                ("tenaga_gizi", "integer", "Tenaga gizi")], staff),
        ])


def dbd() -> None:
    rng = rng_for("kasus-dbd-per-kecamatan")
    wave = {2019: 1.4, 2020: 0.8, 2021: 0.6, 2022: 1.1, 2023: 0.9, 2024: 1.8, 2025: 1.0}
    rows, monthly = [], []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            cases = max(0, int(KECAMATAN_WEIGHT[kec] * 0.5 * wave[year] * rng.uniform(0.6, 1.4)))
            deaths = sum(1 for _ in range(cases) if rng.random() < 0.006)
            rows.append([year, kec, cases, deaths,
                         round(cases * 100000 / population(kec, year), 2)])
        total = sum(r[2] for r in rows if r[0] == year)
        season = [1.8, 1.6, 1.3, 1.0, 0.7, 0.5, 0.4, 0.4, 0.5, 0.8, 1.3, 1.7]
        parts = [total * s / sum(season) for s in season]
        counts = [int(p) for p in parts]
        counts[0] += total - sum(counts)
        monthly += [[year, m + 1, c] for m, c in enumerate(counts)]
    write_dataset(
        AG, "kasus-dbd-per-kecamatan",
        title="Kasus Demam Berdarah Dengue per Kecamatan 2019-2025",
        title_en="Dengue fever cases by district 2019-2025",
        description="Jumlah kasus dan kematian akibat demam berdarah dengue (DBD) per kecamatan "
                    "per tahun, angka kesakitan per 100.000 penduduk, dan rekap bulanan "
                    "kabupaten. Diumumkan serta-merta saat terjadi peningkatan kasus.",
        description_en="Dengue cases and deaths per district and year, incidence per 100,000 "
                       "inhabitants, and a monthly regency total. Announced immediately "
                       "during outbreaks.",
        keywords=["dbd", "demam berdarah", "dengue", "kesehatan", "outbreak", "wabah"],
        topics=["kesehatan"], category="IMMEDIATE", modified=date(2026, 2, 3),
        temporal=(2019, 2025),
        resources=[
            Resource("kasus", [
                ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
                ("jumlah_kasus", "integer", "Jumlah kasus"),
                ("jumlah_meninggal", "integer", "Jumlah meninggal"),
                ("angka_kesakitan", "number", "Angka kesakitan per 100.000 penduduk")], rows),
            Resource("kasus-bulanan", [
                ("tahun", "integer", "Tahun"), ("bulan", "integer", "Bulan"),
                ("jumlah_kasus", "integer", "Jumlah kasus se-kabupaten")], monthly),
        ])


def stunting() -> None:
    rng = rng_for("prevalensi-stunting-balita")
    rows = []
    for year in range(2021, 2026):
        for kec in KECAMATAN:
            measured = int(KECAMATAN_WEIGHT[kec] * 75 * rng.uniform(0.9, 1.05))
            rate = max(0.05, (0.30 - 0.025 * (year - 2021)) * rng.uniform(0.7, 1.3))
            stunted = int(measured * rate)
            rows.append([year, kec, measured, stunted, round(100 * stunted / measured, 2)])
    write_dataset(
        AG, "prevalensi-stunting-balita",
        title="Prevalensi Stunting Balita per Kecamatan 2021-2025",
        title_en="Stunting prevalence among children under five by district 2021-2025",
        description="Jumlah balita yang diukur pada bulan penimbangan, jumlah balita stunting "
                    "dan prevalensinya per kecamatan.",
        description_en="Children under five measured during weighing month, number stunted "
                       "and prevalence per district.",
        keywords=["stunting", "gizi", "balita", "nutrition", "kesehatan"],
        topics=["kesehatan", "sosial"], category="PERIODIC", modified=date(2026, 3, 2),
        temporal=(2021, 2025),
        resources=[Resource("stunting", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("balita_diukur", "integer", "Balita diukur"),
            ("balita_stunting", "integer", "Balita stunting"),
            ("prevalensi_persen", "number", "Prevalensi (%)")], rows)])


def imunisasi() -> None:
    rng = rng_for("cakupan-imunisasi-dasar")
    rows = []
    for year in range(2019, 2026):
        for kec in KECAMATAN:
            target = int(KECAMATAN_WEIGHT[kec] * 18 * rng.uniform(0.95, 1.05))
            cov = min(0.99, rng.uniform(0.78, 0.97) - (0.12 if year in (2020, 2021) else 0))
            done = int(target * cov)
            rows.append([year, kec, target, done, round(100 * done / target, 2)])
    write_dataset(
        AG, "cakupan-imunisasi-dasar",
        title="Cakupan Imunisasi Dasar Lengkap per Kecamatan 2019-2025",
        title_en="Complete basic immunisation coverage by district 2019-2025",
        description="Sasaran bayi, jumlah bayi yang mendapat imunisasi dasar lengkap dan "
                    "persentase cakupannya per kecamatan.",
        description_en="Target infants, infants fully immunised and coverage per district.",
        keywords=["imunisasi", "immunisation", "vaksin", "bayi", "kesehatan"],
        topics=["kesehatan"], category="PERIODIC", modified=date(2026, 1, 28),
        temporal=(2019, 2025), license="ODbL-1.0",
        resources=[Resource("imunisasi", [
            ("tahun", "integer", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("sasaran_bayi", "integer", "Sasaran bayi"),
            ("imunisasi_dasar_lengkap", "integer", "Bayi imunisasi dasar lengkap"),
            ("cakupan_persen", "number", "Cakupan (%)")], rows)])


def tbc() -> None:
    rng = rng_for("register-pasien-tbc")
    statuses = ["sembuh", "pengobatan lengkap", "sedang berobat", "putus berobat", "meninggal"]
    rows = []
    for year in range(2021, 2026):
        for _ in range(rng.randint(70, 95)):
            kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
            status = "sedang berobat" if year == 2025 and rng.random() < 0.6 else \
                rng.choices(statuses, weights=[50, 30, 5, 8, 3])[0]
            rows.append([nik(rng), person(rng), rng.randint(5, 78), rng.choice("LP"), kec, year,
                         status])
    test = ("Membuka NIK dan nama pasien TBC mengungkap riwayat kesehatan seseorang dan dapat "
            "menimbulkan stigma; statistik per kecamatan tetap terbuka sehingga kepentingan "
            "publik tetap terlayani tanpa membuka identitas.")
    write_dataset(
        AG, "register-pasien-tbc",
        title="Register Pasien Tuberkulosis 2021-2025",
        title_en="Tuberculosis patient register 2021-2025",
        description="Register pasien tuberkulosis (TBC) per pasien: umur, jenis kelamin, "
                    "kecamatan, tahun mulai pengobatan dan status pengobatan. NIK dan nama "
                    "pasien dikecualikan.",
        description_en="Patient-level tuberculosis register: age, sex, district, year treatment "
                       "started and treatment outcome. Patient ID numbers and names are withheld.",
        keywords=["tbc", "tuberkulosis", "tuberculosis", "register pasien", "kesehatan"],
        topics=["kesehatan"], category="ON_REQUEST", modified=date(2026, 2, 16),
        temporal=(2021, 2025),
        exemptions=[ex_field("nik_pasien", "PASAL_17H", test, 14, date(2025, 3, 10)),
                    ex_field("nama_pasien", "PASAL_17H", test, 14, date(2025, 3, 10))],
        resources=[Resource("register", [
            ("nik_pasien", "string", "NIK pasien"), ("nama_pasien", "string", "Nama pasien"),
            ("umur", "integer", "Umur (tahun)"), ("jenis_kelamin", "string", "Jenis kelamin"),
            ("kecamatan", "string", "Kecamatan"), ("tahun", "integer", "Tahun"),
            ("status_pengobatan", "string", "Status pengobatan")], rows)])


def build() -> None:
    write_agency(AG, "Dinas Kesehatan Kabupaten Kubu Raya", "Dinkes",
                 "Menyelenggarakan urusan kesehatan: puskesmas, pencegahan dan pengendalian "
                 "penyakit, gizi masyarakat dan tenaga kesehatan.",
                 "Runs public health: health centres, disease prevention and control, "
                 "community nutrition and the health workforce.")
    fasilitas()
    dbd()
    stunting()
    imunisasi()
    tbc()
