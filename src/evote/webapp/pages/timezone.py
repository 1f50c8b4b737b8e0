"""Times as the convention reads them: in its time zone (``TIME_ZONE``, ``EVOTE_TIME_ZONE``,
default Europe/Berlin), never in UTC and never in the zone a delegate's phone happens to be set
to, so the hall, the projector and the minutes name the same hour.

The server stores and sends UTC (ISO 8601 with offset); server-rendered pages format here, the
scripts get the zone's name in the page data and format with ``Intl`` (web/js/pages/common.js,
``timeOf``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

DEFAULT = "Europe/Berlin"


def zone_name() -> str:
    return str(current_app.config.get("TIME_ZONE") or DEFAULT)


def check(name: str) -> ZoneInfo:
    """The zone, or ValueError naming the setting: a typo must stop the start, not show UTC."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"EVOTE_TIME_ZONE={name!r} is not a known IANA time zone") from exc


def local(when: datetime) -> datetime:
    """`when` (aware, any zone) in the convention's zone."""
    return when.astimezone(ZoneInfo(zone_name()))


def clock_time(when: datetime, *, seconds: bool = False) -> str:
    """``14:05`` (or ``14:05:09``) in the convention's zone."""
    return local(when).strftime("%H:%M:%S" if seconds else "%H:%M")


def clock_from_iso(text: str) -> str:
    """The Jinja filter ``clock``: an ISO 8601 time with offset as ``14:05:09`` here."""
    return clock_time(datetime.fromisoformat(text), seconds=True)


def day_and_time(when: datetime) -> str:
    """``06.12. 14:05`` in the convention's zone."""
    return local(when).strftime("%d.%m. %H:%M")
