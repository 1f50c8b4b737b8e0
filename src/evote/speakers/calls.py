"""The technician check of the next speakers, and the signalling of their WebRTC calls.

Why through evote at all: the speaker and the technician are already logged in here and already
follow the live stream, so no second account and no second server is needed to find each other.
Only signalling passes (offers, answers, ICE candidates: a few kilobytes per call); the audio
and video go from browser to browser, through a TURN server where the configuration names one,
never through evote. So the mailbox is bounded: a message of at most ``MAX_PAYLOAD`` characters,
at most ``RATE_COUNT`` messages per ``RATE_SECONDS`` per sender, kept ``KEEP_SECONDS``.

The technician's states of an entry (``SpeakerEntry.tech``): ``ready`` (the speaker pressed
"bereit" after the self-test: in the shared queue), ``connected`` (a technician took it and the
call stands), ``ok`` / ``problem`` (with a note the speaker sees), ``live`` (handed over to the
studio), ``lost`` (the call dropped: "Verbindung verloren"; the speaker stays on the list).
Several technicians work in parallel: taking an entry is one guarded UPDATE, so two of them
pressing "take" at once cannot both get it.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from evote.rules.roles import Role
from evote.speakers.service import ACTIVE, SpeakerError
from evote.store.models.people import Participant
from evote.store.models.speakers import SpeakerEntry, SpeakerList, SpeakerSignal

KINDS = ("hello", "offer", "answer", "ice", "bye")
"""``hello``: a technician (or the studio) asks the speaker's page to call it; the speaker
offers, the other answers; ICE candidates both ways; ``bye`` ends the call."""
TECH_STATES = ("connected", "ok", "problem", "live", "lost")
"""What a technician may set; ``ready`` is the speaker's own step."""
MAX_PAYLOAD = 16_000
"""Characters of one signalling message: an SDP offer with audio and video is 3-8 KB."""
RATE_COUNT, RATE_SECONDS = 60, 10
"""Enough for two calls set up at once (technician and studio), each with its trickled ICE
candidates (a few per network interface); a loop of a broken or hostile page stops here."""
KEEP_SECONDS = 600
MAX_NOTE = 300


def get_entry(db: Session, event_id: int, entry_id: int) -> tuple[SpeakerEntry, SpeakerList]:
    entry = db.get(SpeakerEntry, entry_id)
    lst = db.get(SpeakerList, entry.list_id) if entry is not None else None
    if entry is None or lst is None or lst.event_id != event_id:
        raise SpeakerError(
            "no_such_entry", "There is no such request to speak.",
            "Diese Wortmeldung gibt es nicht (mehr).", 404,
        )
    return entry, lst


def _must_be_active(entry: SpeakerEntry) -> None:
    if entry.state not in ACTIVE:
        raise SpeakerError(
            "not_waiting", "This request is no longer on the list.",
            "Diese Wortmeldung steht nicht mehr auf der Liste.",
        )


def ready(entry: SpeakerEntry, who: Participant) -> None:
    """The speaker finished the self-test and waits for a technician (again, after a reload:
    the technician who had them keeps them and calls again)."""
    if entry.participant_id != who.id:
        raise SpeakerError(
            "not_yours", "This is not your request to speak.",
            "Das ist nicht Deine Wortmeldung.", 403,
        )
    _must_be_active(entry)
    if not entry.prepared and entry.state != "speaking":
        raise SpeakerError(
            "not_prepared", "The presidium has not called you for the technician check yet.",
            "Das Präsidium hat Dich noch nicht zum Technik-Check aufgerufen.",
        )
    entry.tech = "ready"


