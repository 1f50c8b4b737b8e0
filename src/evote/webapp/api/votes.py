"""Votes: the presidium creates and opens them; everyone logged in reads them.

A vote is read with its manifest, context and encryption device: everything a client needs to
encrypt a ballot for this vote and no other.  Every read first closes the vote if its countdown
is over (`close_if_due`), so no client ever sees an "open" vote past its deadline.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from evote.motions import voting as motion_voting
from evote.rules.majority import MajorityBase, MajorityRule, default_base
from evote.rules.wording import rule_text
from evote.store.clock import current_clock, utc
from evote.store.db import get_session
from evote.store.models.votes import Participation, RollEntry, Secrecy, Vote, VoteState
from evote.voting import electorate as electorates
from evote.voting import events, open_votes, quota, steering
from evote.voting.electorate import Electorate
from evote.voting.lifecycle import (
    SEALED_STATES,
    VoteError,
    close_if_due,
    create_vote,
    open_vote,
    seal,
)
from evote.voting.manifest import VoteKind, VoteSpec, overall_of
from evote.voting.quota import QuotaSpec
from evote.webapp.api.agenda import agenda_link
from evote.webapp.api.common import fail, field, json_body
from evote.webapp.auth import require_participant
from evote.webapp.pages import i18n
from evote.webapp.permissions import Action, requires

bp = Blueprint("votes", __name__)


def load_vote(vote_id: int, *, same_event: bool = True) -> Vote:
    """The vote, closed first if due; 404 if unknown or (for participants) of another event."""
    db = get_session()
    vote = db.get(Vote, vote_id)
    if vote is None or (same_event and vote.event_id != require_participant().event_id):
        fail(404, "no_such_vote", f"There is no vote {vote_id}.")
    refresh_if_due(vote)
    return vote


def load_closed_vote(vote_id: int, not_yet: str) -> Vote:
    """A vote whose ballots may be published: any event's (the board is public), and closed;
    409 with `not_yet` while it is a draft or still open."""
    vote = load_vote(vote_id, same_event=False)
    if vote.state in (VoteState.DRAFT.value, VoteState.OPEN.value):
        fail(409, "vote_not_closed", not_yet)
    return vote


def refresh_if_due(vote: Vote) -> None:
    """The lazy close: whoever looks first after the deadline closes the vote (which announces
    it), and whoever finds a closed vote not yet sealed (no tally: its seal is running in
    another worker, or failed) seals it or waits for the worker that does."""
    db = get_session()
    if vote.state in SEALED_STATES and vote.encrypted_tally_json is None:
        seal(db, vote.id)
        db.refresh(vote)
    elif vote.state == VoteState.OPEN.value and vote.closes_at is not None:
        now = current_clock().now()
        if now < utc(vote.closes_at):
            return
        close_if_due(db, vote.id, now)
        db.refresh(vote)
    finish_open(vote)


def finish_open(vote: Vote) -> None:
    """An open or roll-call vote is counted as soon as it is closed (no guardians); the
    presidium's console hears 'result' as after a decryption."""
    if open_votes.finish(get_session(), vote):
        events.publish(vote.event_id, "result", vote_id=vote.id)


def quota_view(vote: Vote) -> dict[str, Any] | None:
    found = QuotaSpec.of(vote)
    return None if found is None else json.loads(found.to_json()) | {"seats": found.seats}


