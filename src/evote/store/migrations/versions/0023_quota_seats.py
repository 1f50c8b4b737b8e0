"""quota seats: an election's Mindestquotierung (group, share, its candidates, mode, stage)

Revision ID: 0023_quota_seats
Revises: 0022_rounds_and_lots
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_quota_seats"
down_revision = "0022_rounds_and_lots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("votes", sa.Column("quota_json", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE votes DROP COLUMN quota_json")  # SQLite >= 3.35
