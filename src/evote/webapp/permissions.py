"""The one permission matrix of evote, and the decorator every endpoint uses to enforce it.

Why one table: a reviewer (and ``docs/permissions.md``, generated from it) must be able to read in
one place who may do what. Endpoints never test roles themselves; they name the action they
perform with ``@requires(Action.X)`` and this module decides. The matrix test walks the app's
URL map and fails for any endpoint without an action, so a new endpoint cannot skip the check.

A participant may hold several roles (a presidium member is usually also a guardian and a
delegate); an action is allowed when any of their roles allows it. Check-in and the voting right
are separate gates: an allowed role is not enough for an action that ``needs_checkin`` until the
participant has confirmed attendance, and ``needs_voting_right`` additionally asks for
:func:`evote.people.attendance.can_vote`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import jsonify, make_response, redirect, request, session
from flask.typing import ResponseReturnValue

from evote.audit import acting, actor_of
from evote.people.attendance import can_vote
from evote.rules.roles import Role
from evote.webapp.auth import SESSION_SCOPE, current_participant


class Action(StrEnum):
    """Everything an endpoint can do, named for what it does in the convention."""

    # open to anyone, logged in or not
    VIEW_PUBLIC = "view_public"
    """API documentation, CSRF token, health check."""
    LOGIN = "login"
    VIEW_BULLETIN_BOARD = "view_bulletin_board"
    DOWNLOAD_RECORD = "download_record"
    VIEW_PUBLIC_MOTIONS = "view_public_motions"
    """The public listing of admitted motions, where the event allows it."""
    # every logged-in participant
    LOGOUT = "logout"
    VIEW_SELF = "view_self"
    CHECK_IN = "check_in"
    FOLLOW_LIVE = "follow_live"
    VIEW_VOTE = "view_vote"
    VIEW_RESULTS = "view_results"
    VIEW_MOTIONS = "view_motions"
    VIEW_CREDENTIALS = "view_credentials"
    # delegates
    CAST_BALLOT = "cast_ballot"
    SUBMIT_MOTIONS = "submit_motions"
    ASK_TO_SPEAK = "ask_to_speak"
    SIGNAL_CALL = "signal_call"
    # presidium
    VIEW_ATTENDANCE = "view_attendance"
    VIEW_PRESENCE = "view_presence"
    MANAGE_EVENT = "manage_event"
    MANAGE_VOTES = "manage_votes"
    SCHEDULE_MOTIONS = "schedule_motions"
    MANAGE_SPEAKERS = "manage_speakers"
    MAKE_MINUTES = "make_minutes"
    # technicians
    TECH_CHECK = "tech_check"
    VIEW_STUDIO = "view_studio"
    # motions committee
    SCREEN_MOTIONS = "screen_motions"
    VIEW_UNANNOUNCED_RESULTS = "view_unannounced_results"
    """Checked inside the result and record views (`allowed`), not by a decorator."""
    # guardians
    GUARDIAN_DECRYPT = "guardian_decrypt"
    GUARDIAN_CEREMONY = "guardian_ceremony"
    VIEW_GUARDIANS = "view_guardians"
    # support
    SUPPORT_VIEW_PARTICIPANTS = "support_view_participants"
    SUPPORT_REISSUE_CREDENTIALS = "support_reissue_credentials"
    VIEW_AUDIT_LOG = "view_audit_log"
    # admin
    ADMIN_MANAGE_PARTICIPANTS = "admin_manage_participants"
    ISSUE_LETTERS = "issue_letters"
    MANAGE_CREDENTIALS = "manage_credentials"


ALL_ROLES: frozenset[Role] = frozenset(Role)


@dataclass(frozen=True)
class Rule:
    """Who may perform one action, and under which conditions."""

    summary: str
    roles: frozenset[Role] = frozenset()
    public: bool = False
    """No login needed at all (``roles`` is then ignored)."""
    needs_checkin: bool = False
    needs_voting_right: bool = False
    within: tuple[str, ...] = ()
    """Endpoints that check this action inside the view (with `allowed`), on top of their own
    action: for what only some of an endpoint's callers may see."""


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


