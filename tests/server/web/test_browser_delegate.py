"""Where a delegate could believe they voted when they did not (issue 12, items 1-5), walked in
Debian's Chromium on a phone in German, partly by keyboard only; axe-core on the login page,
the delegate page and the projector.

The server runs in a thread as in test_browser_vote.py; `web/e2e/delegate_cases.mjs` plays the
presidium, a support person and the delegates, and prints what it saw. Skips with the reason
when Chromium, Node, playwright-core or axe-core is missing (CI installs them).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from browser_harness import CHROMIUM, NODE, REPO, needs_chromium
from flask import Flask
from server_helpers import Api, Person, live_http
from vote_helpers import Guardians

from evote.people import projector_link
from evote.rules.roles import Role

pytestmark = needs_chromium


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LIVE_TURNOUT_INTERVAL": 0, "LIVE_HEARTBEAT": 2.0,
            "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")


SERIOUS = {"serious", "critical"}


class Decrypter(threading.Thread):
    """The guardians: every vote that closes is decrypted (shares of all three), so the
    presidium can announce and the projector and the delegates' result card show it."""

    def __init__(self, guardian: Api, guardians: Guardians) -> None:
        super().__init__(daemon=True)
        self.guardian, self.guardians = guardian, guardians
        self.stop = threading.Event()
        self.done: set[int] = set()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.wait(0.3):
                for vote_id in range(1, 6):
                    if vote_id in self.done:
                        continue
                    resp = self.guardian.get(f"/api/votes/{vote_id}/encrypted-tally")
                    if resp.status_code != 200:
                        continue
                    payload = resp.get_json()
                    for index in (0, 1, 2):
                        for share in self.guardians.shares(index, payload):
                            sent = self.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
                            assert sent.status_code == 200, sent.get_json()
                    self.done.add(vote_id)
        except BaseException as exc:  # reported by the test
            self.error = exc


LONG_NAMES = [
    "Maria-Theresa Leutheusser-Schnarrenberger",
    "Karl-Theodor Freiherr von und zu Guttenberg-Rautenstrauch",
    "Ada Lovelace",
]


