"""Badan Perencanaan Pembangunan Daerah: RPJMD indicators, musrenbang, HDI, an exempt memo."""

from __future__ import annotations

from datetime import date

from common import (
    DESA,
    KECAMATAN,
    KECAMATAN_WEIGHT,
    Resource,
    ex_dataset,
    rng_for,
    write_agency,
    write_dataset,
)

AG = "bappeda"
# indicator, unit, 2021 value, yearly change, higher is better
INDIKATOR = [
    ("Indeks Pembangunan Manusia", "indeks", 67.9, 0.55, True),
    ("Persentase penduduk miskin", "persen", 5.2, -0.15, False),
    ("Tingkat pengangguran terbuka", "persen", 6.4, -0.25, False),
    ("Laju pertumbuhan ekonomi", "persen", 3.1, 0.45, True),
    ("Rasio gini", "rasio", 0.31, -0.004, False),
    ("Rata-rata lama sekolah", "tahun", 7.1, 0.12, True),
    ("Usia harapan hidup", "tahun", 70.2, 0.2, True),
    ("Prevalensi stunting balita", "persen", 29.0, -2.4, False),
    ("Persentase panjang jalan kabupaten kondisi mantap", "persen", 58.0, 3.0, True),
    ("Indeks kualitas lingkungan hidup", "indeks", 66.0, 0.6, True),
    ("Persentase rumah tangga dengan akses air minum layak", "persen", 78.0, 2.1, True),
    ("Indeks sistem pemerintahan berbasis elektronik", "indeks", 2.6, 0.25, True),
]


def rpjmd() -> None:
    rng = rng_for("indikator-kinerja-rpjmd")
    rows = []
    for name, unit, base, step, up in INDIKATOR:
        for year in range(2021, 2026):
            target = base + step * (year - 2021) * 1.1
            actual = base + step * (year - 2021) * rng.uniform(0.7, 1.25)
            ratio = actual / target if up else (2 - actual / target)
            digits = 3 if unit == "rasio" else 2
            rows.append([name, unit, year, round(target, digits), round(actual, digits),
                         round(100 * ratio, 2)])
    write_dataset(
        AG, "indikator-kinerja-rpjmd",
        title="Capaian Indikator Kinerja Utama RPJMD 2021-2026",
        title_en="Key performance indicators of the medium-term development plan (RPJMD)",
        description="Target dan realisasi indikator kinerja utama Rencana Pembangunan Jangka "
                    "Menengah Daerah (RPJMD) 2021-2026 per tahun, dengan persentase capaian.",
        description_en="Targets and results of the key indicators of the 2021-2026 regional "
                       "medium-term development plan, by year, with achievement rates.",
        keywords=["rpjmd", "indikator kinerja", "perencanaan", "development plan", "kpi"],
        topics=["perencanaan"], category="PERIODIC", modified=date(2026, 4, 8),
        temporal=(2021, 2025),
        resources=[Resource("indikator", [
            ("indikator", "string", "Indikator"), ("satuan", "string", "Satuan"),
            ("tahun", "integer", "Tahun"), ("target", "number", "Target"),
            ("realisasi", "number", "Realisasi"), ("capaian_persen", "number", "Capaian (%)")],
            rows)])


USULAN = {
    "infrastruktur": ["Semenisasi jalan lingkungan", "Pembangunan jembatan titian",
                      "Normalisasi parit", "Pemasangan lampu jalan", "Pembangunan drainase"],
    "pendidikan": ["Rehabilitasi ruang kelas", "Pengadaan buku perpustakaan desa",
                   "Pembangunan PAUD"],
    "kesehatan": ["Pembangunan posyandu", "Pengadaan alat kesehatan pustu",
                  "Penyediaan air bersih"],
    "ekonomi": ["Pelatihan pengolahan hasil perikanan", "Bantuan alat tangkap nelayan",
                "Pembangunan pasar desa"],
    "sosial budaya": ["Rehabilitasi balai adat", "Pembinaan sanggar seni",
                      "Pembangunan lapangan olahraga"],
}
OPD_TUJUAN = {"infrastruktur": "PUPR", "pendidikan": "Disdikbud", "kesehatan": "Dinkes",
              "ekonomi": "Diskumkm", "sosial budaya": "Disdikbud"}


