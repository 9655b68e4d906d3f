"""Semantic checks that a scenario declares in its spec (``checks: [planning]``).

A check runs after the values have been validated by type. It may refuse values
that are well-formed but make no sense (a deadline on a public holiday), derive
new values (the promised date of a plan becomes ``deadline``), hand extra data to
the templates (``plan``) and prepare calendar entries for ``--ics``.

Calendar entries are prepared as recipes (zero-argument callables) and only built
when someone asks for them: most texts are written without ``--ics``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .errors import PlanningError
from .l10n import Language
from .messages import _, current_language


class Derived(NamedTuple):
    """What the checks add to a rendering.

    Attributes:
        values: the validated values, possibly completed (e.g. ``deadline`` from a plan).
        plan: the :class:`~phrasebook.planning.Plan`, for templates as ``plan``.
        events: recipes for the calendar entries of ``--ics``: callables without
            arguments, each returning a sequence of entries (see :func:`build_events`).
        problems: problems found, each naming its parameter.
        notes: hints for the writer that do not stop the text (in the message language),
            e.g. that only nationwide holidays were checked.
    """

    values: dict[str, Any]
    plan: Any = None
    events: tuple[Callable[[], Iterable[Any]], ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def build_events(recipes: Iterable[Callable[[], Iterable[Any]]]) -> tuple[Any, ...]:
    """Build the calendar entries from the recipes a check returned, in order."""
    return tuple(entry for recipe in recipes for entry in recipe())


def _promised_entries(
    deadline: dt.date, time: dt.time | None, timezone: str, language: Language,
    title: str | None, values: Mapping[str, Any],
) -> tuple[Any, ...]:
    from .ics import promised_entry

    seed = ("deadline", deadline.isoformat(), title or "", _who(values))
    return (promised_entry(deadline, time, timezone, language=language, title=title, seed=seed),)


def _plan_entries(
    plan: Any, language: Language, title: str | None, values: Mapping[str, Any]
) -> tuple[Any, ...]:
    from .ics import plan_entries

    return tuple(
        plan_entries(
            plan, language=language, title=title, who=_who(values),
            deadline_time=values.get("deadline_time"),
        )
    )


def _callback_entries(
    day: dt.date, timezone: str, language: Language, values: Mapping[str, Any]
) -> tuple[Any, ...]:
    from .ics import callback_entry

    return (
        callback_entry(
            day,
            values["callback_by"],
            timezone,
            language=language,
            who=_who(values),
            promise=values.get("promise") or "callback",
            topic=values.get("topic"),
            phone=values.get("phone"),
        ),
    )


def _who(values: Mapping[str, Any]) -> str:
    from .mail import recipient_display_name

    return recipient_display_name(values)


def _calendar(values: Mapping[str, Any], problems: list[str]) -> Any:
    """Return the work calendar the values describe (None if it cannot be built).

    Problems with ``region``, ``closures`` or ``catholic`` are added to ``problems``,
    in the message language of the moment (so it is part of what is remembered).
    """
    region = values.get("region") or "DE"
    closures = values.get("closures") or ()
    catholic = bool(values.get("catholic"))
    try:
        key = (region, tuple(closures), catholic, current_language())
        hash(key)
    except TypeError:  # closure items that are lists: rare, not worth remembering
        calendar, found = _work_calendar.__wrapped__(region, tuple(closures), catholic, current_language())
    else:
        calendar, found = _work_calendar(*key)
    problems.extend(found)
    return calendar


def working_days(values: Mapping[str, Any]) -> Callable[[dt.date], bool] | None:
    """The test of a working day for the region, closures and ``catholic`` of ``values``.

    None when they do not describe a calendar (the checks then report why).
    """
    calendar = _calendar(values, [])
    return None if calendar is None else calendar.is_working_day


@functools.lru_cache(maxsize=256)
def _work_calendar(
    region_text: Any, closure_items: tuple[Any, ...], catholic: bool, message_language: str
) -> tuple[Any, tuple[str, ...]]:
    """Build a :class:`~phrasebook.workdays.WorkCalendar`: (calendar or None, problems).

    Remembered: a batch asks for the same region and closure days row after row. The
    problems are worded in the current message language, so that language is part of
    the key (``message_language``; the wording itself comes from :func:`_`).
    """
    from .planning import parse_closures
    from .workdays import WorkCalendar, parse_region

    problems: list[str] = []
    try:
        region = parse_region(region_text)
    except PlanningError as exc:
        problems.extend(exc.problems)
        region = None
    try:
        closures = parse_closures(closure_items)
    except PlanningError as exc:
        problems.extend(exc.problems)
        closures = frozenset()
    if region is None:
        return None, tuple(problems)
    if catholic and region.country != "DE":
        problems.append("catholic: " + _("only applies to German regions (DE-…)"))
        return None, tuple(problems)
    return WorkCalendar(region, closures, catholic), tuple(problems)


def regional_holiday_note(
    day: Any, name: str, values: Mapping[str, Any], problems: Sequence[str]
) -> tuple[str, ...]:
    """A note when a date checked without a German state (``region`` missing or ``DE``) is a
    public holiday in some German states.

    Then only the nationwide holidays are checked; a date that passed that check but is,
    say, Corpus Christi in Bavaria may still be a day off for the client.
    """
    region = values.get("region")
    if str(region or "DE").upper() != "DE" or not isinstance(day, dt.date) or problems or day.weekday() >= 5:
        return ()
    found = _regional_holidays(day, current_language())
    if not found:
        return ()
    text = "; ".join(f"{holiday} ({', '.join(codes)})" for holiday, codes in found)
    example = found[0][1][0]
    return (
        f"{name}: "
        + _(
            "{day} is a public holiday in some German states: {holidays}. Only the nationwide "
            "holidays were checked; give the client's state as region, e.g. region={example}"
        ).format(day=day.isoformat(), holidays=text, example=example),
    )


@functools.lru_cache(maxsize=4096)
def _regional_holidays(day: dt.date, message_language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The holidays on ``day`` that only some German states have: (name, state codes) pairs,
    named in the message language."""
    from .workdays import WorkCalendar, parse_region, region_codes

    names: dict[str, list[str]] = {}
    for code in region_codes("DE"):
        if code == "DE":
            continue
        calendar = WorkCalendar(parse_region(code))
        if calendar.holiday(day) is not None:
            holiday = calendar.holiday(day, message_language) or ""
            names.setdefault(holiday, []).append(code)
    return tuple((holiday, tuple(codes)) for holiday, codes in names.items())


