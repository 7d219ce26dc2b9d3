"""join the branches built side by side for harvesting, the portal and operations (dataset
issued dates, follows, shared state for several servers, the repair of edited migrations)
into one head

Revision ID: 0035
Revises: 0026, 0027, 0028, 0029
"""

from __future__ import annotations

revision = "0035"
down_revision = ("0026", "0027", "0028", "0029")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: each branch stands on its own tables and columns."""


def downgrade() -> None:
    """Nothing to change."""
