"""A motion's text: its canonical form, its numbered lines, and its safe rendering.

Why a canonical form: line numbers are how a convention speaks about a text ("Zeile 12"), and
an amendment names the lines it changes. They must be the same on every phone, in the motion
book and on the projector, so they cannot come from where a browser happens to wrap. The text
is therefore stored already wrapped: every line at most :data:`WIDTH` characters (broken at
spaces), and a *line* is one stored line. Blank lines separate paragraphs and carry no number.
The same canonical bytes are what the vote's SHA-256 is taken over.

The Markdown subset is deliberately small (paragraphs, ``-``/``*``/``1.`` lists, ``*em*``,
``_em_``, ``**strong**``, ``\\`` escapes) and nothing else is markup: ``<script>`` in a motion is
shown as the characters ``<script>``. Rendering escapes every character of the text itself and
adds only the tags it writes, one line at a time, so each numbered line is a row of its own.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass

WIDTH = 80
"""Longest line of the canonical text; a word longer than this keeps its own line."""
MAX_CHARS = 100_000
MAX_LINES = 3_000

_UL = re.compile(r"([-*+])( +)(?=\S)")
_OL = re.compile(r"(\d{1,3})([.)])( +)(?=\S)")
_CONTROL = {c for c in map(chr, range(32)) if c != "\n"} | {"\x7f"}


class TextProblem(ValueError):
    """The text cannot be a motion's text (empty, too long); the message says why."""


def _item_marker(line: str) -> str | None:
    """The list marker with its spaces (``"- "``, ``"12. "``) if ``line`` starts a list item."""
    match = _UL.match(line) or _OL.match(line)
    return match.group(0) if match else None


def _wrap(line: str, indent: int) -> list[str]:
    """``line`` broken at spaces into lines of at most WIDTH; continuations get ``indent``."""
    out: list[str] = []
    pad = " " * indent
    while len(line) > WIDTH:
        cut = line.rfind(" ", len(pad) + 1, WIDTH + 1)
        # never start a line with what reads as a list marker ("1990. war …")
        while cut > len(pad) and _item_marker(line[cut:].lstrip()) is not None:
            cut = line.rfind(" ", len(pad) + 1, cut)
        if cut <= len(pad):
            cut = line.find(" ", WIDTH)
            while cut != -1 and _item_marker(line[cut:].lstrip()) is not None:
                cut = line.find(" ", cut + 1)
            if cut == -1:
                break
        out.append(line[:cut].rstrip())
        line = pad + line[cut:].lstrip()
    out.append(line)
    return out


def canonical(text: str) -> str:
    """The stored form: NFC, ``\\n`` line ends, no control characters or tabs, no trailing
    spaces, one blank line between blocks, list continuations indented under their item, every
    line wrapped at WIDTH. Canonical input comes back unchanged."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", "    ")
    text = "".join(c for c in text if c not in _CONTROL)
    out: list[str] = []
    item_indent: int | None = None
    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            item_indent = None
            continue
        stripped = line.lstrip()
        marker = _item_marker(stripped)
        if marker is not None and (item_indent is None or len(line) - len(stripped) < 2):
            item_indent = len(marker)
            out.extend(_wrap(stripped, item_indent))
        elif item_indent is not None:
            out.extend(_wrap(" " * item_indent + stripped, item_indent))
        else:
            item_indent = None
            out.extend(_wrap(stripped, 0))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def checked(text: str, *, allow_empty: bool = False) -> str:
    """:func:`canonical`, refusing an empty or oversized text."""
    if len(text) > MAX_CHARS:
        raise TextProblem(f"The text is longer than {MAX_CHARS} characters.")
    result = canonical(text)
    if not result and not allow_empty:
        raise TextProblem("The text is empty.")
    if result.count("\n") + 1 > MAX_LINES:
        raise TextProblem(f"The text has more than {MAX_LINES} lines.")
    return result


def sha256_hex(text: str) -> str:
    """SHA-256 of the canonical text's UTF-8 bytes: what a vote's manifest names."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def physical_lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def numbered_positions(text: str) -> list[int]:
    """Index into :func:`physical_lines` of line 1, 2, … (blank lines have no number)."""
    return [i for i, line in enumerate(physical_lines(text)) if line.strip()]


def numbered_lines(text: str) -> list[str]:
    """The numbered lines, line 1 first."""
    return [line for line in physical_lines(text) if line.strip()]


def line_count(text: str) -> int:
    return len(numbered_positions(text))


