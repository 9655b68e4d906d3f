"""The grammar of phrases users write into a sentence: cases, articles, project names.

A parameter such as ``deliverable`` is a noun phrase that a template puts into a sentence
(„Sie erhalten {deliverable} spätestens …“), so it must come in the case that sentence
needs. :func:`case_problem` refuses what is certainly wrong („der Entwurf“ where the
accusative is needed: "did you mean 'den Entwurf'?"), and :func:`article_hint` suggests an
article for a bare noun („Konzept“, "concept"), which is grammatical but rarely meant.
:func:`in_project` puts a project's name into a sentence without doubling words („im
Website-Projekt“, never „im Projekt „Website-Projekt““; "on the website redesign", never
"the the …").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .l10n import Language
from .messages import _
from .variants import quoted as _quoted

#: Spec values of ``case:``: the grammatical case the sentence gives the phrase.
CASES = ("accusative", "dative")

#: German articles and determiners a noun phrase may start with, lower case.
_DETERMINERS_DE = frozenset(
    [
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
        "kein", "keine", "keinen", "keinem", "mein", "meine", "meinen", "meinem", "unser", "unsere",
        "unseren", "unserem", "ihr", "ihre", "ihren", "ihrem", "dein", "deine", "deinen", "deinem",
        "euer", "eure", "euren", "eurem", "sein", "seine", "seinen", "seinem", "dieser", "diese",
        "diesen", "diesem", "dieses", "jeder", "jede", "jeden", "jedem", "alle", "beide", "zwei",
        "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "einige", "mehrere",
        "weitere", "erste", "ersten", "zweite", "zweiten", "letzte", "letzten",
    ]
)
_DETERMINERS_EN = frozenset(
    [
        "the", "a", "an", "your", "my", "our", "their", "this", "that", "these", "those", "his",
        "her", "its", "some", "any", "all", "both", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "several", "each", "every", "another", "first", "second", "final",
        "new", "updated", "revised",
    ]
)
#: German articles that are never accusative, with the masculine accusative they stand for
#: („der Entwurf“ → „den Entwurf“); „ein“, „kein“, „mein“ … may be a neuter accusative.
_NOT_ACCUSATIVE = {"der": "den", "dieser": "diesen", "jener": "jenen"}
_WORD = re.compile(r"[^\W\d_][\w-]*")


def case_problem(text: str, case: str, language: Language) -> str | None:
    """Why a German noun phrase cannot stand in ``case`` (with a corrected version), or None.

    Only certain mistakes are reported: „der Entwurf“ or „dieser Entwurf“ where the
    accusative is needed (the masculine accusative is „den“/„diesen“; a feminine noun
    would be „die“). Anything that may be right is let through.

    >>> de = Language("de", "de_DE")
    >>> case_problem("der Entwurf", "accusative", de)
    "is not in the accusative the sentence needs (did you mean 'den Entwurf'?)"
    >>> case_problem("den Entwurf", "accusative", de) is None
    True
    """
    if language.code != "de" or case != "accusative":
        return None
    words = text.split(maxsplit=1)
    if len(words) < 2:
        return None
    first = words[0]
    replacement = _NOT_ACCUSATIVE.get(first.lower())
    if replacement is None:
        return None
    if first[0].isupper():
        replacement = replacement.capitalize()
    suggestion = f"{replacement} {words[1]}"
    return _("is not in the accusative the sentence needs (did you mean {suggestion!r}?)").format(
        suggestion=suggestion
    )


def article_hint(text: str, language: Language) -> str | None:
    """A hint when a noun phrase is a bare singular noun („Konzept“, "concept"), else None.

    >>> article_hint("Konzept", Language("de", "de_DE"))
    "'Konzept' has no article; the letter reads better with one, e.g. 'das Konzept'"
    >>> article_hint("the concept", Language("en", "en_GB")) is None
    True
    """
    words = text.split()
    if len(words) != 1 or not _WORD.fullmatch(words[0]):
        return None
    word = words[0]
    if language.code == "de":
        if not word[0].isupper() or word.lower() in _DETERMINERS_DE:
            return None
        example = f"das {word}"
    else:
        if word.lower() in _DETERMINERS_EN or word[0].isupper() or word.lower().endswith("s"):
            return None
        example = f"the {word}"
    return _("{text!r} has no article; the letter reads better with one, e.g. {example!r}").format(
        text=text, example=example
    )


def in_project(name: str, quoted: bool = False, *, language: Language) -> str:
    """Place the collaboration in a project: „im Projekt „Relaunch 2026““, „im Website-Projekt“,
    "on the Relaunch 2026 project", "on the website redesign". No word is doubled.

    >>> de, gb = Language("de", "de_DE"), Language("en", "en_GB")
    >>> in_project("Website-Projekt", language=de), in_project("Relaunch 2026", language=de)
    ('im Website-Projekt', 'im Projekt „Relaunch 2026“')
    >>> in_project("the website redesign", language=gb), in_project("Phoenix", language=gb)
    ('on the website redesign', 'on the Phoenix project')
    >>> in_project("Relaunch", quoted=True, language=gb)
    'on the “Relaunch” project'
    """
    text = " ".join(str(name).split())
    if language.code == "de":
        words = text.split(" ", 1)
        if words[0].lower() in ("das", "dem") and len(words) > 1:
            text = words[1]
        if text.lower().endswith("projekt") and " " not in text:
            return f"im {text}"
        if text.split(" ", 1)[0].lower() == "projekt":
            return f"im {_quoted(text, language=language)}"
        return f"im Projekt {_quoted(text, language=language)}"
    lowered = text.lower()
    if lowered.startswith("the "):
        return f"on {text}"
    if lowered.endswith("project") and not text[:1].isupper():
        return f"on the {text}"
    if not text[:1].isupper() and not quoted:
        return f"on the {text}"
    shown = _quoted(text, language=language) if quoted else text
    suffix = "" if lowered.endswith("project") else " project"
    return f"on the {shown}{suffix}"


def notes(params: Iterable[Any], values: Mapping[str, Any], language: Language) -> list[str]:
    """Hints for the writer on the noun phrases of a text: a bare noun where an article
    would read better (``case:`` parameters given as text, not lists)."""
    found = []
    for param in params:
        value = values.get(param.name)
        if param.case is None or not isinstance(value, str):
            continue
        hint = article_hint(value, language)
        if hint:
            found.append(f"{param.name}: {hint}")
    return found


def filters_for(language: Language) -> dict[str, Callable[..., Any]]:
    """The Jinja filters of this module, bound to one language."""
    return {"in_project": lambda name, quoted=False: in_project(name, quoted, language=language)}
