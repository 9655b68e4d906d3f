"""The one table of parameter types, and the conversion of values into them.

Every parameter a scenario declares has a type from :data:`TYPES`. A converter takes
what the user wrote (a string from the command line or a file, or a value that is
already typed) and returns the typed value, or raises :class:`Invalid` with a message
that says what was expected. The parameter's name and the value are added by the
caller (:meth:`phrasebook.spec.Scenario.validate`), which reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, NamedTuple

from .dateexpr import RelativeDate
from .dateexpr import parse as parse_relative
from .errors import did_you_mean
from .l10n import Language
from .messages import N_, _, translator

#: Characters never accepted in a value: C0/C1 controls (except tab and newline in
#: multi-line text), and bidirectional or zero-width controls that can hide text.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
    # Unicode format characters (Cf): invisible, or they turn the direction of the text
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_LINE_BREAK = re.compile("[\n\r]")
_DOMAIN_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
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
        after: for dates, ``today`` or another date parameter this date must come after
            (a new appointment is not today or earlier). A date field of a list of records
            may carry the three date rules with ``today`` only.
        only_with: another parameter without which this one has no effect (``vat`` needs
            an amount); giving this one alone is reported.
        unless: for a required parameter, another one that can stand in for it (a letter
            to an organisation needs no recipient's last name).
        case: for a noun phrase (or a list of them), the grammatical case the sentence gives
            it in German (``accusative``, ``dative``); see :mod:`phrasebook.phrases`.
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
    after: str | None = None
    only_with: str | None = None
    unless: str | None = None
    case: str | None = None

    def describe_type(self, lang: str | None = None) -> str:
        """Return a short description of the expected value, in ``lang`` (``de`` or ``en``;
        by default the current message language)."""
        gettext = translator(lang).gettext if lang else _
        if self.type == "choice":
            return " | ".join(self.choices)
        if self.type == "list" and self.fields:
            fields = "{" + ", ".join(f.name for f in self.fields) + "}"
            return gettext("list of {items}").format(items=fields)
        if self.type == "list":
            return gettext("list of {items}").format(items=gettext(TYPE_NAMES[self.item]))
        return gettext(TYPE_NAMES[self.type])

    def coerce(self, value: Any, language: Language) -> Any:
        """Return ``value`` converted to this parameter's type, or raise :class:`Invalid`."""
        return coerce(self, value, language)


def _text(value: Any, *, multiline: bool) -> str:
    if not multiline and type(value) is str:
        text = (value if value.isascii() else unicodedata.normalize("NFC", value)).strip()
        if "\n" not in text and not _FORBIDDEN.search(text):
            return text
    if isinstance(value, (dict, list, tuple, set)):
        raise Invalid(_("expected text, got a mapping") if isinstance(value, dict) else _("expected text, got a list"))
    if isinstance(value, bool):  # JSON true/false: only where yes or no is asked for
        raise Invalid(_("expected text, got yes/no"))
    if isinstance(value, (int, float, Decimal)):  # JSON numbers: only where a number is asked for
        raise Invalid(_("expected text, got a number"))
    text = unicodedata.normalize("NFC", str(value)).strip()
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif _LINE_BREAK.search(text):
        raise Invalid(_("a line break is not allowed here (expected a single line)"))
    bad = _FORBIDDEN.search(text.replace("\t", " ") if multiline else text)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        if unicodedata.category(bad.group()) == "Cf":
            raise Invalid(_("contains the invisible character {code}").format(code=code))
        raise Invalid(_("contains the control character {code}").format(code=code))
    if multiline:
        text = re.sub(r"[ \t]+\n", "\n", text)
    return text


def _to_str(value: Any, param: Param, language: Language) -> str:
    return _text(value, multiline=False)


def _to_text(value: Any, param: Param, language: Language) -> str:
    return _text(value, multiline=True)


def _check_range(number: Decimal, param: Param) -> None:
    if param.min is not None and number < param.min:
        raise Invalid(_("must be at least {minimum}").format(minimum=param.min))
    if param.max is not None and number > param.max:
        raise Invalid(_("must be at most {maximum}").format(maximum=param.max))


def _to_int(value: Any, param: Param, language: Language) -> int:
    if isinstance(value, bool):
        raise Invalid(_("expected a whole number"))
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise Invalid(_("expected a whole number"))
        number = int(text)
    _check_range(Decimal(number), param)
    return number


