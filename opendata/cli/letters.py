"""`opendata letters pdf NUMBER KIND [--objection NUMBER] [-o FILE]`: an official letter as PDF.

The letter is the one issued with its step: signed by the officer or superior who took it,
whoever runs the command.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from opendata.cli.groups import add_command, command_group
from opendata.errors import DomainError
from opendata.letters.render import filename, letter_pdf_async
from opendata.letters.service import LetterKind, build_letter
from opendata.services import Services


async def _pdf(services: Services, args: argparse.Namespace) -> int:
    try:
        letter = await build_letter(
            services, args.number, LetterKind(args.kind.upper()), args.objection
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
    pdf.add_argument(
        "--objection",
        help="the objection's register number (objection letters of a request with several)",
    )
    pdf.add_argument("-o", "--output", help="file to write (default: a name from the number)")
