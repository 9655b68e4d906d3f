"""Time spans and dates inside text users write: „6 Wochen“, "three months", „am 4. Dezember“.

Used for sense checks: a ``duration`` that contradicts the dates around it, or a reason
that names a date before the date it justifies. Only what can be read with certainty is
read; anything else is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import NamedTuple

from .l10n import Language
from .messages import current_language, ngettext

_NUMBER_WORDS = {
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "one": 1, "a": 1, "an": 1,
    "zwei": 2, "two": 2, "drei": 3, "three": 3, "vier": 4, "four": 4, "fünf": 5, "five": 5,
    "sechs": 6, "six": 6, "sieben": 7, "seven": 7, "acht": 8, "eight": 8, "neun": 9, "nine": 9,
    "zehn": 10, "ten": 10, "elf": 11, "eleven": 11, "zwölf": 12, "twelve": 12,
    "anderthalb": 1.5, "eineinhalb": 1.5,
}
#: Units by the start of their word, with their length in days.
_UNITS = (
    ("arbeitstag", "day", 7 / 5), ("werktag", "day", 7 / 5), ("business day", "day", 7 / 5),
    ("working day", "day", 7 / 5), ("tag", "day", 1.0), ("day", "day", 1.0),
    ("woche", "week", 7.0), ("week", "week", 7.0), ("monat", "month", 30.44), ("month", "month", 30.44),
    ("quartal", "month", 91.31), ("quarter", "month", 91.31), ("halbjahr", "month", 182.6),
    ("jahr", "year", 365.25), ("year", "year", 365.25),
)
_SPAN = re.compile(r"^\s*(?:rund |etwa |ca\. |about |around )?([\w,.]+)\s+([a-zäöüß ]+?)\s*$", re.IGNORECASE)


class Span(NamedTuple):
    """A length of time read from text.

    Attributes:
        days: its length in days.
        unit: ``day``, ``week``, ``month`` or ``year``, the unit it was written in.
        tolerance: how many days a calendar may differ from it and still fit.
    """

    days: float
    unit: str
    tolerance: float


def parse_span(text: str) -> Span | None:
    """The span a duration describes („6 Wochen“, "three months", „1,5 Jahre“), or None.

    >>> parse_span("6 Wochen").days, parse_span("drei Monate").unit, parse_span("ca. 10 Tage").days
    (42.0, 'month', 10.0)
    >>> parse_span("bis zum Projektende") is None
    True
    """
    match = _SPAN.match(text.lower())
    if not match:
        return None
    count_text, unit_text = match.groups()
    count: float | None
    if count_text in _NUMBER_WORDS:
        count = _NUMBER_WORDS[count_text]
    else:
        try:
            count = float(count_text.replace(",", "."))
        except ValueError:
            count = None
    if count is None or count <= 0:
        return None
    for prefix, unit, days in _UNITS:
        if unit_text.startswith(prefix):
            tolerance = {"day": 2.0, "week": 7.0, "month": 10.0, "year": 31.0}[unit]
            return Span(count * days, unit, tolerance)
    return None


def describe_span(days: int, unit: str) -> str:
    """``days`` in ``unit``, rounded, in words of the message language („9 Wochen“, "3 months")."""
    size = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}[unit]
    count = round(days / size, 1) if unit in ("month", "year") else round(days / size)
    number = str(count).rstrip("0").rstrip(".") if isinstance(count, float) else str(count)
    if current_language() == "de":
        number = number.replace(".", ",")
    plural = 1 if count == 1 else 2
    if unit == "day":
        words = ngettext("{count} day", "{count} days", plural)
    elif unit == "week":
        words = ngettext("{count} week", "{count} weeks", plural)
    elif unit == "month":
        words = ngettext("{count} month", "{count} months", plural)
    else:
        words = ngettext("{count} year", "{count} years", plural)
    return words.format(count=number)


MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "feber": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "december": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH})\b(?:\s+(\d{{4}}))?", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?!\d)")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dates_in(text: str, *, today: dt.date, language: Language) -> Iterator[dt.date]:
    """The calendar dates a text names („4. Dezember“, „04.12.2026“, "December 4", ISO).

    A date without a year is taken in the year of ``today``.

    >>> list(dates_in("vor der Sitzung am 4. Dezember", today=dt.date(2026, 11, 24),
    ...               language=Language("de", "de_DE")))
    [datetime.date(2026, 12, 4)]
    """
    def make(year: str | None, month: int, day: int) -> dt.date | None:
        number = int(year) if year else today.year
        if year and len(year) == 2:
            number += 2000
        try:
            return dt.date(number, month, day)
        except ValueError:
            return None

    found: list[dt.date | None] = []
    for match in _DAY_MONTH.finditer(text):
        found.append(make(match.group(3), MONTHS[match.group(2).lower()], int(match.group(1))))
    for match in _MONTH_DAY.finditer(text):
        found.append(make(match.group(3), MONTHS[match.group(1).lower()], int(match.group(2))))
    for match in _NUMERIC.finditer(text):
        found.append(make(match.group(3), int(match.group(2)), int(match.group(1))))
    for match in _ISO.finditer(text):
        found.append(make(match.group(1), int(match.group(2)), int(match.group(3))))
    yield from (day for day in found if day is not None)
