"""Languages and locale-bound formatting.

Babel owns all locale data: month and weekday names, separators, currency
placement and list joining. Every Babel call here passes ``locale=`` and an
explicit value, never the system default or "now".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from .errors import UnknownLanguage
from .messages import _


class Language(NamedTuple):
    """A supported output language.

    Attributes:
        code: the template directory and spec key ("de" or "en").
        locale: the Babel/CLDR locale used for formatting ("de_DE", "de_AT", "de_CH", "en_GB",
            "en_US"); it is also the variant whose wording :mod:`phrasebook.variants` applies.
        region: the holiday region when the values name none ("AT", "CH"), or None for the
            scenario's own default.
        tag: the BCP 47 tag for documents and email headers ("de-DE").
    """

    code: str
    locale: str
    region: str | None = None

    @property
    def tag(self) -> str:
        """Return the BCP 47 language tag, e.g. ``de-DE``."""
        return self.locale.replace("_", "-")


#: Accepted ``--lang`` values. "en" means British English, "de" the German of Germany;
#: de_AT, de_CH and en_US are variants of the same templates (see :mod:`phrasebook.variants`).
LANGUAGES: dict[str, Language] = {
    "de": Language("de", "de_DE"),
    "de_DE": Language("de", "de_DE"),
    "de_AT": Language("de", "de_AT", "AT"),
    "de_CH": Language("de", "de_CH", "CH"),
    "en": Language("en", "en_GB"),
    "en_GB": Language("en", "en_GB"),
    "en_US": Language("en", "en_US"),
}

#: The languages every scenario is written in.
TEMPLATE_LANGUAGES = ("de", "en")


def resolve_language(name: str | Language) -> Language:
    """Return the :class:`Language` for a ``--lang`` value such as ``de`` or ``en-US``.

    >>> resolve_language("en-US").locale
    'en_US'
    >>> resolve_language("de").tag
    'de-DE'
    """
    if isinstance(name, Language):
        return name
    key = str(name).strip().replace("-", "_")
    if "_" in key:
        lang, _sep, region = key.partition("_")
        key = f"{lang.lower()}_{region.upper()}"
    else:
        key = key.lower()
    try:
        return LANGUAGES[key]
    except KeyError:
        raise UnknownLanguage(str(name), list(LANGUAGES)) from None


@functools.cache
def babel_locale(identifier: str) -> Any:
    """Return the cached ``babel.Locale`` for an identifier such as ``de_DE``."""
    from babel import Locale

    locale = Locale.parse(identifier)
    _warm_locale_data(str(locale))
    return locale


def _warm_locale_data(name: str) -> None:
    """Hand Babel the merged data of locale ``name`` from the user cache.

    Babel reads a locale's layers (``root``, ``de``, ``de_DE``) and merges them in every
    new process, after looking the layers up in its table of all locales; that is a
    noticeable part of a single ``phrasebook render``. The merged result is what
    ``babel.localedata.load`` returns and keeps in memory, so it is kept in the user
    cache (for this installation of Babel only) and put back where Babel keeps it.
    If this Babel keeps its data differently, Babel simply loads the data itself.
    """
    import pickle

    from babel import localedata

    from . import cache

    memory = getattr(localedata, "_cache", None)
    lock = getattr(localedata, "_cache_lock", None)
    if not isinstance(memory, dict) or lock is None or name in memory:
        return
    if cache.cache_dir() is None:
        return
    identity = cache.package_identity("babel")
    if identity is None:
        return
    entry = f"{cache.package_folder('babel', identity)}/{name}.pickle"
    payload = cache.load_bytes(entry, identity)
    if payload is not None:
        try:
            data = pickle.loads(payload)
        except Exception:  # a damaged entry: Babel loads the data itself
            data = None
        if isinstance(data, dict) and data:
            with lock:
                memory.setdefault(name, data)
            return
    # Only data fresh from Babel's files is kept: once a locale has been used, Babel has
    # written resolved aliases into the layers it shares with locales loaded after it.
    with lock:
        earlier = dict(memory)
        memory.clear()
        try:
            data = localedata.load(name)
            payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            memory.update(earlier)
    cache.store_bytes(entry, identity, payload)


_TIME_PATTERNS = {"de": "HH:mm 'Uhr'", "en": "h:mm a"}
_DAY_MONTH_SKELETON = "MMMMd"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(_("expected a date, got {value!r}").format(value=value))


def format_date(value: Any, style: str = "full", *, language: Language) -> str:
    """Format a date: ``full``, ``long``, ``medium``, ``short``, ``weekday`` or ``day_month``.

    >>> de = resolve_language("de")
    >>> format_date(dt.date(2026, 12, 2), language=de)
    'Mittwoch, 2. Dezember 2026'
    >>> format_date(dt.date(2026, 12, 2), "day_month", language=de)
    '2. Dezember'
    >>> format_date(dt.date(2026, 12, 2), language=resolve_language("en"))
    'Wednesday, 2 December 2026'
    """
    return _format_date(_as_date(value), style, language)


@functools.lru_cache(maxsize=4096)
def _format_date(day: dt.date, style: str, language: Language) -> str:
    """:func:`format_date` for a plain date; remembered, since letters repeat their dates."""
    from babel import dates

    locale = babel_locale(language.locale)
    if style == "weekday":
        return str(dates.format_date(day, "EEEE", locale=locale))
    if style == "day_month":
        return str(dates.format_skeleton(_DAY_MONTH_SKELETON, day, locale=locale))
    return str(dates.format_date(day, style, locale=locale))


def format_time(value: Any, *, language: Language) -> str:
    """Format a clock time the way a letter writes it.

    >>> format_time(dt.time(16, 0), language=resolve_language("de"))
    '16:00 Uhr'
    >>> format_time(dt.time(16, 0), language=resolve_language("en"))
    '4:00 pm'

    Noon is unambiguous in English only in words ("12:00 pm" is read both ways):

    >>> format_time(dt.time(12, 0), language=resolve_language("en_US"))
    '12 noon'
    """
    if language.code == "en" and isinstance(value, dt.time) and (value.hour, value.minute) == (12, 0):
        return "12 noon"
    from babel import dates

    pattern = _TIME_PATTERNS[language.code]
    return str(dates.format_time(value, pattern, locale=babel_locale(language.locale)))


def format_money(amount: Any, currency: str = "EUR", *, language: Language) -> str:
    """Format an amount of money with Babel's currency rules.

    >>> format_money(Decimal("1234.5"), language=resolve_language("de"))
    '1.234,50\\xa0€'
    >>> format_money(Decimal("1234.5"), language=resolve_language("en"))
    '€1,234.50'
    >>> format_money(Decimal("1234.5"), "CHF", language=resolve_language("en"))
    'CHF\\xa01,234.50'
    """
    import re

    from babel import numbers

    text = str(numbers.format_currency(amount, currency, locale=babel_locale(language.locale)))
    # CLDR's currency spacing: a letter of the currency code never touches a digit.
    # Babel does not apply it, so "CHF2,380.00" becomes "CHF 2,380.00" (no-break space).
    return _typeset(re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", "\xa0", text), language)


def _typeset(text: str, language: Language) -> str:
    """Swiss thousands are grouped with the typographic apostrophe: „CHF 1’234.50“, and in
    threes all the way up („1’000’000’000.00“; Babel leaves numbers of seven digits and more
    partly ungrouped in de_CH).

    >>> _typeset("EUR 1000000'000.00", LANGUAGES["de_CH"]), _typeset("1000000", LANGUAGES["de_CH"])
    ('EUR 1’000’000’000.00', '1’000’000')
    """
    if language.locale != "de_CH":
        return text
    return _SWISS_INTEGER.sub(lambda m: _grouped(m.group().replace("'", "")), text)


#: A Swiss number grouped in threes: 1'000'000.50.
_SWISS_NUMBER = re.compile(r"-?\d{1,3}(?:'\d{3})+(?:\.\d+)?")
#: The integer part of a number as Babel writes it in de_CH.
_SWISS_INTEGER = re.compile(r"(?<![\d.])\d[\d']*")


def _grouped(digits: str) -> str:
    head = len(digits) % 3 or 3
    return "’".join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])


def amount_example(language: Language) -> str:
    """How an amount is written in the language's notation, for messages.

    >>> amount_example(LANGUAGES["de"]), amount_example(LANGUAGES["de_CH"]), amount_example(LANGUAGES["en"])
    ('1.234,50', '1’234.50', '1,234.50')
    """
    from babel import numbers

    text = numbers.format_decimal(Decimal("1234.50"), format="#,##0.00", locale=babel_locale(language.locale))
    return _typeset(str(text), language)


def format_number(value: Any, *, language: Language) -> str:
    """Format a number with the locale's separators.

    >>> format_number(1234.5, language=resolve_language("de"))
    '1.234,5'
    """
    from babel import numbers

    return _typeset(str(numbers.format_decimal(value, locale=babel_locale(language.locale))), language)


def format_percent(value: Any, *, language: Language) -> str:
    """Format a fraction as a percentage (0.25 → ``25 %`` in German).

    >>> format_percent(0.25, language=resolve_language("de"))
    '25\\xa0%'
    """
    from babel import numbers

    return str(numbers.format_percent(value, locale=babel_locale(language.locale)))


def format_listing(items: Iterable[Any], style: str = "standard", *, language: Language) -> str:
    """Join items the way the language does ("A, B und C"; ``style="or"`` for "oder").

    >>> format_listing(["Logo", "Website", "Flyer"], language=resolve_language("de"))
    'Logo, Website und Flyer'
    >>> format_listing(["logo", "website", "flyer"], language=resolve_language("en"))
    'logo, website and flyer'

    When an item has its own "und" ("and"), the last one joins with „sowie“ (", and"), so
    that the list does not read "A und B und C":

    >>> format_listing(["die Texte für Start und Team", "das Formular"], language=resolve_language("de"))
    'die Texte für Start und Team sowie das Formular'
    """
    texts = [str(i) for i in items]
    joined = _JOINS.get(language.code) if style == "standard" and len(texts) > 1 else None
    if joined and any(joined[0] in text for text in texts):
        return ", ".join(texts[:-1]) + joined[1] + texts[-1]
    from babel import lists

    return str(lists.format_list(texts, style, locale=babel_locale(language.locale)))  # type: ignore[arg-type]


#: For lists whose items say "und"/"and" themselves: (the word, how the last item joins).
_JOINS = {"de": (" und ", " sowie "), "en": (" and ", ", and ")}


#: Small numbers as words in running text (two to twelve), as style guides for letters ask.
#: The numbers :func:`in_words` writes out, two to twelve, by template language.
NUMBER_WORDS = {
    "de": ("zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"),
    "en": ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
}


def in_words(number: Any, *, language: Language) -> str:
    """A count in running text: written out from two to twelve, in digits otherwise
    (one needs the noun's gender or article and is left to the template).

    >>> in_words(8, language=LANGUAGES["de"]), in_words(13, language=LANGUAGES["en"])
    ('acht', '13')
    """
    if type(number) is int and 2 <= number <= 12:
        return NUMBER_WORDS[language.code][number - 2]
    return format_number(number, language=language)


def mid_sentence(text: Any, *, language: Language) -> str:
    """A date the sentence goes on after: American English sets its year off with a comma.

    >>> mid_sentence("Wednesday, December 2, 2026", language=LANGUAGES["en_US"])
    'Wednesday, December 2, 2026,'
    >>> mid_sentence("Wednesday, 2 December 2026", language=LANGUAGES["en"])
    'Wednesday, 2 December 2026'
    """
    written = str(text)
    if language.locale == "en_US" and written[-4:].isdigit() and ", " in written:
        return written + ","
    return written


def parse_number(text: str, *, language: Language) -> Decimal:
    """Parse a number written in the language's notation, strictly.

    >>> parse_number("1.234,50", language=resolve_language("de"))
    Decimal('1234.50')
    >>> parse_number("1,234.50", language=resolve_language("en"))
    Decimal('1234.50')
    >>> parse_number("1’234.50", language=resolve_language("de_CH"))
    Decimal('1234.50')
    """
    from babel import numbers

    if language.locale == "de_CH":
        text = text.replace("’", "'")
        if _SWISS_NUMBER.fullmatch(text.strip()):  # grouped in threes, which Babel's strict parse refuses
            return Decimal(text.strip().replace("'", ""))
    return Decimal(numbers.parse_decimal(text, locale=babel_locale(language.locale), strict=True))
