"""Alembic environment: runs migrations on the connection opendata hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

# Every model module, imported for its side effect of adding its tables to `Base.metadata`.
# Only the migrations need them all at once: this list lives here, not in `opendata.db`,
# which every domain imports and which imports none of them.
from opendata import calendar_store
from opendata.accounts import models as accounts_models
from opendata.accounts import sessions as portal_sessions
from opendata.apps import models as apps_models
from opendata.attachments import models as attachments_models
from opendata.attachments import store as attachments_store
from opendata.catalogue import sources as catalogue_sources
from opendata.db import models as catalogue_models
from opendata.db.base import Base
from opendata.follows import models as follows_models
from opendata.information_requests import letter_models
from opendata.information_requests import models as requests_models
from opendata.outbox import models as outbox_models
from opendata.publishing import models as publishing_models
from opendata.pull import models as pull_models
from opendata.search import models as search_models
from opendata.web import rate_limit as rate_limit_models

MODEL_MODULES = (
    catalogue_models,
    accounts_models,
    requests_models,
    search_models,
    portal_sessions,
    outbox_models,
    attachments_models,
    letter_models,
    calendar_store,
    publishing_models,
    apps_models,
    catalogue_sources,
    pull_models,
    follows_models,
    attachments_store,
    rate_limit_models,
)
metadata = Base.metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # opendata.db.migrate logs each migration applied
    on_version_apply=context.config.attributes.get("on_version_apply", ()),
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Several servers may start at once on one database: one migrates, the rest wait.
        connection.execute(text("SELECT pg_advisory_xact_lock(727272)"))
    context.run_migrations()
