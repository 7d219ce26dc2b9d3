"""The articles the service cites, each once, with the words of the law it is checked against.

Every "Pasal ..." a page, letter, e-mail or API description prints is built here, so a
reviewer checks one table against UU 14/2008 (UU KIP), PP 61/2010 and Perki 1/2021 and
a test checks that nothing is printed that is not in it. `ours` marks a rule the law leaves
open and the service decides (kip-rules.md lists them): the article is what the rule follows
from, not what it says. The excerpt is the statute's own sentence, shortened with "...".

One printed form everywhere: "UU KIP Pasal 22 ayat (7) huruf c", as Indonesian legal texts
write it; a range of letters or paragraphs is written "huruf c-e", "ayat (2)-(3)".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Law(StrEnum):
    UU_KIP = "UU KIP"  # Undang-Undang No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik
    PP_61_2010 = "PP 61/2010"  # its Government Regulation
    PERKI_1_2021 = "Perki 1/2021"  # Peraturan Komisi Informasi No. 1 Tahun 2021 (service standard)


OUR_RULE = "aturan kami / our rule"


@dataclass(frozen=True)
class Article:
    """One citable place of a law: Pasal, ayat and huruf as the law numbers them."""

    law: Law
    pasal: str  # "36", or a run "47-48"; "" cites the regulation as a whole
    ayat: str = ""  # "1", or a run "2-3"
    huruf: str = ""  # "c", or a run "c-e"
    excerpt: str = ""  # the law's own words (Indonesian), for the reviewer
    ours: bool = False  # a rule citing this article is ours, not the law's
    angka: str = ""  # a numbered item under a huruf ("5"), as Perki 1/2021 Pasal 56 numbers them

    @property
    def pasal_text(self) -> str:
        """ "Pasal 22 ayat (7) huruf c-e", without the law's name."""
        if not self.pasal:
            return ""
        text = f"Pasal {self.pasal}"
        if self.ayat:
            text += " ayat " + "-".join(f"({part})" for part in self.ayat.split("-"))
        if self.huruf:
            text += f" huruf {self.huruf}"
        if self.angka:
            text += f" angka {self.angka}"
        return text

    @property
    def text(self) -> str:
        """ "UU KIP Pasal 36 ayat (2)", with "(aturan kami / our rule)" for our rules."""
        if self.ours and not self.pasal:
            return OUR_RULE  # a rule of ours that follows from no one article
        cited = f"{self.law.value} {self.pasal_text}".strip()
        return f"{cited} ({OUR_RULE})" if self.ours else cited

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Citation:
    """Several articles cited together: "UU KIP Pasal 22 ayat (7) huruf c, Pasal 17, Pasal 19"."""

    articles: tuple[Article, ...]

    @property
    def text(self) -> str:
        parts: list[str] = []
        law: Law | None = None
        for article in self.articles:
            # the law's name once per run of articles of the same law
            part = article.text if article.law is not law else article.pasal_text
            if article.ours and article.law is law:
                part += f" ({OUR_RULE})"
            parts.append(part)
            law = article.law
        return ", ".join(parts)

    @property
    def pasal_text(self) -> str:
        """ "Pasal 22 ayat (7) huruf c, Pasal 17": without the laws' names."""
        return ", ".join(article.pasal_text for article in self.articles if article.pasal)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __str__(self) -> str:
        return self.text


Cited = Article | Citation


def cite(*articles: Article) -> Citation:
    return Citation(articles)


def _uu(
    pasal: str, ayat: str = "", huruf: str = "", excerpt: str = "", ours: bool = False
) -> Article:
    return Article(Law.UU_KIP, pasal, ayat, huruf, excerpt, ours)


