"""key ceremony: ceremonies, guardian seats, backups (public records and sealed backups only)

Revision ID: 0003_key_ceremony
Revises: 0002_votes
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from evote.store.base import UtcDateTime

revision = "0003_key_ceremony"
down_revision = "0002_votes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_ceremonies",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("ceremony_id", sa.String(length=32), nullable=False),
        sa.Column("number_of_guardians", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("completed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name=op.f("fk_key_ceremonies_event_id_events"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_key_ceremonies")),
    )
    op.create_table(
        "ceremony_guardians",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.String(length=64), nullable=False),
        sa.Column("sequence_order", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("public_key_json", sa.Text(), nullable=True),
        sa.Column("key_posted_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["key_ceremonies.event_id"],
            name=op.f("fk_ceremony_guardians_event_id_key_ceremonies"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name=op.f("fk_ceremony_guardians_participant_id_participants"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "guardian_id", name=op.f("pk_ceremony_guardians")),
        sa.UniqueConstraint(
            "event_id", "sequence_order", name=op.f("uq_ceremony_guardians_event_id_sequence_order")
        ),
        sa.UniqueConstraint(
            "event_id", "participant_id", name=op.f("uq_ceremony_guardians_event_id_participant_id")
        ),
    )
    op.create_table(
        "ceremony_backups",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("designated_id", sa.String(length=64), nullable=False),
        sa.Column("backup_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("challenge_reason", sa.Text(), nullable=True),
        sa.Column("answer_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["key_ceremonies.event_id"],
            name=op.f("fk_ceremony_backups_event_id_key_ceremonies"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "event_id", "owner_id", "designated_id", name=op.f("pk_ceremony_backups")
        ),
    )


def downgrade() -> None:
    op.drop_table("ceremony_backups")
    op.drop_table("ceremony_guardians")
    op.drop_table("key_ceremonies")
