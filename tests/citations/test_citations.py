"""Every citation the service prints is in the one table of articles (opendata/statute.py), and
each rule cites the article that states it.

The printed half reads what people are given: the portal pages of requests in several stages
(public, requester, officer, superior, /tenggat), the letters (their PDF text), the e-mails
(through a real SMTP server) and the GraphQL schema's descriptions. Each "Pasal ..." found is
read in the one printed form ("Pasal 22 ayat (7) huruf c") and looked up in the table; a
failure names the citation and where it was printed.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader

from opendata.attachments.steps import answer_request
from opendata.background import JOB_HANDLERS
from opendata.config import Limits
from opendata.db.base import utcnow
from opendata.information_requests.lifecycle import STEP_BY_ACTION, Action
from opendata.information_requests.notice import Fee
from opendata.information_requests.rules import (
    DELIVERY_FORM_ARTICLE,
    FEE_ARTICLE,
    NOTICE_CONTENTS,
    OBJECTION_GROUNDS,
    Clocks,
    Decision,
)
from opendata.information_requests.service import (
    extend_request,
    record_dispute,
    record_dispute_outcome,
)
from opendata.outbox.worker import Worker
from opendata.regency_time import regency_today
from opendata.services import Services
from opendata.statute import PRINTED, Articles, printed_pasal_texts, table
from opendata.web.graphql.build import build_schema
from tests.information_requests.builders import object_to, refuse, rule_on_objection
from tests.information_requests.helpers import Desk, make_desk, online
from tests.mail.catcher import MailCatcher
from tests.portal.conftest import portal_as

# What each rule must cite, written out so a reviewer reads the expected article here.
EXPECTED: dict[str, str] = {
    "Clocks.NOTICE": "UU KIP Pasal 22 ayat (7)",
    "Clocks.EXTENSION": "UU KIP Pasal 22 ayat (8)",
    "Clocks.OBJECTION_FILING": "UU KIP Pasal 36 ayat (1)",
    "Clocks.OBJECTION_ANSWER": "UU KIP Pasal 36 ayat (2)",
    "Clocks.DISPUTE_FILING": "UU KIP Pasal 37 ayat (2)",
    "Clocks.COMMISSION_START": "UU KIP Pasal 38 ayat (1)",
    "Clocks.COMMISSION_SETTLEMENT": "UU KIP Pasal 38 ayat (2)",
    "Clocks.COURT_FILING": "UU KIP Pasal 48 ayat (1)",
    "Clocks.FULFILMENT": "UU KIP Pasal 46 ayat (1) huruf a (aturan kami / our rule)",
    "NOTICE_CONTENTS.GRANTED": "UU KIP Pasal 22 ayat (7) huruf c-d",
    "NOTICE_CONTENTS.PARTIALLY_GRANTED": "UU KIP Pasal 22 ayat (7) huruf c-e, Pasal 17, Pasal 19",
    "NOTICE_CONTENTS.REFUSED": "UU KIP Pasal 22 ayat (7) huruf c, Pasal 17, Pasal 19",
    "NOTICE_CONTENTS.NOT_HELD": "UU KIP Pasal 22 ayat (7) huruf a-b",
    "NOTICE_CONTENTS.NOT_YET_DOCUMENTED": "UU KIP Pasal 22 ayat (7) huruf a, Perki 1/2021",
    "FEE_ARTICLE": "UU KIP Pasal 22 ayat (7) huruf g, Pasal 21 (aturan kami / our rule)",
    "DELIVERY_FORM_ARTICLE": "UU KIP Pasal 22 ayat (7) huruf f",
    "STEP.FILE": "UU KIP Pasal 22 ayat (2)-(3), Pasal 22 ayat (4)",
    "STEP.EXTEND": "UU KIP Pasal 22 ayat (8)",
    "STEP.ANSWER": "UU KIP Pasal 22 ayat (7)",
    "STEP.WITHDRAW": "aturan kami / our rule",
    "STEP.FILE_OBJECTION": "UU KIP Pasal 35 ayat (1), Pasal 36 ayat (1)",
    "STEP.ANSWER_OBJECTION": "UU KIP Pasal 36 ayat (2), Pasal 36 ayat (3)",
    "STEP.RECORD_DISPUTE": "UU KIP Pasal 37 ayat (1), Pasal 37 ayat (2)",
    "STEP.RECORD_DISPUTE_OUTCOME": "UU KIP Pasal 46 ayat (1), Pasal 48 ayat (1)",
    "STEP.RECORD_FULFILMENT": "UU KIP Pasal 22 ayat (7) huruf d (aturan kami / our rule), "
    "Pasal 46 ayat (1) huruf a (aturan kami / our rule)",
    "Clocks.DELIVERY": "UU KIP Pasal 22 ayat (7) huruf d (aturan kami / our rule)",
    "STEP.RECORD_COURT_CASE": "UU KIP Pasal 47-48, Pasal 48 ayat (1)",
    "STEP.RECORD_COURT_DECISION": "UU KIP Pasal 47-48",
    "GROUND.REFUSED_UNDER_EXEMPTION": "UU KIP Pasal 35 ayat (1) huruf a",
    "GROUND.PERIODIC_INFORMATION_NOT_PUBLISHED": "UU KIP Pasal 35 ayat (1) huruf b",
    "GROUND.NOT_RESPONDED": "UU KIP Pasal 35 ayat (1) huruf c",
    "GROUND.RESPONDED_NOT_AS_REQUESTED": "UU KIP Pasal 35 ayat (1) huruf d",
    "GROUND.NOT_FULFILLED": "UU KIP Pasal 35 ayat (1) huruf e",
    "GROUND.UNREASONABLE_FEE": "UU KIP Pasal 35 ayat (1) huruf f",
    "GROUND.LATE_RESPONSE": "UU KIP Pasal 35 ayat (1) huruf g",
}


def _rule_citations() -> dict[str, str]:
    cited: dict[str, str] = {}
    for name, value in vars(Clocks).items():
        if not name.startswith("_"):
            cited[f"Clocks.{name}"] = str(value.article)
    for decision, content in NOTICE_CONTENTS.items():
        cited[f"NOTICE_CONTENTS.{decision.value}"] = str(content.article)
    cited["FEE_ARTICLE"] = str(FEE_ARTICLE)
    cited["DELIVERY_FORM_ARTICLE"] = str(DELIVERY_FORM_ARTICLE)
    for action, step in STEP_BY_ACTION.items():
        cited[f"STEP.{action.value}"] = str(step.article)
    for ground, rule in OBJECTION_GROUNDS.items():
        cited[f"GROUND.{ground.value}"] = str(rule.article)
    return cited


def test_each_rule_cites_the_article_that_states_it() -> None:
    cited = _rule_citations()
    # a new clock, notice, step or ground must say here which article it cites
    assert sorted(set(cited) - set(EXPECTED)) == []
    wrong = {
        rule: f"cites {cited.get(rule)!r}, the law says {expected!r}"
        for rule, expected in EXPECTED.items()
        if cited.get(rule) != expected
    }
    assert wrong == {}


def test_every_rule_citation_is_made_of_articles_of_the_table() -> None:
    unknown = {
        rule: found for rule, text in _rule_citations().items() for found in unknown_citations(text)
    }
    assert unknown == {}


def test_the_table_states_each_article_once_with_the_words_of_the_law() -> None:
    articles = table()
    keys = [(a.law, a.pasal, a.ayat, a.huruf, a.angka, a.ours) for a in articles.values()]
    assert len(keys) == len(set(keys)), "an article is in the table twice"
    assert all(article.excerpt for article in articles.values())
    # each printed form reads back as itself
    for name, article in articles.items():
        if article.pasal:
            found = PRINTED.match(article.pasal_text)
            assert found and found.group(0) == article.pasal_text, name
    # 35(2) is musyawarah: it starts no clock
    assert "musyawarah" in Articles.MUSYAWARAH.excerpt
    assert "30 (tiga puluh) hari kerja setelah ditemukannya alasan" in (
        Articles.OBJECTION_WINDOW.excerpt
    )


# --- what the service prints -------------------------------------------------------------

# After a citation, what shows it was written in another form: "Pasal 22(7)", "Pasal 36 ayat 1",
# "Pasal 17 letter h", "Pasal 35 dan 36", "Pasal 38-46, 47-48".
_ANOTHER_FORM = re.compile(r"\(| ayat| huruf| letter|(?:,| dan| and| or| atau) ?\d")
_ANY_ARTICLE = re.compile(r"\b(?:Pasal|Article)\b")


def unknown_citations(text: str) -> list[str]:
    """Each "Pasal ..." (or "Article ...") in `text` that is not an article of the table, as
    printed (with a few characters after it)."""
    known = printed_pasal_texts()
    found = []
    for hit in _ANY_ARTICLE.finditer(text):
        start = hit.start()
        printed = PRINTED.match(text, start)
        tail = text[printed.end() : printed.end() + 8] if printed else ""
        if printed is None or _ANOTHER_FORM.match(tail) or printed.group(0) not in known:
            found.append(text[start : start + 28].strip())
    return found


def _plain(markup: str) -> str:
    """A page's or a mail's text as read: no tags, entities decoded, one space for any run."""
    without = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without)).split())


@dataclass
class Printed:
    """Everything gathered, by where it was printed."""

    texts: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, text: str) -> None:
        self.texts[where] = " ".join(text.split())

    def unknown(self) -> list[str]:
        return [
            f"{found!r} printed in {where}"
            for where, text in self.texts.items()
            for found in unknown_citations(text)
        ]

    def where(self, citation: str) -> list[str]:
        return [where for where, text in self.texts.items() if citation in text]


@dataclass
class Stages:
    """Requests in the stages whose pages, letters and mails say the most."""

    extended: str
    partly_granted_objected: str
    not_held: str
    objection_rejected: str
    dispute_decided: str


async def _stages(desk: Desk) -> Stages:
    services, now, today = desk.services, utcnow(), regency_today()

    async def filed() -> tuple[int, str]:
        record = await online(desk, now)
        return record.request.id, record.request.registration_number

    async def answered(request_id: int, decision: str, **notice: Any) -> None:
        await answer_request(
            services, desk.officer, request_id, decision=decision, answer="-", now=now, **notice
        )

    async def objection_rejected() -> tuple[int, str]:
        request_id, number = await filed()
        await refuse(desk, request_id, now)
        await object_to(desk, request_id, now)
        await rule_on_objection(desk, request_id, "REJECTED", now)
        return request_id, number

    extended_id, extended = await filed()
    await extend_request(services, desk.officer, extended_id, "Arsip di gudang", now=now)

    partly_id, partly = await filed()
    fee = Fee(15_000, "Penggandaan 30 lembar")
    bases = {"exemptions": ["PASAL_17H"], "consequence_test": "Membuka data pribadi."}
    await answered(partly_id, "PARTIALLY_GRANTED", fee=fee, **bases)
    await object_to(desk, partly_id, now, grounds=["REFUSED_UNDER_EXEMPTION", "UNREASONABLE_FEE"])

    held_id, not_held = await filed()
    await answered(held_id, "NOT_HELD", held_by="Badan Pusat Statistik")

    _rejected_id, rejected = await objection_rejected()
    decided_id, decided = await objection_rejected()
    await record_dispute(services, desk.officer, decided_id, filed_on=today, now=now)
    await record_dispute_outcome(
        services, desk.officer, decided_id, outcome="GRANTED", decided_on=today, now=now
    )
    return Stages(extended, partly, not_held, rejected, decided)


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def _gather(services: Services, desk: Desk, stages: Stages, catcher: MailCatcher) -> Printed:
    printed = Printed()
    numbers = vars(stages)
    today = regency_today().isoformat()
    public_pages = ["/", f"/tenggat?start={today}&days=10"]
    for lang in ("id", "en"):
        async with await portal_as(services) as anyone:
            for path in public_pages + [f"/permohonan/{n}" for n in numbers.values()]:
                page = await anyone.get(path, params={"lang": lang})
                assert page.status_code == 200, path
                printed.add(f"page {path} ({lang}, public)", _plain(page.text))
        async with await portal_as(services, desk.requester) as requester:
            paths = ["/permohonan/baru"] + [f"/permohonan/{n}" for n in numbers.values()]
            for path in paths:
                page = await requester.get(path, params={"lang": lang})
                assert page.status_code == 200, path
                printed.add(f"page {path} ({lang}, requester)", _plain(page.text))
        async with await portal_as(services, desk.officer) as officer:
            paths = ["/petugas", "/petugas/permohonan/baru"]
            paths += [f"/petugas/permohonan/{n}" for n in numbers.values()]
            for path in paths:
                page = await officer.get(path, params={"lang": lang})
                assert page.status_code == 200, path
                printed.add(f"page {path} ({lang}, officer)", _plain(page.text))
        async with await portal_as(services, desk.superior) as superior:
            page = await superior.get("/petugas/keberatan", params={"lang": lang})
            assert page.status_code == 200
            printed.add(f"page /petugas/keberatan ({lang}, superior)", _plain(page.text))

    letters = {
        stages.extended: ("receipt", "extension"),
        stages.partly_granted_objected: ("notice", "objection_receipt"),
        stages.not_held: ("notice",),
        stages.objection_rejected: ("objection_answer",),
    }
    async with await portal_as(services, desk.officer) as officer:
        for number, kinds in letters.items():
            for kind in kinds:
                letter = await officer.get(f"/petugas/permohonan/{number}/surat/{kind}.pdf")
                assert letter.status_code == 200, (number, kind)
                printed.add(f"letter {kind} of {number}", _pdf_text(letter.content))

    await Worker(services, JOB_HANDLERS).run_until_idle()
    for mail in catcher.messages():
        where = f"mail {mail.subject!r} to {', '.join(mail.recipients)}"
        printed.add(f"{where} (text)", mail.part("plain"))
        printed.add(f"{where} (html)", _plain(mail.part("html")))

    printed.add("GraphQL schema descriptions", build_schema(Limits()).as_str())
    return printed


async def test_every_citation_printed_is_in_the_table_and_each_rule_is_cited_right(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    stages = await _stages(desk)
    printed = await _gather(mail_services, desk, stages, catcher)

    unknown = printed.unknown()
    assert unknown == [], "\n".join(unknown)
    # the rules people act on are printed with their own article, where they act on them
    expected_places = {
        str(Clocks.OBJECTION_FILING.article): (
            f"letter notice of {stages.not_held}",
            f"page /permohonan/{stages.not_held} (id, requester)",
            f"page /tenggat?start={regency_today().isoformat()}&days=10 (en, public)",
        ),
        str(Clocks.OBJECTION_ANSWER.article): (
            f"letter objection_receipt of {stages.partly_granted_objected}",
            "page /petugas/keberatan (id, superior)",
        ),
        str(Clocks.DISPUTE_FILING.article): (
            f"letter objection_answer of {stages.objection_rejected}",
        ),
        str(Clocks.EXTENSION.article): (f"letter extension of {stages.extended}",),
        str(Clocks.COURT_FILING.article): ("GraphQL schema descriptions",),
        Articles.NOTICE_FEE.pasal_text: (f"letter notice of {stages.partly_granted_objected}",),
    }
    missing = {
        citation: sorted(set(places) - set(printed.where(citation)))
        for citation, places in expected_places.items()
        if set(places) - set(printed.where(citation))
    }
    assert missing == {}
    # and the mails: the objection receipt cites the superior's 30 days, the notice the window
    objection_mails = [
        w for w in printed.where(str(Clocks.OBJECTION_ANSWER.article)) if "mail" in w
    ]
    notice_mails = [w for w in printed.where(str(Clocks.OBJECTION_FILING.article)) if "mail" in w]
    assert objection_mails and notice_mails


def test_the_reader_finds_citations_in_any_other_form() -> None:
    """The check itself: what the service printed before the table is reported, by form."""
    old = (
        "(UU KIP Pasal 35(2)) (UU KIP Pasal 36 ayat 1) Pasal 17 letter h (UU KIP Pasal 35 dan 36) "
        "UU KIP Pasal 38-46, 47-48 Article 17(h) Pasal 99"
    )
    found = unknown_citations(old)
    starts = ["Pasal 35(2)", "Pasal 36 ayat 1", "Pasal 17 letter h", "Pasal 35 dan 36"]
    starts += ["Pasal 38-46, 47-48", "Article 17(h)", "Pasal 99"]
    assert len(found) == len(starts)
    assert all(text.startswith(start) for text, start in zip(found, starts, strict=True))
    now = "UU KIP Pasal 36 ayat (1); Pasal 22 ayat (7) huruf c-e, Pasal 17, Pasal 19; Pasal 17 huruf h."
    assert unknown_citations(now) == []
    assert Action.FILE in STEP_BY_ACTION and Decision.NOT_HELD in NOTICE_CONTENTS