def test_delegate_page_cases_in_chromium(
    app: Flask,
    live_server: str,
    person: Callable[..., Person],
    logged_in: Callable[..., Api],
    tmp_path: Path,
) -> None:
    guardians = Guardians(3, 2, label="browser-delegate")
    presidium = person(Role.PRESIDIUM, voting_right=False)
    assert logged_in(Role.PRESIDIUM).put(
        "/api/election-key", guardians.ceremony_json()).status_code == 200
    support = person(Role.SUPPORT)
    # During an open vote a new password needs a second support person's confirmation.
    support2 = person(Role.SUPPORT)
    delegates = {
        name: person(Role.DELEGATE, name=f"Delegierte {name}",
                     checked_in=name not in ("case4", "keys"))
        for name in ("case1", "case2", "case2reload", "case3", "case3next", "case4", "case5",
                     "case10", "keys")
    }
    # the projector opens by its link (issue 12, item 8), as the wall's own account
    wall = person(Role.TECHNICIAN, name="Beamer")
    secret = str(app.config["SECRET_KEY"]).encode()
    projector_url = "/projector/enter?" + urlencode(
        {"p": wall.id, "token": projector_link.token(secret, wall.id, 1)})
    decrypter = Decrypter(logged_in(Role.GUARDIAN), guardians)
    decrypter.start()
    screenshots = Path(os.environ.get("EVOTE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    config = {
        "base": live_server,
        "presidium": {"login": presidium.login_name, "password": presidium.password},
        "support": {"login": support.login_name, "password": support.password},
        "support2": {"login": support2.login_name, "password": support2.password},
        "delegates": {name: {"login": p.login_name, "password": p.password, "id": p.id}
                      for name, p in delegates.items()},
        "screenshots": str(screenshots.resolve()),
        "longNames": LONG_NAMES,
        "projectorLink": projector_url,
    }
    assert NODE is not None
    log = tmp_path / "browser.log"
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "delegate_cases.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "300")),
        )
    decrypter.stop.set()
    decrypter.join(timeout=30)
    assert run.returncode == 0, run.stdout[-3000:] + log.read_text()[-6000:]
    assert decrypter.error is None, decrypter.error
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["csp"] == [], seen["csp"]
    # no page showed a text without an entry (common.js reports each on the console)
    assert seen["untranslated"] == [], seen["untranslated"]
    cases = seen["cases"]

    # 1. The countdown inside "Bist Du Dir sicher?"; at the close a plain sentence, focused.
    closed = cases["closed"]
    assert closed["dialogCountdown"].startswith("Noch "), closed
    assert closed["note"] == (
        "Die Abstimmung wurde geschlossen, bevor Deine Stimme ankam – sie wurde nicht gezählt.")
    assert closed["focused"] == "vote-closed-note" and not closed["dialogOpen"]
    assert not closed["formVisible"]  # no chosen option left on screen as if it were cast

    # 2. The answer lost: the encrypted ballot (never the choice) kept, sent again, same code.
    lost = cases["lost"]
    assert "Antwort des Servers ging verloren" in lost["message"] and lost["focused"] == "resend-text"
    [pending] = lost["pending"]
    assert pending["key"].endswith(f"/{delegates['case2'].id}/{seen['voteId']}")
    kept = json.loads(pending["value"])
    assert kept["trackingCode"] == lost["code"] and '"vote"' not in kept["ballot"]
    assert lost["receiptCode"] == lost["code"] and lost["receipts"] == [lost["code"]]
    assert lost["status"] == "Deine Stimme ist abgegeben." and lost["pendingAfter"] == []
    assert lost["said"] == 1  # once (item 7), not again in the status line
    reload = cases["reload"]
    assert reload["receiptCode"] == reload["code"] and reload["pendingAfter"] == []
    assert reload["status"] == "Deine Stimme ist abgegeben." and reload["said"] == 1

    # 3. A shared computer: nothing of the previous person after logout.
    shared = cases["shared"]
    assert shared["before"] == 1 and shared["afterLogout"] == []
    assert shared["loggedOut"].startswith("Du bist abgemeldet.")  # confirmed (item 7)
    assert not shared["receiptVisible"]

    # 4. A late check-in: told before any choice, also after a reload; no ballot offered.
    late = cases["late"]
    assert "nimmst Du nicht teil" in late["before"] and "nimmst Du nicht teil" in late["after"]
    assert not late["formVisible"] and late["radios"] == 0

    # 5. A new password during the session: the login page says so, once.
    reset = cases["reset"]
    assert "neues Passwort" in reset["notice"] and reset["again"] == 0

    # 8. The projector: long double names wrap, never clip; per candidate the name once and
    #    three bars; the ballot count in large type; no person's name in its header.
    wall = cases["projector"]
    assert wall["names"] == LONG_NAMES, wall
    assert wall["clipped"] == [], wall["clipped"]
    assert wall["rowsPerName"] == [3, 3, 3] and wall["bigCount"] == "2", wall
    assert wall["whoShown"] is False
    assert wall["verdict"].startswith("Gewählt: ") and "Ada Lovelace" in wall["verdict"], wall["verdict"]

    # 9. The result reaches the delegate inside /vote as a card, with a way back (by keyboard).
    card = cases["resultCard"]
    assert card["title"].startswith("Ergebnis: ") and card["names"] == LONG_NAMES, card
    assert card["clipped"] == [] and card["focusAfterBack"] == "result-open" and card["hiddenAfterBack"]
    assert card["reopened"] and card["overflowX"] is False

    # 10. Tracking codes short (8 characters in two groups), the whole code on demand; the
    #     challenge worded for non-experts, and afterwards straight back at the ballot.
    test = cases["challenge"]
    assert test["short"] == f"{test['full'][:4]} {test['full'][4:8]}" and not test["fullVisible"]
    assert test["formVisible"] and test["focusInForm"] and test["submitReady"], test
    assert test["status"].startswith("Die Verschlüsselung wurde getestet")
    assert test["verifyOk"] and test["verifyOverflow"] is False, test  # the check page fits 390 px
    assert test["verifyDamaged"] == (  # item 6: the verify page's errors in German
        "Prüfung fehlgeschlagen: Der Prüftext ist unvollständig oder beschädigt. Wurde er ganz "
        "kopiert? Scanne den QR-Code noch einmal.")
    assert test["receiptShort"] == f"{test['cast'][:4]} {test['cast'][4:8]}" and test["cast"] != test["full"]
    assert not test["receiptFullBefore"] and test["receiptFullAfter"]

    # 12. Keyboard only: login, check-in, choice, "Bist Du Dir sicher?", receipt; each step
    #     leaves the focus where the next one starts (the check-in's sentence replaces the
    #     button that disappears, the dialog's "Ja, Stimme abgeben", the receipt's heading).
    keys = cases["keyboard"]
    assert keys["afterName"] == "password" and keys["afterCheckin"] == "checkin-done", keys
    assert keys["inDialog"] == "confirm-cast" and keys["afterCast"] == "receipt-title", keys
    assert keys["receiptShort"] == f"{keys['code'][:4]} {keys['code'][4:8]}", keys
    assert keys["receiptFull"] == keys["code"], keys

    # 11. Screen readers: one announcement at the opening, in words; the result as a sentence.
    said = cases["said"]
    opening = [s for s in said["case10"] if s.startswith("Abstimmung geöffnet: Antrag A1")]
    assert opening == ["Abstimmung geöffnet: Antrag A1: Beitragsordnung, noch 15 Minuten"], said
    assert said["case10"].count("Abstimmung geöffnet: Wahl der Rechnungsprüfer:innen, noch 15 Minuten") == 1
    # more time is told only to who can still vote: case 10 had not voted yet, case 2 had
    assert any(re.fullmatch(r"Das Präsidium hat verlängert: noch 1\d Minuten\.", s) for s in said["case10"]), said
    assert not [s for s in said["case2"] if "verlängert" in s], said["case2"]
    assert any(s.startswith("Ergebnis von „Wahl der Rechnungsprüfer:innen“: Gewählt: ") and "Ja 2" in s
               for s in said["case2"]), said["case2"]

    # axe-core: no serious or critical violation on the three pages.
    for page, violations in seen["axe"].items():
        bad = [v for v in violations if v["impact"] in SERIOUS]
        assert bad == [], (page, bad)
    assert set(seen["axe"]) == {"login", "delegate", "projector", "projector-result", "delegate-result"}
