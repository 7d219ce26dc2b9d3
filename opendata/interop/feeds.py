"""Atom feeds: new and updated datasets, exemptions that end (the DIK), a request's timeline.

Built with feedgen (a small, kept Atom/RSS generator: RFC 4287 elements, escaping and date
formats done for us). Entry ids are the permanent page URLs (with a fragment for exemptions
and timeline events), so a reader sees an update of the same entry, never a duplicate.
Texts are bilingual; nothing is said that the pages and the API do not already show.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from feedgen.feed import FeedGenerator

from opendata.catalogue.dates import issued_on, modified_on
from opendata.catalogue.topics import topic_label
from opendata.db.models import Dataset, Exemption
from opendata.information_requests.lifecycle import STATUS_LABELS, Status
from opendata.information_requests.models import InformationRequest, RequestEvent
from opendata.interop.records import DatasetRecord, exemption_notice
from opendata.interop.vocabulary import CATALOG_TITLE_EN, CATALOG_TITLE_ID, PUBLISHER_ID
from opendata.public_ids import to_global_id
from opendata.regency_time import REGENCY_TZ
from opendata.urls import PublicUrls
from opendata.visibility.policy import DatasetPolicy, is_active

ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
FEED_ENTRIES = 50
# When the feed itself has no entry: the Unix epoch, stable across requests.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# Characters XML 1.0 cannot carry (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F):
# text stored before the input rule (opendata/inputs.py) must not break a feed for good.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def day_start(day: date) -> datetime:
    """A date as the start of that day in regency time (when it takes effect there)."""
    return datetime.combine(day, time(0, 0), tzinfo=REGENCY_TZ)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class FeedHead:
    feed_id: str
    title: str
    alternate: str
    self_url: str


def _generator(head: FeedHead, updated: Sequence[datetime]) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(head.feed_id)
    feed.title(head.title)
    feed.link(href=head.alternate, rel="alternate", type="text/html")
    feed.link(href=head.self_url, rel="self", type="application/atom+xml")
    feed.author({"name": PUBLISHER_ID})
    feed.language("id")
    feed.updated(max(updated, default=EPOCH))
    return feed


def render(feed: FeedGenerator) -> bytes:
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def feed_updated(feed: FeedGenerator) -> datetime:
    """The feed's `<updated>` (its Last-Modified)."""
    updated: datetime = feed.updated()
    return updated


# ---------------------------------------------------------------------------------- datasets


def dataset_updated(dataset: Dataset) -> datetime:
    """An entry's `updated`: the day its data last changed (`catalogue.dates.modified_on`)."""
    return day_start(modified_on(dataset))


def datasets_feed(
    head: FeedHead,
    records: Sequence[DatasetRecord],
    urls: PublicUrls,
    exemptions_changed: datetime | None = None,
) -> FeedGenerator:
    """The feed's own `updated` is its last change: an entry's data, a dataset added or
    described anew, or an exemption of one of them added or ended (`exemptions_changed`)."""
    changes = [dataset_updated(r.dataset) for r in records]
    changes += [aware(r.dataset.created_at) for r in records]
    changes += [aware(r.dataset.updated_at) for r in records]
    if exemptions_changed is not None:
        changes.append(aware(exemptions_changed))
    feed = _generator(head, changes)
    for record in records:
        dataset = record.dataset
        page = urls.dataset(dataset.slug)
        access_id, access_en = record.access_statement()
        entry = feed.add_entry(order="append")
        entry.id(page)
        entry.title(
            xml_text(dataset.title + (f" / {dataset.title_en}" if dataset.title_en else ""))
        )
        entry.link(href=page, rel="alternate", type="text/html")
        entry.updated(dataset_updated(dataset))
        entry.published(day_start(issued_on(dataset)))
        entry.author({"name": record.agency.name, "uri": urls.agency(record.agency.slug)})
        entry.summary(xml_text(f"{dataset.description}\n\n{access_id}\n{access_en}"))
        for topic in dataset.topics:
            entry.category(term=topic, label=topic_label(topic)[0])
    return feed


