"""Requests cost a fixed number of queries, however many delegates the event has.

The load test of issue 4 asks for 1,000 delegates at once; a list or identity check that issued
one query per participant would fall over long before that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from server_helpers import Api, Person
from sqlalchemy import event

from evote.rules.roles import Role
from evote.store.db import get_engine


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = get_engine(app)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _queries(app: Flask, call: Callable[[], object]) -> int:
    with counting(app) as statements:
        call()
    return len(statements)


def test_lists_and_identity_do_not_grow_with_the_event(
    app: Flask, logged_in: Callable[..., Api], person: Callable[..., Person]
) -> None:
    admin = logged_in(Role.ADMIN)
    support = logged_in(Role.SUPPORT)
    chair = logged_in(Role.PRESIDIUM)
    calls = {
        "admin list": lambda: admin.get("/api/admin/participants"),
        "support search": lambda: support.get("/api/support/participants?q=example"),
        "me": lambda: admin.get("/api/me"),
        "attendance": lambda: chair.get("/api/presidium/attendance"),
    }
    for _ in range(2):
        person(Role.DELEGATE, groups=["a", "b"])
    small = {name: _queries(app, call) for name, call in calls.items()}
    for _ in range(10):
        person(Role.DELEGATE, groups=["a", "b"], checked_in=True)
    large = {name: _queries(app, call) for name, call in calls.items()}
    assert large == small
    assert all(count <= 6 for count in small.values()), small