class Articles:
    """The table. Add an article here, under a name that says what it rules, and cite it by
    that name; tests/citations/test_citations.py fails on any printed "Pasal" not in this table."""

    # the categories of information (Pasal 9-11) and the exemptions (Pasal 17-20)
    PERIODIC = _uu(
        "9", excerpt="Setiap Badan Publik wajib mengumumkan Informasi Publik secara berkala."
    )
    IMMEDIATE = _uu(
        "10",
        excerpt="Badan Publik wajib mengumumkan secara serta-merta suatu informasi yang dapat "
        "mengancam hajat hidup orang banyak dan ketertiban umum.",
    )
    ON_REQUEST = _uu(
        "11",
        excerpt="Badan Publik wajib menyediakan Informasi Publik setiap saat yang meliputi: ...",
    )
    EXEMPTIONS = _uu(
        "17",
        excerpt="Setiap Badan Publik wajib membuka akses bagi setiap Pemohon Informasi Publik "
        "untuk mendapatkan Informasi Publik, kecuali: ...",
    )
    NEVER_EXEMPT = _uu(
        "18",
        "1",
        excerpt="Tidak termasuk dalam kategori informasi yang dikecualikan adalah informasi "
        "berikut: ...",
    )
    CONSEQUENCE_TEST = _uu(
        "19",
        excerpt="Pejabat Pengelola Informasi dan Dokumentasi di setiap Badan Publik wajib "
        "melakukan pengujian tentang konsekuensi sebagaimana dimaksud dalam Pasal 17 dengan "
        "saksama dan penuh ketelitian sebelum menyatakan Informasi Publik tertentu "
        "dikecualikan ...",
    )
    NOT_PERMANENT = _uu(
        "20",
        "1",
        excerpt="Pengecualian sebagaimana dimaksud dalam Pasal 17 huruf a, huruf b, huruf c, huruf "
        "d, huruf e, dan huruf f tidak bersifat permanen.",
    )
    # the request and the written notice (Pasal 21-22)
    PRINCIPLE = _uu(
        "21",
        excerpt="Mekanisme untuk memperoleh Informasi Publik didasarkan pada prinsip cepat, tepat "
        "waktu, dan biaya ringan.",
    )
    REQUEST = _uu("22", excerpt="(the request procedure, ayat (1) to (9))")
    REQUEST_ANY_FORM = _uu(
        "22",
        "1",
        excerpt="Setiap Pemohon Informasi Publik dapat mengajukan permintaan ... kepada Badan "
        "Publik terkait secara tertulis atau tidak tertulis.",
    )
    RECORDING = _uu(
        "22",
        "2-3",
        excerpt="(2) Badan Publik wajib mencatat nama dan alamat Pemohon Informasi Publik, subjek "
        "dan format informasi serta cara penyampaian informasi yang diminta ... (3) ... wajib "
        "mencatat permintaan Informasi Publik yang diajukan secara tidak tertulis.",
    )
    REGISTRATION_NUMBER = _uu(
        "22",
        "4",
        excerpt="Badan Publik terkait wajib memberikan tanda bukti penerimaan permintaan Informasi "
        "Publik ... berupa nomor pendaftaran pada saat permintaan diterima.",
    )
    NOTICE = _uu(
        "22",
        "7",
        excerpt="Paling lambat 10 (sepuluh) hari kerja sejak diterimanya permintaan, Badan Publik "
        "yang bersangkutan wajib menyampaikan pemberitahuan tertulis yang berisikan: ...",
    )
    NOTICE_HELD = _uu(
        "22",
        "7",
        "a-b",
        excerpt="a. informasi yang diminta berada di bawah penguasaannya ataupun tidak; b. Badan "
        "Publik wajib memberitahukan Badan Publik yang menguasai informasi yang diminta apabila "
        "... tidak berada di bawah penguasaannya ...",
    )
    NOTICE_IN_HAND = _uu(
        "22",
        "7",
        "a",
        excerpt="a. informasi yang diminta berada di bawah penguasaannya ataupun tidak;",
    )
    NOTICE_DECISION = _uu(
        "22",
        "7",
        "c",
        excerpt="c. penerimaan atau penolakan permintaan dengan alasan yang tercantum sebagaimana "
        "dimaksud dalam Pasal 17;",
    )
    NOTICE_GIVEN = _uu(
        "22",
        "7",
        "c-d",
        excerpt="c. penerimaan atau penolakan permintaan ...; d. dalam hal permintaan diterima "
        "seluruhnya atau sebagian dicantumkan materi informasi yang akan diberikan;",
    )
    NOTICE_PART_WITHHELD = _uu(
        "22",
        "7",
        "c-e",
        excerpt="... d. ... diterima seluruhnya atau sebagian dicantumkan materi informasi yang "
        "akan diberikan; e. dalam hal suatu dokumen mengandung materi yang dikecualikan ... dapat "
        "dihitamkan dengan disertai alasan dan materinya;",
    )
    NOTICE_DELIVERY = _uu(
        "22",
        "7",
        "f",
        excerpt="f. alat penyampai dan format informasi yang akan diberikan; dan/atau",
    )
    NOTICE_FEE = _uu(
        "22",
        "7",
        "g",
        excerpt="g. biaya serta cara pembayaran untuk memperoleh informasi yang diminta.",
    )
    EXTENSION = _uu(
        "22",
        "8",
        excerpt="Badan Publik yang bersangkutan dapat memperpanjang waktu untuk mengirimkan "
        "pemberitahuan ... paling lambat 7 (tujuh) hari kerja berikutnya dengan memberikan "
        "alasan secara tertulis.",
    )
    # objection, dispute, court (Pasal 35-48)
    OBJECTION_GROUNDS = _uu(
        "35",
        "1",
        excerpt="Setiap Pemohon Informasi Publik dapat mengajukan keberatan secara tertulis kepada "
        "atasan Pejabat Pengelola Informasi dan Dokumentasi berdasarkan alasan berikut: ...",
    )
    MUSYAWARAH = _uu(
        "35",
        "2",
        excerpt="Alasan sebagaimana dimaksud pada ayat (1) huruf b sampai dengan huruf g dapat "
        "diselesaikan secara musyawarah oleh kedua belah pihak.",
    )
    OBJECTION_WINDOW = _uu(
        "36",
        "1",
        excerpt="Keberatan diajukan oleh Pemohon Informasi Publik dalam jangka waktu paling lambat "
        "30 (tiga puluh) hari kerja setelah ditemukannya alasan sebagaimana dimaksud dalam Pasal "
        "35 ayat (1).",
    )
    OBJECTION_ANSWER = _uu(
        "36",
        "2",
        excerpt="Atasan pejabat ... memberikan tanggapan atas keberatan yang diajukan oleh Pemohon "
        "Informasi Publik dalam jangka waktu paling lambat 30 (tiga puluh) hari kerja sejak "
        "diterimanya keberatan secara tertulis.",
    )
    OBJECTION_REASONS = _uu(
        "36",
        "3",
        excerpt="Alasan tertulis disertakan bersama tanggapan apabila atasan pejabat ... "
        "menguatkan putusan yang ditetapkan oleh bawahannya.",
    )
    DISPUTE = _uu(
        "37",
        "1",
        excerpt="Upaya penyelesaian Sengketa Informasi Publik diajukan kepada Komisi Informasi ... "
        "apabila tanggapan atasan Pejabat Pengelola Informasi dan Dokumentasi dalam proses "
        "keberatan tidak memuaskan Pemohon Informasi Publik.",
    )
    DISPUTE_WINDOW = _uu(
        "37",
        "2",
        excerpt="Upaya penyelesaian Sengketa Informasi Publik diajukan dalam waktu paling "
        "lambat 14 (empat belas) hari kerja setelah diterimanya tanggapan tertulis dari "
        "atasan pejabat sebagaimana dimaksud dalam Pasal 36 ayat (2).",
    )
    COMMISSION_START = _uu(
        "38",
        "1",
        excerpt="Komisi Informasi ... harus mulai mengupayakan penyelesaian Sengketa Informasi "
        "Publik melalui Mediasi dan/atau Ajudikasi nonlitigasi paling lambat 14 (empat belas) "
        "hari kerja setelah menerima permohonan penyelesaian Sengketa Informasi Publik.",
    )
    COMMISSION_SETTLEMENT = _uu(
        "38",
        "2",
        excerpt="Proses penyelesaian sengketa ... paling lambat dapat diselesaikan dalam waktu 100 "
        "(seratus) hari kerja.",
    )
    COMMISSION_PROCESS = _uu("38-46", excerpt="(mediasi dan ajudikasi nonlitigasi, Bab X)")
    COMMISSION_DECISION = _uu(
        "46",
        "1",
        excerpt="Putusan Komisi Informasi tentang pemberian atau penolakan akses ... berisikan "
        "salah satu perintah di bawah ini: a. membatalkan putusan atasan Badan Publik dan "
        "memutuskan untuk memberikan sebagian atau seluruh informasi ...; atau b. mengukuhkan "
        "putusan atasan ... untuk tidak memberikan informasi ...",
    )
    COURT_WINDOW = _uu(
        "48",
        "1",
        excerpt="Pengajuan gugatan ... hanya dapat ditempuh apabila salah satu atau para pihak "
        "yang bersengketa secara tertulis menyatakan tidak menerima putusan Ajudikasi dari "
        "Komisi Informasi paling lambat 14 (empat belas) hari kerja setelah diterimanya putusan "
        "tersebut.",
    )
    COURT = _uu(
        "47-48",
        excerpt="Pasal 47: gugatan melalui pengadilan tata usaha negara (Badan Publik negara) atau "
        "pengadilan negeri (selain Badan Publik negara); Pasal 48: ... 14 hari kerja ...",
    )
    # our rules, each beside the article it follows from
    FEE_LIMIT = _uu(
        "21",
        excerpt="... prinsip cepat, tepat waktu, dan biaya ringan. (that only the cost of copies "
        "and delivery of what is given may be charged is ours)",
        ours=True,
    )
    FULFILMENT = _uu(
        "46",
        "1",
        "a",
        excerpt="a. membatalkan putusan atasan Badan Publik dan memutuskan untuk memberikan "
        "sebagian atau seluruh informasi yang diminta ... (the law sets no time to give it: the "
        "10 working days after an upheld objection or such a decision are ours)",
        ours=True,
    )
    DELIVERY = _uu(
        "22",
        "7",
        "d",
        excerpt="d. dalam hal permintaan diterima seluruhnya atau sebagian dicantumkan materi "
        "informasi yang akan diberikan; (the law sets no time to give what a notice grants: the "
        "10 working days after the notice are ours)",
        ours=True,
    )
    REPORT_DUE = Article(
        Law.PERKI_1_2021,
        "56",
        "1",
        excerpt="(the annual report of public information services, due three months after the "
        "year ends; taken from summaries of the Perki, its own text was not found to check)",
    )
    REPORT_CONTENT = Article(
        Law.PERKI_1_2021,
        "56",
        "2",
        excerpt="(what the annual report contains, parts a to f; see REPORT_PARTS)",
    )
    NOT_HELD_NAMES_HOLDER = _uu(
        "22",
        "7",
        "b",
        excerpt="b. Badan Publik wajib memberitahukan Badan Publik yang menguasai informasi yang "
        "diminta apabila ... mengetahui keberadaan informasi yang diminta (the holder is required "
        "on every NOT_HELD notice, 'tidak diketahui' allowed: ours)",
        ours=True,
    )
    WITHDRAWAL = Article(
        Law.UU_KIP,
        "",
        excerpt="(the Act names no withdrawal; the requester may withdraw before the dispute: "
        "ours)",
        ours=True,
    )
    # the service standard, cited as a whole where no article number is verified here
    SERVICE_STANDARD = Article(
        Law.PERKI_1_2021,
        "",
        excerpt="Peraturan Komisi Informasi No. 1 Tahun 2021 tentang Standar Layanan Informasi "
        "Publik (forms, the 'belum didokumentasikan' answer, the annual report)",
    )


