"""The SSRF rule on addresses: public ones always; loopback and private ones only when the
setting allows them; link-local (cloud metadata), multicast and unspecified ones never."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.config import PullSettings
from opendata.pull.fetch import FetchFailed, _allowed, fetch_to

STRICT = PullSettings()
INSIDE = PullSettings(allow_private_addresses=True)


@pytest.mark.parametrize(
    ("address", "strict", "inside"),
    [
        ("93.184.216.34", True, True),
        ("2606:2800:220:1::248", True, True),
        ("127.0.0.1", False, True),
        ("::1", False, True),
        ("::ffff:127.0.0.1", False, True),
        ("10.1.2.3", False, True),
        ("192.168.0.10", False, True),
        ("172.16.5.4", False, True),
        ("100.64.0.1", False, True),  # shared (carrier NAT) space
        ("169.254.169.254", False, False),
        ("::ffff:169.254.169.254", False, False),
        ("fe80::1", False, False),
        ("224.0.0.1", False, False),
        ("0.0.0.0", False, False),
    ],
)
def test_which_addresses_a_pull_may_reach(address: str, strict: bool, inside: bool) -> None:
    assert _allowed(address, STRICT) is strict
    assert _allowed(address, INSIDE) is inside


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "http:///x"])
async def test_only_http_and_https_are_fetched(url: str, tmp_path: Path) -> None:
    with pytest.raises(FetchFailed):
        await fetch_to(url, tmp_path / "x", INSIDE)
