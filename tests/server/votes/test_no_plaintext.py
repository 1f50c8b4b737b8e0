"""After a whole vote, nothing in the database or the logs tells how anyone voted.

What would betray a choice, and is searched for here:
* the secrets that open a ballot: its nonces (master, contest and selection nonces, which the
  client keeps) and the guardians' secret polynomial coefficients;
* a plaintext ballot: JSON with a `"vote": 0/1` mark, as `PlaintextBallot` serialises;
* a link between a delegate and their ballot: a row or log record holding both the delegate's
  id or login and the ballot's tracking code or object id, or any surviving retry tag/key.
The search runs over every row of every table (every column, as text; bytes as hex) and every
log record of every logger, SQLAlchemy's statements and parameters included.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from flask import Flask
from server_helpers import Person
from sqlalchemy import select, text
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.store.db import Base, get_engine


def dump_database(app: Flask) -> list[tuple[str, str]]:
    """(table, row as text) for every row of every table."""
    out: list[tuple[str, str]] = []
    with get_engine(app).connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                cells = [v.hex() if isinstance(v, bytes) else str(v) for v in row]
                out.append((table.name, " | ".join(cells)))
    return out


def nonces(ballot: dict[str, Any]) -> list[str]:
    found = [ballot["nonce"]]
    for contest in ballot["contests"]:
        found.append(contest["nonce"])
        found.extend(s["nonce"] for s in contest["ballot_selections"])
    return [n for n in found if n]


PLAINTEXT_MARK = re.compile(r'"vote"\s*:\s*[01]\b')


def test_no_choice_in_database_or_logs(
    stage: Stage, clock: ManualClock, app: Flask, person: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # statements and parameters
    try:
        voters: list[Person] = [person(Role.DELEGATE, checked_in=True) for _ in range(2)]
        from server_helpers import Api

        browsers = []
        for voter in voters:
            b = Api(app.test_client())
            b.login(voter)
            browsers.append(b)
        vote = stage.open(stage.create(title="Geheim")["id"])
        view = stage.vote_for(browsers[0], vote["id"])
        secrets_: list[str] = []
        links: list[tuple[Person, str, str]] = []
        for i, (voter, browser) in enumerate(zip(voters, browsers, strict=True)):
            label = f"secret-{i}"
            full = encrypt_for_vote(view, {"motion": [("yes", "no")[i]]}, label, keep_nonces=True)
            sent = encrypt_for_vote(view, {"motion": [("yes", "no")[i]]}, label)
            assert sent["code"] == full["code"]
            if i == 0:  # challenge one first: spoiled ballots must not leak either
                challenged = encrypt_for_vote(view, {"motion": ["abstain"]}, "challenge-0",
                                              keep_nonces=True)
                spoiled = encrypt_for_vote(view, {"motion": ["abstain"]}, "challenge-0")
                r = browser.post(f"/api/votes/{vote['id']}/spoiled-ballots", spoiled)
                assert r.status_code == 201
                secrets_ += nonces(challenged)
            resp = browser.post(f"/api/votes/{vote['id']}/ballots", sent)
            assert resp.status_code == 201
            assert browser.post(f"/api/votes/{vote['id']}/ballots", sent).status_code == 200
            secrets_ += nonces(full)
            links.append((voter, sent["code"], sent["object_id"]))
        # during the vote the retry tags exist; the close must erase them
        clock.advance(60)
        tally = stage.guardian.get(f"/api/votes/{vote['id']}/encrypted-tally").get_json()
        for i in range(3):
            for share in stage.guardians.shares(i, tally):
                resp = stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
                assert resp.status_code == 200
        result = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
        assert result["totals"]["motion"] == {"yes": 1, "no": 1, "abstain": 0}
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    for g in stage.guardians.secrets:
        secrets_ += [c.to_hex() for c in g.polynomial.coefficients]
    rows = dump_database(app)
    logs = [r.getMessage() + " " + repr(getattr(r, "args", "")) for r in caplog.records]
    assert any("INSERT INTO ballots" in line for line in logs), "SQL logging was not captured"
    haystacks = [f"{t}: {row}" for t, row in rows] + logs

    for secret in secrets_:
        assert not any(secret in h for h in haystacks), "a nonce or guardian secret was stored"
    assert not any(PLAINTEXT_MARK.search(h) for h in haystacks), "a plaintext ballot was stored"
    # three ballots × (master + contest + 4 selection nonces) + 3 guardians × 2 coefficients
    assert len(secrets_) == 3 * 6 + 3 * 2
    for voter, code, ballot_id in links:
        who = {str(voter.id), voter.login_name}
        examined = set()
        for table, row in rows:
            cells = set(row.split(" | "))
            if cells & who:
                examined.add(table)
                assert code not in row and ballot_id not in row, f"{table} links a voter to a ballot"
        assert {"participants", "vote_participation", "vote_roll"} <= examined
        assert any(code in row for _, row in rows)  # the ballot itself is stored, unlinked
    with get_engine(app).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM vote_participation WHERE retry_tag IS NOT NULL")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM votes WHERE retry_key IS NOT NULL")).scalar() == 0
        participation_columns = [c.name for c in Base.metadata.tables["vote_participation"].columns]
        ballot_columns = [c.name for c in Base.metadata.tables["ballots"].columns]
    assert participation_columns == ["vote_id", "participant_id", "retry_tag"]
    # the voting credential's public key and signature are anonymous (the server never learns
    # whose key is whose, evote.eligibility); nothing in a ballot row names a participant
    assert ballot_columns == ["vote_id", "tracking_code", "ballot_id", "state", "ballot_json",
                              "credential_key", "credential_signature"]
