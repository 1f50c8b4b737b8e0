"""Steps the guardian tests share: seat guardians, run the ceremony, hold a small vote."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from server_helpers import Api, Person
from vote_helpers import encrypt_for_vote

from evote.rules.roles import Role
from evote_guardian.cli import main as guardian_cli


@dataclass
class Laptop:
    """One guardian's machine: a state directory and the CLI run in it."""

    name: str
    state_dir: Path
    passphrase: str

    def run(self, *args: str, expect_ok: bool = True) -> Result:
        env = {
            "EVOTE_GUARDIAN_DIR": str(self.state_dir),
            "EVOTE_GUARDIAN_PASSPHRASE": self.passphrase,
            "EVOTE_GUARDIAN_KDF": "min",
            "EVOTE_GUARDIAN_LANG": "en",  # the assertions read the English lines
        }
        result = CliRunner().invoke(guardian_cli, list(args), env=env, catch_exceptions=False)
        if expect_ok:
            assert result.exit_code == 0, f"{self.name} {args}: {result.output}"
        return result


def seat_guardians(
    person: Callable[..., Person], new_api: Callable[[], Api], laptops: Sequence[Laptop],
    server: str, quorum: int,
) -> tuple[Api, list[Person]]:
    """n guardians who log in with the client, and a presidium member who starts the ceremony."""
    guardians = [person(Role.GUARDIAN, name=f"Guardian {i + 1}") for i in range(len(laptops))]
    for laptop, who in zip(laptops, guardians, strict=True):
        laptop.run("login", server, "--login", who.login_name, "--password", who.password,
                   "--allow-http")  # fmt: skip
    presidium = new_api()
    presidium.login(person(Role.PRESIDIUM))
    resp = presidium.post("/api/ceremony", {"quorum": quorum})
    assert resp.status_code == 201, resp.get_json()
    return presidium, guardians


FINGERPRINT = re.compile(r"^Fingerprint: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})$", re.MULTILINE)


def fingerprint_in(output: str) -> str | None:
    """The fingerprint a laptop showed its guardian (to be read aloud), if it showed one."""
    found = FINGERPRINT.findall(output)
    return found[-1] if found else None


def compare_fingerprints(laptops: Sequence[Laptop]) -> str:
    """All keys are in: each laptop shows its fingerprint, each guardian types the next one's.

    The last confirmation moves the ceremony on, and that laptop sends its backups at once.
    """
    shown = [fingerprint_in(laptop.run("ceremony").output) for laptop in laptops]
    assert shown[0] is not None and len(set(shown)) == 1, shown
    for i, laptop in enumerate(laptops):
        out = laptop.run("ceremony", "--fingerprint", str(shown[(i + 1) % len(shown)])).output
        assert "confirmed the fingerprint" in out, out
    return shown[0]


def run_ceremony(laptops: Sequence[Laptop], rounds: int = 5) -> dict[str, str]:
    """Everyone runs `ceremony` in turn until all say complete (as people would, repeatedly).

    Each guardian types the fingerprint another guardian's laptop showed (read aloud to the
    room), as soon as one has been shown.  Returns the fingerprint each laptop showed.
    """
    shown: dict[str, str] = {}
    outputs: list[str] = []
    for _ in range(rounds):
        outputs = []
        for laptop in laptops:
            heard = next((fp for name, fp in shown.items() if name != laptop.name), None)
            args = ("ceremony",) if heard is None else ("ceremony", "--fingerprint", heard)
            out = laptop.run(*args).output
            if (fp := fingerprint_in(out)) is not None:
                shown[laptop.name] = fp
            outputs.append(out)
        if all("Ceremony complete." in out for out in outputs):
            return shown
    raise AssertionError(f"ceremony did not complete: {outputs}")


def hold_vote(
    presidium: Api, delegates: Sequence[Api], choices: Sequence[str], clock: Any,
    *, spoil: str | None = None,
) -> dict[str, Any]:
    """A motion; each delegate votes the given selection; the countdown runs out.

    With `spoil`, the first delegate first challenges (Benaloh) a ballot marked `spoil`.
    """
    resp = presidium.post(
        "/api/votes", {"kind": "motion", "title": "Antrag G1", "duration_seconds": 60}
    )
    assert resp.status_code == 201, resp.get_json()
    vote_id = resp.get_json()["id"]
    resp = presidium.post(f"/api/votes/{vote_id}/open")
    assert resp.status_code == 200, resp.get_json()
    vote = presidium.get(f"/api/votes/{vote_id}").get_json()
    contest = vote["manifest"]["contests"][0]

    def ballot(choice: str, label: str) -> dict[str, Any]:
        selection = next(
            s["object_id"] for s in contest["ballot_selections"] if s["object_id"].endswith(choice)
        )
        return encrypt_for_vote(vote, {contest["object_id"]: [selection]}, label)

    if spoil is not None:
        resp = delegates[0].post(f"/api/votes/{vote_id}/spoiled-ballots", ballot(spoil, "g-spoil"))
        assert resp.status_code == 201, resp.get_json()
    for i, (delegate, choice) in enumerate(zip(delegates, choices, strict=True)):
        resp = delegate.post(f"/api/votes/{vote_id}/ballots", ballot(choice, f"g-ballot-{i}"))
        assert resp.status_code == 201, resp.get_json()
    clock.advance(61)
    closed = presidium.get(f"/api/votes/{vote_id}").get_json()
    assert closed["state"] == "closed", closed
    return closed