def vote_json(vote: Vote, *, full: bool = True) -> dict[str, Any]:
    overall_no, overall_abstain = overall_of(json.loads(vote.manifest_json or "{}"))
    body: dict[str, Any] = {
        "id": vote.id,
        "title": vote.title,
        "kind": vote.kind,
        "candidates": json.loads(vote.candidates_json),
        "seats": vote.seats,
        "with_abstain": vote.with_abstain,
        # k of n: the ballot also offers No to all (Gesamtnein) / abstain (Gesamtenthaltung)
        "overall_no": overall_no,
        "overall_abstain": overall_abstain,
        "majority_rule": vote.majority_rule,
        "majority_base": vote.majority_base,
        "abstentions_counted": vote.abstentions_counted,
        # the vote states its rule before anyone votes: "Absolute Mehrheit: mehr als die
        # Hälfte der abgegebenen gültigen Stimmen"
        "rule_text": rule_text(
            vote.majority_rule, vote.majority_base, vote.kind, i18n.language(),
            overall_no=overall_no,
        ),
        "duration_seconds": vote.duration_seconds,
        # null: every delegate with a voting right; else only this group and/or delegation,
        # put on the roll at the opening (a Frauenvotum: {"group": "Frauen"})
        "electorate": Electorate.of(vote).to_json(),
        # secret (encrypted), open (offene Abstimmung: plaintext, counted at once) or
        # roll_call (namentliche Abstimmung: each choice published with the name after close)
        "secrecy": vote.secrecy,
        # quota seats (Mindestquotierung): group, its candidates, share, mode and stage
        "quota": quota_view(vote),
        "previous_round_id": vote.previous_round_id,
        "state": vote.state,
        "opens_at": events.iso(vote.opens_at),
        "closes_at": events.iso(vote.closes_at),
        "server_time": events.server_time(),
        "turnout": {"cast": vote.cast_count, "roll": vote.roll_size},
        "announced_at": events.iso(vote.announced_at),
        "cancelled_at": events.iso(vote.cancelled_at),
        "agenda_item_id": vote.agenda_item_id,
    }
    if full:
        body["manifest"] = json.loads(vote.manifest_json)
        body["context"] = json.loads(vote.context_json) if vote.context_json else None
        body["encryption_device"] = json.loads(vote.device_json) if vote.device_json else None
        body["ballot_timestamp"] = vote.ballot_timestamp
        # the committee's key slot: a cast ballot must be signed with the delegate's key for
        # it (null: the event has no credentials committee, no signature is asked for)
        body["credential_slot"] = vote.credential_slot
    return body


@bp.get("/api/votes")
@requires(Action.VIEW_VOTE)
def list_votes() -> ResponseReturnValue:
    db = get_session()
    event_id = require_participant().event_id
    votes = list(db.scalars(select(Vote).where(Vote.event_id == event_id).order_by(Vote.id)))
    for vote in votes:
        refresh_if_due(vote)
    return jsonify({"votes": [vote_json(v, full=False) for v in votes]})


def _quota(data: dict[str, Any], spec: VoteSpec) -> tuple[VoteSpec, str | None]:
    """The spec to create (for two elections: the quota stage) and the quota's JSON."""
    try:
        found = quota.parse(data.get("quota"), spec.kind, spec.candidates, spec.seats)
        return quota.first_stage(spec, found), found.to_json() if found else None
    except ValueError as exc:
        fail(400, "bad_quota", str(exc))


def _secrecy(data: dict[str, Any]) -> Secrecy:
    try:
        return Secrecy(data.get("secrecy", Secrecy.SECRET.value))
    except ValueError:
        fail(400, "bad_field", "secrecy is secret, open or roll_call.")


def _electorate(data: dict[str, Any]) -> Electorate:
    try:
        return electorates.parse(data.get("electorate"))
    except ValueError as exc:
        fail(400, "bad_field", str(exc))


