"""The ``phrasebook plan`` report: the plan as a table (German or English), and the reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .l10n import Language, format_date, format_number, format_percent, format_time

_TEXT = {
    "de": {
        "region": "Region",
        "request": "Anfrage",
        "internal": "Interne Zielmarke",
        "fallback": "Rückfalltermin",
        "promised": "Zugesagter Termin",
        "nationwide": "nur bundesweite Feiertage",
        "counts_from": "zählt ab {day}",
        "work": "{days} Arbeit",
        "debrief": "{work} + {debrief} Nachbereitung",
        "rounded": "{text} (aufgerundet: {days})",
        "buffer": "+ {days} Puffer",
        "skipped": "Übersprungene Tage",
        "none": "keine",
        "closure": "eigener freier Tag",
        "explain": "So wurde gerechnet:",
        "rule_days": "Arbeitstage sind Montag bis Freitag, ohne {holidays} und ohne eigene "
        "freie Tage.",
        "holidays_nationwide": "die bundesweiten gesetzlichen Feiertage ({code})",
        "holidays_region": "die gesetzlichen Feiertage in {name} ({code})",
        "rule_start": "Der Tag der Anfrage zählt nicht mit; gezählt wird ab dem nächsten "
        "Arbeitstag.",
        "rule_cutoff": "Die Anfrage kam um {time} und damit nach Feierabend (Grenze: {cutoff}); "
        "sie zählt deshalb erst ab {day}.",
        "rule_day_off": "{start} ist kein Arbeitstag; die Anfrage zählt deshalb erst ab {day}.",
        "rule_debrief": "Nachbereitung: {debrief} für {briefing} Briefing (ein halber Tag je Tag "
        "Briefing), eingeplant am Anfang der Arbeit.",
        "rule_work": "{days} Arbeit enden am {internal}: die interne Zielmarke.",
        "rule_round": "Angefangene Tage zählen voll: {exact} werden zu {days}.",
        "rule_buffer_percent": "Puffer: {percent} von {work}, aufgerundet {days}; zugesagt wird "
        "der {promised}.",
        "rule_buffer_days": "Puffer: {days}; zugesagt wird der {promised}.",
        "rule_fallback": "Drängt die Kundin oder der Kunde, ist der {fallback} als Entgegenkommen "
        "möglich; der Rest des Puffers ({keep}) bleibt dann als echte Reserve.",
        "rule_no_room": "Der Puffer ist zu klein, um davon etwas abzugeben: Rückfalltermin und "
        "zugesagter Termin sind derselbe Tag.",
        "rule_no_buffer": "Ohne Puffer gibt es keinen Spielraum zum Verhandeln.",
    },
    "en": {
        "region": "Region",
        "request": "Request",
        "internal": "Internal target",
        "fallback": "Fallback",
        "promised": "Promised date",
        "nationwide": "nationwide holidays only",
        "counts_from": "counts from {day}",
        "work": "{days} of work",
        "debrief": "{work} + {debrief} of follow-up",
        "rounded": "{text} (rounded up: {days})",
        "buffer": "+ {days} of buffer",
        "skipped": "Skipped days",
        "none": "none",
        "closure": "your day off",
        "explain": "How this was counted:",
        "rule_days": "Working days are Monday to Friday, without {holidays} and without your own "
        "days off.",
        "holidays_nationwide": "the nationwide public holidays ({code})",
        "holidays_region": "the public holidays of {name} ({code})",
        "rule_start": "The day of the request does not count; counting starts with the next "
        "working day.",
        "rule_cutoff": "The request came in at {time}, after the end of the working day (cut-off: "
        "{cutoff}), so it counts from {day}.",
        "rule_day_off": "{start} is not a working day, so the request counts from {day}.",
        "rule_debrief": "Follow-up: {debrief} for {briefing} of briefing (half a day per day of "
        "briefing), planned at the start of the work.",
        "rule_work": "{days} of work end on {internal}: the internal target.",
        "rule_round": "A day once started counts in full: {exact} become {days}.",
        "rule_buffer_percent": "Buffer: {percent} of {work}, rounded up to {days}; the promised "
        "date is {promised}.",
        "rule_buffer_days": "Buffer: {days}; the promised date is {promised}.",
        "rule_fallback": "If the client pushes back, {fallback} can be conceded; the rest of the "
        "buffer ({keep}) then remains as real safety.",
        "rule_no_room": "The buffer is too small to give any of it away: the fallback and the "
        "promised date are the same day.",
        "rule_no_buffer": "Without a buffer there is no room to negotiate.",
    },
}


def working_days(count: Any, language: Language, *, dative: bool = False) -> str:
    """``1 Arbeitstag``, ``2 Arbeitstage``, ``von 5 Arbeitstagen`` (dative); ``2 working days``.

    >>> from .l10n import resolve_language
    >>> working_days(Decimal("0.5"), resolve_language("de"))
    '0,5 Arbeitstage'
    >>> working_days(5, resolve_language("de"), dative=True)
    '5 Arbeitstagen'
    >>> working_days(1, resolve_language("en"))
    '1 working day'
    """
    number = format_number(count, language=language)
    one = Decimal(count) == 1
    if language.code == "de":
        noun = "Arbeitstag" if one else ("Arbeitstagen" if dative else "Arbeitstage")
    else:
        noun = "working day" if one else "working days"
    return f"{number} {noun}"


def _days(count: Any, language: Language) -> str:
    number = format_number(count, language=language)
    if language.code == "de":
        return f"{number} {'Tag' if Decimal(count) == 1 else 'Tage'}"
    return f"{number} {'day' if Decimal(count) == 1 else 'days'}"


def region_text(plan: Any, language: Language) -> str:
    """``DE (nur bundesweite Feiertage)`` or ``DE-BY (Bayern)``."""
    region = plan.region
    if region.nationwide_only:
        return f"{region.code} ({_TEXT[language.code]['nationwide']})"
    return f"{region.code} ({region.name})" if region.name else region.code


def format_plan(plan: Any, language: Language, *, explain: bool = False) -> str:
    """Return the plan as an aligned table, the skipped days and (optionally) the explanation."""
    text = _TEXT[language.code]

    def full(day: Any) -> str:
        return format_date(day, "full", language=language)

    request = full(plan.start)
    if plan.received_at is not None:
        request += f", {format_time(plan.received_at, language=language)}"
    if plan.received != plan.start:
        request += f"; {text['counts_from'].format(day=full(plan.received))}"
    work = _work_text(plan, language)
    buffer_note = text["buffer"].format(days=working_days(plan.buffer_days, language))
    if plan.buffer.percent is not None:
        percent = format_percent(plan.buffer.percent / 100, language=language)
        buffer_note += f" ({percent})"
    rows = [
        (text["region"], region_text(plan, language), ""),
        (text["request"], request, ""),
        (text["internal"], full(plan.internal), work),
        (
            text["fallback"],
            full(plan.fallback),
            text["buffer"].format(days=working_days(plan.keep_days, language)),
        ),
        (text["promised"], full(plan.promised), buffer_note),
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
        lines.append(f"{text['skipped']}:")
        width = max(len(full(s.day)) for s in plan.skipped)
        for skipped in plan.skipped:
            lines.append(f"  {full(skipped.day):<{width}}  {_skipped_name(skipped, language)}")
    else:
        lines.append(f"{text['skipped']}: {text['none']}")
    if explain:
        lines.append("")
        lines.append(text["explain"])
        lines.extend(f"- {rule}" for rule in explanation(plan, language))
    return "\n".join(lines) + "\n"


def _skipped_name(skipped: Any, language: Language) -> str:
    if skipped.kind == "closure":
        return _TEXT[language.code]["closure"]
    if language.code == "de" or skipped.name_en == skipped.name:
        return str(skipped.name)
    return f"{skipped.name_en} ({skipped.name})"


def _work_text(plan: Any, language: Language) -> str:
    text = _TEXT[language.code]
    work = text["work"].format(days=working_days(plan.effort_days, language))
    if plan.debrief_days:
        work = text["debrief"].format(work=work, debrief=_days(plan.debrief_days, language))
    if plan.effort_days + plan.debrief_days != plan.work_days:
        work = text["rounded"].format(text=work, days=working_days(plan.work_days, language))
    return work


def explanation(plan: Any, language: Language) -> list[str]:
    """Return the counting rules as they applied to this plan, one sentence each."""
    text = _TEXT[language.code]

    def full(day: Any) -> str:
        return format_date(day, "full", language=language)

    def time(value: Any) -> str:
        return format_time(value, language=language)

    region = plan.region
    if region.nationwide_only or not region.name:
        holidays = text["holidays_nationwide"].format(code=region.code)
    else:
        holidays = text["holidays_region"].format(name=region.name, code=region.code)
    rules = [text["rule_days"].format(holidays=holidays), text["rule_start"]]
    if not plan.calendar.is_working_day(plan.start):
        rules.append(text["rule_day_off"].format(start=full(plan.start), day=full(plan.received)))
    elif plan.after_cutoff:
        rules.append(
            text["rule_cutoff"].format(
                time=time(plan.received_at), cutoff=time(plan.cutoff), day=full(plan.received)
            )
        )
    if plan.debrief_days:
        rules.append(
            text["rule_debrief"].format(
                briefing=_days(plan.briefing_days, language),
                debrief=_days(plan.debrief_days, language),
            )
        )
    exact = plan.effort_days + plan.debrief_days
    rules.append(
        text["rule_work"].format(
            days=working_days(plan.work_days, language), internal=full(plan.internal)
        )
    )
    if exact != plan.work_days:
        rules.append(
            text["rule_round"].format(
                exact=working_days(exact, language),
                days=working_days(plan.work_days, language, dative=True),
            )
        )
    if plan.buffer.percent is not None:
        rules.append(
            text["rule_buffer_percent"].format(
                percent=format_percent(plan.buffer.percent / 100, language=language),
                work=working_days(exact, language, dative=True),
                days=working_days(plan.buffer_days, language),
                promised=full(plan.promised),
            )
        )
    else:
        rules.append(
            text["rule_buffer_days"].format(
                days=working_days(plan.buffer_days, language), promised=full(plan.promised)
            )
        )
    if plan.buffer_days == 0:
        rules.append(text["rule_no_buffer"])
    elif plan.concede_days == 0:
        rules.append(text["rule_no_room"])
    else:
        rules.append(
            text["rule_fallback"].format(
                fallback=full(plan.fallback), keep=working_days(plan.keep_days, language)
            )
        )
    return rules
