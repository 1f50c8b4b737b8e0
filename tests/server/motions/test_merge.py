"""The committee merges amendments into one: the new one covers the lines of all, is admitted and
numbered at once, the originals are marked merged; refusals change nothing."""

from __future__ import annotations

from motion_helpers import TEXT, Cast, admitted, amendment, ok, refused

from evote.motions import diff
from evote.motions.text import canonical, numbered_lines

LINE2 = "Der Parteitag fordert eine **klimaneutrale** Verwaltung bis 2035."
LINE3 = "Dazu werden alle Dienstgebäude saniert."


def test_two_amendments_become_one_and_the_originals_say_where_they_went(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    a1 = amendment(cast.delegates[1], cast.committee, motion, 2, 2, LINE2.replace("2035", "2030"))
    a2 = amendment(cast.delegates[2], cast.committee, motion, 3, 3,
                   "Dazu werden alle Dienstgebäude saniert und gedämmt.")
    a3 = amendment(cast.delegates[3], cast.committee, motion, 7, 7, "")
    edited = TEXT.replace("bis 2035.", "bis 2032.").replace("saniert.", "saniert und gedämmt.")
    url = f"/api/motions/{motion['id']}/merge"

    # refusals first: each leaves everything as it was
    refused(cast.delegates[1].post(url, {"amendments": [a1["id"], a2["id"]], "edited_text": edited}),
            403, "forbidden")
    refused(cast.committee.post(url, {"amendments": [a1["id"]], "edited_text": edited}), 400,
            "too_few_amendments")
    refused(cast.committee.post(url, {"amendments": [a1["id"], a1["id"]], "edited_text": edited}),
            400, "too_few_amendments")
    refused(cast.committee.post(url, {"amendments": [a1["id"], a2["id"]], "edited_text": TEXT}),
            400, "no_change")
    refused(cast.committee.post(url, {"amendments": [a1["id"], "x"], "edited_text": edited}), 400,
            "bad_field")
    other = admitted(cast.delegates[1], cast.committee, cast.kinds["A"], title="Anderer Antrag")
    foreign = amendment(cast.delegates[2], cast.committee, other, 1, 1, "Neu.")
    refused(cast.committee.post(url, {"amendments": [a1["id"], foreign["id"]], "edited_text": edited}),
            400, "not_an_amendment")
    still = ok(cast.delegates[0].get(f"/api/motions/{motion['id']}"))
    assert [a["state"] for a in still["amendments"]] == ["numbered"] * 3

    merged = ok(cast.committee.post(url, {"amendments": [a1["id"], a2["id"]], "edited_text": edited,
                                          "reason": "Beide wollen dasselbe."}), 201)
    assert merged["label"] == "Ä4 zu A1" and merged["state"] == "numbered"
    assert merged["title"] == "Zusammenführung von Ä1 zu A1, Ä2 zu A1"
    assert merged["submitter"] == {"kind": "body", "name": "Antragskommission",
                                   "author": merged["submitter"]["author"]}
    assert (merged["amendment"]["line_from"], merged["amendment"]["line_to"]) == (2, 3)
    assert merged["text"] == LINE2.replace("2035", "2032") + "\n" + "Dazu werden alle Dienstgebäude saniert und gedämmt."
    after = ok(cast.delegates[0].get(f"/api/motions/{motion['id']}"))
    states = {a["id"]: a["state"] for a in after["amendments"]}
    assert states == {a1["id"]: "merged", a2["id"]: "merged", a3["id"]: "numbered", merged["id"]: "numbered"}
    history = ok(cast.delegates[0].get(f"/api/motions/{a1['id']}"))["history"]
    assert history[-1]["to"] == "merged" and history[-1]["note"] == "zusammengeführt in Ä4 zu A1"
    # merged ones are decided: not merged again, not voted on
    refused(cast.committee.post(url, {"amendments": [a1["id"], a3["id"]], "edited_text": edited}),
            409, "bad_state")
    refused(cast.presidium.post(f"/api/motions/{a1['id']}/vote"), 409, "not_votable")

    # the page: the merge form for the committee; "zusammengeführt" for everyone
    page = cast.committee.get(f"/motions/{motion['id']}").get_data(as_text=True).split('<script type="application/json"')[0]
    assert "Änderungsanträge zusammenführen" in page and f'value="{a3["id"]}" data-list' in page
    assert f'value="{a1["id"]}" data-list' not in page
    assert "zusammengeführt" in cast.delegates[3].get(f"/motions/{motion['id']}").get_data(as_text=True)


def test_a_merge_covers_every_merged_amendments_lines(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    a1 = amendment(cast.delegates[1], cast.committee, motion, 2, 2, LINE2.replace("2035", "2030"))
    a3 = amendment(cast.delegates[3], cast.committee, motion, 7, 7, "Bezahlt wird aus dem Haushalt.")
    # the committee's text changes line 2 only; the merge still replaces lines 2 to 7
    merged = ok(cast.committee.post(f"/api/motions/{motion['id']}/merge", {
        "amendments": [a3["id"], a1["id"]], "edited_text": TEXT.replace("bis 2035.", "bis 2031."),
        "title": "Kompromiss"}), 201)
    assert (merged["amendment"]["line_from"], merged["amendment"]["line_to"]) == (2, 7)
    assert merged["title"] == "Kompromiss"
    assert diff.apply(canonical(TEXT), 2, 7, merged["text"]) == canonical(TEXT.replace("bis 2035.", "bis 2031."))
    taken = ok(cast.committee.post(f"/api/motions/{merged['id']}/take-over"))
    assert taken["state"] == "taken_over"
    now = ok(cast.delegates[0].get(f"/api/motions/{motion['id']}"))
    assert numbered_lines(now["text"])[1].endswith("bis 2031.")


def test_widen_keeps_the_lines_around_the_edit() -> None:
    base = canonical(TEXT)
    edit = diff.edit_range(base, TEXT.replace("saniert.", "gedämmt."))
    assert (edit.line_from, edit.line_to) == (3, 3)
    wide = diff.widen(base, edit, 2, 4)
    assert (wide.line_from, wide.line_to) == (2, 4)
    assert diff.apply(base, 2, 4, wide.text) == canonical(TEXT.replace("saniert.", "gedämmt."))
