"""Overall No and overall Abstention of a k-of-n list (Gesamtnein / Gesamtenthaltung).

First the counting rules (`evote.rules.majority.decide_election`, the statutes' words in
docs/elections.md), then the manifest (the contest's limit and what ElectionGuard's proofs can
and cannot refuse), then a whole election through the API in which the overall No wins, whose
record passes evote-verify and Microsoft's electionguard 1.4.0.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from server_helpers import oracle_accepts, verify_record
from vote_helpers import Stage, encrypt_for_vote

from evote.crypto.ballot import (
    SubmittedBallot,
    ballot_code,
    ballot_crypto_hash,
    contest_crypto_hash,
)
from evote.crypto.elgamal import elgamal_add
from evote.rules.majority import Headcount, MajorityBase, MajorityRule, decide_election
from evote.rules.wording import rule_text, threshold_text
from evote.store.clock import ManualClock
from evote.voting.manifest import VoteKind, VoteSpec, build_manifest, overall_of

HEADS = Headcount(20, 25)


def count(votes: dict[str, int], cast: int, *, no: int = 0, abstain: int = 0, seats: int = 1,
          rule: MajorityRule = MajorityRule.ABSOLUTE, base: MajorityBase = MajorityBase.VALID):
    return decide_election(votes, seats=seats, rule=rule, base=base, ballots_cast=cast,
                           heads=HEADS, abstained=abstain, rejected=no)


def test_overall_no_stays_in_the_base_and_wins_an_absolute_majority() -> None:
    # 9 ballots: Ada 4, overall No 5. Ada has 4 of 9 valid: not more than half.
    out = count({"Ada": 4}, 9, no=5)
    assert out.base == 9 and out.elected == () and out.overall_no == 5
    # without the overall Noes Ada would have had all valid votes
    assert count({"Ada": 4}, 4).elected == ("Ada",)


def test_overall_abstention_leaves_the_valid_base_only() -> None:
    out = count({"Ada": 4}, 9, abstain=4, no=1)  # valid: 9 - 4 = 5; 4 of 5
    assert out.base == 5 and out.elected == ("Ada",) and out.overall_abstain == 4
    cast = count({"Ada": 4}, 9, abstain=4, no=1, base=MajorityBase.CAST)
    assert cast.base == 9 and cast.elected == ()
    two_thirds = count({"Ada": 4}, 9, abstain=3, no=2, rule=MajorityRule.TWO_THIRDS)
    assert two_thirds.base == 6 and two_thirds.elected == ("Ada",)  # 4 of 6 is two thirds


def test_relative_majority_must_beat_the_overall_no() -> None:
    simple = MajorityRule.SIMPLE
    assert count({"Ada": 3, "Bo": 2}, 10, no=5, rule=simple).elected == ()  # No wins
    assert count({"Ada": 5, "Bo": 2}, 12, no=5, rule=simple).elected == ()  # a tie is no win
    assert count({"Ada": 6, "Bo": 2}, 13, no=5, rule=simple).elected == ("Ada",)
    two = count({"Ada": 6, "Bo": 4, "Cem": 4}, 9, no=3, seats=2, rule=simple)
    assert two.elected == ("Ada",) and two.tied == ("Bo", "Cem")  # a tie at the last seat


def test_mixed_ballots_count_as_marked_and_are_reported_when_evident() -> None:
    # 3 ballots, k = 2: {Ada, Bo}, {overall No}, and a forged {Ada, overall No}
    out = count({"Ada": 2, "Bo": 1}, 3, no=2, seats=2)
    assert out.mixed_evident  # 3 - 2 = 1 plain ballot cannot hold Ada's 2 votes
    assert out.base == 3 and out.elected == ("Ada",)  # every mark as it stands
    honest = count({"Ada": 1, "Bo": 1}, 3, no=1, abstain=1, seats=2)
    assert not honest.mixed_evident
    with pytest.raises(ValueError):
        count({"Ada": 4}, 3, no=1)  # more votes than ballots: no ballot can do that


def test_words_name_the_overall_no() -> None:
    assert rule_text("simple", "valid", "election", overall_no=True) == (
        "Relative Mehrheit: gewählt ist, wer die meisten Stimmen erhält "
        "und mehr Stimmen als Gesamtnein-Stimmen"
    )
    assert threshold_text(
        {"rule": "simple", "base_of": "most_votes", "seats": 1, "overall_no": 5}, "en"
    ) == "elected is who has the most votes and more votes than the 5 overall No votes"


def test_manifest_puts_the_overall_options_in_the_election_contest() -> None:
    spec = VoteSpec(VoteKind.ELECTION, "Vorstand", ("Ada", "Bo", "Cem"), 2,
                    overall_no=True, overall_abstain=True)
    manifest = build_manifest(spec, scope_id="s", day="2026-11-28")
    [contest] = manifest["contests"]
    ids = [s["object_id"] for s in contest["ballot_selections"]]
    assert ids == ["candidate-1", "candidate-2", "candidate-3", "overall-no", "overall-abstain"]
    assert contest["votes_allowed"] == 2  # the seats: ElectionGuard counts marks, not kinds
    assert overall_of(manifest) == (True, True)
    names = {c["object_id"]: c["name"]["text"][0]["value"] for c in manifest["candidates"]}
    assert names["overall-no"] == "Nein (Gesamtnein)"
    with pytest.raises(ValueError, match="k-of-n"):
        VoteSpec(VoteKind.MOTION, "A1", overall_no=True)
    with pytest.raises(ValueError, match="k-of-n"):
        VoteSpec(VoteKind.PER_CANDIDATE, "A1", ("Ada",), overall_abstain=True)


def splice(ballot: dict[str, Any], donor: dict[str, Any], selection: str) -> dict[str, Any]:
    """`ballot` with `donor`'s ciphertext (and proof) for `selection`, every hash, the
    accumulation and the code made again: only the contest's limit proof can tell."""
    parsed, other = SubmittedBallot.from_json(ballot), SubmittedBallot.from_json(donor)
    [contest], [given] = parsed.contests, other.contests
    chosen = tuple(
        next(o for o in given.ballot_selections if o.object_id == selection)
        if s.object_id == selection else s
        for s in contest.ballot_selections
    )
    total = elgamal_add(s.ciphertext for s in chosen)
    contest = replace(
        contest, ballot_selections=chosen, ciphertext_accumulation=total,
        crypto_hash=contest_crypto_hash(contest.object_id, contest.description_hash, chosen),
    )
    crypto_hash = ballot_crypto_hash(parsed.object_id, parsed.manifest_hash, [contest])
    out = replace(parsed, contests=(contest,), crypto_hash=crypto_hash, state=None,
                  code=ballot_code(parsed.code_seed, parsed.timestamp, crypto_hash))
    spliced: dict[str, Any] = out.to_json()
    return spliced


