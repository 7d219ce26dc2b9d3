"""What the service offers is written down: every CLI command in the README's command list,
every staff page in its page table, and the rules the duties follow in docs/kip-rules.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from opendata.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
KIP_RULES = (REPO / "docs" / "kip-rules.md").read_text()


def _commands(parser: argparse.ArgumentParser, prefix: str = "opendata") -> list[str]:
    """Every leaf command, as typed: `opendata calendar holiday`, `opendata users set-title`."""
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{prefix} {name}") or [f"{prefix} {name}"]
    return found


def test_every_cli_command_is_in_the_readme() -> None:
    commands = _commands(build_parser())
    assert "opendata calendar decree" in commands and "opendata users set-title" in commands
    assert [command for command in commands if f"\n{command}" not in README] == []


def test_the_new_staff_pages_are_in_the_readme() -> None:
    assert "`/petugas/keberatan/register" in README and "`/petugas/laporan" in README


def test_kip_rules_states_the_duties_of_issue_20_with_their_articles() -> None:
    for words in (
        "opendata calendar decree",  # the stored calendar
        "recomputes every running deadline at once",
        "provisional",
        "`deliverBy`",  # the delivery clock and the notice's own date
        "Pasal 22 ayat (7) huruf d",
        "*received*",  # the court window
        "nomor surat",  # letters as issued records
        "previous working\n  week",  # the backdating limit
        "Perki 1/2021 Pasal 56 ayat (1)",
        "Pasal 56 ayat (2)",
    ):
        assert words in KIP_RULES, words
