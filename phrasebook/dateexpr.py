"""Dates written relative to the day a text is written: ``today``, ``+7 working days``.

Shipped examples and users' own parameter files use them so that a file written
once keeps working: ``deadline: +7 working days`` means the seventh working day
after today in the letter's region, ``invoice_date: -4 weeks`` four weeks ago.
English and German words are accepted in every language::

    today | heute        tomorrow | morgen        yesterday | gestern
    +N days | +N Tage                 (calendar days; -N for the past)
    +N working days | +N Arbeitstage  (Monday to Friday, no holidays, no closures)
    +N weeks | +N Wochen
    in N days | in N Tagen, N days ago | vor N Tagen   (the same, in words)

A relative value is parsed where values are converted and resolved against
``today`` and the work calendar once every value is known.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .errors import InvalidParams
from .messages import _

#: Unit words (lower case) → unit.
_UNITS = {
    "day": "days", "days": "days", "tag": "days", "tage": "days", "tagen": "days",
    "working day": "working days", "working days": "working days",
    "business day": "working days", "business days": "working days",
    "workday": "working days", "workdays": "working days",
    "arbeitstag": "working days", "arbeitstage": "working days", "arbeitstagen": "working days",
    "week": "weeks", "weeks": "weeks", "woche": "weeks", "wochen": "weeks",
}

_WORDS = {
    "today": 0, "heute": 0,
    "tomorrow": 1, "morgen": 1,
    "yesterday": -1, "gestern": -1,
}

_UNIT = "|".join(sorted((re.escape(word) for word in _UNITS), key=len, reverse=True)).replace(r"\ ", r"\s+")
_SIGNED = re.compile(rf"([+\-\u2212])\s*(\d{{1,4}})\s+({_UNIT})", re.IGNORECASE)
_IN = re.compile(rf"in\s+(\d{{1,4}})\s+({_UNIT})", re.IGNORECASE)
_AGO = re.compile(rf"(\d{{1,4}})\s+({_UNIT})\s+ago", re.IGNORECASE)
_VOR = re.compile(rf"vor\s+(\d{{1,4}})\s+({_UNIT})", re.IGNORECASE)

#: The longest distance a relative date may reach, in either direction (about ten years).
LIMIT_DAYS = 3660


@dataclass(frozen=True)
class RelativeDate:
    """A date counted from today: ``amount`` (negative for the past) ``unit``s.

    Attributes:
        amount: how many units; negative counts back.
        unit: ``days``, ``working days`` or ``weeks``.
        text: the value as written, for messages.
    """

    amount: int
    unit: str
    text: str

    @property
    def needs_calendar(self) -> bool:
        """Whether resolving it needs the region's working days."""
        return self.unit == "working days"

    def resolve(self, today: dt.date, is_working_day: Callable[[dt.date], bool] | None = None) -> dt.date:
        """The date this stands for, written on ``today``.

        ``is_working_day`` decides working days (Monday to Friday when None). ``+0
        working days`` is today when it is a working day, else the next one.

        >>> start = dt.date(2026, 12, 4)  # a Friday
        >>> parse("+1 working day").resolve(start), parse("-2 weeks").resolve(start)
        (datetime.date(2026, 12, 7), datetime.date(2026, 11, 20))
        """
        if self.unit == "days":
            return today + dt.timedelta(days=self.amount)
        if self.unit == "weeks":
            return today + dt.timedelta(weeks=self.amount)
        working = is_working_day or (lambda day: day.weekday() < 5)
        step = dt.timedelta(days=-1 if self.amount < 0 else 1)
        day = today
        if self.amount == 0:
            while not working(day):
                day += step
            return day
        for _count in range(abs(self.amount)):
            day += step
            while not working(day):
                day += step
        return day


def parse(text: str) -> RelativeDate | None:
    """Read a relative date; None when ``text`` is not one.

    Raises:
        ValueError: the form fits but reaches further than about ten years.

    >>> parse("+7 working days"), parse("in 3 Wochen").amount, parse("2026-12-02")
    (RelativeDate(amount=7, unit='working days', text='+7 working days'), 3, None)
    """
    written = " ".join(text.split())
    lowered = written.lower()
    if lowered in _WORDS:
        return RelativeDate(_WORDS[lowered], "days", written)
    amount: int
    for pattern, sign in ((_SIGNED, 0), (_IN, 1), (_AGO, -1), (_VOR, -1)):
        match = pattern.fullmatch(written)
        if match is None:
            continue
        if sign == 0:
            sign = 1 if match.group(1) == "+" else -1
            count, unit = match.group(2), match.group(3)
        else:
            count, unit = match.group(1), match.group(2)
        amount = sign * int(count)
        unit = _UNITS[" ".join(unit.lower().split())]
        reach = abs(amount) * (7 if unit == "weeks" else 1.4 if unit == "working days" else 1)
        if reach > LIMIT_DAYS:
            raise ValueError(written)
        return RelativeDate(amount, unit, written)
    return None


def holds_relative(value: Any, *, calendar: bool = False) -> bool:
    """Whether ``value`` is or holds a relative date (one counted in working days)."""
    if isinstance(value, RelativeDate):
        return value.needs_calendar or not calendar
    if isinstance(value, list):
        return any(holds_relative(item, calendar=calendar) for item in value)
    if isinstance(value, dict):
        return any(holds_relative(item, calendar=calendar) for item in value.values())
    return False


def resolve_within(value: Any, today: dt.date, working: Callable[[dt.date], bool] | None) -> Any:
    """``value`` with every relative date in it (also in lists and records) resolved."""
    if isinstance(value, RelativeDate):
        return value.resolve(today, working)
    if isinstance(value, list):
        return [resolve_within(item, today, working) for item in value]
    if isinstance(value, dict):
        return {key: resolve_within(item, today, working) for key, item in value.items()}
    return value


def with_relative_hint(error: InvalidParams) -> InvalidParams:
    """``error``, closing with how to write dates that do not pass when one is in the past."""
    if error.hint is not None or not mentions_past(error.problems):
        return error
    return InvalidParams(error.scenario, error.problems, relative_hint(), error.values)


def relative_hint() -> str:
    """What to do about a date that has passed (every command says the same)."""
    return _(
        "Dates can be written relative to the day of writing, e.g. +7 working days or -2 weeks; "
        "--today DATE writes as of another day."
    )


def mentions_past(problems: Iterable[str]) -> bool:
    """Whether one of ``problems`` (or of the ``; ``-joined parts of one) is a date in the past."""
    return any(_in_the_past(part) for problem in problems for part in problem.split("; "))


def _in_the_past(problem: str) -> bool:
    """Whether ``problem`` says that a date is in the past, in the current message language."""
    import string

    wording = _("{name}: {day} is in the past (today is {today})")
    pattern = "".join(
        re.escape(text) + (".+?" if field is not None else "")
        for text, field, _spec, _conversion in string.Formatter().parse(wording)
    )
    return re.fullmatch(pattern, problem, re.DOTALL) is not None
