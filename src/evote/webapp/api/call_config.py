"""How the speakers' technician calls are made at this installation (docs/speakers.md).

``SPEAKER_ICE_SERVERS`` / ``EVOTE_SPEAKER_ICE_SERVERS``: a JSON list of RTCIceServer objects
(STUN/TURN). None by default: browsers on one network, or with public addresses, need none; a
TURN server relays the media of those behind strict NATs (still never through evote).
``SPEAKER_ROOM_TEMPLATE`` / ``EVOTE_SPEAKER_ROOM_TEMPLATE``: an https URL with ``{room}``, e.g.
``https://meet.jit.si/{room}``: each call is then an external room (Jitsi, BigBlueButton)
instead of WebRTC through evote's signalling, and the studio page names the room.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import current_app

from evote.speakers import calls


def ice_servers() -> list[dict[str, Any]]:
    value = current_app.config.get("SPEAKER_ICE_SERVERS")
    if value is None:
        value = json.loads(os.environ.get("EVOTE_SPEAKER_ICE_SERVERS") or "[]")
    return list(value)


def room_template() -> str:
    value = current_app.config.get("SPEAKER_ROOM_TEMPLATE")
    if value is None:
        value = os.environ.get("EVOTE_SPEAKER_ROOM_TEMPLATE", "")
    return str(value)


def call_config() -> dict[str, Any]:
    """What the pages need to place a call: ICE servers, and whether calls are external rooms."""
    return {"ice_servers": ice_servers(), "external_rooms": bool(room_template())}


def room_of(entry_id: int, event_id: int) -> str | None:
    template = room_template()
    if not template:
        return None
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return calls.room_url(template, secret, event_id, entry_id)
