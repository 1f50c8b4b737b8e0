"""receipt keys: each vote's sealed Ed25519 seed, erased at the close

Revision ID: 0010_receipt_keys
Revises: 0009_session_epoch
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_receipt_keys"
down_revision = "0009_session_epoch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("votes") as batch:
        batch.add_column(sa.Column("receipt_key_box", sa.LargeBinary(length=72), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("votes") as batch:
        batch.drop_column("receipt_key_box")
