"""Amendments: diffs against a text version, shown inline, refused when their lines changed,
taken over by the committee (as written or modified), and the consolidated text they make."""

from __future__ import annotations

from motion_helpers import TEXT, Cast, admitted, amendment, ok, refused

from evote.motions.text import numbered_lines


def _text_of(segments: list[dict[str, str]], *ops: str) -> str:
    return "".join(s["html"] for s in segments if s["op"] in ops)


def test_an_amendment_names_its_lines_and_shows_as_an_inline_diff(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    a = amendment(cast.delegates[1], cast.committee, motion, 2, 3,
                  "Der Parteitag fordert eine klimaneutrale Verwaltung bis 2030.\n"
                  "Dazu werden alle Dienstgebäude saniert und gedämmt.",
                  reason="Schneller.")
    assert a["label"] == "Ä1 zu A1" and a["motion_label"] == "A1"
    assert a["amendment"]["range"] == "Zeile 2–3"
    assert a["title"] == "Änderung in Zeile 2–3"
    rows = a["amendment"]["diff"]
    assert [r["number"] for r in rows] == [2, 3]
    assert _text_of(rows[0]["segments"], "del") == "****2035"
    assert _text_of(rows[0]["segments"], "ins") == "2030"
    assert _text_of(rows[0]["segments"], "equal", "ins") == (
        "Der Parteitag fordert eine klimaneutrale Verwaltung bis 2030.")
    assert _text_of(rows[1]["segments"], "ins") == " und gedämmt"
    assert a["amendment"]["stale_line"] is None
    shown = ok(cast.delegates[2].get(f"/api/motions/{motion['id']}"))
    assert [x["label"] for x in shown["amendments"]] == ["Ä1 zu A1"]
    second = amendment(cast.delegates[2], cast.committee, motion, 7, 7, "")
    assert second["label"] == "Ä2 zu A1" and second["amendment"]["range"] == "Zeile 7"
    assert _text_of(second["amendment"]["diff"][0]["segments"], "del") == (
        "Die Finanzierung erfolgt aus dem Klimafonds.")


def test_stale_lines_are_refused_and_untouched_ones_follow_the_text(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    first = amendment(cast.delegates[1], cast.committee, motion, 2, 2,
                      "Der Parteitag fordert eine klimaneutrale Verwaltung bis 2030.\n"
                      "Alle Neubauten sind Passivhäuser.")
    # written against version 1 like `first`, but still a draft when `first` is taken over
    pending = ok(cast.delegates[2].post(f"/api/motions/{motion['id']}/amendments", {
        "line_from": 2, "line_to": 3, "text": "Neu.", "base_version": 1}), 201)
    later = ok(cast.delegates[3].post(f"/api/motions/{motion['id']}/amendments", {
        "line_from": 7, "line_to": 7, "text": "Bezahlt wird aus dem Haushalt.",
        "base_version": 1}), 201)
    taken = ok(cast.committee.post(f"/api/motions/{first['id']}/take-over"))
    assert taken["state"] == "taken_over"
    now = ok(cast.delegates[0].get(f"/api/motions/{motion['id']}"))
    assert now["text_version"] == 2
    lines = numbered_lines(ok(cast.delegates[0].get(
        f"/api/motions/{motion['id']}/versions/2"))["text"])
    assert lines[1:3] == ["Der Parteitag fordert eine klimaneutrale Verwaltung bis 2030.",
                          "Alle Neubauten sind Passivhäuser."]
    # a new amendment against version 1's line 2: that line changed
    body = refused(cast.delegates[1].post(f"/api/motions/{motion['id']}/amendments", {
        "line_from": 2, "line_to": 2, "text": "Anders.", "base_version": 1}), 409,
        "lines_changed")
    assert body["line"] == 2
    assert body["message"].startswith("Zeile 2 hat sich geändert – bitte neu anlegen")
    # the draft written before the change is refused when submitted
    body = refused(cast.delegates[2].post(f"/api/motions/{pending['id']}/submit"), 409,
                   "lines_changed")
    assert body["line"] == 2
    # line 7 of version 1 is untouched: it is line 8 now, and the amendment follows it
    moved = ok(cast.delegates[3].post(f"/api/motions/{later['id']}/submit"))
    assert (moved["amendment"]["line_from"], moved["amendment"]["base_version"]) == (8, 2)
    assert moved["amendment"]["range"] == "Zeile 8"
    # a new amendment against version 1's line 7 is placed on line 8 as well
    rebased = ok(cast.delegates[1].post(f"/api/motions/{motion['id']}/amendments", {
        "line_from": 7, "line_to": 7, "text": "Anders finanziert.", "base_version": 1}), 201)
    assert rebased["amendment"]["line_from"] == 8


def test_committee_takes_over_modified_and_the_text_consolidates(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["P"])
    a1 = amendment(cast.delegates[1], cast.committee, motion, 4, 4,
                   "- Photovoltaik auf allen Dächern")
    a2 = amendment(cast.delegates[2], cast.committee, motion, 6, 6,
                   "- ein Sanierungsfahrplan bis 2026")
    assert a2["amendment"]["stale_line"] is None
    rec = ok(cast.committee.post(f"/api/motions/{a1['id']}/recommendation", {
        "recommendation": "adopt_modified", "reason": "Nur geeignete Dächer.",
        "text": "- Photovoltaik auf allen geeigneten Dächern"}))
    assert rec["recommendation"] == {"value": "adopt_modified", "reason": "Nur geeignete Dächer.",
                                     "text": "- Photovoltaik auf allen geeigneten Dächern"}
    refused(cast.committee.post(f"/api/motions/{a1['id']}/recommendation", {
        "recommendation": "adopt_modified"}), 400, "text_required")
    refused(cast.committee.post(f"/api/motions/{a1['id']}/recommendation", {
        "recommendation": "maybe"}), 400, "bad_field")
    refused(cast.delegates[1].post(f"/api/motions/{a1['id']}/take-over"), 403, "forbidden")
    done = ok(cast.committee.post(f"/api/motions/{a1['id']}/take-over",
                                  {"text": "- Photovoltaik auf allen geeigneten Dächern"}))
    assert done["state"] == "taken_over_modified"
    refused(cast.committee.post(f"/api/motions/{a1['id']}/take-over"), 409, "bad_state")
    ok(cast.committee.post(f"/api/motions/{a2['id']}/take-over"))
    final = ok(cast.delegates[3].get(f"/api/motions/{motion['id']}"))
    assert final["text_version"] == 3
    expected = TEXT.replace("- Photovoltaik auf jedem geeigneten Dach",
                            "- Photovoltaik auf allen geeigneten Dächern").replace(
        "- ein Sanierungsfahrplan für jedes Gebäude", "- ein Sanierungsfahrplan bis 2026")
    assert final["text"] == expected
    assert [a["state"] for a in final["amendments"]] == ["taken_over_modified", "taken_over"]
    refused(cast.committee.post(f"/api/motions/{motion['id']}/take-over"), 409,
            "not_an_amendment")


def test_an_admitted_amendment_shows_when_its_lines_changed(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    a1 = amendment(cast.delegates[1], cast.committee, motion, 3, 3, "Alles wird saniert.")
    a2 = amendment(cast.delegates[2], cast.committee, motion, 3, 4, "Nichts wird saniert.")
    ok(cast.committee.post(f"/api/motions/{a1['id']}/take-over"))
    seen = ok(cast.delegates[3].get(f"/api/motions/{a2['id']}"))
    assert seen["amendment"]["stale_line"] == 3
    body = refused(cast.committee.post(f"/api/motions/{a2['id']}/take-over"), 409,
                   "lines_changed")
    assert body["line"] == 3


def test_amendment_refusals(cast: Cast) -> None:
    author = cast.delegates[0]
    motion = admitted(author, cast.committee, cast.kinds["A"])
    url = f"/api/motions/{motion['id']}/amendments"
    refused(author.post(url, {"line_from": 0, "line_to": 1, "text": "x"}), 400, "bad_lines")
    refused(author.post(url, {"line_from": 3, "line_to": 2, "text": "x"}), 400, "bad_lines")
    refused(author.post(url, {"line_from": 7, "line_to": 8, "text": "x"}), 400, "bad_lines")
    refused(author.post(url, {"line_from": 7, "line_to": 7,
                              "text": "Die Finanzierung erfolgt aus dem Klimafonds."}), 400,
            "no_change")
    refused(author.post(url, {"line_from": 1, "line_to": 1, "text": "x", "base_version": 5}),
            404, "no_such_version")
    refused(author.post(url, {"line_from": "1", "line_to": 1, "text": "x"}), 400, "bad_field")
    a = amendment(cast.delegates[1], cast.committee, motion, 1, 1, "Wir beschließen:")
    refused(author.post(f"/api/motions/{a['id']}/amendments",
                        {"line_from": 1, "line_to": 1, "text": "x"}), 409, "not_a_motion")
    draft = ok(author.post("/api/motions", {"kind_id": cast.kinds["A"]["id"], "title": "T",
                                            "text": "Eins."}), 201)
    refused(author.post(f"/api/motions/{draft['id']}/amendments",
                        {"line_from": 1, "line_to": 1, "text": "x"}), 409, "not_amendable")
    refused(cast.delegates[1].post(f"/api/motions/{draft['id']}/amendments",
                                   {"line_from": 1, "line_to": 1, "text": "x"}), 404,
            "no_such_motion")
