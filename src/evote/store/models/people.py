"""Participants, their roles and groups, and failed logins (for the login throttle)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from evote.rules.roles import Role
from evote.store.base import Base, UtcDateTime
from evote.store.models.event import Event


class Participant(Base):
    """Anyone with a login at an event: delegates, guests, presidium, staff.

    ``password_hash`` is an Argon2id hash; the password itself exists only on the access letter
    (or in the support agent's reply) and is never stored. ``credential_version`` goes up with
    every new password, and sessions carry it, so reissuing logs out whoever held the old one.
    """

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    delegation: Mapped[str] = mapped_column(String(200), default="")
    """Regional or local delegation the participant comes from; shown to presidium and support."""
    voting_right: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    """Deactivated participants cannot log in and do not count for the quorum; rows stay for the
    audit trail and the rolls of past votes."""
    login_name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    credential_version: Mapped[int] = mapped_column(Integer, default=0)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Sessions carry it and must match; logout raises it, so a cookie copied before the
    logout (from a shared computer, a proxy log, a backup) stops working at once, on every
    worker, without a server-side session store."""
    credentials_issued_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), default=None
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    reissue_requested_by: Mapped[int | None] = mapped_column(Integer, default=None)
    """A staff member who asked for a new password during an open vote; a second one confirms
    (``webapp/api/support.py``, two-person rule)."""
    reissue_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    reissue_notice_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    """When a password was reissued during an open vote; the participant's next page says so
    (someone else could have held their access then), and clears it."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    event: Mapped[Event] = relationship(lazy="joined")
    roles: Mapped[list[ParticipantRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ParticipantRole.role"
    )
    groups: Mapped[list[ParticipantGroup]] = relationship(
        cascade="all, delete-orphan", lazy="select", order_by="ParticipantGroup.name"
    )
    """Loaded only when asked for: the per-request identity check needs roles, not groups."""

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)

    @property
    def group_names(self) -> list[str]:
        return [g.name for g in self.groups]

    def has_role(self, role: Role) -> bool:
        return any(r.role == role.value for r in self.roles)


class ParticipantRole(Base):
    """One role of one participant (values of :class:`evote.webapp.permissions.Role`)."""

    __tablename__ = "participant_roles"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class ParticipantGroup(Base):
    """A free-form group label (e.g. "women" for quota rules, a working group).

    Groups carry no permissions; those come from roles only. They exist for later features that
    sort people, such as the speakers' list alternating by quota.
    """

    __tablename__ = "participant_groups"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)


class LoginThrottle(Base):
    """Failed logins of one account or one client address, kept so every worker sees the same.

    ``scope`` is ``"account"`` (``key`` the login name as typed) or ``"ip"`` (the address).
    ``failures`` counts attempts within the window (an attempt counts before its password is
    checked and is taken back when right); ``next_at`` is when the next attempt may be made.
    Rows idle longer than the window are deleted opportunistically.
    """

    __tablename__ = "login_throttle"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_at: Mapped[datetime] = mapped_column(UtcDateTime())
