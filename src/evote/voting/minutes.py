"""Every vote of an event as the minutes (Protokoll) print it: for the minutes' builder.

`votes_for_minutes(db, event_id)` is the one function the minutes call (the `audit` part's
minutes builder): each vote in the order it was created, with its kind and secrecy in words
("geheime Abstimmung", "offene Abstimmung", "namentliche Abstimmung") so no open vote reads like
a secret one, the rule and its base, who could vote (the group, the roll's size and, for open
and roll-call votes, the names), the totals, the decision and, for a roll call, each name's
choice. Only what is published: a vote whose result is not announced shows its state only.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.rules.wording import rule_text, threshold_text
from evote.store.models.votes import Vote, VoteState
from evote.voting.electorate import Electorate
from evote.voting.events import iso

SECRECY_WORDS = {
    "de": {"secret": "geheime Abstimmung", "open": "offene Abstimmung",
           "roll_call": "namentliche Abstimmung"},
    "en": {"secret": "secret ballot", "open": "open vote", "roll_call": "roll-call vote"},
}


def secrecy_title(title: str, secrecy: str, lang: str = "de") -> str:
    """"Tagesordnung annehmen – offene Abstimmung"; a secret vote's title as it is."""
    if secrecy == "secret":
        return title
    return f"{title} – {SECRECY_WORDS.get(lang, SECRECY_WORDS['de'])[secrecy]}"


def votes_for_minutes(db: Session, event_id: int, lang: str = "de") -> list[dict[str, Any]]:
    """The event's votes for the minutes, oldest first (drafts left out)."""
    words = SECRECY_WORDS.get(lang, SECRECY_WORDS["de"])
    found = []
    for vote in db.scalars(
        select(Vote).where(Vote.event_id == event_id, Vote.state != VoteState.DRAFT.value)
        .order_by(Vote.id)
    ):
        entry: dict[str, Any] = {
            "vote_id": vote.id,
            "title": vote.title,
            "kind": vote.kind,
            "secrecy": vote.secrecy,
            "secrecy_text": words[vote.secrecy],
            "rule_text": rule_text(vote.majority_rule, vote.majority_base, vote.kind, lang),
            "electorate": Electorate.of(vote).to_json(),
            "opened_at": iso(vote.opens_at),
            "closed_at": iso(vote.closes_at),
            "state": vote.state,
            "roll_size": vote.roll_size,
            "ballots_cast": vote.cast_count,
            "announced_at": iso(vote.announced_at),
        }
        if vote.announced_at is not None and vote.result_json:
            result = json.loads(vote.result_json)
            entry |= {
                "totals": result["totals"],
                "outcome": result["outcome"],
                "threshold_text": threshold_text(result["threshold"], lang),
                "quorate": result["valid"],
            }
            for key in ("eligible", "roll_call"):
                if key in result:
                    entry[key] = result[key]
        found.append(entry)
    return found
