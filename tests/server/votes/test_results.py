"""Results as announced: per-candidate elections, the quorum, and the rule applied per vote."""

from __future__ import annotations

from typing import Any

import pytest
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.clock import ManualClock


def run(stage: Stage, clock: ManualClock, vote: dict[str, Any], marks: list[dict[str, Any]]) -> Any:
    view = stage.vote_for(stage.delegates[0], vote["id"])
    for i, choice in enumerate(marks):
        ballot = encrypt_for_vote(view, choice, f"results-{vote['id']}-{i}")
        resp = stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot)
        assert resp.status_code == 201, resp.get_json()
    clock.advance(vote["duration_seconds"])
    tally = stage.guardian.get(f"/api/votes/{vote['id']}/encrypted-tally").get_json()
    for i in range(2):  # two of three guardians is a quorum; the third is compensated
        for share in stage.guardians.shares(i, tally):
            stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
    for i in range(2):
        for share in stage.guardians.compensated(i, 2, tally):
            stage.guardian.post(f"/api/votes/{vote['id']}/decryption-shares", share)
    resp = stage.presidium.get(f"/api/votes/{vote['id']}/result")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_per_candidate_yes_no_abstain(stage: Stage, clock: ManualClock) -> None:
    vote = stage.open(
        stage.create(kind="per_candidate", title="Kasse", candidates=["Ada", "Bert"], seats=1)["id"]
    )
    marks = [
        {"candidate-1": ["candidate-1-yes"], "candidate-2": ["candidate-2-no"]},
        {"candidate-1": ["candidate-1-yes"], "candidate-2": ["candidate-2-yes"]},
        {"candidate-1": ["candidate-1-abstain"], "candidate-2": ["candidate-2-no"]},
    ]
    result = run(stage, clock, vote, marks)
    assert result["totals"]["candidate-1"] == {
        "candidate-1-yes": 2, "candidate-1-no": 0, "candidate-1-abstain": 1,
    }
    assert result["outcome"]["elected"] == ["Ada"]
    assert result["outcome"]["motions"]["Bert"]["adopted"] is False


def test_absolute_majority_of_those_present_and_quorum_is_reported(
    stage: Stage, clock: ManualClock, logged_in: Any
) -> None:
    for _ in range(4):  # delegates with a vote who stayed away: 3 present of 7
        logged_in(Role.DELEGATE)
    vote = stage.open(stage.create(title="Satzung", majority_rule="absolute", majority_base="present")["id"])
    result = run(stage, clock, vote, [{"motion": ["yes"]}, {"motion": ["yes"]}, {"motion": ["no"]}])
    assert result["roll_size"] == 3 and result["voting_members"] == 7
    assert result["outcome"]["base"] == 3 and result["outcome"]["adopted"] is True
    assert result["majority_base"] == "present" and result["threshold"]["base_of"] == "present"
    assert result["quorum"] == {
        "numerator": 1, "denominator": 2, "strict": True, "present": 3, "members": 7, "met": False,
    }
    assert result["valid"] is False  # adopted by the count, but the convention was not quorate


def test_result_is_not_shown_before_decryption(stage: Stage, clock: ManualClock) -> None:
    vote = stage.open(stage.create()["id"])
    assert stage.delegates[0].get(f"/api/votes/{vote['id']}/result").status_code == 409
    clock.advance(60)
    assert stage.delegates[0].get(f"/api/votes/{vote['id']}/result").status_code == 409
    assert stage.presidium.get(f"/api/votes/{vote['id']}/record.zip").status_code == 409


@pytest.mark.parametrize(
    ("base", "size", "adopted", "words"),
    [
        ("valid", 3, True, "mehr als die Hälfte der 3 abgegebenen gültigen Stimmen"),
        ("cast", 4, False, "mehr als die Hälfte der 4 abgegebenen Stimmen einschließlich Enthaltungen"),
        ("present", 4, False, "mehr als die Hälfte der 4 anwesenden Stimmberechtigten"),
        ("members", 6, False, "mehr als die Hälfte der 6 stimmberechtigten Mitglieder"),
    ],
)
def test_absolute_majority_per_base(
    stage: Stage, clock: ManualClock, logged_in: Any, base: str, size: int, adopted: bool,
    words: str,
) -> None:
    """2 yes, 1 no, 1 abstention; 4 present of 6 members: the base decides, and says so."""
    stage.delegates.append(logged_in(Role.DELEGATE, checked_in=True))
    for _ in range(2):
        logged_in(Role.DELEGATE)  # members who stayed away
    vote = stage.create(title="Satzung", majority_rule="absolute", majority_base=base)
    assert vote["majority_base"] == base
    assert vote["rule_text"].startswith("Absolute Mehrheit: mehr als die Hälfte der ")
    vote = stage.open(vote["id"])
    marks = [{"motion": ["yes"]}, {"motion": ["yes"]}, {"motion": ["no"]}, {"motion": ["abstain"]}]
    result = run(stage, clock, vote, marks)
    assert result["outcome"]["base"] == size and result["outcome"]["adopted"] is adopted
    needed = size // 2 + 1
    assert result["threshold_text"] == f"nötig: {needed} Stimmen, {words}"


def test_two_of_two_ballots_elect_when_the_base_is_the_valid_votes(
    stage: Stage, clock: ManualClock
) -> None:
    """The reported bug: 2 ballots of 3 present, both for Ada, absolute majority: elected, and
    the console says against what ("Niemand gewählt" came from the roll as a silent base)."""
    created = stage.create(
        kind="election", title="Vorsitz", candidates=["Ada", "Bo"], seats=1,
        majority_rule="absolute",
    )
    assert created["majority_base"] == "valid"  # the default: the votes, never heads
    assert created["rule_text"] == (
        "Absolute Mehrheit: mehr als die Hälfte der abgegebenen gültigen Stimmzettel"
    )
    vote = stage.open(created["id"])
    result = run(stage, clock, vote, [{"election": ["candidate-1"]}, {"election": ["candidate-1"]}])
    assert result["outcome"]["elected"] == ["Ada"]
    assert result["threshold"] == {"rule": "absolute", "base_of": "valid_ballots", "base": 2, "needed": 2}
    assert result["threshold_text"] == (
        "nötig: 2 Stimmen, mehr als die Hälfte der 2 abgegebenen gültigen Stimmzettel"
    )


def test_simple_majority_of_heads_is_refused(stage: Stage) -> None:
    resp = stage.presidium.post("/api/votes", {
        "kind": "motion", "title": "X", "majority_rule": "simple", "majority_base": "members",
    })
    assert resp.status_code == 422 and resp.get_json()["error"] == "bad_majority_base"
    resp = stage.presidium.post("/api/votes", {
        "kind": "motion", "title": "X", "majority_rule": "absolute", "majority_base": "roll",
    })
    assert resp.status_code == 400 and resp.get_json()["error"] == "bad_field"
    assert stage.presidium.get("/api/votes").get_json()["votes"] == []
