"""Amendments as replacements of numbered lines: mapped, applied, and shown as word diffs.

An amendment is stored as a diff against one version of its motion's text: the numbered lines
``line_from``..``line_to`` of that version (kept verbatim, ``old``) and the canonical text that
replaces them (``new``; empty deletes them). The motion's text moves on when other amendments
are adopted; each new version records which lines it replaced (:class:`Change`), and
:func:`map_range` follows the amendment's lines through those changes. It succeeds only if no
change touched them (changes before them shift the numbers). Otherwise the amendment is stale
and is refused with the first line that changed: the delegate must write it again against the
text as it now reads.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from evote.motions.text import (
    canonical,
    numbered_lines,
    numbered_positions,
    physical_lines,
    render_inline,
)


class StaleLines(ValueError):
    """A line the amendment changes is no longer what it was; ``line`` is its number then."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} has changed")
        self.line = line


class BadRange(ValueError):
    """``line_from``..``line_to`` does not name lines of the text."""


def check_range(text: str, line_from: int, line_to: int) -> None:
    count = len(numbered_positions(text))
    if not (1 <= line_from <= line_to <= count):
        raise BadRange(f"Lines {line_from}–{line_to} are not lines 1–{count} of the text.")


def old_lines(text: str, line_from: int, line_to: int) -> str:
    """The numbered lines ``line_from``..``line_to`` as they stand (blank lines between kept)."""
    check_range(text, line_from, line_to)
    positions = numbered_positions(text)
    lines = physical_lines(text)
    return "\n".join(lines[positions[line_from - 1] : positions[line_to - 1] + 1])


@dataclass(frozen=True, slots=True)
class Change:
    """How one text version came from the one before: its numbered lines ``line_from``..
    ``line_to`` were replaced by ``new_count`` numbered lines."""

    line_from: int
    line_to: int
    new_count: int


def change(text: str, line_from: int, line_to: int, new: str) -> Change:
    check_range(text, line_from, line_to)
    return Change(line_from, line_to, len(numbered_positions(new)))


def map_range(changes: Sequence[Change], line_from: int, line_to: int) -> tuple[int, int]:
    """Where lines ``line_from``..``line_to`` of a version are after ``changes`` (oldest
    first), or StaleLines naming the first of them (in the old numbering) that a change hit.

    Exact, from the changes themselves rather than from comparing texts, so a line that occurs
    twice can never be mistaken for its twin.
    """
    start, end = line_from, line_to
    for c in changes:
        if end < c.line_from:
            continue
        if start > c.line_to:
            shift = c.new_count - (c.line_to - c.line_from + 1)
            start, end = start + shift, end + shift
            continue
        raise StaleLines(max(start, c.line_from) - start + line_from)
    return start, end


def apply(text: str, line_from: int, line_to: int, new: str) -> str:
    """``text`` with its numbered lines ``line_from``..``line_to`` replaced by ``new``."""
    check_range(text, line_from, line_to)
    positions = numbered_positions(text)
    lines = physical_lines(text)
    start, end = positions[line_from - 1], positions[line_to - 1] + 1
    replacement = physical_lines(new)
    return canonical("\n".join(lines[:start] + replacement + lines[end:]))


def locate(
    base: str, current: str, changes: Sequence[Change], line_from: int, line_to: int
) -> tuple[int, int]:
    """``base``'s lines in ``current`` (StaleLines if changed); checked against both texts."""
    check_range(base, line_from, line_to)
    start, end = map_range(changes, line_from, line_to)
    if end > len(numbered_positions(current)) or (
        numbered_lines(base)[line_from - 1 : line_to] != numbered_lines(current)[start - 1 : end]
    ):
        raise StaleLines(line_from)  # cannot happen while versions record their changes
    return start, end


class NoChange(ValueError):
    """The edited text reads as the text it was edited from."""


@dataclass(frozen=True, slots=True)
class Edit:
    """An edit of the whole text as the replacement of numbered lines (what an amendment is)."""

    line_from: int
    line_to: int
    text: str


def edit_range(base: str, edited: str) -> Edit:
    """The numbered lines of ``base`` that ``edited`` (the whole text, changed by a delegate)
    replaces, and their replacement: the smallest run of whole numbered lines that holds every
    change.

    Why here and not in the browser: a delegate writes an amendment by editing the motion's text
    (as in Antragsgrün); what is stored is only the changed lines, so the two must be found the
    same way whatever the client. Lines equal at the start and at the end are left out; a change
    that touches only blank lines (a paragraph split or joined) or only inserts lines takes in the
    numbered line before it (or, at the very start, the one after), since an amendment always
    names numbered lines.
    """
    old, new = physical_lines(base), physical_lines(canonical(edited))
    if old == new:
        raise NoChange("The edited text is the same as before.")
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(old), len(new)) - prefix
           and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]):
        suffix += 1
    a, b, c, d = prefix, len(old) - suffix, prefix, len(new) - suffix
    numbered = numbered_positions(base)
    if a == b or not old[a].strip():
        before = [i for i in numbered if i < a]
        if before:  # take in the numbered line before (equal in both: it is in the prefix)
            c -= a - before[-1]
            a = before[-1]
        else:  # a change at the very start: the first line after it (in the suffix)
            after = min(i for i in numbered if i >= b)
            d += after + 1 - b
            b = after + 1
    if not old[b - 1].strip():
        after = min(i for i in numbered if i >= b)
        d += after + 1 - b
        b = after + 1
    first, last = numbered.index(a), numbered.index(b - 1)
    return Edit(first + 1, last + 1, "\n".join(new[c:d]))


