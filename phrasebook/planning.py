"""Deadline planning: working days, public holidays, buffer and fallback.

The technique behind a buffered deadline offer is to promise a date you can keep:
plan the real work, add a buffer, offer the buffered date with a reason, and keep
part of the buffer as room to negotiate. :func:`make_plan` computes those dates.

How the dates are counted (the rules are the same everywhere in phrasebook):

* A **working day** is Monday to Friday, except the public holidays of the region
  (the ``holidays`` package; ``DE`` alone means the nationwide holidays only) and
  the user's own closure days (vacation).
* The **day the request counts from** (``received``) is the start day when it is a
  working day and the request came in before the cut-off time (default 17:00).
  A request at or after the cut-off, or on a weekend, holiday or closure day,
  counts from the next working day.
* The receiving day itself is **not** a day of work: ``N`` working days of effort
  end on the ``N``-th working day *after* the receiving day (the "exclusive"
  count). With no effort at all the result is the receiving day itself.
* **internal** = received + effort (+ the debrief: half a day of follow-up per day
  of briefing), rounded up to whole working days. **promised** = internal + buffer.
  **fallback** = internal + half the buffer, rounded up: what you may concede when
  the client pushes back, while the other half stays as real safety.

Everything here is a pure function of its arguments: no clock, no time zone and no
locale of the machine is read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from .errors import PlanningError
from .messages import N_, _
from .workdays import Region, Skipped, WorkCalendar, parse_region

DEFAULT_REGION = "DE"
DEFAULT_BUFFER = "40%"
DEFAULT_CUTOFF = dt.time(17, 0)
#: Upper bounds that keep a plan meaningful (about one working year).
MAX_EFFORT_DAYS = Decimal(250)
MAX_BUFFER_DAYS = 250
MAX_BRIEFING_DAYS = Decimal(20)
#: A buffer larger than this many times the work is refused as absurd.
MAX_BUFFER_FACTOR = 10
#: Plans start within these years (the calendar arithmetic stays far from date.max).
MIN_YEAR, MAX_YEAR = 1900, 2199
#: Longest closure period accepted in one item (a year and a day).
MAX_CLOSURE_SPAN = 366

_NUMBER = re.compile(r"^\d{1,12}(?:[.,]\d{1,2})?$")  # too many days are reported as such
_PERCENT = re.compile(r"^(\d{1,4}(?:[.,]\d{1,2})?)\s*%$")


# --- parsing the planning values ---------------------------------------------------


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def parse_days(value: object, name: str) -> Decimal:
    """Parse a non-negative number of days such as ``5``, ``2.5`` or ``2,5``.

    Raises:
        PlanningError: naming the parameter when the value is not such a number.
    """
    if isinstance(value, bool):
        raise PlanningError([f"{name}: " + _("{value!r} is not a number of days").format(value=value)])
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if text.startswith("-"):
            raise PlanningError([f"{name}: " + _("{value!r} must not be negative").format(value=text)])
        if not _NUMBER.match(text):
            raise PlanningError(
                [f"{name}: " + _("{value!r} is not a number of days (e.g. 5 or 2.5)").format(value=text)]
            )
        number = _decimal(text)
    if number < 0:
        raise PlanningError([f"{name}: " + _("{value!r} must not be negative").format(value=value)])
    return number


class Buffer(NamedTuple):
    """A buffer given in working days (``2``) or as a percentage of the work (``40%``).

    Attributes:
        text: what the user wrote, normalised (``2`` or ``40%``).
        days: the fixed number of working days, or None for a percentage.
        percent: the percentage, or None for fixed days.
    """

    text: str
    days: int | None = None
    percent: Decimal | None = None

    def working_days(self, work: Decimal) -> int:
        """Return the buffer in whole working days for ``work`` days of work (rounded up).

        >>> parse_buffer("40%").working_days(Decimal(5))
        2
        >>> parse_buffer("40%").working_days(Decimal(3))
        2
        """
        if self.days is not None:
            return self.days
        assert self.percent is not None
        return math.ceil(work * self.percent / 100)


def parse_buffer(value: object) -> Buffer:
    """Parse a buffer: whole working days (``2``) or a percentage of the work (``40%``).

    Raises:
        PlanningError: for negative values, fractions of days or anything else.
    """
    if isinstance(value, Buffer):
        return value
    if isinstance(value, bool):
        raise PlanningError(["buffer: " + _("{value!r} is not a buffer").format(value=value)])
    text = str(value).strip()
    if text.startswith("-"):
        raise PlanningError(["buffer: " + _("{value!r} must not be negative").format(value=text)])
    match = _PERCENT.match(text)
    if match:
        percent = _decimal(match.group(1))
        return Buffer(f"{percent.normalize():f}%", percent=percent)
    if re.fullmatch(r"\d{1,4}", text):
        return Buffer(str(int(text)), days=int(text))
    raise PlanningError(
        [
            "buffer: "
            + _("{value!r} is neither whole working days (e.g. 2) nor a percentage (e.g. 40%)").format(
                value=text
            )
        ]
    )


def parse_closures(items: Iterable[object]) -> frozenset[dt.date]:
    """Expand closure days: dates (``2026-12-24``) and periods (``2026-12-21..2027-01-01``).

    Raises:
        PlanningError: listing every item that is not a date or a valid period.
    """
    days: set[dt.date] = set()
    problems: list[str] = []
    for index, item in enumerate(items, start=1):
        try:
            first, last = _period(item)
        except ValueError as exc:
            problems.append(
                "closures: " + _("item {number}: {value!r} {problem}").format(number=index, value=item, problem=exc)
            )
            continue
        day = first
        while day <= last:
            days.add(day)
            day += dt.timedelta(days=1)
    if problems:
        raise PlanningError(problems)
    return frozenset(days)


def _period(item: object) -> tuple[dt.date, dt.date]:
    if isinstance(item, dt.date):
        return item, item
    if isinstance(item, (tuple, list)) and len(item) == 2:
        first, last = (_one_date(str(x)) for x in item)
    else:
        text = str(item).strip()
        left, sep, right = text.partition("..")
        first = _one_date(left)
        last = _one_date(right) if sep else first
    if last < first:
        raise ValueError(_("ends before it begins"))
    if (last - first).days >= MAX_CLOSURE_SPAN:
        raise ValueError(_("is longer than {count} days").format(count=MAX_CLOSURE_SPAN))
    return first, last


def _one_date(text: str) -> dt.date:
    from .paramtypes import parse_date

    day = parse_date(text)
    if day is None:
        raise ValueError(_("is not a date (YYYY-MM-DD) or a period (YYYY-MM-DD..YYYY-MM-DD)"))
    return day


# --- the plan -------------------------------------------------------------------


class Plan(NamedTuple):
    """The result of :func:`make_plan`. All dates are working days of the calendar.

    Attributes:
        start: the day the request came in.
        received_at: the time it came in, if known.
        cutoff: requests at or after this time count from the next working day.
        after_cutoff: whether ``received_at`` was at or after the cut-off.
        received: the working day the request counts from (see the module docs).
        effort_days: days of real work, as given.
        briefing_days: days of briefing (the ``debrief`` input).
        debrief_days: follow-up time: half a day per day of briefing.
        work_days: effort plus debrief, rounded up to whole working days.
        buffer: the buffer as given.
        buffer_days: the buffer in whole working days.
        keep_days: working days of buffer kept after conceding (fallback minus internal).
        internal: the internal target: the day the work is done.
        fallback: the date that may be conceded when the client pushes back.
        promised: the date offered to the client.
        calendar: the working-day calendar used.
        skipped: weekday holidays and closure days between the receiving day and ``promised``.
    """

    start: dt.date
    received_at: dt.time | None
    cutoff: dt.time
    after_cutoff: bool
    received: dt.date
    effort_days: Decimal
    briefing_days: Decimal
    debrief_days: Decimal
    work_days: int
    buffer: Buffer
    buffer_days: int
    keep_days: int
    internal: dt.date
    fallback: dt.date
    promised: dt.date
    calendar: WorkCalendar
    skipped: tuple[Skipped, ...]

    @property
    def region(self) -> Region:
        """The region whose holidays were skipped."""
        return self.calendar.region

    @property
    def concede_days(self) -> int:
        """Working days that may be given away: promised minus fallback."""
        return self.buffer_days - self.keep_days

    def debrief_slots(self) -> list[tuple[dt.date, Decimal]]:
        """Return (day, fraction of a day) blocks for the debrief, from the first working day on."""
        slots: list[tuple[dt.date, Decimal]] = []
        remaining = self.debrief_days
        day = self.received
        while remaining > 0:
            day = self.calendar.next_working_day(day)
            share = min(remaining, Decimal(1))
            slots.append((day, share))
            remaining -= share
        return slots


def make_plan(
    start: dt.date,
    effort_days: object,
    buffer: object = DEFAULT_BUFFER,
    *,
    region: str | Region = DEFAULT_REGION,
    debrief: object = 0,
    closures: Iterable[object] = (),
    received_at: dt.time | None = None,
    cutoff: dt.time | None = DEFAULT_CUTOFF,
    catholic: bool = False,
    today: dt.date | None = None,
) -> Plan:
    """Compute the internal target, fallback and promised dates for a piece of work.

    Args:
        start: the day the request came in.
        effort_days: working days of real work (``5``, ``2.5``); rounded up with the debrief.
        buffer: whole working days (``2``) or a percentage of the work (``"40%"``, rounded up).
        region: ``DE`` (nationwide holidays only), ``DE-BY``, ``AT``, ``AT-9``, ``CH-ZH``, …
        debrief: days of briefing; half a day of follow-up is planned per briefing day.
        closures: your own days off: dates or ``first..last`` periods.
        received_at: the time the request came in; with ``cutoff`` it decides the first day.
        cutoff: requests at or after this time count from the next working day.
        catholic: also skip the holidays of Catholic-majority municipalities.
        today: when given, a promised date before ``today`` is refused.

    Raises:
        PlanningError: listing every problem (unknown region, negative or absurd values).
    """
    problems: list[str] = []

    def collect(func: Callable[..., Any], *args: Any) -> Any:
        try:
            return func(*args)
        except PlanningError as exc:
            problems.extend(exc.problems)
            return None

    the_region = collect(parse_region, region)
    effort = collect(parse_days, effort_days, "effort_days")
    briefing = collect(parse_days, debrief if debrief is not None else 0, "debrief")
    the_buffer = collect(parse_buffer, buffer if buffer is not None else DEFAULT_BUFFER)
    days_off = collect(parse_closures, closures or ())
    if effort is not None and effort > MAX_EFFORT_DAYS:
        problems.append(
            "effort_days: "
            + _("{days} is more than {maximum} working days").format(days=effort, maximum=MAX_EFFORT_DAYS)
        )
    if briefing is not None and briefing > MAX_BRIEFING_DAYS:
        problems.append(
            "debrief: "
            + _("{days} days of briefing is more than {maximum}").format(days=briefing, maximum=MAX_BRIEFING_DAYS)
        )
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        problems.append(
            "start: "
            + _("{day} is outside the years {first}-{last}").format(
                day=start.isoformat(), first=MIN_YEAR, last=MAX_YEAR
            )
        )
    if catholic and the_region is not None and the_region.country != "DE":
        problems.append("catholic: " + _("only applies to German regions (DE-…)"))
    if problems:
        raise PlanningError(problems)
    assert the_region is not None and effort is not None and briefing is not None
    assert the_buffer is not None and days_off is not None
    debrief_days = briefing / 2
    work = effort + debrief_days
    work_days = math.ceil(work)
    buffer_days = the_buffer.working_days(work)
    if buffer_days > MAX_BUFFER_FACTOR * work:
        problems.append(
            "buffer: "
            + _("{buffer} means {count} working days, more than {factor} times the {work} days of work").format(
                buffer=the_buffer.text, count=buffer_days, factor=MAX_BUFFER_FACTOR, work=_plain(work)
            )
        )
    elif buffer_days > MAX_BUFFER_DAYS:
        problems.append(
            "buffer: "
            + _("{count} working days is more than {maximum}").format(count=buffer_days, maximum=MAX_BUFFER_DAYS)
        )
    if problems:
        raise PlanningError(problems)
    calendar = WorkCalendar(the_region, days_off, catholic)
    cut = cutoff if cutoff is not None else DEFAULT_CUTOFF
    after_cutoff = received_at is not None and received_at >= cut
    received = start if calendar.is_working_day(start) and not after_cutoff else calendar.next_working_day(start)
    internal = calendar.add_working_days(received, work_days)
    keep_days = math.ceil(buffer_days / 2)
    fallback = calendar.add_working_days(internal, keep_days)
    promised = calendar.add_working_days(internal, buffer_days)
    if today is not None and promised < today:
        raise PlanningError(
            [
                "start: "
                + _("{day} is too far back: the promised date {promised} would be before today ({today})").format(
                    day=start.isoformat(), promised=promised.isoformat(), today=today.isoformat()
                )
            ]
        )
    return Plan(
        start=start,
        received_at=received_at,
        cutoff=cut,
        after_cutoff=after_cutoff,
        received=received,
        effort_days=effort,
        briefing_days=briefing,
        debrief_days=debrief_days,
        work_days=work_days,
        buffer=the_buffer,
        buffer_days=buffer_days,
        keep_days=keep_days,
        internal=internal,
        fallback=fallback,
        promised=promised,
        calendar=calendar,
        skipped=calendar.skipped_between(start, promised),
    )


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


# --- checking a fixed date -----------------------------------------------------------

_WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday")
)


def check_working_day(
    day: dt.date, name: str, *, calendar: WorkCalendar, today: dt.date
) -> list[str]:
    """Return problems with a fixed date: in the past, on a weekend, holiday or closure day.

    Each problem names the parameter and, where it helps, suggests the next working day.

    >>> cal = WorkCalendar(parse_region("DE"))
    >>> problems = check_working_day(
    ...     dt.date(2026, 12, 25), "deadline", calendar=cal, today=dt.date(2026, 11, 24)
    ... )
    >>> for part in problems[0].split("; "):
    ...     print(part)
    deadline: 2026-12-25 is a public holiday in DE (Erster Weihnachtstag)
    the next working day is 2026-12-28 (Monday)
    """
    if day < today:
        return [
            _("{name}: {day} is in the past (today is {today})").format(
                name=name, day=day.isoformat(), today=today.isoformat()
            )
        ]
    if day.year > MAX_YEAR:
        return [
            f"{name}: "
            + _("{day} is too far in the future (after {year})").format(day=day.isoformat(), year=MAX_YEAR)
        ]
    if calendar.is_working_day(day):
        return []
    after = calendar.next_working_day(day)
    if day.weekday() >= 5:
        problem = _("{day} is a {weekday}; the next working day is {next_day} ({next_weekday})")
    elif day in calendar.closures and calendar.holiday(day) is None:
        problem = _("{day} is one of your closure days; the next working day is {next_day} ({next_weekday})")
    else:
        problem = _(
            "{day} is a public holiday in {region} ({holiday}); the next working day is {next_day} ({next_weekday})"
        )
    text = problem.format(
        day=day.isoformat(),
        weekday=_(_WEEKDAYS[day.weekday()]),
        region=calendar.region.code,
        holiday=calendar.holiday(day),
        next_day=after.isoformat(),
        next_weekday=_(_WEEKDAYS[after.weekday()]),
    )
    return [f"{name}: {text}"]
