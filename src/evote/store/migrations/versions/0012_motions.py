"""motions and amendments: kinds, motions, text versions, supporters, history, votes from motions

Revision ID: 0012_motions
Revises: 0010_live_events
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_motions"
down_revision = "0010_live_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("motion_kinds",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("event_id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=8), nullable=False),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
    sa.Column("amendment_deadline", sa.DateTime(timezone=True), nullable=True),
    sa.Column("supporters_required", sa.Integer(), nullable=False),
    sa.Column("majority_rule", sa.String(length=16), nullable=False),
    sa.CheckConstraint("supporters_required >= 0", name=op.f("ck_motion_kinds_supporters_nonnegative")),
    sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_motion_kinds_event_id_events"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_motion_kinds")),
    sa.UniqueConstraint("event_id", "code", name=op.f("uq_motion_kinds_event_id_code"))
    )
    op.create_index(op.f("ix_motion_kinds_event_id"), "motion_kinds", ["event_id"])
    op.create_table("motion_settings",
    sa.Column("event_id", sa.Integer(), nullable=False),
    sa.Column("public_listing", sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_motion_settings_event_id_events"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("event_id", name=op.f("pk_motion_settings"))
    )
    op.create_table("motions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("event_id", sa.Integer(), nullable=False),
    sa.Column("kind_id", sa.Integer(), nullable=False),
    sa.Column("amends_id", sa.Integer(), nullable=True),
    sa.Column("series", sa.String(length=40), nullable=False),
    sa.Column("number", sa.Integer(), nullable=True),
    sa.Column("state", sa.String(length=24), nullable=False),
    sa.Column("title", sa.String(length=300), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("text_version", sa.Integer(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("submitter_kind", sa.String(length=16), nullable=False),
    sa.Column("body_name", sa.String(length=200), nullable=False),
    sa.Column("author_id", sa.Integer(), nullable=True),
    sa.Column("author_name", sa.String(length=200), nullable=False),
    sa.Column("urgent", sa.Boolean(), nullable=False),
    sa.Column("refusal_reason", sa.Text(), nullable=False),
    sa.Column("line_from", sa.Integer(), nullable=True),
    sa.Column("line_to", sa.Integer(), nullable=True),
    sa.Column("base_version", sa.Integer(), nullable=True),
    sa.Column("old_text", sa.Text(), nullable=True),
    sa.Column("recommendation", sa.String(length=16), nullable=True),
    sa.Column("recommendation_reason", sa.Text(), nullable=False),
    sa.Column("recommended_text", sa.Text(), nullable=True),
    sa.Column("agenda_item_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_motions_agenda_item_id_agenda_items"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["amends_id"], ["motions.id"], name=op.f("fk_motions_amends_id_motions"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["author_id"], ["participants.id"], name=op.f("fk_motions_author_id_participants"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_motions_event_id_events"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["kind_id"], ["motion_kinds.id"], name=op.f("fk_motions_kind_id_motion_kinds"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_motions")),
    sa.UniqueConstraint("series", "number", name=op.f("uq_motions_series_number"))
    )
    op.create_index(op.f("ix_motions_amends_id"), "motions", ["amends_id"])
    op.create_index(op.f("ix_motions_author_id"), "motions", ["author_id"])
    op.create_index(op.f("ix_motions_event_id"), "motions", ["event_id"])
    op.create_index(op.f("ix_motions_state"), "motions", ["state"])
    op.create_table("motion_history",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("motion_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("from_state", sa.String(length=24), nullable=True),
    sa.Column("to_state", sa.String(length=24), nullable=False),
    sa.Column("actor_id", sa.Integer(), nullable=True),
    sa.Column("note", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["actor_id"], ["participants.id"], name=op.f("fk_motion_history_actor_id_participants"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["motion_id"], ["motions.id"], name=op.f("fk_motion_history_motion_id_motions"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_motion_history"))
    )
    op.create_index(op.f("ix_motion_history_motion_id"), "motion_history", ["motion_id"])
    op.create_table("motion_supporters",
    sa.Column("motion_id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["motion_id"], ["motions.id"], name=op.f("fk_motion_supporters_motion_id_motions"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], name=op.f("fk_motion_supporters_participant_id_participants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("motion_id", "participant_id", name=op.f("pk_motion_supporters"))
    )
    op.create_table("motion_texts",
    sa.Column("motion_id", sa.Integer(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("sha256", sa.String(length=64), nullable=False),
    sa.Column("note", sa.String(length=300), nullable=False),
    sa.Column("replaced_from", sa.Integer(), nullable=True),
    sa.Column("replaced_to", sa.Integer(), nullable=True),
    sa.Column("replaced_by", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["motion_id"], ["motions.id"], name=op.f("fk_motion_texts_motion_id_motions"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("motion_id", "version", name=op.f("pk_motion_texts"))
    )
    op.create_table("motion_votes",
    sa.Column("vote_id", sa.Integer(), nullable=False),
    sa.Column("motion_id", sa.Integer(), nullable=False),
    sa.Column("purpose", sa.String(length=16), nullable=False),
    sa.Column("base_version", sa.Integer(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("text_sha256", sa.String(length=64), nullable=False),
    sa.Column("applied", sa.Boolean(), nullable=False),
    sa.Column("outcome", sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(["motion_id"], ["motions.id"], name=op.f("fk_motion_votes_motion_id_motions"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["vote_id"], ["votes.id"], name=op.f("fk_motion_votes_vote_id_votes"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("vote_id", name=op.f("pk_motion_votes"))
    )
    op.create_index(op.f("ix_motion_votes_motion_id"), "motion_votes", ["motion_id"])




def downgrade() -> None:
    op.drop_index(op.f("ix_motion_votes_motion_id"), table_name="motion_votes")
    op.drop_table("motion_votes")
    op.drop_table("motion_texts")
    op.drop_table("motion_supporters")
    op.drop_index(op.f("ix_motion_history_motion_id"), table_name="motion_history")
    op.drop_table("motion_history")
    op.drop_index(op.f("ix_motions_state"), table_name="motions")
    op.drop_index(op.f("ix_motions_event_id"), table_name="motions")
    op.drop_index(op.f("ix_motions_author_id"), table_name="motions")
    op.drop_index(op.f("ix_motions_amends_id"), table_name="motions")
    op.drop_table("motions")
    op.drop_table("motion_settings")
    op.drop_index(op.f("ix_motion_kinds_event_id"), table_name="motion_kinds")
    op.drop_table("motion_kinds")
