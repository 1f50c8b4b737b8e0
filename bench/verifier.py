"""Speed of the standalone verifier's ballot pass: batched vs one proof at a time.

    python -m bench.verifier [--ballots 60] [--copies 70] [--workers N] [--baseline 10]
                             [--weight-bits 64] [--record RECORD.zip]

Input: an `eg e2e` record (bench/record.py, cached) of BALLOTS ballots with 10 selections each
(placeholders included). To reach batch sizes like a real convention's without hours of
encryption, its cast ballots are replicated COPIES times under new ids, with their ballot hash
and tracking code recomputed, so each copy is a valid ballot with valid proofs (only the tally,
which this benchmark does not time, would no longer match).

Measured in the same run, on the same ballots:
  - one at a time: each proof and subgroup test checked on its own;
  - batched, in chunks of CHUNK ballots in one process: the batch size a record of 100,000
    ballots gets (a batch gets cheaper per proof as it grows, so smaller test records would
    overstate the cost);
  - batched, the whole ballot pass in N processes, as `evote-verify` runs it on this record.
Prints selections per second (wall clock), CPU time per selection and the ratio of CPU times
(fair when other jobs share the machine), and the projected time for 100,000 ballots of 10
selections (1,000,000 selections) on this machine's cores when idle: CPU per selection of the
CHUNK-sized batches / cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
import zipfile
from pathlib import Path

from evote_verify import proofs
from evote_verify.ballot_pass import CHUNK, check_chunk, default_workers, run_ballot_pass
from evote_verify.election import build_spec
from evote_verify.group import parse_p, to_hex
from evote_verify.hashing import hash_elems
from evote_verify.record import Record
from evote_verify.report import Report
from evote_verify.verify import verify

from .record import election_record

TARGET_SELECTIONS = 1_000_000


def scaled_record(source: Path, copies: int, into: Path) -> Path:
    """Unzip SOURCE into INTO and add COPIES renamed copies of every cast ballot."""
    with zipfile.ZipFile(source) as z:
        z.extractall(into)
    ctx = json.loads((into / "context.json").read_text())
    manifest_hash = parse_p(ctx["manifest_hash"])
    folder = into / "submitted_ballots"
    originals = [json.loads(f.read_text()) for f in sorted(folder.glob("*.json"))]
    for k in range(1, copies):
        for b in originals:
            if b["state"] != 1:
                continue
            c = dict(b)
            c["object_id"] = f"{b['object_id']}-copy{k}"
            contests = sorted(b["contests"], key=lambda x: x["sequence_order"])
            bh = hash_elems(
                c["object_id"], manifest_hash, *[parse_p(x["crypto_hash"]) for x in contests]
            )
            c["crypto_hash"] = to_hex(bh)
            c["code"] = to_hex(hash_elems(parse_p(b["code_seed"]), b["timestamp"], bh))
            (folder / f"submitted_ballot_{c['object_id']}.json").write_text(json.dumps(c))
    return into


def _selections(rep: Report) -> int:
    return rep.checks["V10"].checked


def _clean(rep: Report) -> None:
    bad = [f for f in rep.failures if f.check in ("V8", "V9", "V10", "V11", "V12")]
    if bad:
        raise SystemExit(f"benchmark record does not verify: {bad[:3]}")


def _cpu() -> float:
    """CPU seconds of this process and its finished children: fair on a machine shared with others."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def machine() -> str:
    """nproc and CPU model, for the record of where a number was measured."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{default_workers()} cores, {model}, {time.strftime('%Y-%m-%d', time.gmtime())}"


def whole_record(path: Path, workers: int) -> None:
    """Wall and CPU time of a complete `verify` (all checks, tally included) of an existing record."""
    t, c = time.perf_counter(), _cpu()
    rep = verify(path, workers=workers)
    wall, cpu = time.perf_counter() - t, _cpu() - c
    n = _selections(rep)
    print(
        f"whole record {path.name}: {'verified' if rep.passed else 'NOT verified'}, {n} selections, "
        f"{wall:.2f} s wall, {n / wall:.1f} sel/s, {cpu / max(n, 1) * 1e3:.3f} ms CPU per selection ({workers} workers)"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=60)
    ap.add_argument("--copies", type=int, default=70, help="enough for one full chunk of CHUNK ballots")
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--baseline", type=int, default=10, help="ballots checked one proof at a time")
    ap.add_argument("--weight-bits", type=int, default=64)
    ap.add_argument("--record", type=Path, help="also time the whole verification of this record")
    a = ap.parse_args(argv)
    proofs.set_weight_bits(a.weight_bits)
    if a.record:
        whole_record(a.record, a.workers)
    source = election_record(a.ballots)
    with tempfile.TemporaryDirectory() as tmp:
        rec_dir = scaled_record(source, a.copies, Path(tmp) / "rec")
        record = Record(rec_dir)
        manifest = record.json("manifest.json")
        ctx = record.json("context.json")
        spec = build_spec(
            manifest,
            parse_p(ctx["elgamal_public_key"]),
            parse_p(ctx["crypto_extended_base_hash"]),
            parse_p(ctx["manifest_hash"]),
        )
        names = record.folder("submitted_ballots")
        print(f"machine: {machine()}")
        print(
            f"record: {len(names)} ballots ({a.ballots} from eg e2e x {a.copies} copies), weights {a.weight_bits} bits"
        )
        print(
            f"{'':28}{'selections':>10} {'wall s':>8} {'sel/s':>9} {'CPU ms/sel':>11} {'ratio (CPU)':>12}"
        )

        t, c = time.perf_counter(), _cpu()
        base = check_chunk(record, spec, names[: a.baseline], batch=False).report
        wall, cpu = time.perf_counter() - t, _cpu() - c
        _clean(base)
        n = _selections(base)
        base_cpu = cpu / n
        print(
            f"{'one at a time, 1 process':28}{n:10d} {wall:8.2f} {n / wall:9.1f} {base_cpu * 1e3:11.3f} {1.0:11.1f}x"
        )

        t, c = time.perf_counter(), _cpu()
        rep = Report()
        for i in range(0, len(names), CHUNK):
            rep.merge(check_chunk(record, spec, names[i : i + CHUNK]).report)
        wall, cpu = time.perf_counter() - t, _cpu() - c
        _clean(rep)
        n = _selections(rep)
        chunk_cpu = cpu / n
        label = f"batched, chunks of {min(CHUNK, len(names))}"
        print(
            f"{label:28}{n:10d} {wall:8.2f} {n / wall:9.1f} {chunk_cpu * 1e3:11.3f} {base_cpu / chunk_cpu:11.1f}x"
        )

        t, c = time.perf_counter(), _cpu()
        results = run_ballot_pass(record, spec, names, a.workers)
        wall, cpu = time.perf_counter() - t, _cpu() - c
        rep = Report()
        for r in results:
            rep.merge(r.report)
        _clean(rep)
        n = _selections(rep)
        per = cpu / n
        label = f"batched, {a.workers} process{'es' if a.workers > 1 else ''}"
        print(f"{label:28}{n:10d} {wall:8.2f} {n / wall:9.1f} {per * 1e3:11.3f} {base_cpu / per:11.1f}x")
        cores = default_workers()
        print(
            f"projected for 100,000 ballots x 10 selections on {cores} idle cores: "
            f"{TARGET_SELECTIONS * chunk_cpu / cores:6.0f} s batched, "
            f"{TARGET_SELECTIONS * base_cpu / cores:6.0f} s one at a time (goal: 300 s)"
        )


if __name__ == "__main__":
    main()
