"""Every sentence the portal says about an exemption, printed and checked against the law.

For each Pasal 17 letter, each scope and both languages, the sentences come from the same
template macros the dataset page uses (`_exemption.html`), rendered with the real catalogs.
Each one must cite exactly its own letter (`statute.exemption_article`), quote the letter's
words from `statute.EXEMPTION_LETTERS` in Indonesian (never retyped here), read as a sentence
(no "membukanya dapat memorandum ..."), and say only what is true of the downloads.
Run with `-s` to read them all.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from opendata.db.models import Exemption
from opendata.portal.exemption_words import law_clause
from opendata.portal.i18n import Formats, translations
from opendata.portal.page import environment
from opendata.portal.pages.catalogue import NoticeEntry
from opendata.services import Services
from opendata.statute import EXEMPTION_LETTERS, PRINTED, exemption_article
from opendata.visibility.rules import BASES, SCOPES
from tests.portal.catalog import load_portal_catalog
from tests.portal.conftest import portal_as

TARGETS = {"DATASET": None, "FIELD": "NIK pasien", "ROW": "Status pengobatan = putus berobat"}


def sentences(basis: str, scope: str, language: str, aggregates_only: bool = False) -> list[str]:
    """What the notice says of one exemption: what is withheld, then why."""
    catalog = translations(language)
    formats = Formats(language)
    macros = environment.get_template("_exemption.html").make_module(
        {
            "gettext": lambda message, **kw: (
                catalog.gettext(message) % kw if kw else catalog.gettext(message)
            ),
            "pick": formats.pick,
        }
    )
    exemption = Exemption(
        scope=scope, basis=basis, consequence_test="uji", decided_on=date(2025, 1, 1)
    )
    entry = NoticeEntry(exemption, BASES[basis].letter, "", "", TARGETS[scope], aggregates_only)
    said = (macros.withheld_what(entry), macros.legal_basis(entry))  # type: ignore[attr-defined]
    return [" ".join(html.unescape(str(sentence)).split()) for sentence in said]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("basis", sorted(BASES))
def test_each_sentence_cites_its_own_letter_in_the_laws_words(
    basis: str, scope: str, language: str
) -> None:
    letter = BASES[basis].letter
    what, why = sentences(basis, scope, language)
    print(f"[{language}] {basis} {scope}: {what} {why}")
    article = exemption_article(letter).text
    # the one article, and no other "Pasal"
    assert why.count("Pasal") == 1 and article in why
    assert [m.group(0) for m in PRINTED.finditer(why)] == [exemption_article(letter).pasal_text]
    harm, clause = law_clause(letter)
    assert clause and "..." not in clause
    if language == "id":
        assert why.startswith("Dasar hukum: ")
        # the letter's own words, whole, cut from the statute table
        assert clause in why and clause in EXEMPTION_LETTERS[letter]
        # a harm follows "dapat"; a kind of information follows "termasuk"
        assert (f"membukanya dapat {clause}." in why) is harm
        assert (f"informasi ini termasuk {clause}." in why) is not harm
    else:
        assert why.startswith("Legal basis: ")
        assert (f"disclosure could {BASES[basis].label_en}." in why) is harm
        assert ("this information is " in why) is not harm
    if scope == "FIELD":
        # the downloads leave a withheld column out: never say it reads "withheld" there
        assert ("tidak memuat kolom itu" in what) if language == "id" else "column out" in what
        assert "di CSV" not in what and "in the CSV" not in what
    assert what.endswith(".") and why.endswith(".")


def test_letters_i_and_j_read_as_kinds_of_information_not_as_harms() -> None:
    for letter in "ij":
        harm, _ = law_clause(letter)
        assert not harm
        _, why = sentences(f"PASAL_17{letter.upper()}", "DATASET", "id")
        assert "membukanya dapat" not in why
        assert not re.search(r"dapat (memorandum|informasi)", why)
    assert law_clause("h") == (True, "mengungkap rahasia pribadi")


def test_a_figures_only_dataset_does_not_speak_of_a_table_or_downloads() -> None:
    for language in ("id", "en"):
        what, _ = sentences("PASAL_17H", "FIELD", language, aggregates_only=True)
        assert "CSV" not in what and "XLSX" not in what
        assert "NIK pasien" in what


async def test_the_dataset_page_says_the_same_sentences_with_the_fields_titles(
    services: Services, tmp_path: Path
) -> None:
    await load_portal_catalog(services, tmp_path / "catalog")
    async with await portal_as(services) as visitor:
        page = await visitor.get("/dataset/register-pasien-tbc")
        english = await visitor.get("/dataset/register-pasien-tbc", params={"lang": "en"})
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())
    for sentence in sentences("PASAL_17H", "FIELD", "id"):
        assert sentence in text
    assert "“nik_pasien”" not in page.text and "“NIK pasien”" in page.text
    english_text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", english.text)).split())
    # "tersedia setiap saat" (Pasal 11) is at any time, not on request
    assert "Informasi tersedia setiap saat" in text
    assert "Information available at any time" in english_text
    assert "on request" not in english_text
    assert sentences("PASAL_17H", "FIELD", "en")[1] in english_text
