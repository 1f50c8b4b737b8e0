"""event stage: livestream URL and the vote on the projector (web pages)

Revision ID: 0004_event_stage
Revises: 0003_key_ceremony
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_event_stage"
down_revision = "0003_key_ceremony"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_stage",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("livestream_url", sa.String(length=500), nullable=False),
        sa.Column("projected_vote_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name=op.f("fk_event_stage_event_id_events"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_stage")),
    )


def downgrade() -> None:
    op.drop_table("event_stage")
