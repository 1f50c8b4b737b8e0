"""key ceremony fingerprint: each guardian's signed confirmation, before any backup

Revision ID: 0007_ceremony_fingerprint
Revises: 0006_ciphertext_fingerprints
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from evote.store.base import UtcDateTime

revision = "0007_ceremony_fingerprint"
down_revision = "0006_ciphertext_fingerprints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ceremony_guardians") as batch:
        batch.add_column(sa.Column("fingerprint_confirmation_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("fingerprint_confirmed_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ceremony_guardians") as batch:
        batch.drop_column("fingerprint_confirmed_at")
        batch.drop_column("fingerprint_confirmation_json")
