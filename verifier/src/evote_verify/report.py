"""The checklist: stable check ids, and the findings collected against them.

Ids are stable so that scripts (and the mutation tests) can name the check that must catch a
given kind of tampering. A failure always names the object (ballot, contest, selection,
guardian) and what was wrong with it.

A warning is not a failure: the record holds up mathematically, but something in it weakens what
it proves (a quorum of one: any single guardian could decrypt every ballot). A warned check has
status "warning", its warnings are listed apart from the failures, and the record still verifies
(exit status 0); a failure of the same check outranks its warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CHECKS: list[tuple[str, str]] = [
    ("V1", "standard parameters"),
    ("V2", "guardian keys and Schnorr proofs"),
    ("V3", "guardian count and coefficient commitments == quorum"),
    ("V4", "joint election key = product of guardian keys"),
    ("V5", "commitment hash"),
    ("V6", "manifest hash recomputed from the manifest"),
    ("V7", "base hash and extended base hash"),
    ("V8", "ballot structure matches manifest and style"),
    ("V9", "ballot elements in range and in the subgroup"),
    ("V10", "selection proofs (disjunctive 0/1)"),
    ("V11", "contest selection-limit proofs"),
    ("V12", "ballot hashes and tracking codes"),
    ("V13", "tracking code chain"),
    ("V14", "no ballot id or tracking code twice"),
    ("V15", "encrypted tally = product of cast ballots"),
    ("V16", "decryption share proofs"),
    ("V17", "compensated shares and Lagrange coefficients"),
    ("V18", "plaintext tally agrees with shares"),
    ("V19", "spoiled ballot decryptions"),
    ("V20", "tally labels agree with manifest"),
    ("V21", "evote: no ballot after the close of the vote"),
    ("V22", "evote: cast ballots <= eligible checked-in delegates"),
    ("V23", "evote: cast ballots signed by distinct roll keys"),
    ("V24", "evote: key ceremony fingerprint, confirmed by every guardian"),
    ("V25", "no selection ciphertext twice (weeding)"),
    ("V26", "evote: receipt key agrees with the context"),
    ("V27", "evote: a cancelled vote is decrypted by nobody"),
    ("V28", "evote: audit log chain holds the opening and close"),
]
CHECK_NAMES = dict(CHECKS)
MAX_LISTED = 100  # failures kept per check; the count is always exact


@dataclass
class Failure:
    check: str
    where: str
    what: str

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "where": self.where, "what": self.what}


@dataclass
class CheckTally:
    checked: int = 0
    failed: int = 0
    status: str = "pending"  # pending | ok | warning | failed | incomplete | skipped
    note: str = ""
    warned: int = 0


@dataclass
class Report:
    """Counts per check plus the named failures; merged from worker processes."""

    checks: dict[str, CheckTally] = field(default_factory=lambda: {c: CheckTally() for c, _ in CHECKS})
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    """Findings that weaken the record without breaking it; see the module docstring."""
    fingerprint: str | None = None
    """The key ceremony's fingerprint, recomputed from guardians/ (V24), for people to compare."""
    credentials: Any = None
    """What V23 found (credentials.RollSummary: roll size, revoked, cast), None without a roll."""
    audit_close: str | None = None
    """The audit log's head at the vote's close (V28), for people to compare with the minutes."""

    def ok(self, check: str, n: int = 1) -> None:
        self.checks[check].checked += n

    def fail(self, check: str, where: str, what: str) -> None:
        t = self.checks[check]
        t.checked += 1
        t.failed += 1
        if t.failed <= MAX_LISTED:
            self.failures.append(Failure(check, where, what))

    def warn(self, check: str, where: str, what: str) -> None:
        """Flag something that weakens the record; it does not count as a failure."""
        t = self.checks[check]
        t.warned += 1
        if t.warned <= MAX_LISTED:
            self.warnings.append(Failure(check, where, what))

    def incomplete(self, check: str, note: str) -> None:
        t = self.checks[check]
        t.status = "incomplete"
        t.note = note

    def skip(self, check: str, note: str) -> None:
        t = self.checks[check]
        if t.status != "incomplete":
            t.status = "skipped"
            t.note = note

    def merge(self, other: Report) -> None:
        for cid, t in other.checks.items():
            mine = self.checks[cid]
            mine.checked += t.checked
            mine.failed += t.failed
            mine.warned += t.warned
            if t.status in ("incomplete", "skipped") and mine.status == "pending":
                mine.status, mine.note = t.status, t.note
        listed = Counter(f.check for f in self.failures)
        for f in other.failures:
            if listed[f.check] < MAX_LISTED:
                self.failures.append(f)
                listed[f.check] += 1
        warned = Counter(w.check for w in self.warnings)
        for w in other.warnings:
            if warned[w.check] < MAX_LISTED:
                self.warnings.append(w)
                warned[w.check] += 1

    def finish(self) -> None:
        for t in self.checks.values():
            if t.failed:
                t.status = "failed"
            elif t.status == "pending" and t.warned:
                t.status = "warning"
                t.note = t.note or f"{t.warned} warning{'s' if t.warned > 1 else ''}, see warnings"
            elif t.status == "pending":
                t.status = "ok" if t.checked else "skipped"
                if t.status == "skipped" and not t.note:
                    t.note = "nothing to check"

    def failed_ids(self) -> set[str]:
        return {c for c, t in self.checks.items() if t.failed or t.status == "incomplete"}

    @property
    def passed(self) -> bool:
        return not self.failed_ids()

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "warned": bool(self.warnings),
            "ceremony_fingerprint": self.fingerprint,
            "credentials": self.credentials.as_dict() if self.credentials is not None else None,
            "audit_close": self.audit_close,
            "checks": [
                {
                    "id": cid,
                    "name": CHECK_NAMES[cid],
                    "status": t.status,
                    "checked": t.checked,
                    "failed": t.failed,
                    "warned": t.warned,
                    "note": t.note,
                }
                for cid, t in self.checks.items()
            ],
            "failures": [f.as_dict() for f in self.failures],
            "warnings": [w.as_dict() for w in self.warnings],
        }