MATRIX: dict[Action, Rule] = {
    Action.VIEW_PUBLIC: Rule("read the API description, fetch a CSRF token", public=True),
    Action.LOGIN: Rule("log in with personal credentials", public=True),
    Action.VIEW_BULLETIN_BOARD: Rule("list every tracking code of a vote", public=True),
    Action.DOWNLOAD_RECORD: Rule("download the election record of a closed vote", public=True),
    Action.VIEW_PUBLIC_MOTIONS: Rule(
        "read admitted motions of an event whose listing is public", public=True
    ),
    Action.LOGOUT: Rule("log out", ALL_ROLES),
    Action.VIEW_SELF: Rule("see own profile, roles and check-in state", ALL_ROLES),
    Action.CHECK_IN: Rule("confirm attendance once the event is open", ALL_ROLES),
    Action.FOLLOW_LIVE: Rule("follow live events (agenda, countdown, turnout)", ALL_ROLES),
    Action.VIEW_VOTE: Rule("read a vote's manifest, context and state", ALL_ROLES),
    Action.VIEW_RESULTS: Rule("read the announced result of a closed vote", ALL_ROLES),
    Action.VIEW_MOTIONS: Rule(
        "read admitted motions, amendments and the motion book; own drafts", ALL_ROLES
    ),
    Action.VIEW_CREDENTIALS: Rule(
        "read the credentials committee's key and each vote slot's anonymous roll of keys",
        ALL_ROLES,
    ),
    Action.CAST_BALLOT: Rule(
        "cast or spoil an encrypted ballot",
        _roles(Role.DELEGATE),
        needs_checkin=True,
        needs_voting_right=True,
    ),
    Action.SUBMIT_MOTIONS: Rule(
        "write, submit, support and withdraw own motions and amendments (a party body's: the "
        "committee)",
        _roles(Role.DELEGATE, Role.MOTIONS_COMMITTEE),
    ),
    Action.ASK_TO_SPEAK: Rule(
        "ask to speak or make a point of order, withdraw; declare oneself for the quota "
        "(checked in; guests only where the presidium allows it per item)",
        _roles(Role.DELEGATE, Role.GUEST_DELEGATE),
    ),
    Action.MANAGE_SPEAKERS: Rule(
        "open, close and reorder speakers' lists, remove, call the next speaker, set the "
        "speaking time and the quota rules",
        _roles(Role.PRESIDIUM),
    ),
    Action.SIGNAL_CALL: Rule(
        "send and fetch the WebRTC signalling of one's own technician call (never audio or "
        "video; bounded in size and rate; a speaker only with a technician)",
        _roles(Role.DELEGATE, Role.GUEST_DELEGATE, Role.TECHNICIAN),
    ),
    Action.TECH_CHECK: Rule(
        "take speakers from the shared technician queue, check camera and microphone in a "
        "call, say ok or problem with a note, hand over live",
        _roles(Role.TECHNICIAN),
    ),
    Action.VIEW_STUDIO: Rule(
        "open the studio page the livestream captures (live speaker, lower third, speaking "
        "time); the speakers' page for the presidium is manage_speakers",
        _roles(Role.TECHNICIAN, Role.PRESIDIUM),
    ),
    Action.VIEW_ATTENDANCE: Rule(
        "see how many are checked in and whether there is a quorum",
        _roles(Role.PRESIDIUM, Role.ADMIN),
    ),
    Action.VIEW_PRESENCE: Rule(
        "see who is checked in and since when, by name; export the list as CSV",
        _roles(Role.PRESIDIUM, Role.ADMIN),
    ),
    Action.MANAGE_EVENT: Rule("open and close the event", _roles(Role.PRESIDIUM, Role.ADMIN)),
    Action.MANAGE_VOTES: Rule(
        "create, edit, delete, open, close now, extend, cancel votes; announce results",
        _roles(Role.PRESIDIUM),
    ),
    Action.VIEW_UNANNOUNCED_RESULTS: Rule(
        "see a counted vote's totals, verdict and record before the result is announced",
        _roles(Role.PRESIDIUM),
        within=("GET /api/votes/<int:vote_id>/result", "GET /api/votes/<int:vote_id>/record.zip"),
    ),
    Action.SCHEDULE_MOTIONS: Rule(
        "put motions on the agenda, refer them", _roles(Role.PRESIDIUM, Role.MOTIONS_COMMITTEE)
    ),
    Action.SCREEN_MOTIONS: Rule(
        "screen, number and recommend motions; take over amendments; kinds and deadlines",
        _roles(Role.MOTIONS_COMMITTEE),
    ),
    Action.GUARDIAN_DECRYPT: Rule(
        "fetch an encrypted tally and submit a decryption share", _roles(Role.GUARDIAN)
    ),
    Action.GUARDIAN_CEREMONY: Rule(
        "key ceremony: post own public key, backups, verifications, challenge answers",
        _roles(Role.GUARDIAN),
    ),
    Action.VIEW_GUARDIANS: Rule(
        "see who has done what in the key ceremony and in each decryption",
        _roles(Role.PRESIDIUM, Role.ADMIN, Role.GUARDIAN),
    ),
    Action.SUPPORT_VIEW_PARTICIPANTS: Rule(
        "look up participants and their check-in state (never a vote)",
        _roles(Role.SUPPORT, Role.ADMIN),
    ),
    Action.SUPPORT_REISSUE_CREDENTIALS: Rule(
        "issue a new password to a delegate who lost theirs",
        _roles(Role.SUPPORT, Role.ADMIN),
    ),
    Action.VIEW_AUDIT_LOG: Rule(
        "read the audit log of staff and system actions (filtered), download it whole",
        _roles(Role.SUPPORT, Role.ADMIN),
    ),
    Action.MAKE_MINUTES: Rule(
        "make the minutes (agenda, attendance, each vote's result, motions) as PDF or CSV",
        _roles(Role.PRESIDIUM, Role.ADMIN),
    ),
    Action.ADMIN_MANAGE_PARTICIPANTS: Rule(
        "create, import, edit and deactivate participants", _roles(Role.ADMIN)
    ),
    Action.ISSUE_LETTERS: Rule(
        "give participants without a password their first one and download the access "
        "letters (PDF); replacing a password stays the support's way", _roles(Role.ADMIN)
    ),
    Action.MANAGE_CREDENTIALS: Rule(
        "set the credentials committee's key, export the delegate roll for it, upload its "
        "signed credentials (never a code: the committee keeps them)",
        _roles(Role.ADMIN),
    ),
}


