"""`evote demo`: the README's first command sets up a convention that works as it says.

Three stories: `--no-serve` leaves behind an event whose printed logins log in, a joint key
made by the real ceremony and three sealed guardian states; the demo's own guardians decrypt a
vote that closes, with nobody running a command; and the served demo answers a delegate over
HTTP (login, check-in, the live stream, health) until it is terminated.

The demo is SQLite-only by design (one process, in-process live bus), so the PostgreSQL pass
skips this file.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from flask import Flask

from evote.cli import main as evote_cli
from evote.demo.command import set_up
from evote.demo.convention import DRAFT_MOTION, ApiClient, Login
from evote.demo.guardians import AutoDecrypt
from evote.demo.local_server import bind
from evote.store.clock import ManualClock
from evote.webapp.app import create_app
from evote.webapp.csrf import HEADER

sys.path.insert(0, str(Path(__file__).parent / "votes"))
from vote_helpers import encrypt_for_vote

from evote.record.credentials import ballot_message
from evote_credentials.derivation import master_secret, slot_key

pytestmark = pytest.mark.sqlite_only  # the demo runs on SQLite (one process, in-process bus)

EVOTE = Path(sys.executable).parent / "evote"
CODE_LINE = re.compile(r"^  (delegate\d)\s+([2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5})$", re.M)
LOGIN_LINE = re.compile(r"^  (\S+)\s+([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})\s", re.M)
EXPECTED_LOGINS = {
    *(f"delegate{i}" for i in range(1, 6)), "guest1", "presidium", "support", "admin",
    "technician", "guardian1", "guardian2", "guardian3",
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def logins_in(output: str) -> dict[str, str]:
    return dict(LOGIN_LINE.findall(output))


def app_on(instance: Path) -> Flask:
    return create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{instance / 'evote.sqlite'}",
        "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False, "LIVE_BROKER": "memory",
    })  # fmt: skip


def login(app: Flask, name: str, password: str) -> tuple[Any, int, dict[str, Any]]:
    client = app.test_client()
    token = client.get("/api/csrf").get_json()["csrf_token"]
    resp = client.post("/api/auth/login", json={"login": name, "password": password},
                       headers={HEADER: token})  # fmt: skip
    return client, resp.status_code, resp.get_json()


def test_no_serve_leaves_a_convention_whose_printed_logins_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVOTE_GUARDIAN_KDF", "min")
    instance = tmp_path / "demo"
    port = free_port()
    result = CliRunner().invoke(
        evote_cli, ["demo", "--no-serve", "--instance", str(instance), "--port", str(port)],
        catch_exceptions=False,
    )  # fmt: skip
    out = result.output
    assert result.exit_code == 0, out
    assert f"http://127.0.0.1:{port}/" in out
    assert "ON THIS MACHINE" in out and "evote-guardian" in out and "own laptop" in out
    assert "decrypt it automatically" in out and "Serving until" not in out
    logins = logins_in(out)
    assert set(logins) == EXPECTED_LOGINS, out
    # the demo played the credentials committee, says so, and prints each delegate's code
    assert "PLAYED THE CREDENTIALS COMMITTEE ON THIS MACHINE" in out and "evote-credentials" in out
    codes = dict(CODE_LINE.findall(out))
    assert set(codes) == {f"delegate{i}" for i in range(1, 6)}, out
    assert (instance / "committee" / "letters.pdf").read_bytes().startswith(b"%PDF")

    app = app_on(instance)
    roles = {}
    for name, password in logins.items():
        _, status, body = login(app, name, password)
        assert status == 200, (name, body)
        roles[name] = set(body["roles"])
    assert roles["delegate1"] == {"delegate"} and roles["guest1"] == {"guest_delegate"}
    assert {"guardian", "presidium"} <= roles["guardian3"] and roles["technician"] == {"technician"}
    _, status, _ = login(app, "delegate2", logins["delegate1"])
    assert status == 401, "a printed password opens only its own account"

    presidium, _, _ = login(app, "presidium", logins["presidium"])
    ceremony = presidium.get("/api/ceremony").get_json()
    assert ceremony["state"] == "complete", ceremony
    assert [b["status"] for b in ceremony["backups"]] == ["verified"] * 6
    assert ceremony["joint_public_key"] is not None
    # Every guardian confirmed the fingerprint, which the demo says it compared, and which one.
    assert all(g["fingerprint_confirmed"] for g in ceremony["guardians"])
    assert f"Fingerprint {ceremony['fingerprint']}: compared automatically" in out
    key = presidium.get("/api/election-key").get_json()
    assert (key["number_of_guardians"], key["quorum"]) == (3, 2)
    assert key["joint_public_key"] == ceremony["joint_public_key"], "the key is the ceremony's"
    status = presidium.get("/api/committee").get_json()
    assert status["required"] and status["credentialed_delegates"] == 5, status
    assert status["committee_key"] in out
    [vote] = presidium.get("/api/votes").get_json()["votes"]
    assert (vote["title"], vote["state"], vote["kind"]) == (DRAFT_MOTION, "draft", "motion")

    for i in (1, 2, 3):
        state = instance / "guardians" / f"guardian{i}" / "guardian.state"
        assert state.stat().st_mode & 0o077 == 0, "the state file is readable by others"
        envelope = json.loads(state.read_text())
        assert envelope["type"] == "evote-guardian-state" and envelope["kdf"] == "argon2id"
        assert set(envelope) == {"version", "type", "kdf", "opslimit", "memlimit", "salt", "box"}
        text = state.read_text().lower()
        # The sealed state holds the ceremony id and the joint key; neither shows outside the box.
        for public in (ceremony["ceremony_id"], ceremony["joint_public_key"], "polynomial"):
            assert public.lower() not in text

    again = CliRunner().invoke(evote_cli, ["demo", "--no-serve", "--instance", str(instance)])
    assert again.exit_code == 1 and "not empty" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "192.0.2.7"], "use 127.0.0.1"),
        (["--port", "{busy}"], "no free port"),
    ],
)
def test_a_host_or_port_it_cannot_use_is_refused_before_anything_is_made(
    tmp_path: Path, args: list[str], message: str
) -> None:
    instance = tmp_path / "demo"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        args = [a.replace("{busy}", port) for a in args]
        result = CliRunner().invoke(evote_cli, ["demo", "--instance", str(instance), *args])
    assert result.exit_code == 1 and message in result.output, result.output
    assert not instance.exists()


def test_the_demo_guardians_decrypt_a_closed_vote_by_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVOTE_GUARDIAN_KDF", "min")
    clock = ManualClock(datetime.now(UTC))
    instance = tmp_path / "demo"
    instance.mkdir()
    demo = set_up(instance, bind("127.0.0.1", free_port()), "127.0.0.1", {"CLOCK": clock},
                  say=lambda _line: None)  # fmt: skip
    try:
        people = {x.seat.login_name: x for x in demo.logins}
        presidium = client_for(demo.app, people["presidium"])
        assert demo.committee is not None
        choices = {"delegate1": "yes", "delegate2": "yes", "delegate3": "no"}
        delegates = {name: client_for(demo.app, people[name]) for name in choices}
        for delegate in delegates.values():
            delegate.post("/api/checkin")  # before the vote opens: the roll is taken then
        presidium.post(f"/api/votes/{demo.vote_id}/open")
        for name, choice in choices.items():
            delegate = delegates[name]
            vote = delegate.get(f"/api/votes/{demo.vote_id}")
            contest = vote["manifest"]["contests"][0]
            [selection] = [s["object_id"] for s in contest["ballot_selections"]
                           if s["object_id"].endswith(choice)]  # fmt: skip
            ballot = encrypt_for_vote(vote, {contest["object_id"]: [selection]}, name)
            delegate.post(f"/api/votes/{demo.vote_id}/ballots", ballot,
                          signed(delegate, demo.committee.codes[name], vote, ballot))
        clock.advance(61)
        assert wait_for(lambda: presidium.get(f"/api/votes/{demo.vote_id}")["state"] == "closed")

        reports: list[str] = []
        watcher = demo.auto_decrypt(reports.append)
        watcher.interval = 0.2
        watcher.start()  # as `evote demo` does; nobody asks the guardians
        try:
            assert wait_for(lambda: any("decrypted by" in r for r in reports), 120), reports
        finally:
            watcher.stop()
            watcher.join(timeout=30)
        result = presidium.get(f"/api/votes/{demo.vote_id}/result")
        assert result["totals"] == {"motion": {"yes": 2, "no": 1, "abstain": 0}}
        [status] = presidium.get("/api/presidium/guardians")["decryptions"]
        assert status["state"] == "decrypted"
        assert sorted(status["direct_shares"]) == ["guardian-1", "guardian-2"], status
        assert watcher.sweep() == [], "a decrypted vote is left alone"
        assert any("decrypted by guardian1, guardian2" in r for r in reports), reports
    finally:
        demo.server.stop()


def signed(delegate: ApiClient, code: str, vote: dict[str, Any], ballot: dict[str, Any],
           ) -> dict[str, str]:
    """What the delegate page sends beside the ballot: the code's key for the vote, a signature."""
    kdf = delegate.get("/api/committee")["kdf"]
    key = slot_key(master_secret(code, bytes.fromhex(kdf["salt"]), kdf["iterations"]),
                   vote["credential_slot"])
    message = ballot_message(vote["manifest"]["election_scope_id"],
                             int(vote["context"]["manifest_hash"], 16), int(ballot["crypto_hash"], 16))
    return {"Evote-Credential-Key": key.verify_key.encode().hex(),
            "Evote-Credential-Signature": key.sign(message).signature.hex()}


