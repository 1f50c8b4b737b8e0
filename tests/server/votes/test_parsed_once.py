"""After the close, the stored guardian records and tally are checked once per process, not at
every status poll: their subgroup checks (a 256-bit power modulo the 4096-bit p each) were a
quarter of the server's CPU between the countdown's end and the result in a rehearsal, while
three guardians read the decryption status once a second."""

from __future__ import annotations

import json

import pytest
from vote_helpers import Stage, encrypt_for_vote

from evote.crypto.errors import CryptoError
from evote.crypto.group import ElementModP
from evote.store.clock import ManualClock
from evote.store.models.ceremony import ElectionKey
from evote.voting import results


def test_status_polls_after_the_first_check_no_element_again(
    stage: Stage, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    ballot = encrypt_for_vote(view, {"motion": ["yes"]}, "parsed-once")
    assert stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    clock.advance(vote["duration_seconds"])
    status = f"/api/votes/{vote['id']}/decryption"
    first = stage.guardian.get(status)
    assert first.status_code == 200, first.get_json()

    checks = 0
    real = ElementModP.is_valid_residue

    def counting(self: ElementModP) -> bool:
        nonlocal checks
        checks += 1
        return real(self)

    monkeypatch.setattr(ElementModP, "is_valid_residue", counting)
    for _ in range(3):
        again = stage.guardian.get(status)
        assert again.get_json() == first.get_json()
    assert checks == 0


def test_a_bad_stored_record_is_refused_every_time(stage: Stage) -> None:
    """Only what passed is kept: a record with an element outside the subgroup fails on each
    read, and the good text still parses."""
    records = json.loads(json.dumps(stage.guardians.ceremony_json()["guardians"]))
    records[0]["election_public_key"] = "02"  # not a 4096-bit subgroup element
    bad = ElectionKey(event_id=0, guardians_json=json.dumps(records))
    for _ in range(2):
        with pytest.raises(CryptoError):
            results.guardian_records(bad)
