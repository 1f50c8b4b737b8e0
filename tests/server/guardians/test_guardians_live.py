"""Five guardians on five "laptops" run the key ceremony and decrypt a vote over real HTTP.

One test carries the whole story, because its expensive part (a 3-of-5 ceremony in 4096-bit
arithmetic) is what every check needs: the ceremony completes only when every backup is
verified; a forged decryption share is refused naming its guardian; three guardians decrypt
while two are absent and compensated for; the totals are right; the server's database and
logs hold no coefficient and no backup point; the downloaded record passes `evote-verify` and
Microsoft's electionguard 1.4.0 checks.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from guardian_helpers import hold_vote, run_ceremony, seat_guardians
from server_helpers import Api, Person
from sqlalchemy import select

from evote.crypto.ceremony import GuardianSecret
from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.store.db import Base, get_session
from evote_guardian.local_state import GuardianState
from evote_guardian.state_file import load as load_state

ROOT = Path(__file__).resolve().parents[3]
ORACLE_PYTHON = ROOT / ".oracle" / "bin" / "python"
VERIFY = ROOT / ".venv" / "bin" / "evote-verify"


def secrets_of(laptops: list[Any]) -> tuple[list[GuardianSecret], list[str]]:
    """Every coefficient a_ij and every backup point P_i(ℓ), as the strings a leak would show."""
    states = [
        GuardianState.from_json(load_state(lap.state_dir / "guardian.state", lap.passphrase))
        for lap in laptops
    ]
    secrets = [s.secret for s in states]
    values = [a.value for s in secrets for a in s.polynomial.coefficients]
    values += [
        s.polynomial.value_at(t.sequence_order).value
        for s in secrets for t in secrets if s is not t
    ]  # fmt: skip
    needles = []
    for v in values:
        h = format(int(v), "X")
        needles += [h.lower(), h.lstrip("0").lower(), str(int(v))]
    return secrets, needles


def database_dump(app: Flask) -> str:
    """Every cell of every table, as text."""
    out = []
    with app.app_context():
        db = get_session()
        for table in Base.metadata.sorted_tables:
            for row in db.execute(select(table)):
                out.append(f"{table.name}: " + " | ".join(
                    v.hex() if isinstance(v, bytes) else str(v) for v in row
                ))  # fmt: skip
    return "\n".join(out)


def test_three_of_five_ceremony_and_decryption_with_two_absent(
    app: Flask, live_server: str, server_log: Any, laptops: Callable[[int], list[Any]],
    person: Callable[..., Person], new_api: Callable[[], Api], clock: ManualClock,
    tmp_path: Path,
) -> None:
    five = laptops(5)
    presidium, _ = seat_guardians(person, new_api, five, live_server, quorum=3)

    # Before every backup is verified there is no key: three guardians run, two have not yet.
    for laptop in five[:3]:
        laptop.run("ceremony")
    assert presidium.get("/api/election-key").status_code == 409
    shown = run_ceremony(five)
    view = presidium.get("/api/presidium/guardians").get_json()["ceremony"]
    assert view["state"] == "complete"
    assert set(shown.values()) == {view["fingerprint"]} and len(shown) == 5
    assert all(b["status"] == "verified" for b in view["backups"]) and len(view["backups"]) == 20
    assert all(g["backups_verified"] == 4 for g in view["guardians"])
    key = presidium.get("/api/election-key").get_json()
    assert (key["number_of_guardians"], key["quorum"]) == (5, 3)

    delegates = []
    for _ in range(3):
        d = new_api()
        d.login(person(Role.DELEGATE, checked_in=True))
        delegates.append(d)
    vote = hold_vote(presidium, delegates, ["yes", "yes", "no"], clock, spoil="abstain")
    vote_id = vote["id"]

    # A forged share (one M_i changed) is refused, naming the guardian; nothing is stored.
    forged = _forged_share(five[2], live_server, vote_id)
    status = forged["status"]
    assert status == 422 and "guardian-3" in forged["message"], forged
    overview = presidium.get("/api/presidium/guardians").get_json()
    assert overview["decryptions"][0]["direct_shares"] == []

    # Guardians 1-3 are present; 4 and 5 are absent and compensated for.
    five[0].run("decrypt", str(vote_id))
    five[1].run("decrypt", str(vote_id))
    out = five[2].run("decrypt", str(vote_id)).output
    assert "compensated share for absent guardian guardian-4" in out
    assert presidium.get(f"/api/votes/{vote_id}/result").status_code == 409
    five[0].run("decrypt", str(vote_id))
    out = five[1].run("decrypt", str(vote_id)).output
    assert "decrypted" in out, out
    result = presidium.get(f"/api/votes/{vote_id}/result").get_json()
    assert result["totals"] == {"motion": {"yes": 2, "no": 1, "abstain": 0}}
    status_out = five[3].run("status").output
    assert "complete, 3 of 5" in status_out and "decrypted" in status_out

    # No secret on the server: not in any table, not in any log line, not in the record.
    _, needles = secrets_of(five)
    dump = database_dump(app).lower()
    logs = "\n".join(server_log.lines).lower()
    record = presidium.get(f"/api/votes/{vote_id}/record.zip")
    assert record.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(record.data))
    published = "\n".join(archive.read(n).decode() for n in archive.namelist()).lower()
    [spoiled] = [n for n in archive.namelist() if "spoiled_ballot_" in n]
    opened = json.loads(archive.read(spoiled))
    assert opened["contests"]["motion"]["selections"]["abstain"]["tally"] == 1
    assert len(dump) > 10_000 and "key ceremony" in logs
    for needle in needles:
        assert needle not in dump, "a secret share or coefficient is in the database"
        assert needle not in logs, "a secret share or coefficient is in the server log"
        assert needle not in published, "a secret share or coefficient is in the record"

    # The record carries the fingerprint all five compared and their signatures on it.
    ceremony_file = json.loads(archive.read("evote/ceremony.json"))
    assert ceremony_file["fingerprint"] == view["fingerprint"]
    assert sorted(c["guardian_id"] for c in ceremony_file["confirmations"]) == [
        f"guardian-{i}" for i in range(1, 6)
    ]

    # The record passes the independent verifier, which prints the fingerprint it recomputed,
    # and Microsoft's package.
    zip_path = tmp_path / "record.zip"
    zip_path.write_bytes(record.data)
    done = _verify(zip_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"fingerprint (recomputed from guardians/): {view['fingerprint']}" in done.stdout
    assert "✔ V24" in done.stdout
    _oracle_accepts(archive, tmp_path / "tree")

    # A record whose fingerprint was changed fails the verifier.
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as out:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "evote/ceremony.json":
                doc = json.loads(data)
                doc["fingerprint"] = "0000-0000-0000-0000-0000-0000"
                data = json.dumps(doc).encode()
            out.writestr(name, data)
    done = _verify(changed)
    assert done.returncode == 1 and "✘ V24" in done.stdout, done.stdout[-3000:]


def _verify(zip_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VERIFY), str(zip_path), "--workers", "1"], capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def _forged_share(laptop: Any, server: str, vote_id: int) -> dict[str, Any]:
    """Guardian 3 computes its true share, changes one M_i, and posts it with its session."""
    from evote.crypto.decryption_share import compute_decryption_share
    from evote.crypto.group import ElementModQ, g_pow_p
    from evote_guardian.connection import Connection, ServerError
    from evote_guardian.decryption import checked_tally

    state = GuardianState.from_json(
        load_state(laptop.state_dir / "guardian.state", laptop.passphrase)
    )
    conn = Connection.resume(laptop.state_dir)
    tally, context = checked_tally(conn, state, vote_id)
    share = compute_decryption_share(
        state.secret, tally.object_id, tally.ciphertexts(),
        context.crypto_extended_base_hash, ElementModQ(12345),
    ).to_json()
    first = next(iter(share["contests"].values()))
    sel = next(iter(first.values()))
    sel["share"] = g_pow_p(ElementModQ(7)).to_hex()
    try:
        conn.post(f"/api/votes/{vote_id}/decryption-shares", share)
    except ServerError as exc:
        return {"status": exc.status, "message": exc.message}
    return {"status": 200, "message": "accepted"}


def _oracle_accepts(archive: zipfile.ZipFile, tree: Path) -> None:
    if not ORACLE_PYTHON.exists():
        pytest.skip(f"no electionguard 1.4.0 venv at {ORACLE_PYTHON.parent.parent}")
    archive.extractall(tree)
    done = subprocess.run(
        [str(ORACLE_PYTHON), str(ROOT / "tests" / "oracle" / "check_record.py"), str(tree)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary, summary
