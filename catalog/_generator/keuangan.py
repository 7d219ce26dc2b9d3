"""Badan Keuangan dan Aset Daerah: budget realisation, own-source revenue, APBD, land assets."""

from __future__ import annotations

from datetime import date

from common import (
    DESA,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    OPD,
    Resource,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "bkad"
# rough share of the regency's spending, in billions of rupiah per year
OPD_PAGU = {"Dinkes": 260, "Disdikbud": 520, "PUPR": 310, "Disdukcapil": 14, "Diskominfo": 22,
            "Bappeda": 16, "BPBD": 12, "DLH": 28, "Diskumkm": 11, "Dinsos": 19, "BKAD": 60,
            "Sekretariat Daerah": 85, "Sekretariat DPRD": 70, "Inspektorat": 13,
            "Dinas Perhubungan": 24, "Dinas Pertanian": 46, "Satpol PP": 18, "RSUD Kubu Raya": 120}


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2)


def realisasi_opd() -> None:
    rng = rng_for("realisasi-apbd-per-opd")
    rows = []
    for year in range(2019, 2026):
        for opd in OPD:
            covid = 0.9 if year == 2020 else 1.0
            budget = int(OPD_PAGU[opd] * 1e9 * (1 + 0.045 * (year - 2019)) * covid
                         * rng.uniform(0.93, 1.07)) // 1000 * 1000
            spent = int(budget * rng.uniform(0.82, 0.985)) // 1000 * 1000
            rows.append([year, opd, budget, spent, _pct(spent, budget)])
    write_dataset(
        AG, "realisasi-apbd-per-opd",
        title="Anggaran dan Realisasi Belanja APBD per Perangkat Daerah 2019-2025",
        title_en="Budget and spending by regional agency 2019-2025",
        description="Pagu anggaran belanja setelah perubahan dan realisasinya per perangkat "
                    "daerah (OPD) per tahun anggaran, dengan persentase realisasi.",
        description_en="Revised expenditure budget and actual spending per regional agency "
                       "and fiscal year, with the realisation rate.",
        keywords=["apbd", "anggaran", "realisasi", "budget", "spending", "keuangan"],
        topics=["keuangan"], category="PERIODIC", modified=date(2026, 3, 31),
        temporal=(2019, 2025),
        resources=[Resource("realisasi", [
            ("tahun", "integer", "Tahun anggaran"), ("opd", "string", "Perangkat daerah"),
            ("anggaran", "integer", "Anggaran (Rp)"), ("realisasi", "integer", "Realisasi (Rp)"),
            ("persentase", "number", "Persentase realisasi (%)")], rows)])


def pad() -> None:
    rng = rng_for("pendapatan-asli-daerah")
    groups = [("Pajak daerah", 95), ("Retribusi daerah", 18),
              ("Hasil pengelolaan kekayaan daerah yang dipisahkan", 9),
              ("Lain-lain PAD yang sah", 42)]
    taxes = [("PBB-P2", 22), ("BPHTB", 38), ("Pajak restoran", 9), ("Pajak hotel", 2),
             ("Pajak penerangan jalan", 14), ("Pajak reklame", 2), ("Pajak air tanah", 1),
             ("Pajak mineral bukan logam dan batuan", 5), ("Pajak sarang burung walet", 2)]
    rows, tax_rows = [], []
    for year in range(2019, 2026):
        grow = (1 + 0.08 * (year - 2019)) * (0.88 if year == 2020 else 1.0)
        for name, base in groups:
            target = int(base * 1e9 * grow * rng.uniform(0.97, 1.05)) // 1_000_000 * 1_000_000
            actual = int(target * rng.uniform(0.86, 1.08)) // 1000 * 1000
            rows.append([year, name, target, actual, _pct(actual, target)])
        for name, base in taxes:
            target = int(base * 1e9 * grow * rng.uniform(0.95, 1.05)) // 1_000_000 * 1_000_000
            actual = int(target * rng.uniform(0.8, 1.12)) // 1000 * 1000
            tax_rows.append([year, name, target, actual, _pct(actual, target)])
    fields = [("tahun", "integer", "Tahun anggaran"), ("jenis", "string", "Jenis pendapatan"),
              ("target", "integer", "Target (Rp)"), ("realisasi", "integer", "Realisasi (Rp)"),
              ("persentase", "number", "Persentase realisasi (%)")]
    write_dataset(
        AG, "pendapatan-asli-daerah",
        title="Target dan Realisasi Pendapatan Asli Daerah 2019-2025",
        title_en="Own-source revenue: targets and results 2019-2025",
        description="Target dan realisasi Pendapatan Asli Daerah (PAD) menurut kelompok "
                    "pendapatan, dan rincian realisasi pajak daerah menurut jenis pajak.",
        description_en="Targets and results of own-source revenue by revenue group, and local "
                       "tax receipts by type of tax.",
        keywords=["pad", "pendapatan asli daerah", "pajak daerah", "revenue", "tax"],
        topics=["keuangan"], category="PERIODIC", modified=date(2026, 3, 31),
        temporal=(2019, 2025),
        resources=[Resource("pad", fields, rows),
                   Resource("pajak-daerah", [("tahun", "integer", "Tahun anggaran"),
                                             ("jenis_pajak", "string", "Jenis pajak"),
                                             *fields[2:]], tax_rows)])


