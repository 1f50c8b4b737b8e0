"""agenda links: a vote names its agenda item, the stage names the called item by id

``votes.agenda_item_id`` links a vote to its agenda item (console, minutes);
``current_agenda_item.item_id`` says which item is called, so the console marks the right one
even when two items share a title.

Revision ID: 0020_agenda_links
Revises: 0019_vote_electorate
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_agenda_links"
down_revision = "0019_vote_electorate"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN without a foreign key (no batch copy of `votes`, see 0017); the API
    # checks the ids
    op.add_column("votes", sa.Column("agenda_item_id", sa.Integer(), nullable=True))
    op.create_index("ix_votes_agenda_item_id", "votes", ["agenda_item_id"])
    op.add_column("current_agenda_item", sa.Column("item_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_votes_agenda_item_id", table_name="votes")
    op.execute("ALTER TABLE votes DROP COLUMN agenda_item_id")  # SQLite >= 3.35
    op.execute("ALTER TABLE current_agenda_item DROP COLUMN item_id")
