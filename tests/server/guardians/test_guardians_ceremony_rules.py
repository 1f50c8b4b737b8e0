"""The ceremony's rules that need no vote: starting, aborting, order, and no way around it.

Kept small (two guardians, quorum 2) because every key and backup is 4096-bit arithmetic.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from typing import Any

from guardian_helpers import run_ceremony, seat_guardians
from server_helpers import Api, Person

from evote.rules.roles import Role
from evote_guardian.connection import Connection, ServerError


def test_start_abort_restart_and_no_shortcut_to_the_key(
    live_server: str, laptops: Callable[[int], list[Any]], person: Callable[..., Person],
    new_api: Callable[[], Api],
) -> None:
    two = laptops(2)
    outsider = person(Role.DELEGATE)
    presidium, seated = seat_guardians(person, new_api, two, live_server, quorum=2)

    # One ceremony per event; the quorum must fit; only guardians of this event can be seated.
    again = presidium.post("/api/ceremony", {"quorum": 2})
    assert (again.status_code, again.get_json()["error"]) == (409, "ceremony_exists")
    assert presidium.delete("/api/ceremony").status_code == 200
    # A quorum of 1 would make each backup a guardian's secret itself; one guardian likewise.
    only_one = [seated[0].id]
    for body, code in (
        ({"quorum": 3}, "bad_quorum"),
        ({"quorum": 0}, "bad_quorum"),
        ({"quorum": 1}, "bad_quorum"),
        ({"quorum": 1, "guardians": only_one}, "too_few_guardians"),
        ({"quorum": 2, "guardians": only_one}, "too_few_guardians"),
        ({"quorum": 1, "guardians": [outsider.id]}, "not_a_guardian"),
    ):
        resp = presidium.post("/api/ceremony", body)
        assert (resp.status_code, resp.get_json()["error"]) == (422, code), (body, resp.get_json())
    quorum_one = presidium.post("/api/ceremony", {"quorum": 1}).get_json()["message"]
    assert "at least 2, not 1" in quorum_one and "decrypt any ballot alone" in quorum_one
    assert presidium.get("/api/ceremony").status_code == 404

    # A guardian starts, the ceremony is aborted and restarted: the old polynomial is not reused.
    resp = presidium.post("/api/ceremony", {"quorum": 2})
    first_id = resp.get_json()["ceremony_id"]
    two[0].run("ceremony")
    assert presidium.delete("/api/ceremony").status_code == 200
    second_id = presidium.post("/api/ceremony", {"quorum": 2}).get_json()["ceremony_id"]
    assert second_id != first_id
    stale = two[0].run("ceremony", expect_ok=False)
    assert stale.exit_code == 1 and "move the old file away" in stale.output
    shutil.move(two[0].state_dir / "guardian.state", two[0].state_dir / "aborted.state")

    # Steps in the wrong order or about others' backups are refused and change nothing.
    g2 = Connection.resume(two[1].state_dir)
    two[1].run("ceremony")
    for path, body, code in [
        ("/api/ceremony/backups", {"backups": []}, "wrong_ceremony_step"),
        ("/api/ceremony/verifications", {"verifications": []}, "wrong_ceremony_step"),
    ]:
        try:
            g2.post(path, body)
            raise AssertionError(f"{path} accepted before every key was in")
        except ServerError as exc:
            assert exc.code == code, exc

    # The presidium cannot put a key of its choice in place of the ceremony's.
    shortcut = presidium.put("/api/election-key", {
        "number_of_guardians": 2, "quorum": 2,
        "guardians": presidium.get("/api/ceremony").get_json()["guardians"],
    })  # fmt: skip
    assert (shortcut.status_code, shortcut.get_json()["error"]) == (409, "ceremony_in_progress")

    run_ceremony(two)
    # Each backup reaches its addressee only; the public view shows statuses, not ciphertexts.
    mailbox = g2.get("/api/ceremony/me")
    assert [(b["owner_id"], b["backup"]["designated_id"]) for b in mailbox["backups"]] == [
        ("guardian-1", "guardian-2")
    ]
    assert "encrypted_coordinate" not in json.dumps(presidium.get("/api/ceremony").get_json())
    view = presidium.get("/api/ceremony").get_json()
    assert view["state"] == "complete" and view["ceremony_id"] == second_id
    assert presidium.get("/api/election-key").get_json()["joint_public_key"] == view[
        "joint_public_key"
    ]
    try:
        g2.post("/api/ceremony/verifications", {"verifications": [
            {"owner_id": "guardian-1", "verified": False, "reason": "too late"}
        ]})  # fmt: skip
        raise AssertionError("a challenge after completion was accepted")
    except ServerError as exc:
        assert exc.code == "wrong_ceremony_step"
    done = presidium.delete("/api/ceremony")
    assert (done.status_code, done.get_json()["error"]) == (409, "ceremony_complete")
