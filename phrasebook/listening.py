"""Listening to a rehearsal: what an answer says beyond its wording.

The tone linter judges words; this module judges what an answer carries in the call:
the facts a step must mention (a date, an amount, an alternative), giving in, the
wrong register or language, a dropped title, a bare "no" at a boundary, and a state
check that does not sound ready. The checks are data: ``templates/<lang>/rehearse/
_listen.yaml`` (patterns, word lists and messages in the rehearsal's language, with
additions per scenario), and the facts each script exports as ``listen_facts``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .numwords import numbers_in

_LETTERS = re.compile(r"[^\W\d_]+")
#: Typographic apostrophes and quotes as typed on a keyboard: the patterns are written with
#: ' and ", the scripts print ’ and “ ”, and people type either.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "‚": "'", "\u02bc": "'", "“": '"', "”": '"', "„": '"'})


def plain(text: str) -> str:
    """``text`` with typographic apostrophes and quotes as typed (one character for one).

    >>> print(plain("I’ll just squeeze it in, “no problem”"))
    I'll just squeeze it in, "no problem"
    """
    return text.translate(_PLAIN)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>#+!|~^$@.)-])")


@dataclass(frozen=True)
class Fact:
    """Something the call must carry.

    Attributes:
        kind: ``date``, ``amount`` or ``text``.
        label: how the fact is named in feedback ("Der Preis").
        shown: the fact as it is shown in feedback ("2.400,00 €").
        value: a date, a Decimal, or the words of which one must be said.
    """

    kind: str
    label: str
    shown: str
    value: Any


@dataclass(frozen=True)
class Listener:
    """The checks of one rehearsal (language, scenario, the call's facts and register)."""

    lang: str
    locale: str
    data: Mapping[str, Any]
    facts: tuple[Fact, ...] = ()
    formal: bool | None = None
    name: str = ""
    surname: str = ""
    boundary: tuple[str, ...] = field(default=("objections",))

    def message(self, key: str, **values: str) -> str:
        return str(self.data["messages"][key]).format(**values)

    def mentions(self, fact: Fact, text: str) -> bool:
        """Whether ``text`` mentions ``fact`` in any of the forms people say it."""
        if fact.kind == "amount":
            return fact.value in numbers_in(text, self.lang)
        if fact.kind == "date":
            return _mentions_date(fact.value, text, self.lang, self.locale)
        words = [plain(w).casefold() for w in fact.value]
        folded = plain(text).casefold()
        return any(re.search(r"\b" + re.escape(w) + r"\b", folded) for w in words)

    def hear(self, step: str, answer: str, prepared: str) -> list[str]:
        """Return what to tell the user about an answer at ``step`` (empty: nothing)."""
        if not answer:
            return []
        if step == "check":
            return self.check_state(answer)
        notes: list[str] = []
        typed = plain(answer)  # the same length: a match's span is the same in the answer
        stripped = typed.strip(" .!…").casefold()
        if step in self.boundary and any(
            re.fullmatch(p, stripped, re.IGNORECASE) for p in self.data.get("bare", ())
        ):
            notes.append(self.message("bare", prepared=prepared))
        for pattern in self.data.get("giving_in", ()):
            found = re.search(pattern, typed, re.IGNORECASE)
            if found:
                match = answer[found.start():found.end()]
                notes.append(self.message("giving_in", match=match, prepared=prepared))
                break
        notes.extend(self.language_notes(answer))
        for fact in self.facts:
            if self.mentions(fact, prepared) and not self.mentions(fact, answer):
                notes.append(self.message("missing", label=fact.label, value=fact.shown))
        return notes

    def language_notes(self, answer: str) -> list[str]:
        notes = []
        words = [w.casefold() for w in _LETTERS.findall(answer)]
        own = sum(w in self.data["own_words"] for w in words)
        other = sum(w in self.data["other_words"] for w in words)
        if other >= 2 and other > own:
            return [self.message("language")]
        if self.lang == "de" and self.formal is not None:
            from .lint import address_forms

            du, sie = address_forms(answer)
            if self.formal and du:
                notes.append(self.message("du_in_sie", match=du[0]))
            elif not self.formal and sie:
                notes.append(self.message("sie_in_du", match=sie[0]))
        if self.formal and self.surname:
            notes.extend(self.title_notes(answer))
        return notes

    def title_notes(self, answer: str) -> list[str]:
        salutations = self.data.get("salutations", ())
        before = self.name.split(self.surname)[0].split()
        titles = [w for w in before if w not in salutations]
        if not titles:
            return []
        said = re.search(
            r"\b(" + "|".join(map(re.escape, salutations)) + r")\s+" + re.escape(self.surname) + r"\b",
            answer,
        )
        if said:
            return [self.message("title", said=said.group(), name=self.name)]
        return []

    def check_state(self, answer: str) -> list[str]:
        folded = plain(answer).casefold()
        for entry in self.data.get("state", ()):
            if any(re.search(p, folded) for p in entry.get("patterns", ())):
                return [str(entry["advice"])]
        return []


def _mentions_date(day: dt.date, text: str, lang: str, locale: str) -> bool:
    from babel.dates import get_day_names, get_month_names

    folded = text.casefold()
    weekday = get_day_names("wide", locale=locale)[day.weekday()].casefold()
    if re.search(r"\b" + re.escape(weekday) + r"\b", folded):
        return True
    if day.isoformat() in text or re.search(
        rf"(?<![\d.]){day.day:d}\.\s?0?{day.month:d}\.|(?<![\d.])0{day.day:d}\.\s?0?{day.month:d}\.", text
    ):
        return True
    slashed = rf"(?<![\d/])0?{day.month:d}/0?{day.day:d}\b|(?<![\d/])0?{day.day:d}/0?{day.month:d}\b"
    if lang == "en" and re.search(slashed, text):
        return True
    months = (
        get_month_names("wide", locale=locale)[day.month],
        get_month_names("abbreviated", locale=locale)[day.month],
    )
    named = any(re.search(r"\b" + re.escape(m.casefold().rstrip(".")) + r"\b", folded) for m in months)
    digits = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    return named and Decimal(day.day) in numbers_in(digits, lang)


@functools.cache
def _load(path: Path) -> Mapping[str, Any]:
    import yaml

    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return dict(data)


def listener(
    folder: Path,
    scenario: str,
    lang: str,
    locale: str,
    exports: Mapping[str, Any],
) -> Listener | None:
    """Return the listener for a rehearsal, or None when the language has no ``_listen.yaml``.

    ``exports`` are the script's exported variables: ``listen_facts`` (a list of mappings
    with ``kind``, ``label``, ``shown`` and ``value``) and ``listen_call`` (``formal``,
    ``name``, ``surname``); both are optional.
    """
    path = folder / "_listen.yaml"
    if not path.is_file():
        return None
    base = _load(path)
    extra = dict((base.get("scenarios") or {}).get(scenario) or {})
    data = dict(base)
    data["giving_in"] = [*extra.get("giving_in", ()), *base.get("giving_in", ())]
    data["bare"] = [*extra.get("bare", ()), *base.get("bare", ())]
    call = dict(exports.get("listen_call") or {})
    return Listener(
        lang=lang,
        locale=locale,
        data=data,
        facts=tuple(_facts(exports.get("listen_facts") or ())),
        formal=call.get("formal"),
        name=_plain(call.get("name") or ""),
        surname=_plain(call.get("surname") or ""),
        boundary=tuple(extra.get("boundary", ("objections",))),
    )


def _plain(value: Any) -> str:
    """A value from the Markdown context, without its backslash escapes."""
    return _MD_ESCAPE.sub(r"\1", str(value)).strip()


def _facts(raw: Sequence[Mapping[str, Any]]) -> list[Fact]:
    facts = []
    for item in raw:
        value = item.get("value")
        if value in (None, "", [], False):
            continue
        kind = str(item.get("kind", "text"))
        if kind == "amount":
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                continue
        elif kind == "text":
            if isinstance(value, str):  # a name: any of its longer words will do ("Studio Nord")
                value = [w for w in _LETTERS.findall(_plain(value)) if len(w) >= 4] or [value]
            value = tuple(_plain(v) for v in value if v)
        elif kind == "date" and not isinstance(value, dt.date):
            continue
        facts.append(Fact(kind, _plain(item.get("label", "")), _plain(item.get("shown", "")), value))
    return facts

