"""The roles a participant may hold at a convention.

Why a leaf of its own: the stored participant (``store.models.people``), the domain (who may vote,
who guards the key) and the web layer's permission matrix all speak of roles; keeping the enum
below all of them lets each import it without importing the others.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Roles a participant may hold, stored by value in ``participant_roles``."""

    DELEGATE = "delegate"
    """A delegate; votes if they also hold a voting right (see ``Participant.voting_right``)."""
    GUEST_DELEGATE = "guest_delegate"
    """Advisory member: may speak, never votes."""
    PRESIDIUM = "presidium"
    GUARDIAN = "guardian"
    TECHNICIAN = "technician"
    SUPPORT = "support"
    ADMIN = "admin"
    MOTIONS_COMMITTEE = "motions_committee"
    """Antragskommission: screens motions and amendments, numbers them, gives recommendations."""


ATTENDING_ROLES = frozenset({Role.DELEGATE, Role.GUEST_DELEGATE, Role.PRESIDIUM})
"""Who checks in: delegates count for the quorum, the presidium sits in the hall. Support and
admin work behind the scenes and get no check-in button."""
