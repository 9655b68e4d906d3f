"""Numbers as people say them: digits with separators and German/English number words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phrasebook.numwords import digit_values, numbers_in, word_value


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("zweitausendvierhundert", "de", 2400),
        ("zweitausend vierhundert", "de", 2400),
        ("einundzwanzig", "de", 21),
        ("dreihundertfünfundvierzig", "de", 345),
        ("elften", "de", 11),
        ("einunddreißigsten", "de", 31),
        ("dritten", "de", 3),
        ("two thousand four hundred", "en", 2400),
        ("twenty-four hundred", "en", 2400),
        ("twenty-first", "en", 21),
        ("eleventh", "en", 11),
        ("Mittwoch", "de", None),
        ("und", "de", None),
        ("Wednesday", "en", None),
    ],
)
def test_word_value(text: str, lang: str, value: int | None) -> None:
    assert word_value(text, lang) == value


def test_typed_numbers_are_read_both_ways() -> None:
    assert digit_values("2.400") == {Decimal(2400), Decimal("2.4")}
    assert digit_values("2,400.50") == {Decimal("2400.5")}
    assert Decimal(2400) in numbers_in("Das macht 2 400 Euro.", "de")
    assert Decimal(2400) in numbers_in("Das macht 2,4 Tausend.", "de")
    assert Decimal(2400) in numbers_in("That is two thousand four hundred pounds.", "en")
    assert Decimal(2400) not in numbers_in("Das macht 24 Euro.", "de")


_DE = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
_DE_TEENS = {10: "zehn", 11: "elf", 12: "zwölf", 16: "sechzehn", 17: "siebzehn"}
_DE_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]


def _de_words(n: int) -> str:
    """Spell 1..9999 the German way (the reference the reader is tested against)."""
    thousands, rest = divmod(n, 1000)
    hundreds, below = divmod(rest, 100)
    out = (_DE[thousands] + "tausend" if thousands else "") + (_DE[hundreds] + "hundert" if hundreds else "")
    if below in _DE_TEENS:
        out += _DE_TEENS[below]
    elif 13 <= below <= 19:
        out += _DE[below - 10] + "zehn"
    elif below >= 20:
        tens, ones = divmod(below, 10)
        out += (_DE[ones] + "und" if ones else "") + _DE_TENS[tens]
    elif below:
        out += "eins" if below == 1 else _DE[below]
    return out


@given(st.integers(min_value=1, max_value=9999))
def test_every_german_number_word_below_ten_thousand(n: int) -> None:
    assert word_value(_de_words(n), "de") == n
