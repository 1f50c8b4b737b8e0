"""ciphertext fingerprints: no selection ciphertext twice in one vote (weeding)

One row per selection ciphertext of every ballot of an open vote, keyed (vote, SHA-256 of
alpha||beta): the key refuses a copied ciphertext.  No autoincrement id and no timestamp, and
WITHOUT ROWID on SQLite, so the rows do not count arrivals; the close deletes them.

Revision ID: 0006_ciphertext_fingerprints
Revises: 0005_agenda_items
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_ciphertext_fingerprints"
down_revision = "0005_agenda_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ciphertext_fingerprints",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"],
            name=op.f("fk_ciphertext_fingerprints_vote_id_votes"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("vote_id", "fingerprint", name=op.f("pk_ciphertext_fingerprints")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("ciphertext_fingerprints")
