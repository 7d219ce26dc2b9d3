"""join the branches built side by side (hardening, statute, typed rows, portal sessions,
outbox and attachments, dashboard) into one head, so the next migration has one parent

Revision ID: 0011
Revises: 0004, 0005, 0006, 0007, 0008, 0010
"""

from __future__ import annotations

revision = "0011"
down_revision = ("0004", "0005", "0006", "0007", "0008", "0010")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: each branch stands on its own tables."""


def downgrade() -> None:
    """Nothing to change."""
