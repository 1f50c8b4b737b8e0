"""speakers' lists: settings, self-declared quota side, lists per agenda item, entries, and the
signalling mailbox of the technician calls

Revision ID: 0015_speakers
Revises: 0014_vote_steering
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_speakers"
down_revision = "0014_vote_steering"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "speaker_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("quota_group", sa.String(length=16), nullable=False),
        sa.Column("speaking_seconds", sa.Integer(), nullable=False),
        sa.Column("active_list_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_speaker_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_speaker_settings")),
    )
    op.create_table(
        "speaker_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("quota", sa.Boolean(), nullable=False),
        sa.Column("when_side_empty", sa.String(length=16), nullable=False),
        sa.Column("guests", sa.Boolean(), nullable=False),
        sa.Column("speaking_seconds", sa.Integer(), nullable=False),
        sa.Column("current_entry_id", sa.Integer(), nullable=True),
        sa.Column("speech_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("speech_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_speaker_lists_agenda_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_speaker_lists_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_lists")),
        sa.UniqueConstraint("agenda_item_id", name=op.f("uq_speaker_lists_agenda_item_id")),
    )
    op.create_index(op.f("ix_speaker_lists_event_id"), "speaker_lists", ["event_id"], unique=False)
    op.create_table(
        "speaker_profiles",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("quota", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_speaker_profiles_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_speaker_profiles")),
    )
    op.create_table(
        "speaker_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prepared", sa.Boolean(), nullable=False),
        sa.Column("tech", sa.String(length=16), nullable=False),
        sa.Column("tech_note", sa.String(length=300), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["speaker_lists.id"],
            name=op.f("fk_speaker_entries_list_id_speaker_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_speaker_entries_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_entries")),
    )
    op.create_index(
        op.f("ix_speaker_entries_list_id"), "speaker_entries", ["list_id"], unique=False
    )
    op.create_index(
        op.f("ix_speaker_entries_participant_id"),
        "speaker_entries",
        ["participant_id"],
        unique=False,
    )
    op.create_table(
        "speaker_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["speaker_entries.id"],
            name=op.f("fk_speaker_signals_entry_id_speaker_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_signals")),
    )
    op.create_index(
        op.f("ix_speaker_signals_entry_id"), "speaker_signals", ["entry_id"], unique=False
    )
    op.create_index(
        op.f("ix_speaker_signals_recipient_id"), "speaker_signals", ["recipient_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_speaker_signals_recipient_id"), table_name="speaker_signals")
    op.drop_index(op.f("ix_speaker_signals_entry_id"), table_name="speaker_signals")
    op.drop_table("speaker_signals")
    op.drop_index(op.f("ix_speaker_entries_participant_id"), table_name="speaker_entries")
    op.drop_index(op.f("ix_speaker_entries_list_id"), table_name="speaker_entries")
    op.drop_table("speaker_entries")
    op.drop_table("speaker_profiles")
    op.drop_index(op.f("ix_speaker_lists_event_id"), table_name="speaker_lists")
    op.drop_table("speaker_lists")
    op.drop_table("speaker_settings")
