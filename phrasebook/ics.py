"""Calendar files (RFC 5545, ``.ics``) for plans, promised deadlines and callbacks.

Entries are built as plain :class:`CalendarEntry` values first (cheap, no
``icalendar`` import); :func:`to_ical` turns them into a calendar file:

* dates without a time (internal target, promised date) become all-day events
  (``DTSTART;VALUE=DATE``, ``DTEND`` the next day) marked as free time;
* entries with a time (debrief block, callback, a deadline with a time) are timed
  events in the region's time zone (``TZID=Europe/Berlin`` …) with the matching
  ``VTIMEZONE``;
* every ``UID`` is derived from the inputs, so the same plan always gives the same
  UIDs and importing it again updates the entries instead of duplicating them;
* ``DTSTAMP`` is the writing date (``--today``) at 00:00 UTC, so the output does
  not depend on the clock or the machine's time zone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .l10n import Language, format_date, format_time
from .messages import translator

PRODID = "-//phrasebook//phrasebook//EN"
#: Debrief blocks start at this time; a full day of follow-up lasts eight hours.
DEBRIEF_START = dt.time(9, 0)
WORKING_DAY_HOURS = 8
#: A callback is blocked in the calendar for this long, ending at the promised time.
CALLBACK_MINUTES = 30

@dataclass(frozen=True)
class CalendarEntry:
    """One calendar event, before it becomes iCalendar text.

    Attributes:
        uid: the stable unique id (``…@phrasebook``).
        summary: the event's title.
        description: the event's notes (may be empty).
        day: the date of an all-day event, or None for a timed one.
        start: the start of a timed event (time-zone aware), or None.
        end: the end of a timed event; None for a point in time.
    """

    uid: str
    summary: str
    description: str = ""
    day: dt.date | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def stable_uid(*parts: object) -> str:
    """Return a UID that depends only on ``parts``.

    >>> stable_uid("promised", "2026-11-23", "Konzept")
    'ac3cef48eec21e4ebf1722be@phrasebook'
    """
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{digest[:24]}@phrasebook"


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _with(label: str, title: str | None) -> str:
    return f"{label}: {title}" if title else label


def plan_entries(
    plan: Any,
    *,
    language: Language,
    title: str | None = None,
    who: str | None = None,
    deadline_time: dt.time | None = None,
) -> list[CalendarEntry]:
    """Entries for a :class:`~phrasebook.planning.Plan`: internal target, promised date, debrief."""
    t = translator(language.code)
    seed = ("plan", plan.start.isoformat(), title or "", who or "")

    def full(day: dt.date) -> str:
        return format_date(day, "full", language=language)

    internal = t.gettext("Internal target")
    lines = [
        _with(t.gettext("Promised date"), full(plan.promised)),
        _with(t.gettext("Fallback"), full(plan.fallback)),
        _with(internal, full(plan.internal)),
    ]
    if plan.concede_days:
        lines.append(t.gettext("If the client pushes back, concede up to the fallback date."))
    if who:
        lines.append(t.gettext("For: {who}").format(who=who))
    lines.append(t.gettext("Region: {code}").format(code=plan.region.code))
    notes = "\n".join(lines)
    entries = [
        CalendarEntry(
            stable_uid(*seed, "internal"),
            _with(internal, title),
            notes,
            day=plan.internal,
        ),
        promised_entry(
            plan.promised,
            deadline_time,
            plan.region.timezone,
            language=language,
            title=title,
            notes=notes,
            seed=seed,
        ),
    ]
    zone = _zone(plan.region.timezone)
    for number, (day, share) in enumerate(plan.debrief_slots(), start=1):
        start = dt.datetime.combine(day, DEBRIEF_START, tzinfo=zone)
        hours = Decimal(WORKING_DAY_HOURS) * share
        end = start + dt.timedelta(minutes=int(hours * 60))
        entries.append(
            CalendarEntry(
                stable_uid(*seed, f"debrief-{number}"),
                _with(t.gettext("Briefing follow-up"), title),
                notes,
                start=start,
                end=end,
            )
        )
    return entries


def promised_entry(
    day: dt.date,
    time: dt.time | None,
    timezone: str,
    *,
    language: Language,
    title: str | None = None,
    notes: str = "",
    seed: Sequence[object] = (),
) -> CalendarEntry:
    """The promised date: all-day, or a point in time when the deadline has a time."""
    summary = _with(translator(language.code).gettext("Promised date"), title)
    uid = stable_uid(*(seed or ("deadline", title or "")), "promised")
    if time is None:
        return CalendarEntry(uid, summary, notes, day=day)
    return CalendarEntry(
        uid, summary, notes, start=dt.datetime.combine(day, time, tzinfo=_zone(timezone))
    )


def callback_entry(
    day: dt.date,
    time: dt.time,
    timezone: str,
    *,
    language: Language,
    who: str,
    promise: str = "callback",
    topic: str | None = None,
    phone: str | None = None,
) -> CalendarEntry:
    """A timed block that ends at the promised callback (or answer) time."""
    t = translator(language.code)
    end = dt.datetime.combine(day, time, tzinfo=_zone(timezone))
    start = max(
        end - dt.timedelta(minutes=CALLBACK_MINUTES),
        dt.datetime.combine(day, dt.time(0), tzinfo=end.tzinfo),
    )
    lines = [t.gettext("Promised by {time}").format(time=format_time(time, language=language))]
    if topic:
        lines.append(t.gettext("Topic: {topic}").format(topic=topic))
    if phone:
        lines.append(t.gettext("Phone: {phone}").format(phone=phone))
    if promise == "answer":
        summary = t.gettext("Answer {who}").format(who=who)
    else:
        summary = t.gettext("Call back {who}").format(who=who)
    uid = stable_uid("callback", day.isoformat(), time.isoformat(), who, topic or "")
    return CalendarEntry(uid, summary, "\n".join(lines), start=start, end=end)


def to_ical(entries: Sequence[CalendarEntry], *, today: dt.date) -> str:
    """Return the calendar as iCalendar text (CRLF line ends), time zones included."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    years: list[int] = []
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        if entry.day is not None:
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            years.append(entry.day.year)
        else:
            assert entry.start is not None
            event.add("dtstart", entry.start)
            if entry.end is not None:
                event.add("dtend", entry.end)
            years.append(entry.start.year)
        if entry.description:
            event.add("description", entry.description)
        calendar.add_component(event)
    if years:
        calendar.add_missing_timezones(
            first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 2, 1, 1)
        )
    return str(calendar.to_ical().decode("utf-8"))
