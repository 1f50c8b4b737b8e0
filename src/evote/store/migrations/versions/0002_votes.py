"""votes: votes, roll, participation, ballots, election keys, decryption shares, agenda item

Ballot-secrecy notes (docs/ballot-box.md): `vote_participation` and `ballots` have no
autoincrement id and no timestamp, and on SQLite both are WITHOUT ROWID tables.

Revision ID: 0002_votes
Revises: 0001_people
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_votes"
down_revision = "0001_people"
branch_labels = None
depends_on = None


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("candidates_json", sa.Text(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("with_abstain", sa.Boolean(), nullable=False),
        sa.Column("majority_rule", sa.String(length=16), nullable=False),
        sa.Column("abstentions_counted", sa.Boolean(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("manifest_json", sa.Text(), nullable=False),
        sa.Column("context_json", sa.Text(), nullable=True),
        sa.Column("device_json", sa.Text(), nullable=True),
        sa.Column("ballot_timestamp", sa.Integer(), nullable=True),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("roll_size", sa.Integer(), nullable=False),
        sa.Column("voting_members", sa.Integer(), nullable=False),
        sa.Column("cast_count", sa.Integer(), nullable=False),
        sa.Column("spoiled_count", sa.Integer(), nullable=False),
        sa.Column("retry_key", sa.LargeBinary(length=32), nullable=True),
        sa.Column("encrypted_tally_json", sa.Text(), nullable=True),
        sa.Column("plaintext_tally_json", sa.Text(), nullable=True),
        sa.Column("spoiled_decryptions_json", sa.Text(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_votes_seats_positive")),
        sa.CheckConstraint(
            "cast_count >= 0 AND spoiled_count >= 0", name=op.f("ck_votes_counts_nonnegative")
        ),
        _fk("event_id", "votes", "events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    op.create_index(op.f("ix_votes_event_id"), "votes", ["event_id"], unique=False)
    op.create_index(op.f("ix_votes_state"), "votes", ["state"], unique=False)
    op.create_table(
        "vote_roll",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("challenges", sa.Integer(), nullable=False),
        _fk("vote_id", "vote_roll", "votes"),
        _fk("participant_id", "vote_roll", "participants"),
        sa.PrimaryKeyConstraint("vote_id", "participant_id", name=op.f("pk_vote_roll")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "vote_participation",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("retry_tag", sa.LargeBinary(length=32), nullable=True),
        _fk("vote_id", "vote_participation", "votes"),
        _fk("participant_id", "vote_participation", "participants"),
        sa.PrimaryKeyConstraint("vote_id", "participant_id", name=op.f("pk_vote_participation")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "ballots",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=80), nullable=False),
        sa.Column("ballot_id", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("ballot_json", sa.Text(), nullable=False),
        sa.CheckConstraint("state IN ('cast', 'spoiled')", name=op.f("ck_ballots_state_known")),
        _fk("vote_id", "ballots", "votes"),
        sa.PrimaryKeyConstraint("vote_id", "tracking_code", name=op.f("pk_ballots")),
        sa.UniqueConstraint("vote_id", "ballot_id", name=op.f("uq_ballots_vote_id_ballot_id")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "election_keys",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number_of_guardians", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("joint_public_key", sa.Text(), nullable=False),
        sa.Column("commitment_hash", sa.String(length=80), nullable=False),
        sa.Column("guardians_json", sa.Text(), nullable=False),
        _fk("event_id", "election_keys", "events"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_election_keys")),
    )
    op.create_table(
        "decryption_shares",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.String(length=128), nullable=False),
        sa.Column("guardian_id", sa.String(length=128), nullable=False),
        sa.Column("missing_guardian_id", sa.String(length=128), nullable=False),
        sa.Column("share_json", sa.Text(), nullable=False),
        _fk("vote_id", "decryption_shares", "votes"),
        sa.PrimaryKeyConstraint(
            "vote_id",
            "object_id",
            "guardian_id",
            "missing_guardian_id",
            name=op.f("pk_decryption_shares"),
        ),
    )
    op.create_table(
        "current_agenda_item",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        _fk("event_id", "current_agenda_item", "events"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_current_agenda_item")),
    )


def downgrade() -> None:
    op.drop_table("current_agenda_item")
    op.drop_table("decryption_shares")
    op.drop_table("election_keys")
    op.drop_table("ballots")
    op.drop_table("vote_participation")
    op.drop_table("vote_roll")
    op.drop_index(op.f("ix_votes_state"), table_name="votes")
    op.drop_index(op.f("ix_votes_event_id"), table_name="votes")
    op.drop_table("votes")
