"""One way to add a command group (`opendata <group> <command>`), so every group reads alike."""

from __future__ import annotations

from typing import Any


def command_group(subparsers: Any, name: str, help: str) -> Any:
    """Add the group `name` and return its subparsers; a command is required (`<name>_command`)."""
    group = subparsers.add_parser(name, help=help)
    return group.add_subparsers(dest=f"{name}_command", required=True)
