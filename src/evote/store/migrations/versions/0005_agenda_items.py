"""agenda items: the day's agenda for the presidium console

Revision ID: 0005_agenda_items
Revises: 0004_event_stage
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_agenda_items"
down_revision = "0004_event_stage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name=op.f("fk_agenda_items_event_id_events"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    op.create_index(op.f("ix_agenda_items_event_id"), "agenda_items", ["event_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agenda_items_event_id"), table_name="agenda_items")
    op.drop_table("agenda_items")
