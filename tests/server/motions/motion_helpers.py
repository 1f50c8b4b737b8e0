"""Steps the motions tests repeat: write, submit and admit a motion, write an amendment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from server_helpers import Api
from vote_helpers import Guardians, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.clock import ManualClock

TEXT = """Die Versammlung möge beschließen:

Der Parteitag fordert eine **klimaneutrale** Verwaltung bis 2035.
Dazu werden alle Dienstgebäude saniert.

- Photovoltaik auf jedem geeigneten Dach
- Wärmepumpen statt Gasheizungen
- ein Sanierungsfahrplan für jedes Gebäude

Die Finanzierung erfolgt aus dem Klimafonds."""
"""Numbered lines: 1 "Die Versammlung …", 2 "Der Parteitag …", 3 "Dazu …", 4–6 the list,
7 "Die Finanzierung …"."""


@dataclass
class Cast:
    """The people of a motions test, each a logged-in browser, and the event's kinds by code."""

    committee: Api
    delegates: list[Api]
    presidium: Api
    kinds: dict[str, dict[str, Any]]


def ok(resp: Any, status: int = 200) -> dict[str, Any]:
    body = resp.get_json()
    assert resp.status_code == status, body
    assert isinstance(body, dict)
    return body


def refused(resp: Any, status: int, error: str) -> dict[str, Any]:
    body = resp.get_json()
    assert (resp.status_code, body.get("error")) == (status, error), body
    assert body.get("message")
    return body


def draft(author: Api, kind: dict[str, Any], *, title: str = "Klimaneutrale Verwaltung",
          text: str = TEXT, **extra: Any) -> dict[str, Any]:
    return ok(author.post("/api/motions", {"kind_id": kind["id"], "title": title, "text": text,
                                           "reason": "Weil es Zeit wird.", **extra}), 201)


def admitted(author: Api, committee: Api, kind: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A motion written, submitted, admitted and numbered."""
    motion = draft(author, kind, **extra)
    ok(author.post(f"/api/motions/{motion['id']}/submit"))
    return ok(committee.post(f"/api/motions/{motion['id']}/screen",
                             {"decision": "admit", "number": True}))


def amendment(author: Api, committee: Api, motion: dict[str, Any], line_from: int, line_to: int,
              text: str, **extra: Any) -> dict[str, Any]:
    """An amendment written against the motion's current version, submitted, admitted, numbered."""
    body = {"line_from": line_from, "line_to": line_to, "text": text,
            "base_version": motion.get("text_version", 1), **extra}
    made = ok(author.post(f"/api/motions/{motion['id']}/amendments", body), 201)
    ok(author.post(f"/api/motions/{made['id']}/submit"))
    return ok(committee.post(f"/api/motions/{made['id']}/screen",
                             {"decision": "admit", "number": True}))


class Hall:
    """The convention: committee, presidium (with the recorded key), a guardian, 3 delegates."""

    def __init__(self, logged_in: Callable[..., Api], guardians: Guardians,
                 clock: ManualClock) -> None:
        self.committee = logged_in(Role.MOTIONS_COMMITTEE)
        self.presidium = logged_in(Role.PRESIDIUM)
        ok(self.presidium.put("/api/election-key", guardians.ceremony_json()))
        self.guardian = logged_in(Role.GUARDIAN)
        self.delegates = [logged_in(Role.DELEGATE, checked_in=True) for _ in range(3)]
        self.guardians, self.clock = guardians, clock
        made = ok(self.committee.post("/api/motion-kinds", {"defaults": True}), 201)
        self.kinds = {k["code"]: k for k in made["kinds"]}

    def decide(self, vote_id: int, answers: list[str]) -> None:
        """Every delegate casts, the presidium closes, the guardians decrypt."""
        for i, answer in enumerate(answers):
            view = ok(self.delegates[i].get(f"/api/votes/{vote_id}"))
            ballot = encrypt_for_vote(view, {"motion": [answer]}, f"m-{vote_id}-{i}")
            ok(self.delegates[i].post(f"/api/votes/{vote_id}/ballots", ballot), 201)
        self.clock.advance(15)
        ok(self.presidium.post(f"/api/votes/{vote_id}/close"))
        tally = ok(self.guardian.get(f"/api/votes/{vote_id}/encrypted-tally"))
        for g in range(3):
            for share in self.guardians.shares(g, tally):
                ok(self.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share))

    def announce(self, vote_id: int) -> None:
        ok(self.presidium.post(f"/api/votes/{vote_id}/announce"))
