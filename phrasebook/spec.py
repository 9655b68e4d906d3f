"""Scenario specs: typed parameters declared in YAML, and their validation.

A scenario spec (``phrasebook/scenarios/<name>.yaml``) declares each parameter
with a type from :data:`TYPES`, help text in every language and optional
constraints. :meth:`Scenario.validate` turns raw values (strings from the
command line, scalars from a params file, or typed Python values) into typed
values and reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, NamedTuple

from .errors import InvalidParams, SpecError, did_you_mean
from .l10n import Language

#: Characters never accepted in a value: C0/C1 controls (except tab and newline in
#: multi-line text), and bidirectional or zero-width controls that can hide text.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_LINE_BREAK = re.compile("[\n\r]")
_DOMAIN_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[^\s@]+\.[^\s@.]+$")
_DATE_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TRUE = {"true", "yes", "on", "1", "ja"}
_FALSE = {"false", "no", "off", "0", "nein"}


class Invalid(ValueError):
    """A single value does not fit its type; the message says what was expected."""


class Param(NamedTuple):
    """One declared parameter of a scenario.

    Attributes:
        name: dotted name, e.g. ``recipient.last_name``.
        type: a key of :data:`TYPES`.
        help: help text per language code.
        required: whether a value must be given (always false when a default exists).
        default: value used when none is given (already typed).
        choices: allowed values for ``choice``.
        min: lower bound for ``int``/``decimal``, or minimum number of list items.
        max: upper bound for ``int``/``decimal``, or maximum number of list items.
        item: item type for ``list``.
        fields: for lists of records, the typed fields of each record.
        required_if: conditions ``{param: value}``; any match makes the parameter required.
        not_before: for dates, ``today`` or another date parameter this date may not precede.
        not_after: for dates, ``today`` or another date parameter this date may not follow.
        only_with: another parameter without which this one has no effect (``vat`` needs
            an amount); giving this one alone is reported.
    """

    name: str
    type: str
    help: Mapping[str, str]
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    item: str = "str"
    fields: tuple[Param, ...] = ()
    required_if: tuple[Mapping[str, str], ...] = ()
    not_before: str | None = None
    not_after: str | None = None
    only_with: str | None = None

    def describe_type(self, lang: str = "en") -> str:
        """Return a short description of the expected value, in English or German."""
        names = TYPE_NAMES_DE if lang == "de" else TYPE_NAMES
        list_of = "Liste von" if lang == "de" else "list of"
        if self.type == "choice":
            return " | ".join(self.choices)
        if self.type == "list" and self.fields:
            return f"{list_of} {{" + ", ".join(f.name for f in self.fields) + "}"
        if self.type == "list":
            return f"{list_of} {names[self.item]}"
        return names[self.type]

    def coerce(self, value: Any, language: Language) -> Any:
        """Return ``value`` converted to this parameter's type, or raise :class:`Invalid`."""
        return _coerce(self, value, language)


def _text(value: Any, *, multiline: bool) -> str:
    if not multiline and type(value) is str:
        text = (value if value.isascii() else unicodedata.normalize("NFC", value)).strip()
        if "\n" not in text and not _FORBIDDEN.search(text):
            return text
    if isinstance(value, (dict, list, tuple, set)):
        raise Invalid("expected text, got a " + ("mapping" if isinstance(value, dict) else "list"))
    text = unicodedata.normalize("NFC", str(value)).strip()
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif _LINE_BREAK.search(text):
        raise Invalid("a line break is not allowed here (expected a single line)")
    bad = _FORBIDDEN.search(text.replace("\t", " ") if multiline else text)
    if bad:
        raise Invalid(f"contains the control character U+{ord(bad.group()):04X}")
    if multiline:
        text = re.sub(r"[ \t]+\n", "\n", text)
    return text


def _to_str(value: Any, param: Param, language: Language) -> str:
    return _text(value, multiline=False)


def _to_text(value: Any, param: Param, language: Language) -> str:
    return _text(value, multiline=True)


