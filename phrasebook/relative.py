"""Saying when: full dates, or natural relative wording where it cannot be misread.

Babel formats dates but has no words for "heute", "morgen" or "Mittwoch nächster
Woche"; these are written here. Relative wording is used only when asked for
(``relative=True``) and only when it is unambiguous:

* the same day: "heute" / "today";
* the next calendar day: "morgen" / "tomorrow";
* later in the same ISO week (Monday to Sunday): "Freitag dieser Woche (27. November)";
* in the next ISO week: "Mittwoch nächster Woche (2. Dezember)";
* everything else, and every date before ``today``: the full date.

The week phrases always carry the day and month in brackets, so "nächste Woche"
cannot be read as "the week after next".
"""

from __future__ import annotations

import datetime as dt

from .l10n import Language, format_date, format_time

_WORDS = {
    "de": {
        "today": "heute",
        "tomorrow": "morgen",
        "this": "dieser Woche",
        "next": "nächster Woche",
    },
    "en": {"today": "today", "tomorrow": "tomorrow", "this": "this week", "next": "next week"},
}


def relative_day(day: dt.date, *, today: dt.date, language: Language) -> tuple[str, str] | None:
    """Return ``(kind, words)`` for an unambiguous relative date, or None.

    ``kind`` is ``day`` for today/tomorrow and ``week`` for the weekday phrases.

    >>> from .l10n import resolve_language
    >>> de = resolve_language("de")
    >>> relative_day(dt.date(2026, 12, 2), today=dt.date(2026, 11, 24), language=de)
    ('week', 'Mittwoch nächster Woche (2. Dezember)')
    """
    words = _WORDS[language.code]
    delta = (day - today).days
    if delta < 0:
        return None
    if delta == 0:
        return "day", words["today"]
    if delta == 1:
        return "day", words["tomorrow"]
    week = (day.isocalendar()[:2], today.isocalendar()[:2])
    monday = today - dt.timedelta(days=today.weekday())
    if week[0] == week[1]:
        which = words["this"]
    elif monday + dt.timedelta(days=7) <= day < monday + dt.timedelta(days=14):
        which = words["next"]
    else:
        return None
    weekday = format_date(day, "weekday", language=language)
    return "week", f"{weekday} {which} ({format_date(day, 'day_month', language=language)})"


def on_day(day: dt.date, today: dt.date, relative: bool = False, *, language: Language) -> str:
    """The day as an adverbial ("am Mittwoch, 2. Dezember 2026", "morgen", "on …").

    >>> from .l10n import resolve_language
    >>> de, en = resolve_language("de"), resolve_language("en")
    >>> on_day(dt.date(2026, 12, 2), dt.date(2026, 11, 24), language=de)
    'am Mittwoch, 2. Dezember 2026'
    >>> on_day(dt.date(2026, 11, 25), dt.date(2026, 11, 24), True, language=de)
    'morgen'
    >>> on_day(dt.date(2026, 12, 2), dt.date(2026, 11, 24), True, language=en)
    'on Wednesday next week (2 December)'
    """
    found = relative_day(day, today=today, language=language) if relative else None
    preposition = "am" if language.code == "de" else "on"
    if found is None:
        return f"{preposition} {format_date(day, 'full', language=language)}"
    kind, words = found
    return words if kind == "day" else f"{preposition} {words}"


def until_day(
    day: dt.date,
    today: dt.date,
    time: dt.time | None = None,
    relative: bool = False,
    *,
    language: Language,
) -> str:
    """A deadline with "bis"/"by": "bis morgen, 12:00 Uhr", "by 12 noon tomorrow".

    >>> from .l10n import resolve_language
    >>> de, en = resolve_language("de"), resolve_language("en")
    >>> until_day(dt.date(2026, 11, 25), dt.date(2026, 11, 24), dt.time(12), True, language=de)
    'bis morgen, 12:00 Uhr'
    >>> until_day(dt.date(2026, 12, 2), dt.date(2026, 11, 24), None, True, language=de)
    'bis Mittwoch nächster Woche (2. Dezember)'
    >>> until_day(dt.date(2026, 12, 2), dt.date(2026, 11, 24), dt.time(16), language=de)
    'bis Mittwoch, 2. Dezember 2026, 16:00 Uhr'
    >>> until_day(dt.date(2026, 11, 24), dt.date(2026, 11, 24), dt.time(16), True, language=en)
    'by 4:00 pm today'
    >>> until_day(dt.date(2026, 12, 2), dt.date(2026, 11, 24), dt.time(16), language=en)
    'by 4:00 pm on Wednesday, 2 December 2026'
    """
    found = relative_day(day, today=today, language=language) if relative else None
    words = found[1] if found else format_date(day, "full", language=language)
    if language.code == "de":
        return f"bis {words}, {format_time(time, language=language)}" if time else f"bis {words}"
    if time is None:
        return (
            "by the end of today" if found and found[0] == "day" and day == today else f"by {words}"
        )
    clock = format_time(time, language=language)
    if found and found[0] == "day":
        return f"by {clock} {words}"
    return f"by {clock} on {words}"
