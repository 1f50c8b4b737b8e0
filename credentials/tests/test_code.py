"""Voting codes: what a delegate types is forgiven where harmless and refused where wrong."""

from __future__ import annotations

import itertools
import re

import pytest

from evote_credentials.code import ALPHABET, CodeError, new_code, parse_code


def test_new_codes_have_the_printed_shape_and_pass_their_own_check() -> None:
    for _ in range(200):
        code = new_code()
        assert re.fullmatch(r"([2-9A-HJKMNP-Z]{5}-){3}[2-9A-HJKMNP-Z]{5}", code)
        assert parse_code(code) == code


def test_alphabet_has_no_look_alikes() -> None:
    assert not set("01ILO") & set(ALPHABET)
    assert len(ALPHABET) == 31


def test_typing_is_forgiven_for_case_spaces_and_dashes() -> None:
    code = new_code()
    typed = " " + code.lower().replace("-", " ") + " "
    assert parse_code(typed) == code
    assert parse_code(code.replace("-", "")) == code


def test_every_single_wrong_character_is_caught() -> None:
    code = new_code().replace("-", "")
    for i, c in itertools.product(range(20), ALPHABET):
        if c != code[i]:
            with pytest.raises(CodeError, match="typing mistake"):
                parse_code(code[:i] + c + code[i + 1 :])


def test_every_swap_of_two_different_characters_is_caught() -> None:
    code = new_code().replace("-", "")
    for i, j in itertools.combinations(range(20), 2):
        if code[i] != code[j]:
            swapped = list(code)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            with pytest.raises(CodeError):
                parse_code("".join(swapped))


@pytest.mark.parametrize(("typed", "says"), [
    ("O" * 20, "never occur"),
    ("ABCDE-FGHJK", "has 20 characters, this one 10"),
    ("ABCDE-FGHJK-MNPQR-STUVW-X", "this one 21"),
    ("ABCDE-FGHJK-MNPQR-STUV!", "is not used"),
])
def test_impossible_input_says_why(typed: str, says: str) -> None:
    with pytest.raises(CodeError, match=says):
        parse_code(typed)


def test_codes_are_uniform_enough() -> None:
    """Rejection sampling: no character is favoured (a modulo bias would show here)."""
    counts = dict.fromkeys(ALPHABET, 0)
    for _ in range(2000):
        for c in new_code().replace("-", "")[:19]:
            counts[c] += 1
    expected = 2000 * 19 / 31
    assert all(0.8 * expected < n < 1.2 * expected for n in counts.values())
