"""The demo's three guardians: `evote-guardian`'s own code, run in the demo's process.

In a real convention each presidium member runs `evote-guardian` on their own laptop, and their
key share never leaves it.  The demo plays those laptops: one state directory per guardian
under the instance folder, each sealed with a passphrase that lives only in this process's
memory.  They go through the same HTTP API as the real client (login, every ceremony step,
checked decryption), so the joint key comes out of the proper ceremony, not a shortcut.

The one step people do by voice, comparing the ceremony's fingerprint, is done here by
`FingerprintComparison`: each laptop's client computes the fingerprint from the public keys the
server shows *it*, and a guardian confirms only when all of them are equal (as guardians do when
they read theirs aloud).  The demo says that it compared them, and which fingerprint it was.

`AutoDecrypt` stands in for the guardians' attention after a vote: it watches for closed votes
and has the first `present` guardians decrypt, so whoever tries the demo sees the result on the
projector without running a command.  With two of three present, the third is compensated for
by the others, as the threshold scheme intends.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evote_guardian.connection import Connection

CEREMONY_ROUNDS = 8
"""Each round every guardian does what it can; five rounds suffice when nobody is slow (keys,
fingerprints seen, confirmed, backups sent, backups verified)."""


# evote_guardian is a separate package (guardians/); it is imported where used, so that a
# missing client is reported by require_client() with a clear message instead of at import.


class GuardianClientMissing(RuntimeError):
    """The `evote-guardian` package is not installed next to evote."""


def require_client() -> None:
    """Fail early, before anything is set up, if the guardian client is not installed."""
    try:
        import evote_guardian.cli  # noqa: F401  (imported to see that it imports)
    except ImportError:
        raise GuardianClientMissing(
            "the demo plays its guardians with the evote-guardian client: "
            "pip install -e ./guardians (./dev demo does this)"
        ) from None


@dataclass
class LocalGuardian:
    """One guardian's laptop, played in this process."""

    login_name: str
    password: str
    state_dir: Path
    passphrase: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    conn: Connection | None = field(default=None, repr=False)

    @property
    def state_file(self) -> Path:
        # the guardian client is its own package, not needed to serve: imported where the demo uses it
        from evote_guardian.local_state import STATE_FILE

        return self.state_dir / STATE_FILE

    def login(self, server: str) -> None:
        # the guardian client is its own package, not needed to serve: imported where the demo uses it
        from evote_guardian.connection import Connection

        conn = Connection(server, allow_http=True)
        me = conn.login(self.login_name, self.password)
        if "guardian" not in me.get("roles", []):
            raise RuntimeError(f"{self.login_name} is not a guardian (roles {me.get('roles')})")
        conn.save(self.state_dir)
        self.conn = conn

    def _connection(self) -> Connection:
        if self.conn is None:
            raise RuntimeError(f"{self.login_name} has not logged in")
        return self.conn

    def ceremony_step(self, confirm: Callable[[str], str | None] | None = None) -> bool:
        """Every ceremony step possible now; True once this guardian sees the ceremony complete.

        `confirm` answers the client's question about the fingerprint (see the module's doc).
        """
        # the guardian client is its own package, not needed to serve: imported where the demo uses it
        from evote_guardian.ceremony_steps import advance
        from evote_guardian.local_state import MIN_KDF, Vault

        # The passphrase is 192 random bits, not words a person chose: stretching it with the
        # full Argon2id cost (seconds per save) would protect nothing.
        vault = Vault(self.state_dir, lambda: self.passphrase, kdf=MIN_KDF)
        report = advance(self._connection(), vault, confirm)
        return not report.waiting

    def decrypt(self, vote_id: int) -> dict[str, Any]:
        """Our checked share of `vote_id` (and any compensated shares owed); the server's status."""
        # the guardian client is its own package, not needed to serve: imported where the demo uses it
        from evote_guardian.decryption import CheckedVotes, decrypt
        from evote_guardian.local_state import Vault

        state = Vault(self.state_dir, lambda: self.passphrase).load()
        checked = CheckedVotes(self.state_dir)
        status: dict[str, Any] = decrypt(self._connection(), state, vote_id, checked).status
        return status

    def decryptions(self) -> list[dict[str, Any]]:
        """The server's list of closed and decrypted votes with their shares so far."""
        view: dict[str, Any] = self._connection().get("/api/presidium/guardians")
        found: list[dict[str, Any]] = view.get("decryptions", [])
        return found


