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
import functools
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from .errors import InvalidInput, did_you_mean

#: The countries whose public holidays phrasebook knows, with their time zone.
COUNTRIES: dict[str, str] = {"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich"}
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

_ISO_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")
_NUMBER = re.compile(r"^\d{1,12}(?:[.,]\d{1,2})?$")  # too many days are reported as such
_PERCENT = re.compile(r"^(\d{1,4}(?:[.,]\d{1,2})?)\s*%$")


class PlanningError(InvalidInput):
    """One or more planning values are wrong; every problem names its parameter.

    Attributes:
        problems: one line per problem, each starting with the parameter's name.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


# --- regions -----------------------------------------------------------------


class Region(NamedTuple):
    """A country or one of its subdivisions (ISO 3166-2), e.g. ``DE-BY``.

    Attributes:
        code: the normalised code, ``DE`` or ``DE-BY``.
        country: ``DE``, ``AT`` or ``CH``.
        subdiv: the subdivision as the ``holidays`` package names it (``BY``, ``9``), or None.
        timezone: the IANA time zone used for timed calendar entries.
    """

    code: str
    country: str
    subdiv: str | None
    timezone: str

    @property
    def nationwide_only(self) -> bool:
        """Whether only the nationwide holidays apply (no subdivision given)."""
        return self.subdiv is None

    @property
    def name(self) -> str | None:
        """The subdivision's local name (``Bayern``, ``Wien``), or None for a whole country.

        >>> parse_region("DE-BY").name
        'Bayern'
        """
        return _subdivision_names(self.country).get(self.subdiv) if self.subdiv else None


@functools.cache
def _subdivisions(country: str) -> tuple[str, ...]:
    return tuple(_country_regions(country)["codes"])


@functools.cache
def _subdivision_names(country: str) -> dict[str, str]:
    return dict(_country_regions(country)["names"])


@functools.cache
def _country_regions(country: str) -> dict[str, Any]:
    """The ISO subdivision codes of ``country`` and a name for each, from ``holidays``.

    Remembered in the user's cache (see :mod:`phrasebook.cache`): importing
    ``holidays`` costs a fresh process more than everything else it does.
    """
    from . import cache

    identity = cache.package_identity("holidays")
    name = f"{cache.package_folder('holidays', identity)}/{country}-regions.json" if identity else ""
    stored = cache.load(name, identity) if identity else None
    if _is_regions(stored):
        return stored  # type: ignore[no-any-return]
    import holidays

    cls = type(holidays.country_holidays(country, years=2026))
    names: dict[str, str] = {}
    for alias, code in cls.subdivisions_aliases.items():
        names.setdefault(code, alias)
    regions = {
        "codes": [s for s in cls.subdivisions if _ISO_SUBDIVISION.match(s)],
        "names": names,
    }
    if identity:
        cache.store(name, identity, regions)
    return regions


def _is_regions(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("codes"), list)
        and all(isinstance(c, str) and _ISO_SUBDIVISION.match(c) for c in data["codes"])
        and isinstance(data.get("names"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in data["names"].items())
    )


def region_codes(country: str | None = None) -> list[str]:
    """Return the valid region codes, for one country or for all of them.

    >>> region_codes("AT")[:3]
    ['AT', 'AT-1', 'AT-2']
    """
    countries = [country] if country else list(COUNTRIES)
    codes: list[str] = []
    for name in countries:
        codes.append(name)
        codes.extend(f"{name}-{sub}" for sub in _subdivisions(name))
    return codes


def parse_region(text: str | Region) -> Region:
    """Return the :class:`Region` for a code such as ``DE``, ``de-by`` or ``AT-9``.

    Raises:
        PlanningError: for an unknown code, with a "did you mean" hint and the valid codes.
    """
    if isinstance(text, Region):
        return text
    raw = str(text).strip()
    code = re.sub(r"[\s_]+", "-", raw).upper()
    country, _, subdiv = code.partition("-")
    if country in COUNTRIES and (not subdiv or subdiv in _subdivisions(country)):
        return Region(code, country, subdiv or None, COUNTRIES[country])
    if country in COUNTRIES:
        valid = region_codes(country)
        hint = _region_hint(code, valid)
        raise PlanningError(
            [f"region: {raw!r} is not a region of {country}{hint}; valid codes: {', '.join(valid)}"]
        )
    owners = [c for c in COUNTRIES if not subdiv and country in _subdivisions(c)]
    hint = f" (did you mean '{owners[0]}-{country}'?)" if len(owners) == 1 else _region_hint(code, region_codes())
    raise PlanningError(
        [f"region: {raw!r} is not a known region{hint}; valid codes: " + ", ".join(region_codes())]
    )


def _region_hint(code: str, valid: Sequence[str]) -> str:
    """Suggest codes that differ in one character (``DE-BX`` → the four ``DE-B?``), else difflib's.

    >>> _region_hint("DE-BX", ["DE", "DE-BB", "DE-BY", "DE-HB"])
    " (did you mean 'DE-BB' or 'DE-BY'?)"
    """
    near = [
        v
        for v in valid
        if len(v) == len(code) and sum(a != b for a, b in zip(v, code, strict=True)) == 1
    ]
    if len(near) == 1:
        return f" (did you mean {near[0]!r}?)"
    if near:
        return " (did you mean " + ", ".join(repr(n) for n in near[:-1]) + f" or {near[-1]!r}?)"
    return did_you_mean(code, list(valid))


# --- the working-day calendar ----------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _holiday_names(
    country: str, subdiv: str | None, year: int, language: str, catholic: bool
) -> dict[dt.date, str]:
    """The public holidays of one region and year, with their names in ``language``.

    Remembered in the user's cache (see :mod:`phrasebook.cache`) for as long as the
    same installation of ``holidays`` would compute them.
    """
    from . import cache

    identity = cache.package_identity("holidays")
    kind = "catholic" if catholic else "public"
    table_name = f"{country}-{subdiv or ''}-{year}-{language}-{kind}.json"
    name = f"{cache.package_folder('holidays', identity)}/{table_name}" if identity else ""
    stored = cache.load(name, identity) if identity else None
    if isinstance(stored, dict):
        try:
            return {dt.date.fromisoformat(day): str(title) for day, title in stored.items()}
        except (TypeError, ValueError):
            pass
    import holidays

    categories = ("public", "catholic") if catholic else ("public",)
    table = dict(
        holidays.country_holidays(
            country, subdiv=subdiv, years=year, language=language, categories=categories
        ).items()
    )
    if identity:
        cache.store(name, identity, {day.isoformat(): title for day, title in table.items()})
    return table


class Skipped(NamedTuple):
    """A weekday that is not a working day: a public holiday or a closure day.

    Attributes:
        day: the date.
        kind: ``holiday`` or ``closure``.
        name: the holiday's German name (empty for closure days).
        name_en: the holiday's English name (empty for closure days).
    """

    day: dt.date
    kind: str
    name: str = ""
    name_en: str = ""


class WorkCalendar(NamedTuple):
    """Working days of one region, minus the user's closure days.

    Attributes:
        region: the region whose public holidays apply.
        closures: extra days off (vacation), any weekday.
        catholic: also count the holidays of Catholic-majority municipalities
            (Mariä Himmelfahrt in Bayern, Fronleichnam in parts of Sachsen and Thüringen).
    """

    region: Region
    closures: frozenset[dt.date] = frozenset()
    catholic: bool = False

    def holiday(self, day: dt.date, language: str = "de") -> str | None:
        """Return the holiday's name (``language`` ``de`` or ``en``), or None.

        >>> WorkCalendar(parse_region("DE-SN")).holiday(dt.date(2026, 11, 18))
        'Buß- und Bettag'
        """
        code = "de" if language == "de" else "en_US"
        names = _holiday_names(
            self.region.country, self.region.subdiv, day.year, code, self.catholic
        )
        return names.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is Monday to Friday, not a holiday and not a closure day."""
        return day.weekday() < 5 and day not in self.closures and self.holiday(day) is None

    def skipped(self, day: dt.date) -> Skipped | None:
        """Describe why a weekday is not a working day (None for weekends and working days)."""
        if day.weekday() >= 5:
            return None
        name = self.holiday(day)
        if name is not None:
            return Skipped(day, "holiday", name, self.holiday(day, "en") or name)
        if day in self.closures:
            return Skipped(day, "closure")
        return None

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return the first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """Return the ``count``-th working day after ``day`` (exclusive count).

        With ``count == 0`` the result is ``day`` itself when it is a working day,
        otherwise the next working day.

        >>> cal = WorkCalendar(parse_region("DE"))
        >>> cal.add_working_days(dt.date(2026, 11, 23), 7)
        datetime.date(2026, 12, 2)
        """
        if count < 0:
            raise ValueError("count must not be negative")
        if count == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def skipped_between(self, first: dt.date, last: dt.date) -> tuple[Skipped, ...]:
        """Return the holidays and closure days on weekdays in ``first..last`` (inclusive)."""
        found = []
        day = first
        while day <= last:
            entry = self.skipped(day)
            if entry is not None:
                found.append(entry)
            day += dt.timedelta(days=1)
        return tuple(found)


