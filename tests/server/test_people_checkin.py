"""Check-in: only once the event is open; it gates voting; the presidium sees the quorum."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from server_helpers import Api, Person, deactivate, make_event, make_person

from evote.people.attendance import can_vote, quorum_needed
from evote.rules.majority import Quorum
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.event import Event, EventStatus
from evote.store.models.people import Participant


def test_check_in_is_refused_before_the_event_opens(app: Flask, new_api: Callable[[], Api]) -> None:
    draft = make_event(app, "draft", status=EventStatus.DRAFT)
    someone = make_person(app, draft, [Role.DELEGATE])
    browser = new_api()
    browser.login(someone)
    resp = browser.post("/api/checkin")
    assert resp.status_code == 409
    assert resp.get_json()["error"] == "checkin_refused"
    assert browser.get("/api/me").get_json()["checked_in"] is False


def test_check_in_makes_a_delegate_able_to_vote_and_is_idempotent(
    logged_in: Callable[..., Api],
) -> None:
    browser = logged_in(Role.DELEGATE)
    assert browser.get("/api/me").get_json()["can_vote"] is False
    first = browser.check_in().get_json()
    assert first["can_vote"] is True
    second = browser.check_in().get_json()
    assert second["checked_in_at"] == first["checked_in_at"]
    assert browser.get("/api/me").get_json()["can_vote"] is True


@pytest.mark.parametrize(
    ("roles", "voting_right"),
    [((Role.GUEST_DELEGATE,), False), ((Role.DELEGATE,), False), ((Role.PRESIDIUM,), False)],
)
def test_checked_in_without_a_vote_cannot_vote(
    logged_in: Callable[..., Api], roles: tuple[Role, ...], voting_right: bool
) -> None:
    browser = logged_in(*roles, voting_right=voting_right)
    assert browser.check_in().get_json()["can_vote"] is False


def test_can_vote_needs_an_active_account(app: Flask, person: Callable[..., Person]) -> None:
    someone = person(Role.DELEGATE, checked_in=True)
    with app.app_context():
        p = get_session().get(Participant, someone.id)
        assert p is not None and can_vote(p)
        p.active = False
        assert not can_vote(p)


def test_presidium_sees_attendance_and_quorum(
    app: Flask, event_id: int, person: Callable[..., Person], logged_in: Callable[..., Api]
) -> None:
    presidium = logged_in(Role.PRESIDIUM, Role.DELEGATE, checked_in=True)
    delegates = [person(Role.DELEGATE) for _ in range(4)]
    person(Role.GUEST_DELEGATE, checked_in=True)
    person(Role.DELEGATE, voting_right=False, checked_in=True)

    def view() -> dict:
        resp = presidium.get("/api/presidium/attendance")
        assert resp.status_code == 200
        return resp.get_json()

    first = view()
    # 5 voting members (4 delegates + the presidium member), 1 of them checked in
    assert first["voting_members"] == 5
    assert first["voting_checked_in"] == 1
    assert first["checked_in"] == 3
    assert first["quorum_needed"] == 3  # more than half of 5
    assert first["quorate"] is False
    for d in delegates[:2]:
        browser = Api(app.test_client())
        browser.login(d)
        browser.check_in()
    second = view()
    assert second["voting_checked_in"] == 3
    assert second["quorate"] is True
    assert second["quorum_rule"] == {"numerator": 1, "denominator": 2, "strict": True}


def test_deactivated_delegates_do_not_count(
    app: Flask, person: Callable[..., Person], logged_in: Callable[..., Api]
) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    gone = person(Role.DELEGATE, checked_in=True)
    person(Role.DELEGATE)
    deactivate(app, gone)
    body = presidium.get("/api/presidium/attendance").get_json()
    assert body["voting_members"] == 1 and body["voting_checked_in"] == 0


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize(("num", "den"), [(0, 1), (1, 2), (2, 3), (1, 1), (1, 3)])
def test_quorum_needed_agrees_with_the_majority_module(num: int, den: int, strict: bool) -> None:
    """The number shown to the presidium is exactly the threshold of ``Quorum.is_met``."""
    event = Event(quorum_numerator=num, quorum_denominator=den, quorum_strict=strict)
    rule = Quorum(num, den, strict)
    for members in range(0, 40):
        needed = quorum_needed(event, members)
        met = [present for present in range(members + 1) if rule.is_met(present, members)]
        assert (met[0] if met else members + 1) == needed


def test_event_open_and_close_by_presidium(app: Flask, new_api: Callable[[], Api]) -> None:
    draft = make_event(app, "later", status=EventStatus.DRAFT)
    chair = new_api()
    chair.login(make_person(app, draft, [Role.PRESIDIUM]))
    assert chair.post("/api/event/close").status_code == 409  # draft cannot close
    assert chair.post("/api/event/open").get_json() == {"status": "open"}
    assert chair.post("/api/event/open").status_code == 409
    assert chair.post("/api/checkin").status_code == 200
    assert chair.post("/api/event/close").get_json() == {"status": "closed"}
    assert chair.post("/api/event/open").status_code == 409  # closed stays closed


def test_cli_opens_and_closes_the_event(app: Flask, cli, new_api: Callable[[], Api]) -> None:  # type: ignore[no-untyped-def]
    draft = make_event(app, "cli", status=EventStatus.DRAFT)
    browser = new_api()
    browser.login(make_person(app, draft, [Role.DELEGATE]))
    assert browser.post("/api/checkin").status_code == 409
    assert cli("event", "open", "cli").exit_code == 0
    assert browser.post("/api/checkin").status_code == 200
    assert cli("event", "close", "cli").exit_code == 0
    with app.app_context():
        event = get_session().get(Event, draft)
        assert event is not None and event.status == "closed"
        assert event.opened_at is not None and event.closed_at is not None
    assert cli("event", "open", "nope").exit_code != 0


def test_concurrent_check_ins_keep_one_time(app: Flask, person: Callable[..., Person]) -> None:
    """Two sessions check the same participant in; the first stored time wins."""
    from datetime import UTC, datetime

    from evote.people.attendance import check_in

    someone = person(Role.DELEGATE)
    first, second = datetime(2026, 11, 28, 9, 0, tzinfo=UTC), datetime(2026, 11, 28, 9, 5, tzinfo=UTC)
    with app.app_context():
        from sqlalchemy.orm import Session

        from evote.store.db import get_engine

        engine = get_engine(app)
        with Session(engine) as a, Session(engine) as b:
            pa, pb = a.get(Participant, someone.id), b.get(Participant, someone.id)
            assert pa is not None and pb is not None
            assert pa.checked_in_at is None and pb.checked_in_at is None  # both read "not yet"
            assert check_in(pa, first) == first
            a.commit()
            assert check_in(pb, second) == first
            b.commit()


def test_cli_sets_the_quorum_rule(app: Flask, cli, logged_in: Callable[..., Api]) -> None:  # type: ignore[no-untyped-def]
    chair = logged_in(Role.PRESIDIUM)  # event "bpt" from the fixture, more than 1/2
    assert cli("event", "set-quorum", "bpt", "2/3", "--at-least").exit_code == 0
    rule = chair.get("/api/presidium/attendance").get_json()["quorum_rule"]
    assert rule == {"numerator": 2, "denominator": 3, "strict": False}
    assert cli("event", "set-quorum", "bpt", "3/2").exit_code != 0
    assert cli("event", "set-quorum", "bpt", "half").exit_code != 0
    listing = cli("event", "list").output
    assert "bpt\topen\t>=2/3\t" in listing


def test_can_vote_in_sql_equals_can_vote_in_python(app: Flask, event_id: int, person: Callable[..., Person]) -> None:
    """Every combination of role, voting right, check-in and active flag, plus another event."""
    from itertools import product

    from sqlalchemy import select

    from evote.people.attendance import can_vote_clause

    for roles, right, checked_in in product(
        [(Role.DELEGATE,), (Role.GUEST_DELEGATE,), (Role.PRESIDIUM, Role.DELEGATE), (Role.SUPPORT,)],
        [False, True],
        [False, True],
    ):
        if right and Role.DELEGATE not in roles:
            continue
        person(*roles, voting_right=right, checked_in=checked_in)
    deactivated = person(Role.DELEGATE, checked_in=True)
    elsewhere = make_event(app, "elsewhere")
    make_person(app, elsewhere, [Role.DELEGATE], checked_in=True)
    deactivate(app, deactivated)
    with app.app_context():
        db = get_session()
        everyone = db.scalars(select(Participant).where(Participant.event_id == event_id)).all()
        in_python = {p.id for p in everyone if can_vote(p)}
        in_sql = set(db.scalars(select(Participant.id).where(can_vote_clause(event_id))))
        assert in_sql == in_python and len(in_python) == 2
