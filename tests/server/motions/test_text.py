"""The motion text's canonical form, numbered lines, safe rendering and amendment diffs (pure)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.motions import diff
from evote.motions.text import WIDTH, TextProblem, canonical, checked, numbered_lines, render

ALLOWED_TAG = re.compile(r"</?(strong|em)>")


def test_canonical_wraps_at_the_width_and_indents_list_continuations() -> None:
    words = " ".join(["Wort"] * 40)
    text = canonical(f"Absatz   \r\n{words}\n\n\n\n- {words}\n  weiter\n1. kurz\t\n")
    lines = text.split("\n")
    assert all(len(line) <= WIDTH for line in lines)
    assert lines[0] == "Absatz" and "" in lines and "\n\n\n" not in text
    item = lines.index(next(line for line in lines if line.startswith("- ")))
    assert lines[item + 1].startswith("  Wort")
    assert lines[-2] == "  weiter" and lines[-1] == "1. kurz"


def test_a_wrapped_line_never_starts_with_a_list_marker() -> None:
    text = canonical("x" * 70 + " im Jahr 1990. wurde es")
    assert [r.block for r in render(text)] == ["p", "p"]
    text = canonical("y" * 75 + " - a - b")
    assert [r.block for r in render(text)] == ["p", "p"]


def test_a_long_word_keeps_its_own_line() -> None:
    url = "https://example.org/" + "a" * 100
    assert canonical(f"Siehe {url} dort") == f"Siehe\n{url}\ndort"


def test_checked_refuses_empty_and_huge_texts() -> None:
    with pytest.raises(TextProblem):
        checked(" \n \t\n")
    with pytest.raises(TextProblem):
        checked("x\n" * 3001)
    assert checked("", allow_empty=True) == ""


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("*kursiv* und **fett**", "<em>kursiv</em> und <strong>fett</strong>"),
        ("snake_case_name bleibt", "snake_case_name bleibt"),
        ("_ganz_ kursiv", "<em>ganz</em> kursiv"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("\\*kein\\* Stern", "*kein* Stern"),
        ("**offen", "**offen"),
        ("<b onclick=x>&amp;</b>", "&lt;b onclick=x&gt;&amp;amp;&lt;/b&gt;"),
        ('"q" \'a\'', "&quot;q&quot; &#x27;a&#x27;"),
    ],
)
def test_inline_markup(source: str, html: str) -> None:
    [line] = render(canonical(source))
    assert line.html == html


def test_emphasis_across_lines_is_closed_and_reopened_per_line() -> None:
    lines = render("Ein *langer\nbetonter* Satz")
    assert [ln.html for ln in lines] == ["Ein <em>langer</em>", "<em>betonter</em> Satz"]


def test_blocks_and_markers() -> None:
    lines = render(canonical("Satz eins\nSatz zwei\n\n- a\n  a weiter\n- b\n\n3. drei\n\nEnde"))
    assert [(ln.number, ln.block, ln.start, ln.marker) for ln in lines] == [
        (1, "p", True, ""), (2, "p", False, ""), (3, "ul", True, "•"), (4, "ul", False, ""),
        (5, "ul", True, "•"), (6, "ol", True, "3."), (7, "p", True, ""),
    ]


texts = st.text(
    alphabet=st.sampled_from(list("ab cdÄß*_\\<>&\"'-1.\n\t")), max_size=400
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_canonical_is_idempotent_and_rendering_adds_only_its_tags(source: str) -> None:
    text = canonical(source)
    assert canonical(text) == text
    for line in text.split("\n"):
        assert len(line) <= WIDTH or " " not in line.strip()
    rendered = render(text)
    assert [ln.number for ln in rendered] == list(range(1, len(numbered_lines(text)) + 1))
    for ln in rendered:
        assert "<" not in ALLOWED_TAG.sub("", ln.html)
        assert ">" not in ALLOWED_TAG.sub("", ln.html)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(1, 5), st.integers(0, 3), texts)
def test_applying_an_amendment_replaces_exactly_its_lines(
    source: str, start: int, length: int, new: str
) -> None:
    text = canonical(source)
    count = len(numbered_lines(text))
    if count == 0:
        return
    start = min(start, count)
    end = min(start + length, count)
    replacement = canonical(new)
    result = diff.apply(text, start, end, replacement)
    before = numbered_lines(text)
    after = numbered_lines(result)
    assert after[: start - 1] == before[: start - 1]
    kept = len(before) - end
    assert after[len(after) - kept:] == before[end:] if kept else True
    # lines before and after follow the change; the replaced ones are stale
    changes = [diff.change(text, start, end, replacement)]
    if start > 1:
        assert diff.locate(text, result, changes, 1, start - 1) == (1, start - 1)
    if kept:
        moved = diff.locate(text, result, changes, end + 1, count)
        assert moved == (len(after) - kept + 1, len(after))
    with pytest.raises(diff.StaleLines) as stale:
        diff.map_range(changes, 1, count)
    assert stale.value.line == start


def test_map_range_follows_changes_and_names_the_first_stale_line() -> None:
    changes = [diff.Change(2, 2, 3), diff.Change(10, 11, 0)]
    assert diff.map_range(changes, 1, 1) == (1, 1)
    assert diff.map_range(changes, 3, 7) == (5, 9)
    assert diff.map_range(changes, 12, 12) == (12, 12)
    with pytest.raises(diff.StaleLines) as stale:
        diff.map_range(changes, 1, 4)
    assert stale.value.line == 2
    with pytest.raises(diff.StaleLines) as stale:
        diff.map_range(changes, 7, 9)  # lines 9..11 after the first change: 9 is stale
    assert stale.value.line == 8
