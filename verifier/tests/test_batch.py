"""The batch test on its own: ballots changed after their cheap checks passed (so only the batch
can catch them) must never pass it, and ``settle`` must name the element."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import gmpy2
import pytest
from gmpy2 import mpz

from evote_verify.ballots import BallotReader, ParsedBallot
from evote_verify.election import ElectionSpec, build_spec
from evote_verify.group import STANDARD, parse_p
from evote_verify.proofs import batch_holds, settle
from evote_verify.record import Record
from evote_verify.report import Report

from .mutations import _outside_subgroup

P = STANDARD.p


def _parsed(rec: Path) -> tuple[list[ParsedBallot], ElectionSpec]:
    record = Record(rec)
    ctx = record.json("context.json")
    spec = build_spec(
        record.json("manifest.json"),
        parse_p(ctx["elgamal_public_key"]),
        parse_p(ctx["crypto_extended_base_hash"]),
        parse_p(ctx["manifest_hash"]),
    )
    rep = Report()
    reader = BallotReader(spec, rep)
    ballots = [reader.read(json.loads(record.read_bytes(n)), n) for n in record.folder("submitted_ballots")]
    assert not rep.failures
    return [b for b in ballots if b is not None], spec


def _replace(pb: ParsedBallot, index: int, field: str, fn: Callable[[mpz], mpz]) -> str:
    """Change one element of selection INDEX everywhere the parsed ballot keeps it."""
    d = pb.disjunctive[index]
    old = getattr(d, field)
    new = fn(old)
    setattr(d, field, new)
    for items in (pb.members, pb.commitments):
        for i, (where, name, x) in enumerate(items):
            if where == d.where and x is old:
                items[i] = (where, name, new)
                found = f"{where} {name}"
    return found


def _negate_a0(pb: ParsedBallot, spec: ElectionSpec) -> str:
    return _replace(pb, 0, "a0", lambda x: P - x)


def _negate_a0_and_b1(pb: ParsedBallot, spec: ElectionSpec) -> str:
    _replace(pb, 0, "b1", lambda x: P - x)
    return _replace(pb, 0, "a0", lambda x: P - x)


def _alpha_outside(pb: ParsedBallot, spec: ElectionSpec) -> str:
    return _replace(pb, 1, "alpha", _outside_subgroup)


def _commitment_outside(pb: ParsedBallot, spec: ElectionSpec) -> str:
    return _replace(pb, 2, "b0", _outside_subgroup)


def _compensated_outside(pb: ParsedBallot, spec: ElectionSpec) -> str:
    """α·z with a0·z^(-c0), a1·z^(-c1) and the contest's a·z^(-c): every proof equation still holds
    exactly, α is not in the subgroup. Only the membership term α^(q·e) can see it."""
    d = pb.disjunctive[0]
    z = _outside_subgroup(1)
    _replace(pb, 0, "a0", lambda x: x * gmpy2.powmod(z, -d.c0, P) % P)
    _replace(pb, 0, "a1", lambda x: x * gmpy2.powmod(z, -d.c1, P) % P)
    c = pb.constant[0]
    c.alpha = c.alpha * z % P
    c.a = c.a * gmpy2.powmod(z, -c.c, P) % P
    return _replace(pb, 0, "alpha", lambda x: x * z % P)


def _zero_challenges_alpha_outside(pb: ParsedBallot, spec: ElectionSpec) -> str:
    """Challenges 0 make the proofs hold for any α (a = g^v, b = K^v): the equations then give
    α exponent 0, and only the membership term α^(q·e) is left to see an α outside the subgroup."""
    g, k = STANDARD.g, spec.joint_key
    d, c = pb.disjunctive[0], pb.constant[0]
    d.c0 = d.c1 = c.c = mpz(0)
    _replace(pb, 0, "a0", lambda _: gmpy2.powmod(g, d.v0, P))
    _replace(pb, 0, "a1", lambda _: gmpy2.powmod(g, d.v1, P))
    _replace(pb, 0, "b0", lambda _: gmpy2.powmod(k, d.v0, P))
    _replace(pb, 0, "b1", lambda _: gmpy2.powmod(k, d.v1, P))
    c.a, c.b = gmpy2.powmod(g, c.v, P), gmpy2.powmod(k, c.v, P)
    z = _outside_subgroup(1)
    c.alpha = c.alpha * z % P
    return _replace(pb, 0, "alpha", lambda x: x * z % P)


CHANGES: dict[str, Callable[..., str]] = {
    "commitment negated (order-2 part)": _negate_a0,
    "two commitments negated": _negate_a0_and_b1,
    "ciphertext with an order r/2 part": _alpha_outside,
    "commitment with an order r/2 part": _commitment_outside,
    "ciphertext outside, equations compensated": _compensated_outside,
    "ciphertext outside, challenges zero": _zero_challenges_alpha_outside,
}


def test_valid_ballots_pass_the_batch(eg_record: Path) -> None:
    ballots, spec = _parsed(eg_record)
    assert all(batch_holds(ballots, spec) for _ in range(3))


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_changed_element_never_passes_the_batch(name: str, eg_record: Path) -> None:
    """16 fresh draws of weights: a test that caught an order-2 defect only half of the time
    (the Jacobi symbol of the product alone) would pass one of them with probability 1 - 2^-16."""
    ballots, spec = _parsed(eg_record)
    CHANGES[name](ballots[2], spec)
    assert not any(batch_holds(ballots, spec) for _ in range(16))


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_settle_names_the_changed_element(name: str, eg_record: Path) -> None:
    ballots, spec = _parsed(eg_record)
    where = CHANGES[name](ballots[2], spec)
    rep = Report()
    settle(ballots, spec, rep)
    v9 = [f for f in rep.failures if f.check == "V9"]
    assert where in [f.where for f in v9], rep.failures
    assert all(f"ballot {ballots[2].object_id} " in f.where for f in rep.failures)
