"""The facts of the minutes, gathered from the database and the audit log.

Agenda times come from the audit log (`agenda.call`: when the presidium called the item), and
each vote is listed under the item it is linked to, or else the one on stage when it opened. Results appear only once
announced; a cancelled vote says so. Totals, rule and verdict are the announcement's own
(`result_json`), the rule and threshold in words are `evote.rules.wording`'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote import audit
from evote.minutes.words import words
from evote.motions import minutes as motion_minutes
from evote.motions.minutes import MotionOutcome
from evote.rules.wording import rule_text, threshold_text
from evote.speakers import service as speakers
from evote.store.clock import utc
from evote.store.models.event import Event
from evote.store.models.speakers import SpeakerList
from evote.store.models.stage import AgendaItem
from evote.store.models.votes import Vote, VoteState
from evote.voting.lifecycle import scope_id
from evote.voting.minutes import secrecy_title

Fingerprint = Callable[[Vote], str | None]
"""SHA-256 of a vote's published record (the caller builds it: the web layer knows the
scripts the record names); None when there is no record yet."""


@dataclass(frozen=True, slots=True)
class VoteMinute:
    vote_id: int
    title: str
    kind: str
    options: tuple[str, ...]
    state: str
    opened_at: datetime | None
    closed_at: datetime | None
    announced_at: datetime | None
    present: int
    """Delegates with a voting right checked in at the opening (the roll)."""
    members: int
    cast: int
    spoiled: int
    rule: str
    """The rule in words, as stated before the vote."""
    threshold: str
    totals: tuple[tuple[str, int], ...]
    verdict: str
    quorate: bool | None
    fingerprint: str | None
    audit_close_hash: str | None
    """The audit log's head at the close, as the record carries it."""
    secrecy: str = "secret"
    """secret, open or roll_call (`Vote.secrecy`)."""
    electorate: str = ""
    """The group or delegation the vote was limited to, in words; empty for everyone."""
    eligible: tuple[str, ...] = ()
    """Open and roll-call votes, once announced: the roll at the opening by name."""
    roll_call: tuple[tuple[str, str], ...] = ()
    """Roll-call votes, once announced: (name, choice in words), as the result published it."""
    seats: int | None = None
    """Elections: the seats to fill."""
    seats_by_rule: tuple[tuple[str, str], ...] = ()
    """Quota elections, once announced: (name, the rule that filled the seat, in words)."""
    quota_shortfall: int = 0
    lot: Lot | None = None


@dataclass(frozen=True, slots=True)
class Lot:
    """A tie broken by lot (`voting.rounds.draw_lot`): what was drawn and the public inputs
    anyone needs to draw it again (the record's hash and the announced value give the seed)."""

    drawn: tuple[str, ...]
    candidates: tuple[str, ...]
    seats: int
    record_sha256: str
    announced_value: str
    seed: str


@dataclass(frozen=True, slots=True)
class AgendaMinute:
    position: int
    title: str
    called_at: datetime | None
    votes: list[VoteMinute] = field(default_factory=list)
    speakers: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Minutes:
    event_name: str
    event_slug: str
    lang: str
    opened_at: datetime | None
    closed_at: datetime | None
    made_at: datetime
    agenda: list[AgendaMinute]
    motions: list[MotionOutcome]
    audit_head: str

    def votes(self) -> list[VoteMinute]:
        return [v for item in self.agenda for v in item.votes]