class FingerprintComparison:
    """The demo's guardians "read their fingerprints aloud": they compare what each computed.

    A guardian's answer is its own fingerprint once every guardian's laptop has shown one and
    all are equal; until then it has nothing to answer.  Differing fingerprints stop the demo,
    as they would stop a real ceremony.
    """

    def __init__(self, guardians: Sequence[LocalGuardian]) -> None:
        self.names = [g.login_name for g in guardians]
        self.shown: dict[str, str] = {}

    def ask(self, guardian: LocalGuardian) -> Callable[[str], str | None]:
        def confirm(ours: str) -> str | None:
            self.shown[guardian.login_name] = ours
            if len(self.shown) < len(self.names):
                return None
            if len(set(self.shown.values())) != 1:
                raise RuntimeError(f"the guardians' fingerprints differ: {self.shown}")
            return ours

        return confirm

    @property
    def fingerprint(self) -> str | None:
        values = set(self.shown.values())
        return values.pop() if len(self.shown) == len(self.names) and len(values) == 1 else None


def run_ceremony(guardians: Sequence[LocalGuardian], rounds: int = CEREMONY_ROUNDS) -> str:
    """Every guardian in turn, as people would repeat `evote-guardian ceremony`, until done.

    Returns the fingerprint all of them computed and confirmed.
    """
    comparison = FingerprintComparison(guardians)
    for _ in range(rounds):
        done = [g.ceremony_step(comparison.ask(g)) for g in guardians]
        if all(done) and comparison.fingerprint is not None:
            return comparison.fingerprint
    raise RuntimeError(f"the key ceremony did not complete in {rounds} rounds")


def decrypt_vote(present: Sequence[LocalGuardian], vote_id: int, rounds: int = 4) -> dict[str, Any]:
    """The present guardians send shares, then stand in for the absent ones, until decrypted."""
    status: dict[str, Any] = {}
    for _ in range(rounds):
        for guardian in present:
            status = guardian.decrypt(vote_id)
            if status.get("state") == "decrypted":
                return status
    return status


class AutoDecrypt(threading.Thread):
    """Watches for closed votes and has the present guardians decrypt each, once."""

    def __init__(
        self, present: Sequence[LocalGuardian], report: Callable[[str], None],
        interval: float = 1.0,
    ) -> None:
        super().__init__(name="evote-demo-guardians", daemon=True)
        self.present = list(present)
        self.report = report
        self.interval = interval
        self.stopping = threading.Event()
        self.failed: set[int] = set()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            try:
                self.sweep()
            except Exception as exc:  # the server restarting or gone; try again next time
                self.report(f"guardians: could not look for closed votes: {exc}")

    def sweep(self) -> list[int]:
        """Decrypt every vote that is closed and not yet decrypted; the ids it finished."""
        finished = []
        for item in self.present[0].decryptions():
            vote_id = int(item["vote_id"])
            if item.get("state") != "closed" or vote_id in self.failed:
                continue
            try:
                status = decrypt_vote(self.present, vote_id)
            except Exception as exc:
                if _passing(exc):
                    self.report(f"guardians: vote {vote_id}: {exc}; trying again")
                    continue
                # A refusal (a tally that does not check out) names its reason; never retried.
                self.failed.add(vote_id)
                self.report(f"guardians: vote {vote_id} NOT decrypted: {exc}")
                continue
            if status.get("state") == "decrypted":
                finished.append(vote_id)
                names = ", ".join(g.login_name for g in self.present)
                self.report(f"guardians: vote {vote_id} ({item.get('title')}) decrypted by {names}")
        return finished


def _passing(exc: Exception) -> bool:
    """A network hiccup or a server error: worth another try, since every step is idempotent."""
    # the guardian client is its own package, not needed to serve: imported where the demo uses it
    import httpx

    from evote_guardian.connection import ServerError

    return isinstance(exc, httpx.TransportError) or (
        isinstance(exc, ServerError) and exc.status >= 500
    )
