"""The minutes as CSV files, one per table (agenda, votes, motions, speakers), for the party
office's own records and spreadsheets. Written through `people.spreadsheet.csv_text`, so no
cell is read as a formula."""

from __future__ import annotations

from evote.minutes.collect import Minutes, VoteMinute
from evote.minutes.pdf import when
from evote.minutes.words import words
from evote.people.spreadsheet import csv_text


def _published(v: VoteMinute) -> list[object]:
    """Secrecy, electorate and what the announcement published (names only for open and
    roll-call votes, choices only for a roll call; empty before the announcement)."""
    lot = v.lot
    return [
        v.secrecy, v.electorate, len(v.eligible) if v.eligible else "", " | ".join(v.eligible),
        " | ".join(f"{name}: {choice}" for name, choice in v.roll_call),
        v.seats if v.seats is not None else "",
        " | ".join(f"{name}: {rule}" for name, rule in v.seats_by_rule),
        v.quota_shortfall if v.seats_by_rule else "",
        ", ".join(lot.drawn) if lot else "", lot.record_sha256 if lot else "",
        lot.announced_value if lot else "", lot.seed if lot else "",
    ]


def csv_files(minutes: Minutes) -> dict[str, str]:
    """File name -> CSV text."""
    lang, w = minutes.lang, words(minutes.lang)
    agenda = [[w["item"], w["agenda"], w["called_at"]]] + [
        [i.position or "", i.title, when(i.called_at, lang) if i.called_at else ""]
        for i in minutes.agenda
    ]
    votes = [[
        "vote_id", w["item"], w["vote"], "kind", w["options"], "state", w["opened_at"],
        w["closed_at"], "present", "members", "cast", "spoiled", w["rule"], w["threshold"],
        w["totals"], w["verdict"], w["announced_at"], w["fingerprint"], w["audit_close"],
        "secrecy", "electorate", "eligible_count", w["eligible"], w["roll_call"], "seats",
        w["seats_by_rule"], "quota_shortfall", w["lot"], "lot_record_sha256",
        "lot_announced_value", "lot_seed",
    ]]
    for item in minutes.agenda:
        for v in item.votes:
            votes.append([
                v.vote_id, item.position or "", v.title, v.kind, " | ".join(v.options), v.state,
                when(v.opened_at, lang), when(v.closed_at, lang), v.present, v.members, v.cast,
                v.spoiled, v.rule, v.threshold, "; ".join(f"{n}: {c}" for n, c in v.totals),
                v.verdict, when(v.announced_at, lang) if v.announced_at else "",
                v.fingerprint or "", v.audit_close_hash or "",
                *_published(v),
            ])
    motions = [["label", "title", w["submitter"], w["motion_state"], "note", "text_sha256", "votes"]]
    for m in minutes.motions:
        motions.append([
            m.label or "", m.title, m.submitter, m.state, m.note, m.text_sha256,
            "; ".join(f"{x.vote_id} {x.purpose} {x.outcome or ''}" for x in m.votes),
        ])
    speakers = [[w["item"], "name", "delegation", "kind", "started_at", "ended_at"]]
    for item in minutes.agenda:
        for s in item.speakers:
            speakers.append([
                item.position or "", s["name"], s.get("delegation", ""), s.get("kind", ""),
                when(s.get("started_at"), lang), when(s.get("ended_at"), lang),
            ])
    return {
        "agenda.csv": csv_text(agenda), "votes.csv": csv_text(votes),
        "motions.csv": csv_text(motions), "speakers.csv": csv_text(speakers),
    }
