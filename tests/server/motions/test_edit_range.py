"""An amendment written by editing the whole text: which numbered lines it replaces."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from motion_helpers import TEXT

from evote.motions import diff
from evote.motions.text import canonical, numbered_lines

BASE = canonical(TEXT)


def _edit(line: int, new: str) -> str:
    lines = BASE.split("\n")
    positions = [i for i, x in enumerate(lines) if x.strip()]
    lines[positions[line - 1]] = new
    return "\n".join(lines)


def test_one_changed_line_is_that_line() -> None:
    found = diff.edit_range(BASE, _edit(3, "Dazu werden alle Dienstgebäude saniert und gedämmt."))
    assert (found.line_from, found.line_to) == (3, 3)
    assert found.text == "Dazu werden alle Dienstgebäude saniert und gedämmt."
    assert diff.apply(BASE, 3, 3, found.text) == canonical(
        _edit(3, "Dazu werden alle Dienstgebäude saniert und gedämmt."))


def test_changes_far_apart_take_the_lines_between() -> None:
    edited = _edit(2, "Der Parteitag fordert eine Verwaltung.")
    edited = edited.replace("aus dem Klimafonds", "aus dem Haushalt")
    found = diff.edit_range(BASE, edited)
    assert (found.line_from, found.line_to) == (2, 7)
    assert diff.apply(BASE, 2, 7, found.text) == canonical(edited)


def test_a_new_paragraph_takes_in_the_line_before() -> None:
    edited = BASE.replace("Die Finanzierung", "Ein neuer Absatz.\n\nDie Finanzierung")
    found = diff.edit_range(BASE, edited)
    assert found.line_from <= 6 and found.line_to >= 6
    assert diff.apply(BASE, found.line_from, found.line_to, found.text) == canonical(edited)


def test_an_insertion_at_the_start_takes_the_first_line() -> None:
    edited = "Vorweg.\n\n" + BASE
    found = diff.edit_range(BASE, edited)
    assert found.line_from == 1
    assert diff.apply(BASE, found.line_from, found.line_to, found.text) == canonical(edited)


def test_deleting_lines_replaces_them_by_nothing() -> None:
    edited = BASE.replace("\n\nDie Finanzierung erfolgt aus dem Klimafonds.", "")
    found = diff.edit_range(BASE, edited)
    assert diff.apply(BASE, found.line_from, found.line_to, found.text) == canonical(edited)
    assert numbered_lines(BASE)[found.line_from - 1] in (
        "Die Finanzierung erfolgt aus dem Klimafonds.", "- ein Sanierungsfahrplan für jedes Gebäude")


def test_the_same_text_is_no_change() -> None:
    with pytest.raises(diff.NoChange):
        diff.edit_range(BASE, BASE + "\n\n")


WORDS = st.sampled_from(["Wir", "fordern", "mehr", "Bus", "und", "Bahn", "- Punkt", "", "1. Erstens"])


@settings(deadline=None)  # the machine is shared: time is no property of the diff
@given(st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=8),
       st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=8))
def test_applying_the_found_range_gives_the_edited_text(old: list[str], new: list[str]) -> None:
    base, edited = canonical("\n".join(old)), canonical("\n".join(new))
    if not base or base == edited:
        return
    try:
        found = diff.edit_range(base, edited)
    except diff.NoChange:
        assert canonical(edited) == base
        return
    assert diff.apply(base, found.line_from, found.line_to, found.text) == edited


def test_a_diff_row_renders_emphasis_only_from_unchanged_words() -> None:
    rows = diff.word_diff("Eine **klimaneutrale** Verwaltung bis 2035.\nDazu **sehr alt**.",
                          "Eine **klimaneutrale** Verwaltung bis 2030.\nDazu **neu** \ue000<b>.", 4)
    first, second = diff.render_rows(rows)
    assert first == "Eine <strong>klimaneutrale</strong> Verwaltung bis <del>2035</del><ins>2030</ins>."
    # the changed words sit wholly inside the emphasis; a smuggled marker is no tag; HTML is text
    assert second.startswith("Dazu <strong><del>sehr alt</del><ins>neu</ins></strong>")
    assert "\ufffd&lt;b&gt;" in second and second.count("<ins>") == second.count("</ins>") == 2
    # a delimiter that is itself changed shows as the character, struck
    [row] = diff.render_rows(diff.word_diff("Das ist **fett**.", "Das ist fett.", 1))
    assert row == "Das ist <del>**</del>fett<del>**</del>."
