"""Motions from draft to number, over the API: who reads what, deadlines, supporters, screening.

Each rule of docs/motions.md has a test here; refusals carry their stable code and change
nothing (the motion reads the same afterwards).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from motion_helpers import TEXT, Cast, admitted, draft, ok, refused
from server_helpers import Api

from evote.rules.roles import Role
from evote.store.clock import ManualClock


def test_kinds_are_the_committees_and_each_has_its_numbering(cast: Cast) -> None:
    assert {c: k["majority_rule"] for c, k in cast.kinds.items()} == {
        "S": "two_thirds", "P": "simple", "A": "simple"}
    refused(cast.delegates[0].post("/api/motion-kinds", {"code": "X", "name": "X"}), 403,
            "forbidden")
    refused(cast.committee.post("/api/motion-kinds", {"code": "S", "name": "Again"}), 409,
            "kind_exists")
    refused(cast.committee.post("/api/motion-kinds", {"code": "S1", "name": "Digits"}), 400,
            "bad_kind")
    a1 = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    s1 = admitted(cast.delegates[1], cast.committee, cast.kinds["S"])
    a2 = admitted(cast.delegates[2], cast.committee, cast.kinds["A"])
    assert (a1["label"], s1["label"], a2["label"]) == ("A1", "S1", "A2")
    listed = ok(cast.delegates[3].get("/api/motions"))["motions"]
    assert [m["label"] for m in listed] == ["S1", "A1", "A2"]


def test_a_draft_is_its_authors_until_submitted_then_the_committees(cast: Cast) -> None:
    author, other = cast.delegates[0], cast.delegates[1]
    motion = draft(author, cast.kinds["P"])
    assert motion["state"] == "draft" and motion["label"] is None
    assert motion["may"]["submit"] and not motion["may"]["screen"]
    refused(other.get(f"/api/motions/{motion['id']}"), 404, "no_such_motion")
    refused(cast.committee.get(f"/api/motions/{motion['id']}"), 404, "no_such_motion")
    refused(other.post(f"/api/motions/{motion['id']}/submit"), 404, "no_such_motion")
    ok(author.patch(f"/api/motions/{motion['id']}", {"title": "Neuer Titel"}))
    ok(author.post(f"/api/motions/{motion['id']}/submit"))
    refused(author.patch(f"/api/motions/{motion['id']}", {"title": "Zu spät"}), 409, "not_a_draft")
    seen = ok(cast.committee.get(f"/api/motions/{motion['id']}"))
    assert seen["title"] == "Neuer Titel" and seen["may"]["screen"]
    refused(other.get(f"/api/motions/{motion['id']}"), 404, "no_such_motion")
    refused(author.post(f"/api/motions/{motion['id']}/screen", {"decision": "admit"}), 403,
            "forbidden")
    ok(cast.committee.post(f"/api/motions/{motion['id']}/screen", {"decision": "admit"}))
    published = ok(other.get(f"/api/motions/{motion['id']}"))
    assert published["state"] == "admitted" and published["label"] is None
    numbered = ok(cast.committee.post(f"/api/motions/{motion['id']}/number"))
    assert numbered["label"] == "P1" and numbered["state"] == "numbered"
    refused(cast.committee.post(f"/api/motions/{motion['id']}/number"), 409, "bad_state")
    history = [(h["from"], h["to"]) for h in numbered["history"]]
    assert history == [(None, "draft"), ("draft", "submitted"), ("submitted", "admitted"),
                       ("admitted", "numbered")]


def test_lines_are_numbered_and_the_text_hashed(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    lines = motion["lines"]
    assert [ln["number"] for ln in lines] == list(range(1, 8))
    assert lines[1]["html"] == "Der Parteitag fordert eine <strong>klimaneutrale</strong> Verwaltung bis 2035."
    assert [(ln["block"], ln["marker"]) for ln in lines[3:6]] == [("ul", "•")] * 3
    import hashlib

    version = ok(cast.delegates[1].get(f"/api/motions/{motion['id']}/versions/1"))
    assert version["text"] == TEXT
    assert version["sha256"] == motion["text_sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()


def test_html_in_a_motion_is_text(cast: Cast) -> None:
    evil = '<script>alert("x")</script> <img src=x onerror=alert(1)> *<b>fett</b>*'
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"],
                      title="<script>alert(1)</script>", text=evil)
    [line] = motion["lines"]
    assert "<script" not in line["html"] and "<img" not in line["html"] and "<b>" not in line["html"]
    assert line["html"] == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; "
        "<em>&lt;b&gt;fett&lt;/b&gt;</em>")
    assert motion["title"] == "<script>alert(1)</script>"  # JSON carries it; pages escape it


def test_deadline_refuses_late_motions_unless_urgent(cast: Cast, clock: ManualClock) -> None:
    deadline = clock.now() - timedelta(minutes=1)
    kind = ok(cast.committee.patch(f"/api/motion-kinds/{cast.kinds['A']['id']}",
                                   {"deadline": deadline.isoformat()}))
    assert kind["deadline"] == deadline.isoformat()
    author = cast.delegates[0]
    motion = draft(author, cast.kinds["A"])
    body = refused(author.post(f"/api/motions/{motion['id']}/submit"), 409, "deadline_passed")
    assert body["deadline"] == deadline.isoformat()
    assert ok(author.get(f"/api/motions/{motion['id']}"))["state"] == "draft"
    urgent = ok(author.post(f"/api/motions/{motion['id']}/submit", {"urgent": True}))
    assert urgent["state"] == "submitted" and urgent["urgent"] is True
    admitted_ = ok(cast.committee.post(f"/api/motions/{motion['id']}/screen",
                                       {"decision": "admit", "number": True}))
    assert admitted_["urgent"] is True and admitted_["history"][-2]["note"].startswith("urgent")
    on_time = ok(cast.committee.patch(f"/api/motion-kinds/{cast.kinds['P']['id']}",
                                      {"deadline": (clock.now() + timedelta(days=1)).isoformat()}))
    assert on_time["deadline"]
    other = draft(author, cast.kinds["P"])
    assert ok(author.post(f"/api/motions/{other['id']}/submit", {"urgent": True}))["urgent"] is False
    refused(cast.committee.patch(f"/api/motion-kinds/{cast.kinds['P']['id']}",
                                 {"deadline": "2026-11-28T10:00:00"}), 400, "bad_field")


def test_a_group_needs_its_supporters(cast: Cast) -> None:
    ok(cast.committee.patch(f"/api/motion-kinds/{cast.kinds['P']['id']}",
                            {"supporters_required": 2}))
    author, first, second, outsider = cast.delegates
    motion = draft(author, cast.kinds["P"], submitter="group")
    assert motion["supporters_required"] == 2
    body = refused(author.post(f"/api/motions/{motion['id']}/submit"), 409, "too_few_supporters")
    assert (body["required"], body["supporters"]) == (2, 0)
    refused(author.post(f"/api/motions/{motion['id']}/support"), 409, "own_motion")
    seeking = ok(first.get(f"/api/motions/{motion['id']}"))
    assert seeking["may"]["support"] and not seeking["supported"]
    assert ok(first.post(f"/api/motions/{motion['id']}/support"))["supporters_count"] == 1
    assert ok(first.post(f"/api/motions/{motion['id']}/support"))["supporters_count"] == 1
    refused(author.post(f"/api/motions/{motion['id']}/submit"), 409, "too_few_supporters")
    done = ok(second.post(f"/api/motions/{motion['id']}/support"))
    assert done["supporters_count"] == 2 and done["supported"]
    assert ok(outsider.delete(f"/api/motions/{motion['id']}/support"))["supporters_count"] == 2
    submitted = ok(author.post(f"/api/motions/{motion['id']}/submit"))
    assert submitted["state"] == "submitted" and len(submitted["supporters"]) == 2
    refused(first.delete(f"/api/motions/{motion['id']}/support"), 409, "cannot_support")
    # a single delegate's draft is private: nobody finds it to support
    private = draft(author, cast.kinds["P"])
    refused(first.post(f"/api/motions/{private['id']}/support"), 404, "no_such_motion")


def test_a_party_bodys_motion_is_entered_by_the_committee(
    cast: Cast, logged_in: Callable[..., Api]
) -> None:
    body = {"kind_id": cast.kinds["A"]["id"], "title": "Vom Vorstand", "text": "Text.",
            "submitter": "body", "body_name": "Landesvorstand"}
    refused(cast.delegates[0].post("/api/motions", body), 403, "body_needs_committee")
    refused(cast.committee.post("/api/motions", {**body, "body_name": " "}), 400, "bad_body")
    made = ok(cast.committee.post("/api/motions", body), 201)
    assert made["submitter"] == {"kind": "body", "name": "Landesvorstand",
                                 "author": made["submitter"]["author"]}
    refused(cast.committee.post("/api/motions", {**body, "submitter": "delegate"}), 403,
            "not_a_delegate")
    guest = logged_in(Role.GUEST_DELEGATE)
    refused(guest.post("/api/motions", {**body, "submitter": "delegate"}), 403, "forbidden")


def test_refusal_needs_a_reason_the_author_reads(cast: Cast) -> None:
    author = cast.delegates[0]
    motion = draft(author, cast.kinds["A"])
    ok(author.post(f"/api/motions/{motion['id']}/submit"))
    refused(cast.committee.post(f"/api/motions/{motion['id']}/screen", {"decision": "refuse"}),
            400, "reason_required")
    refused(cast.committee.post(f"/api/motions/{motion['id']}/screen", {"decision": "maybe"}),
            400, "bad_field")
    done = ok(cast.committee.post(f"/api/motions/{motion['id']}/screen",
                                  {"decision": "refuse", "reason": "Nicht antragsberechtigt."}))
    assert done["state"] == "refused"
    mine = ok(author.get(f"/api/motions/{motion['id']}"))
    assert mine["refusal_reason"] == "Nicht antragsberechtigt."
    refused(cast.delegates[1].get(f"/api/motions/{motion['id']}"), 404, "no_such_motion")
    refused(cast.committee.post(f"/api/motions/{motion['id']}/screen", {"decision": "admit"}),
            409, "bad_state")


def test_withdrawal_by_the_author_or_the_committee(cast: Cast) -> None:
    author = cast.delegates[0]
    motion = admitted(author, cast.committee, cast.kinds["A"])
    refused(cast.delegates[1].post(f"/api/motions/{motion['id']}/withdraw"), 403,
            "not_your_motion")
    done = ok(author.post(f"/api/motions/{motion['id']}/withdraw", {"reason": "Erledigt."}))
    assert done["state"] == "withdrawn" and done["history"][-1]["note"] == "Erledigt."
    assert ok(cast.delegates[1].get(f"/api/motions/{motion['id']}"))["state"] == "withdrawn"
    refused(author.post(f"/api/motions/{motion['id']}/withdraw"), 409, "bad_state")


def test_agenda_and_referral(cast: Cast) -> None:
    motion = admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    ok(cast.presidium.post("/api/agenda", {"title": "TOP 5 Anträge"}), 201)
    item = ok(cast.presidium.get("/api/agenda"))["items"][0]["id"]
    refused(cast.delegates[0].post(f"/api/motions/{motion['id']}/agenda"), 403, "forbidden")
    refused(cast.presidium.post(f"/api/motions/{motion['id']}/agenda", {"agenda_item_id": 999}),
            404, "no_such_agenda_item")
    on = ok(cast.presidium.post(f"/api/motions/{motion['id']}/agenda", {"agenda_item_id": item}))
    assert on["state"] == "on_agenda"
    refused(cast.presidium.post(f"/api/motions/{motion['id']}/refer", {}), 400, "reason_required")
    done = ok(cast.presidium.post(f"/api/motions/{motion['id']}/refer",
                                  {"reason": "an den Bundesvorstand"}))
    assert done["state"] == "referred"


def test_bad_input_is_refused_and_changes_nothing(cast: Cast) -> None:
    author = cast.delegates[0]
    kind = cast.kinds["A"]["id"]
    refused(author.post("/api/motions", {"kind_id": 9999, "title": "T", "text": "x"}), 404,
            "no_such_kind")
    refused(author.post("/api/motions", {"kind_id": kind, "title": " ", "text": "x"}), 400,
            "bad_title")
    refused(author.post("/api/motions", {"kind_id": kind, "title": "T", "text": " \n\n "}), 400,
            "bad_text")
    refused(author.post("/api/motions", {"kind_id": kind, "title": "T", "text": "x" * 100_001}),
            400, "bad_text")
    refused(author.post("/api/motions", {"kind_id": kind, "title": "T"}), 400, "missing_field")
    refused(author.post("/api/motions", {"kind_id": kind, "title": "T", "text": "x",
                                         "submitter": "cabal"}), 400, "bad_field")
    assert ok(author.get("/api/motions"))["motions"] == []


def test_public_listing_only_where_the_event_allows(cast: Cast, api: Api) -> None:
    admitted(cast.delegates[0], cast.committee, cast.kinds["A"])
    draft(cast.delegates[1], cast.kinds["A"], title="Noch geheim")
    refused(api.get("/api/public/bpt/motions"), 404, "no_public_motions")
    refused(cast.delegates[0].put("/api/motion-settings", {"public_listing": True}), 403,
            "forbidden")
    assert ok(cast.committee.put("/api/motion-settings", {"public_listing": True})) == {
        "public_listing": True}
    listing = ok(api.get("/api/public/bpt/motions"))
    [shown] = listing["motions"]
    assert shown["label"] == "A1" and shown["lines"]
    assert "history" not in shown and "supporters" not in shown and "may" not in shown
    refused(api.get("/api/public/nope/motions"), 404, "no_public_motions")