def client_for(app: Flask, who: Login) -> ApiClient:
    client = ApiClient(app)
    client.login(who)
    return client


def wait_for(condition: Any, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_the_served_demo_answers_a_delegate_until_terminated(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "EVOTE_GUARDIAN_KDF": "min", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [str(EVOTE), "demo", "--port", str(port), "--instance", str(tmp_path / "demo")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        output = Output(proc)
        out = output.until("Serving until Ctrl-C.", seconds=180)
        logins = logins_in(out)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as delegate, \
                httpx.Client(base_url=base, timeout=30) as presidium:  # fmt: skip
            me = http_login(delegate, "delegate1", logins["delegate1"])
            assert me["can_vote"] is False and me["event"]["status"] == "open"
            resp = delegate.post("/api/checkin", headers={HEADER: me["csrf_token"]})
            assert resp.status_code == 200, resp.text
            assert delegate.get("/api/me").json()["can_vote"] is True
            assert delegate.get("/api/health").json() == {"status": "ok"}
            assert delegate.get("/vote").status_code == 200

            # The live stream reaches the delegate when the presidium opens the draft motion.
            boss = http_login(presidium, "presidium", logins["presidium"])
            with delegate.stream("GET", "/api/live") as live:
                lines = live.iter_lines()
                assert next(line for line in lines if line.startswith("data:"))
                opened = presidium.post("/api/votes/1/open", headers={HEADER: boss["csrf_token"]})
                assert opened.status_code == 200, opened.text
                event = next(line for line in lines if line.startswith("event: vote_opened"))
                assert event
        proc.send_signal(signal.SIGTERM)
        output.until("Stopping the demo.", seconds=30)
        assert proc.wait(timeout=30) == 0, "".join(output.seen)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def http_login(client: httpx.Client, name: str, password: str) -> dict[str, Any]:
    token = client.get("/api/csrf").json()["csrf_token"]
    resp = client.post("/api/auth/login", json={"login": name, "password": password},
                       headers={HEADER: token})  # fmt: skip
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


class Output:
    """The demo's output, read by a thread, so that waiting for a line can time out."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        self.proc = proc
        self.seen: list[str] = []
        self.lines: queue.Queue[str | None] = queue.Queue()
        stdout = proc.stdout

        def pump() -> None:
            for line in stdout:
                self.lines.put(line)
            self.lines.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def until(self, marker: str, seconds: float) -> str:
        """Everything up to the line with `marker`; fails with what was printed if it never comes."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if marker in line:
                return "".join(self.seen)
        pytest.fail(f"no {marker!r} from the demo (exit status {self.proc.poll()}):\n"
                    + "".join(self.seen))  # fmt: skip


class FlakyGuardian:
    """Stands in for a LocalGuardian: one closed vote, and `decrypt` fails as told."""

    login_name = "guardian1"

    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.calls = 0

    def decryptions(self) -> list[dict[str, Any]]:
        return [{"vote_id": 7, "title": "Motion", "state": "closed"}]

    def decrypt(self, vote_id: int) -> dict[str, Any]:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return {"state": "decrypted"}


def test_auto_decrypt_retries_a_network_failure_but_not_a_refusal() -> None:
    from evote_guardian.connection import ServerError
    from evote_guardian.decryption import TallyMismatch

    reports: list[str] = []
    flaky = FlakyGuardian([httpx.ConnectError("refused"), ServerError(503, "busy", "later")])
    watcher = AutoDecrypt([flaky], reports.append)  # type: ignore[list-item]
    assert watcher.sweep() == [] and watcher.sweep() == []
    assert watcher.sweep() == [7] and flaky.calls == 3
    assert sum("trying again" in r for r in reports) == 2

    bad = FlakyGuardian([TallyMismatch("the encrypted tally is not the sum"), TallyMismatch("x")])
    watcher = AutoDecrypt([bad], reports.append)  # type: ignore[list-item]
    assert watcher.sweep() == [] and watcher.sweep() == []
    assert bad.calls == 1, "a refusal is reported once, not retried"
    assert "vote 7 NOT decrypted: the encrypted tally is not the sum" in reports[-1]