SCOPED: dict[str, frozenset[Action]] = {
    "studio": frozenset({
        Action.LOGOUT, Action.VIEW_SELF, Action.FOLLOW_LIVE, Action.VIEW_STUDIO,
        Action.SIGNAL_CALL,
    }),
    # the projector link (people.projector_link): the wall shows, and does nothing else
    "projector": frozenset({
        Action.LOGOUT, Action.FOLLOW_LIVE, Action.VIEW_RESULTS, Action.VIEW_VOTE,
    }),
}
"""What a session started with a scope may do at most (public actions aside), whatever its
roles: the studio link (``speakers.studio``) shows the studio and signals its call, and is no
technician's login for the queue. An unknown scope allows nothing."""


def in_scope(action: Action) -> bool:
    """Whether this request's session scope (if any) allows ``action``."""
    scope = session.get(SESSION_SCOPE)
    return scope is None or action in SCOPED.get(str(scope), frozenset())


class Denial(StrEnum):
    """Why the permission layer refused a request; sent as ``error`` in the JSON body."""

    LOGIN_REQUIRED = "login_required"
    FORBIDDEN = "forbidden"
    NOT_CHECKED_IN = "not_checked_in"
    NO_VOTING_RIGHT = "no_voting_right"


DENIAL_STATUS: dict[Denial, int] = {
    Denial.LOGIN_REQUIRED: 401,
    Denial.FORBIDDEN: 403,
    Denial.NOT_CHECKED_IN: 403,
    Denial.NO_VOTING_RIGHT: 403,
}

