"""How the event's livestream URL becomes something a page can embed.

The presidium pastes whatever the streaming service shows them; delegates must get a player,
not a link to a page full of recommendations. A YouTube watch, share or live link becomes the
privacy-enhanced embed player; an HLS playlist (``.m3u8``) goes into a ``<video>`` element;
anything else is offered as a link, never framed, since framing arbitrary pages is how a
mistyped URL becomes a phishing frame inside the voting page. The page's Content-Security-Policy
allows the player's origin, and only as a frame or as media (:func:`csp_origins`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}


class BadStreamUrl(ValueError):
    """The URL is not one the pages may show (not https, or not a URL at all)."""


@dataclass(frozen=True)
class Stream:
    kind: str
    """``youtube`` (iframe), ``hls`` (video element) or ``link``."""
    src: str


def check_url(url: str) -> str:
    """The URL as stored: empty (no stream) or an absolute https URL of at most 500 chars."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or len(url) > 500:
        raise BadStreamUrl("The livestream must be an https:// address of at most 500 characters.")
    return url


def _youtube_id(url: str) -> str | None:
    parts = urlsplit(url)
    host = parts.netloc.lower()
    candidate: str | None = None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        path = parts.path.strip("/").split("/")
        if path[0] == "watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif path[0] in ("embed", "live", "shorts") and len(path) > 1:
            candidate = path[1]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def embed(url: str) -> Stream | None:
    if not url:
        return None
    video = _youtube_id(url)
    if video is not None:
        return Stream("youtube", f"https://www.youtube-nocookie.com/embed/{video}")
    if urlsplit(url).path.lower().endswith(".m3u8"):
        return Stream("hls", url)
    return Stream("link", url)


def origin(url: str) -> str:
    """``https://host[:port]`` of an https URL (the form a CSP source takes)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def csp_origins(stream: Stream | None) -> tuple[list[str], list[str]]:
    """(frame origins, media origins) the delegate page must allow to show `stream`."""
    if stream is None or stream.kind == "link":
        return [], []
    if stream.kind == "youtube":
        return [origin(stream.src)], []
    return [], [origin(stream.src)]
