"""The rehearsal tool's parts that need no server: the SSE reader, the HTTP client's framing,
the lost/doubled arithmetic, who resends, the URL rule, and the commands' refusals."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from evote.rehearsal import folder as rehearsal_folder
from evote.rehearsal.command import rehearse_group
from evote.rehearsal.delegate import DelegateLog, assign_resends
from evote.rehearsal.folder import GuardianSeat, Login, Prepared
from evote.rehearsal.http import Browser, Server, check_server_url
from evote.rehearsal.metrics import delays, percentile, tally
from evote.rehearsal.sse import SseParser

STREAM = (
    "retry: 3000\n\n"
    'event: snapshot\ndata: {"type":"snapshot","agenda":"Gr\\u00fc\\u00dfe","open_vote":null}\n\n'
    ": heartbeat 2026-12-06T10:00:00+00:00\n\n"
    'event: vote_opened\ndata: {"vote_id":7,"title":"Antrag \u00e4"}\r\n\r\n'
).encode()


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, len(STREAM)])
def test_sse_events_come_out_whole_however_the_body_is_cut(size: int) -> None:
    parser = SseParser()
    found = []
    for i in range(0, len(STREAM), size):
        found += parser.feed(STREAM[i : i + size])
    assert [m.type for m in found] == ["snapshot", "vote_opened"]
    assert found[0].data["agenda"] == "Grüße" and found[1].data == {"vote_id": 7, "title": "Antrag ä"}
    assert parser.retry_ms == 3000


def test_an_event_without_its_blank_line_is_not_given_out_yet() -> None:
    parser = SseParser()
    assert parser.feed(b'event: vote_closed\ndata: {"vote_id":1}\n') == []
    [closed] = parser.feed(b"\n")
    assert closed.type == "vote_closed" and closed.data == {"vote_id": 1}


def test_http_client_reads_chunked_and_sized_bodies_and_keeps_the_cookie() -> None:
    """A tiny server on the loopback: a chunked reply with a cookie, then on the same kept-alive
    connection a sized reply; the browser sends the cookie and the CSRF token back."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for reply in (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: evote_session=abc; "
            b"HttpOnly; Path=/\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
            b"HTTP/1.1 201 CREATED\r\nContent-Length: 8\r\n\r\n{\"b\":2}\n",
        ):
            head = await reader.readuntil(b"\r\n\r\n")
            length = [int(x.split(b":")[1]) for x in head.split(b"\r\n")
                      if x.lower().startswith(b"content-length")]  # fmt: skip
            seen.append(head + (await reader.readexactly(length[0]) if length else b""))
            writer.write(reply)
            await writer.drain()
        writer.close()

    async def scenario() -> tuple[int, object, int, object]:
        srv = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = srv.sockets[0].getsockname()[1]
        browser = Browser(Server.from_url(f"http://127.0.0.1:{port}"), timeout=10)
        first = await browser.request("GET", "/api/csrf")
        browser.csrf = "token"
        second = await browser.request("POST", "/api/checkin", {"x": 1})
        browser.close()
        srv.close()
        return first.status, first.json(), second.status, second.json()

    assert asyncio.run(scenario()) == (200, {"a": 1}, 201, {"b": 2})
    assert b"Cookie: evote_session=abc" in seen[1] and b"X-CSRF-Token: token" in seen[1]
    assert b"Cookie" not in seen[0] and b"X-CSRF-Token" not in seen[0]
    assert seen[1].endswith(b'{"x": 1}')


def _log(i: int, code: str | None, receipt: str | None, choice: str = "yes") -> DelegateLog:
    log = DelegateLog(i, choice)
    log.tracking_code, log.receipt = code, receipt
    return log


def test_lost_doubled_and_unacknowledged_are_told_apart() -> None:
    logs = [_log(0, "aa", "AA"), _log(1, "bb", "BB", "no"), _log(2, "cc", None), _log(3, None, None)]
    clean = tally(logs, ["AA", "BB"])
    assert (clean.lost, clean.doubled, clean.unacknowledged, clean.casters) == (0, 0, 1, 2)
    assert clean.expected_totals == {"yes": 1, "no": 1}
    lost = tally(logs, ["AA"])
    assert (lost.lost, lost.doubled) == (1, 0)
    doubled = tally(logs, ["AA", "BB", "AA", "FF"])
    assert (doubled.lost, doubled.doubled, doubled.in_record) == (0, 2, 4)
    stored_without_receipt = tally(logs, ["AA", "BB", "CC"])
    assert (stored_without_receipt.doubled, stored_without_receipt.unacknowledged) == (0, 1)


