"""The Jinja filters of one language: Babel's formatting and phrasebook's own date wording.

Templates format every value through these filters, never in Python: ``date``,
``time``, ``money``, ``number``, ``percent``, ``listing``, ``in_words``,
``mid_sentence`` (from :mod:`phrasebook.l10n`) and ``on_day``/``until_day``
(from :mod:`phrasebook.relative`) and the forms of address ``salutation``,
``spoken_name`` and ``display_name`` (from :mod:`phrasebook.address`) and ``in_project``
(from :mod:`phrasebook.phrases`) and the variant's wording ``word``, ``tax_note``,
``tax_word`` and ``quoted`` (from :mod:`phrasebook.variants`), each bound to the language
of the template.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .address import filters_for as address_filters
from .l10n import (
    Language,
    format_date,
    format_listing,
    format_money,
    format_number,
    format_percent,
    format_time,
    in_words,
    mid_sentence,
)
from .phrases import filters_for as phrases_filters
from .relative import on_day, until_day
from .variants import filters_for as variant_filters


def _memo(func: Callable[..., str]) -> Callable[..., str]:
    """Remember recent results: a batch formats the same few dates thousands of times."""
    cached = functools.lru_cache(maxsize=512)(func)

    def call(*args: Any, **kwargs: Any) -> str:
        try:
            return cached(*args, **kwargs)
        except TypeError:  # an unhashable argument: format it without the cache
            return func(*args, **kwargs)

    return call


def filters_for(language: Language) -> dict[str, Callable[..., str]]:
    """Return the Jinja filters bound to one language."""
    return {
        "mid_sentence": functools.partial(mid_sentence, language=language),
        "in_words": functools.partial(in_words, language=language),
        "date": _memo(functools.partial(format_date, language=language)),
        "time": _memo(functools.partial(format_time, language=language)),
        "money": _memo(functools.partial(format_money, language=language)),
        "number": _memo(functools.partial(format_number, language=language)),
        "percent": functools.partial(format_percent, language=language),
        "listing": functools.partial(format_listing, language=language),
        "on_day": functools.partial(on_day, language=language),
        "until_day": functools.partial(until_day, language=language),
        **address_filters(language),
        **phrases_filters(language),
        **variant_filters(language),
    }
