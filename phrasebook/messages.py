"""Messages for people, in German and English: gettext catalogs managed with Babel's tools.

Every message phrasebook shows a person (errors, warnings, help tables, the plan
report, the rehearsal's prompts) is written in English in the code, marked for
extraction, and translated from ``phrasebook/locale/<lang>/LC_MESSAGES/phrasebook.po``
(compiled to ``.mo``; see ``CONTRIBUTING`` in ARCHITECTURE.md for the Babel commands).
The letters themselves are not messages: their wording is in the templates.

Two ways to translate:

* :func:`_` and :func:`ngettext` translate into the *message language* of the
  running command: the command line sets it once from ``--lang`` or the environment
  (:func:`speaking`); a program using the library gets English unless it says
  otherwise. Errors and warnings use these.
* :func:`translator` returns the translations of one language explicitly, for text
  that belongs to an output language (the plan report, the rehearsal, calendar
  entries).

:func:`N_` marks a message where it is defined (a table of labels) and leaves the
translation to the place that shows it. Placeholders are ``str.format`` fields
(``{name}``), filled after translation, so a translation may reorder them.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

#: The gettext domain and the directory of its catalogs.
DOMAIN = "phrasebook"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The languages messages are written in; the code is English.
MESSAGE_LANGUAGES = ("de", "en")

_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar(
    "phrasebook_message_language", default="en"
)


class Translations(Protocol):
    """What :func:`translator` returns (a :class:`gettext.NullTranslations`)."""

    def gettext(self, message: str) -> str:
        """The translation of ``message``."""

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The translation of ``singular`` or ``plural``, as ``n`` needs."""


def message_language(value: str | None) -> str:
    """The message language for a ``--lang`` value or a locale name: ``de`` or ``en``.

    >>> message_language("de_AT"), message_language("en-US"), message_language("fr_FR.UTF-8")
    ('de', 'en', 'en')
    """
    return "de" if value and value.strip().lower().startswith("de") else "en"


def chosen_language() -> str | None:
    """The language the user chose for phrasebook's own messages (``PHRASEBOOK_LANG``), if any.

    It wins over everything else, so that someone who writes German letters can still
    read phrasebook's messages in English, and the other way round.
    """
    value = os.environ.get("PHRASEBOOK_LANG", "").strip()
    return message_language(value) if value else None


def environment_language() -> str:
    """The message language the environment asks for (``PHRASEBOOK_LANG``, ``LANGUAGE``,
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first that is set), else English."""
    for var in ("PHRASEBOOK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX"):
            return message_language(value.split(":")[0])
    return "en"


@functools.cache
def translator(language: str) -> Translations:
    """The translations into ``language`` (``de``, ``de_CH``, ``en``, ``en_US`` …).

    English needs none: the messages are written in English.
    """
    import gettext

    code = message_language(language)
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def current_language() -> str:
    """The message language of the running command: ``de`` or ``en``."""
    return _LANGUAGE.get()


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Translate messages into ``language`` (``de``, ``en``, a locale …) inside the block.

    >>> with speaking("de"):
    ...     _("expected a whole number")
    'ist keine ganze Zahl'
    >>> _("expected a whole number")
    'expected a whole number'
    """
    token = _LANGUAGE.set(message_language(language))
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current message language."""
    return translator(_LANGUAGE.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate ``singular`` or ``plural`` (as ``n`` needs) into the current message language."""
    return translator(_LANGUAGE.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; translate it where it is shown."""
    return message