_MESSAGES: dict[Denial, str] = {
    Denial.LOGIN_REQUIRED: "Please log in first.",
    Denial.FORBIDDEN: "Your role does not allow this.",
    Denial.NOT_CHECKED_IN: "Please confirm your attendance (check in) first.",
    Denial.NO_VOTING_RIGHT: "You have no voting right at this event.",
}


def decide(action: Action, roles: frozenset[Role] | None, checked_in: bool, can_vote: bool) -> Denial | None:
    """The matrix as a pure function: ``None`` when allowed, else why not.

    ``roles`` is ``None`` for a visitor who is not logged in. Kept free of Flask so the matrix
    test and the documentation generator can ask it directly.
    """
    rule = MATRIX[action]
    if rule.public:
        return None
    if roles is None:
        return Denial.LOGIN_REQUIRED
    if not roles & rule.roles:
        return Denial.FORBIDDEN
    if rule.needs_checkin and not checked_in:
        return Denial.NOT_CHECKED_IN
    if rule.needs_voting_right and not can_vote:
        return Denial.NO_VOTING_RIGHT
    return None


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def denial_response(denial: Denial, action: Action) -> ResponseReturnValue:
    """The JSON error every refused request gets, so clients can tell the cases apart.

    A browser asking for a page (GET, HTML preferred) without a session is sent to the login
    form instead, which is what a person following a link expects, and comes back to the page
    after logging in (``next``; the login page takes only a path on this server).
    """
    if denial is Denial.LOGIN_REQUIRED and request.method == "GET" and _wants_html():
        target = request.full_path.rstrip("?")
        if target == "/":
            return redirect("/login", 303)
        return redirect("/login?" + urlencode({"next": target}), 303)
    body = {"error": denial.value, "message": _MESSAGES[denial], "action": action.value}
    return make_response(jsonify(body), DENIAL_STATUS[denial])


def allowed(action: Action) -> bool:
    """Whether the request's participant may perform `action`: for a view that shows more to
    some of its callers (the presidium sees a result before it is announced)."""
    participant = current_participant()
    if participant is None:
        return decide(action, None, False, False) is None
    if not in_scope(action):
        return False
    return decide(
        action, participant.role_set, participant.checked_in_at is not None, can_vote(participant)
    ) is None


F = TypeVar("F", bound=Callable[..., Any])

ACTION_ATTRIBUTE = "__evote_action__"
"""Set on every decorated view; the matrix test reads it from the URL map's view functions."""


def requires(action: Action) -> Callable[[F], F]:
    """Guard a view: log-in, role, check-in and voting right as the matrix says for ``action``.

    The logged-in participant is then available as :func:`evote.webapp.auth.current_participant`.
    """
    if action not in MATRIX:
        raise KeyError(f"action {action!r} has no entry in the permission matrix")

    public = MATRIX[action].public

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if public:  # no database lookup for pages anyone may fetch (record, bulletin board)
                return view(*args, **kwargs)
            participant = current_participant()
            if participant is None:
                denial = decide(action, None, False, False)
            else:
                denial = decide(
                    action,
                    participant.role_set,
                    participant.checked_in_at is not None,
                    can_vote(participant),
                )
            if denial is None and not in_scope(action):
                denial = Denial.FORBIDDEN
            if denial is not None:
                return denial_response(denial, action)
            assert participant is not None
            # the audit log's entries written by this request name who acted (evote.audit)
            with acting(actor_of(participant.id, participant.role_set)):
                return view(*args, **kwargs)

        setattr(guarded, ACTION_ATTRIBUTE, action)
        return guarded  # type: ignore[return-value]

    return decorate
