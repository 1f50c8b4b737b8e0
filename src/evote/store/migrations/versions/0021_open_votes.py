"""open and roll-call votes: a vote's secrecy, and the plaintext choices of non-secret votes

``votes.secrecy`` is 'secret' (every vote so far), 'open' (offene Abstimmung) or 'roll_call'
(namentliche Abstimmung); ``open_choices`` holds one choice per delegate of the latter two only.

Revision ID: 0021_open_votes
Revises: 0020_agenda_links
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_open_votes"
down_revision = "0020_agenda_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "votes",
        sa.Column("secrecy", sa.String(length=16), nullable=False, server_default="secret"),
    )
    op.create_table(
        "open_choices",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "choice IN ('yes', 'no', 'abstain')", name=op.f("ck_open_choices_choice_known")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name=op.f("fk_open_choices_participant_id_participants"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_open_choices_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("vote_id", "participant_id", name=op.f("pk_open_choices")),
    )


def downgrade() -> None:
    op.drop_table("open_choices")
    op.execute("ALTER TABLE votes DROP COLUMN secrecy")  # SQLite >= 3.35
