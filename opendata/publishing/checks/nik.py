"""Is this a NIK (Nomor Induk Kependudukan)? 16 digits with a valid region and birth date.

Layout (UU 24/2013 Adminduk, Permendagri 72/2019): province (2) regency (2) kecamatan (2),
birth date DDMMYY with 40 added to the day for women, then a serial (4, from 0001).
A 16-digit number that fails any part is not taken for a NIK (fewer false alarms).
"""

from __future__ import annotations

from datetime import date

from opendata.publishing.checks.wilayah import region_codes


def _valid_birth(day: int, month: int, year: int) -> bool:
    if day > 40:
        day -= 40  # women
    for century in (1900, 2000):  # two-digit year: either century may be meant
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def is_nik(text: str) -> bool:
    digits = text.strip().replace(" ", "").replace(".", "")
    if len(digits) != 16 or not digits.isdigit():
        return False
    codes = region_codes()
    if digits[:2] not in codes or digits[:4] not in codes:
        return False
    if digits[4:6] == "00" or digits[12:] == "0000":
        return False
    return _valid_birth(int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
