"""vote steering: when a result was announced (the embargo ends), when a vote was cancelled

Revision ID: 0014_vote_steering
Revises: 0013_voting_credentials
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_vote_steering"
down_revision = "0013_voting_credentials"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy of `votes`, whose rows other tables reference)
    op.add_column("votes", sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("votes", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE votes DROP COLUMN cancelled_at")  # SQLite >= 3.35
    op.execute("ALTER TABLE votes DROP COLUMN announced_at")
