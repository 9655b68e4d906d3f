"""The ``phrasebook plan`` report: the plan as a table (German or English), and the reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .l10n import Language, format_date, format_number, format_percent, format_time, mid_sentence
from .messages import translator
from .variants import in_variant


def _form(count: Any) -> int:
    """The whole number gettext chooses a plural form by (it accepts no fractions).

    A fraction takes the plural in German and English (``0,5 Arbeitstage``,
    ``1.5 working days``), as any count but exactly one does.
    """
    value = Decimal(count)
    return int(value) if value == value.to_integral_value() else 2


def working_days(count: Any, language: Language) -> str:
    """``1 Arbeitstag``, ``2 Arbeitstage``, ``0,5 Arbeitstage``; ``2 working days``.

    >>> from .l10n import resolve_language
    >>> working_days(Decimal("0.5"), resolve_language("de"))
    '0,5 Arbeitstage'
    >>> working_days(1, resolve_language("en")), working_days(2, resolve_language("en_US"))
    ('1 working day', '2 business days')
    """
    number = format_number(count, language=language)
    text = translator(language.code).ngettext("{count} working day", "{count} working days", _form(count))
    return in_variant(text.format(count=number), language)


def _days(count: Any, language: Language) -> str:
    number = format_number(count, language=language)
    text = translator(language.code).ngettext("{count} day", "{count} days", _form(count))
    return text.format(count=number)


def region_text(plan: Any, language: Language) -> str:
    """``DE (nur bundesweite Feiertage)`` or ``DE-BY (Bayern)``."""
    region = plan.region
    if region.nationwide_only:
        nationwide = translator(language.code).gettext("nationwide holidays only")
        return f"{region.code} ({nationwide})"
    return f"{region.code} ({region.name})" if region.name else region.code


def format_plan(plan: Any, language: Language, *, explain: bool = False) -> str:
    """Return the plan as an aligned table, the skipped days and (optionally) the explanation."""
    t = translator(language.code)

    def full(day: Any) -> str:
        return format_date(day, "full", language=language)

    request = full(plan.start)
    if plan.received_at is not None:
        request += f", {format_time(plan.received_at, language=language)}"
    if plan.received != plan.start:
        request += "; " + t.gettext("counts from {day}").format(day=full(plan.received))
    work = _work_text(plan, language)
    buffer_note = t.gettext("+ {days} of buffer").format(days=working_days(plan.buffer_days, language))
    if plan.buffer.percent is not None:
        percent = format_percent(plan.buffer.percent / 100, language=language)
        buffer_note += f" ({percent})"
    rows = [
        (t.gettext("Region"), region_text(plan, language), ""),
        (t.gettext("Request"), request, ""),
        (t.gettext("Internal target"), full(plan.internal), work),
        (
            t.gettext("Fallback"),
            full(plan.fallback),
            t.gettext("+ {days} of buffer").format(days=working_days(plan.keep_days, language)),
        ),
        (t.gettext("Promised date"), full(plan.promised), buffer_note),
    ]
    label_width = max(len(r[0]) for r in rows)
    date_width = max(len(r[1]) for r in rows[2:])
    lines = []
    for label, value, note in rows:
        line = (
            f"{label:<{label_width}}  {value:<{date_width}}  {note}"
            if note
            else f"{label:<{label_width}}  {value}"
        )
        lines.append(line.rstrip())
    lines.append("")
    if plan.skipped:
        lines.append(t.gettext("Skipped days:"))
        width = max(len(full(s.day)) for s in plan.skipped)
        for skipped in plan.skipped:
            lines.append(f"  {full(skipped.day):<{width}}  {_skipped_name(skipped, language)}")
    else:
        lines.append(t.gettext("Skipped days: none"))
    if explain:
        lines.append("")
        lines.append(t.gettext("How this was counted:"))
        lines.extend(f"- {rule}" for rule in explanation(plan, language))
    return in_variant("\n".join(lines) + "\n", language)


def _number(value: Any) -> int | float:
    """A count as JSON has it: a whole number as an integer, a fraction as a decimal."""
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def plan_record(plan: Any, language: Language, *, explain: bool = False) -> dict[str, Any]:
    """Return the plan as plain data for ``plan --format json``: ISO dates (``2026-11-30``),
    counts in working days, the skipped days with their reasons in the plan's language.

    With ``explain``, the counting rules are included as sentences (``explanation``).
    """
    region = plan.region
    record: dict[str, Any] = {
        "region": {
            "code": region.code,
            "name": region.name,
            "nationwide_only": region.nationwide_only,
            "catholic": plan.calendar.catholic,
        },
        "request": {
            "day": plan.start.isoformat(),
            "time": plan.received_at.strftime("%H:%M") if plan.received_at is not None else None,
            "cutoff": plan.cutoff.strftime("%H:%M"),
            "counts_from": plan.received.isoformat(),
        },
        "work": {
            "effort_days": _number(plan.effort_days),
            "briefing_days": _number(plan.briefing_days),
            "follow_up_days": _number(plan.debrief_days),
            "working_days": plan.work_days,
        },
        "internal_target": plan.internal.isoformat(),
        "fallback": plan.fallback.isoformat(),
        "promised": plan.promised.isoformat(),
        "buffer": {
            "working_days": plan.buffer_days,
            "percent": None if plan.buffer.percent is None else _number(plan.buffer.percent),
            "kept_at_fallback": plan.keep_days,
            "concedable": plan.concede_days,
        },
        "skipped": [
            {
                "day": skipped.day.isoformat(),
                "kind": skipped.kind,
                "reason": _skipped_name(skipped, language),
            }
            for skipped in plan.skipped
        ],
        "language": language.tag,
    }
    if explain:
        record["explanation"] = explanation(plan, language)
    return record


def _skipped_name(skipped: Any, language: Language) -> str:
    if skipped.kind == "closure":
        return translator(language.code).gettext("your day off")
    if language.code == "de" or skipped.name_en == skipped.name:
        return str(skipped.name)
    return f"{skipped.name_en} ({skipped.name})"


def _work_text(plan: Any, language: Language) -> str:
    t = translator(language.code)
    work = t.gettext("{days} of work").format(days=working_days(plan.effort_days, language))
    if plan.debrief_days:
        work = t.gettext("{work} + {debrief} of follow-up").format(
            work=work, debrief=_days(plan.debrief_days, language)
        )
    if plan.effort_days + plan.debrief_days != plan.work_days:
        work = t.gettext("{text} (rounded up: {days})").format(
            text=work, days=working_days(plan.work_days, language)
        )
    return work


def explanation(plan: Any, language: Language) -> list[str]:
    """Return the counting rules as they applied to this plan, one sentence each."""
    t = translator(language.code)

    def full(day: Any) -> str:
        return format_date(day, "full", language=language)

    def mid(day: Any) -> str:  # a date the sentence goes on after ("December 2, 2026, can be")
        return mid_sentence(full(day), language=language)

    def time(value: Any) -> str:
        return format_time(value, language=language)

    def number(value: Any) -> str:
        return format_number(value, language=language)

    region = plan.region
    if region.nationwide_only or not region.name:
        holidays = t.gettext("the nationwide public holidays ({code})").format(code=region.code)
    else:
        holidays = t.gettext("the public holidays of {name} ({code})").format(name=region.name, code=region.code)
    rules = [
        t.gettext(
            "Working days are Monday to Friday, without {holidays} and without your own days off."
        ).format(holidays=holidays),
        t.gettext(
            "The day of the request does not count; counting starts with the next working day."
        ),
    ]
    if not plan.calendar.is_working_day(plan.start):
        rules.append(
            t.gettext("{start} is not a working day, so the request counts from {day}.").format(
                start=mid(plan.start), day=full(plan.received)
            )
        )
    elif plan.after_cutoff:
        rules.append(
            t.gettext(
                "The request came in at {time}, after the end of the working day "
                "(cut-off: {cutoff}), so it counts from {day}."
            ).format(time=time(plan.received_at), cutoff=time(plan.cutoff), day=full(plan.received))
        )
    if plan.debrief_days:
        rules.append(
            t.gettext(
                "Follow-up: {debrief} for {briefing} of briefing (half a day per day of briefing), "
                "planned at the start of the work."
            ).format(
                briefing=_days(plan.briefing_days, language),
                debrief=_days(plan.debrief_days, language),
            )
        )
    exact = plan.effort_days + plan.debrief_days
    rules.append(
        t.gettext("{days} of work end on {internal}: the internal target.").format(
            days=working_days(plan.work_days, language), internal=full(plan.internal)
        )
    )
    if exact != plan.work_days:
        # The rounded count is a whole sentence's plural: German needs it in the dative.
        rules.append(
            t.ngettext(
                "A day once started counts in full: {exact} become {count} working day.",
                "A day once started counts in full: {exact} become {count} working days.",
                _form(plan.work_days),
            ).format(exact=working_days(exact, language), count=number(plan.work_days))
        )
    if plan.buffer.percent is not None:
        rules.append(
            t.ngettext(
                "Buffer: {percent} of {count} working day, rounded up to {days}; "
                "the promised date is {promised}.",
                "Buffer: {percent} of {count} working days, rounded up to {days}; "
                "the promised date is {promised}.",
                _form(exact),
            ).format(
                percent=format_percent(plan.buffer.percent / 100, language=language),
                count=number(exact),
                days=working_days(plan.buffer_days, language),
                promised=full(plan.promised),
            )
        )
    else:
        rules.append(
            t.gettext("Buffer: {days}; the promised date is {promised}.").format(
                days=working_days(plan.buffer_days, language), promised=full(plan.promised)
            )
        )
    if plan.buffer_days == 0:
        rules.append(t.gettext("Without a buffer there is no room to negotiate."))
    elif plan.concede_days == 0:
        rules.append(
            t.gettext(
                "The buffer is too small to give any of it away: the fallback and the "
                "promised date are the same day."
            )
        )
    else:
        rules.append(
            t.gettext(
                "If the client pushes back, {fallback} can be conceded; the rest of the "
                "buffer ({keep}) then remains as real safety."
            ).format(fallback=mid(plan.fallback), keep=working_days(plan.keep_days, language))
        )
    return [in_variant(rule, language) for rule in rules]
