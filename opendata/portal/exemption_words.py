"""Why a thing is withheld, in a sentence: the law's own words of its Pasal 17 letter.

Pasal 17 words its letters two ways. Letters a to h name a harm ("... dapat mengungkap rahasia
pribadi ..."): the page says disclosure could cause it. Letters i and j name a kind of
information ("memorandum atau surat-surat antar Badan Publik ...", "informasi yang tidak boleh
diungkapkan berdasarkan Undang-Undang"): the page says the information is of that kind, not
that disclosing it "could memorandum". The Indonesian clause is cut from
`statute.EXEMPTION_LETTERS`, never retyped; the English one is `visibility.rules.BASES`'s
gloss (a verb for a harm), with a noun phrase for the two kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from opendata.statute import EXEMPTION_LETTERS, Article, exemption_article
from opendata.visibility.rules import BASES

HARM_OPENING = "... dapat "
# English for the two letters that name a kind of information, not a harm
KIND_EN = {
    "i": "a confidential memorandum or letter between or within public bodies, exempt by its "
    "nature unless the Information Commission or a court decides otherwise",
    "j": "of a kind that a law forbids disclosing",
}


@dataclass(frozen=True)
class Reason:
    letter: str
    article: Article
    harm: bool  # True: "disclosure could ..."; False: "this information is ..."
    clause_id: str
    clause_en: str


def law_clause(letter: str) -> tuple[bool, str]:
    """The letter's words as a clause: whether they name a harm, and the words without the
    ellipses and the closing punctuation."""
    words = EXEMPTION_LETTERS[letter]
    harm = words.startswith(HARM_OPENING)
    if harm:
        words = words[len(HARM_OPENING) :]
    return harm, words.removesuffix(" ...").rstrip(";.").strip()


def exemption_reason(basis: str) -> Reason:
    """The sentence parts for one basis code (PASAL_17H)."""
    definition = BASES[basis]
    harm, clause_id = law_clause(definition.letter)
    clause_en = definition.label_en if harm else KIND_EN[definition.letter]
    return Reason(
        definition.letter, exemption_article(definition.letter), harm, clause_id, clause_en
    )
