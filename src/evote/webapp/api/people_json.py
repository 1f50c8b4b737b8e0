"""How participants appear in JSON. One place, so no view leaks a field by accident.

Nothing here touches votes: support and admin views are built from these functions only, and
the participant tables hold no ballot data at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from evote.people.attendance import can_vote
from evote.store.models.people import Participant


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def participant_json(p: Participant) -> dict[str, Any]:
    """What staff (support, admin) see of a participant."""
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "delegation": p.delegation,
        "login_name": p.login_name,
        "roles": sorted(r.value for r in p.role_set),
        "groups": p.group_names,
        "voting_right": p.voting_right,
        "active": p.active,
        "has_credentials": p.password_hash is not None,
        "credentials_issued_at": _time(p.credentials_issued_at),
        "checked_in": p.checked_in_at is not None,
        "checked_in_at": _time(p.checked_in_at),
        "reissue_requested_at": _time(p.reissue_requested_at),
    }


def self_json(p: Participant) -> dict[str, Any]:
    """What a participant sees of themselves, plus the event they are at."""
    data = participant_json(p)
    data["can_vote"] = can_vote(p)
    data["event"] = {
        "slug": p.event.slug,
        "name": p.event.name,
        "status": p.event.status,
    }
    return data
