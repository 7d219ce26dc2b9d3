"""Imports every model module so that `Base.metadata` knows all tables (for Alembic)."""

from __future__ import annotations

import importlib

from opendata.db.base import Base

MODEL_MODULES = (
    "opendata.db.models",
    "opendata.accounts.models",
    "opendata.information_requests.models",
    "opendata.search.models",
    "opendata.outbox.models",
    "opendata.attachments.models",
)

for _module in MODEL_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as error:  # a domain not built yet
        if not (error.name and _module.startswith(error.name)):
            raise

metadata = Base.metadata
