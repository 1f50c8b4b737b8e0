"""Reading a Server-Sent-Events stream as the browser's EventSource does (the parts evote uses).

The server (`evote.webapp.api.live`) sends `retry:`, then `event: <type>` / `data: <json>`
blocks separated by a blank line, and `: heartbeat` comments. Pieces of the body arrive cut
anywhere, even inside a line or a UTF-8 character, so the parser keeps what it has not seen the
end of. Lines end with LF (evote's server) or CRLF; a lone CR is not taken as a line end.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Message:
    type: str
    data: Any
    """The `data:` lines parsed as JSON (evote sends one JSON object per event), or the text."""


@dataclass
class SseParser:
    retry_ms: int | None = None
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace")
    )
    _pending: str = ""
    _type: str = ""
    _data: list[str] = field(default_factory=list)

    def feed(self, piece: bytes) -> list[Message]:
        """Every complete event in what has arrived so far."""
        text = self._pending + self._decoder.decode(piece)
        *lines, self._pending = text.split("\n")
        found: list[Message] = []
        for raw in lines:
            line = raw.removesuffix("\r")
            if not line:
                if self._data:
                    found.append(self._message())
                self._type, self._data = "", []
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                self._type = value
            elif name == "data":
                self._data.append(value)
            elif name == "retry" and value.isdigit():
                self.retry_ms = int(value)
        return found

    def _message(self) -> Message:
        text = "\n".join(self._data)
        try:
            data: Any = json.loads(text)
        except ValueError:
            data = text
        return Message(self._type or "message", data)
