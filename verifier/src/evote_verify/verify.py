"""The whole verification of one record, in the order data flows through an election.

parameters → key ceremony (and its fingerprint) → context → ballots (in parallel) → encrypted
tally → decryption → spoiled ballots → evote extras. (V25, no ciphertext twice, runs with V14
right after the ballot pass.) A missing part marks the checks that need it incomplete; it
never stops the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gmpy2 import mpz

from .audit import check_audit
from .ballot_pass import BallotSummary, default_workers, run_ballot_pass
from .cancelled import check_cancelled
from .ceremony import check_ceremony
from .credentials import check_credentials
from .election import build_spec
from .extras import check_extras, check_receipt_key
from .group import parse_p
from .hashing import hash_elems
from .keys import check_constants, check_context, check_guardians
from .record import MissingPart, Record
from .report import Report
from .tally_checks import check_encrypted_tally, check_spoiled, check_tally
from .weeding import check_weeding

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total)"""

BALLOT_CHECKS = ("V8", "V9", "V10", "V11", "V12", "V13", "V14", "V15", "V19", "V21", "V22", "V25")


def _load(record: Record, name: str, rep: Report, checks: tuple[str, ...]) -> Any:
    try:
        return record.json(name)
    except MissingPart as exc:
        for c in checks:
            rep.incomplete(c, str(exc))
        return None


def _guarded(rep: Report, check: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one stage; malformed input it did not foresee becomes a failure of ``check``, not a crash.

    Every stage validates what it reads, but a record is hostile input: a type nobody expected
    in some nested field must still end in a report with exit status 1.
    """
    try:
        return fn(*args)
    except Exception as exc:  # the boundary between hostile input and the report
        rep.fail(check, "record", f"could not be checked, malformed input: {type(exc).__name__}: {exc}")
        return None


def verify(path: str | Path, workers: int | None = None, progress: Progress | None = None) -> Report:
    """Verify a record (directory or zip); raises UnreadableRecord if it is not one at all."""
    record = Record(path)
    rep = Report()
    workers = workers or default_workers()
    _guarded(rep, "V1", check_constants, record, rep)
    manifest = _load(record, "manifest.json", rep, ("V6", "V8", "V15", "V18", "V19", "V20"))
    ctx = _load(record, "context.json", rep, ("V3", "V4", "V5", "V7", "V8"))
    if manifest is not None and not isinstance(manifest, dict):
        rep.fail("V6", "manifest.json", "not a JSON object")
        manifest = None
    if ctx is not None and not isinstance(ctx, dict):
        rep.fail("V7", "context.json", "not a JSON object")
        ctx = None
    guardians = _guarded(rep, "V2", check_guardians, record, ctx, rep) or {}
    _guarded(rep, "V24", check_ceremony, record, ctx, guardians, rep)
    _guarded(rep, "V6", check_context, manifest, ctx, rep)
    if manifest is None or ctx is None:
        for c in BALLOT_CHECKS:
            rep.incomplete(c, "manifest.json or context.json missing")
        rep.finish()
        return rep
    try:
        joint, qx = parse_p(ctx["elgamal_public_key"]), parse_p(ctx["crypto_extended_base_hash"])
        mh = parse_p(ctx["manifest_hash"])
        spec = build_spec(manifest, joint, qx, mh)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        for c in BALLOT_CHECKS:
            rep.incomplete(c, f"context or manifest unusable: {exc}")
        rep.finish()
        return rep

    names = record.folder("submitted_ballots")
    total = len(names)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("ballots", done, total)

    if progress:
        progress("ballots", 0, total)
    results = _guarded(rep, "V8", run_ballot_pass, record, spec, names, workers, step) or []
    products: dict[tuple[str, str], tuple[mpz, mpz]] = {}
    summaries: list[BallotSummary] = []
    spoiled: dict[str, dict[tuple[str, str], tuple[mpz, mpz]]] = {}
    p = spec.group.p
    for res in results:
        rep.merge(res.report)
        summaries += res.summaries
        spoiled.update(res.spoiled)
        for key, (a, b) in res.products.items():
            acc = products.get(key)
            products[key] = (a, b) if acc is None else (acc[0] * a % p, acc[1] * b % p)
    _guarded(rep, "V14", check_unique, summaries, rep)
    _guarded(rep, "V25", check_weeding, record, summaries, rep)
    _guarded(rep, "V13", check_chain, record, summaries, mh, rep)
    if progress:
        progress("tally", 0, 1)
    encrypted = _guarded(rep, "V15", check_encrypted_tally, record, manifest, products, rep)
    quorum = ctx.get("quorum")
    args = (qx, guardians, quorum if isinstance(quorum, int) else 0)
    if not _guarded(rep, "V27", check_cancelled, record, manifest, rep):
        _guarded(rep, "V18", check_tally, record, manifest, encrypted, args, rep)
        _guarded(rep, "V19", check_spoiled, record, manifest, spoiled, summaries, args, rep)
    _guarded(rep, "V21", check_extras, record, manifest, summaries, rep)
    _guarded(rep, "V26", check_receipt_key, record, manifest, rep)
    _guarded(rep, "V28", check_audit, record, manifest, rep)
    rep.credentials = _guarded(rep, "V23", check_credentials, record, manifest, ctx, summaries, rep)
    if progress:
        progress("tally", 1, 1)
    rep.finish()
    return rep


def check_unique(summaries: list[BallotSummary], rep: Report) -> None:
    """V14: one ballot per id and one ballot per tracking code."""
    ids = Counter(s.object_id for s in summaries)
    codes = Counter(s.code for s in summaries if s.code is not None)
    ok = True
    for bid, n in ids.items():
        if n > 1:
            rep.fail("V14", f"ballot {bid}", f"ballot id appears {n} times")
            ok = False
    for s in summaries:
        if s.code is not None and codes[s.code] > 1:
            rep.fail("V14", f"ballot {s.object_id}", "tracking code also used by another ballot")
            ok = False
    if ok:
        rep.ok("V14", len(summaries))


def check_chain(record: Record, summaries: list[BallotSummary], manifest_hash: mpz, rep: Report) -> None:
    """V13: each code seed is a published device's hash or the code of another ballot.

    The reference encryptor chains codes (seed = previous ballot's code), evote seeds every code
    with the device hash; both pass. A seed pointing nowhere means a ballot is missing.
    """
    seeds = {manifest_hash}
    for name in record.folder("encryption_devices"):
        try:
            d = record.json(name)
            seeds.add(hash_elems(int(d["device_id"]), int(d["session_id"]), int(d["launch_code"]), str(d["location"])))
        except (MissingPart, KeyError, TypeError, ValueError) as exc:
            rep.fail("V13", name, f"unreadable device: {exc}")
    codes = {s.code for s in summaries}
    ok = True
    for s in summaries:
        if s.code_seed is not None and s.code_seed not in seeds and (s.code_seed not in codes or s.code_seed == s.code):
            rep.fail("V13", f"ballot {s.object_id}", "code_seed is neither a device hash nor another ballot's code")
            ok = False
    if ok:
        rep.ok("V13", len(summaries))
