"""Issuing 1,000 letters on every core: hashes in parallel, in order, with progress, all or none.

One Argon2id hash of the production profile takes ~0.15 s on one core, so 1,000 letters took
three minutes one after another (issue 11). `evote credentials issue` now hashes on every core
at once; these tests hold it to doing that, to keeping each hash with its own participant, and to
changing nobody when a hash fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from server_helpers import Api
from sqlalchemy import select

from evote.people import passwords
from evote.people.credentials import issue
from evote.people.passwords import hash_passwords, verify_password
from evote.store.db import get_session
from evote.store.models.people import Participant

PEOPLE = "name,email,delegation,roles,groups,voting_right\n" + "".join(
    f"Delegate {i},d{i}@example.org,KV {i % 3},delegate,,yes\n" for i in range(7)
)


@pytest.fixture
def imported(cli: Callable[..., Result], tmp_path: Path) -> None:
    assert cli("event", "create", "lpt", "--name", "LPT", "--url", "https://lpt.example.org/").exit_code == 0
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    assert cli("participants", "import", "lpt", str(path)).exit_code == 0


def test_hashes_run_side_by_side_and_come_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers: each hash waits until the other one is running too, which never happens
    if they run one after another (the barrier then breaks after its timeout)."""
    together = threading.Barrier(2, timeout=10)
    threads: set[str] = set()

    def slow_hash(password: str, profile: str) -> str:
        threads.add(threading.current_thread().name)
        together.wait()
        return f"hash of {password}"

    monkeypatch.setattr(passwords, "hash_password", slow_hash)
    steps: list[int] = []
    caller = threading.current_thread().name
    words = [f"pw{i}" for i in range(6)]
    hashes = hash_passwords(words, "cheapest", workers=2, progress=steps.append)
    assert hashes == [f"hash of {w}" for w in words]
    assert steps == [1] * 6
    assert len(threads) == 2 and caller not in threads


def test_the_default_is_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    original = passwords.ThreadPoolExecutor

    def counting(max_workers: int, **kw: str) -> object:
        seen.append(max_workers)
        return original(max_workers=max_workers, **kw)

    monkeypatch.setattr(passwords, "ThreadPoolExecutor", counting)
    monkeypatch.setattr(passwords.os, "cpu_count", lambda: 3)
    assert len(hash_passwords([f"p{i}" for i in range(5)], "cheapest")) == 5
    assert seen == [3]
    assert len(hash_passwords(["one"], "cheapest")) == 1  # a single letter needs no pool
    assert seen == [3]


def test_real_hashes_on_three_threads_verify_their_own_password_only() -> None:
    words = [f"word-{i}" for i in range(9)]
    hashes = hash_passwords(words, "cheapest", workers=3)
    assert len(set(hashes)) == 9 and all(h.startswith("$argon2id$") for h in hashes)
    for i, h in enumerate(hashes):
        assert verify_password(h, words[i], "cheapest")
        assert not verify_password(h, words[(i + 1) % 9], "cheapest")


def test_a_failing_hash_changes_nobody(
    app: Flask, imported: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    real = passwords.hash_password

    def flaky(password: str, profile: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise MemoryError("no 64 MiB left")
        return real(password, profile)

    monkeypatch.setattr(passwords, "hash_password", flaky)
    with app.app_context():
        db = get_session()
        people = list(db.scalars(select(Participant)))
        with pytest.raises(MemoryError):
            issue(people, "cheapest", workers=2)
        assert all(p.password_hash is None and p.credential_version == 0 for p in people)
        assert db.scalars(select(Participant).where(Participant.password_hash.is_not(None))).first() is None


def test_cli_issues_on_the_cores_asked_for_with_a_progress_bar(
    app: Flask, cli: Callable[..., Result], imported: None, tmp_path: Path,
    new_api: Callable[[], Api],
) -> None:
    refused = cli("credentials", "issue", "lpt", "--letters", str(tmp_path / "x.pdf"), "--jobs", "0")
    assert refused.exit_code == 2 and "--jobs" in refused.output
    assert not (tmp_path / "x.pdf").exists()

    result = cli("credentials", "issue", "lpt", "--letters", str(tmp_path / "a.pdf"), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "hashing passwords (2 at once)" in result.output and "issued 7" in result.output
    with app.app_context():
        hashes = list(get_session().scalars(select(Participant.password_hash)))
    assert len(set(hashes)) == 7 and all(h and h.startswith("$argon2id$") for h in hashes)
    # the letters' passwords log in their own participants (each hash went to its owner)
    from test_people_credentials import _letters, _login_on, _password_on

    for page in _letters(tmp_path / "a.pdf"):
        resp = new_api().post("/api/auth/login", {"login": _login_on(page), "password": _password_on(page)})
        assert resp.status_code == 200