def _check_range(number: Decimal, param: Param) -> None:
    if param.min is not None and number < param.min:
        raise Invalid(f"must be at least {param.min}")
    if param.max is not None and number > param.max:
        raise Invalid(f"must be at most {param.max}")


def _to_int(value: Any, param: Param, language: Language) -> int:
    if isinstance(value, bool):
        raise Invalid("expected a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise Invalid("expected a whole number")
        number = int(text)
    _check_range(Decimal(number), param)
    return number


def _to_decimal(value: Any, param: Param, language: Language) -> Decimal:
    if isinstance(value, bool):
        raise Invalid("expected an amount")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        from babel.numbers import NumberFormatError

        from .l10n import parse_number

        text = str(value).strip().replace("\xa0", "").replace(" ", "")
        if re.fullmatch(r"[+-]?\d{1,12}", text):
            number = Decimal(text)
        else:
            example = "1.234,50" if language.code == "de" else "1,234.50"
            try:
                number = parse_number(text, language=language)
            except (NumberFormatError, InvalidOperation, ValueError):
                raise Invalid(f"expected an amount written like {example}") from None
    if not number.is_finite():
        raise Invalid("expected a finite amount")
    if abs(number) < _HUGE and number != number.quantize(_CENT, rounding=ROUND_DOWN):
        # an amount is printed to the cent: 12.345 would silently become 12.34
        raise Invalid("has more than two decimal places; amounts are given to the cent")
    _check_range(number, param)
    return number


_CENT = Decimal("0.01")
_HUGE = Decimal("1e24")  # beyond what the range checks allow anyway; quantize would fail


def _to_bool(value: Any, param: Param, language: Language) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid("expected yes or no")


def _to_bool_or_text(value: Any, param: Param, language: Language) -> bool | str:
    if isinstance(value, bool):
        return value
    text = _text(value, multiline=False)
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    return text


def parse_date(text: str) -> dt.date | None:
    """Parse ``YYYY-MM-DD`` or ``DD.MM.YYYY``; None when the text has neither form.

    Raises:
        ValueError: the form fits but the day does not exist (``31.02.2026``).

    >>> parse_date("02.12.2026"), parse_date("tomorrow")
    (datetime.date(2026, 12, 2), None)
    """
    text = text.strip()
    match = _DATE_DE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a calendar date") from None
    return None


def _to_date(value: Any, param: Param, language: Language) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    expected = "expected a date as YYYY-MM-DD or DD.MM.YYYY"
    try:
        day = parse_date(str(value))
    except ValueError:
        raise Invalid(f"is not a calendar date ({expected})") from None
    if day is None:
        raise Invalid(expected)
    return day


def _to_time(value: Any, param: Param, language: Language) -> dt.time:
    if isinstance(value, dt.time):
        return value
    match = _TIME.match(str(value).strip())
    if not match:
        raise Invalid("expected a time as HH:MM, e.g. 16:00")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _to_choice(value: Any, param: Param, language: Language) -> str:
    text = _text(value, multiline=False)
    if text not in param.choices:
        raise Invalid(f"expected one of: {', '.join(param.choices)}{did_you_mean(text, param.choices)}")
    return text


def _to_email(value: Any, param: Param, language: Language) -> str:
    text = _text(value, multiline=False)
    if not _EMAIL.match(text) or ".." in text or text.startswith("."):
        raise Invalid("expected an email address such as name@example.com")
    local, _, domain = text.rpartition("@")
    if domain.isascii():
        ascii_domain = domain
    else:
        try:
            ascii_domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise Invalid("the domain of the email address is not valid") from None
    # Host names: letters, digits and inner hyphens, 1 to 63 per label; anything else
    # (">", quotes, commas) would change what a mail header says.
    if not all(_DOMAIN_LABEL.match(label) for label in ascii_domain.split(".")):
        raise Invalid("the domain of the email address is not valid")
    return text if ascii_domain == domain else f"{local}@{ascii_domain}"


def _to_list(value: Any, param: Param, language: Language) -> list[Any]:
    if isinstance(value, (str, int, Decimal, dt.date, Mapping)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise Invalid("expected a list")
    items: list[Any] = []
    for index, raw in enumerate(value, start=1):
        try:
            if param.fields:
                items.append(_to_record(raw, param, language))
            else:
                item = TYPES[param.item](raw, param, language)
                if item == "":
                    continue
                items.append(item)
        except Invalid as exc:
            raise Invalid(f"item {index}: {exc}") from None
    if param.min is not None and len(items) < param.min:
        raise Invalid(f"expected at least {param.min} item(s), got {len(items)}")
    if param.max is not None and len(items) > param.max:
        raise Invalid(f"expected at most {param.max} item(s), got {len(items)}")
    return items


def _to_record(raw: Any, param: Param, language: Language) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        names = ", ".join(f.name for f in param.fields)
        raise Invalid(f"expected a mapping with {names}")
    unknown = sorted(set(raw) - {f.name for f in param.fields})
    if unknown:
        names = [f.name for f in param.fields]
        raise Invalid(f"unknown field {unknown[0]!r}{did_you_mean(str(unknown[0]), names)}")
    record: dict[str, Any] = {}
    for sub in param.fields:
        given = raw.get(sub.name)
        if _is_empty(given):
            if sub.required and sub.default is None:
                raise Invalid(f"{sub.name} is missing")
            record[sub.name] = sub.default
            continue
        try:
            record[sub.name] = _coerce(sub, given, language)
        except Invalid as exc:
            raise Invalid(f"{sub.name} {exc}") from None
    return record


#: The one table of parameter types: name → converter(value, param, language).
TYPES: Mapping[str, Callable[[Any, Param, Language], Any]] = {
    "str": _to_str,
    "text": _to_text,
    "int": _to_int,
    "decimal": _to_decimal,
    "bool": _to_bool,
    "bool_or_text": _to_bool_or_text,
    "date": _to_date,
    "time": _to_time,
    "choice": _to_choice,
    "email": _to_email,
    "list": _to_list,
}

#: How each type is named in help screens and messages.
TYPE_NAMES: Mapping[str, str] = {
    "str": "text",
    "text": "multi-line text",
    "int": "whole number",
    "decimal": "amount",
    "bool": "yes/no",
    "bool_or_text": "yes/no or text",
    "date": "date",
    "time": "time",
    "choice": "choice",
    "email": "email",
    "list": "list",
}

#: The same names for German help screens.
TYPE_NAMES_DE: Mapping[str, str] = {
    "str": "Text",
    "text": "mehrzeiliger Text",
    "int": "ganze Zahl",
    "decimal": "Betrag",
    "bool": "ja/nein",
    "bool_or_text": "ja/nein oder Text",
    "date": "Datum",
    "time": "Uhrzeit",
    "choice": "Auswahl",
    "email": "E-Mail",
    "list": "Liste",
}

#: What a value of each type looks like, shown when a required value is missing.
EXAMPLES: Mapping[str, str] = {
    "decimal": "an amount such as 1.234,50 (de) or 1,234.50 (en)",
    "date": "a date such as 2026-12-02",
    "time": "a time such as 16:00",
    "email": "an address such as name@example.com",
}


def _coerce(param: Param, value: Any, language: Language) -> Any:
    return TYPES[param.type](value, param, language)


#: Types whose converter, given a plain ``str``, depends on nothing but that string
#: (not on the parameter or the language); their results are immutable.
_PURE_STR_TYPES = frozenset({"str", "text", "date", "time", "bool", "email"})


@functools.lru_cache(maxsize=4096)
def _convert_str(type_name: str, value: str) -> Any:
    """Convert a plain string with a pure converter, remembering recent results.

    Batches repeat the same sender, dates and addresses row after row. Errors are
    not cached (:class:`Invalid` propagates and is raised again next time).
    """
    return TYPES[type_name](value, None, None)  # type: ignore[arg-type]


def _cached_converter(param: Param) -> Callable[[Any, Param, Language], Any]:
    """Return ``param``'s converter, with the string cache in front where it is pure."""
    convert = TYPES[param.type]
    if param.type not in _PURE_STR_TYPES:
        return convert
    type_name = param.type

    def cached(value: Any, param: Param, language: Language) -> Any:
        if type(value) is str:
            return _convert_str(type_name, value)
        return convert(value, param, language)

    return cached


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


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
    """

    name: str
    title: Mapping[str, str]
    summary: Mapping[str, str]
    kind: str
    params: tuple[Param, ...]
    formats: tuple[str, ...] = ("text", "md", "eml")
    extra: Mapping[str, Any] = field(default_factory=dict)
    one_of: tuple[tuple[str, ...], ...] = ()
    at_least_one_of: tuple[tuple[str, ...], ...] = ()
    checks: tuple[str, ...] = ()

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
        return {p.name: (i, p, _cached_converter(p)) for i, p in enumerate(self.params)}

    @functools.cached_property
    def _defaults(self) -> dict[str, Any]:
        """Every parameter's default, in declared order: the values when nothing is given."""
        return {p.name: p.default for p in self.params}

    @functools.cached_property
    def _may_be_required(self) -> tuple[Param, ...]:
        """The parameters that can be missing: required ones and conditionally required ones."""
        return tuple(p for p in self.params if p.required or p.required_if)

    def param(self, name: str) -> Param:
        """Return the parameter called ``name``."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def validate(
        self, raw: Mapping[str, Any], language: Language, *, today: dt.date | None = None
    ) -> dict[str, Any]:
        """Check and convert raw values; return them as a flat ``{dotted name: value}`` dict.

        With ``today``, dates are also checked against ``not_before: today`` and
        ``not_after: today``; the order between two date parameters is always checked.

        Raises:
            InvalidParams: listing every problem (missing, unknown, malformed), each
                naming the parameter, the offending value and what was expected.
        """
        known = self._names
        flat = _flat_already(raw)
        if flat is None:
            flat = flatten(raw, known=known)
        problems: list[str] = []
        if not known.issuperset(flat):
            for name in flat:
                if name not in known:
                    names = [p.name for p in self.params]
                    problems.append(f"{name}: unknown parameter{did_you_mean(name, names)}")
        values = dict(self._defaults)
        failed: list[tuple[int, str]] = []
        converters = self._converters
        given_names = set()
        for name, given in flat.items():
            entry = converters.get(name)
            if entry is None or given is None or given == []:
                continue
            if isinstance(given, str) and not given.strip():
                continue
            given_names.add(name)
            index, param, convert = entry
            try:
                values[name] = convert(given, param, language)
            except Invalid as exc:
                # a list or mapping is not repeated in Python notation: the message names the item
                shown = "" if isinstance(given, (list, dict)) else f"{_short(given)} "
                failed.append((index, f"{name}: {shown}{exc}"))
                values[name] = _INVALID
        if failed:
            problems += [message for _, message in sorted(failed)]
        for param in self._may_be_required:
            if values[param.name] is not None:
                continue
            if param.required or self._required_by_condition(param, values):
                because = self._condition_text(param, values)
                expected = EXAMPLES.get(param.type, param.describe_type())
                problems.append(f"{param.name}: missing{because}; expected {expected}")
        for param in self._only_with:
            if param.name in given_names and values[param.only_with] is None:
                problems.append(f"{param.name}: only used together with {param.only_with}")
        if self._ordered_dates:
            problems += self._date_order_problems(values, today)
        problems += self._one_of_problems(values)
        for group in self.at_least_one_of:
            if all(values[name] is None or values[name] is False for name in group):
                problems.append(f"{' / '.join(group)}: none given; give at least one of them")
        if problems:
            valid = {name: value for name, value in values.items() if value is not _INVALID}
            raise InvalidParams(self.name, problems, values=valid)
        return values

    @functools.cached_property
    def _only_with(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.only_with is not None)

    def without_unpaired(self, values: Mapping[str, Any], keep: Iterable[str]) -> dict[str, Any]:
        """Return ``values`` (flat names) without the ``only_with`` values whose partner is
        missing, except the names in ``keep``.

        For layered input: a client profile's ``vat: plus`` is a default for the letters
        that name an amount, not an error in the ones that don't. What the user gave for
        this text (``keep``) is still checked by :meth:`validate`.
        """
        kept = set(keep)
        drop = {
            p.name for p in self._only_with
            if p.name not in kept and p.name in values and _is_empty(values.get(p.only_with))
        }
        return {name: value for name, value in values.items() if name not in drop}

    @functools.cached_property
    def _ordered_dates(self) -> tuple[tuple[Param, str, str], ...]:
        """(parameter, ``not_before``/``not_after``, ``today`` or a parameter name)."""
        return tuple(
            (p, key, getattr(p, key))
            for p in self.params
            for key in DATE_ORDER
            if getattr(p, key) is not None
        )

    def _date_order_problems(self, values: Mapping[str, Any], today: dt.date | None) -> list[str]:
        problems = []
        for param, key, other in self._ordered_dates:
            day = values.get(param.name)
            bound = today if other == "today" else values.get(other)
            if type(day) is not dt.date or type(bound) is not dt.date:
                continue  # missing or malformed: reported already
            if key == "not_before" and day < bound:
                why = "is in the past" if other == "today" else f"is before {other}"
            elif key == "not_after" and day > bound:
                why = "is in the future" if other == "today" else f"is after {other}"
            else:
                continue
            ref = f"today is {bound.isoformat()}" if other == "today" else bound.isoformat()
            problems.append(f"{param.name}: {day.isoformat()} {why} ({ref})")
        return problems

    def _one_of_problems(self, values: Mapping[str, Any]) -> list[str]:
        problems = []
        for group in self.one_of:
            given = [name for name in group if values.get(name) is not None]
            if not given:
                problems.append(f"{' or '.join(group)}: missing; give one of them")
            elif len(given) > 1:
                problems.append(f"{', '.join(given)}: give only one of them, not both")
        return problems

    @staticmethod
    def _required_by_condition(param: Param, values: Mapping[str, Any]) -> bool:
        return any(all(values.get(k) == v for k, v in cond.items()) for cond in param.required_if)

    @staticmethod
    def _condition_text(param: Param, values: Mapping[str, Any]) -> str:
        for cond in param.required_if:
            if all(values.get(k) == v for k, v in cond.items()):
                return ", needed when " + " and ".join(f"{k} is {v}" for k, v in cond.items())
        return ""


_INVALID = object()


def _flat_already(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return ``flatten(raw, ...)`` when ``raw`` is a dict with plain string keys and no
    mapping values (then flattening changes nothing), else None."""
    if type(raw) is not dict:
        return None
    for key, value in raw.items():
        if key.__class__ is not str or (value.__class__ is not str and isinstance(value, Mapping)):
            return None
    return dict(raw)


def flatten(raw: Mapping[str, Any], known: set[str], prefix: str = "") -> dict[str, Any]:
    """Flatten nested mappings into dotted names, stopping at known parameter names.

    >>> flatten({"recipient": {"last_name": "Müller"}, "points": ["a"]}, {"recipient.last_name", "points"})
    {'recipient.last_name': 'Müller', 'points': ['a']}
    """
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if name not in known and isinstance(value, Mapping):
            for inner, item in flatten(value, known, prefix=f"{name}.").items():
                if inner in flat:
                    raise _given_twice(inner)
                flat[inner] = item
        else:
            if name in flat:
                raise _given_twice(name)
            flat[name] = value
    return flat


def _given_twice(name: str) -> Exception:
    """``recipient.last_name`` and ``recipient: {last_name: …}`` in one place: which wins
    would depend on their order, so neither does."""
    from .errors import ParamsFileError

    return ParamsFileError(f"{name}: given twice, once as {name} and once nested; keep one")


def nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn dotted names back into nested dicts for templates.

    >>> nest({"recipient.last_name": "Müller", "formality": "formal"})
    {'recipient': {'last_name': 'Müller'}, 'formality': 'formal'}
    """
    nested: dict[str, Any] = {}
    for name, value in values.items():
        if "." not in name:
            nested[name] = value
            continue
        head, _, tail = name.partition(".")
        if "." not in tail:
            nested.setdefault(head, {})[tail] = value
            continue
        parts = name.split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested


# --- loading specs -----------------------------------------------------------

_PARAM_KEYS = {
    "type", "help", "required", "default", "choices", "min", "max", "item", "fields", "required_if",
    "not_before", "not_after", "only_with",
}
#: The date order keys of a date parameter; ``today`` is the date the text is written on.
DATE_ORDER = ("not_before", "not_after")
_SCENARIO_KEYS = {
    "title", "summary", "kind", "params", "formats", "extends", "one_of", "at_least_one_of", "checks",
}
_KINDS = {"letter", "document"}
_FORMATS = {"text", "md", "eml"}


def parse_param(name: str, data: Any, source: str, languages: Sequence[str]) -> Param:
    """Build a :class:`Param` from its YAML mapping, checking the spec itself."""
    where = f"{source}: parameter {name!r}"
    if not isinstance(data, Mapping):
        raise SpecError(f"{where}: expected a mapping")
    unknown = set(data) - _PARAM_KEYS
    if unknown:
        raise SpecError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    type_name = data.get("type", "str")
    if type_name not in TYPES:
        raise SpecError(f"{where}: unknown type {type_name!r}{did_you_mean(type_name, list(TYPES))}")
    help_text = data.get("help") or {}
    missing = [lang for lang in languages if not help_text.get(lang)]
    if missing:
        raise SpecError(f"{where}: help text missing for {', '.join(missing)}")
    fields = tuple(
        parse_param(sub, subdata, f"{source}: {name}", languages)
        for sub, subdata in (data.get("fields") or {}).items()
    )
    if any(f.not_before or f.not_after or f.only_with for f in fields):
        raise SpecError(
            f"{where}: not_before, not_after and only_with apply to parameters, not to record fields"
        )
    param = Param(
        name=name,
        type=type_name,
        help=dict(help_text),
        required=bool(data.get("required", True)) and data.get("default") is None,
        choices=tuple(str(c) for c in data.get("choices", ())),
        min=None if data.get("min") is None else Decimal(str(data["min"])),
        max=None if data.get("max") is None else Decimal(str(data["max"])),
        item=str(data.get("item", "str")),
        fields=fields,
        required_if=tuple(data.get("required_if", ())),
        not_before=None if data.get("not_before") is None else str(data["not_before"]),
        not_after=None if data.get("not_after") is None else str(data["not_after"]),
        only_with=None if data.get("only_with") is None else str(data["only_with"]),
    )
    if type_name != "date" and (param.not_before or param.not_after):
        raise SpecError(f"{where}: not_before and not_after apply to dates only")
    if type_name == "choice" and not param.choices:
        raise SpecError(f"{where}: a choice needs choices")
    if param.item not in TYPES or param.item == "list":
        raise SpecError(f"{where}: unknown item type {param.item!r}")
    if data.get("default") is not None:
        from .l10n import resolve_language

        try:
            default = param.coerce(data["default"], resolve_language("en"))
        except Invalid as exc:
            raise SpecError(f"{where}: default {data['default']!r} {exc}") from None
        param = param._replace(default=default)
    return param


def parse_scenario(
    name: str,
    data: Any,
    source: str,
    languages: Sequence[str],
    shared: Mapping[str, Any] | None = None,
) -> Scenario:
    """Build a :class:`Scenario` from a spec mapping.

    ``shared`` holds the parameters every scenario has (recipient, sender, formality,
    subject); a spec may redeclare one of them to change its help or requirement.
    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{source}: expected a mapping at the top level")
    unknown = set(data) - _SCENARIO_KEYS
    if unknown:
        raise SpecError(f"{source}: unknown key {sorted(unknown)[0]!r}")
    for key in ("title", "summary"):
        text = data.get(key) or {}
        if not isinstance(text, Mapping):
            per_language = ", ".join(f"{lang}: …" for lang in languages)
            raise SpecError(f"{source}: {key} must give the text per language ({per_language})")
        missing = [lang for lang in languages if not text.get(lang)]
        if missing:
            raise SpecError(f"{source}: {key} missing for {', '.join(missing)}")
    kind = data.get("kind", "letter")
    if kind not in _KINDS:
        raise SpecError(f"{source}: kind must be one of {sorted(_KINDS)}, not {kind!r}")
    if not isinstance(data.get("params") or {}, Mapping):
        raise SpecError(f"{source}: params must map each parameter name to its declaration")
    declared = dict(data.get("params") or {})
    if shared:
        for key, value in shared.items():
            declared.setdefault(key, value)
    params = tuple(parse_param(k, v, source, languages) for k, v in declared.items())
    default_formats = ("text", "md", "eml") if kind == "letter" else ("md", "text")
    formats = tuple(data.get("formats") or default_formats)
    bad = set(formats) - _FORMATS
    if bad:
        raise SpecError(f"{source}: unknown format {sorted(bad)[0]!r}")
    groups = _parse_groups(data.get("at_least_one_of"), params, source)
    _check_references(params, source)
    return Scenario(
        name=name,
        title=dict(data["title"]),
        summary=dict(data["summary"]),
        kind=kind,
        params=params,
        formats=formats,
        one_of=_parse_groups(data.get("one_of"), params, source, "one_of"),
        at_least_one_of=groups,
        checks=_parse_checks(data.get("checks"), source),
    )


def _check_references(params: Sequence[Param], source: str) -> None:
    """Each ``not_before``/``not_after`` names ``today`` or another date parameter, and
    each ``only_with`` another parameter."""
    names = [p.name for p in params]
    dates = [p.name for p in params if p.type == "date"]
    for param in params:
        other = param.only_with
        if other is not None and (other == param.name or other not in names):
            hint = did_you_mean(other, [n for n in names if n != param.name])
            raise SpecError(f"{source}: parameter {param.name!r}: only_with: expected another "
                            f"parameter, not {other!r}{hint}")
        partner = next((p for p in params if p.name == other), None)
        if partner is not None and (partner.required or partner.default is not None):
            raise SpecError(f"{source}: parameter {param.name!r}: only_with: {other!r} always "
                            "has a value, so the rule would never apply")
        for key in DATE_ORDER:
            other = getattr(param, key)
            if other is None or other == "today":
                continue
            if other == param.name or other not in dates:
                where = f"{source}: parameter {param.name!r}: {key}"
                hint = did_you_mean(other, ["today", *[d for d in dates if d != param.name]])
                raise SpecError(f"{where}: expected 'today' or another date parameter, "
                                f"not {other!r}{hint}")


def _parse_checks(data: Any, source: str) -> tuple[str, ...]:
    checks = tuple(str(c) for c in data or ())
    if not checks:
        return ()  # most scenarios: no need to load the checks and the planner
    from .checks import CHECKS

    for check in checks:
        if check not in CHECKS:
            raise SpecError(f"{source}: unknown check {check!r}{did_you_mean(check, list(CHECKS))}")
    return checks


def _parse_groups(
    data: Any, params: Sequence[Param], source: str, key: str = "at_least_one_of"
) -> tuple[tuple[str, ...], ...]:
    """Check a ``one_of``/``at_least_one_of`` rule: groups of two or more optional parameters."""
    if data is None:
        return ()
    where = f"{source}: {key}"
    if not isinstance(data, list) or not all(isinstance(g, list) for g in data):
        raise SpecError(f"{where}: expected a list of lists of parameter names")
    by_name = {p.name: p for p in params}
    groups = []
    for group in data:
        names = tuple(str(n) for n in group)
        if len(set(names)) < 2:
            raise SpecError(f"{where}: a group needs at least two different parameters")
        for name in names:
            if name not in by_name:
                raise SpecError(f"{where}: unknown parameter {name!r}{did_you_mean(name, list(by_name))}")
            if by_name[name].required or by_name[name].default is not None:
                raise SpecError(f"{where}: {name!r} always has a value, so the rule would never apply")
        groups.append(names)
    return tuple(groups)