def catalogue_head(urls: PublicUrls, self_url: str, suffix: str, alternate: str) -> FeedHead:
    return FeedHead(
        feed_id=self_url,
        title=f"{CATALOG_TITLE_ID}{suffix} / {CATALOG_TITLE_EN}",
        alternate=alternate,
        self_url=self_url,
    )


# ------------------------------------------------------------------------------- exemptions


def exemption_ended_at(exemption: Exemption, today: date) -> datetime | None:
    """When it stopped applying (the policy's `is_active` decides whether it has): revoked,
    or the day after its expiry; None while in force."""
    if is_active(exemption, today):
        return None
    if exemption.revoked_at is not None:
        return aware(exemption.revoked_at)
    assert exemption.expires_on is not None  # not active and not revoked: it has expired
    return day_start(exemption.expires_on + timedelta(days=1))


def _ended_state(policy: DatasetPolicy, exemption: Exemption) -> tuple[str, str]:
    """What an ended exemption's entry says: public again only if the policy agrees."""
    if policy.still_withheld(exemption):
        return (
            "Informasi ini masih dikecualikan oleh pengecualian lain yang berlaku.",
            "This information is still withheld under another exemption in force.",
        )
    return "Informasi ini kini terbuka.", "This information is now public."


def exemptions_feed(
    head: FeedHead,
    exemptions: Sequence[tuple[Exemption, Dataset, DatasetPolicy]],
    urls: PublicUrls,
    today: date,
) -> FeedGenerator:
    """Each exemption with an end: ended (what is public again) or when it will end."""
    dated = []
    for exemption, dataset, policy in exemptions:
        ended_at = exemption_ended_at(exemption, today)
        dated.append(
            (ended_at or aware(exemption.created_at), ended_at, exemption, dataset, policy)
        )
    feed = _generator(head, [updated for updated, *_ in dated])
    for updated, ended_at, exemption, dataset, policy in dated:
        notice = exemption_notice(policy, exemption)
        page = urls.dataset(dataset.slug)
        where = f" ({notice.target})" if notice.target else ""
        if ended_at is not None:
            how_id = "dicabut" if exemption.revoked_at is not None else "berakhir"
            how_en = "revoked" if exemption.revoked_at is not None else "expired"
            title = f"Pengecualian {how_id} / Exemption {how_en}: {dataset.title}"
            state_id, state_en = _ended_state(policy, exemption)
        else:
            title = (
                f"Pengecualian berakhir {notice.expires_on} / Exemption ends {notice.expires_on}: "
                f"{dataset.title}"
            )
            state_id = f"Dikecualikan sampai {notice.expires_on}."
            state_en = f"Withheld until {notice.expires_on}."
        entry = feed.add_entry(order="append")
        entry.id(f"{page}#exemption-{to_global_id('Exemption', exemption.id)}")
        entry.title(xml_text(title))
        entry.link(href=page, rel="alternate", type="text/html")
        entry.updated(updated)
        entry.published(aware(exemption.created_at))
        entry.summary(
            xml_text(
                f"{notice.scope}{where}, {notice.article_id}: {notice.reason_id}. {state_id}\n"
                f"{notice.scope}{where}, {notice.article_en}: {notice.reason_en}. {state_en}\n"
                f"{notice.consequence_test}"
            )
        )
        entry.category(term=notice.basis)
    return feed


# --------------------------------------------------------------------------------- requests


def request_feed(
    head: FeedHead, request: InformationRequest, events: Sequence[RequestEvent]
) -> FeedGenerator:
    """The public timeline of one request: each step with its status; no requester data."""
    feed = _generator(head, [aware(event.at) for event in events])
    for event in events:
        label_id, label_en = STATUS_LABELS[Status(event.status)]
        entry = feed.add_entry(order="append")
        entry.id(f"{head.alternate}#event-{event.id}")
        entry.title(xml_text(f"{request.registration_number}: {label_id} / {label_en}"))
        entry.link(href=head.alternate, rel="alternate", type="text/html")
        entry.updated(aware(event.at))
        entry.summary(xml_text(event.note or f"{label_id} / {label_en}"))
        entry.category(term=event.status)
    return feed
