"""Scenario specs: typed parameters declared in YAML, and their validation.

A scenario spec (``phrasebook/scenarios/<name>.yaml``) declares each parameter
with a type from :data:`~phrasebook.paramtypes.TYPES`, help text in every language
and optional constraints. :meth:`Scenario.validate` turns raw values (strings from
the command line, scalars from a params file, or typed Python values) into typed
values and reports every problem at once; :meth:`Scenario.missing` says which
required values are absent.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .dateexpr import holds_relative, resolve_within
from .errors import InvalidParams, did_you_mean
from .l10n import Language
from .messages import N_, _
from .paramnames import flat_already, flatten
from .paramtypes import EXAMPLES, Invalid, Param, cached_converter, is_empty, placeholder, short
from .phrases import case_problem


@dataclass(frozen=True)
class Scenario:
    """A scenario: its localized title and summary, its kind and its typed parameters.

    Attributes:
        name: kebab-case id, equal to the spec and template file names.
        title: short title per language code.
        summary: one-line description per language code.
        kind: ``letter`` (salutation, closing, email) or ``document`` (Markdown pack).
        params: the parameters in declared order, shared letter parameters last.
        formats: the output formats this scenario supports.
        one_of: groups of parameters of which exactly one must be given
            (e.g. a fixed ``deadline`` or the ``effort_days`` to plan one).
        at_least_one_of: groups of parameter names; in each group at least one must be
            given (a value that is neither missing nor "no").
        checks: named semantic checks run after validation (see :mod:`phrasebook.checks`).
        group: the situation ``phrasebook list`` files it under (a key of :data:`SITUATIONS`),
            or None for "other scenarios".
        promises: what a text of it promises, for the ledger
            (:class:`phrasebook.promises.PromiseRule`).
    """

    name: str
    title: Mapping[str, str]
    summary: Mapping[str, str]
    kind: str
    params: tuple[Param, ...]
    formats: tuple[str, ...] = ("text", "md", "eml")
    one_of: tuple[tuple[str, ...], ...] = ()
    at_least_one_of: tuple[tuple[str, ...], ...] = ()
    checks: tuple[str, ...] = ()
    group: str | None = None
    promises: tuple[Any, ...] = ()

    @functools.cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.params)

    @functools.cached_property
    def choice_names(self) -> frozenset[str]:
        """Names of the ``choice`` parameters: identifiers templates compare, not user text."""
        return frozenset(p.name for p in self.params if p.type == "choice")

    @functools.cached_property
    def _converters(self) -> dict[str, tuple[int, Param, Callable[[Any, Param, Language], Any]]]:
        """By name: (position, parameter, converter)."""
        return {p.name: (i, p, cached_converter(p)) for i, p in enumerate(self.params)}

    @functools.cached_property
    def _defaults(self) -> dict[str, Any]:
        """Every parameter's default, in declared order: the values when nothing is given."""
        return {p.name: p.default for p in self.params}

    @functools.cached_property
    def _may_be_required(self) -> tuple[Param, ...]:
        """The parameters that can be missing: required ones and conditionally required ones."""
        return tuple(p for p in self.params if p.required or p.required_if)

    def missing(
        self, values: Mapping[str, Any], *, present: Callable[[Any], bool] | None = None
    ) -> list[Requirement]:
        """Return what this scenario requires and ``values`` lacks, in the order of the spec:
        required parameters first, then ``one_of`` and ``at_least_one_of`` groups.

        ``values`` may hold raw or typed values by dotted name. By default an empty text,
        an empty list and None are absent (``present`` decides otherwise); in an
        ``at_least_one_of`` group so is "no" (False). A ``required_if`` condition is
        checked against ``values``: when only the names are known (the columns of a batch
        file), map each to True and conditional requirements do not apply.

        >>> from phrasebook.catalog import load_catalog
        >>> spec = load_catalog().scenario("deadline-offer")
        >>> [r.names for r in spec.missing({"deliverable": "das Konzept", "sender.name": "A"})]
        [('recipient.last_name',), ('deadline', 'effort_days')]
        """
        given = present or _given
        found: list[Requirement] = []
        for param in self._may_be_required:
            if given(values.get(param.name)):
                continue
            if param.required and param.unless and given(values.get(param.unless)):
                continue
            if param.required:
                found.append(Requirement("required", (param.name,)))
                continue
            for condition in param.required_if:
                if all(values.get(k) == v for k, v in condition.items()):
                    found.append(Requirement("required", (param.name,), condition))
                    break
        for group in self.one_of:
            for name in group:
                if given(values.get(name)):
                    break
            else:
                found.append(Requirement("one_of", group))
        for group in self.at_least_one_of:
            if not any(given(v) and v is not False for v in map(values.get, group)):
                found.append(Requirement("at_least_one_of", group))
        return found

    @property
    def output_formats(self) -> tuple[str, ...]:
        """The formats it can be written in: its own, and ``html`` and ``pdf`` with ``md``."""
        return (*self.formats, "html", "pdf") if "md" in self.formats else self.formats

    def param(self, name: str) -> Param:
        """Return the parameter called ``name``."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def validate(
        self,
        raw: Mapping[str, Any],
        language: Language,
        *,
        today: dt.date | None = None,
        numbers: Language | None = None,
        placeholders: bool = False,
        working_days: WorkingDays | None = None,
    ) -> dict[str, Any]:
        """Check and convert raw values; return them as a flat ``{dotted name: value}`` dict.

        With ``today``, dates are also checked against ``not_before: today``,
        ``not_after: today`` and ``after: today`` (also on the date fields of records); the
        order between two date parameters is always checked.
        Amounts are read in the notation of ``numbers`` when given (a batch file from a
        German spreadsheet for an English letter), else in that of ``language``. A value
        that looks like an unfilled placeholder (``[Name]``, ``TODO``, ``???``) is refused
        unless ``placeholders`` is true. Relative dates (``+7 working days``) are resolved
        against ``today``; ``working_days`` gives, for the converted values, the test of a
        working day in their region (Monday to Friday when not given).

        Raises:
            InvalidParams: listing every problem (missing, unknown, malformed), each
                naming the parameter, the offending value and what was expected.
        """
        fast = self._converted_plain(raw, language)
        if fast is not None:
            plain, plain_names = fast
            if not self._whole_problems(plain, plain_names, today, self.missing(plain, present=_not_none)):
                return plain
            # a problem: the full path below names every one of them, in order
        known = self._names
        flat = flat_already(raw)
        if flat is None or not known.issuperset(flat):
            flat = flatten(raw, known=known)  # nested names, or a group of people given as a list
        problems: list[str] = []
        if not known.issuperset(flat):
            for name in flat:
                if name not in known:
                    names = [p.name for p in self.params]
                    hint = did_you_mean(name, names)
                    problems.append(_("{name}: unknown parameter{hint}").format(name=name, hint=hint))
        values = dict(self._defaults)
        failed: list[tuple[int, str]] = []
        converters = self._converters
        given_names: set[str] = set()
        relative: list[tuple[int, str]] = []
        for name, given in flat.items():
            entry = converters.get(name)
            if entry is None or given is None or given == []:
                continue
            if isinstance(given, str) and not given.strip():
                continue
            given_names.add(name)
            index, param, convert = entry
            try:
                notation = numbers if numbers is not None and param.type == "decimal" else language
                values[name] = converted = convert(given, param, notation)
                if param.type in _HOLDS_DATES and holds_relative(converted):
                    relative.append((index, name))
            except Invalid as exc:
                # a list or mapping is not repeated in Python notation: the message names the item
                shown = "" if isinstance(given, (list, dict)) else f"{short(given)} "
                failed.append((index, f"{name}: {shown}{exc}"))
                values[name] = _INVALID
        if relative:
            failed += self._resolve_relative(values, relative, today, working_days)
        if language.code == "de" and self._with_case:
            failed += self._case_problems(values, language)
        if not placeholders:
            failed += self._placeholder_problems(values, given_names)
        if failed:
            problems += [message for _index, message in sorted(failed)]
        absent = self.missing(values, present=_not_none)
        problems += self._whole_problems(values, given_names, today, absent)
        if problems:
            valid = {name: value for name, value in values.items() if value is not _INVALID}
            raise InvalidParams(self.name, problems, values=valid)
        return values

    def _whole_problems(
        self,
        values: Mapping[str, Any],
        given_names: Iterable[str],
        today: dt.date | None,
        absent: Sequence[Requirement],
    ) -> list[str]:
        """What is wrong with the converted values as a whole: what is missing, given alone,
        in the wrong order, or given both where only one may be."""
        problems: list[str] = []
        for requirement in absent:
            if requirement.kind == "required":
                param = self.param(requirement.names[0])
                because = _condition_text(requirement.condition)
                example = EXAMPLES.get(param.type)
                expected = _(example) if example else param.describe_type()
                problems.append(
                    _("{name}: missing{because}; expected {expected}").format(
                        name=param.name, because=because, expected=expected
                    )
                )
        if self._only_with and not isinstance(given_names, (set, frozenset, dict)):
            given_names = set(given_names)
        for param, partner in self._only_with:
            if param.name in given_names and values[partner] is None:
                problems.append(
                    _("{name}: only used together with {partner}").format(name=param.name, partner=partner)
                )
        if self._ordered_dates:
            problems += self._date_order_problems(values, today)
        for group in self.one_of:
            if absent and Requirement("one_of", group) in absent:
                problems.append(
                    _("{names}: missing; give one of them").format(names=_(" or ").join(group))
                )
            elif len([name for name in group if values.get(name) is not None]) > 1:
                both = [name for name in group if values.get(name) is not None]
                problems.append(
                    _("{names}: give only one of them, not both").format(names=", ".join(both))
                )
        for requirement in absent if self.at_least_one_of else ():
            if requirement.kind == "at_least_one_of":
                joined = " / ".join(requirement.names)
                problems.append(_("{names}: none given; give at least one of them").format(names=joined))
        return problems

    @functools.cached_property
    def _plain_memo(self) -> dict[str, dict[tuple[str, str], Any]]:
        """Per language code, converted plain strings by (name, text): see :meth:`_converted_plain`."""
        return {}

    def _converted_plain(
        self, raw: Mapping[str, Any], language: Language
    ) -> tuple[dict[str, Any], list[str]] | None:
        """The values of ``raw`` converted, when it is a flat dict of known names with plain
        strings that each convert without a problem (as a batch row's or a command line's do);
        None otherwise, and :meth:`validate` takes the full path.

        Each (name, text) is converted and checked once per scenario, its converter prepared
        once: batches repeat the same sender, dates and phrases row after row.
        """
        if type(raw) is not dict:
            return None
        code = language.code
        memo = self._plain_memo.get(code)
        if memo is None:
            memo = self._plain_memo[code] = {}
        values = dict(self._defaults)
        given: list[str] = []
        for name, text in raw.items():
            if text.__class__ is not str:
                if text is None and name in self._names:
                    continue
                return None
            key = (name, text)
            found = memo.get(key, _MISSING)
            if found is _MISSING:
                found = self._plain_value(name, text, language)
                if found is _MISSING:
                    return None
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = found
            if found is _BLANK:
                continue
            values[name] = found
            given.append(name)
        if code == "de" and self._defaults_with_case:
            return None  # a default noun phrase is checked for its case on the full path
        return values, given

    def _plain_value(self, name: str, text: str, language: Language) -> Any:
        """``text`` converted for parameter ``name``; ``_MISSING`` when the full path must
        look at it (an unknown name, a malformed value, a relative date, a placeholder, a
        noun phrase in the wrong case, or a type whose conversion depends on more)."""
        entry = self._converters.get(name)
        if entry is None:
            return _MISSING
        if not text.strip():
            return _BLANK
        _index, param, convert = entry
        if param.type not in _PLAIN_TYPES:
            return _MISSING
        try:
            converted = convert(text, param, language)
        except Invalid:
            return _MISSING
        if holds_relative(converted) or placeholder(converted) is not None:
            return _MISSING
        if (
            language.code == "de" and param.case is not None and isinstance(converted, str)
            and case_problem(converted, param.case, language) is not None
        ):
            return _MISSING
        return converted

    @functools.cached_property
    def _defaults_with_case(self) -> bool:
        """Whether a noun phrase checked for its case has a default."""
        return any(p.default is not None for _i, p in self._with_case)

    def _resolve_relative(
        self,
        values: dict[str, Any],
        names: Sequence[tuple[int, str]],
        today: dt.date | None,
        working_days: WorkingDays | None,
    ) -> list[tuple[int, str]]:
        """Replace relative dates in ``values`` by the days they stand for."""
        if today is None:
            return [
                (index, _("{name}: a relative date needs the date of today").format(name=name))
                for index, name in names
            ]
        test: Callable[[dt.date], bool] | None = None
        if working_days is not None and any(holds_relative(values[name], calendar=True) for _i, name in names):
            test = working_days(values)
        for _index, name in names:
            values[name] = resolve_within(values[name], today, test)
        return []

    def _placeholder_problems(self, values: Mapping[str, Any], names: Iterable[str]) -> list[tuple[int, str]]:
        """Values that look unfilled: a letter with „[Name]“ in it must not look sendable."""
        found = []
        for name in names:
            value = values.get(name)
            if value is _INVALID or value is None:
                continue
            mark = placeholder(value)
            if mark is not None:
                index = self._converters[name][0]
                found.append((index, f"{name}: " + _(
                    "{mark!r} looks like a placeholder that was not filled in; fill it in, "
                    "or pass --allow-placeholders"
                ).format(mark=mark)))
        return found

    @functools.cached_property
    def _with_case(self) -> tuple[tuple[int, Param], ...]:
        """The noun phrases whose grammatical case is checked, with their position."""
        return tuple((i, p) for i, p in enumerate(self.params) if p.case is not None)

    def _case_problems(self, values: Mapping[str, Any], language: Language) -> list[tuple[int, str]]:
        """Noun phrases given in a case the sentence cannot take („der Entwurf“ for „den“)."""
        found = []
        for index, param in self._with_case:
            value = values.get(param.name)
            phrases = value if isinstance(value, list) else [value]
            for number, phrase in enumerate(phrases, start=1):
                if not isinstance(phrase, str) or param.case is None:
                    continue
                problem = case_problem(phrase, param.case, language)
                if problem is None:
                    continue
                where = f"{param.name}: " + (
                    _("item {number}: ").format(number=number) if isinstance(value, list) else ""
                )
                found.append((index, f"{where}{short(phrase)} {problem}"))
        return found

    @functools.cached_property
    def _only_with(self) -> tuple[tuple[Param, str], ...]:
        """The parameters that need a partner, each with its partner's name."""
        return tuple((p, p.only_with) for p in self.params if p.only_with is not None)

    def without_unpaired(self, values: Mapping[str, Any], keep: Iterable[str]) -> dict[str, Any]:
        """Return ``values`` (flat names) without the ``only_with`` values whose partner is
        missing, except the names in ``keep``.

        For layered input: a client profile's ``vat: plus`` is a default for the letters
        that name an amount, not an error in the ones that don't. What the user gave for
        this text (``keep``) is still checked by :meth:`validate`.
        """
        if not self._only_with:
            return dict(values)
        kept = set(keep)
        drop = {
            p.name for p, partner in self._only_with
            if p.name not in kept and p.name in values and is_empty(values.get(partner))
        }
        if not drop:
            return dict(values)
        return {name: value for name, value in values.items() if name not in drop}

    @functools.cached_property
    def _ordered_dates(self) -> tuple[tuple[Param, str, str, str | None], ...]:
        """(parameter, ``not_before``/``not_after``/``after``, ``today`` or a parameter name,
        the date field of a list of records or None)."""
        own: list[tuple[Param, str, str, str | None]]
        own = [(p, key, getattr(p, key), None) for p in self.params for key in DATE_ORDER if getattr(p, key)]
        fields: list[tuple[Param, str, str, str | None]] = [
            (p, key, getattr(f, key), f.name)
            for p in self.params for f in p.fields for key in DATE_ORDER if getattr(f, key)
        ]
        return tuple(own + fields)

    def _date_order_problems(self, values: Mapping[str, Any], today: dt.date | None) -> list[str]:
        problems = []
        for param, key, other, field in self._ordered_dates:
            bound = today if other == "today" else values.get(other)
            if type(bound) is not dt.date:
                continue  # missing or malformed: reported already
            for name, day in _dated(param.name, values.get(param.name), field):
                if type(day) is not dt.date:
                    continue
                message = _date_rule_broken(key, day, bound, other)
                if message:
                    problems.append(
                        message.format(
                            name=name, day=day.isoformat(), today=bound.isoformat(), other=other,
                            bound=bound.isoformat(),
                        )
                    )
        return problems


