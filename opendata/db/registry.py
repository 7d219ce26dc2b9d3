"""Imports every model module so that `Base.metadata` knows all tables (for Alembic)."""

from __future__ import annotations

from opendata.accounts import models as accounts_models
from opendata.accounts import sessions as portal_sessions
from opendata.attachments import models as attachments_models
from opendata.db import models as catalogue_models
from opendata.db.base import Base
from opendata.information_requests import models as requests_models
from opendata.outbox import models as outbox_models
from opendata.search import models as search_models

# Imported for their side effect: each model module adds its tables to `Base.metadata`.
MODEL_MODULES = (
    catalogue_models,
    accounts_models,
    requests_models,
    search_models,
    portal_sessions,
    outbox_models,
    attachments_models,
)

metadata = Base.metadata
