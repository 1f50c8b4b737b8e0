"""Strict JSON, evote's canonical encoding, and the versioned evote/vote.json and evote/scripts.json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evote.record.errors import InvalidRecord
from evote.record.extras import VoteInfo, decode_extra, encode_extra
from evote.record.jsonio import canonical_json, package_json, parse_json
from evote.record.scripts import ScriptsInfo


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": NaN}', "not a JSON number"),
        (b'{"a": Infinity}', "not a JSON number"),
        (b"\xff\xfe{}", "not valid UTF-8 JSON"),
        (b'{"a": ', "not valid UTF-8 JSON"),
        (b'{"a": ' + b"7" * 5000 + b"}", "not valid UTF-8 JSON"),  # past Python's int limit
    ],
)
def test_parse_refuses_ambiguous_json(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidRecord, match=message) as info:
        parse_json(raw, "tally.json")
    assert str(info.value).startswith("tally.json: ")


def test_package_json_is_the_packages_spacing() -> None:
    assert package_json({"b": [1, "x"], "a": None}) == b'{"b": [1, "x"], "a": null}'


def test_canonical_json_sorts_and_strips() -> None:
    doc = {"version": 1, "type": "evote/x", "b": {"z": [1, True, None], "a": "ä\n"}}
    assert (
        canonical_json(doc)
        == '{"b":{"a":"ä\\n","z":[1,true,null]},"type":"evote/x","version":1}'.encode()
    )
    # same content, different insertion order: same bytes
    assert canonical_json(dict(reversed(list(doc.items())))) == canonical_json(doc)


@pytest.mark.parametrize(
    "bad", [{"x": 1.5}, {"é": 1}, {"x": b"bytes"}, {"x": [{"y": float("nan")}]}]
)
def test_canonical_json_refuses_what_has_no_single_spelling(bad: dict) -> None:
    with pytest.raises(InvalidRecord):
        canonical_json(bad)


def vote() -> VoteInfo:
    return VoteInfo(
        vote_id="motion-7",
        closed_at=datetime(2026, 11, 28, 10, 15, tzinfo=UTC),
        eligible_voters=412,
        ballots_cast=398,
        ballots_spoiled=3,
        ballot_timestamp=1_795_860_900,
    )


def test_vote_info_round_trips_through_canonical_bytes() -> None:
    data = encode_extra(vote().to_json(), "evote/vote.json")
    assert data.startswith(b'{"ballot_timestamp":1795860900,"ballots_cast":398')
    assert b'"closed_at":"2026-11-28T10:15:00Z"' in data
    assert b'"type":"evote/vote","version":1' in data
    assert VoteInfo.from_json(decode_extra(data, "evote/vote.json")) == vote()


def test_times_are_written_in_utc() -> None:
    cet = timezone(timedelta(hours=1))
    info = VoteInfo("v", datetime(2026, 11, 28, 11, 15, tzinfo=cet), 1, 1, 0, 0)
    assert info.to_json()["closed_at"] == "2026-11-28T10:15:00Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        VoteInfo("v", datetime(2026, 11, 28, 11, 15), 1, 1, 0, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "expected evote/vote version 1"),
        ({"type": "evote/other"}, "expected evote/vote"),
        ({"type": "vote"}, "'type' must be a string starting with 'evote/'"),
        ({"version": "1"}, "'version' must be a positive integer"),
        ({"version": True}, "'version' must be a positive integer"),
        ({"closed_at": "2026-11-28 10:15"}, "expected a UTC time"),
        ({"closed_at": "2026-02-30T10:15:00Z"}, "not a real time"),
        ({"eligible_voters": -1}, "non-negative integer"),
        ({"ballots_cast": "3"}, "non-negative integer"),
        ({"vote_id": ""}, "vote_id"),
    ],
)
def test_vote_info_refuses_malformed_files(change: dict, message: str) -> None:
    doc = {**vote().to_json(), **change}
    with pytest.raises(InvalidRecord, match=message):
        VoteInfo.from_json(doc)


def test_extra_files_must_be_typed_objects() -> None:
    with pytest.raises(InvalidRecord, match="JSON object"):
        decode_extra(b"[1]", "evote/x.json")
    with pytest.raises(InvalidRecord, match="'version'"):
        encode_extra({"type": "evote/x"}, "evote/x.json")


def test_extra_digest_is_tagged_sha256_of_the_canonical_bytes() -> None:
    from hashlib import sha256

    from evote.record.extras import extra_digest

    doc = vote().to_json()
    expected = sha256(b"evote/vote/1\x00" + encode_extra(doc, "evote/vote.json")).digest()
    assert extra_digest(doc) == expected
    assert extra_digest({**doc, "version": 2}) != expected
    assert extra_digest(dict(reversed(list(doc.items())))) == expected


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet="abcXYZ_-09", max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(_json)
def test_canonical_bytes_parse_back_and_are_a_fixed_point(document: object) -> None:
    encoded = canonical_json(document)
    parsed = parse_json(encoded, "doc")
    assert parsed == document
    assert canonical_json(parsed) == encoded


def test_scripts_info_round_trips_and_refuses_malformed_entries() -> None:
    entry = {
        "path": "/js/worker.js", "source": "web/js/worker.js", "sha256": "ab" * 32,
        "integrity": "sha384-" + "A" * 64,
    }
    doc = {"type": "evote/scripts", "version": 1, "files": [entry]}
    assert ScriptsInfo.from_json(doc).to_json() == doc
    assert parse_json(encode_extra(doc, "evote/scripts.json"), "x") == doc
    for change, message in (
        ({"path": "/etc/passwd"}, "path"),
        ({"path": "/js/../x.js"}, "path"),
        ({"source": "src/evote/app.py"}, "source"),
        ({"sha256": "AB" * 32}, "sha256"),
        ({"integrity": "sha256-" + "A" * 43}, "integrity"),
    ):
        with pytest.raises(InvalidRecord, match=message):
            ScriptsInfo.from_json({**doc, "files": [{**entry, **change}]})
    with pytest.raises(InvalidRecord, match="sorted"):
        ScriptsInfo.from_json({**doc, "files": [entry, entry]})
    with pytest.raises(InvalidRecord, match="version 1"):
        ScriptsInfo.from_json({**doc, "version": 2})
    with pytest.raises(InvalidRecord, match="'files' must be a list"):
        ScriptsInfo.from_json({"type": "evote/scripts", "version": 1})