# -- rendering ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One numbered line, ready to show."""

    number: int
    html: str
    """Escaped text with the emphasis tags the renderer added (and nothing else)."""
    block: str
    """``p`` (paragraph), ``ul`` or ``ol`` (list item)."""
    start: bool
    """First line of its paragraph or list item (gets the space above, and the marker)."""
    marker: str = ""
    """The list item's bullet or number (``•``, ``3.``) on its first line."""


@dataclass(frozen=True, slots=True)
class _Block:
    kind: str
    marker: str
    lines: list[tuple[int, str]]
    """(line number, content without marker or indent)."""


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    number = 0
    for line in physical_lines(text):
        if not line.strip():
            current = None
            continue
        number += 1
        marker = _item_marker(line)
        if marker is not None:
            match = _OL.match(line)
            shown = f"{match.group(1)}." if match else "•"
            current = _Block("ol" if match else "ul", shown, [(number, line[len(marker):])])
            blocks.append(current)
        elif current is not None and (current.kind != "p" or not line.startswith(" ")):
            current.lines.append((number, line.strip()))
        else:
            current = _Block("p", "", [(number, line.strip())])
            blocks.append(current)
    return blocks


def _tokens(content: str) -> list[tuple[str, str]]:
    """("text", s), ("delim", "*"|"**"|"_") or ("nl", "\\n") tokens; escapes resolved."""
    out: list[tuple[str, str]] = []
    buf: list[str] = []
    i = 0

    def flush() -> None:
        if buf:
            out.append(("text", "".join(buf)))
            buf.clear()

    while i < len(content):
        c = content[i]
        if c == "\\" and i + 1 < len(content) and content[i + 1] in "\\*_":
            buf.append(content[i + 1])
            i += 2
        elif c == "\n":
            flush()
            out.append(("nl", c))
            i += 1
        elif content.startswith("**", i):
            flush()
            out.append(("delim", "**"))
            i += 2
        elif c in "*_":
            flush()
            out.append(("delim", c))
            i += 1
        else:
            buf.append(c)
            i += 1
    flush()
    return out


def _char_before(tokens: list[tuple[str, str]], index: int) -> str:
    return tokens[index - 1][1][-1] if index > 0 else " "


def _char_after(tokens: list[tuple[str, str]], index: int) -> str:
    return tokens[index + 1][1][0] if index + 1 < len(tokens) else " "


def _pairs(tokens: list[tuple[str, str]]) -> dict[int, int]:
    """Opener index → closer index of the emphasis delimiters that match; others are text.

    An opener is followed by a non-space, a closer preceded by one; ``_`` additionally needs a
    non-word character on its outer side, so ``snake_case_name`` stays as it is.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, (kind, value) in enumerate(tokens):
        if kind != "delim":
            continue
        before, after = _char_before(tokens, i), _char_after(tokens, i)
        can_open = not after.isspace()
        can_close = not before.isspace()
        if value == "_":
            can_open = can_open and not before.isalnum()
            can_close = can_close and not after.isalnum()
        opener = next((j for j in reversed(stack) if tokens[j][1] == value), None)
        if can_close and opener is not None:
            del stack[stack.index(opener):]
            pairs[opener] = i
        elif can_open:
            stack.append(i)
    return pairs


def render_inline(content: str, *, strong: str = "strong", em: str = "em") -> list[str]:
    """Escaped HTML of a block's content, one string per line of it (``\\n``-separated).

    Emphasis may run across lines: each line closes the tags still open at its end and the
    next reopens them, so every line is well-formed on its own.
    """
    tokens = _tokens(content)
    pairs = _pairs(tokens)
    closers = {closer: opener for opener, closer in pairs.items()}
    lines: list[str] = []
    parts: list[str] = []
    open_tags: list[str] = []
    for i, (kind, value) in enumerate(tokens):
        if kind == "nl":
            parts.extend(f"</{t}>" for t in reversed(open_tags))
            lines.append("".join(parts))
            parts = [f"<{t}>" for t in open_tags]
        elif kind == "delim" and i in pairs:
            tag = strong if value == "**" else em
            open_tags.append(tag)
            parts.append(f"<{tag}>")
        elif kind == "delim" and i in closers:
            parts.append(f"</{open_tags.pop()}>")
        else:
            parts.append(html.escape(value, quote=True))
    lines.append("".join(parts))
    return lines


def render(text: str, *, strong: str = "strong", em: str = "em") -> list[Line]:
    """Every numbered line of a canonical text as escaped HTML with its place in the blocks."""
    out: list[Line] = []
    for block in _blocks(text):
        rendered = render_inline("\n".join(c for _, c in block.lines), strong=strong, em=em)
        for k, ((number, _), fragment) in enumerate(zip(block.lines, rendered, strict=True)):
            out.append(Line(number, fragment, block.kind, k == 0, block.marker if k == 0 else ""))
    return out