def exemption_article(letter: str) -> Article:
    """Pasal 17 huruf a to j: one article per exemption basis (visibility.rules.BASES)."""
    if letter not in EXEMPTION_LETTERS:
        raise KeyError(f"UU KIP Pasal 17 has no huruf {letter!r}")
    return _uu("17", huruf=letter, excerpt=f"Pasal 17 huruf {letter}: {EXEMPTION_LETTERS[letter]}")


def objection_ground_article(letter: str) -> Article:
    """Pasal 35 ayat (1) huruf a to g: one article per objection ground."""
    if letter not in OBJECTION_LETTERS:
        raise KeyError(f"UU KIP Pasal 35 ayat (1) has no huruf {letter!r}")
    return _uu("35", "1", letter, excerpt=OBJECTION_LETTERS[letter])


# The law's own words of each letter, shortened (UU KIP Pasal 17 and Pasal 35 ayat (1)).
EXEMPTION_LETTERS: dict[str, str] = {
    "a": "... dapat menghambat proses penegakan hukum ...",
    "b": "... dapat mengganggu kepentingan perlindungan hak atas kekayaan intelektual dan "
    "perlindungan dari persaingan usaha tidak sehat;",
    "c": "... dapat membahayakan pertahanan dan keamanan negara ...",
    "d": "... dapat mengungkapkan kekayaan alam Indonesia;",
    "e": "... dapat merugikan ketahanan ekonomi nasional ...",
    "f": "... dapat merugikan kepentingan hubungan luar negeri ...",
    "g": "... dapat mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir "
    "ataupun wasiat seseorang;",
    "h": "... dapat mengungkap rahasia pribadi ...",
    "i": "memorandum atau surat-surat antar Badan Publik atau intra Badan Publik, yang menurut "
    "sifatnya dikecualikan kecuali atas putusan Komisi Informasi atau pengadilan;",
    "j": "informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang.",
}
OBJECTION_LETTERS: dict[str, str] = {
    "a": "penolakan atas permintaan informasi berdasarkan alasan pengecualian sebagaimana "
    "dimaksud dalam Pasal 17;",
    "b": "tidak disediakannya informasi berkala sebagaimana dimaksud dalam Pasal 9;",
    "c": "tidak ditanggapinya permintaan informasi;",
    "d": "permintaan informasi ditanggapi tidak sebagaimana yang diminta;",
    "e": "tidak dipenuhinya permintaan informasi;",
    "f": "pengenaan biaya yang tidak wajar; dan/atau",
    "g": "penyampaian informasi yang melebihi waktu yang diatur dalam Undang-Undang ini.",
}


