"""On SQLite, no file of the instance folder pairs a delegate with a ballot once the vote closes.

SQLite writes every transaction's pages to the write-ahead log (`-wal`) and leaves deleted
cells in the database file's free space.  While a vote is open the retry key sits on the vote
row and each delegate's retry tag on their participation row; in the WAL, those rows follow
each other in arrival order, next to the ballot each cast wrote.  So the test reads every byte
of every file in the instance folder after the close and looks for the key and the tags that
existed before it: if any survives, a copy of the folder (backup, stolen laptop) could recompute
which delegate cast which tracking code.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock
from evote.store.db import get_engine, get_session
from evote.store.models.votes import Participation, Vote


def _secrets_of(app: Flask, vote_id: int) -> list[bytes]:
    with app.app_context():
        db = get_session()
        key = db.scalar(select(Vote.retry_key).where(Vote.id == vote_id))
        tags = list(
            db.scalars(select(Participation.retry_tag).where(Participation.vote_id == vote_id))
        )
    found = [key, *tags]
    assert all(isinstance(s, bytes) and len(s) == 32 for s in found)
    return found  # type: ignore[return-value]


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.sqlite_only  # PostgreSQL: test_arrival_order.py
def test_no_file_of_the_instance_folder_links_voters_and_ballots_after_the_close(
    stage: Stage, clock: ManualClock, app: Flask, tmp_path: Path
) -> None:
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    for i, delegate in enumerate(stage.delegates):
        ballot = encrypt_for_vote(view, {"motion": ["yes"]}, f"wal-{i}")
        assert delegate.post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    secrets = _secrets_of(app, vote["id"])
    database = Path(get_engine(app).url.database or "")
    assert database.parent == tmp_path
    wal = database.with_name(database.name + "-wal")
    before = b"".join(p.read_bytes() for p in _files(tmp_path))
    assert any(s in before for s in secrets)  # the search can find them: they are there now

    clock.advance(60)
    assert stage.vote_for(stage.delegates[0], vote["id"])["state"] == "closed"

    for path in _files(tmp_path):
        data = path.read_bytes()
        for s in secrets:
            assert s not in data, f"{path.name} still holds a retry key or tag after the close"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated


@pytest.mark.sqlite_only
def test_database_files_are_readable_by_their_owner_only(stage: Stage, app: Flask) -> None:
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    ballot = encrypt_for_vote(view, {"motion": ["no"]}, "mode")
    assert stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    database = Path(get_engine(app).url.database or "")
    files = [database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm")]
    assert files[1].exists()  # the WAL of the open vote
    for path in files:
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
