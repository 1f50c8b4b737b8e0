"""reissue confirmation: a password reissue during an open vote waits for a second staff member

``reissue_requested_by``/``reissue_requested_at`` hold the one pending request per participant
(who asked, when); ``reissue_notice_at`` is set when a reissue went through during an open vote,
and cleared once the participant's next page has told them.

Revision ID: 0017_reissue_confirmation
Revises: 0016_majority_base
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_reissue_confirmation"
down_revision = "0016_majority_base"
branch_labels = None
depends_on = None

COLUMNS = ("reissue_requested_by", "reissue_requested_at", "reissue_notice_at")


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy of `participants`, see 0009); no foreign key, since
    # SQLite cannot add one without copying the table: the id is checked when it is used
    op.add_column("participants", sa.Column("reissue_requested_by", sa.Integer(), nullable=True))
    op.add_column("participants", sa.Column("reissue_requested_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("participants", sa.Column("reissue_notice_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for column in COLUMNS:
        op.execute(f"ALTER TABLE participants DROP COLUMN {column}")  # SQLite >= 3.35
