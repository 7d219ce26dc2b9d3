"""What is a NIK: region codes that exist, a real birth date (women +40), a serial."""

from __future__ import annotations

import pytest

from opendata.publishing.checks.nik import is_nik


@pytest.mark.parametrize(
    "text",
    [
        "6112010101900001",  # Kubu Raya, a man born 1 January 1990
        "6112014101900001",  # a woman born the same day: day + 40
        "6112017112990001",  # a woman born 31 December
        "6171052902000001",  # 29 February 2000 (leap), Kota Pontianak
        "6112012902040001",  # 29 February 2004
        "3174015505850123",  # Jakarta Selatan
        "6112 0101 0190 0001",  # spaced as printed
    ],
)
def test_valid_niks(text: str) -> None:
    assert is_nik(text)


@pytest.mark.parametrize(
    "text",
    [
        "611201010190000",  # 15 digits
        "61120101019000012",  # 17 digits
        "0012010101900001",  # no province 00
        "6199010101900001",  # no regency 61.99
        "6112000101900001",  # kecamatan 00
        "6112013201900001",  # day 32
        "6112014001900001",  # day 40: neither a man's nor a woman's day
        "6112017201900001",  # day 72 (a woman's day 32)
        "6112013104900001",  # 31 April
        "6112012902010001",  # 29 February 2001 / 1901: no leap year
        "6112016902010001",  # the same for a woman
        "6112010113900001",  # month 13
        "6112010100900001",  # month 0
        "6112010101900000",  # serial 0000
        "6112000000000001",  # the synthetic numbers of the catalogue tests
        "61120101019O0001",  # a letter O
    ],
)
def test_not_niks(text: str) -> None:
    assert not is_nik(text)