def _dated(name: str, value: Any, field: str | None) -> list[tuple[str, Any]]:
    """(name as reported, date) for a date parameter, or for the ``field`` of each record
    of a list (``next_dates: item 2: date``)."""
    if field is None:
        return [(name, value)]
    if isinstance(value, Mapping):
        return [(f"{name}: {field}", value.get(field))]
    records = value if isinstance(value, list) else []
    return [
        (f"{name}: " + _("item {number}: ").format(number=number) + field, record.get(field))
        for number, record in enumerate(records, start=1)
        if isinstance(record, Mapping)
    ]


def _date_rule_broken(key: str, day: dt.date, bound: dt.date, other: str) -> str:
    """The message template for a date that breaks its rule, or ""."""
    past = other == "today"
    if key == "not_before" and day < bound:
        return (
            _("{name}: {day} is in the past (today is {today})") if past
            else _("{name}: {day} is before {other} ({bound})")
        )
    if key == "not_after" and day > bound:
        return (
            _("{name}: {day} is in the future (today is {today})") if past
            else _("{name}: {day} is after {other} ({bound})")
        )
    if key == "after" and day <= bound:
        return (
            _("{name}: {day} is not after today ({today}); expected a later day") if past
            else _("{name}: {day} is not after {other} ({bound})")
        )
    return ""


