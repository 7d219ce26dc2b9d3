"""`opendata letters pdf NUMBER KIND [-o FILE] [--signed-by NAME]`: an official letter as PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from opendata.cli.groups import add_command, command_group
from opendata.errors import DomainError, not_found
from opendata.information_requests.queries import request_by_number
from opendata.letters.documents import Signatory
from opendata.letters.render import filename, letter_pdf_async
from opendata.letters.service import LetterKind, build_letter
from opendata.services import Services


async def _pdf(services: Services, args: argparse.Namespace) -> int:
    calendar = services.calendar
    try:
        async with services.database.session() as session:
            request = await request_by_number(session, args.number)
            if request is None:
                raise not_found("Permohonan", "Request", args.number)
            letter = await build_letter(
                session, request, LetterKind(args.kind.upper()), calendar, Signatory(args.signed_by)
            )
    except DomainError as error:
        print(f"{error.message_id} / {error.message_en}")
        return 1
    target = Path(args.output or filename(letter))
    target.write_bytes(await letter_pdf_async(letter))
    print(target)
    return 0


def register_commands(commands: Any) -> None:
    sub = command_group(commands, "letters", "official letters as PDF")
    pdf = add_command(sub, "pdf", "write one letter of a request as PDF", _pdf)
    pdf.add_argument("number", help="registration number, e.g. DISKOMINFO/2026/000001")
    pdf.add_argument("kind", choices=[kind.value.lower() for kind in LetterKind])
    pdf.add_argument("-o", "--output", help="file to write (default: a name from the number)")
    pdf.add_argument("--signed-by", default="PPID", help="the signatory's name")
