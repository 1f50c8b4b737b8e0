"""Cast a ballot in an evote vote with Microsoft's electionguard 1.4.0 package, not evote's code.

A worked example for docs/api.md ("Other ElectionGuard implementations"). It needs Python 3.10
with `pip install electionguard==1.4.0` and nothing else (urllib, not requests):

    python electionguard_client.py https://vote.example.org LOGIN PASSWORD 7 motion=yes
    python electionguard_client.py https://vote.example.org LOGIN PASSWORD 8 election=candidate-1,candidate-3
    python electionguard_client.py ... --challenge     # Benaloh challenge instead of casting
    python electionguard_client.py --offline motion=yes < vote.json > ballot.json

The two rules evote adds to ElectionGuard 1.x are marked RULE below: every ballot's code seed is
the hash of the vote's encryption device, and its timestamp is the vote's `ballot_timestamp`.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import logging
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

from electionguard.ballot import (
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    make_ciphertext_submitted_ballot,
)
from electionguard.election import CiphertextElectionContext
from electionguard.encrypt import EncryptionDevice, encrypt_ballot
from electionguard.manifest import InternalManifest, Manifest
from electionguard.serialize import from_raw, to_raw

BALLOT_STYLE = "delegate"  # evote's manifests have this one ballot style

# electionguard logs every encryption step to stdout at INFO; keep stdout for the ballot/receipt
logging.getLogger("electionguard").setLevel(logging.WARNING)


def encrypt_for_evote(
    vote: dict[str, Any], choices: dict[str, list[str]], challenge: bool = False
) -> dict[str, Any]:
    """The JSON to post, for `vote` as `GET /api/votes/{id}` returns it.

    `choices` maps a contest's object_id to the selection object_ids marked (see the manifest:
    `motion` with `yes`/`no`/`abstain`, `election` with `candidate-N`, ...).
    """
    manifest = from_raw(Manifest, json.dumps(vote["manifest"]))
    internal = InternalManifest(manifest)
    context = from_raw(CiphertextElectionContext, json.dumps(vote["context"]))

    # RULE 1: the code seed is the hash of the vote's one encryption device, for every ballot.
    # (EncryptionMediator would chain it to the previous ballot's code instead: refused.)
    device = EncryptionDevice(**vote["encryption_device"])
    code_seed = device.get_hash()

    plaintext = PlaintextBallot(
        f"ballot-{uuid.uuid4()}",  # random, unique in the vote
        BALLOT_STYLE,
        [
            PlaintextBallotContest(contest, [PlaintextBallotSelection(s, 1) for s in marked])
            for contest, marked in choices.items()
        ],
    )
    encrypted = encrypt_ballot(plaintext, internal, context, code_seed, should_verify_proofs=True)
    if encrypted is None:
        raise SystemExit("electionguard refused the choice (unknown id, or too many marks)")

    # RULE 2: the timestamp is the vote's ballot_timestamp. encrypt_ballot stamps the clock
    # instead, and the tracking code covers the timestamp, so rebuild the ballot with it; this
    # also drops every nonce (evote refuses a ballot that carries one: 400 ballot_has_nonce).
    # Keep `encrypted` (with its nonces) if you want to open a challenged ballot yourself.
    submitted = make_ciphertext_submitted_ballot(
        encrypted.object_id,
        encrypted.style_id,
        encrypted.manifest_hash,
        code_seed,
        encrypted.contests,
        None,  # the tracking code, recomputed from seed, timestamp and contents
        timestamp=vote["ballot_timestamp"],
        state=BallotBoxState.SPOILED if challenge else BallotBoxState.CAST,
    )
    result: dict[str, Any] = json.loads(to_raw(submitted))
    return result


class Evote:
    """A session with an evote server: cookie jar plus CSRF token, as docs/api.md describes."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.csrf = self.call("GET", "/api/csrf")["csrf_token"]

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if method != "GET":
            request.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(request, timeout=60) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            answer = json.load(error)
            status = f"{error.code} {answer['error']}"
            raise SystemExit(f"{method} {path}: {status}: {answer['message']}") from None

    def login(self, login: str, password: str) -> None:
        self.csrf = self.call("POST", "/api/auth/login", {"login": login, "password": password})[
            "csrf_token"
        ]


def parse_choices(items: list[str]) -> dict[str, list[str]]:
    choices: dict[str, list[str]] = {}
    for item in items:
        contest, _, marked = item.partition("=")
        choices[contest] = [s for s in marked.split(",") if s]
    return choices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offline", action="store_true", help="vote JSON on stdin, ballot JSON out")
    parser.add_argument("--challenge", action="store_true", help="challenge instead of cast")
    parser.add_argument("args", nargs="+", help="URL LOGIN PASSWORD VOTE_ID CONTEST=SEL[,SEL]...")
    options = parser.parse_args()
    if options.offline:
        vote = json.load(sys.stdin)
        ballot = encrypt_for_evote(vote, parse_choices(options.args), options.challenge)
        json.dump(ballot, sys.stdout)
        return
    base, login, password, vote_id, *choices = options.args
    server = Evote(base)
    server.login(login, password)
    vote = server.call("GET", f"/api/votes/{int(vote_id)}")  # manifest, context, device, timestamp
    ballot = encrypt_for_evote(vote, parse_choices(choices), options.challenge)
    endpoint = "spoiled-ballots" if options.challenge else "ballots"
    receipt = server.call("POST", f"/api/votes/{int(vote_id)}/{endpoint}", ballot)
    print(json.dumps(receipt))  # {"vote_id": 7, "tracking_code": "...", "state": "cast"}


if __name__ == "__main__":
    main()
