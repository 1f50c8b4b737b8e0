"""The database keeps no trace of the order in which ballots arrived, once the vote closes.

On PostgreSQL every row carries the id of the transaction that wrote it (xmin) and a physical
position (ctid): both count arrivals.  The close rewrites the participation rows and deletes the
ciphertext fingerprints (weeding); the seal right after it rewrites the ballot rows (and their
out-of-line JSON) in tracking-code order within one transaction, so afterwards every ballot has
the same xmin, shared with no participation row, and the physical order is the
(random-looking) code order.
On SQLite the ballot, participation and fingerprint tables are WITHOUT ROWID, so there is no
hidden arrival counter to read at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock
from evote.store.db import get_engine


def cast_three(stage: Stage) -> tuple[int, list[str]]:
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    codes = []
    for i in range(3):
        ballot = encrypt_for_vote(view, {"motion": ["yes"]}, f"order-{i}")
        assert stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
        codes.append(ballot["code"])
    return vote["id"], codes


def rows(app: Flask, sql: str, **params: Any) -> list[Any]:
    with get_engine(app).connect() as conn:
        return list(conn.execute(text(sql), params))


@pytest.mark.postgres_only  # xmin and ctid; SQLite is covered by the WITHOUT ROWID test
def test_close_erases_transaction_ids_and_physical_order(
    stage: Stage, clock: ManualClock, app: Flask
) -> None:
    vote_id, codes = cast_three(stage)
    before = rows(app, "SELECT xmin::text FROM ballots WHERE vote_id = :v", v=vote_id)
    assert len({r[0] for r in before}) == 3  # while open, each ballot has its own transaction
    clock.advance(60)
    stage.vote_for(stage.delegates[0], vote_id)  # the first look after the deadline closes
    after = rows(
        app,
        "SELECT xmin::text, tracking_code FROM ballots WHERE vote_id = :v ORDER BY ctid",
        v=vote_id,
    )
    assert len({r[0] for r in after}) == 1
    assert [r[1] for r in after] == sorted(codes)
    sealed = after[0][0]
    # the ballots' JSON lives in TOAST chunks, which carry transaction ids of their own: the
    # seal rewrote them too (a row rewritten by UPDATE would keep its old chunks)
    toast = rows(
        app, "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'ballots'::regclass"
    )[0][0]
    chunks = rows(app, f"SELECT DISTINCT xmin::text FROM {toast}")
    assert chunks, "the test ballots are large enough to be stored out of line"
    assert {r[0] for r in chunks} == {sealed}
    voted = rows(app, "SELECT xmin::text FROM vote_participation WHERE vote_id = :v", v=vote_id)
    # the close rewrote these rows in one transaction: none shares a transaction id with a
    # ballot row any more, neither the cast transactions' nor the seal's
    assert len({r[0] for r in voted}) == 1
    assert not {r[0] for r in voted} & ({r[0] for r in before} | {sealed})
    # the weeding fingerprints shared each ballot's transaction id: the close deleted them
    fingerprints = "SELECT xmin::text FROM ciphertext_fingerprints WHERE vote_id = :v"
    assert rows(app, fingerprints, v=vote_id) == []


@pytest.mark.sqlite_only
def test_no_hidden_rowid_on_sqlite(stage: Stage, app: Flask) -> None:
    vote_id, _ = cast_three(stage)
    for table in ("ballots", "vote_participation", "ciphertext_fingerprints"):
        with pytest.raises(OperationalError, match="rowid"):
            rows(app, f"SELECT rowid FROM {table}")
    assert len(rows(app, "SELECT tracking_code FROM ballots WHERE vote_id = :v", v=vote_id)) == 3