# Perki 1/2021 Pasal 56 ayat (2): the parts of the annual report and how many numbered items
# each has (0: a narrative part), from summaries of the Perki (its own text was not found).
REPORT_PARTS: dict[str, tuple[str, int]] = {
    "a": ("gambaran umum kebijakan pelayanan informasi publik", 0),
    "b": ("gambaran umum pelaksanaan pelayanan informasi publik", 0),
    "c": ("rincian pelayanan informasi publik", 4),
    "d": ("rincian penyelesaian sengketa informasi publik", 6),
    "e": ("kendala eksternal dan internal dalam pelaksanaan layanan informasi publik", 0),
    "f": ("rekomendasi dan rencana tindak lanjut untuk meningkatkan kualitas pelayanan", 0),
}


def report_article(part: str, item: int | None = None) -> Article:
    """Perki 1/2021 Pasal 56 ayat (2) huruf `part`, angka `item` where given."""
    words, items = REPORT_PARTS[part]
    if item is not None and not 1 <= item <= items:
        raise KeyError(f"Perki 1/2021 Pasal 56 ayat (2) huruf {part} has no angka {item}")
    return Article(
        Law.PERKI_1_2021, "56", "2", part, excerpt=words, angka="" if item is None else str(item)
    )


def table() -> dict[str, Article]:
    """Every article by name, the lettered ones as `EXEMPTION_h` and `OBJECTION_GROUND_a`."""
    named = {name: value for name, value in vars(Articles).items() if isinstance(value, Article)}
    named |= {f"EXEMPTION_{letter}": exemption_article(letter) for letter in EXEMPTION_LETTERS}
    named |= {
        f"OBJECTION_GROUND_{letter}": objection_ground_article(letter)
        for letter in OBJECTION_LETTERS
    }
    for part, (_, items) in REPORT_PARTS.items():
        named[f"REPORT_{part}"] = report_article(part)
        named |= {f"REPORT_{part}_{n}": report_article(part, n) for n in range(1, items + 1)}
    return named


# A printed citation: "Pasal 22 ayat (7) huruf c-e", "Pasal 47-48", "Pasal 17 huruf h".
PRINTED = re.compile(
    r"Pasal (?P<pasal>\d+(?:-\d+)?)"
    r"(?: ayat \((?P<ayat>\d+)\)(?:-\((?P<ayat_to>\d+)\))?)?"
    r"(?: huruf (?P<huruf>[a-j](?:-[a-j])?)(?![\w(]))?"
    r"(?: angka (?P<angka>\d+))?"
)


def printed_pasal_texts() -> frozenset[str]:
    """Every "Pasal ..." the table can print (without the law's name)."""
    return frozenset(article.pasal_text for article in table().values() if article.pasal)