def _spec(data: dict[str, Any]) -> tuple[VoteSpec, MajorityRule, MajorityBase, int]:
    try:
        kind = VoteKind(field(data, "kind", str))
        rule = MajorityRule(data.get("majority_rule", MajorityRule.SIMPLE.value))
    except ValueError as exc:
        fail(400, "bad_field", str(exc))
    candidates = data.get("candidates", [])
    if not isinstance(candidates, list) or not all(isinstance(c, str) for c in candidates):
        fail(400, "bad_field", "Field 'candidates' must be a list of names.")
    seats = data.get("seats", 1)
    with_abstain = data.get("with_abstain", True)
    counted = data.get("abstentions_counted", False)
    duration = data.get("duration_seconds", 60)
    overall_no = data.get("overall_no", False)
    overall_abstain = data.get("overall_abstain", False)
    for name, value, kind_ in (
        ("seats", seats, int), ("duration_seconds", duration, int),
        ("with_abstain", with_abstain, bool), ("abstentions_counted", counted, bool),
        ("overall_no", overall_no, bool), ("overall_abstain", overall_abstain, bool),
    ):
        if not isinstance(value, kind_) or (kind_ is int and isinstance(value, bool)):
            fail(400, "bad_field", f"Field {name!r} must be of type {kind_.__name__}.")
    base_name = data.get("majority_base")
    if base_name is None:
        base = default_base(rule, counted)
    else:
        try:
            base = MajorityBase(base_name)
        except ValueError:
            fail(400, "bad_field", "majority_base is valid, cast, present or members.")
    try:
        spec = VoteSpec(
            kind, field(data, "title", str), tuple(c.strip() for c in candidates), seats,
            with_abstain, overall_no=overall_no, overall_abstain=overall_abstain,
        )
    except ValueError as exc:
        fail(400, "bad_vote", str(exc))
    return spec, rule, base, duration


@bp.post("/api/votes")
@requires(Action.MANAGE_VOTES)
def create() -> ResponseReturnValue:
    data = json_body()
    spec, rule, base, duration = _spec(data)
    electorate = _electorate(data)
    spec, quota_json = _quota(data, spec)
    link = agenda_link(data, require_participant().event_id)
    db = get_session()
    try:
        vote = create_vote(
            db, require_participant().event, spec, rule=rule, base=base,
            duration_seconds=duration, now=current_clock().now(), electorate=electorate,
            secrecy=_secrecy(data), quota_json=quota_json,
        )
    except VoteError as exc:
        fail(exc.status, exc.code, exc.message)
    vote.agenda_item_id = link
    db.commit()
    events.votes_changed(vote.event_id, vote.id, "created")
    return jsonify(vote_json(vote)), 201


@bp.patch("/api/votes/<int:vote_id>")
@requires(Action.MANAGE_VOTES)
def edit(vote_id: int) -> ResponseReturnValue:
    """Replace a draft's definition; the body is the one of `POST /api/votes`."""
    vote = load_vote(vote_id)
    if motion_voting.link_of(get_session(), vote.id) is not None:
        fail(409, "vote_from_motion", "A vote opened from a motion names its text in the "
             "manifest and is not edited; delete the draft and open it again from the motion.")
    data = json_body()
    spec, rule, base, duration = _spec(data)
    electorate = _electorate(data)
    spec, quota_json = _quota(data, spec)
    link = agenda_link(data, vote.event_id)
    db = get_session()
    try:
        steering.edit_draft(
            db, vote, spec, rule=rule, base=base, duration_seconds=duration,
            electorate=electorate, secrecy=_secrecy(data), quota_json=quota_json,
        )
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    vote.agenda_item_id = link
    db.commit()
    events.votes_changed(vote.event_id, vote.id, "edited")
    return jsonify(vote_json(vote))


