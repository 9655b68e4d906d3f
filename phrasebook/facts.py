"""The facts of a text, read in its language's notation, and whether two versions agree.

``render --lang de,en`` writes a text in two languages; the versions must carry the same
facts. :func:`read_facts` finds the dates, clock times, amounts of money and other numbers
in a text and reads each as a value (``Mittwoch, 2. Dezember 2026`` and ``Wednesday,
December 2, 2026`` are the same date; ``2.400,00 €`` and ``€2,400.00`` the same amount;
„acht“ and "eight" the same number). :func:`compare_versions` names every fact of one
version that the other does not carry, beside the value the other has in its place.

Library use::

    from phrasebook.facts import compare_versions

    compare_versions([(de, german_text), (en, english_text)])  # raises FactsDisagree
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import PhrasebookError
from .l10n import NUMBER_WORDS, Language
from .messages import _

#: Kinds of facts, in the order a mismatch is reported.
KINDS = ("date", "time", "amount", "number")

#: Currency signs and codes as texts write them.
_CURRENCIES = {"€": "EUR", "EUR": "EUR", "CHF": "CHF", "Fr.": "CHF", "£": "GBP", "GBP": "GBP",
               "US$": "USD", "$": "USD", "USD": "USD"}
_CURRENCY = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
_SPACE = "[ \\xa0\\u202f]"


class FactsDisagree(PhrasebookError):
    """The versions of a text in several languages do not carry the same facts (exit code 1)."""


@dataclass(frozen=True)
class Fact:
    """A date, time, amount or number found in a text.

    Attributes:
        kind: ``date``, ``time``, ``amount`` or ``number``.
        value: the value read: a :class:`datetime.date` (a date written without its year
            has the year 1, see :attr:`yearless`), a :class:`datetime.time`, an
            (amount, currency) pair, or a :class:`~decimal.Decimal`.
        shown: the text as written.
        yearless: whether a date was written without its year (it then matches any year).
    """

    kind: str
    value: Any
    shown: str
    yearless: bool = False

    def matches(self, other: Fact) -> bool:
        """Whether ``other`` states the same fact (a date without a year matches any year)."""
        if self.kind != other.kind:
            return False
        if self.kind == "date" and (self.yearless or other.yearless):
            return bool((self.value.month, self.value.day) == (other.value.month, other.value.day))
        return bool(self.value == other.value)


@dataclass(frozen=True)
class _Notation:
    """How one locale writes numbers and dates, as regular expressions."""

    number: re.Pattern[str]
    group: str
    decimal: str
    months: dict[str, int]
    dates: tuple[re.Pattern[str], ...]
    numeric_date: re.Pattern[str]
    day_first: bool
    words: tuple[str, ...]


@functools.cache
def _notation(locale: str, code: str) -> _Notation:
    from babel import dates, numbers

    group, decimal = numbers.get_group_symbol(locale), numbers.get_decimal_symbol(locale)
    groups = {group, "’", "'"} if locale == "de_CH" else {group, "\xa0", "\u202f"}
    group_class = "[" + "".join(re.escape(g) for g in sorted(groups)) + "]"
    number = re.compile(
        rf"(?<![\w.,’'])(\d{{1,3}}(?:{group_class}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
        rf"|\d+(?:{re.escape(decimal)}\d+)?)(?![\w]|[.,’']\d)"
    )
    months: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in dates.get_month_names(width, context, locale=locale).items():
                months[name.lower().rstrip(".")] = month
    if code == "de":
        months["jänner"] = 1
    names = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    ordinal = r"(?:st|nd|rd|th)?" if code == "en" else r"\."
    patterns = (
        # 2. Dezember 2026, 2 December 2026, 2nd of December
        rf"(?<![\w.])(?P<day>\d{{1,2}}){ordinal}{_SPACE}*(?:of{_SPACE}+)?(?P<month>{names})\.?"
        rf"(?:,?{_SPACE}+(?P<year>\d{{4}}))?(?!\w)",
        # December 2, 2026 (American English, and English generally)
        rf"(?<![\w.])(?P<month>{names})\.?{_SPACE}+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\w)"
        rf"(?:,{_SPACE}*(?P<year>\d{{4}}))?",
        # 2026-12-02
        r"(?<![\w.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w-])",
    )
    separator = r"\." if code == "de" else "/"
    numeric = re.compile(
        rf"(?<![\w./])(?P<a>\d{{1,2}}){separator}(?P<b>\d{{1,2}}){separator}(?P<year>\d{{4}}|\d{{2}})(?![\w/]|\.\d)"
    )
    return _Notation(
        number=number, group=group_class, decimal=decimal, months=months,
        dates=tuple(re.compile(p, re.IGNORECASE) for p in (patterns if code == "en" else patterns[::2])),
        numeric_date=numeric, day_first=locale != "en_US", words=NUMBER_WORDS[code],
    )


def read_facts(text: str, language: Language) -> list[Fact]:
    """Return the dates, times, amounts and numbers in ``text``, read in ``language``.

    >>> from phrasebook.l10n import LANGUAGES
    >>> [(f.kind, f.shown) for f in read_facts("Am 2. Dezember um 16:00 Uhr: 2.400,00 € für acht Tage.",
    ...                                        LANGUAGES["de"])]
    [('date', '2. Dezember'), ('time', '16:00 Uhr'), ('amount', '2.400,00 €'), ('number', 'acht')]
    >>> [f.value for f in read_facts("On December 2, 2026 at 4:00 pm: $2,400.00", LANGUAGES["en_US"])]
    [datetime.date(2026, 12, 2), datetime.time(16, 0), (Decimal('2400.00'), 'USD')]
    """
    notation = _notation(language.locale, language.code)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Fact]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(start: int, end: int, fact: Fact | None) -> None:
        if fact is not None and free(start, end):
            taken.append((start, end))
            found.append((start, fact))

    for pattern in notation.dates:
        for match in pattern.finditer(text):
            add(*match.span(), _named_date(match, notation))
    for match in notation.numeric_date.finditer(text):
        add(*match.span(), _numeric_date(match, notation))
    for match in _time_pattern(language.code).finditer(text):
        add(*match.span(), _time(match))
    for match in _amount_pattern(language.locale, language.code).finditer(text):
        add(*match.span(), _amount(match, notation))
    for match in notation.number.finditer(text):
        add(*match.span(), _number(match.group(), match.group(), notation))
    words = re.compile(r"\b(" + "|".join(notation.words) + r")\b", re.IGNORECASE)
    for match in words.finditer(text):
        value = Decimal(notation.words.index(match.group().lower()) + 2)
        add(*match.span(), Fact("number", value, match.group()))
    return [fact for _start, fact in sorted(found, key=lambda item: item[0])]


def _named_date(match: re.Match[str], notation: _Notation) -> Fact | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else notation.months.get(month.lower().rstrip("."))
    year = match.group("year")
    shown = match.group()
    return _date(shown if shown[-1].isdigit() else shown.rstrip("."), int(year) if year else None, number,
                 int(match.group("day")))


def _numeric_date(match: re.Match[str], notation: _Notation) -> Fact | None:
    first, second = int(match.group("a")), int(match.group("b"))
    day, month = (first, second) if notation.day_first else (second, first)
    year = int(match.group("year"))
    return _date(match.group(), year + 2000 if year < 100 else year, month, day)


def _date(shown: str, year: int | None, month: int | None, day: int) -> Fact | None:
    if month is None:
        return None
    try:
        value = dt.date(year or 4, month, day)  # a leap year, so that 29 February reads
    except ValueError:
        return None
    return Fact("date", value, shown, yearless=year is None)


@functools.cache
def _time_pattern(code: str) -> re.Pattern[str]:
    if code == "de":
        return re.compile(
            rf"(?<![\w.:])(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?{_SPACE}*Uhr\b|(?<![\w.:])(?P<h2>\d{{1,2}}):(?P<m2>\d{{2}})(?![\w:])"
        )
    return re.compile(
        rf"(?<![\w.:])(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?{_SPACE}*(?P<half>[ap])(?:\.{_SPACE}?m\.|m\b)"
        rf"|(?<![\w.:])(?P<h2>\d{{1,2}}):(?P<m2>\d{{2}})(?![\w:])|\b(?P<noon>12{_SPACE}+noon|noon|midday)\b",
        re.IGNORECASE,
    )


def _time(match: re.Match[str]) -> Fact | None:
    if match.groupdict().get("noon"):
        return Fact("time", dt.time(12, 0), match.group())
    hour = int(match.group("h") or match.group("h2"))
    minute = int(match.group("m") or match.group("m2") or 0)
    half = (match.groupdict().get("half") or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return Fact("time", dt.time(hour, minute), match.group())


@functools.cache
def _amount_pattern(locale: str, code: str) -> re.Pattern[str]:
    notation = _notation(locale, code)
    number = notation.number.pattern
    return re.compile(
        rf"(?P<c1>{_CURRENCY}){_SPACE}?(?P<n1>{number})|(?P<n2>{number}){_SPACE}?(?P<c2>{_CURRENCY})(?!\w)"
    )


def _amount(match: re.Match[str], notation: _Notation) -> Fact | None:
    sign = match.group("c1") or match.group("c2")
    digits = match.group("n1") or match.group("n2")
    number = _number(digits, match.group(), notation)
    if number is None:
        return None
    return Fact("amount", (number.value, _CURRENCIES[sign]), match.group())


def _number(digits: str, shown: str, notation: _Notation) -> Fact | None:
    plain = re.sub(notation.group, "", digits).replace(notation.decimal, ".")
    try:
        return Fact("number", Decimal(plain), shown)
    except InvalidOperation:
        return None


def describe(fact: Fact, language: Language) -> str:
    """A fact as a message shows it: as written, then the value when that helps (``8``)."""
    return fact.shown if fact.kind != "number" or fact.shown.isdigit() else f"{fact.shown} ({fact.value})"


def verbatim_texts(values: Any) -> list[str]:
    """The user's own texts among ``values`` that hold a number (``Vorstandssitzung am 4.
    Dezember``, ``die drei Kernbotschaften``): they appear word for word in every version,
    in the language the user wrote them in, and are not read as facts.

    >>> verbatim_texts({"deliverable": "das Konzept", "points": ["die drei Kernbotschaften"], "days": "3"})
    ['die drei Kernbotschaften']
    """
    found: list[str] = []
    if isinstance(values, str):
        if re.search(r"[^\W\d_]", values) and (re.search(r"\d", values) or _NUMBER_WORD.search(values)):
            found.append(values)
    elif isinstance(values, dict):
        for value in values.values():
            found.extend(verbatim_texts(value))
    elif isinstance(values, list | tuple):
        for value in values:
            found.extend(verbatim_texts(value))
    return found


_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS["de"] + NUMBER_WORDS["en"]) + r")\b", re.IGNORECASE)


def compare_versions(
    versions: Sequence[tuple[Language, str]], names: Sequence[str] | None = None,
    *, verbatim: Sequence[str] = (),
) -> None:
    """Check that every version carries the facts of the first one, and no others.

    ``names`` label the versions in the message (default: the languages' tags). Texts in
    ``verbatim`` (the user's own, the same in every version) are left out of the comparison.

    Raises:
        FactsDisagree: naming each fact that one version has and another lacks, beside the
            value of the same kind the other has in its place (if any).
    """
    labels = list(names) if names is not None else [language.tag for language, _text in versions]
    versions = [(language, _mask(text, verbatim)) for language, text in versions]
    (first_language, first_text), *others = versions
    reference = read_facts(first_text, first_language)
    problems: list[str] = []
    for (language, text), label in zip(others, labels[1:], strict=True):
        facts = read_facts(text, language)
        only_first = [f for f in reference if not any(f.matches(g) for g in facts)]
        only_other = [g for g in facts if not any(g.matches(f) for f in reference)]
        problems.extend(_pair(only_first, only_other, (labels[0], first_language), (label, language)))
    if problems:
        raise FactsDisagree(
            _("the versions do not state the same facts:") + "\n" + "\n".join(f"  {p}" for p in problems)
        )


def _mask(text: str, verbatim: Sequence[str]) -> str:
    """``text`` with every occurrence of the ``verbatim`` texts blanked (longest first)."""
    for piece in sorted(set(verbatim), key=len, reverse=True):
        text = text.replace(piece, " " * len(piece))
    return text


def _pair(
    first: list[Fact], second: list[Fact], one: tuple[str, Language], other: tuple[str, Language]
) -> list[str]:
    """Messages for the unmatched facts, pairing those of the same kind in text order."""
    lines = []
    for kind in KINDS:
        mine = _unique([f for f in first if f.kind == kind])
        theirs = _unique([f for f in second if f.kind == kind])
        for index in range(max(len(mine), len(theirs))):
            a = mine[index] if index < len(mine) else None
            b = theirs[index] if index < len(theirs) else None
            if a is not None and b is not None:
                lines.append(
                    _("{first} ({first_lang}) but {second} ({second_lang})").format(
                        first=describe(a, one[1]), first_lang=one[0],
                        second=describe(b, other[1]), second_lang=other[0],
                    )
                )
            elif a is not None:
                lines.append(
                    _("{value} ({lang}) is not in the {other} version").format(
                        value=describe(a, one[1]), lang=one[0], other=other[0]
                    )
                )
            elif b is not None:
                lines.append(
                    _("{value} ({lang}) is not in the {other} version").format(
                        value=describe(b, other[1]), lang=other[0], other=one[0]
                    )
                )
    return lines


def _unique(facts: list[Fact]) -> list[Fact]:
    """The facts with each value once (a date repeated in a text is one fact)."""
    seen: list[Fact] = []
    for fact in facts:
        if not any(fact.matches(s) and fact.yearless == s.yearless for s in seen):
            seen.append(fact)
    return seen