def test_one_seat_proofs_refuse_a_candidate_with_the_overall_no(stage: Stage) -> None:
    """For one seat the contest limit is 1, so a ballot marking Ada and No cannot be proved."""
    vote = stage.open(stage.create(kind="election", title="Vorsitz", candidates=["Ada"],
                                   overall_no=True, overall_abstain=True)["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    # Two marks are an over-vote, which ElectionGuard 1.x encrypts as a blank ballot ...
    overvote = encrypt_for_vote(view, {"election": ["candidate-1", "overall-no"]}, "mixed-1")
    ada = encrypt_for_vote(view, {"election": ["candidate-1"]}, "mixed-ada")
    no = encrypt_for_vote(view, {"election": ["overall-no"]}, "mixed-no")
    # ... and a forger's ballot with Ada's marked ciphertext beside another ballot's marked
    # overall No keeps both selection proofs but breaks the contest's limit proof.
    forged = splice(ada, no, "overall-no")
    resp = stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", forged)
    assert resp.status_code == 422, resp.get_json()
    assert "proof" in resp.get_json()["message"]
    assert stage.vote_for(stage.delegates[0], vote["id"])["turnout"]["cast"] == 0
    resp = stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", overvote)
    assert resp.status_code == 201


def test_bad_overall_fields_are_refused_and_change_nothing(stage: Stage) -> None:
    resp = stage.presidium.post("/api/votes", {"kind": "motion", "title": "A1", "overall_no": True})
    assert resp.status_code == 400 and resp.get_json()["error"] == "bad_vote"
    resp = stage.presidium.post("/api/votes", {"kind": "election", "title": "V",
                                               "candidates": ["Ada"], "overall_no": "ja"})
    assert resp.status_code == 400 and resp.get_json()["error"] == "bad_field"
    assert stage.presidium.get("/api/votes").get_json()["votes"] == []


def decrypt(stage: Stage, vote_id: int) -> None:
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    g = stage.guardians
    shares = [*g.shares(0, tally), *g.shares(1, tally)]
    shares += [*g.compensated(0, 2, tally), *g.compensated(1, 2, tally)]
    for share in shares:
        resp = stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
        assert resp.status_code == 200, resp.get_json()


def test_overall_no_wins_and_the_record_verifies(
    stage: Stage, clock: ManualClock, app: Flask, new_api: Any, tmp_path: Path
) -> None:
    created = stage.create(kind="election", title="Beisitz", candidates=["Ada", "Bo"], seats=2,
                           overall_no=True, overall_abstain=True, majority_rule="absolute")
    assert created["overall_no"] and created["overall_abstain"]
    vote = stage.open(created["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    marks = [["overall-no"], ["candidate-1"], ["overall-abstain"]]
    for i, marked in enumerate(marks):
        ballot = encrypt_for_vote(view, {"election": marked}, f"overall-{i}")
        resp = stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot)
        assert resp.status_code == 201, resp.get_json()
    clock.advance(60)
    decrypt(stage, vote["id"])
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200
    result = stage.delegates[0].get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["totals"]["election"] == {
        "candidate-1": 1, "candidate-2": 0, "overall-no": 1, "overall-abstain": 1}
    outcome = result["outcome"]
    # valid ballots: 3 cast less 1 overall abstention = 2; Ada has 1 of 2, not more than half
    assert outcome["base"] == 2 and outcome["elected"] == [] and outcome["overall_no"] == 1
    assert not outcome["mixed_evident"]
    assert "2 abgegebenen gültigen Stimmzettel" in result["threshold_text"]

    record = tmp_path / "record.zip"
    record.write_bytes(new_api().get(f"/api/votes/{vote['id']}/record.zip").data)
    verify_record(record)
    with zipfile.ZipFile(record) as z:
        manifest = json.loads(z.read("manifest.json"))
        z.extractall(tmp_path / "tree")
    assert overall_of(manifest) == (True, True)
    oracle_accepts(tmp_path / "tree")
