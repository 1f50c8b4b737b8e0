"""session epoch: logout ends every session of the participant

Sessions are signed cookies; each now carries the participant's ``session_epoch`` and must
match it. Logout raises the epoch, so a cookie saved before the logout no longer works.

Revision ID: 0009_session_epoch
Revises: 0008_login_throttle
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_session_epoch"
down_revision = "0008_login_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN on both databases: no table copy (on SQLite a batch copy would drop and
    # re-create `participants`, and with foreign keys on, dropping it cascades to their rows)
    op.add_column(
        "participants",
        sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE participants DROP COLUMN session_epoch")  # SQLite >= 3.35
