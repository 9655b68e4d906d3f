"""``phrasebook promises``: the open promises, chosen and written as a table, JSON, CSV or
a calendar.

Every judgement of time ("due", "overdue", "in 3 days") is made against ``today``,
which the command takes from ``--today``. The table is in the output language; JSON
and CSV use the same field names in every language, for programs; the calendar
(:mod:`phrasebook.ics`) gives each entry a UID derived from the promise's key, so
importing it again updates the events instead of adding new ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from typing import Any

from .errors import InvalidInput
from .ledger import Entry
from .messages import _, translator

#: The fields of ``--format json`` and ``csv``, in order.
FIELDS = (
    "id", "state", "due", "time", "days", "client", "kind", "what", "scenario", "internal_target",
    "fallback", "language", "file", "written",
)
#: The states of an open promise on a given day, most urgent first.
STATES = ("overdue", "today", "open", "undated")

_HORIZON = re.compile(r"\s*(\d{1,4})\s*([dwDW]?)\s*")


def parse_horizon(text: str) -> int:
    """The days of ``--due``: ``7d`` (or ``7``) seven days, ``2w`` two weeks, ``0d`` today only.

    >>> parse_horizon("7d"), parse_horizon("2w"), parse_horizon("0")
    (7, 14, 0)

    Raises:
        InvalidInput: naming the value and what was expected.
    """
    match = _HORIZON.fullmatch(text)
    if match is None:
        raise InvalidInput(
            "--due: " + _("{value!r} is not a number of days or weeks such as 7d or 2w").format(value=text)
        )
    number = int(match.group(1))
    return number * 7 if match.group(2).lower() == "w" else number


def parse_day(text: str, today: dt.date) -> dt.date:
    """A date of ``promises move``: ``YYYY-MM-DD``, ``DD.MM.YYYY`` or relative to ``today``
    (``+3 working days``: Monday to Friday); not before ``today``.

    Raises:
        InvalidInput: naming the value and what was expected.
    """
    from .dateexpr import parse
    from .paramtypes import parse_date

    try:
        relative = parse(text)
        day = relative.resolve(today) if relative is not None else parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput("DATE: " + _(
            "{value!r} is not a date in the form YYYY-MM-DD, DD.MM.YYYY or +3 working days"
        ).format(value=text))
    if day < today:
        raise InvalidInput("DATE: " + _("{day} has passed; give today or a later date").format(day=day.isoformat()))
    return day


def state(entry: Entry, today: dt.date) -> str:
    """``overdue``, ``today``, ``open`` (due later) or ``undated``, as seen on ``today``."""
    due = entry.promise.due
    if due is None:
        return "undated"
    if due < today:
        return "overdue"
    return "today" if due == today else "open"


def select(
    entries: Sequence[Entry],
    *,
    today: dt.date,
    within: int | None = None,
    overdue: bool = False,
    client: str | None = None,
    scenario: str | None = None,
) -> list[Entry]:
    """The entries that pass the filters, most urgent first (overdue, due today, by date,
    undated last).

    Args:
        within: only those due within this many days of ``today`` (overdue ones too).
        overdue: only those whose date has passed.
        client: only those whose client contains this text (case ignored).
        scenario: only those of this scenario.
    """
    wanted = client.casefold() if client else None
    chosen = []
    for entry in entries:
        promise = entry.promise
        if within is not None and (promise.due is None or promise.due > today + dt.timedelta(days=within)):
            continue
        if overdue and state(entry, today) != "overdue":
            continue
        if wanted is not None and wanted not in promise.client.casefold():
            continue
        if scenario is not None and promise.scenario != scenario:
            continue
        chosen.append(entry)
    return sorted(chosen, key=lambda e: (e.promise.due is None, e.promise.due or today,
                                         e.promise.due_time or dt.time(23, 59, 59), e.id))


def when(entry: Entry, today: dt.date, code: str) -> str:
    """How far the promise is from ``today``, in words: "2 days overdue", "today", "in 3 days"."""
    t = translator(code)
    due = entry.promise.due
    if due is None:
        return t.gettext("no date")
    days = (due - today).days
    if days < 0:
        return t.ngettext("{count} day overdue", "{count} days overdue", -days).format(count=-days)
    if days == 0:
        return t.gettext("today")
    if days == 1:
        return t.gettext("tomorrow")
    return t.ngettext("in {count} day", "in {count} days", days).format(count=days)


def _record(entry: Entry, today: dt.date) -> dict[str, Any]:
    p = entry.promise
    return {
        "id": entry.id,
        "state": state(entry, today),
        "due": p.due.isoformat() if p.due else None,
        "time": p.due_time.strftime("%H:%M") if p.due_time else None,
        "days": (p.due - today).days if p.due else None,
        "client": p.client,
        "kind": p.kind,
        "what": p.what,
        "scenario": p.scenario,
        "internal_target": p.internal.isoformat() if p.internal else None,
        "fallback": p.fallback.isoformat() if p.fallback else None,
        "language": p.lang,
        "file": p.file,
        "written": p.written.isoformat() if p.written else None,
    }


def as_json(entries: Sequence[Entry], today: dt.date) -> str:
    """The entries as a JSON list (ISO dates; ``days``: from today, negative when overdue)."""
    return json.dumps([_record(e, today) for e in entries], ensure_ascii=False, indent=2) + "\n"


def as_csv(entries: Sequence[Entry], today: dt.date) -> str:
    """The entries as CSV with a header line (the fields of :data:`FIELDS`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({k: ("" if v is None else v) for k, v in _record(entry, today).items()})
    return out.getvalue()


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def as_table(entries: Sequence[Entry], today: dt.date, language: Any) -> list[tuple[str, str]]:
    """The entries as lines of a table in ``language``: (state, line) pairs, the heading's
    state being ``heading`` (so that a terminal can colour what is due)."""
    from .l10n import format_date, format_time
    from .promises import kind_label

    code = language.code
    t = translator(code)
    if not entries:
        return [("heading", t.gettext("No open promises."))]

    def day(value: dt.date | None) -> str:
        return format_date(value, "medium", language=language) if value else "-"

    planned = any(e.promise.internal for e in entries)
    head = [t.gettext("ID"), t.gettext("Due"), t.gettext("When"), t.gettext("Client"), t.gettext("Kind"),
            t.gettext("What")]
    if planned:
        head += [t.gettext("Internal target"), t.gettext("Fallback")]
    rows = []
    for entry in entries:
        p = entry.promise
        due = day(p.due) + (", " + format_time(p.due_time, language=language) if p.due_time else "")
        row = [f"#{entry.id}", due, when(entry, today, code), _clip(p.client or "-", 28),
               kind_label(p.kind, code), _clip(p.what, 40)]
        if planned:
            row += [day(p.internal) if p.internal else "", day(p.fallback) if p.fallback else ""]
        rows.append((state(entry, today), row))
    widths = [max(len(r[i]) for r in [head, *(row for _s, row in rows)]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return [("heading", line(head)), *((s, line(row)) for s, row in rows)]


def as_calendar(entries: Sequence[Entry], today: dt.date, language: Any) -> str:
    """The entries as an iCalendar file: the promised date (a point in time when it has
    one) and, for planned ones, the internal target; UIDs derived from each promise's key."""
    from .ics import CalendarEntry, stable_uid, to_ical
    from .promises import kind_label

    t = translator(language.code)
    events = []
    for entry in entries:
        p = entry.promise
        if p.due is None:
            continue
        kind = kind_label(p.kind, language.code)
        summary = t.gettext("{kind}: {what} ({client})").format(
            kind=kind[:1].upper() + kind[1:], client=p.client or "-", what=p.what
        )
        lines = [t.gettext("Promise #{id} ({scenario})").format(id=entry.id, scenario=p.scenario)]
        if p.internal:
            lines.append(t.gettext("Internal target: {day}").format(day=p.internal.isoformat()))
        if p.fallback:
            lines.append(t.gettext("Fallback: {day}").format(day=p.fallback.isoformat()))
        if p.file:
            lines.append(p.file)
        notes = "\n".join(lines)
        uid = stable_uid("promise", p.key)
        if p.due_time is not None:
            events.append(CalendarEntry(uid, summary, notes, start=dt.datetime.combine(p.due, p.due_time)))
        else:
            events.append(CalendarEntry(uid, summary, notes, day=p.due))
        if p.internal:
            events.append(CalendarEntry(
                stable_uid("promise", p.key, "internal"),
                t.gettext("Internal target: {what}").format(what=p.what), notes, day=p.internal,
            ))
    return to_ical(events, today=today)


def history_lines(entry: Entry, events: Sequence[tuple[dt.date, str, Any, Any]], code: str) -> list[str]:
    """The history of one promise, one line per event, in language ``code``."""
    t = translator(code)
    names = {
        "written": t.gettext("written"), "rewritten": t.gettext("written again"),
        "done": t.gettext("done"), "cancelled": t.gettext("cancelled"), "moved": t.gettext("moved"),
        "dropped": t.gettext("no longer in the document"),
    }
    p = entry.promise
    lines = [f"#{entry.id} {p.client or '-'}: {p.what} ({p.scenario})"]
    for day, event, due, previous in events:
        text = f"  {day.isoformat()}  {names.get(event, event)}"
        if due is not None and previous is not None:
            text += f": {previous.isoformat()} → {due.isoformat()}"
        elif due is not None:
            text += f": {due.isoformat()}"
        lines.append(text)
    return lines
