"""Rendering a registered mail: subject, plain text and HTML, Indonesian first, English beside."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from opendata.date_words import date_en, tanggal
from opendata.information_requests.citations import citation_globals
from opendata.information_requests.mail_catalog import (
    MAX_ATTACHED_BYTES,
    check_keys,
    template_for,
)
from opendata.package_templates import package_templates
from opendata.rupiah import rupiah
from opendata.urls import PublicUrls, absolute, template_globals


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def paragraphs(value: str) -> Markup:
    """Blank-line separated text as <p> paragraphs, line breaks kept, values escaped."""
    text = value if isinstance(value, Markup) else escape(value)
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return Markup("").join(
        Markup("<p>") + part.replace("\n", Markup("<br>\n")) + Markup("</p>\n") for part in parts
    )


def file_size(size: int) -> str:
    """A file size as people read it: '3 KB', '1.4 MB', '12 MB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    value = size / (1024 * 1024)
    return f"{value:.1f} MB" if value < 10 else f"{value:.0f} MB"


FILTERS = {
    "tanggal": tanggal,
    "date_en": date_en,
    "paragraphs": paragraphs,
    "rupiah": rupiah,
    "file_size": file_size,
}


def _environment(*, html: bool) -> Environment:
    """One set of templates, two environments: plain text, and HTML with every value escaped."""
    environment = package_templates("opendata.mail", autoescape=html, keep_trailing_newline=True)
    environment.filters.update(FILTERS)
    # the statute table: templates read each number of days and each article from it
    environment.globals.update(citation_globals(), max_attached=file_size(MAX_ATTACHED_BYTES))
    return environment


TEXT = _environment(html=False)
HTML = _environment(html=True)


def render(key: str, context: dict[str, Any], public_url: str) -> RenderedMail:
    """The mail `key` for `context`; links are absolute under `public_url`."""
    check_keys(key, context)
    template = template_for(key)
    values = {
        **context,
        **template_globals(PublicUrls(public_url.rstrip("/")).route),
        "request_url": absolute(public_url, context["request_path"]),
        "absolute": lambda path: absolute(public_url, path),
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
