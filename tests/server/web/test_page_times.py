"""Times on the pages are the convention's (EVOTE_TIME_ZONE, Europe/Berlin by default), never UTC
(issue 12, item 6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api, Person

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.app import create_app
from evote.webapp.pages import timezone


def test_berlin_by_default_in_winter_and_summer(app: Flask) -> None:
    with app.app_context():
        assert timezone.zone_name() == "Europe/Berlin"
        assert timezone.day_and_time(datetime(2026, 12, 6, 13, 5, tzinfo=UTC)) == "06.12. 14:05"
        assert timezone.clock_time(datetime(2026, 6, 6, 13, 5, 9, tzinfo=UTC), seconds=True) == "15:05:09"
        assert timezone.clock_from_iso("2026-12-06T13:05:09+00:00") == "14:05:09"


def test_another_zone_is_configurable(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "TIME_ZONE": "America/New_York"})
    with app.app_context():
        assert timezone.clock_time(datetime(2026, 12, 6, 13, 5, tzinfo=UTC)) == "08:05"


def test_an_unknown_zone_stops_the_start(app_config: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="EVOTE_TIME_ZONE='Europe/Berlni'"):
        create_app({**app_config, "TIME_ZONE": "Europe/Berlni"})


def test_the_pages_name_the_zone_and_show_no_utc(
    app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api]
) -> None:
    delegate = person(Role.DELEGATE, name="Anna Hier", checked_in=True)
    chair = logged_in(Role.PRESIDIUM)
    presence = chair.get("/presidium/presence").get_data(as_text=True)
    assert "UTC" not in presence
    with app.app_context():
        row = get_session().get(Participant, delegate.id)
        assert row is not None and row.checked_in_at is not None
        assert timezone.clock_time(row.checked_in_at, seconds=True) in presence
        # a reissue during a vote is told in the convention's time, too
        row.reissue_notice_at = datetime(2026, 12, 6, 13, 5, tzinfo=UTC)
        get_session().commit()
    browser = Api(app.test_client())
    browser.login(delegate)
    page = browser.get("/vote").get_data(as_text=True)
    assert "06.12. 14:05" in page and "UTC" not in page.split('id="page-data"')[0]
    assert '"timeZone":"Europe/Berlin"' in page
