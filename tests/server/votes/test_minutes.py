"""The minutes (Protokoll): rendered as a PDF whose text is checked with pypdf, and as CSV.

A vote is opened while agenda item 2 is on stage, decided and announced; a second one is
counted but not announced (the minutes must not tell its result). The PDF names the agenda
with its times, the attendance, the options, totals, rule, verdict and the fingerprint of the
record the server serves; English on request; delegates may not make minutes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pypdf
from flask import Flask
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock


def _cast(stage: Stage, vote_id: int, who: int, answer: str) -> None:
    view = stage.vote_for(stage.delegates[who], vote_id)
    ballot = encrypt_for_vote(view, {"motion": [answer]}, f"minutes-{vote_id}-{who}")
    assert stage.delegates[who].post(f"/api/votes/{vote_id}/ballots", ballot).status_code == 201


def _count(stage: Stage, vote_id: int, clock: ManualClock) -> None:
    clock.advance(61)
    assert stage.presidium.get(f"/api/votes/{vote_id}").get_json()["state"] == "closed"
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            assert stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share).status_code == 200


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _convention(stage: Stage, clock: ManualClock) -> tuple[int, int]:
    p = stage.presidium
    p.post("/api/agenda", {"title": "Begrüßung"})
    items = p.post("/api/agenda", {"title": "Satzungsänderungen"}).get_json()["items"]
    p.post(f"/api/agenda/{items[0]['id']}/call")
    clock.advance(300)
    p.post(f"/api/agenda/{items[1]['id']}/call")
    opened = p.post("/api/speakers/lists", {"agenda_item_id": items[1]["id"]})
    assert opened.status_code == 201, opened.get_json()
    list_id = opened.get_json()["list"]["list_id"]
    asked = stage.delegates[0].post(f"/api/speakers/lists/{list_id}/entries", {"kind": "speech"})
    assert asked.status_code == 201, asked.get_json()
    assert p.post(f"/api/speakers/lists/{list_id}/next", {}).status_code == 200
    clock.advance(60)
    assert p.post(f"/api/speakers/lists/{list_id}/stop").status_code == 200
    first = stage.create(title="Antrag S1: Beitragsordnung", majority_rule="two_thirds")["id"]
    stage.open(first)
    for who, answer in ((0, "yes"), (1, "yes"), (2, "no")):
        _cast(stage, first, who, answer)
    _count(stage, first, clock)
    assert p.post(f"/api/votes/{first}/announce").status_code == 200
    second = stage.create(title="=HYPERLINK(\"x\") Antrag S2")["id"]
    stage.open(second)
    _cast(stage, second, 0, "no")
    _count(stage, second, clock)
    return first, second


def test_the_pdf_minutes_say_what_happened(
    stage: Stage, clock: ManualClock, app: Flask, tmp_path: Path
) -> None:
    first, second = _convention(stage, clock)
    resp = stage.presidium.get("/api/minutes.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = _text(resp.data)
    flat = " ".join(text.split())
    for expected in (
        "Protokoll", "Tagesordnung", "TOP 1: Begrüßung", "TOP 2: Satzungsänderungen",
        "aufgerufen um 28.11.2026 10:00 UTC", "28.11.2026 10:05 UTC",
        f"Abstimmung {first}: Antrag S1: Beitragsordnung", "Ja, Nein, Enthaltung",
        "3 von 3 Stimmberechtigten eingecheckt, 3 Stimmen abgegeben",
        "Zweidrittelmehrheit", "Ja: 2; Nein: 1; Enthaltung: 0", "angenommen",
        "ausgezählt, noch nicht bekanntgegeben", "Für das Präsidium",
        "Redebeiträge: " + stage.delegates[0].get("/api/me").get_json()["name"],
    ):
        assert expected in flat, (expected, flat[:3000])
    record = stage.presidium.get(f"/api/votes/{first}/record.zip").data
    digest = hashlib.sha256(record).hexdigest()
    assert digest in flat.replace(" ", "") or digest in text.replace("\n", "")
    # the unannounced vote: no totals
    part = flat.split(f"Abstimmung {second}:")[1]
    assert "Ja: 0; Nein: 1" not in part and "abgelehnt" not in part

    english = _text(stage.presidium.get("/api/minutes.pdf?lang=en").data)
    assert "Minutes" in english and "adopted" in english and "Two-thirds majority" in english

    for who in (stage.delegates[0], stage.guardian):
        assert who.get("/api/minutes.pdf").status_code == 403
        assert who.get("/api/minutes.zip").status_code == 403


def test_csv_minutes_and_the_command(
    stage: Stage, clock: ManualClock, app: Flask, cli: Any, tmp_path: Path
) -> None:
    _convention(stage, clock)
    archive = zipfile.ZipFile(io.BytesIO(stage.presidium.get("/api/minutes.zip").data))
    assert sorted(archive.namelist()) == ["agenda.csv", "motions.csv", "speakers.csv", "votes.csv"]
    votes = archive.read("votes.csv").decode("utf-8-sig")
    assert "Antrag S1: Beitragsordnung" in votes and "angenommen" in votes
    assert "'=HYPERLINK" in votes  # a title is never a formula in a spreadsheet
    result = cli("minutes", "bpt", "--pdf", str(tmp_path / "p.pdf"), "--csv", str(tmp_path / "csv"),
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Minutes" in _text((tmp_path / "p.pdf").read_bytes())
    assert (tmp_path / "csv" / "agenda.csv").read_text(encoding="utf-8-sig").count("\n") == 3
    assert cli("minutes", "bpt").exit_code != 0


def test_the_pdf_shows_motions_and_any_name() -> None:
    """Rendering alone: a motion's outcome in the motion book's words, a speaker whose name
    Helvetica cannot show, in German and English."""
    from datetime import UTC, datetime

    from evote.minutes.collect import AgendaMinute, Minutes
    from evote.minutes.pdf import render
    from evote.motions.minutes import MotionOutcome, VoteOutcome

    at = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    motion = MotionOutcome(
        motion_id=1, label="A1", title="Klimaschutz vor Ort", kind="A", amends=None, lines=None,
        submitter="KV Nord", urgent=False, state="adopted_as_amended", decided=True, note="",
        recommendation=None, text_sha256="0" * 64, text_version=2,
        votes=[VoteOutcome(7, "final", "0" * 64, "adopted_as_amended", 40, 3, 2, "simple", at)],
    )
    item = AgendaMinute(1, "Anträge", at, speakers=[{"name": "Łukasz Şahin", "delegation": "Köln", "kind": "point_of_order"}])
    for lang, words in (("de", ("in geänderter Fassung angenommen", "Schlussabstimmung", "GO-Antrag")),
                        ("en", ("adopted as amended", "Final vote", "point of order"))):
        text = " ".join(_text(render(Minutes("BPT", "bpt", lang, at, None, at, [item], [motion], "c" * 64))).split())
        for expected in ("A1", "Klimaschutz vor Ort", "KV Nord", "Łukasz Şahin (Köln)", *words):
            assert expected in text, (lang, expected, text)
