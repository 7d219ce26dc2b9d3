"""Rendering a registered mail: subject, plain text and HTML, Indonesian first, English beside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from opendata.mail.catalog import TEMPLATES, MailTemplate
from opendata.urls import PublicUrls, absolute, template_globals

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class MissingMailKeys(ValueError):
    """A mail was asked for without every key its template needs."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def tanggal(iso_day: str) -> str:
    """'2026-12-14' -> '14 Desember 2026'."""
    day = date.fromisoformat(iso_day)
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def date_en(iso_day: str) -> str:
    """'2026-12-14' -> '14 December 2026'."""
    day = date.fromisoformat(iso_day)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def paragraphs(value: str) -> Markup:
    """Blank-line separated text as <p> paragraphs, line breaks kept, values escaped."""
    text = value if isinstance(value, Markup) else escape(value)
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return Markup("").join(
        Markup("<p>") + part.replace("\n", Markup("<br>\n")) + Markup("</p>\n") for part in parts
    )


def _environment(*, html: bool) -> Environment:
    """One set of templates, two environments: plain text, and HTML with every value escaped."""
    environment = Environment(
        loader=PackageLoader("opendata.mail", "templates"),
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(tanggal=tanggal, date_en=date_en, paragraphs=paragraphs)
    return environment


TEXT = _environment(html=False)
HTML = _environment(html=True)


def template_for(key: str) -> MailTemplate:
    try:
        return TEMPLATES[key]
    except KeyError as error:
        raise MissingMailKeys(f"no mail template {key!r}") from error


def check_keys(key: str, context: dict[str, Any]) -> None:
    missing = template_for(key).needs - context.keys()
    if missing:
        raise MissingMailKeys(f"mail {key!r} needs {', '.join(sorted(missing))}")


def render(key: str, context: dict[str, Any], public_url: str) -> RenderedMail:
    """The mail `key` for `context`; links are absolute under `public_url`."""
    check_keys(key, context)
    template = template_for(key)
    values = {
        **context,
        **template_globals(PublicUrls(public_url.rstrip("/")).route),
        "request_url": absolute(public_url, context["request_path"]),
    }
    subject = f"[{context['registration_number']}] {template.subject_id} / {template.subject_en}"
    return RenderedMail(
        subject=subject,
        text=TEXT.get_template(f"{key}.jinja").render(
            values, subject=subject, layout="_text.jinja"
        ),
        html=HTML.get_template(f"{key}.jinja").render(
            values, subject=subject, layout="_html.jinja"
        ),
    )
