"""What else a catalogue folder holds (the dashboard): read and stored by whoever registers.

The loader stores datasets and agencies; a package above the catalogue that keeps its own
file in the folder registers an extra here, and the loader calls every registered extra in
its unit of work. The catalogue so never imports what is built on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.reader import CatalogRead, Refusal


class CatalogueExtra(Protocol):
    async def __call__(
        self, session: AsyncSession, root: Path, catalogue: CatalogRead, refused: list[Refusal]
    ) -> bool:
        """Read and store this extra's file under `root`; True if what is stored changed.

        A refused file is added to `refused` and what was stored stays as it was."""
        ...


_EXTRAS: dict[str, CatalogueExtra] = {}


def register_extra(name: str, extra: CatalogueExtra) -> None:
    """Called once by the extra's own module (registering again replaces it)."""
    _EXTRAS[name] = extra


def registered_extras() -> tuple[CatalogueExtra, ...]:
    return tuple(_EXTRAS.values())
