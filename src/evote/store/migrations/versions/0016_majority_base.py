"""majority base per vote: what the rule's share is a share of (votes cast, heads present, members)

Revision ID: 0016_majority_base
Revises: 0015_speakers
Create Date: 2026-12-06

Existing votes keep the base their code used: an absolute majority was measured against the
delegates present (the roll), the other rules against yes + no, or the votes cast including
abstentions when `abstentions_counted` was set.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_majority_base"
down_revision = "0015_speakers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "votes",
        sa.Column("majority_base", sa.String(length=16), nullable=False, server_default="valid"),
    )
    op.execute(
        "UPDATE votes SET majority_base = CASE"
        " WHEN majority_rule = 'absolute' THEN 'present'"
        " WHEN abstentions_counted THEN 'cast' ELSE 'valid' END"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE votes DROP COLUMN majority_base")  # SQLite >= 3.35
