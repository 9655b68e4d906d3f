"""Regional variants of a template language: one set of templates, a few words that differ.

de_DE, de_AT and de_CH share ``templates/de/``; en_GB and en_US share ``templates/en/``.
What differs between them is data, not copied templates:

* :data:`WORDS`: the words of the variant, by key. A template writes
  ``{{ "working_days" | word }}`` ("working days" in en_GB, "business days" in en_US) or
  ``{{ "closing_formal" | word }}`` ("Mit freundlichen Grüßen", "Freundliche Grüsse" in de_CH).
  A variant lists only what differs from its language's base table.
* :func:`tax_note`: the VAT wording of an amount follows the currency and the variant
  (" zuzüglich Umsatzsteuer", " zuzüglich MWST" for CHF or de_CH, " plus VAT",
  " plus sales tax" for USD), and is empty when ``vat`` is not given.
* :func:`quoted`: quotation marks of the language, with quotes inside turned into the inner
  ones („Relaunch ‚Nord‘ 2026“, “Relaunch ‘North’ 2026”).
* :func:`finish`: a last pass over the rendered text; Swiss German writes no ß.

Formatting (dates, numbers, money) follows the variant's CLDR locale (:mod:`phrasebook.l10n`):
„12. Jänner 2027“ in de_AT, „CHF 1’234.50“ in de_CH.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from .errors import TemplateFailure, did_you_mean
from .l10n import Language
from .messages import _

#: The words of each template language (the base) and what each variant says instead.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "working_day": "working day",
        "working_days": "working days",
        "organisation": "organisation",
        "catalogue": "catalogue",
        "instalments": "instalments",
        "straight_away": "straight away",
        "cancelled": "cancelled",
        "at_short_notice": "at short notice",
        "on_phone": "on",
        "day_to": "to",
        "closing_formal": "Kind regards",
        "closing_informal": "Best wishes",
        "plus": "plus",
        "including": "including",
        "transfer_the_amount": "transfer the amount",
        "transfer_the_outstanding_amount": "transfer the outstanding amount",
        "bank_details": "bank details",
    },
    "en_US": {
        "working_day": "business day",
        "working_days": "business days",
        "organisation": "organization",
        "catalogue": "catalog",
        "instalments": "installments",
        "straight_away": "right away",
        "cancelled": "canceled",
        "at_short_notice": "on short notice",
        "on_phone": "at",
        "day_to": "through",
        "closing_formal": "Best regards,",
        "closing_informal": "All the best,",
        "transfer_the_amount": "send payment",
        "transfer_the_outstanding_amount": "pay the outstanding balance",
        "bank_details": "payment details",
    },
    "de": {
        "closing_formal": "Mit freundlichen Grüßen",
        "closing_informal": "Viele Grüße",
        "closing_warm": "Herzliche Grüße",
        "plus": "zuzüglich",
        "including": "einschließlich",
    },
    "de_CH": {
        "closing_formal": "Freundliche Grüsse",
    },
}

#: Words a variant must not use: what its base language says and the variant does not.
#: The linter reports them (``phrasebook lint --lang en_US``); tests keep renders free of them.
AVOID: dict[str, dict[str, str]] = {
    "en_US": {
        "straight away": "right away",
        "working day": "business day",
        "working days": "business days",
        "organisation": "organization",
        "catalogue": "catalog",
        "instalment": "installment",
        "instalments": "installments",
        "Kind regards": "Best regards",
        "bank details": "payment details",
    },
    "en_GB": {
        "business day": "working day",
        "business days": "working days",
    },
    "de_CH": {"ß": "ss"},
}

def regional(language: Language) -> str | None:
    """The locale of a regional variant (de_AT, de_CH, en_US), None for a language's own
    (de_DE, en_GB): the variants whose avoided words lint points out in rendered texts.

    >>> from phrasebook.l10n import LANGUAGES
    >>> regional(LANGUAGES["de_CH"]), regional(LANGUAGES["en"])
    ('de_CH', None)
    """
    return None if language.locale in ("de_DE", "en_GB") else language.locale


def avoided(text: str, locale: str) -> list[tuple[int, int, str]]:
    """Where ``text`` uses a word of :data:`AVOID` for the variant ``locale``: (start, end,
    what to write instead). A word with ß is found whole, with its Swiss spelling.

    >>> avoided("We start straight away.", "en_US")
    [(9, 22, 'right away')]
    >>> avoided("Freundliche Grüße", "de_CH")
    [(12, 17, 'Grüsse')]
    >>> avoided("We start straight away.", "en_GB")
    []
    """
    found = []
    for wrong, right in AVOID.get(locale, {}).items():
        if wrong[:1].isalpha() and len(wrong) > 1:
            pattern = r"\b" + r"\s+".join(map(re.escape, wrong.split())) + r"\b"
            found += [(m.start(), m.end(), right) for m in re.finditer(pattern, text, re.IGNORECASE)]
        else:
            pattern = rf"\w*{re.escape(wrong)}\w*"
            found += [(m.start(), m.end(), m.group().replace(wrong, right)) for m in re.finditer(pattern, text)]
    return sorted(found)


#: The outer and inner quotation marks of each template language.
_QUOTES = {"de": ("„", "“", "‚", "‘"), "en": ("“", "”", "‘", "’")}
#: Quotation marks inside a value: „…“, “…”, "…", «…».
_INNER = re.compile(r"[„“\"«]([^„“”\"«»]*)[“”\"»]")


def words_for(language: Language) -> dict[str, str]:
    """Every word of a variant: its language's base table with the variant's own words.

    >>> from phrasebook.l10n import LANGUAGES
    >>> words_for(LANGUAGES["en_US"])["working_days"], words_for(LANGUAGES["en"])["working_days"]
    ('business days', 'working days')
    >>> words_for(LANGUAGES["de_CH"])["closing_formal"]
    'Freundliche Grüsse'
    """
    return _words(language.code, language.locale)


@functools.cache
def _words(code: str, locale: str) -> dict[str, str]:
    return {**WORDS[code], **WORDS.get(locale, {})}


def word(key: str, *, language: Language) -> str:
    """The variant's word for ``key``; an unknown key is a template error that names the keys."""
    table = words_for(language)
    try:
        return table[key]
    except KeyError:
        raise TemplateFailure(
            _("unknown word {key!r}{hint}; known words: {known}").format(
                key=key, hint=did_you_mean(str(key), list(table)), known=", ".join(sorted(table))
            )
        ) from None


