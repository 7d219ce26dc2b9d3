"""join the branches built side by side for publishing by agencies (dataset versions,
publication mode and update frequency, app tokens, pulled sources) into one head

Revision ID: 0025
Revises: 0019, 0020, 0021, 0022
"""

from __future__ import annotations

revision = "0025"
down_revision = ("0019", "0020", "0021", "0022")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: each branch stands on its own tables and columns."""


def downgrade() -> None:
    """Nothing to change."""
