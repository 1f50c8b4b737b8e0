"""The speakers' lists as stored: asking to speak, withdrawing, the presidium's steering.

Every refusal is a :class:`SpeakerError` with a stable code and its message in German and
English, raised before anything is changed. Mutations lock the list's row first (``FOR UPDATE``
on PostgreSQL), so two delegates asking at the same moment get distinct ranks and one person
cannot stand twice on a list. Time comes in as an argument (the server clock's ``now``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evote.rules.roles import Role
from evote.speakers.order import Kind, Order, Side, Waiting, WhenSideEmpty, compute
from evote.store.models.people import Participant
from evote.store.models.speakers import SpeakerEntry, SpeakerList, SpeakerProfile, SpeakerSettings
from evote.store.models.stage import AgendaItem

WAITING, SPEAKING, DONE, WITHDRAWN, REMOVED = "waiting", "speaking", "done", "withdrawn", "removed"
ACTIVE = (WAITING, SPEAKING)
QUOTA_GROUPS = ("women", "flinta")
DECLARATIONS = ("", "woman", "flinta")
"""Self-declarations in the profile: none, woman, FLINTA* (not a woman)."""
MIN_SECONDS, MAX_SECONDS = 10, 3600


class SpeakerError(Exception):
    """A step that is not possible; ``code`` is the API's stable error code."""

    def __init__(self, code: str, en: str, de: str, status: int = 409) -> None:
        super().__init__(en)
        self.code, self.en, self.de, self.status = code, en, de, status

    def message(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


def _not_found(what: str) -> SpeakerError:
    return SpeakerError(
        f"no_such_{what}", f"There is no such {what.replace('_', ' ')}.",
        "Das gibt es nicht (mehr)." if what != "list" else "Diese Redeliste gibt es nicht.", 404,
    )


# -- settings and profile ---------------------------------------------------------------------


def settings(db: Session, event_id: int) -> SpeakerSettings:
    found = db.get(SpeakerSettings, event_id)
    if found is None:
        found = SpeakerSettings(event_id=event_id, quota_group="women", speaking_seconds=180)
        db.add(found)
        db.flush()
    return found


def set_quota_group(db: Session, event_id: int, group: str) -> SpeakerSettings:
    if group not in QUOTA_GROUPS:
        raise SpeakerError(
            "bad_quota_group", "The quota counts 'women' or 'flinta'.",
            "Die Quote zählt 'women' (Frauen) oder 'flinta' (FLINTA*).", 400,
        )
    found = settings(db, event_id)
    found.quota_group = group
    return found


def set_speaking_seconds(db: Session, event_id: int, seconds: int) -> SpeakerSettings:
    """The speaking time new lists start with."""
    check_options(ListOptions(speaking_seconds=seconds))
    found = settings(db, event_id)
    found.speaking_seconds = seconds
    return found


def declaration(db: Session, participant_id: int) -> str:
    profile = db.get(SpeakerProfile, participant_id)
    return profile.quota if profile else ""


def declare(db: Session, participant_id: int, quota: str) -> None:
    """The participant's own self-declaration; it applies to requests made from now on."""
    if quota not in DECLARATIONS:
        raise SpeakerError(
            "bad_declaration", "Declare '' (nothing), 'woman' or 'flinta'.",
            "Angabe: '' (keine), 'woman' (Frau) oder 'flinta' (FLINTA*).", 400,
        )
    profile = db.get(SpeakerProfile, participant_id)
    if profile is None:
        db.add(SpeakerProfile(participant_id=participant_id, quota=quota))
    else:
        profile.quota = quota


def side_of(declared: str, group: str) -> Side:
    if declared == "woman" or (declared == "flinta" and group == "flinta"):
        return Side.QUOTA
    return Side.OPEN


# -- lists ------------------------------------------------------------------------------------


@dataclass
class ListOptions:
    closed: bool | None = None
    quota: bool | None = None
    when_side_empty: str | None = None
    guests: bool | None = None
    speaking_seconds: int | None = None


def check_options(options: ListOptions) -> None:
    if options.when_side_empty is not None and options.when_side_empty not in (
        WhenSideEmpty.CONTINUE.value, WhenSideEmpty.CLOSE.value,
    ):
        raise SpeakerError(
            "bad_field", "when_side_empty is 'continue' or 'close'.",
            "when_side_empty ist 'continue' (weiter) oder 'close' (Debatte endet).", 400,
        )
    seconds = options.speaking_seconds
    if seconds is not None and not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise SpeakerError(
            "bad_speaking_time",
            f"The speaking time is {MIN_SECONDS} to {MAX_SECONDS} seconds.",
            f"Die Redezeit liegt zwischen {MIN_SECONDS} und {MAX_SECONDS} Sekunden.", 400,
        )


def get_list(db: Session, event_id: int, list_id: int, *, lock: bool = False) -> SpeakerList:
    found = db.get(SpeakerList, list_id, with_for_update=lock) if lock else db.get(
        SpeakerList, list_id
    )
    if found is None or found.event_id != event_id:
        raise _not_found("list")
    return found


def active_list(db: Session, event_id: int) -> SpeakerList | None:
    found = db.get(SpeakerSettings, event_id)
    if found is None or found.active_list_id is None:
        return None
    return db.get(SpeakerList, found.active_list_id)


def open_list(
    db: Session, event_id: int, agenda_item_id: int, options: ListOptions
) -> SpeakerList:
    """The item's list (made on first use, with the event's speaking time), now the active one."""
    check_options(options)
    item = db.get(AgendaItem, agenda_item_id)
    if item is None or item.event_id != event_id:
        raise SpeakerError(
            "no_such_agenda_item", f"There is no agenda item {agenda_item_id}.",
            f"Den Tagesordnungspunkt {agenda_item_id} gibt es nicht.", 404,
        )
    found = db.scalar(select(SpeakerList).where(SpeakerList.agenda_item_id == agenda_item_id))
    conf = settings(db, event_id)
    if found is None:
        found = SpeakerList(
            event_id=event_id, agenda_item_id=agenda_item_id, closed=False, quota=True,
            when_side_empty=WhenSideEmpty.CONTINUE.value, guests=False,
            speaking_seconds=conf.speaking_seconds, next_seq=1,
        )
        db.add(found)
        db.flush()
    update_list(db, found, options)
    conf.active_list_id = found.id
    return found


def update_list(db: Session, lst: SpeakerList, options: ListOptions) -> SpeakerList:
    check_options(options)
    for name in ("closed", "quota", "when_side_empty", "guests"):
        value = getattr(options, name)
        if value is not None:
            setattr(lst, name, value)
    if options.speaking_seconds is not None:
        lst.speaking_seconds = options.speaking_seconds
        if lst.speech_started_at is not None:  # the running speech gets the new time too
            lst.speech_ends_at = lst.speech_started_at + timedelta(seconds=lst.speaking_seconds)
    return lst


def entries(db: Session, lst: SpeakerList, states: tuple[str, ...] = ACTIVE) -> list[SpeakerEntry]:
    return list(
        db.scalars(
            select(SpeakerEntry)
            .where(SpeakerEntry.list_id == lst.id, SpeakerEntry.state.in_(states))
            .order_by(SpeakerEntry.rank, SpeakerEntry.id)
        )
    )


def _last_side(db: Session, lst: SpeakerList) -> Side | None:
    last = db.scalar(
        select(SpeakerEntry.side)
        .where(
            SpeakerEntry.list_id == lst.id, SpeakerEntry.kind == Kind.SPEECH.value,
            SpeakerEntry.state.in_((SPEAKING, DONE)),
        )
        .order_by(SpeakerEntry.started_at.desc(), SpeakerEntry.id.desc())
        .limit(1)
    )
    return Side(last) if last else None


def order(db: Session, lst: SpeakerList) -> tuple[list[SpeakerEntry], list[SpeakerEntry]]:
    """The waiting entries in the order they will be called, and those beyond the end."""
    waiting = {e.id: e for e in entries(db, lst, (WAITING,))}
    computed: Order = compute(
        (Waiting(e.id, Side(e.side), Kind(e.kind), e.rank) for e in waiting.values()),
        quota=lst.quota, last_side=_last_side(db, lst),
        when_empty=WhenSideEmpty(lst.when_side_empty),
    )
    return [waiting[i] for i in computed.called], [waiting[i] for i in computed.beyond]


# -- asking to speak --------------------------------------------------------------------------


def ask(
    db: Session, lst: SpeakerList, who: Participant, kind: str, now: datetime
) -> SpeakerEntry:
    """Put ``who`` on the list: a speech, or a point of order (which also goes on a closed
    list: it is about the procedure, often the closing itself)."""
    if kind not in (Kind.SPEECH.value, Kind.POINT_OF_ORDER.value):
        raise SpeakerError(
            "bad_kind", "Ask for a 'speech' or a 'point_of_order'.",
            "Wortmeldung ('speech') oder GO-Antrag ('point_of_order').", 400,
        )
    if who.has_role(Role.DELEGATE):
        pass
    elif who.has_role(Role.GUEST_DELEGATE):
        if not lst.guests:
            raise SpeakerError(
                "guests_not_allowed", "Guests may not ask to speak on this item.",
                "Gäste können sich zu diesem Tagesordnungspunkt nicht zu Wort melden.", 403,
            )
    else:
        raise SpeakerError(
            "forbidden", "Only delegates (and guests where allowed) ask to speak.",
            "Nur Delegierte (und, wo erlaubt, Gäste) können sich zu Wort melden.", 403,
        )
    if who.checked_in_at is None:
        raise SpeakerError(
            "not_checked_in", "Please confirm your attendance (check in) first.",
            "Bitte bestätige zuerst Deine Anwesenheit.", 403,
        )
    if lst.closed and kind == Kind.SPEECH.value:
        raise SpeakerError(
            "list_closed", "The speakers' list is closed.", "Die Redeliste ist geschlossen.",
        )
    twice = db.scalar(
        select(SpeakerEntry.id).where(
            SpeakerEntry.list_id == lst.id, SpeakerEntry.participant_id == who.id,
            SpeakerEntry.kind == kind, SpeakerEntry.state.in_(ACTIVE),
        )
    )
    if twice is not None:
        raise SpeakerError(
            "already_on_list", "You are already on this list.",
            "Du stehst bereits auf dieser Liste." if kind == Kind.SPEECH.value
            else "Dein GO-Antrag steht bereits auf der Liste.",
        )
    group = settings(db, lst.event_id).quota_group
    entry = SpeakerEntry(
        list_id=lst.id, participant_id=who.id, kind=kind,
        side=side_of(declaration(db, who.id), group).value, rank=lst.next_seq, state=WAITING,
        asked_at=now, prepared=False, tech="", tech_note="",
    )
    lst.next_seq += 1
    db.add(entry)
    db.flush()
    return entry


def get_entry(db: Session, lst: SpeakerList, entry_id: int) -> SpeakerEntry:
    found = db.get(SpeakerEntry, entry_id)
    if found is None or found.list_id != lst.id:
        raise _not_found("entry")
    return found


def _must_wait(entry: SpeakerEntry) -> None:
    if entry.state != WAITING:
        raise SpeakerError(
            "not_waiting", "This request is no longer waiting on the list.",
            "Diese Wortmeldung wartet nicht mehr auf der Liste.",
        )


def withdraw(db: Session, entry: SpeakerEntry, who: Participant, now: datetime) -> None:
    if entry.participant_id != who.id:
        raise _not_found("entry")
    _must_wait(entry)
    entry.state, entry.ended_at = WITHDRAWN, now


def remove(db: Session, entry: SpeakerEntry, now: datetime) -> None:
    _must_wait(entry)
    entry.state, entry.ended_at = REMOVED, now


def move(db: Session, lst: SpeakerList, entry: SpeakerEntry, before_id: int | None) -> None:
    """Move ``entry`` before ``before_id`` (None: to the end). Ranks are per side: with the
    quota on, a move changes the order within the entry's side and the alternation stays;
    with the quota off there is one side and the move is exactly where it was put."""
    _must_wait(entry)
    called, beyond = order(db, lst)
    sequence = [e for e in called + beyond if e.id != entry.id]
    if before_id is None:
        place = len(sequence)
    else:
        place = next((i for i, e in enumerate(sequence) if e.id == before_id), None)
        if place is None:
            raise _not_found("entry")
    sequence.insert(place, entry)
    for rank, each in enumerate(sequence, start=1):
        each.rank = rank
    lst.next_seq = len(sequence) + 1


def prepare(db: Session, entry: SpeakerEntry) -> None:
    """Mark as "next": the speaker's page offers the technician check."""
    _must_wait(entry)
    entry.prepared = True


def _end_current(db: Session, lst: SpeakerList, now: datetime) -> None:
    if lst.current_entry_id is not None:
        current = db.get(SpeakerEntry, lst.current_entry_id)
        if current is not None and current.state == SPEAKING:
            current.state, current.ended_at = DONE, now
    lst.current_entry_id = None
    lst.speech_started_at = lst.speech_ends_at = None


def stop(db: Session, lst: SpeakerList, now: datetime) -> None:
    """The current speaker has finished; nobody speaks until the next is called."""
    _end_current(db, lst, now)


def call_next(
    db: Session, lst: SpeakerList, now: datetime, entry_id: int | None = None
) -> SpeakerEntry | None:
    """End the current speech and give the floor to the head of the list (or ``entry_id``);
    None when nobody is left to call (or the quota rule closed the debate)."""
    if entry_id is not None:
        chosen = get_entry(db, lst, entry_id)
        _must_wait(chosen)
    _end_current(db, lst, now)
    if entry_id is None:
        called, _beyond = order(db, lst)
        if not called:
            return None
        chosen = called[0]
    chosen.state, chosen.started_at = SPEAKING, now
    lst.current_entry_id = chosen.id
    lst.speech_started_at = now
    lst.speech_ends_at = now + timedelta(seconds=lst.speaking_seconds)
    return chosen


def minutes(db: Session, lst: SpeakerList) -> list[dict[str, Any]]:
    """Who spoke on the item, in order: for the minutes."""
    rows = db.execute(
        select(SpeakerEntry, Participant)
        .join(Participant, Participant.id == SpeakerEntry.participant_id)
        .where(SpeakerEntry.list_id == lst.id, SpeakerEntry.state.in_((SPEAKING, DONE)))
        .order_by(SpeakerEntry.started_at, SpeakerEntry.id)
    ).all()
    return [
        {"name": p.name, "delegation": p.delegation, "kind": e.kind,
         "started_at": e.started_at, "ended_at": e.ended_at}
        for e, p in rows
    ]