def _when(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _verdict(result: dict[str, Any], kind: str, lang: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    w = words(lang)
    outcome = result.get("outcome", {})
    if kind == "motion":
        totals = tuple((w[k], int(outcome.get(k, 0))) for k in ("yes", "no", "abstain"))
        verdict = w["adopted"] if outcome.get("adopted") else w["rejected"]
    elif kind == "election":
        totals = tuple((str(n), int(c)) for n, c in outcome.get("votes", {}).items())
        if outcome.get("overall_no"):
            totals += ((w["overall_no"], int(outcome["overall_no"])),)
        if outcome.get("overall_abstain"):
            totals += ((w["overall_abstain"], int(outcome["overall_abstain"])),)
        elected = outcome.get("elected") or []
        verdict = w["elected"].format(names=", ".join(elected)) if elected else w["nobody"]
        if outcome.get("tied"):
            verdict += " " + w["tied"].format(names=", ".join(outcome["tied"]))
    else:
        totals = tuple(
            (f"{name}: {w[k]}", int(m.get(k, 0)))
            for name, m in outcome.get("motions", {}).items() for k in ("yes", "no", "abstain")
        )
        elected = outcome.get("elected") or []
        verdict = w["elected"].format(names=", ".join(elected)) if elected else w["nobody"]
    if result.get("valid") is False:
        verdict = w["not_quorate"]
    return verdict, totals


def _person(entry: dict[str, Any]) -> str:
    return entry["name"] + (f" ({entry['delegation']})" if entry.get("delegation") else "")


def _published(vote: Vote, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the announced result publishes beyond the totals (issue 15): the roll by name of an
    open or roll-call vote, each name's choice in a roll call, each seat's rule and a lot. Only
    what `result_json` (and `lot_json`) already hold, so the minutes publish nothing the
    elections code has not published at the announcement."""
    w = words(lang)
    outcome = result.get("outcome", {})
    found: dict[str, Any] = {}
    if vote.secrecy != "secret":
        found["eligible"] = tuple(_person(e) for e in result.get("eligible", ()))
    if vote.secrecy == "roll_call":
        found["roll_call"] = tuple(
            (_person(e), w[e["choice"]] if e.get("choice") else w["did_not_vote"])
            for e in result.get("roll_call", ())
        )
    quota = outcome.get("quota") or {}
    if "seats_by_rule" in outcome:
        found["seats_by_rule"] = tuple(
            (s["name"], w["rule_quota"].format(group=quota.get("group", "")) if s["rule"] == "quota"
             else w["rule_open"])
            for s in outcome["seats_by_rule"]
        )
        found["quota_shortfall"] = int(quota.get("shortfall", 0))
    if vote.lot_json:
        lot = json.loads(vote.lot_json)
        found["lot"] = Lot(
            tuple(lot["drawn"]), tuple(lot["candidates"]), int(lot["seats"]),
            lot["record_sha256"], lot["announced_value"], lot["seed"],
        )
    return found


def _electorate(vote: Vote, lang: str) -> str:
    w = words(lang)
    parts = []
    if vote.electorate_group:
        parts.append(w["electorate_group"].format(name=vote.electorate_group))
    if vote.electorate_delegation:
        parts.append(w["electorate_delegation"].format(name=vote.electorate_delegation))
    return ", ".join(parts)


def vote_minute(vote: Vote, lang: str, fingerprint: Fingerprint, close_hash: str | None) -> VoteMinute:
    w = words(lang)
    result = json.loads(vote.result_json) if vote.result_json else {}
    announced = vote.state == VoteState.DECRYPTED.value and vote.announced_at is not None
    if announced:
        verdict, totals = _verdict(result, vote.kind, lang)
        threshold = threshold_text(result["threshold"], lang) if "threshold" in result else ""
        quorate: bool | None = bool(result.get("valid", True))
    else:
        verdict, totals, threshold, quorate = w[f"state_{vote.state}"], (), "", None
        if vote.state == VoteState.DECRYPTED.value:
            verdict = w["not_announced"]
    published = announced or vote.state == VoteState.CANCELLED.value
    # names, choices, seats' rules and a lot only once announced, like the totals
    extra = _published(vote, result, lang) if announced else {}
    return VoteMinute(
        # an open or roll-call vote says so in the minutes too (issue 15); names and choices of
        # a roll call: `evote.voting.minutes.votes_for_minutes`
        vote_id=vote.id, title=secrecy_title(vote.title, vote.secrecy, lang), kind=vote.kind,
        options=tuple(json.loads(vote.candidates_json)) if vote.kind != "motion" else (
            (w["yes"], w["no"], w["abstain"]) if vote.with_abstain else (w["yes"], w["no"])
        ),
        state=vote.state, opened_at=_when(vote.opens_at),
        closed_at=_when(vote.closes_at) if vote.state != VoteState.OPEN.value else None,
        announced_at=_when(vote.announced_at), present=vote.roll_size,
        members=max(vote.voting_members, vote.roll_size), cast=vote.cast_count,
        spoiled=vote.spoiled_count, rule=rule_text(vote.majority_rule, vote.majority_base, vote.kind, lang),
        threshold=threshold, totals=totals, verdict=verdict, quorate=quorate,
        fingerprint=fingerprint(vote) if published else None, audit_close_hash=close_hash,
        secrecy=vote.secrecy, electorate=_electorate(vote, lang),
        seats=vote.seats if vote.kind != "motion" else None, **extra,
    )


def collect(db: Session, event: Event, lang: str, fingerprint: Fingerprint, now: datetime) -> Minutes:
    """Everything the minutes say, in agenda order."""
    items = db.scalars(
        select(AgendaItem).where(AgendaItem.event_id == event.id).order_by(AgendaItem.position)
    ).all()
    calls = audit.entries(db, event.id, actions=("agenda.call",))
    first_call: dict[str, str] = {}
    for entry in calls:
        first_call.setdefault(entry["object"]["id"], entry["time"])
    agenda = [
        AgendaMinute(i.position, i.title, _parse(first_call.get(str(i.id))))
        for i in items
    ]
    # each call, in time order, names the item on stage from then on
    timeline = sorted((_parse(e["time"]), e["object"]["id"]) for e in calls)
    by_id = {str(i.id): a for i, a in zip(items, agenda, strict=True)}
    unfiled = AgendaMinute(0, words(lang)["no_item"], None)
    votes = db.scalars(
        select(Vote).where(Vote.event_id == event.id, Vote.state != VoteState.DRAFT.value)
        .order_by(Vote.opens_at, Vote.id)
    ).all()
    for vote in votes:
        closed = audit.mark_of(db, event.id, ("vote.close", "vote.cancel"), "vote", scope_id(vote))
        minute = vote_minute(vote, lang, fingerprint, closed.hash if closed else None)
        opened = minute.opened_at
        on_stage = [oid for at, oid in timeline if at is not None and opened is not None and at <= opened]
        # the presidium's link wins; else the item on stage when the vote opened
        linked = str(vote.agenda_item_id) if vote.agenda_item_id is not None else None
        target = by_id.get(linked or (on_stage[-1] if on_stage else ""))
        (target or unfiled).votes.append(minute)
    for lst in db.scalars(select(SpeakerList).where(SpeakerList.event_id == event.id)):
        target = by_id.get(str(lst.agenda_item_id))
        if target is not None:
            target.speakers.extend(speakers.minutes(db, lst))
    if unfiled.votes:
        agenda.insert(0, unfiled)
    return Minutes(
        event_name=event.name, event_slug=event.slug, lang=lang,
        opened_at=_when(event.opened_at), closed_at=_when(event.closed_at), made_at=now,
        agenda=agenda, motions=motion_minutes.outcomes(db, event.id),
        audit_head=audit.head(db, event.id).hash,
    )


def _parse(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
