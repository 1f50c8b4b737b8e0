"""The motion book and the resolutions book: rendered as PDF and read back with pypdf."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from flask import Flask
from motion_helpers import TEXT, Cast, Hall, admitted, amendment, draft, ok
from pypdf import PdfReader
from server_helpers import Api


def _pdf(browser: Api, path: str) -> tuple[str, int]:
    resp = browser.get(path)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(resp.data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_motion_book_has_every_admitted_motion_with_lines_amendments_and_advice(
    cast: Cast, new_api: Callable[[], Api],
) -> None:
    a1 = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    amendment(cast.delegates[1], cast.committee, a1, 2, 3,
              "Der Parteitag fordert eine klimaneutrale Verwaltung bis 2030.\n"
              "Dazu werden alle Dienstgebäude saniert.")
    second = amendment(cast.delegates[2], cast.committee, a1, 7, 7, "")
    ok(cast.committee.post(f"/api/motions/{second['id']}/recommendation",
                           {"recommendation": "reject", "reason": "Ohne Geld geht es nicht."}))
    s1 = admitted(cast.delegates[1], cast.committee, cast.kinds["S"], title="Frauenquote <b>50 %</b>",
                  text='§ 7 wird neu gefasst:\n\n<script>alert("x")</script> gilt als Text.')
    ok(cast.committee.post(f"/api/motions/{s1['id']}/recommendation",
                           {"recommendation": "adopt_modified", "reason": "Klarer.",
                            "text": "§ 7 wird klarer gefasst."}))
    draft(cast.delegates[3], cast.kinds["A"], title="Geheimer Entwurf")

    text, pages = _pdf(cast.delegates[3], "/motions/book.pdf")
    flat = _squash(text)
    assert pages >= 3  # title page with contents, then one kind per page
    assert "Antragsbuch" in flat and "Inhalt" in flat
    # the table of contents names each kind and motion (and again in the body)
    assert flat.count("A1: Klimaneutrale Verwaltung") == 2
    assert flat.count("S1: Frauenquote <b>50 %</b>") == 2
    assert "Satzungsänderungsanträge (S)" in flat and "Sonstige Anträge (A)" in flat
    # numbered lines as on the pages
    for number, line in ((1, "Die Versammlung möge beschließen:"),
                         (3, "Dazu werden alle Dienstgebäude saniert."),
                         (7, "Die Finanzierung erfolgt aus dem Klimafonds.")):
        assert re.search(rf"(^|\n)\s*{number}\s*{re.escape(line)}", text), (number, line)
    assert "Ä1 zu A1, Zeile 2–3" in flat and "Ä2 zu A1, Zeile 7" in flat
    assert "Empfehlung der Antragskommission: Ablehnung – Ohne Geld geht es nicht." in flat
    assert "Annahme in geänderter Fassung – Klarer." in flat and "§ 7 wird klarer gefasst." in flat
    assert '<script>alert("x")</script> gilt als Text.' in flat
    assert "Geheimer Entwurf" not in flat
    assert re.search(r"SHA-256 [0-9a-f]{64}", flat)

    english, _ = _pdf(cast.delegates[3], "/motions/book.pdf?lang=en")
    assert "Motion book" in english and "Ä1 to A1, line 2–3" in _squash(english)
    # without an account only where the listing is public
    assert new_api().get("/public/bpt/book.pdf").status_code == 404
    ok(cast.committee.put("/api/motion-settings", {"public_listing": True}))
    public, _ = _pdf(new_api(), "/public/bpt/book.pdf")
    assert "A1: Klimaneutrale Verwaltung" in _squash(public)
    assert TEXT  # the helper's motion text is what the lines above come from


def test_the_resolutions_book_holds_the_adopted_text_as_amended(hall: Hall) -> None:
    motion = admitted(hall.delegates[0], hall.committee, hall.kinds["A"])
    a1 = amendment(hall.delegates[1], hall.committee, motion, 3, 3,
                   "Dazu werden alle Dienstgebäude bis 2030 saniert.")
    other = admitted(hall.delegates[2], hall.committee, hall.kinds["A"], title="Abgelehnter Antrag")
    vote = ok(hall.presidium.post(f"/api/motions/{a1['id']}/vote"), 201)["vote"]
    hall.decide(vote["id"], ["yes", "yes", "no"])
    hall.announce(vote["id"])
    final = ok(hall.presidium.post(f"/api/motions/{motion['id']}/vote"), 201)["vote"]
    hall.decide(final["id"], ["yes", "yes", "yes"])
    hall.announce(final["id"])
    rejected = ok(hall.presidium.post(f"/api/motions/{other['id']}/vote"), 201)["vote"]
    hall.decide(rejected["id"], ["no", "no", "yes"])
    hall.announce(rejected["id"])
    done = ok(hall.delegates[0].get(f"/api/motions/{motion['id']}"))
    assert done["state"] == "adopted_as_amended"

    text, _ = _pdf(hall.delegates[0], "/motions/resolutions.pdf")
    flat = _squash(text)
    assert "Beschlussbuch" in flat and flat.count("A1: Klimaneutrale Verwaltung") == 2
    assert "Abgelehnter Antrag" not in flat
    assert re.search(r"(^|\n)\s*3\s*Dazu werden alle Dienstgebäude bis 2030 saniert\.", text)
    assert "in geänderter Fassung angenommen" in flat
    assert f"SHA-256 {done['text_sha256']}" in flat
    assert f"Abstimmung {final['id']} (Schlussabstimmung): in geänderter Fassung angenommen" in flat
    assert f"Abstimmung {vote['id']} (Ä1 zu A1, Zeile 3): angenommen" in flat


def test_a_book_is_rendered_again_only_when_a_motion_moved(cast: Cast, app: Flask) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    first = cast.delegates[1].get("/motions/book.pdf").data
    assert cast.delegates[2].get("/motions/book.pdf").data == first  # kept, not rendered anew
    assert len(app.extensions["evote_motion_books"]) == 1
    ok(cast.committee.post(f"/api/motions/{motion['id']}/recommendation",
                           {"recommendation": "adopt", "reason": "Gut."}))
    text, _ = _pdf(cast.delegates[1], "/motions/book.pdf")
    assert "Empfehlung der Antragskommission: Annahme – Gut." in _squash(text)
    assert len(app.extensions["evote_motion_books"]) == 2
