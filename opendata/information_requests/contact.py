"""How a requester is identified and reached, besides their name: the particulars a request
form asks for and a letter addresses, each unknown until given."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Contact:
    identity_number: str | None = None  # NIK
    address: str | None = None
    phone: str | None = None
    email: str | None = None
