"""join the branches built side by side for the legal record (court and delivery, stored
calendar, issued letters, fee payment, report narratives, filing trace) into one head

Revision ID: 0018
Revises: 0012, 0013, 0014, 0015, 0016, 0017
"""

from __future__ import annotations

revision = "0018"
down_revision = ("0012", "0013", "0014", "0015", "0016", "0017")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: each branch stands on its own tables and columns."""


def downgrade() -> None:
    """Nothing to change."""
