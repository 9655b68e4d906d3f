"""Numbers as people say and type them: digits with any separators, and number words.

Babel formats numbers but does not read number words, so this small reader turns
German and English number words (cardinal and ordinal) into integers::

    >>> word_value("zweitausendvierhundert", "de")
    2400
    >>> word_value("elften", "de")
    11
    >>> word_value("two thousand four hundred", "en")
    2400
    >>> sorted(numbers_in("Das macht 2.400 Euro, also zweitausendvierhundert.", "de"))
    [Decimal('2.4'), Decimal('2400')]

:func:`numbers_in` returns every value a text may mean: "2.400" is 2400 in German
and 2.4 in English, so both are offered and the caller asks whether the value it
expects is among them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DE_UNITS = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2,
    "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}
_DE_TENS = {
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
    "siebzig": 70, "achtzig": 80, "neunzig": 90,
}
#: Ordinal stems below twenty ("elft" in "elften"); from twenty on, the cardinal takes "st".
_DE_ORDINALS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7,
    "siebent": 7, "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12,
    "dreizehnt": 13, "vierzehnt": 14, "fünfzehnt": 15, "sechzehnt": 16, "siebzehnt": 17,
    "achtzehnt": 18, "neunzehnt": 19,
}
_DE_ENDINGS = ("en", "er", "em", "es", "e")

_EN_UNITS = {
    "zero": 0, "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

#: Digits as typed: 2400, 2.400, 2,400, 2 400, 2\u2019400, 2.400,50, 2,400.50, 2400.-, 2,4.
_DIGITS = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,\u00a0\u202f '\u2019]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?")
#: "2,4 Tausend", "2.4 thousand", "2,4k", "1,5 Mio."
_SCALE_AFTER = re.compile(
    r"\s*(?:(tausend|thousand|k)\b|(millionen|million|mio\.?|m)(?!\w))", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def word_value(text: str, lang: str) -> int | None:
    """Return the value of a number word ("zweitausendvierhundert", "twenty-one", "elften"),
    or None when ``text`` is not one. German compounds may be written apart
    ("zweitausend vierhundert"); English words may be joined by spaces, hyphens and "and".
    """
    words = text.lower().replace("\u00ad", "").split()
    if not words:
        return None
    if lang == "de":
        return _de_value("".join(words))
    return _en_value(" ".join(words))


def _de_value(word: str) -> int | None:
    for scale, factor in (("millionen", 1_000_000), ("million", 1_000_000), ("tausend", 1000)):
        head, found, tail = word.partition(scale)
        if found:
            if tail.startswith(("ste", "sten")):
                tail = ""  # "tausendste": the ordinal of the round number
            left = _de_below_1000(head) if head else 1
            right = _de_value(tail) if tail else 0
            if left is None or right is None or right >= factor:
                return None
            return left * factor + right
    return _de_below_1000(word)


def _de_below_1000(word: str) -> int | None:
    head, found, tail = word.partition("hundert")
    if found:
        left = _de_below_100(head) if head else 1
        if tail.startswith("und"):
            tail = tail[3:]
        right = _de_below_100(tail) if tail and not tail.startswith("st") else 0
        if left is None or right is None or not 0 < left < 10:
            return None
        return left * 100 + right
    return _de_below_100(word)


def _de_below_100(word: str) -> int | None:
    value = _de_cardinal(word)
    if value is not None:
        return value
    unit, found, tens = word.partition("und")
    if found and unit and tens:
        ones = _DE_UNITS.get(unit) if unit not in ("eine", "einen", "einem", "einer") else None
        ten = _de_cardinal(tens)
        if ones is not None and 0 < ones < 10 and ten is not None and ten in _DE_TENS.values():
            return ten + ones
    return None


def _de_cardinal(word: str) -> int | None:
    """A single German number word below 100, cardinal or ordinal, with any ending."""
    if word in _DE_UNITS:
        return _DE_UNITS[word]
    if word in _DE_TENS:
        return _DE_TENS[word]
    for ending in ("", *_DE_ENDINGS):
        stem = word[: len(word) - len(ending)] if ending else word
        if ending and not word.endswith(ending):
            continue
        if stem in _DE_ORDINALS:
            return _DE_ORDINALS[stem]
        if stem.endswith("st") and stem[:-2] in _DE_TENS:
            return _DE_TENS[stem[:-2]]
    return None


def _en_value(text: str) -> int | None:
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not words:
        return None
    total = current = 0
    seen = False
    for word in words:
        value = _en_word(word)
        if value is not None:
            if word == "a" and len(words) == 1:
                return None
            current += value
            seen = True
        elif word in _EN_SCALES or word.rstrip("th") in _EN_SCALES:
            scale = _EN_SCALES.get(word) or _EN_SCALES[word[:-2]]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _en_word(word: str) -> int | None:
    if word in _EN_UNITS:
        return _EN_UNITS[word]
    if word in _EN_ORDINALS:
        return _EN_ORDINALS[word]
    if word.endswith("ieth") and word[:-4] + "y" in _EN_UNITS:
        return _EN_UNITS[word[:-4] + "y"]
    if word.endswith("th") and word[:-2] in _EN_UNITS:
        return _EN_UNITS[word[:-2]]
    return None


def digit_values(token: str) -> set[Decimal]:
    """Return what a typed number may mean, reading "." and "," either way.

    >>> sorted(digit_values("2.400"))
    [Decimal('2.4'), Decimal('2400')]
    >>> sorted(digit_values("2.400,00"))
    [Decimal('2400')]
    """
    token = re.sub(r"[\u00a0\u202f '\u2019]", "", token)
    readings = set()
    for thousands, decimal in ((".", ","), (",", ".")):
        if token.count(decimal) > 1:
            continue
        head, _sep, tail = token.partition(decimal)
        groups = head.split(thousands)
        if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
            continue
        try:
            readings.add(_tidy(Decimal("".join(groups) + ("." + tail if tail else ""))))
        except InvalidOperation:
            continue
    return readings


def _tidy(value: Decimal) -> Decimal:
    """2400.00 as 2400 and 2.400 as 2.4: one spelling for equal values."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def numbers_in(text: str, lang: str) -> set[Decimal]:
    """Return every number a text may mention, in digits or in words (see :func:`digit_values`)."""
    found: set[Decimal] = set()
    for match in _DIGITS.finditer(text):
        values = digit_values(match.group())
        scale = _SCALE_AFTER.match(text, match.end())
        if scale:
            factor = 1000 if scale.group(1) else 1_000_000
            values |= {v * factor for v in values}
        found |= values
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    index = 0
    while index < len(words):
        best: tuple[int, int] | None = None
        run = []
        for stop in range(index, min(index + 8, len(words))):
            if stop > index and text[words[stop - 1][2]:words[stop][1]].strip(" -"):
                break
            run.append(words[stop][0])
            value = word_value(" ".join(run), lang)
            if value is not None and not (len(run) == 1 and run[0] in ("a", "ein", "eine", "einen", "einem", "einer")):
                best = (value, stop)
        if best is None:
            index += 1
            continue
        found.add(Decimal(best[0]))
        index = best[1] + 1
    return found
