"""The checks of the scenarios about collaboration rules and a client's part: a fee for a
missed appointment (``no_show_fee``), office hours and a call outside them
(``office_hours``), new terms (``terms``) and a promised date re-planned around a client's
overdue part (``progress``). The shared pieces (:class:`~phrasebook.checks.Derived`, the
work calendar) are in :mod:`phrasebook.checks`; :mod:`phrasebook.checkrunner` runs them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from .checks import Derived, _calendar, _promised_entries, regional_holiday_note, working_days
from .errors import PlanningError
from .l10n import Language
from .messages import _


def no_show_fee(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """A ``fee`` is what a missed appointment costs: with ``no_show: counts_as_held`` nothing
    is charged, so a fee given with it would be left unsaid; it is refused instead."""
    fee = values.get("fee")
    if fee is None or values.get("no_show") != "counts_as_held":
        return Derived(values)
    return Derived(values, problems=(
        "fee: " + _("{value} is charged only with no_show: charged (no_show is counts_as_held); "
                    "leave fee out or set no_show to charged").format(value=fee),
    ))


#: The working days of ``reachability``'s ``days`` choice (Monday is 0).
WORKING_WEEKS: Mapping[str, frozenset[int]] = {
    "mon_fri": frozenset(range(5)), "mon_thu": frozenset(range(4)),
    "tue_fri": frozenset(range(1, 5)), "mon_sat": frozenset(range(6)),
}


def _weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def office_hours(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """``hours_to`` comes after ``hours_from``; a client's call or message (``contact_date``,
    ``contact_time``) is marked ``contact_outside`` when it fell outside those hours, on a
    day off (``days``) or on a public holiday (of ``region``, else the nationwide ones)."""
    start, end = values.get("hours_from"), values.get("hours_to")
    if not isinstance(start, dt.time) or not isinstance(end, dt.time):
        return Derived(values)
    if end <= start:
        return Derived(values, problems=(
            "hours_to: " + _("{end} is not after hours_from ({start})").format(
                end=end.strftime("%H:%M"), start=start.strftime("%H:%M")
            ),
        ))
    day, at = values.get("contact_date"), values.get("contact_time")
    week = WORKING_WEEKS.get(str(values.get("days")), WORKING_WEEKS["mon_fri"])
    outside = isinstance(day, dt.date) and (
        day.weekday() not in week or (isinstance(at, dt.time) and not start <= at < end)
        or (day.weekday() < 5 and not (working_days(values) or _weekday)(day))
    )
    return Derived(dict(values, contact_outside=outside))


def terms(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """New terms take effect after today; a new rate states the old one, and rises above it."""
    problems: list[str] = []
    day = values.get("effective_date")
    if isinstance(day, dt.date) and day <= today:
        problems.append(
            "effective_date: "
            + _("{day} is not in the future (today is {today}); new terms need a later date").format(
                day=day.isoformat(), today=today.isoformat()
            )
        )
    old, new = values.get("old_rate"), values.get("new_rate")
    if new is not None and old is None:
        problems.append("old_rate: " + _("missing; a new rate states the current one too"))
    elif old is not None and new is None:
        problems.append("new_rate: " + _("missing; old_rate only makes sense with the new rate"))
    elif old is not None and new is not None and new <= old:
        problems.append(
            "new_rate: " + _("{new} is not above old_rate ({old}); the letter announces an increase").format(
                new=new, old=old
            )
        )
    return Derived(values, problems=tuple(problems))


def progress(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Re-plan a promised date around the client's overdue part: it was due before today, is
    asked for by ``deliver_by`` (default: the third working day from today, a working day), and
    the remaining ``effort_days`` plus ``buffer`` are planned from that day like a deadline offer."""
    from .planning import check_working_day, make_plan

    problems: list[str] = []
    due = values.get("due_date")
    if isinstance(due, dt.date) and due >= today:
        problems.append(
            "due_date: " + _("{day} is not in the past (today is {today}); a reminder is for a part that is overdue")
            .format(day=due.isoformat(), today=today.isoformat())
        )
    calendar = _calendar(values, problems)
    if calendar is None:
        return Derived(values, problems=tuple(problems))
    day = values.get("deliver_by")
    if day is None:
        day = calendar.add_working_days(today, 3)
    elif isinstance(day, dt.date):
        problems += check_working_day(day, "deliver_by", calendar=calendar, today=today)
    if not isinstance(day, dt.date):
        return Derived(values, problems=tuple(problems))
    try:
        plan = make_plan(
            day, values.get("effort_days"), values.get("buffer"), region=values.get("region") or "DE",
            closures=values.get("closures") or (), catholic=bool(values.get("catholic")), today=today,
        )
    except PlanningError as exc:
        problems += exc.problems
    if problems:
        return Derived(values, problems=tuple(problems))
    promised = values.get("promised_date")
    new_date = max(plan.promised, promised) if isinstance(promised, dt.date) else plan.promised
    entry = functools.partial(
        _promised_entries, new_date, None, calendar.region.timezone, language, values.get("deliverable"), values
    )
    notes = regional_holiday_note(values.get("deliver_by"), "deliver_by", values, problems)
    return Derived(dict(values, deliver_by=day, new_date=new_date), plan=plan, events=(entry,), notes=notes)
