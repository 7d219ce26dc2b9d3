"""`/robots.txt`: crawlers are welcome everywhere public, are told where the sitemap is,
and are asked to stay out of the pages that are one person's own (staff, steward, a
requester's list, signing out), which answer them nothing useful."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from opendata.urls import PublicUrls, path

PRIVATE_PAGES = ("staff", "steward", "my_requests", "sign_out")


def robots_txt(sitemap_url: str) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path(name)}" for name in PRIVATE_PAGES)]
    return "\n".join([*lines, "Allow: /", "", f"Sitemap: {sitemap_url}", ""])


async def robots(request: Request) -> Response:
    return PlainTextResponse(robots_txt(PublicUrls.for_request(request).route("sitemap")))