@bp.delete("/api/votes/<int:vote_id>")
@requires(Action.MANAGE_VOTES)
def delete(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    event_id = vote.event_id
    db = get_session()
    try:
        steering.delete_draft(db, vote)
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    events.votes_changed(event_id, vote_id, "deleted")
    return jsonify({"deleted": vote_id})


@bp.post("/api/votes/<int:vote_id>/close")
@requires(Action.MANAGE_VOTES)
def close_now(vote_id: int) -> ResponseReturnValue:
    """End the countdown now ("Bist Du sicher?" is the console's; the server just closes)."""
    vote = load_vote(vote_id)
    db = get_session()
    try:
        closed = steering.close_now(db, vote, current_clock().now())
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    assert closed is not None  # announced (vote_closed, early) by the close itself
    db.refresh(vote)
    finish_open(vote)
    return jsonify(vote_json(vote))


@bp.post("/api/votes/<int:vote_id>/extend")
@requires(Action.MANAGE_VOTES)
def extend(vote_id: int) -> ResponseReturnValue:
    """Body `{"seconds": N}`: the countdown ends N seconds later than it would have."""
    seconds = field(json_body(), "seconds", int)
    vote = load_vote(vote_id)
    db = get_session()
    try:
        steering.extend(db, vote, seconds, current_clock().now())
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    events.vote_extended(vote)
    return jsonify(vote_json(vote))


@bp.post("/api/votes/<int:vote_id>/cancel")
@requires(Action.MANAGE_VOTES)
def cancel(vote_id: int) -> ResponseReturnValue:
    """Call an open or closed (not yet decrypted) vote off; nobody will decrypt it."""
    vote = load_vote(vote_id)
    was_open = vote.state == VoteState.OPEN.value
    db = get_session()
    try:
        steering.cancel(db, vote, current_clock().now())
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    if motion_voting.settle_vote(db, vote.id, current_clock().now()):  # back on the agenda
        db.commit()
    events.vote_cancelled(vote.event_id, vote.id, was_open)
    return jsonify(vote_json(vote))


@bp.get("/api/votes/<int:vote_id>")
@requires(Action.VIEW_VOTE)
def show(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    body = vote_json(vote)
    db, me = get_session(), require_participant()
    body["you_have_voted"] = db.get(Participation, (vote.id, me.id)) is not None
    # the roll is frozen at the opening: a delegate checked in later is not on it
    body["you_are_on_roll"] = (
        vote.state != VoteState.DRAFT.value and db.get(RollEntry, (vote.id, me.id)) is not None
    )
    return jsonify(body)


@bp.post("/api/votes/<int:vote_id>/choice")
@requires(Action.CAST_BALLOT)
def open_choice(vote_id: int) -> ResponseReturnValue:
    """An open or roll-call vote's choice, in plaintext: `{"choice": "yes"}`. A secret vote
    refuses it (409 secret_vote) and stores nothing."""
    vote = load_vote(vote_id)
    choice = json_body().get("choice")
    db = get_session()
    try:
        count = open_votes.cast(db, vote.id, require_participant().id, choice,
                                current_clock().now())
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    events.turnout(vote.event_id, vote.id, count, vote.roll_size)
    return jsonify({"vote_id": vote.id, "counted": True, "secrecy": vote.secrecy}), 201


@bp.get("/api/votes/<int:vote_id>/manifest")
@requires(Action.VIEW_VOTE)
def manifest(vote_id: int) -> ResponseReturnValue:
    return jsonify(json.loads(load_vote(vote_id).manifest_json))


@bp.get("/api/votes/<int:vote_id>/context")
@requires(Action.VIEW_VOTE)
def context(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    if vote.context_json is None:
        fail(409, "vote_not_open", "The context exists once the vote is opened.")
    return jsonify(json.loads(vote.context_json))


@bp.post("/api/votes/<int:vote_id>/open")
@requires(Action.MANAGE_VOTES)
def open_(vote_id: int) -> ResponseReturnValue:
    vote = load_vote(vote_id)
    data = json_body() if _has_body() else {}
    duration = data.get("duration_seconds")
    if duration is not None and (not isinstance(duration, int) or isinstance(duration, bool)):
        fail(400, "bad_field", "Field 'duration_seconds' must be of type int.")
    db = get_session()
    random_bytes = random_source()
    try:
        open_vote(db, vote, now=current_clock().now(), duration_seconds=duration,
                  random_bytes=random_bytes)
    except VoteError as exc:
        db.rollback()
        fail(exc.status, exc.code, exc.message)
    db.commit()
    body = vote_json(vote)
    events.vote_opened(vote, body)
    return jsonify(body)


def _has_body() -> bool:
    return bool(request.content_length)


def random_source() -> Callable[[int], bytes]:
    """Randomness for keys and device ids; tests may inject a seeded source (RANDOM_BYTES)."""
    source: Callable[[int], bytes] | None = current_app.config.get("RANDOM_BYTES")
    return source or secrets.token_bytes