def test_percentiles_are_measured_values_and_missing_pages_count() -> None:
    assert percentile([float(x) for x in range(1, 1001)], 0.99) == 990.0
    assert percentile([], 0.5) is None
    logs = [_log(0, None, None), _log(1, None, None)]
    logs[0].opened_seen[5] = (10.5, "event")
    found = delays(logs, "opened", 5, 10.0)
    assert found["max"] == 0.5 and found["missing"] == 1 and found["via_snapshot"] == 0


def test_about_the_share_of_delegates_resend_and_at_least_one() -> None:
    marks = assign_resends(1000, 0.05)
    assert marks.count("together") == marks.count("after") == 25
    assert assign_resends(6, 0.05).count("") == 5
    assert assign_resends(6, 0.0) == [""] * 6


@pytest.mark.parametrize("url", ["http://vote.example.org", "ftp://x", "https://", "https://a/b"])
def test_urls_the_tool_refuses(url: str) -> None:
    with pytest.raises(ValueError):
        check_server_url(url)


def test_urls_the_tool_takes() -> None:
    assert check_server_url("https://vote.example.org/") == "https://vote.example.org"
    assert check_server_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert Server.from_url("https://vote.example.org").port == 443


def _folder(tmp_path: Path, delegates: int = 2) -> Path:
    folder = tmp_path / "r"
    rehearsal_folder.make(folder)
    rehearsal_folder.save(folder, Prepared(
        url="http://127.0.0.1:9", event="rehearsal-x", presidium=Login("p", "pw"),
        delegates=[Login(f"d{i}", "pw") for i in range(delegates)],
        guardians=[GuardianSeat(f"g{i}", "pw", f"guardians/g{i}", "pp") for i in range(5)],
        quorum=3, issuing={"count": 8, "seconds": 1.0, "profile": "cheapest"},
    ))  # fmt: skip
    return folder


def test_credentials_file_is_owner_only_and_reads_back(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / rehearsal_folder.CREDENTIALS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    back = rehearsal_folder.load(folder)
    assert back.delegates[1] == Login("d1", "pw") and back.guardians[0].passphrase == "pp"
    with pytest.raises(rehearsal_folder.FolderError, match="not empty"):
        rehearsal_folder.make(folder)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["http://127.0.0.1:9", "--delegates", "3"], "has only 2 delegates"),
        (["http://127.0.0.1:8", "--delegates", "1"], "was prepared for http://127.0.0.1:9"),
        (["http://127.0.0.1:9", "--delegates", "1", "--present", "2"], "between the quorum 3"),
        (["http://vote.example.org", "--delegates", "1"], "plain http is only for"),
    ],
)
def test_a_run_refuses_what_it_cannot_play(tmp_path: Path, args: list[str], message: str) -> None:
    folder = _folder(tmp_path)
    result = CliRunner().invoke(rehearse_group, [*args, "--folder", str(folder)])
    assert result.exit_code in (1, 2) and message in result.output, result.output
    assert not (folder / rehearsal_folder.RUNS).exists()


def test_a_run_without_a_prepared_folder_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        rehearse_group, ["http://127.0.0.1:9", "--delegates", "1", "--folder", str(tmp_path)]
    )
    assert result.exit_code == 1 and "run `evote rehearse prepare` first" in result.output


def test_prepare_refuses_a_quorum_above_the_guardians(tmp_path: Path) -> None:
    result = CliRunner().invoke(rehearse_group, [
        "prepare", "http://127.0.0.1:9", "--delegates", "1", "--guardians", "3", "--quorum", "4",
        "--folder", str(tmp_path / "new"),
    ])  # fmt: skip
    assert result.exit_code == 2 and "quorum 4 is more than the 3 guardians" in result.output
    assert not (tmp_path / "new").exists()
