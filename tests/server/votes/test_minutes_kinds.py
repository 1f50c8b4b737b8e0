"""The minutes say each vote's kind of voting (issue 13 with issue 15): secret, open or roll
call; who was eligible (the group a vote was limited to, and for open and roll-call votes the
roll by name); a roll call's names with their choices, but only once the result is announced;
for an election its seats, the rule that filled each quota seat and a lot with its seed inputs.
Read back from the PDF with pypdf and from the CSV, in German and English.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

import pypdf
from server_helpers import Api
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.clock import ManualClock


def _pdf(stage: Stage, lang: str = "de") -> str:
    resp = stage.presidium.get(f"/api/minutes.pdf?lang={lang}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    pages = pypdf.PdfReader(io.BytesIO(resp.data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _votes_csv(stage: Stage, lang: str = "de") -> dict[str, dict[str, str]]:
    archive = zipfile.ZipFile(io.BytesIO(stage.presidium.get(f"/api/minutes.zip?lang={lang}").data))
    rows = csv.DictReader(io.StringIO(archive.read("votes.csv").decode("utf-8-sig")))
    return {row["vote_id"]: row for row in rows}


def _name(who: Api) -> str:
    """The name as the minutes print it: with the delegation (the test's delegates share one)."""
    return f"{who.get('/api/me').get_json()['name']} (Test delegation)"


def _choose(who: Api, vote_id: int, choice: str) -> None:
    assert who.post(f"/api/votes/{vote_id}/choice", {"choice": choice}).status_code == 201


def test_open_and_roll_call_votes_name_the_eligible_and_choices_only_once_announced(
    stage: Stage, clock: ManualClock, logged_in: Callable[..., Api],
) -> None:
    d = stage.delegates
    quick = stage.open(stage.create(title="Tagesordnung annehmen", secrecy="open")["id"])["id"]
    _choose(d[0], quick, "yes")
    _choose(d[1], quick, "abstain")
    clock.advance(60)
    stage.presidium.get("/api/votes")  # closes and counts
    assert stage.presidium.post(f"/api/votes/{quick}/announce").status_code == 200

    women = [logged_in(Role.DELEGATE, checked_in=True, groups=["Frauen"]) for _ in range(2)]
    roll = stage.open(stage.create(title="Frauenvotum A3", secrecy="roll_call",
                                   electorate={"group": "Frauen"})["id"])["id"]
    _choose(women[0], roll, "yes")
    _choose(women[1], roll, "no")
    clock.advance(60)
    stage.presidium.get("/api/votes")
    ada, eve = _name(women[0]), _name(women[1])
    # closed and counted, not announced: no name, no choice
    before = _pdf(stage)
    part = before.split(f"Abstimmung {roll}:")[1]
    assert "namentlich (jede Wahl mit Namen veröffentlicht)" in part
    assert "nur die Gruppe Frauen" in part
    bare = [n.split(" (")[0] for n in (ada, eve)]
    assert not any(n in part for n in bare) and "Namentliche Stimmabgabe" not in part
    row = _votes_csv(stage)[str(roll)]
    assert row["secrecy"] == "roll_call" and row["Namentliche Stimmabgabe"] == ""
    assert row["eligible_count"] == "" and not any(n in str(row) for n in bare)

    assert stage.presidium.post(f"/api/votes/{roll}/announce").status_code == 200
    text = _pdf(stage)
    part = text.split(f"Abstimmung {roll}:")[1]
    assert f"{ada}: Ja" in part and f"{eve}: Nein" in part, part[:1500]
    assert "Stimmberechtigt bei Öffnung 2" in part
    opened = text.split(f"Abstimmung {quick}:")[1].split(f"Abstimmung {roll}:")[0]
    assert "offen (nicht verschlüsselt, ohne Namen veröffentlicht)" in opened
    names = sorted(_name(who) for who in d)
    assert "3 Namen: " + ", ".join(names) in opened, opened
    assert "Namentliche Stimmabgabe" not in opened  # an open vote names nobody's choice
    assert "nur die Gruppe" not in opened

    english = _pdf(stage, "en")
    assert f"{ada}: Yes" in english and "only the group Frauen" in english
    assert "roll call (each choice published with the name)" in english
    assert "3 names: " in english and "open (not encrypted, published without names)" in english

    rows = _votes_csv(stage)
    assert rows[str(roll)]["eligible_count"] == "2"
    assert set(rows[str(roll)]["Namentliche Stimmabgabe"].split(" | ")) == {f"{ada}: Ja", f"{eve}: Nein"}
    assert rows[str(roll)]["electorate"] == "nur die Gruppe Frauen"
    assert rows[str(quick)]["secrecy"] == "open" and rows[str(quick)]["eligible_count"] == "3"
    assert rows[str(quick)]["Namentliche Stimmabgabe"] == ""


def _count(stage: Stage, clock: ManualClock, vote_id: int, marks: list[list[str]]) -> None:
    view = stage.vote_for(stage.delegates[0], vote_id)
    for i, marked in enumerate(marks):
        ballot = encrypt_for_vote(view, {"election": marked}, f"minutes-kinds-{vote_id}-{i}")
        assert stage.delegates[i].post(f"/api/votes/{vote_id}/ballots", ballot).status_code == 201
    clock.advance(60)
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            assert stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares",
                                       share).status_code == 200
    assert stage.presidium.post(f"/api/votes/{vote_id}/announce").status_code == 200


