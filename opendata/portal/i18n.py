"""Which language a page speaks, its message catalog, and dates and numbers in that language.

Indonesian first: `?lang=` wins, then the `lang` cookie, then `Accept-Language`, then `id`.
Catalogs are Babel `.po` files (msgids in English) compiled in memory at first use, so the
repository holds only the text a translator edits.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, dates, numbers
from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request

from opendata.regency_time import REGENCY_TZ

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_COOKIE = "lang"
LOCALE_DIR = Path(__file__).parent / "locale"


def choose_language(request: Request) -> str:
    """`?lang=`, then the cookie, then Accept-Language, then Indonesian."""
    for given in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if given in LANGUAGES:
            return given
    header = request.headers.get("accept-language", "")
    wanted = [part.split(";")[0].strip().replace("-", "_") for part in header.split(",")]
    chosen = negotiate_locale([w for w in wanted if w], LANGUAGES, sep="_")
    if chosen is None:
        # "en-GB" or "id-ID" alone: match on the language part
        chosen = next((w[:2] for w in wanted if w[:2] in LANGUAGES), None)
    return chosen or DEFAULT_LANGUAGE


def catalog_files(language: str) -> list[Path]:
    """`messages.po`, then one `.po` per area of the portal (staff pages, dashboard, ...), so
    each area's translator edits its own file."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    main = folder / "messages.po"
    return [main, *sorted(p for p in folder.glob("*.po") if p != main)]


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> Translations:
    """The compiled catalog of one language (English msgids: the `en` catalog is mostly empty)."""
    merged: Translations | None = None
    for path in catalog_files(language):
        with path.open("rb") as source:
            catalog = read_po(source, locale=language)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        part = Translations(compiled)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    assert merged is not None
    return merged


@lru_cache(maxsize=8192, typed=True)
def _decimal(value: float | int, language: str) -> str:
    """Babel's number formatting, remembered: a page writes the same figures over and over
    (years, counts) and babel's formatting was an eighth of a dataset page's time. `typed`:
    1, 1.0 and True are written differently."""
    return numbers.format_decimal(value, locale=Locale.parse(language))


class Formats:
    """Dates and numbers as the page's language writes them (regency time for moments)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = Locale.parse(language)

    def date(self, value: date | None, style: str = "long") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(REGENCY_TZ).date()
        return dates.format_date(value, format=style, locale=self.locale)

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return dates.format_datetime(value, format="medium", tzinfo=REGENCY_TZ, locale=self.locale)

    def number(self, value: float | int | None) -> str:
        if value is None:
            return ""
        return _decimal(value, self.language)

    def compact(self, value: float | int) -> str:
        """Short figures for a chart's labels: 33,1 M rather than 33.121.200.000."""
        if abs(value) < 10_000:
            return self.number(value)
        return numbers.format_compact_decimal(
            value, format_type="short", fraction_digits=1, locale=self.locale
        )

    def pick(self, indonesian: str | None, english: str | None) -> str:
        """The domain's bilingual pairs (labels, messages): English where asked and present."""
        if self.language == "en" and english:
            return english
        return indonesian or english or ""