def widen(base: str, edit: Edit, line_from: int, line_to: int) -> Edit:
    """``edit`` as the replacement of the larger run ``line_from``..``line_to`` of ``base``
    (which holds the edit's lines): the lines around the edit are kept as they stand."""
    check_range(base, line_from, line_to)
    if not (line_from <= edit.line_from and edit.line_to <= line_to):
        raise BadRange("The edit's lines are not inside the wider range.")
    positions, lines = numbered_positions(base), physical_lines(base)
    before = lines[positions[line_from - 1] : positions[edit.line_from - 1]]
    after = lines[positions[edit.line_to - 1] + 1 : positions[line_to - 1] + 1]
    return Edit(line_from, line_to, "\n".join([*before, *physical_lines(edit.text), *after]))


# -- showing an amendment -------------------------------------------------------------------

_TOKEN = re.compile(r"\n|[^\S\n]+|\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Segment:
    op: str
    """``equal``, ``del`` or ``ins``."""
    text: str


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One numbered line of the changed range with what happens to it, word by word."""

    number: int | None
    """The line's number in the amended version; None for lines the amendment adds."""
    segments: tuple[Segment, ...]


def word_diff(old: str, new: str, first_line: int) -> list[DiffLine]:
    """Old and new text of an amendment as rows of word segments, numbered from ``first_line``.

    Deleted and kept words sit on the old line they belong to; inserted words on the line where
    they go in (an inserted line break starts a row without a number). Blank lines are
    dropped, as in the numbered text.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    rows: list[tuple[int | None, list[Segment]]] = [(first_line, [])]
    number = first_line

    def add(op: str, token: str) -> None:
        nonlocal number
        if token == "\n":
            if op == "ins":
                rows.append((None, []))
            else:
                number += 1
                rows.append((number, []))
            return
        segments = rows[-1][1]
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + token)
        else:
            segments.append(Segment(op, token))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for token in a[i1:i2]:
                add("equal", token)
        else:
            for token in a[i1:i2]:
                add("del", token)
            for token in b[j1:j2]:
                add("ins", token)
    # rows of blank old lines are no numbered lines: dropped, or unnumbered if words go in
    kept: list[DiffLine] = []
    for num, segments in rows:
        old_words = any(s.op != "ins" and s.text.strip() for s in segments)
        new_words = any(s.op == "ins" and s.text.strip() for s in segments)
        if not old_words and not new_words:
            continue
        kept.append(DiffLine(num if old_words else None, tuple(segments)))
    return _renumber(kept, first_line)


def _renumber(rows: list[DiffLine], first_line: int) -> list[DiffLine]:
    """Numbers count only rows that are old lines (blank rows were dropped)."""
    out: list[DiffLine] = []
    number = first_line
    for row in rows:
        if row.number is None:
            out.append(row)
            continue
        out.append(DiffLine(number, row.segments))
        number += 1
    return out


_MARK = {"del": ("\ue000", "\ue001"), "ins": ("\ue002", "\ue003")}
_MARKS = frozenset("\ue000\ue001\ue002\ue003")


@dataclass(frozen=True, slots=True)
class Tags:
    """What :func:`render_rows` writes around deleted and inserted words, and for emphasis."""

    del_open: str = "<del>"
    del_close: str = "</del>"
    ins_open: str = "<ins>"
    ins_close: str = "</ins>"
    strong: str = "strong"
    em: str = "em"


def render_rows(rows: Sequence[DiffLine], tags: Tags = Tags()) -> list[str]:
    """Each row of a word diff as escaped HTML with the text's emphasis rendered.

    Why not show the Markdown: "**klimaneutrale**" reads as noise beside the numbered text.
    Only delimiters in unchanged words take effect (they pair across the changed words, which
    then sit wholly inside or outside the emphasis, so the tags always nest); a delimiter that
    is itself deleted or inserted is shown as the character it is, struck or underlined, which
    is how a change of emphasis reads. The text's characters are escaped as in the motion text.
    """
    parts: list[str] = []
    for index, row in enumerate(rows):
        if index:
            parts.append("\n")
        for seg in row.segments:
            text = "".join("\ufffd" if c in _MARKS else c for c in seg.text)
            if seg.op == "equal":
                parts.append(text)
                continue
            literal = "".join("\\" + c if c in "\\*_" else c for c in text)
            start, end = _MARK[seg.op]
            parts.append(start + literal + end)
    lines = render_inline("".join(parts), strong=tags.strong, em=tags.em)
    swap = {"\ue000": tags.del_open, "\ue001": tags.del_close,
            "\ue002": tags.ins_open, "\ue003": tags.ins_close}
    return ["".join(swap.get(c, c) for c in line) for line in lines]


def range_label(line_from: int, line_to: int, *, lang: str = "de") -> str:
    word = "Zeile" if lang == "de" else "line"
    return f"{word} {line_from}" if line_from == line_to else f"{word} {line_from}–{line_to}"
