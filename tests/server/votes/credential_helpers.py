"""The credentials committee, played in a test: evote-credentials' own code, in this process.

`seat_committee` does what the committee and the admin do before a convention: the admin sets
the committee's key and exports the roll, the committee issues (codes stay here, in the test,
as they stay on the committee's machine), the admin uploads.  `sign` is what the delegate's
browser does before casting: derive the vote's slot key from the code and sign the ballot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import nacl.signing
from server_helpers import Api

from evote.record.credentials import ballot_message
from evote_credentials.committee import Committee, Letter
from evote_credentials.derivation import master_secret, slot_key
from evote_credentials.roll import DelegateRoll

ITERATIONS = 1000
"""Cheap for tests; real committees use 600,000 (docs/credentials.md)."""


@dataclass
class SeatedCommittee:
    committee: Committee
    letters: dict[int, Letter] = field(default_factory=dict)
    """participant id → the letter (with its code) the delegate received."""

    def code(self, participant_id: int) -> str:
        return self.letters[participant_id].code

    def upload(self, admin: Api, upload: Any) -> Any:
        return admin.post("/api/committee/batches", upload.to_json())

    def replace(self, admin: Api, roll: DelegateRoll, participant_id: int, from_slot: int) -> str:
        upload, (letter,) = self.committee.replace([roll.find(participant_id)], from_slot)
        resp = self.upload(admin, upload)
        assert resp.status_code == 201, resp.get_json()
        self.letters[participant_id] = letter
        return letter.code


def seat_committee(admin: Api, slots: int = 4) -> tuple[SeatedCommittee, DelegateRoll]:
    roll_json = admin.get("/api/committee/roll").get_json()
    roll = DelegateRoll.from_json(roll_json)
    committee = Committee.create(roll.event, roll.event_name, roll.public_url,
                                 iterations=ITERATIONS, slots=slots)
    resp = admin.put("/api/committee/key", {"public_key": committee.public_key})
    assert resp.status_code == 200, resp.get_json()
    upload, letters = committee.issue(roll)
    seated = SeatedCommittee(committee, {letter.delegate.participant_id: letter for letter in letters})
    resp = seated.upload(admin, upload)
    assert resp.status_code == 201, resp.get_json()
    return seated, roll


def sign(code: str, vote: dict[str, Any], ballot: dict[str, Any], salt: bytes,
         slot: int | None = None) -> dict[str, str]:
    """The headers a delegate's browser sends beside `ballot` for `vote` (GET /api/votes/<id>)."""
    master = master_secret(code, salt, ITERATIONS)
    key: nacl.signing.SigningKey = slot_key(master, slot if slot is not None else vote["credential_slot"])
    message = ballot_message(vote["manifest"]["election_scope_id"],
                             int(vote["context"]["manifest_hash"], 16), int(ballot["crypto_hash"], 16))
    return {
        "Evote-Credential-Key": key.verify_key.encode().hex(),
        "Evote-Credential-Signature": key.sign(message).signature.hex(),
    }


def secret_forms(seated: SeatedCommittee, slots: int = 4) -> dict[str, str]:
    """Every form a delegate's secret could take, by what it is: the code as printed, without
    dashes, in lower case; its master secret; each slot's seed (the Ed25519 secret key)."""
    from evote_credentials.derivation import slot_seed

    forms: dict[str, str] = {}
    for pid, letter in seated.letters.items():
        compact = letter.code.replace("-", "")
        forms[f"code of {pid}"] = letter.code
        forms[f"compact code of {pid}"] = compact
        forms[f"lower-case code of {pid}"] = compact.lower()
        master = master_secret(letter.code, seated.committee.salt, ITERATIONS)
        forms[f"master secret of {pid}"] = master.hex()
        for slot in range(slots + 1):
            forms[f"slot {slot} seed of {pid}"] = slot_seed(master, slot).hex()
    return forms


def server_holdings(app: Any) -> dict[str, bytes]:
    """What the server keeps, by where: every row of every table (either database), and every
    file under its instance folder, record folder and SQLite file."""
    from pathlib import Path

    from sqlalchemy import MetaData, select

    from evote.store.db import get_engine

    held: dict[str, bytes] = {}
    engine = get_engine(app)
    metadata = MetaData(schema=app.config.get("DATABASE_SCHEMA"))
    metadata.reflect(engine)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            held[f"table {table.name}"] = repr([tuple(r) for r in rows]).encode()
    url = str(app.config["DATABASE_URL"])
    files: list[Path] = []
    for folder in {Path(app.instance_path), Path(app.config.get("RECORD_FOLDER") or app.instance_path)}:
        files += [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        files += [p for p in database.parent.glob(database.name + "*") if p.is_file()]  # -wal, -journal
    for path in files:
        held[f"file {path}"] = path.read_bytes()
    return held


def leaks(forms: dict[str, str], holdings: dict[str, bytes]) -> list[str]:
    """Where any of `forms` shows up in `holdings` (text or raw bytes of hex secrets)."""
    found = []
    for what, secret in forms.items():
        needles = [secret.encode()]
        if all(c in "0123456789abcdef" for c in secret) and len(secret) % 2 == 0:
            needles += [bytes.fromhex(secret), secret.upper().encode()]
        for where, data in holdings.items():
            if any(n in data for n in needles):
                found.append(f"{what} in {where}")
    return found
