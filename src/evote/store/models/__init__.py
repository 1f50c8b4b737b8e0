"""All SQLAlchemy models. Importing this package imports every module in it.

Why automatic: Alembic and ``create_all`` see only the tables whose modules were imported, and
a forgotten import gives a silently incomplete schema. So every ``models/<area>.py`` is loaded
here; adding a module is enough, nothing to register.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

from evote.store.models.event import Event, EventStatus  # noqa: E402
from evote.store.models.people import LoginThrottle, Participant, ParticipantGroup, ParticipantRole  # noqa: E402

__all__ = [
    "Event",
    "EventStatus",
    "LoginThrottle",
    "Participant",
    "ParticipantGroup",
    "ParticipantRole",
]