#: Parameters that only make sense when a plan is computed from ``effort_days``.
PLAN_ONLY = ("start", "debrief", "received_at")


def planning(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Plan the deadline from ``effort_days`` (or check a fixed ``deadline``)."""
    from .planning import check_working_day, make_plan

    problems: list[str] = []
    title = values.get("deliverable")
    if values.get("effort_days") is None:
        problems += [
            f"{name}: " + _("only used together with effort_days (a planned deadline)")
            for name in PLAN_ONLY
            if values.get(name) is not None
        ]
        calendar = _calendar(values, problems)
        deadline = values.get("deadline")
        if calendar is None or deadline is None:
            return Derived(values, problems=tuple(problems))
        problems += check_working_day(deadline, "deadline", calendar=calendar, today=today)

        # Recipes are partials of module-level functions: a document with them pickles.
        promised = functools.partial(
            _promised_entries, deadline, values.get("deadline_time"), calendar.region.timezone,
            language, title, values,
        )
        notes = regional_holiday_note(deadline, "deadline", values, problems)
        return Derived(values, events=(promised,), problems=tuple(problems), notes=notes)
    try:
        plan = make_plan(
            values.get("start") or today,
            values["effort_days"],
            values.get("buffer"),
            region=values.get("region") or "DE",
            debrief=values.get("debrief") or 0,
            closures=values.get("closures") or (),
            received_at=values.get("received_at"),
            cutoff=values.get("cutoff"),
            catholic=bool(values.get("catholic")),
            today=today,
        )
    except PlanningError as exc:
        return Derived(values, problems=exc.problems)
    completed = dict(values, deadline=plan.promised)

    entries = functools.partial(_plan_entries, plan, language, title, values)
    return Derived(completed, plan=plan, events=(entries,))


def callback(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Check the callback day (default: today) and prepare the calendar entry.

    The phone channel is a spoken script, so it cannot be written as an email.
    """
    from .planning import check_working_day

    problems: list[str] = []
    if values.get("channel") == "phone" and fmt == "eml":
        problems.append(
            "channel: " + _("phone gives a script to speak, not an email; use --format text or md")
        )
    day = values.get("callback_day") or today
    completed = dict(values, callback_day=day)
    calendar = _calendar(values, problems)
    if calendar is None:
        return Derived(completed, problems=tuple(problems))
    problems += check_working_day(day, "callback_day", calendar=calendar, today=today)

    entry = functools.partial(_callback_entries, day, calendar.region.timezone, language, values)
    notes = regional_holiday_note(values.get("callback_day"), "callback_day", values, problems)
    return Derived(completed, events=(entry,), problems=tuple(problems), notes=notes)


def payment_date(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Set the new payment date: ``new_due_date`` if given (it must be a working day),
    else today plus ``pay_within_days``, moved on to the next working day."""
    from .planning import check_working_day

    problems: list[str] = []
    calendar = _calendar(values, problems)
    if calendar is None:
        return Derived(values, problems=tuple(problems))
    given = values.get("new_due_date")
    if given is not None:
        problems += check_working_day(given, "new_due_date", calendar=calendar, today=today)
        notes = regional_holiday_note(given, "new_due_date", values, problems)
        return Derived(values, problems=tuple(problems), notes=notes)
    day = today + dt.timedelta(days=values.get("pay_within_days") or 7)
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    return Derived(dict(values, new_due_date=day), problems=tuple(problems))


def phases(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Check that the ``phases`` of a collaboration follow each other and lie within it.

    Each phase's ``date`` may not come before the previous phase's, before ``start_date``
    or after ``end_date``. Problems name the phase by its position (1 is the first).
    """
    problems: list[str] = []
    steps = values.get("phases") or []
    start, end = values.get("start_date"), values.get("end_date")
    previous: tuple[int, dt.date] | None = None
    for number, step in enumerate(steps, start=1):
        day = step.get("date") if isinstance(step, Mapping) else None
        if not isinstance(day, dt.date):
            continue
        if previous is not None and day < previous[1]:
            problems.append(
                "phases: "
                + _(
                    "item {number} ({day}) comes before item {previous} ({previous_day}); "
                    "list the steps in date order"
                ).format(
                    number=number, day=day.isoformat(), previous=previous[0], previous_day=previous[1].isoformat()
                )
            )
        if isinstance(start, dt.date) and day < start:
            problems.append(
                "phases: "
                + _("item {number} ({day}) is before start_date ({start})").format(
                    number=number, day=day.isoformat(), start=start.isoformat()
                )
            )
        if isinstance(end, dt.date) and day > end:
            problems.append(
                "phases: "
                + _("item {number} ({day}) is after end_date ({end})").format(
                    number=number, day=day.isoformat(), end=end.isoformat()
                )
            )
        previous = (number, day)
    return Derived(values, problems=tuple(problems))


def recipients(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Check who a text is for: a person (``recipient.last_name``) or an organisation on its
    own, and a first name wherever the form of address needs one (the informal register,
    the gender-neutral greeting). Every scenario with the shared recipient parameters runs
    this check first."""
    problems: list[str] = []
    informal = values.get("formality") == "informal"
    last_name, organisation = values.get("recipient.last_name"), values.get("recipient.organisation")
    others = values.get("recipient.others") or []
    if not last_name and organisation and others:
        problems.append(
            "recipient.last_name: " + _("missing; with further recipients the first one needs a name too")
        )
    elif (last_name or not organisation) and not values.get("recipient.first_name"):
        because = _first_name_needed(informal, values.get("recipient.gender"))
        if because:
            problems.append(_("{name}: missing{because}").format(name="recipient.first_name", because=because))
    for number, person in enumerate(others, start=1):
        if isinstance(person, Mapping) and not person.get("first_name"):
            because = _first_name_needed(informal, person.get("gender"), "gender")
            if because:
                problems.append(
                    "recipient.others: "
                    + _("item {number}: {field} is missing{because}").format(
                        number=number, field="first_name", because=because
                    )
                )
    return Derived(values, problems=tuple(problems))


def _first_name_needed(informal: bool, gender: Any, gender_name: str = "recipient.gender") -> str:
    """Why a first name is needed (``, needed when formality is informal``), or ""."""
    if informal:
        return _(", needed when formality is informal (the salutation uses the first name)")
    if gender in (None, "neutral"):
        return _(
            ", needed when {name} is neutral (the default): the salutation then names the whole "
            "person; give the first name, or set {name} to female or male"
        ).format(name=gender_name)
    return ""


def final_invoice(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """The date of a final invoice is a working day, like a deadline (holidays of ``region``,
    else the nationwide ones)."""
    from .planning import check_working_day

    problems: list[str] = []
    day = values.get("final_invoice")
    if not isinstance(day, dt.date):
        return Derived(values)
    calendar = _calendar(values, problems)
    if calendar is not None:
        problems += check_working_day(day, "final_invoice", calendar=calendar, today=today)
    return Derived(values, problems=tuple(problems))


def duration(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """A ``duration`` has a unit („6 Wochen“, not „6“) and fits ``start_date`` and ``end_date``."""
    from .spans import describe_span, parse_span

    text = values.get("duration")
    if not isinstance(text, str):
        return Derived(values)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text.strip()):
        unit = "Wochen" if language.code == "de" else "weeks"
        return Derived(values, problems=(
            "duration: " + _("{value!r} needs a unit (did you mean {suggestion!r}?)").format(
                value=text, suggestion=f"{text.strip()} {unit}"
            ),
        ))
    span = parse_span(text)
    start, end = values.get("start_date"), values.get("end_date")
    if span is None or not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
        return Derived(values)
    actual = (end - start).days
    if abs(actual - span.days) <= max(span.tolerance, span.days * 0.15):
        return Derived(values)
    return Derived(values, problems=(
        "duration: " + _("{value!r} does not fit start_date ({start}) and end_date ({end}), {span} apart").format(
            value=text, start=start.isoformat(), end=end.isoformat(),
            span=describe_span(actual, span.unit),
        ),
    ))


def reason(
    values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Notes on the reason of a deadline offer: none given (the reason is what makes the
    date credible), or one that names a date before the promised one."""
    deadline = values.get("deadline")
    text = values.get("reason")
    if not isinstance(deadline, dt.date):
        return Derived(values)
    if not text:
        return Derived(values, notes=(
            "reason: " + _("none given; one sentence on why this date serves the client makes it credible"),
        ))
    notes = [
        "reason: " + _("names {day}, before the promised date {deadline}; does the reason still fit?").format(
            day=named.isoformat(), deadline=deadline.isoformat()
        )
        for named in _dates_named(str(text), today, language)
        if today <= named < deadline
    ]
    return Derived(values, notes=tuple(notes))


@functools.lru_cache(maxsize=1024)
def _dates_named(text: str, today: dt.date, language: Language) -> tuple[dt.date, ...]:
    """The dates ``text`` names (see :func:`phrasebook.spans.dates_in`); a batch repeats its reasons."""
    from .spans import dates_in

    return tuple(dates_in(text, today=today, language=language))
