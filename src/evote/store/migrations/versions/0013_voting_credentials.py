"""voting credentials: the committee's key per event, its signed statements and key rolls,
each vote's slot, and each cast ballot's key and signature

Columns are added with plain ALTER TABLE ... ADD COLUMN and the ballots' one-ballot-per-key
rule is a unique index, so SQLite never rebuilds `ballots` (a WITHOUT ROWID table: a rebuild
must not bring back a rowid that counts arrivals).

Revision ID: 0013_voting_credentials
Revises: 0012_motions
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_voting_credentials"
down_revision = "0012_motions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("committee_key", sa.String(length=64), nullable=True))
    op.add_column("votes", sa.Column("credential_slot", sa.Integer(), nullable=True))
    op.add_column("votes", sa.Column("credential_batch", sa.Integer(), nullable=True))
    op.create_index(
        "uq_votes_event_id_credential_slot", "votes", ["event_id", "credential_slot"], unique=True
    )
    op.add_column("ballots", sa.Column("credential_key", sa.String(length=64), nullable=True))
    op.add_column(
        "ballots", sa.Column("credential_signature", sa.String(length=128), nullable=True)
    )
    op.create_index(
        "uq_ballots_vote_id_credential_key", "ballots", ["vote_id", "credential_key"],
        unique=True,
    )
    op.create_table(
        "credential_batches",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("header_json", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_credential_batches_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "number", name=op.f("pk_credential_batches")),
    )
    op.create_table(
        "credential_statements",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("statement_json", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_credential_statements_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "event_id", "batch", "slot", name=op.f("pk_credential_statements")
        ),
    )
    op.create_table(
        "credential_keys",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("added_batch", sa.Integer(), nullable=False),
        sa.Column("revoked_batch", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_credential_keys_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "public_key", name=op.f("pk_credential_keys")),
    )
    op.create_index("ix_credential_keys_event_slot", "credential_keys", ["event_id", "slot"])


def downgrade() -> None:
    op.drop_index("ix_credential_keys_event_slot", table_name="credential_keys")
    op.drop_table("credential_keys")
    op.drop_table("credential_statements")
    op.drop_table("credential_batches")
    op.drop_index("uq_ballots_vote_id_credential_key", table_name="ballots")
    with op.batch_alter_table("ballots", recreate="never") as batch:
        batch.drop_column("credential_signature")
        batch.drop_column("credential_key")
    op.drop_index("uq_votes_event_id_credential_slot", table_name="votes")
    with op.batch_alter_table("votes") as batch:
        batch.drop_column("credential_batch")
        batch.drop_column("credential_slot")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("committee_key")
