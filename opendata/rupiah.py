"""An amount of money as letters and mails write it: 50000 -> 'Rp 50.000' (the Indonesian
thousands separator is the dot)."""

from __future__ import annotations


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")
