"""A 3-of-5 ceremony end to end: two guardians absent, compensated, right totals; forgeries refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.backup import make_backup, open_backup
from evote.crypto.ceremony import GuardianSecret, combine_guardian_keys
from evote.crypto.compensation import (
    CompensatedDecryptionShare,
    LagrangeCoefficients,
    compute_compensated_share,
    reconstruct_share,
    verify_compensated_share,
)
from evote.crypto.decrypt import PlaintextTally, decrypt_with_shares, verify_plaintext_tally
from evote.crypto.decryption_share import (
    DecryptionShare,
    compute_decryption_share,
    verify_decryption_share,
)
from evote.crypto.errors import InvalidElement, InvalidProof, InvalidShare
from evote.crypto.group import ElementModP, ElementModQ, P, Q
from evote.crypto.hash import hash_elems
from evote.crypto.tally import CiphertextTally, TallyContest, TallySelection

from .tally_ballots import encrypt_votes

N, K = 5, 3
Q_BAR = hash_elems("evote test", "extended base hash")
SECRETS = [GuardianSecret.generate(f"g{i}", i, K, bytes([i, 7]) * 16) for i in range(1, N + 1)]
RECORDS = [s.public_key() for s in SECRETS]
BY_ID = {r.guardian_id: r for r in RECORDS}
JOINT = combine_guardian_keys(RECORDS, N, K).joint_public_key
PRESENT = ["g1", "g3", "g4"]
MISSING = ["g2", "g5"]
VOTES = [{"yes": 1, "no": 0, "alice": 1, "bob": 1}, {"yes": 0, "no": 1, "alice": 1, "bob": 0}]
VOTES += [{"yes": 1, "no": 0, "alice": 0, "bob": 1}, {"yes": 1, "no": 0, "alice": 1, "bob": 0}]
CONTESTS = {"motion": ["yes", "no"], "board": ["alice", "bob"]}


def encrypted_tally() -> CiphertextTally:
    shape = [
        TallyContest(
            c,
            i,
            ElementModQ.of(i),
            {s: TallySelection(s, j, ElementModQ.of(j)) for j, s in enumerate(sels)},
        )
        for i, (c, sels) in enumerate(CONTESTS.items())
    ]
    ballots = encrypt_votes(CONTESTS, VOTES, JOINT, stride=1000)
    return CiphertextTally.empty(shape).add_cast_ballots(ballots)


TALLY = encrypted_tally()
CIPHERTEXTS = TALLY.ciphertexts()


def compensated_parts(missing: str) -> dict[str, CompensatedDecryptionShare]:
    sender = SECRETS[int(missing[1:]) - 1]
    parts = {}
    for n, present in enumerate(PRESENT):
        receiver = SECRETS[int(present[1:]) - 1]
        backup = make_backup(sender, BY_ID[present], ElementModQ.of(77 + n))
        coordinate = open_backup(backup, receiver, BY_ID[missing])
        parts[present] = compute_compensated_share(
            receiver,
            BY_ID[present],
            BY_ID[missing],
            coordinate,
            TALLY.object_id,
            CIPHERTEXTS,
            Q_BAR,
            ElementModQ.of(5 + n),
        )
    return parts


def all_shares() -> dict[str, DecryptionShare]:
    shares = {
        g: compute_decryption_share(
            SECRETS[int(g[1:]) - 1], TALLY.object_id, CIPHERTEXTS, Q_BAR, ElementModQ.of(3)
        )
        for g in PRESENT
    }
    lagrange = LagrangeCoefficients.for_guardians([BY_ID[g] for g in PRESENT])
    for m in MISSING:
        shares[m] = reconstruct_share(BY_ID[m], compensated_parts(m), lagrange)
    return shares


SHARES = all_shares()


def test_three_present_of_five_decrypt_the_right_totals() -> None:
    plain = decrypt_with_shares(
        TALLY.object_id, CIPHERTEXTS, SHARES, RECORDS, Q_BAR, bound=len(VOTES)
    )
    expected = {c: {s: sum(v[s] for v in VOTES) for s in sels} for c, sels in CONTESTS.items()}
    assert plain.totals() == expected
    # the reconstructed share is the absent guardian's own A^s_i
    for m in MISSING:
        secret = SECRETS[int(m[1:]) - 1].polynomial.secret_key
        assert SHARES[m].contests["motion"]["yes"].share == CIPHERTEXTS["motion"]["yes"].pad.pow(
            secret
        )
    # the published form reads back and verifies on its own
    doc = plain.to_json()
    again = PlaintextTally.from_json(doc)
    assert again.to_json() == doc
    verify_plaintext_tally(again, CIPHERTEXTS, RECORDS, Q_BAR)
    assert [s["guardian_id"] for s in doc["contests"]["board"]["selections"]["bob"]["shares"]] == [
        f"g{i}" for i in range(1, 6)
    ]
    assert set(
        doc["contests"]["board"]["selections"]["bob"]["shares"][1]["recovered_parts"]
    ) == set(PRESENT)


def test_lagrange_record_round_trips() -> None:
    lagrange = LagrangeCoefficients.for_guardians([BY_ID[g] for g in PRESENT])
    assert LagrangeCoefficients.from_json(lagrange.to_json()) == lagrange
    # w_ℓ interpolate at 0: Σ w_ℓ·ℓ^j is 1 for j = 0 and 0 for 0 < j < k
    for j in range(K):
        total = sum(int(lagrange.coefficients[g].value) * int(g[1:]) ** j for g in PRESENT)
        assert ElementModQ.of(total) == ElementModQ.of(1 if j == 0 else 0)


def _with_selection_share(
    shares: dict[str, DecryptionShare], g: str, sid: str, **changes: object
) -> dict[str, DecryptionShare]:
    old = shares[g]
    contest = dict(old.contests["motion"])
    contest[sid] = replace(contest[sid], **changes)  # type: ignore[arg-type]
    return {**shares, g: replace(old, contests={**old.contests, "motion": contest})}


def test_forged_direct_share_is_refused_naming_guardian_and_selection() -> None:
    real = SHARES["g3"].contests["motion"]["no"].share
    forged = _with_selection_share(
        SHARES, "g3", "no", share=ElementModP(real.value * real.value % P)
    )
    with pytest.raises(InvalidProof, match="guardian g3, selection no"):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, forged, RECORDS, Q_BAR, bound=4)
    stolen_proof = _with_selection_share(
        SHARES, "g1", "yes", proof=SHARES["g1"].contests["motion"]["no"].proof
    )
    with pytest.raises(InvalidProof, match="guardian g1, selection yes"):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, stolen_proof, RECORDS, Q_BAR, bound=4)


def test_forged_compensated_part_is_refused() -> None:
    share = SHARES["g2"].contests["motion"]["yes"]
    assert share.recovered_parts is not None
    part = share.recovered_parts["g4"]
    # a part proved against a made-up recovery key (the forger's own key) is caught
    fake_key = replace(part, recovery_key=BY_ID["g4"].election_public_key)
    forged = _with_selection_share(
        SHARES, "g2", "yes", recovered_parts={**share.recovered_parts, "g4": fake_key}
    )
    with pytest.raises(
        InvalidShare, match="guardian g2, selection yes, part from guardian g4: recovery key"
    ):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, forged, RECORDS, Q_BAR, bound=4)
    # a combination that is not ∏ M_{i,ℓ}^w_ℓ is caught even though each part verifies
    wrong_mix = _with_selection_share(SHARES, "g2", "yes", share=part.share)
    with pytest.raises(
        InvalidShare, match="guardian g2, selection yes: share is not the Lagrange combination"
    ):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, wrong_mix, RECORDS, Q_BAR, bound=4)
    too_few = _with_selection_share(SHARES, "g2", "yes", recovered_parts={"g4": part})
    with pytest.raises(InvalidShare, match="1 recovered parts, the quorum is 3"):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, too_few, RECORDS, Q_BAR, bound=4)


def test_missing_guardian_share_and_tampered_totals_are_refused() -> None:
    partial = {g: s for g, s in SHARES.items() if g != "g5"}
    with pytest.raises(InvalidShare, match="guardians are"):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, partial, RECORDS, Q_BAR, bound=4)
    doc = decrypt_with_shares(
        TALLY.object_id, CIPHERTEXTS, SHARES, RECORDS, Q_BAR, bound=4
    ).to_json()
    doc["contests"]["motion"]["selections"]["yes"]["tally"] += 1
    with pytest.raises(InvalidShare, match="selection yes: tally 4 is not log_g"):
        verify_plaintext_tally(PlaintextTally.from_json(doc), CIPHERTEXTS, RECORDS, Q_BAR)


def test_compensating_from_a_bad_backup_is_refused() -> None:
    bogus = SECRETS[0].polynomial.value_at(4)  # g1's point, passed off as g2's
    with pytest.raises(InvalidShare, match="guardian g2: backup held by guardian g4"):
        compute_compensated_share(
            SECRETS[3], BY_ID["g4"], BY_ID["g2"], bogus, "t", CIPHERTEXTS, Q_BAR, ElementModQ.of(1)
        )


def test_records_of_other_guardians_do_not_verify_shares() -> None:
    others = [
        GuardianSecret.generate(f"g{i}", i, K, bytes([i, 9]) * 16).public_key()
        for i in range(1, N + 1)
    ]
    with pytest.raises(InvalidProof):
        decrypt_with_shares(TALLY.object_id, CIPHERTEXTS, SHARES, others, Q_BAR, bound=4)


def test_shares_travel_as_json_and_are_checked_on_submission() -> None:
    share = SHARES["g1"]
    again = DecryptionShare.from_json(share.to_json())
    assert again == share
    verify_decryption_share(again, CIPHERTEXTS, BY_ID["g1"], Q_BAR)
    with pytest.raises(InvalidShare, match="not made with guardian g3's key"):
        verify_decryption_share(again, CIPHERTEXTS, BY_ID["g3"], Q_BAR)
    fewer = {"motion": CIPHERTEXTS["motion"]}
    with pytest.raises(InvalidShare, match="other selections"):
        verify_decryption_share(again, fewer, BY_ID["g1"], Q_BAR)
    with pytest.raises(InvalidElement, match="not a evote/decryption-share"):
        DecryptionShare.from_json({**share.to_json(), "type": "evote/compensated-decryption-share"})

    part = compensated_parts("g5")["g3"]
    assert CompensatedDecryptionShare.from_json(part.to_json()) == part
    verify_compensated_share(part, CIPHERTEXTS, BY_ID["g3"], BY_ID["g5"], Q_BAR)
    with pytest.raises(InvalidShare, match="expected guardian g4 for g5"):
        verify_compensated_share(part, CIPHERTEXTS, BY_ID["g4"], BY_ID["g5"], Q_BAR)
    piece = part.contests["board"]["alice"]
    bent = replace(piece, share=part.contests["board"]["bob"].share)
    forged = replace(
        part, contests={**part.contests, "board": {**part.contests["board"], "alice": bent}}
    )
    with pytest.raises(InvalidProof, match="guardian g3 for guardian g5, selection alice"):
        verify_compensated_share(forged, CIPHERTEXTS, BY_ID["g3"], BY_ID["g5"], Q_BAR)


@settings(max_examples=6, deadline=None)
@given(
    present=st.lists(
        st.sampled_from([r.guardian_id for r in RECORDS]), min_size=K, max_size=N, unique=True
    )
)
def test_any_quorum_rebuilds_the_same_share_in_the_exponent(present: list[str]) -> None:
    """Lagrange reconstruction: whichever ≥k guardians stand in, ∏ M_{i,ℓ}^w_ℓ = A^s_i."""
    missing = (
        next(r for r in RECORDS if r.guardian_id not in present) if len(present) < N else RECORDS[0]
    )
    helpers = [g for g in present if g != missing.guardian_id][:K]
    one = {"motion": {"yes": CIPHERTEXTS["motion"]["yes"]}}
    sender = SECRETS[missing.sequence_order - 1]
    parts = {}
    for g in helpers:
        helper = SECRETS[int(g[1:]) - 1]
        coordinate = open_backup(make_backup(sender, BY_ID[g], ElementModQ.of(3)), helper, missing)
        parts[g] = compute_compensated_share(
            helper, BY_ID[g], missing, coordinate, "t", one, Q_BAR, ElementModQ.of(4)
        )
    rebuilt = reconstruct_share(
        missing, parts, LagrangeCoefficients.for_guardians([BY_ID[g] for g in helpers])
    )
    assert rebuilt.contests["motion"]["yes"].share == one["motion"]["yes"].pad.pow(
        sender.polynomial.secret_key
    )


def test_a_published_count_off_by_a_multiple_of_q_is_refused() -> None:
    """g has order q, so g^(t+q) = g^t: only 0 ≤ t < q names the count g^t stands for."""
    doc = decrypt_with_shares(
        TALLY.object_id, CIPHERTEXTS, SHARES, RECORDS, Q_BAR, bound=4
    ).to_json()
    doc["contests"]["motion"]["selections"]["yes"]["tally"] += int(Q)
    with pytest.raises(InvalidShare, match=r"selection yes: tally \d+ is not a count below q"):
        verify_plaintext_tally(PlaintextTally.from_json(doc), CIPHERTEXTS, RECORDS, Q_BAR)


def test_reconstruction_refuses_fewer_parts_than_the_quorum_or_mixed_objects() -> None:
    parts = compensated_parts("g2")
    lagrange = LagrangeCoefficients.for_guardians([BY_ID[g] for g in PRESENT])
    two = {g: parts[g] for g in PRESENT[:2]}
    with pytest.raises(InvalidShare, match="guardian g2: 2 compensated parts, the quorum is 3"):
        reconstruct_share(
            BY_ID["g2"], two, LagrangeCoefficients.for_guardians([BY_ID[g] for g in PRESENT[:2]])
        )
    # none at all (an empty coefficients record) used to leak StopIteration
    with pytest.raises(InvalidShare, match="0 compensated parts"):
        reconstruct_share(BY_ID["g2"], {}, LagrangeCoefficients({}))
    other = {**parts, "g4": replace(parts["g4"], object_id="spoiled-ballot")}
    with pytest.raises(InvalidShare, match="compensated parts of different objects"):
        reconstruct_share(BY_ID["g2"], other, lagrange)
    assert reconstruct_share(BY_ID["g2"], parts, lagrange) == SHARES["g2"]
