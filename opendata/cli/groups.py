"""One way to add a command group (`opendata <group> <command>`) and its commands, so every
group reads alike."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def command_group(subparsers: Any, name: str, help: str) -> Any:
    """Add the group `name` and return its subparsers; a command is required (`<name>_command`)."""
    group = subparsers.add_parser(name, help=help)
    return group.add_subparsers(dest=f"{name}_command", required=True)


def add_command(
    commands: Any, name: str, help: str, handler: Callable[..., Any]
) -> argparse.ArgumentParser:
    """Add the command `name`, run by `handler`; its parser is returned for the arguments."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help)
    parser.set_defaults(handler=handler)
    return parser