def musrenbang() -> None:
    rng = rng_for("usulan-musrenbang")
    rows = []
    for year in (2024, 2025, 2026):
        for kec in KECAMATAN:
            for rank in range(1, 8 + KECAMATAN_WEIGHT[kec] // 40):
                field = rng.choices(list(USULAN), weights=[8, 2, 2, 2, 1])[0]
                cost = rng.randrange(50, 2500) * 1_000_000
                status = ("dalam pembahasan" if year == 2026 else
                          rng.choices(["diakomodasi", "ditunda", "tidak diakomodasi"],
                                      weights=[5, 3, 2])[0])
                desa = rng.choice(DESA[kec])
                rows.append([year, kec, desa, f"{rng.choice(USULAN[field])} di Desa {desa}",
                             field, OPD_TUJUAN[field], cost, rank, status])
    write_dataset(
        AG, "usulan-musrenbang",
        title="Usulan Musrenbang Kecamatan 2024-2026",
        title_en="District development-planning (musrenbang) proposals 2024-2026",
        description="Usulan prioritas hasil Musyawarah Perencanaan Pembangunan (Musrenbang) "
                    "kecamatan untuk RKPD, dengan bidang, perangkat daerah tujuan, perkiraan "
                    "biaya, peringkat prioritas dan status.",
        description_en="Priority proposals from district development-planning meetings for the "
                       "annual work plan, with sector, responsible agency, estimated cost, "
                       "priority rank and status.",
        keywords=["musrenbang", "usulan", "rkpd", "participatory planning", "perencanaan"],
        topics=["perencanaan"], category="PERIODIC", modified=date(2026, 4, 20),
        temporal=(2024, 2026),
        resources=[Resource("usulan", [
            ("tahun_rkpd", "integer", "Tahun RKPD"), ("kecamatan", "string", "Kecamatan"),
            ("desa", "string", "Desa"), ("usulan", "string", "Usulan kegiatan"),
            ("bidang", "string", "Bidang"), ("opd_tujuan", "string", "Perangkat daerah tujuan"),
            ("perkiraan_biaya", "integer", "Perkiraan biaya (Rp)"),
            ("peringkat_prioritas", "integer", "Peringkat prioritas"),
            ("status", "string", "Status usulan")], rows)])


def ipm() -> None:
    rng = rng_for("indeks-pembangunan-manusia")
    rows = []
    for year in range(2019, 2026):
        t = year - 2019
        uhh = 70.0 + 0.18 * t
        hls = 12.1 + 0.08 * t
        rls = 6.9 + 0.11 * t
        spend = 8900 + 210 * t + rng.randint(-60, 60)
        value = 66.9 + 0.52 * t + rng.uniform(-0.1, 0.1)
        rows.append([year, round(uhh, 2), round(hls, 2), round(rls, 2), spend, round(value, 2)])
    write_dataset(
        AG, "indeks-pembangunan-manusia",
        title="Indeks Pembangunan Manusia dan Komponennya 2019-2025",
        title_en="Human Development Index and its components 2019-2025",
        description="Indeks Pembangunan Manusia (IPM) kabupaten dan komponennya: usia harapan "
                    "hidup, harapan lama sekolah, rata-rata lama sekolah dan pengeluaran per "
                    "kapita disesuaikan (ribu rupiah).",
        description_en="The regency's Human Development Index and its components: life "
                       "expectancy, expected and mean years of schooling, adjusted per-capita "
                       "expenditure (thousand rupiah).",
        keywords=["ipm", "hdi", "human development", "pembangunan manusia", "perencanaan"],
        topics=["perencanaan", "sosial"], category="PERIODIC", modified=date(2026, 1, 12),
        temporal=(2019, 2025), license="CC0-1.0",
        resources=[Resource("ipm", [
            ("tahun", "integer", "Tahun"), ("usia_harapan_hidup", "number", "Usia harapan hidup"),
            ("harapan_lama_sekolah", "number", "Harapan lama sekolah"),
            ("rata_rata_lama_sekolah", "number", "Rata-rata lama sekolah"),
            ("pengeluaran_per_kapita", "integer", "Pengeluaran per kapita (ribu Rp)"),
            ("ipm", "number", "IPM")], rows)])


def memo() -> None:
    rows = [
        ["001/MEMO/BAPPEDA/2025", date(2025, 3, 4), "Catatan awal pagu indikatif RKPD 2026",
         "Kepala Bappeda", "Sekretaris Daerah"],
        ["002/MEMO/BAPPEDA/2025", date(2025, 3, 18), "Telaahan usulan prioritas kecamatan",
         "Kabid Perencanaan", "Kepala Bappeda"],
        ["003/MEMO/BAPPEDA/2025", date(2025, 4, 2), "Rancangan penyesuaian program prioritas",
         "Kepala Bappeda", "TAPD"],
        ["004/MEMO/BAPPEDA/2025", date(2025, 4, 22), "Bahan rapat pimpinan pembahasan RKPD",
         "Sekretaris Bappeda", "Kepala Bappeda"],
        ["005/MEMO/BAPPEDA/2025", date(2025, 5, 9), "Catatan hasil konsultasi publik RKPD",
         "Kabid Perencanaan", "TAPD"],
    ]
    test = ("Memorandum internal berisi pertimbangan yang belum diputuskan; membukanya dapat "
            "mengganggu musyawarah perencanaan yang bebas. Dokumen RKPD final yang telah "
            "ditetapkan tetap diumumkan secara berkala.")
    write_dataset(
        AG, "draf-memorandum-internal-rkpd",
        title="Draf Memorandum Internal Penyusunan RKPD 2026",
        title_en="Internal draft memoranda for the 2026 annual work plan",
        description="Memorandum internal antarbidang selama penyusunan Rencana Kerja Pemerintah "
                    "Daerah (RKPD) 2026. Dikecualikan seluruhnya berdasarkan Pasal 17 huruf i "
                    "UU KIP; hanya metadata dan uji konsekuensinya yang diumumkan.",
        description_en="Internal memoranda exchanged while drafting the 2026 annual work plan. "
                       "Withheld whole under Article 17(i) of the Public Information Disclosure "
                       "Act; only the metadata and the consequence test are published.",
        keywords=["rkpd", "memorandum", "dikecualikan", "exempt", "internal memo"],
        topics=["perencanaan"], category="EXEMPT", modified=date(2025, 5, 20),
        temporal=(2025, 2025),
        exemptions=[ex_dataset("PASAL_17I", test, 31, date(2025, 5, 20))],
        resources=[Resource("memorandum", [
            ("nomor_memo", "string", "Nomor memo"), ("tanggal", "date", "Tanggal"),
            ("perihal", "string", "Perihal"), ("dari", "string", "Dari (jabatan)"),
            ("kepada", "string", "Kepada (jabatan)")], rows)])


def build() -> None:
    write_agency(AG, "Badan Perencanaan Pembangunan Daerah Kabupaten Kubu Raya", "Bappeda",
                 "Menyusun dan mengendalikan perencanaan pembangunan daerah: RPJPD, RPJMD, RKPD "
                 "dan Musrenbang.",
                 "Prepares and monitors regional development plans (long-term, medium-term and "
                 "annual) and runs the participatory planning meetings.")
    rpjmd()
    musrenbang()
    ipm()
    memo()
