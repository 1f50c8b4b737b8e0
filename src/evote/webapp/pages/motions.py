"""The motion pages: the list of motions, one motion with its amendments, and the public listing.

Why server-rendered: a delegate reads a motion on a phone over a congested venue network, and
the line numbers the hall speaks about must be the ones on every screen, so the text arrives
finished (numbered lines, amendments as coloured word diffs), readable without JavaScript. The
HTML of each line comes from ``evote.motions.text``/``diff``, which escape every character of
the text itself: ``<script>`` in a motion is shown as those characters.

What changes something (write, submit, support, screen, recommend, take over, open a vote) is a
small form per step, sent by ``web/js/pages/motions.js`` to the same JSON API any client uses,
so each rule is decided once, on the server; the page shows only the steps ``may`` allows.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape
from sqlalchemy import func, select

from evote.motions import book, diff, service
from evote.rules.roles import Role
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.event import Event
from evote.store.models.motions import Motion, MotionHistory
from evote.store.models.people import Participant
from evote.store.models.stage import AgendaItem
from evote.webapp.api.motions import load_motion, settle
from evote.webapp.api.motions_json import kind_json, motion_json
from evote.webapp.auth import require_participant
from evote.webapp.pages import i18n, timezone
from evote.webapp.pages.integrity import integrity
from evote.webapp.pages.views import render_page
from evote.webapp.permissions import Action, decide, requires

bp = Blueprint("motion_pages", __name__)

STYLESHEET = "/css/motions.css"
BOOKS_KEPT = 16
"""Rendered books kept per process. A book is a few hundred milliseconds of CPU, and the public
ones are open to anyone: the same book is rendered once until a motion of the event moves."""
_books_lock = threading.Lock()


def heading(item: dict[str, Any], lang: str) -> str:
    """How the hall names it: ``A3``, ``Ä1 zu A3, Zeile 12–14`` (Antragsgrün's convention)."""
    t = i18n.texts(lang)
    amendment = item.get("amendment")
    if amendment is None:
        return item["label"] or t["motions.unnumbered"]
    where = diff.range_label(amendment["line_from"] or 1, amendment["line_to"] or 1, lang=lang)
    if item["label"]:
        own = item["label"] if lang == "de" else item["label"].replace(" zu ", " to ")
    elif item["motion_label"]:
        own = t["motions.amendment_to"].format(label=item["motion_label"])
    else:
        own = t["motions.amendment"]
    return f"{own}, {where}"


def when(iso: str) -> str:
    """``06.12.2026 14:05`` in the convention's time zone (deadlines, the history)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return timezone.local(moment).strftime("%d.%m.%Y %H:%M")


def diff_html(row_html: str, lang: str) -> Markup:
    """A diff row's HTML (escaped text, the renderer's tags) with words for screen readers at
    each change: ``<del>`` and ``<ins>`` alone are not read out. A literal ``<del>`` cannot
    come from the motion: its characters arrive escaped."""
    t = i18n.texts(lang)
    end = f'<span class="sr-only"> {escape(t["motions.end_change"])}</span>'
    swap = {
        "<del>": f'<del><span class="sr-only">{escape(t["motions.deleted"])} </span>',
        "<ins>": f'<ins><span class="sr-only">{escape(t["motions.inserted"])} </span>',
        "</del>": end + "</del>", "</ins>": end + "</ins>",
    }
    return Markup(re.sub(r"</?(?:del|ins)>", lambda m: swap[m.group(0)], row_html))


def _context(lang: str) -> dict[str, Any]:
    return {"heading": lambda item: heading(item, lang), "when": when,
            "diff_html": lambda row_html: diff_html(row_html, lang),
            "motions_css": integrity(STYLESHEET)}


def _kinds_with_motions(me: Participant | None, event_id: int, motions: list[Motion]) -> list[dict[str, Any]]:
    """The event's kinds in order, each with its motions as JSON (the book's order)."""
    db = get_session()
    groups = [{**kind_json(k), "motions": []} for k in service.kinds(db, event_id)]
    by_id = {g["id"]: g for g in groups}
    for motion in motions:
        by_id[motion.kind_id]["motions"].append(
            motion_json(db, motion, me, full=False, public=me is None)
        )
    return groups


@bp.get("/motions")
@requires(Action.VIEW_MOTIONS)
def motion_list() -> ResponseReturnValue:
    me = require_participant()
    db = get_session()
    found = service.visible_motions(db, me, me.event_id)
    for motion in found:
        settle(motion)
    lang = i18n.language()
    roles = me.role_set
    return render_page(
        "motions.html", "motions.js",
        kinds=_kinds_with_motions(me, me.event_id, found),
        may_write=decide(Action.SUBMIT_MOTIONS, roles, True, True) is None,
        committee=service.is_committee(me),
        public=service.listing_is_public(db, me.event_id), slug=me.event.slug,
        **_context(lang),
    )


@bp.get("/motions/<int:motion_id>")
@requires(Action.VIEW_MOTIONS)
def motion_page(motion_id: int) -> ResponseReturnValue:
    motion = load_motion(motion_id)
    if motion.amends_id is not None:
        return redirect(f"/motions/{motion.amends_id}#a{motion.id}", 303)
    me = require_participant()
    db = get_session()
    data = motion_json(db, motion, me)
    lang = i18n.language()
    items = list(db.scalars(
        select(AgendaItem).where(AgendaItem.event_id == me.event_id).order_by(AgendaItem.position)
    ))
    on_item = next((i.title for i in items if i.id == motion.agenda_item_id), None)
    return render_page(
        "motion.html", "motions.js", m=data, agenda_items=items, on_item=on_item,
        committee=service.is_committee(me), presidium=me.has_role(Role.PRESIDIUM),
        page_data={"motionId": motion.id}, **_context(lang),
    )


def _pdf(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _books(event: Event, which: str, public: bool = False) -> Response:
    """The motion book or the resolutions book of ``event``, in the request's language;
    ``public`` (no login): without supporters' names, like the public listing."""
    db = get_session()
    for motion in service.visible_motions(db, None, event.id):
        settle(motion)
    lang = i18n.language()
    # Every change a book shows (a motion admitted, numbered, recommended, amended, decided) is
    # a step in motion_history; kinds are the book's chapters. Supporters change only drafts.
    steps = db.execute(
        select(func.max(MotionHistory.id), func.count())
        .join(Motion, Motion.id == MotionHistory.motion_id).where(Motion.event_id == event.id)
    ).one()
    kinds = tuple((k.id, k.code, k.name) for k in service.kinds(db, event.id))
    key = (event.id, event.name, which, lang, tuple(steps), kinds, public)
    cache: OrderedDict[tuple[Any, ...], bytes] = current_app.extensions.setdefault(
        "evote_motion_books", OrderedDict()
    )
    with _books_lock:
        data = cache.get(key)
        if data is not None:
            cache.move_to_end(key)
    if data is None:
        now = current_clock().now()
        if which == "book":
            data = book.motion_book(db, event, lang=lang, now=now, public=public)
        else:
            data = book.resolutions_book(db, event, lang=lang, now=now)
        with _books_lock:
            cache[key] = data
            while len(cache) > BOOKS_KEPT:
                cache.popitem(last=False)
    return _pdf(data, f"{event.slug}-{'antragsbuch' if which == 'book' else 'beschlussbuch'}.pdf")