# --- parsing the planning values ---------------------------------------------------


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def parse_days(value: object, name: str) -> Decimal:
    """Parse a non-negative number of days such as ``5``, ``2.5`` or ``2,5``.

    Raises:
        PlanningError: naming the parameter when the value is not such a number.
    """
    if isinstance(value, bool):
        raise PlanningError([f"{name}: {value!r} is not a number of days"])
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if text.startswith("-"):
            raise PlanningError([f"{name}: {text!r} must not be negative"])
        if not _NUMBER.match(text):
            raise PlanningError([f"{name}: {text!r} is not a number of days (e.g. 5 or 2.5)"])
        number = _decimal(text)
    if number < 0:
        raise PlanningError([f"{name}: {value!r} must not be negative"])
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
        raise PlanningError([f"buffer: {value!r} is not a buffer"])
    text = str(value).strip()
    if text.startswith("-"):
        raise PlanningError([f"buffer: {text!r} must not be negative"])
    match = _PERCENT.match(text)
    if match:
        percent = _decimal(match.group(1))
        return Buffer(f"{percent.normalize():f}%", percent=percent)
    if re.fullmatch(r"\d{1,4}", text):
        return Buffer(str(int(text)), days=int(text))
    raise PlanningError(
        [f"buffer: {text!r} is neither whole working days (e.g. 2) nor a percentage (e.g. 40%)"]
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
            problems.append(f"closures: item {index}: {item!r} {exc}")
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
        raise ValueError("ends before it begins")
    if (last - first).days >= MAX_CLOSURE_SPAN:
        raise ValueError(f"is longer than {MAX_CLOSURE_SPAN} days")
    return first, last


def _one_date(text: str) -> dt.date:
    from .paramtypes import parse_date

    day = parse_date(text)
    if day is None:
        raise ValueError("is not a date (YYYY-MM-DD) or a period (YYYY-MM-DD..YYYY-MM-DD)")
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

    def collect(func, *args):  # type: ignore[no-untyped-def]
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
        problems.append(f"effort_days: {effort} is more than {MAX_EFFORT_DAYS} working days")
    if briefing is not None and briefing > MAX_BRIEFING_DAYS:
        problems.append(f"debrief: {briefing} days of briefing is more than {MAX_BRIEFING_DAYS}")
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        problems.append(f"start: {start.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    if catholic and the_region is not None and the_region.country != "DE":
        problems.append("catholic: only applies to German regions (DE-…)")
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
            f"buffer: {the_buffer.text} means {buffer_days} working days, more than "
            f"{MAX_BUFFER_FACTOR} times the {_plain(work)} days of work"
        )
    elif buffer_days > MAX_BUFFER_DAYS:
        problems.append(f"buffer: {buffer_days} working days is more than {MAX_BUFFER_DAYS}")
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
                f"start: {start.isoformat()} is too far back: the promised date "
                f"{promised.isoformat()} would be before today ({today.isoformat()})"
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

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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
        return [f"{name}: {day.isoformat()} is in the past (today is {today.isoformat()})"]
    if day.year > MAX_YEAR:
        return [f"{name}: {day.isoformat()} is too far in the future (after {MAX_YEAR})"]
    if calendar.is_working_day(day):
        return []
    after = calendar.next_working_day(day)
    suggestion = f"the next working day is {after.isoformat()} ({_WEEKDAYS[after.weekday()]})"
    if day.weekday() >= 5:
        why = f"is a {_WEEKDAYS[day.weekday()]}"
    elif day in calendar.closures and calendar.holiday(day) is None:
        why = "is one of your closure days"
    else:
        why = f"is a public holiday in {calendar.region.code} ({calendar.holiday(day)})"
    return [f"{name}: {day.isoformat()} {why}; {suggestion}"]
