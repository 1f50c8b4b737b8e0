"""electorate per vote: a vote limited to a group or a delegation, and the assembly's head counts

``electorate_group``/``electorate_delegation`` limit who is put on the vote's roll at the
opening; ``assembly_present``/``assembly_members`` keep the whole assembly's counts for the
quorum of such a vote (NULL for a vote of everyone, whose roll is the assembly).

Revision ID: 0019_vote_electorate
Revises: 0018_audit_log
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_vote_electorate"
down_revision = "0018_audit_log"
branch_labels = None
depends_on = None

COLUMNS = ("electorate_group", "electorate_delegation", "assembly_present", "assembly_members")


def upgrade() -> None:
    op.add_column("votes", sa.Column("electorate_group", sa.String(length=100), nullable=True))
    op.add_column("votes", sa.Column("electorate_delegation", sa.String(length=200), nullable=True))
    op.add_column("votes", sa.Column("assembly_present", sa.Integer(), nullable=True))
    op.add_column("votes", sa.Column("assembly_members", sa.Integer(), nullable=True))


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE votes DROP COLUMN {column}")  # SQLite >= 3.35