def take(db: Session, entry: SpeakerEntry, technician: Participant) -> None:
    """Take a speaker from the shared queue: only one technician gets them."""
    _must_be_active(entry)
    if entry.technician_id == technician.id:
        return
    taken = db.execute(
        update(SpeakerEntry)
        .where(SpeakerEntry.id == entry.id, SpeakerEntry.technician_id.is_(None),
               SpeakerEntry.tech == "ready")
        .values(technician_id=technician.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise SpeakerError(
            "already_taken", "Another technician has this speaker, or they are not ready.",
            "Diese Person betreut schon jemand anderes aus der Technik, oder sie ist noch nicht bereit.",
        )
    db.refresh(entry)


def release(entry: SpeakerEntry, technician: Participant) -> None:
    """Give the speaker back to the shared queue."""
    _own(entry, technician)
    entry.technician_id = None
    if entry.tech != "live":
        entry.tech = "ready"


def _own(entry: SpeakerEntry, technician: Participant) -> None:
    if entry.technician_id != technician.id:
        raise SpeakerError(
            "not_your_speaker", "Take this speaker from the queue first.",
            "Übernimm diese Person zuerst aus der Warteschlange.",
        )


def check(entry: SpeakerEntry, technician: Participant, state: str, note: str) -> None:
    """The technician's verdict: connected, ok, problem (with a note), live, lost."""
    if state not in TECH_STATES:
        raise SpeakerError(
            "bad_tech_state", f"The state is one of {', '.join(TECH_STATES)}.",
            "Der Zustand ist connected, ok, problem, live oder lost.", 400,
        )
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise SpeakerError(
            "note_too_long", f"The note has at most {MAX_NOTE} characters.",
            f"Die Notiz hat höchstens {MAX_NOTE} Zeichen.", 400,
        )
    _must_be_active(entry)
    _own(entry, technician)
    entry.tech = state
    if state in ("ok", "problem", "live") or note:
        entry.tech_note = note


# -- signalling -------------------------------------------------------------------------------


def _bad(code: str, en: str, de: str, status: int = 400) -> SpeakerError:
    return SpeakerError(code, en, de, status)


def send(
    db: Session, entry: SpeakerEntry, sender: Participant, recipient_id: int, kind: str,
    payload: str, now: datetime,
) -> SpeakerSignal:
    """Store one signalling message for ``recipient_id`` after checking who talks to whom: the
    speaker only with the technician who took them (or, handed over live, with the studio),
    a technician only with the speaker they took (or a live one)."""
    if kind not in KINDS:
        raise _bad("bad_signal", "The kind is hello, offer, answer, ice or bye.",
                   "Die Art ist hello, offer, answer, ice oder bye.")
    if len(payload) > MAX_PAYLOAD:
        raise _bad("signal_too_large", f"A signalling message has at most {MAX_PAYLOAD} characters.",
                   f"Eine Signalisierungsnachricht hat höchstens {MAX_PAYLOAD} Zeichen.", 413)
    _must_be_active(entry)
    recipient = db.get(Participant, recipient_id)
    if recipient is None or recipient.event_id != sender.event_id:
        raise _bad("no_such_recipient", "There is no such participant.",
                   "Diese Person gibt es nicht.", 404)
    # The speaker's page answers every hello with its camera and microphone, so a call is the
    # technician's who took the speaker, or, once handed over live, the studio's (any
    # technician's page on /studio); a bye may end any call.
    def in_call(technician_id: int) -> bool:
        return kind == "bye" or entry.technician_id == technician_id or entry.tech == "live"

    speaker_to_tech = (entry.participant_id == sender.id and recipient.has_role(Role.TECHNICIAN)
                       and in_call(recipient_id))
    tech_to_speaker = (sender.has_role(Role.TECHNICIAN) and recipient_id == entry.participant_id
                       and in_call(sender.id))
    if not (speaker_to_tech or tech_to_speaker):
        raise _bad("not_your_call", "You may signal only within your own technician call.",
                   "Du kannst nur in Deinem eigenen Technik-Gespräch signalisieren.", 403)
    since = now - timedelta(seconds=RATE_SECONDS)
    recent = db.scalar(
        select(func.count(SpeakerSignal.id)).where(
            SpeakerSignal.sender_id == sender.id, SpeakerSignal.created_at >= since
        )
    )
    if (recent or 0) >= RATE_COUNT:
        raise _bad("signal_rate", f"At most {RATE_COUNT} signalling messages per {RATE_SECONDS} s.",
                   f"Höchstens {RATE_COUNT} Signalisierungsnachrichten in {RATE_SECONDS} s.", 429)
    db.execute(delete(SpeakerSignal).where(
        SpeakerSignal.created_at < now - timedelta(seconds=KEEP_SECONDS)))
    message = SpeakerSignal(entry_id=entry.id, sender_id=sender.id, recipient_id=recipient_id,
                            kind=kind, payload=payload, created_at=now)
    db.add(message)
    db.flush()
    return message


def inbox(db: Session, recipient: Participant, after: int) -> list[SpeakerSignal]:
    """Messages for ``recipient`` numbered above ``after`` (the page's cursor), oldest first."""
    return list(db.scalars(
        select(SpeakerSignal)
        .where(SpeakerSignal.recipient_id == recipient.id, SpeakerSignal.id > after)
        .order_by(SpeakerSignal.id)
        .limit(200)
    ))


def room_url(template: str, secret: bytes, event_id: int, entry_id: int) -> str:
    """The external room of one speaker's call (Jitsi, BigBlueButton): ``{room}`` in the
    configured template becomes a name nobody can guess from the entry number."""
    mac = hmac.new(secret, f"evote-room:{event_id}:{entry_id}".encode(), hashlib.sha256)
    return template.replace("{room}", f"evote-{mac.hexdigest()[:20]}")