def tax_word(currency: str = "EUR", *, language: Language) -> str:
    """What VAT is called for an amount in ``currency``.

    >>> from phrasebook.l10n import LANGUAGES
    >>> tax_word("EUR", language=LANGUAGES["de_AT"]), tax_word("CHF", language=LANGUAGES["de"])
    ('Umsatzsteuer', 'MWST')
    >>> tax_word("EUR", language=LANGUAGES["de_CH"]), tax_word("GBP", language=LANGUAGES["en_US"])
    ('MWST', 'VAT')
    >>> tax_word("USD", language=LANGUAGES["en"])
    'sales tax'
    """
    if language.code == "de":
        return "MWST" if currency == "CHF" or language.locale == "de_CH" else "Umsatzsteuer"
    return "sales tax" if currency == "USD" else "VAT"


def tax_note(vat: Any, currency: str = "EUR", *, language: Language) -> str:
    """The tax after an amount: " plus VAT", " zuzüglich MWST"; empty when ``vat`` is not given.

    >>> from phrasebook.l10n import LANGUAGES
    >>> tax_note("plus", "CHF", language=LANGUAGES["de_CH"]), tax_note(None, "USD", language=LANGUAGES["en_US"])
    (' zuzüglich MWST', '')
    >>> tax_note("included", "USD", language=LANGUAGES["en_US"])
    ' including sales tax'
    """
    if vat not in ("plus", "included"):
        return ""
    table = words_for(language)
    return f" {table['plus' if vat == 'plus' else 'including']} {tax_word(currency, language=language)}"


def quoted(text: Any, *, language: Language) -> str:
    """``text`` in the language's quotation marks; quotes inside become the inner ones.

    >>> from phrasebook.l10n import LANGUAGES
    >>> quoted('Relaunch „Nord“ 2026', language=LANGUAGES["de"])
    '„Relaunch ‚Nord‘ 2026“'
    >>> quoted('Relaunch "North" 2026', language=LANGUAGES["en_US"])
    '“Relaunch ‘North’ 2026”'
    """
    opening, closing, inner_opening, inner_closing = _QUOTES[language.code]
    inner = _INNER.sub(lambda m: f"{inner_opening}{m.group(1)}{inner_closing}", str(text))
    return f"{opening}{inner}{closing}"


def finish(text: str, language: Language) -> str:
    """The last pass over a rendered text: Swiss German has no ß (Grüsse, gross, schliesslich).

    >>> from phrasebook.l10n import LANGUAGES
    >>> finish("Mit freundlichen Grüßen, GROẞ", LANGUAGES["de_CH"])
    'Mit freundlichen Grüssen, GROSS'
    >>> finish("Grüße", LANGUAGES["de_AT"])
    'Grüße'
    """
    if language.locale == "de_CH" and ("ß" in text or "ẞ" in text):
        return text.replace("ß", "ss").replace("ẞ", "SS")
    return text


#: What a variant says instead of its language's words in the program's own text (the plan
#: report), where no template chooses the words: "business day" in American English.
MESSAGE_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "en_US": (("working day", "business day"), ("Working day", "Business day")),
}


def in_variant(text: str, language: Language) -> str:
    """The program's own text (a report, not a letter) in the words of the variant.

    >>> from phrasebook.l10n import LANGUAGES
    >>> in_variant("3 working days of work", LANGUAGES["en_US"])
    '3 business days of work'
    >>> in_variant("3 working days of work", LANGUAGES["en"])
    '3 working days of work'
    >>> in_variant("Schließtage", LANGUAGES["de_CH"])
    'Schliesstage'
    """
    for old, new in MESSAGE_WORDS.get(language.locale, ()):
        text = text.replace(old, new)
    return finish(text, language)


def filters_for(language: Language) -> dict[str, Callable[..., str]]:
    """The Jinja filters of this module, bound to one language: ``word``, ``tax_note``,
    ``tax_word`` and ``quoted``.

    They are evaluated when the template runs, never folded into the compiled template:
    compiled templates are shared by every variant of a language, and ``"working_days" | word``
    is a constant that Jinja would otherwise replace with the first variant's word.
    """
    from jinja2 import pass_context

    def live(func: Callable[..., str]) -> Callable[..., str]:
        bound = functools.partial(func, language=language)
        return pass_context(lambda _context, *args, **kwargs: bound(*args, **kwargs))

    return {"word": live(word), "tax_note": live(tax_note), "tax_word": live(tax_word), "quoted": live(quoted)}