def _to_decimal(value: Any, param: Param, language: Language) -> Decimal:
    if isinstance(value, bool):
        raise Invalid(_("expected an amount"))
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
        elif _MACHINE_NUMBER.fullmatch(text):
            # one separator, one or two decimals, no grouping: the same in every language
            number = Decimal(text.replace(",", "."))
        else:
            from .l10n import amount_example

            example = amount_example(language)
            try:
                number = parse_number(text, language=language)
            except (NumberFormatError, InvalidOperation, ValueError):
                raise Invalid(_("expected an amount written like {example}").format(example=example)) from None
    if not number.is_finite():
        raise Invalid(_("expected a finite amount"))
    if abs(number) < _HUGE and number != number.quantize(_CENT, rounding=ROUND_DOWN):
        # an amount is printed to the cent: 12.345 would silently become 12.34
        raise Invalid(_("has more than two decimal places; amounts are given to the cent"))
    _check_range(number, param)
    return number


_CENT = Decimal("0.01")
_MACHINE_NUMBER = re.compile(r"[+-]?\d{1,12}[.,]\d{1,2}")
_HUGE = Decimal("1e24")  # beyond what the range checks allow anyway; quantize would fail


def _to_bool(value: Any, param: Param, language: Language) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid(_("expected yes or no"))


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
        raise ValueError(_("is not a calendar date")) from None
    return None