def ringkasan() -> None:
    rng = rng_for("ringkasan-apbd")
    rows = []
    for year in range(2019, 2026):
        grow = 1 + 0.05 * (year - 2019)
        income = int(1_650e9 * grow * rng.uniform(0.97, 1.03)) // 1_000_000 * 1_000_000
        spend = int(income * rng.uniform(1.01, 1.06)) // 1_000_000 * 1_000_000
        inflow = spend - income + rng.randint(5, 30) * 1_000_000_000
        outflow = inflow - (spend - income)
        for part, budget, rate in (("Pendapatan daerah", income, rng.uniform(0.94, 1.02)),
                                   ("Belanja daerah", spend, rng.uniform(0.86, 0.95)),
                                   ("Penerimaan pembiayaan", inflow, 1.0),
                                   ("Pengeluaran pembiayaan", outflow, rng.uniform(0.9, 1.0))):
            actual = int(budget * rate) // 1000 * 1000
            rows.append([year, part, budget, actual, _pct(actual, budget)])
    write_dataset(
        AG, "ringkasan-apbd",
        title="Ringkasan APBD dan Realisasinya 2019-2025",
        title_en="Summary of the regional budget (APBD) and its realisation 2019-2025",
        description="Ringkasan anggaran pendapatan dan belanja daerah setelah perubahan serta "
                    "realisasinya: pendapatan, belanja, penerimaan dan pengeluaran pembiayaan.",
        description_en="Summary of the revised regional budget and its realisation: revenue, "
                       "expenditure, financing receipts and financing expenditure.",
        keywords=["apbd", "ringkasan anggaran", "budget summary", "keuangan daerah"],
        topics=["keuangan"], category="PERIODIC", modified=date(2026, 3, 31),
        temporal=(2019, 2025), license="CC0-1.0",
        resources=[Resource("ringkasan", [
            ("tahun", "integer", "Tahun anggaran"), ("komponen", "string", "Komponen APBD"),
            ("anggaran", "integer", "Anggaran (Rp)"), ("realisasi", "integer", "Realisasi (Rp)"),
            ("persentase", "number", "Persentase realisasi (%)")], rows)])


def aset_tanah() -> None:
    rng = rng_for("daftar-aset-tanah")
    uses = [("Tanah kantor desa", "Sekretariat Daerah"), ("Tanah bangunan SD", "Disdikbud"),
            ("Tanah bangunan SMP", "Disdikbud"), ("Tanah puskesmas", "Dinkes"),
            ("Tanah posyandu", "Dinkes"), ("Tanah jalan", "PUPR"), ("Tanah TPS", "DLH"),
            ("Tanah pasar", "Diskumkm"), ("Tanah lapangan olahraga", "Disdikbud")]
    rows = []
    for i in range(120):
        kec = rng.choices(KECAMATAN, weights=list(KECAMATAN_WEIGHT.values()))[0]
        use, opd = rng.choice(uses)
        area = rng.randint(150, 12000)
        year = rng.randint(2008, 2025)
        rows.append([f"1.3.1.{i + 1:05d}", f"{use} {rng.choice(DESA[kec])}", kec, area,
                     rng.choices(["bersertifikat", "belum bersertifikat"], weights=[3, 2])[0],
                     area * rng.randint(60, 450) * 1000, year, opd])
    write_dataset(
        AG, "daftar-aset-tanah",
        title="Daftar Aset Tanah Milik Pemerintah Kabupaten",
        title_en="Land assets owned by the regency government",
        description="Inventaris tanah milik pemerintah kabupaten: penggunaan, lokasi, luas, "
                    "status sertifikat, nilai perolehan, tahun perolehan dan perangkat daerah "
                    "pengguna.",
        description_en="Inventory of regency-owned land: use, location, area, title status, "
                       "acquisition value and year, and the agency using it.",
        keywords=["aset daerah", "tanah", "barang milik daerah", "assets", "land"],
        topics=["keuangan"], category="PERIODIC", modified=date(2025, 12, 31),
        temporal=(2025, 2025),
        resources=[Resource("aset-tanah", [
            ("kode_aset", "string", "Kode aset"), ("nama_aset", "string", "Nama aset"),
            ("kecamatan", "string", "Kecamatan"), ("luas_m2", "integer", "Luas (m²)"),
            ("status_sertifikat", "string", "Status sertifikat"),
            ("nilai_perolehan", "integer", "Nilai perolehan (Rp)"),
            ("tahun_perolehan", "integer", "Tahun perolehan"),
            ("opd_pengguna", "string", "Perangkat daerah pengguna")], rows)])


def build() -> None:
    write_agency(AG, "Badan Keuangan dan Aset Daerah Kabupaten Kubu Raya", "BKAD",
                 "Mengelola keuangan daerah: penganggaran, perbendaharaan, akuntansi, "
                 "pendapatan daerah dan barang milik daerah.",
                 "Manages regional finance: budgeting, treasury, accounting, local revenue and "
                 "regional assets.")
    realisasi_opd()
    pad()
    ringkasan()
    aset_tanah()
