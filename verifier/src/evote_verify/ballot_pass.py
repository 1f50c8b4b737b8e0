"""The ballot pass: all submitted ballots, in chunks, across worker processes.

A worker reads its chunk of ballot files, runs the cheap checks, settles the proofs by batch,
and hands back only small results: its findings, the per-selection product of the CAST
ballots' ciphertexts (for check V15), a summary line per ballot (for V13, V14, V21, V22, with
16 bytes per selection ciphertext for V25) and the ciphertexts of SPOILED ballots (for V19).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from gmpy2 import mpz

from . import proofs
from .ballots import CAST, SPOILED, BallotReader
from .election import ElectionSpec
from .proofs import check_one, settle
from .record import MissingPart, Record
from .report import Report

Key = tuple[str, str]
CHUNK = 4000
MIN_CHUNK = 500
"""Most ballots per batch: bigger batches make the multi-exponentiation cheaper per base."""


@dataclass
class BallotSummary:
    object_id: str
    file: str
    state: int
    code: mpz | None
    code_seed: mpz | None
    timestamp: int | None
    ciphertexts: bytes = b""
    """The keys of all its selection ciphertexts, concatenated (hashing.ciphertext_key), for V25."""
    crypto_hash: mpz | None = None
    """The ballot's hash as recomputed (V12), which its credential signature covers (V23)."""


@dataclass
class ChunkResult:
    report: Report
    products: dict[Key, tuple[mpz, mpz]] = field(default_factory=dict)
    summaries: list[BallotSummary] = field(default_factory=list)
    spoiled: dict[str, dict[Key, tuple[mpz, mpz]]] = field(default_factory=dict)


_record: Record | None = None
_spec: ElectionSpec | None = None


def _init(path: str, spec: ElectionSpec, weight_bits: int) -> None:
    global _record, _spec
    _record = Record(path)
    _spec = spec
    proofs.set_weight_bits(weight_bits)


def _chunk(names: list[str]) -> ChunkResult:
    assert _record is not None and _spec is not None
    return check_chunk(_record, _spec, names)


def check_chunk(record: Record, spec: ElectionSpec, names: list[str], batch: bool = True) -> ChunkResult:
    """Check these ballot files; ``batch=False`` is the one-proof-at-a-time path (benchmark baseline)."""
    rep = Report()
    out = ChunkResult(rep)
    reader = BallotReader(spec, rep)
    p = spec.group.p
    parsed = []
    for name in names:
        try:
            raw = json.loads(record.read_bytes(name))
        except (MissingPart, ValueError) as exc:
            rep.fail("V8", name, f"unreadable ballot file: {exc}")
            continue
        pb = reader.read(raw, name) if isinstance(raw, dict) else None
        if pb is None:
            if not isinstance(raw, dict):
                rep.fail("V8", name, "ballot file is not a JSON object")
            continue
        parsed.append(pb)
        out.summaries.append(
            BallotSummary(pb.object_id, name, pb.state, pb.code, pb.code_seed, pb.timestamp, b"".join(pb.ciphertext_keys), pb.crypto_hash)
        )
        if pb.state == CAST:
            for key, (a, b) in pb.ciphertexts.items():
                acc = out.products.get(key)
                out.products[key] = (a, b) if acc is None else (acc[0] * a % p, acc[1] * b % p)
        elif pb.state == SPOILED:
            out.spoiled[pb.object_id] = dict(pb.ciphertexts)
    if batch:
        settle(parsed, spec, rep)
    else:
        for pb in parsed:
            check_one(pb, spec, rep)
    return out


def _chunks(names: list[str], workers: int) -> Iterator[list[str]]:
    # big (a batch gets cheaper per proof as it grows), but at least four per worker once
    # chunks can stay above MIN_CHUNK, so that workers finish together and the bar moves
    per_worker = -(-len(names) // max(1, workers))
    size = max(1, min(CHUNK, per_worker, max(MIN_CHUNK, -(-per_worker // 4))))
    for i in range(0, len(names), size):
        yield names[i : i + size]


def run_ballot_pass(
    record: Record,
    spec: ElectionSpec,
    names: list[str],
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> list[ChunkResult]:
    results: list[ChunkResult] = []
    chunks = list(_chunks(names, workers))
    if workers <= 1 or len(chunks) <= 1:
        for ch in chunks:
            results.append(check_chunk(record, spec, ch))
            if progress:
                progress(len(ch))
        return results
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(str(record.path), spec, proofs.WEIGHT_BITS)) as pool:
        for ch, res in zip(chunks, pool.map(_chunk, chunks), strict=True):
            results.append(res)
            if progress:
                progress(len(ch))
    return results


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
