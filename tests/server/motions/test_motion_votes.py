"""Votes from motions: one click opens them, the manifest names the text, the result flows back.

The convention votes on Ä1 (adopted), then Ä2 (rejected), then the motion as amended; the
final vote's record carries the SHA-256 of the consolidated text and passes evote-verify.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from flask import Flask
from motion_helpers import TEXT, Hall, admitted, amendment, ok, refused
from server_helpers import verify_record

from evote.motions.minutes import outcomes
from evote.motions.voting import text_sha256_of
from evote.store.db import get_session
from evote.store.models.motions import Motion


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_amendments_then_the_motion_as_amended_and_the_record_proves_the_text(
    hall: Hall, new_api: Any, tmp_path: Path, app: Flask
) -> None:
    author, other = hall.delegates[0], hall.delegates[1]
    motion = admitted(author, hall.committee, hall.kinds["A"])
    a1 = amendment(other, hall.committee, motion, 3, 3,
                   "Dazu werden alle Dienstgebäude bis 2030 saniert.")
    a2 = amendment(other, hall.committee, motion, 7, 7, "Die Finanzierung klärt der Vorstand.")
    assert (a1["label"], a2["label"]) == ("Ä1 zu A1", "Ä2 zu A1")

    # the motion waits for its amendments; delegates do not open votes
    refused(hall.presidium.post(f"/api/motions/{motion['id']}/vote"), 409, "amendments_open")
    assert author.post(f"/api/motions/{a1['id']}/vote").status_code == 403

    opened = ok(hall.presidium.post(f"/api/motions/{a1['id']}/vote"), 201)
    vote = opened["vote"]
    assert vote["state"] == "open" and vote["majority_rule"] == "simple"
    assert vote["title"] == "Ä1 zu A1, Zeile 3: Änderung in Zeile 3"
    amended_text = TEXT.replace("Dazu werden alle Dienstgebäude saniert.",
                                "Dazu werden alle Dienstgebäude bis 2030 saniert.")
    [contest] = vote["manifest"]["contests"]
    assert [t["language"] for t in contest["ballot_subtitle"]["text"]] == ["de", "en"]
    assert text_sha256_of(json.dumps(vote["manifest"])) == sha(amended_text)
    assert opened["motion"]["state"] == "voting"
    # nothing changes the motion while its amendment is voted on
    refused(hall.presidium.post(f"/api/motions/{a2['id']}/vote"), 409, "vote_pending")
    refused(other.post(f"/api/motions/{motion['id']}/amendments",
                       {"line_from": 1, "line_to": 1, "text": "Neu."}), 409, "vote_pending")

    hall.decide(vote["id"], ["yes", "yes", "no"])
    # counted but not announced: the embargo holds the motion too
    assert ok(author.get(f"/api/motions/{a1['id']}"))["state"] == "voting"
    hall.announce(vote["id"])
    after = ok(author.get(f"/api/motions/{motion['id']}"))
    assert after["text"] == amended_text and after["text_version"] == 2
    assert {a["id"]: a["state"] for a in after["amendments"]} == {
        a1["id"]: "adopted", a2["id"]: "numbered"}
    assert ok(author.get(f"/api/motions/{a1['id']}"))["votes"][0]["outcome"] == "adopted"

    second = ok(hall.presidium.post(f"/api/motions/{a2['id']}/vote"), 201)["vote"]
    assert second["title"].startswith("Ä2 zu A1, Zeile 7: ")
    hall.decide(second["id"], ["no", "no", "yes"])
    hall.announce(second["id"])
    assert ok(author.get(f"/api/motions/{a2['id']}"))["state"] == "rejected"

    final = ok(hall.presidium.post(f"/api/motions/{motion['id']}/vote"), 201)["vote"]
    assert final["title"] == "A1: Klimaneutrale Verwaltung"
    hall.decide(final["id"], ["yes", "yes", "abstain"])
    hall.announce(final["id"])
    done = ok(author.get(f"/api/motions/{motion['id']}"))
    assert done["state"] == "adopted_as_amended" and done["text"] == amended_text
    assert [h["to"] for h in done["history"]][-2:] == ["voting", "adopted_as_amended"]

    # the published record names the adopted text, and evote-verify passes it
    record = tmp_path / "record.zip"
    record.write_bytes(new_api().get(f"/api/votes/{final['id']}/record.zip").data)
    with zipfile.ZipFile(io.BytesIO(record.read_bytes())) as z:
        manifest = z.read("manifest.json").decode()
    assert text_sha256_of(manifest) == sha(done["text"]) == done["text_sha256"]
    verify_record(record)

    # the minutes' view: each motion and amendment, how it was decided, on which text
    with app.app_context():
        rows = outcomes(get_session(), motion_event(app, motion["id"]))
    assert [(r.label, r.state, [v.outcome for v in r.votes]) for r in rows] == [
        ("A1", "adopted_as_amended", ["adopted_as_amended"]),
        ("Ä1 zu A1", "adopted", ["adopted"]),
        ("Ä2 zu A1", "rejected", ["rejected"]),
    ]
    assert rows[0].text_sha256 == rows[0].votes[0].text_sha256 == sha(amended_text)
    assert (rows[0].votes[0].yes, rows[0].votes[0].no, rows[0].votes[0].abstain) == (2, 0, 1)
    assert rows[1].lines == "Zeile 3" and rows[1].votes[0].text_sha256 == sha(amended_text)


def motion_event(app: Flask, motion_id: int) -> int:
    with app.app_context():
        found = get_session().get(Motion, motion_id)
        assert found is not None
        return found.event_id


def test_statute_amendments_need_two_thirds_and_a_deleted_or_cancelled_vote_gives_the_motion_back(
    hall: Hall,
) -> None:
    motion = admitted(hall.delegates[0], hall.committee, hall.kinds["S"])
    draft = ok(hall.presidium.post(f"/api/motions/{motion['id']}/vote", {"open": False}), 201)
    assert draft["vote"]["state"] == "draft" and draft["vote"]["majority_rule"] == "two_thirds"
    vote_id = draft["vote"]["id"]
    refused(hall.presidium.patch(f"/api/votes/{vote_id}", {"kind": "motion", "title": "Anders"}),
            409, "vote_from_motion")
    ok(hall.presidium.delete(f"/api/votes/{vote_id}"))
    assert ok(hall.delegates[0].get(f"/api/motions/{motion['id']}"))["state"] == "on_agenda"

    opened = ok(hall.presidium.post(f"/api/motions/{motion['id']}/vote",
                                    {"majority_rule": "simple"}), 201)["vote"]
    assert opened["majority_rule"] == "simple"
    ok(hall.presidium.post(f"/api/votes/{opened['id']}/cancel"))
    back = ok(hall.delegates[0].get(f"/api/motions/{motion['id']}"))
    assert back["state"] == "on_agenda" and back["votes"][-1]["outcome"] == "cancelled"


def test_only_numbered_undecided_motions_are_put_to_the_vote(hall: Hall) -> None:
    author = hall.delegates[0]
    made = ok(author.post("/api/motions", {"kind_id": hall.kinds["A"]["id"], "title": "T",
                                           "text": TEXT}), 201)
    ok(author.post(f"/api/motions/{made['id']}/submit"))
    # not admitted: the presidium does not even see it
    refused(hall.presidium.post(f"/api/motions/{made['id']}/vote"), 404, "no_such_motion")
    ok(hall.committee.post(f"/api/motions/{made['id']}/screen", {"decision": "admit"}))
    refused(hall.presidium.post(f"/api/motions/{made['id']}/vote", {"open": "yes"}), 400,
            "bad_field")
    refused(hall.presidium.post(f"/api/motions/{made['id']}/vote"), 409, "not_votable")
    assert ok(author.get(f"/api/motions/{made['id']}"))["state"] == "admitted"
