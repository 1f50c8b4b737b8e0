"""rounds and lots: an election's next round points at the one before; a tie drawn by lot

Revision ID: 0022_rounds_and_lots
Revises: 0021_open_votes
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_rounds_and_lots"
down_revision = "0021_open_votes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("votes", sa.Column("previous_round_id", sa.Integer(), nullable=True))
    op.add_column("votes", sa.Column("lot_json", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE votes DROP COLUMN lot_json")  # SQLite >= 3.35
    op.execute("ALTER TABLE votes DROP COLUMN previous_round_id")