def _to_date(value: Any, param: Param, language: Language) -> dt.date | RelativeDate:
    """A date, or a :class:`~phrasebook.dateexpr.RelativeDate` resolved once today is known."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid(_("expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative such as +7 working days"))
    text = str(value)
    try:
        day = parse_date(text)
    except ValueError:
        raise Invalid(
            _("is not a calendar date (expected a date as YYYY-MM-DD or DD.MM.YYYY)")
        ) from None
    if day is not None:
        return day
    try:
        relative = parse_relative(text)
    except ValueError:
        raise Invalid(_("reaches too far (relative dates reach at most ten years)")) from None
    if relative is not None:
        return relative
    if "werktag" in text.lower():
        raise Invalid(_("expected Arbeitstage (Monday to Friday); Werktage include Saturdays"))
    raise Invalid(_("expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative such as +7 working days"))


def _to_time(value: Any, param: Param, language: Language) -> dt.time:
    if isinstance(value, dt.time):
        return value
    match = _TIME.match(str(value).strip())
    if not match:
        raise Invalid(_("expected a time as HH:MM, e.g. 16:00"))
    return dt.time(int(match.group(1)), int(match.group(2)))


def _to_choice(value: Any, param: Param, language: Language) -> str:
    text = _text(value, multiline=False)
    if text not in param.choices:
        raise Invalid(
            _("expected one of: {choices}{hint}").format(
                choices=", ".join(param.choices), hint=did_you_mean(text, param.choices)
            )
        )
    return text


def _to_email(value: Any, param: Param, language: Language) -> str:
    """An address as RFC 5321 allows it in a header: a dot-atom local part of at most 64
    ASCII characters, and a domain of host names; an internationalised domain is encoded by
    IDNA 2008 (``straße.de`` is ``xn--strae-oqa.de``, never ``strasse.de``)."""
    text = _text(value, multiline=False)
    if "=?" in text:  # an encoded word would be decoded into something else by mail programs
        raise Invalid(_("an email address may not contain '=?' (an encoded word)"))
    if not _EMAIL.match(text) or ".." in text or text.startswith("."):
        raise Invalid(_("expected an email address such as name@example.com"))
    local, _at, domain = text.rpartition("@")
    if not _LOCAL_PART.fullmatch(local) or len(local) > 64:
        raise Invalid(
            _("the part before @ may only hold ASCII letters, digits and {characters}, at most 64").format(
                characters=".!#$%&'*+/=?^_`{|}~-"
            )
        )
    if domain.isascii():
        ascii_domain = domain
    else:
        import idna

        try:
            ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            raise Invalid(_("the domain of the email address is not valid")) from None
    if len(ascii_domain) > 253 or len(local) + 1 + len(ascii_domain) > 254:
        raise Invalid(_("the email address is longer than 254 characters"))
    # Host names: letters, digits and inner hyphens, 1 to 63 per label; anything else
    # (">", quotes, commas) would change what a mail header says.
    if not all(_DOMAIN_LABEL.match(label) for label in ascii_domain.split(".")):
        raise Invalid(_("the domain of the email address is not valid"))
    return text if ascii_domain == domain else f"{local}@{ascii_domain}"


def _to_list(value: Any, param: Param, language: Language) -> list[Any]:
    if isinstance(value, (str, int, Decimal, dt.date, Mapping)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise Invalid(_("expected a list"))
    items: list[Any] = []
    for index, raw in enumerate(value, start=1):
        if raw is None:  # YAML null, ~ or an empty item: not given
            continue
        try:
            if param.fields:
                items.append(_to_record(raw, param, language))
            else:
                item = TYPES[param.item](raw, param, language)
                if item == "":
                    continue
                items.append(item)
        except Invalid as exc:
            raise Invalid(_("item {number}: {problem}").format(number=index, problem=exc)) from None
    if param.min is not None and len(items) < param.min:
        raise Invalid(_("expected at least {minimum} item(s), got {count}").format(minimum=param.min, count=len(items)))
    if param.max is not None and len(items) > param.max:
        raise Invalid(_("expected at most {maximum} item(s), got {count}").format(maximum=param.max, count=len(items)))
    return items


def _to_record(raw: Any, param: Param, language: Language) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        names = ", ".join(f.name for f in param.fields)
        raise Invalid(_("expected a mapping with {fields}").format(fields=names))
    unknown = sorted(set(raw) - {f.name for f in param.fields})
    if unknown:
        fields = [f.name for f in param.fields]
        raise Invalid(
            _("unknown field {name!r}{hint}").format(
                name=unknown[0], hint=did_you_mean(str(unknown[0]), fields)
            )
        )
    record: dict[str, Any] = {}
    for sub in param.fields:
        given = raw.get(sub.name)
        if is_empty(given):
            if sub.required and sub.default is None:
                raise Invalid(_("{field} is missing").format(field=sub.name))
            record[sub.name] = sub.default
            continue
        try:
            record[sub.name] = coerce(sub, given, language)
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

#: How each type is named in help screens and messages (translated where shown).
TYPE_NAMES: Mapping[str, str] = {
    "str": N_("text"),
    "text": N_("multi-line text"),
    "int": N_("whole number"),
    "decimal": N_("amount"),
    "bool": N_("yes/no"),
    "bool_or_text": N_("yes/no or text"),
    "date": N_("date"),
    "time": N_("time"),
    "choice": N_("choice"),
    "email": N_("email"),
    "list": N_("list"),
}

#: What a value of each type looks like, shown when a required value is missing.
EXAMPLES: Mapping[str, str] = {
    "decimal": N_("an amount such as 1.234,50 (de) or 1,234.50 (en)"),
    "date": N_("a date such as 2026-12-02 or +7 working days"),
    "time": N_("a time such as 16:00"),
    "email": N_("an address such as name@example.com"),
}


def coerce(param: Param, value: Any, language: Language) -> Any:
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


def cached_converter(param: Param) -> Callable[[Any, Param, Language], Any]:
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


#: What an unfilled placeholder looks like: [Name], <Projekt>, TODO, XXX, ???, {{ … }}, {name},
#: or an ellipsis on its own.
_PLACEHOLDER = re.compile(
    r"\[[A-ZÄÖÜ][^\[\]\d\n]{0,30}\]|<[A-ZÄÖÜ][^<>@\d\n]{0,30}>|\b(?:TODO|TBD|FIXME|XXX+|Lorem ipsum)\b"
    r"|\?{3,}|\{\{.*?\}\}|\{[a-z_]{1,30}\}|^\s*(?:…|\.\.\.)\s*$",
    re.DOTALL,
)


def placeholder(value: Any) -> str | None:
    """The part of a value that looks like an unfilled placeholder, or None.

    >>> placeholder("Angebot für [Firma]"), placeholder("TODO"), placeholder("den Entwurf")
    ('[Firma]', 'TODO', None)
    """
    if type(value) is str:
        return _placeholder_in(value)
    if isinstance(value, str):
        match = _PLACEHOLDER.search(value)
        return match.group().strip() if match else None
    if isinstance(value, (list, tuple)):
        return next((found for item in value if (found := placeholder(item))), None)
    if isinstance(value, Mapping):
        return next((found for item in value.values() if (found := placeholder(item))), None)
    return None


@functools.lru_cache(maxsize=4096)
def _placeholder_in(text: str) -> str | None:
    """:func:`placeholder` of a plain string; batches repeat the same values row after row."""
    match = _PLACEHOLDER.search(text)
    return match.group().strip() if match else None


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"