@bp.get("/motions/book.pdf")
@requires(Action.VIEW_MOTIONS)
def motion_book() -> ResponseReturnValue:
    return _books(require_participant().event, "book")


@bp.get("/motions/resolutions.pdf")
@requires(Action.VIEW_MOTIONS)
def resolutions_book() -> ResponseReturnValue:
    return _books(require_participant().event, "resolutions")


def _public_event(slug: str) -> Event:
    event = get_session().scalars(select(Event).where(Event.slug == slug)).first()
    if event is None or not service.listing_is_public(get_session(), event.id):
        abort(404)
    return event


@bp.get("/public/<slug>/book.pdf")
@requires(Action.VIEW_PUBLIC_MOTIONS)
def public_book(slug: str) -> ResponseReturnValue:
    return _books(_public_event(slug), "book", public=True)


@bp.get("/public/<slug>/resolutions.pdf")
@requires(Action.VIEW_PUBLIC_MOTIONS)
def public_resolutions(slug: str) -> ResponseReturnValue:
    return _books(_public_event(slug), "resolutions", public=True)


@bp.get("/public/<slug>/motions")
@requires(Action.VIEW_PUBLIC_MOTIONS)
def public_list(slug: str) -> ResponseReturnValue:
    """Read-only, without login, where the committee switched the listing on; otherwise 404
    (not telling whether the event exists)."""
    db = get_session()
    event = _public_event(slug)
    found = service.visible_motions(db, None, event.id)
    for motion in found:
        settle(motion)
    motions = [motion_json(db, m, None, public=True) for m in found]
    return render_page(
        "motions_public.html", None, event_name=event.name, motions=motions, slug=event.slug,
        **_context(i18n.language()),
    )
