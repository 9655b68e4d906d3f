"""The linter's checks of the dates a text names: a weekday that does not fit its date
(„Mittwoch, 3. Dezember 2026“ is a Thursday), and a date before the day of writing.

Each check returns hits ``(start, end, suggestions)`` in the text it is given, as the
other built-in checks of :mod:`phrasebook.lint` do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .spans import MONTHS

_WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"

#: „Mittwoch, 3. Dezember 2026“, „Mittwoch, den 03.12.2026“, "Wednesday, 3 December 2026",
#: "Wednesday 3rd of December", "Wednesday, December 3, 2026".
_DE = re.compile(
    rf"\b(?P<weekday>{'|'.join(_WEEKDAYS_DE)}),?\s+(?:den\s+)?(?P<day>\d{{1,2}})\.\s?"
    rf"(?:(?P<month>{_MONTH})|(?P<mnum>\d{{1,2}})\.)(?:\s?(?P<year>\d{{4}}))?(?!\d)",
    re.IGNORECASE,
)
_EN_DAY_MONTH = re.compile(
    rf"\b(?P<weekday>{'|'.join(_WEEKDAYS_EN)}),?\s+(?:the\s+)?(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?"
    rf"(?P<month>{_MONTH})\b(?:,?\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
_EN_MONTH_DAY = re.compile(
    rf"\b(?P<weekday>{'|'.join(_WEEKDAYS_EN)}),?\s+(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL}\b"
    rf"(?:,\s*(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
#: Dates without a weekday: „3. Dezember 2026“, „03.12.2026“, "3 December 2026", "December 3, 2026".
_PLAIN = (
    re.compile(rf"\b(?P<day>\d{{1,2}})\.?\s(?P<month>{_MONTH})(?:\s(?P<year>\d{{4}}))?\b", re.IGNORECASE),
    re.compile(rf"\b(?P<month>{_MONTH})\s(?P<day>\d{{1,2}}){_ORDINAL}\b(?:,\s(?P<year>\d{{4}}))?", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
)
#: Words before a date that say it lies in the past on purpose („Ihre Nachricht vom …“).
#: What introduces a date as past: „vom“, "since" … and the due date a reminder names
#: („Fälligkeit: 14. November 2026“, "Due date: 14 November 2026", "was due on …").
_BEFORE_PAST = re.compile(
    r"(?:\bvom|\bseit|\bfrom|\bsince|\bdated|\bof|\bFälligkeit:|\bdue date:|\bwas due(?: on)?|\bwar fällig am)"
    r"\s+(?:\w+,?\s+)?$",
    re.IGNORECASE,
)


def _date(match: re.Match[str], today: dt.date | None) -> dt.date | None:
    """The date a match names; a date without a year is in the year around ``today``."""
    parts = match.groupdict()
    month = MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["mnum"])
    day = int(parts["day"])
    year_text = parts.get("year")
    if year_text:
        year = int(year_text)
    elif today is None:
        return None
    else:
        year = today.year
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    if not year_text and today is not None and (today - found).days > 180:
        try:
            found = dt.date(year + 1, month, day)
        except ValueError:
            return None
    return found


def _outside_quotes(text: str) -> Iterator[tuple[int, str]]:
    """The lines of ``text`` that are not a quoted message (``>``), with their offsets."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if not stripped.startswith(">"):
            yield offset, line
        offset += len(line)


def weekday_mismatches(text: str, today: dt.date | None = None) -> list[tuple[int, int, tuple[str, ...] | None]]:
    """Dates whose weekday is not theirs; the suggestion names the right weekday."""
    hits = []
    for offset, line in _outside_quotes(text):
        for pattern, names in ((_DE, _WEEKDAYS_DE), (_EN_DAY_MONTH, _WEEKDAYS_EN), (_EN_MONTH_DAY, _WEEKDAYS_EN)):
            for match in pattern.finditer(line):
                day = _date(match, today)
                if day is None:
                    continue
                written = match["weekday"]
                right = names[day.weekday()]
                if written.lower() == right.lower():
                    continue
                start, end = match.span()
                fixed = right + match.group()[len(written):]
                hits.append((offset + start, offset + end, (fixed,)))
    return sorted(hits)


def past_dates(text: str, today: dt.date | None = None) -> list[tuple[int, int, tuple[str, ...] | None]]:
    """Dates before ``today`` that are not introduced as past („vom“, "since", "of" …)."""
    if today is None:
        return []
    hits: dict[int, tuple[int, int, tuple[str, ...] | None]] = {}
    for offset, line in _outside_quotes(text):
        if re.search(r"\b(?:schrieb|wrote)\b", line):  # the attribution line of a quote
            continue
        for pattern in _PLAIN:
            for match in pattern.finditer(line):
                day = _date(match, today)
                if day is None or day >= today or _BEFORE_PAST.search(line[: match.start()]):
                    continue
                start = offset + match.start()
                if not any(s <= start < e for s, e, _hint in hits.values()):
                    hits[start] = (start, offset + match.end(), None)
    return [hits[key] for key in sorted(hits)]
