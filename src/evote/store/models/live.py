"""The agenda item the presidium has on stage now, so a page that connects late is told too."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from evote.store.base import Base


class CurrentAgendaItem(Base):
    __tablename__ = "current_agenda_item"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(300))
