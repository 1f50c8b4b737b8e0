"""Guardian records can be imported without the ceremony only where that is switched on.

Whoever imports the records may hold every guardian's secret, so in production the joint key
comes only out of the key ceremony; rehearsals and tests set EVOTE_ALLOW_KEY_IMPORT=1.
"""

from collections.abc import Callable
from typing import Any

import pytest

from evote.rules.roles import Role

from .vote_helpers import Guardians


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ALLOW_KEY_IMPORT": False}


def test_key_import_is_refused_unless_switched_on(
    logged_in: Callable[..., Any], guardians: Guardians
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    resp = presidium.put("/api/election-key", guardians.ceremony_json())
    assert resp.status_code == 403
    assert resp.get_json()["error"] == "key_import_disabled"
    assert presidium.get("/api/election-key").status_code == 409
