"""The guardian's checks before decrypting: one batch for all published ballots, done once.

A fake server hands out a small vote (3 guardians, quorum 2, a few ballots) made with the crypto
core; the client must check it fully the first time, remember that in its folder, skip the
proofs when exactly the same data comes again, and check afresh (and refuse) when anything the
server serves has changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import evote_guardian.decryption as decryption
from evote.crypto.ballot import BallotBoxState
from evote.crypto.ceremony import combine_guardian_keys
from evote.crypto.context import make_context
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.tally import CiphertextTally
from evote.record import EncryptionDevice
from evote.simulation.convention import default_manifest, random_ballot
from evote.simulation.encryption import encrypt_all
from evote.simulation.guardians import key_ceremony
from evote.simulation.seeded_random import SeededRandom
from evote_guardian.decryption import CheckedVotes, TallyMismatch, decrypt, owes
from evote_guardian.local_state import GuardianState

VOTE = 7


class FakeServer:
    def __init__(self, served: dict[str, Any]) -> None:
        self.served = served

    def get(self, path: str) -> Any:
        return self.served[path]

    def post(self, path: str, body: Any) -> Any:  # pragma: no cover - must not be reached
        raise AssertionError(f"nothing may be posted in this test ({path})")


@pytest.fixture(scope="module")
def vote() -> tuple[dict[str, Any], GuardianState]:
    rng = SeededRandom(11)
    manifest = Manifest.from_json(default_manifest())
    ceremony = key_ceremony(rng, 3, 2)
    joint = combine_guardian_keys(ceremony.records, 3, 2)
    context = make_context(3, 2, joint.joint_public_key, joint.commitment_hash, manifest.crypto_hash())
    device = EncryptionDevice(1, 2, 3, "evote")
    jobs = [(random_ballot(rng, manifest), rng.element_q(), BallotBoxState.CAST) for _ in range(4)]
    ballots = encrypt_all(
        jobs, (InternalManifest(manifest), context, device.crypto_hash(), 1_700_000_000), 1, lambda _n: None
    )
    tally = CiphertextTally.for_manifest(manifest).add_cast_ballots(ballots)
    served = {
        f"/api/votes/{VOTE}": {"manifest": manifest.to_json()},
        f"/api/votes/{VOTE}/encrypted-tally": {
            "context": context.to_json(), "encrypted_tally": tally.to_json(),
        },
        f"/api/votes/{VOTE}/published-ballots": {"ballots": [b.to_json() for b in ballots]},
        f"/api/votes/{VOTE}/decryption": {
            "state": "closed", "direct_shares": ["1"], "compensated_needed": {},
        },
    }
    state = GuardianState(
        server="https://vote.example.org", guardian_id="1", sequence_order=1,
        number_of_guardians=3, quorum=2, secret=ceremony.secrets["1"],
        joint_public_key=joint.joint_public_key.to_hex(),
        commitment_hash=joint.commitment_hash.to_hex(),
    )
    return served, state


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = decryption.validate_ballots

    def counting(ballots: Any, *args: Any, **kwargs: Any) -> None:
        ballots = list(ballots)
        calls.append(len(ballots))
        assert kwargs.get("checker") is not None, "the proofs must go to a batch checker"
        real(ballots, *args, **kwargs)

    monkeypatch.setattr(decryption, "validate_ballots", counting)
    return calls


def test_checked_once_then_remembered(
    vote: tuple[dict[str, Any], GuardianState], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served, state = vote
    calls = _count_validations(monkeypatch)
    decrypt(FakeServer(served), state, VOTE, CheckedVotes(tmp_path))  # type: ignore[arg-type]
    assert calls == [4]
    remembered = json.loads((tmp_path / CheckedVotes.FILE).read_text())
    assert set(remembered) == {str(VOTE)}
    assert (tmp_path / CheckedVotes.FILE).stat().st_mode & 0o077 == 0

    decrypt(FakeServer(served), state, VOTE, CheckedVotes(tmp_path))  # type: ignore[arg-type]
    assert calls == [4], "the same data must not be checked twice"

    decrypt(FakeServer(served), state, VOTE)  # type: ignore[arg-type]
    assert calls == [4, 4], "without a folder there is nothing to remember"


def test_changed_data_is_checked_again_and_refused(
    vote: tuple[dict[str, Any], GuardianState], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served, state = vote
    calls = _count_validations(monkeypatch)
    decrypt(FakeServer(served), state, VOTE, CheckedVotes(tmp_path))  # type: ignore[arg-type]

    forged = json.loads(json.dumps(served))
    ballot = forged[f"/api/votes/{VOTE}/published-ballots"]["ballots"][0]
    proof = ballot["contests"][0]["ballot_selections"][0]["proof"]
    proof["proof_zero_response"], proof["proof_one_response"] = (
        proof["proof_one_response"], proof["proof_zero_response"],
    )
    with pytest.raises(TallyMismatch, match="a published ballot is invalid"):
        decrypt(FakeServer(forged), state, VOTE, CheckedVotes(tmp_path))  # type: ignore[arg-type]
    assert calls == [4, 4]
    assert set(json.loads((tmp_path / CheckedVotes.FILE).read_text())) == {str(VOTE)}


def test_a_later_round_reuses_this_process_check_and_fetches_no_ballots(
    vote: tuple[dict[str, Any], GuardianState], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`decrypt --wait`: the second round makes its shares from the first round's own check,
    so the published ballots are neither downloaded nor checked again."""
    served, state = vote
    calls = _count_validations(monkeypatch)
    first = decrypt(FakeServer(served), state, VOTE)  # type: ignore[arg-type]
    assert calls == [4] and first.vote is not None
    status_only = {f"/api/votes/{VOTE}/decryption": served[f"/api/votes/{VOTE}/decryption"]}
    again = decrypt(FakeServer(status_only), state, VOTE, checked=first.vote)  # type: ignore[arg-type]
    assert calls == [4] and again.vote is first.vote
    assert not any("re-added" in line for line in again.done)


@pytest.mark.parametrize(
    ("status", "asked"),
    [
        ({"state": "closed", "direct_shares": [], "compensated_needed": {}}, True),
        ({"state": "closed", "direct_shares": ["1", "2"], "compensated_needed": {}}, False),
        ({"state": "closed", "direct_shares": ["1", "2"], "compensated_needed": {"3": ["1"]}}, True),
        ({"state": "closed", "direct_shares": ["1", "2"], "compensated_needed": {"3": ["2"]}}, False),
        ({"state": "decrypted", "direct_shares": ["2", "3"], "compensated_needed": {}}, False),
        ({"state": "open", "direct_shares": [], "compensated_needed": {}}, False),
    ],
)
def test_owes_reads_what_the_server_asks_of_this_guardian(status: dict[str, Any], asked: bool) -> None:
    assert owes(status, "1") is asked
