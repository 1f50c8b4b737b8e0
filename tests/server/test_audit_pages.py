"""Support and admin read the audit log (API and page); delegates and the presidium do not.

Staff actions through the API land in the log with who did them: a staff login, a role change,
a reissue asked for during an open vote and confirmed by a second person, agenda changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from server_helpers import Api, Person

from evote.cli import main
from evote.rules.roles import Role


def _staff(logged_in: Callable[..., Api]) -> tuple[Api, Api, Api]:
    return logged_in(Role.SUPPORT), logged_in(Role.ADMIN), logged_in(Role.PRESIDIUM)


def test_staff_actions_are_logged_and_only_support_and_admin_read_them(
    logged_in: Callable[..., Api], person: Callable[..., Person], new_api: Callable[[], Api]
) -> None:
    support, admin, presidium = _staff(logged_in)
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    target = person(Role.DELEGATE)
    assert presidium.post("/api/agenda", {"title": "TOP 1 Begrüßung"}).status_code == 201
    assert support.post(f"/api/support/participants/{target.id}/credentials").status_code == 200
    changed = admin.patch(
        f"/api/admin/participants/{target.id}", {"roles": ["guest_delegate"], "voting_right": False}
    )
    assert changed.status_code == 200, changed.get_json()

    resp = support.get("/api/audit")
    assert resp.status_code == 200
    entries = resp.get_json()["entries"]
    actions = [e["action"] for e in entries]  # newest first
    assert actions[:3] == ["participant.update", "credentials.reissue", "agenda.add"]
    assert actions.count("staff.login") == 3  # support, admin, presidium; not the delegate
    update = entries[0]
    assert update["actor"] == f"participant:{admin.person.id}" and update["roles"] == ["admin"]  # type: ignore[union-attr]
    assert update["details"]["roles"] == ["guest_delegate"]
    assert update["object"] == {"type": "participant", "id": str(target.id)}
    assert entries[1]["actor_name"] and entries[1]["details"]["during_vote"] is False  # names for staff, ids in the entry
    assert resp.get_json()["head"]["seq"] == len(entries)

    # the key ceremony's steps are logged too
    for _ in range(2):
        logged_in(Role.GUARDIAN)
    assert presidium.post("/api/ceremony", {"quorum": 2}).status_code == 201
    assert presidium.delete("/api/ceremony").status_code == 200
    steps = [e["action"] for e in support.get("/api/audit?action=ceremony.").get_json()["entries"]]
    assert steps == ["ceremony.abort", "ceremony.start"]

    for who in (delegate, presidium, new_api()):
        assert who.get("/api/audit").status_code in (401, 403)
        assert who.get("/api/audit/log.json").status_code in (401, 403)
    assert admin.get("/api/audit").status_code == 200


def test_filters_and_a_bad_filter(logged_in: Callable[..., Api]) -> None:
    support, _admin, presidium = _staff(logged_in)
    presidium.post("/api/agenda", {"title": "TOP 1"})
    item = presidium.post("/api/agenda", {"title": "TOP 2"}).get_json()["items"][-1]
    assert presidium.post(f"/api/agenda/{item['id']}/call").status_code == 200
    only = support.get("/api/audit?action=agenda.").get_json()["entries"]
    assert [e["action"] for e in only] == ["agenda.call", "agenda.add", "agenda.add"]
    assert [e["action"] for e in support.get("/api/audit?action=agenda.call").get_json()["entries"]] == ["agenda.call"]
    mine = support.get(f"/api/audit?actor={presidium.person.id}&limit=2").get_json()["entries"]  # type: ignore[union-attr]
    assert len(mine) == 2 and all(e["actor"] == f"participant:{presidium.person.id}" for e in mine)  # type: ignore[union-attr]
    assert support.get("/api/audit?actor=system").get_json()["entries"] == []
    bad = support.get("/api/audit?limit=0")
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_filter"
    assert support.get("/api/audit?actor=robert").status_code == 400


def test_the_page_in_both_languages_and_the_download_verifies(
    logged_in: Callable[..., Api], tmp_path: Path
) -> None:
    support, admin, presidium = _staff(logged_in)
    presidium.post("/api/agenda", {"title": "TOP <b>1</b>"})
    page = admin.get("/audit", headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Audit-Log" in html and "<td>agenda.add</td>" in html
    assert "TOP &lt;b&gt;1&lt;/b&gt;" in html  # shown as text
    english = admin.get("/audit?lang=en&action=agenda.").get_data(as_text=True)
    assert "Log of actions" in english and "<td>staff.login</td>" not in english
    bad = admin.get("/audit?limit=x&lang=de")
    assert bad.status_code == 400 and "ist ungültig" in bad.get_data(as_text=True)
    assert "/audit" in support.get("/support").get_data(as_text=True)
    assert "/audit" in admin.get("/").get_data(as_text=True)
    assert presidium.get("/audit", headers={"Accept": "text/html"}).status_code == 403

    log = admin.get("/api/audit/log.json")
    path = tmp_path / "log.json"
    path.write_bytes(log.data)
    assert json.loads(log.data)["type"] == "evote/audit-log"
    result = CliRunner().invoke(main, ["audit", "verify", str(path)])
    assert result.exit_code == 0, result.output