class Requirement(NamedTuple):
    """A value that is required and absent (see :meth:`Scenario.missing`).

    Attributes:
        kind: ``required`` (one parameter), ``one_of`` (exactly one of ``names``) or
            ``at_least_one_of`` (one or more of ``names``).
        names: the parameter, or the parameters of the group.
        condition: for a parameter required by ``required_if``, the condition that holds.
    """

    kind: str
    names: tuple[str, ...]
    condition: Mapping[str, Any] | None = None


#: Parameter types whose values may hold dates (a list of records with a date field).
_HOLDS_DATES = frozenset({"date", "list", "record"})

#: For converted values: the test of a working day in their region, or None for Monday to Friday.
WorkingDays = Callable[[Mapping[str, Any]], "Callable[[dt.date], bool] | None"]


def _given(value: Any) -> bool:
    return not is_empty(value)


def _not_none(value: Any) -> bool:
    return value is not None


def _condition_text(condition: Mapping[str, Any] | None) -> str:
    if not condition:
        return ""
    terms = _(" and ").join(
        _("{name} is {value}").format(name=k, value=v) for k, v in condition.items()
    )
    return _(", needed when {condition}").format(condition=terms)


#: The date order keys of a date parameter; ``today`` is the date the text is written on.
DATE_ORDER = ("not_before", "not_after", "after")

#: The situations ``phrasebook list`` groups scenarios by (the spec's ``group``), in order,
#: with their headings.
SITUATIONS: dict[str, str] = {
    "deadlines": N_("Deadlines and availability"),
    "money": N_("Scope and money"),
    "rules": N_("Rules of the collaboration"),
    "endings": N_("Endings"),
}

#: Marks a value that failed to convert.
_INVALID = object()
#: For :meth:`Scenario._converted_plain`: a value the full path must see, and a blank one.
_MISSING = object()
_BLANK = object()
#: Types whose value converted from a string depends only on the parameter and the string,
#: and is immutable (shared between rows).
_PLAIN_TYPES = frozenset({"str", "text", "int", "bool", "bool_or_text", "date", "time", "choice", "email"})
#: How many converted strings a scenario keeps.
_MEMO_SIZE = 4096