def test_elections_name_their_seats_each_seats_rule_and_a_lot(
    stage: Stage, clock: ManualClock,
) -> None:
    quota = stage.open(stage.create(
        kind="election", title="Beisitz", candidates=["Bo", "Ada", "Cem"], seats=2,
        quota={"group": "Frauen", "members": ["Ada"]},
    )["id"])["id"]
    # Bo 3, Cem 2, Ada 1: Ada takes the quota seat, Bo the open one
    _count(stage, clock, quota, [["candidate-1", "candidate-3"], ["candidate-1", "candidate-3"],
                                 ["candidate-1", "candidate-2"]])
    tie = stage.open(stage.create(kind="election", title="Kasse", candidates=["Ida", "Udo"])["id"])["id"]
    _count(stage, clock, tie, [["candidate-1"], ["candidate-2"], []])
    drawn = stage.presidium.post(f"/api/votes/{tie}/lot", {"announced_value": "Karo Sieben"})
    assert drawn.status_code == 201, drawn.get_json()
    lot = drawn.get_json()

    text = _pdf(stage)
    seated = text.split(f"Abstimmung {quota}:")[1].split(f"Abstimmung {tie}:")[0]
    assert "Plätze 2" in seated and "geheim (verschlüsselt)" in seated
    assert "Besetzung der Plätze Ada: Quotenplatz (Frauen); Bo: offener Platz" in seated, seated
    assert "Losentscheid" not in seated
    drawn_part = text.split(f"Abstimmung {tie}:")[1]
    assert f"gezogen: {lot['drawn'][0]} (aus Ida, Udo, 1 Platz/Plätze)" in drawn_part, drawn_part
    assert "Karo Sieben" in drawn_part
    flat = drawn_part.replace(" ", "")
    assert lot["seed"] in flat and lot["record_sha256"] in flat

    english = _pdf(stage, "en")
    assert "Ada: quota seat (Frauen); Bo: open seat" in english
    assert f"drawn: {lot['drawn'][0]} (from Ida, Udo, 1 seat(s))" in english

    rows = _votes_csv(stage)
    assert rows[str(quota)]["seats"] == "2" and rows[str(quota)]["quota_shortfall"] == "0"
    assert rows[str(quota)]["Besetzung der Plätze"] == "Ada: Quotenplatz (Frauen) | Bo: offener Platz"
    assert rows[str(tie)]["Losentscheid"] == lot["drawn"][0]
    assert rows[str(tie)]["lot_seed"] == lot["seed"]
    assert rows[str(tie)]["lot_record_sha256"] == lot["record_sha256"]
    assert rows[str(tie)]["lot_announced_value"] == "Karo Sieben"
