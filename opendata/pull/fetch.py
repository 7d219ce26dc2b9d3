"""The guarded fetch of a source URL: what a server on the regency's network may be asked to get.

The rule (server-side request forgery): only http and https; the host is resolved once and
every address it resolves to must be public (not loopback, private, link-local, multicast,
reserved or unspecified). `PullSettings.allow_private_addresses` admits loopback and private
addresses (a source inside the regency's network; the tests), never link-local ones (the
cloud metadata address 169.254.169.254), multicast or unspecified ones. The request then
goes to the address that was checked (the Host header and TLS name stay the URL's), so a DNS
answer cannot change between the check and the connection. Redirects are followed by hand, at
most `MAX_REDIRECTS`, each target under the same rule. The body is capped at
`PullSettings.max_bytes` and the whole fetch at `timeout_seconds`.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from opendata.catalogue.sources import check_url
from opendata.config import PullSettings

MAX_REDIRECTS = 3
CHUNK = 1 << 16


class FetchFailed(Exception):
    """The source could not be fetched: the message in both languages, and the status if any."""

    def __init__(self, message: str, message_en: str, http_status: int | None = None) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en
        self.http_status = http_status


@dataclass(frozen=True)
class Fetched:
    path: Path
    http_status: int
    size: int
    sha256: str


def _allowed(address: str, settings: PullSettings) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        return False
    return settings.allow_private_addresses or ip.is_global


async def pinned_address(host: str, port: int, settings: PullSettings) -> str:
    """The first address of `host` the rule allows; FetchFailed if any address is refused."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchFailed(
            f"Nama host {host} tidak dapat ditemukan.", f"Host {host} could not be resolved."
        ) from error
    addresses = [str(info[4][0]) for info in infos]
    refused = [address for address in addresses if not _allowed(address, settings)]
    if refused or not addresses:
        raise FetchFailed(
            f"Alamat {host} ({', '.join(refused)}) bukan alamat publik; tidak diambil.",
            f"{host} resolves to a non-public address ({', '.join(refused)}); not fetched.",
        )
    return addresses[0]


def _checked(url: str) -> str:
    try:
        return check_url(url)
    except ValueError as error:
        raise FetchFailed(
            "Alamat sumber harus http:// atau https://.", f"Source address refused: {error}"
        ) from error


async def _send(client: httpx.AsyncClient, url: str, settings: PullSettings) -> httpx.Response:
    """One GET to the checked address of `url`, streamed (the caller reads and closes it)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = await pinned_address(host, port, settings)
    literal = f"[{address}]" if ":" in address else address
    pinned = urlunsplit(parts._replace(netloc=f"{literal}:{port}"))
    request = client.build_request(
        "GET",
        pinned,
        headers={"Host": parts.netloc.rsplit("@", 1)[-1]},
        extensions={"sni_hostname": host},
    )
    return await client.send(request, stream=True)


async def _download(url: str, target: Path, settings: PullSettings) -> Fetched:
    timeout = httpx.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds))
    async with httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, trust_env=False
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            response = await _send(client, _checked(url), settings)
            try:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise FetchFailed(
                        f"Sumber menjawab HTTP {response.status_code}.",
                        f"The source answered HTTP {response.status_code}.",
                        response.status_code,
                    )
                return await _save(response, target, settings)
            finally:
                await response.aclose()
    raise FetchFailed(
        f"Lebih dari {MAX_REDIRECTS} pengalihan.", f"More than {MAX_REDIRECTS} redirects."
    )


async def _save(response: httpx.Response, target: Path, settings: PullSettings) -> Fetched:
    declared = response.headers.get("content-length")
    too_large = FetchFailed(
        f"Berkas sumber lebih dari {settings.max_bytes} bita.",
        f"The source file is larger than {settings.max_bytes} bytes.",
        response.status_code,
    )
    if declared is not None and declared.isdigit() and int(declared) > settings.max_bytes:
        raise too_large
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        async for chunk in response.aiter_bytes(CHUNK):
            size += len(chunk)
            if size > settings.max_bytes:
                raise too_large
            digest.update(chunk)
            out.write(chunk)
    return Fetched(target, response.status_code, size, digest.hexdigest())


async def fetch_to(url: str, target: Path, settings: PullSettings) -> Fetched:
    """Fetch `url` into `target` under the rule above; FetchFailed says why not."""
    try:
        return await asyncio.wait_for(_download(url, target, settings), settings.timeout_seconds)
    except TimeoutError as error:
        raise FetchFailed(
            f"Sumber tidak menjawab dalam {settings.timeout_seconds:g} detik.",
            f"The source did not answer within {settings.timeout_seconds:g} seconds.",
        ) from error
    except httpx.HTTPError as error:
        raise FetchFailed(
            f"Sumber tidak dapat dihubungi ({type(error).__name__}).",
            f"The source could not be reached ({type(error).__name__}: {error}).",
        ) from error
