"""Reading scenario specs: the YAML of a scenario becomes a checked :class:`~phrasebook.spec.Scenario`.

Every mistake in a spec (an unknown key, a date order naming no date, a check that
does not exist) is a :class:`~phrasebook.errors.SpecError` naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .errors import SpecError, did_you_mean
from .messages import _
from .paramtypes import TYPES, Invalid, Param
from .phrases import CASES
from .spec import DATE_ORDER, SITUATIONS, Scenario

_PARAM_KEYS = {
    "type", "help", "required", "default", "choices", "min", "max", "item", "fields", "required_if",
    "not_before", "not_after", "after", "only_with", "unless", "case",
}
_SCENARIO_KEYS = {
    "title", "summary", "kind", "params", "formats", "one_of", "at_least_one_of", "checks", "group", "promises",
}
_KINDS = {"letter", "document"}
_FORMATS = {"text", "md", "eml"}


def parse_param(name: str, data: Any, source: str, languages: Sequence[str]) -> Param:
    """Build a :class:`Param` from its YAML mapping, checking the spec itself."""
    where = f"{source}: parameter {name!r}"
    if not isinstance(data, Mapping):
        raise SpecError(f"{where}: " + _("expected a mapping"))
    unknown = set(data) - _PARAM_KEYS
    if unknown:
        raise SpecError(f"{where}: " + _("unknown key {key!r}").format(key=sorted(unknown)[0]))
    type_name = data.get("type", "str")
    if type_name not in TYPES:
        hint = did_you_mean(type_name, list(TYPES))
        raise SpecError(f"{where}: " + _("unknown type {name!r}{hint}").format(name=type_name, hint=hint))
    help_text = data.get("help") or {}
    missing = [lang for lang in languages if not help_text.get(lang)]
    if missing:
        raise SpecError(f"{where}: " + _("help text missing for {languages}").format(languages=", ".join(missing)))
    fields = tuple(
        parse_param(sub, subdata, f"{source}: {name}", languages)
        for sub, subdata in (data.get("fields") or {}).items()
    )
    if any(f.only_with for f in fields):
        raise SpecError(f"{where}: " + _("only_with applies to parameters, not to record fields"))
    if any(getattr(f, key) not in (None, "today") for f in fields for key in DATE_ORDER):
        raise SpecError(f"{where}: " + _("a date rule on a record field can only name 'today'"))
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
        after=None if data.get("after") is None else str(data["after"]),
        only_with=None if data.get("only_with") is None else str(data["only_with"]),
        unless=None if data.get("unless") is None else str(data["unless"]),
        case=None if data.get("case") is None else str(data["case"]),
    )
    if param.case is not None and param.case not in CASES:
        raise SpecError(
            f"{where}: " + _("case must be one of {cases}, not {case!r}").format(
                cases=", ".join(CASES), case=param.case
            )
        )
    if param.case is not None and not (type_name in ("str", "text") or param.item in ("str", "text")):
        raise SpecError(f"{where}: " + _("case applies to text and lists of text only"))
    if type_name != "date" and (param.not_before or param.not_after or param.after):
        raise SpecError(f"{where}: " + _("not_before, not_after and after apply to dates only"))
    if type_name == "choice" and not param.choices:
        raise SpecError(f"{where}: " + _("a choice needs choices"))
    if param.item not in TYPES or param.item == "list":
        raise SpecError(f"{where}: " + _("unknown item type {name!r}").format(name=param.item))
    if data.get("default") is not None:
        from .l10n import resolve_language

        try:
            default = param.coerce(data["default"], resolve_language("en"))
        except Invalid as exc:
            raise SpecError(
                f"{where}: " + _("default {value!r} {problem}").format(value=data["default"], problem=exc)
            ) from None
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
        raise SpecError(f"{source}: " + _("expected a mapping at the top level"))
    unknown = set(data) - _SCENARIO_KEYS
    if unknown:
        raise SpecError(f"{source}: " + _("unknown key {key!r}").format(key=sorted(unknown)[0]))
    for key in ("title", "summary"):
        text = data.get(key) or {}
        if not isinstance(text, Mapping):
            per_language = ", ".join(f"{lang}: …" for lang in languages)
            raise SpecError(
                f"{source}: "
                + _("{key} must give the text per language ({languages})").format(key=key, languages=per_language)
            )
        missing = [lang for lang in languages if not text.get(lang)]
        if missing:
            raise SpecError(
                f"{source}: " + _("{key} missing for {languages}").format(key=key, languages=", ".join(missing))
            )
    kind = data.get("kind", "letter")
    if kind not in _KINDS:
        raise SpecError(
            f"{source}: " + _("kind must be one of {kinds}, not {kind!r}").format(kinds=sorted(_KINDS), kind=kind)
        )
    if not isinstance(data.get("params") or {}, Mapping):
        raise SpecError(f"{source}: " + _("params must map each parameter name to its declaration"))
    declared = dict(data.get("params") or {})
    if shared:
        for key, value in shared.items():
            declared.setdefault(key, value)
    params = tuple(parse_param(k, v, source, languages) for k, v in declared.items())
    default_formats = ("text", "md", "eml") if kind == "letter" else ("md", "text")
    formats = tuple(data.get("formats") or default_formats)
    bad = set(formats) - _FORMATS
    if bad:
        raise SpecError(f"{source}: " + _("unknown format {name!r}").format(name=sorted(bad)[0]))
    groups = _parse_groups(data.get("at_least_one_of"), params, source)
    situation = data.get("group")
    if situation is not None and situation not in SITUATIONS:
        raise SpecError(
            f"{source}: "
            + _("group must be one of {groups}, not {group!r}").format(groups=list(SITUATIONS), group=situation)
        )
    _check_references(params, source)
    checks = _parse_checks(data.get("checks"), source, [p.name for p in params])
    return Scenario(
        name=name,
        title=dict(data["title"]),
        summary=dict(data["summary"]),
        kind=kind,
        params=params,
        formats=formats,
        one_of=_parse_groups(data.get("one_of"), params, source, "one_of"),
        at_least_one_of=groups,
        checks=checks,
        group=situation,
        promises=_parse_promises(data.get("promises"), params, source, checks),
    )


def _parse_promises(data: Any, params: Sequence[Param], source: str, checks: Sequence[str]) -> tuple[Any, ...]:
    """The spec's ``promises:`` (see :mod:`phrasebook.promises`); they may also name the values
    the spec's checks derive."""
    if data is None:
        return ()
    from .checkrunner import derived_types
    from .promises import parse_rules

    return parse_rules(data, params, source, derived=derived_types(checks))


def _check_references(params: Sequence[Param], source: str) -> None:
    """Each ``not_before``/``not_after``/``after`` names ``today`` or another date parameter, and
    each ``only_with`` and ``unless`` another parameter."""
    names = [p.name for p in params]
    dates = [p.name for p in params if p.type == "date"]
    for param in params:
        other = param.only_with
        if other is not None and (other == param.name or other not in names):
            hint = did_you_mean(other, [n for n in names if n != param.name])
            raise SpecError(
                f"{source}: "
                + _("parameter {name!r}: only_with: expected another parameter, not {other!r}{hint}").format(
                    name=param.name, other=other, hint=hint
                )
            )
        stand_in = param.unless
        if stand_in is not None and (stand_in == param.name or stand_in not in names):
            hint = did_you_mean(stand_in, [n for n in names if n != param.name])
            raise SpecError(
                f"{source}: "
                + _("parameter {name!r}: unless: expected another parameter, not {other!r}{hint}").format(
                    name=param.name, other=stand_in, hint=hint
                )
            )
        partner = next((p for p in params if p.name == other), None)
        if partner is not None and (partner.required or partner.default is not None):
            raise SpecError(
                f"{source}: "
                + _(
                    "parameter {name!r}: only_with: {other!r} always has a value, "
                    "so the rule would never apply"
                ).format(name=param.name, other=other)
            )
        for key in DATE_ORDER:
            other = getattr(param, key)
            if other is None or other == "today":
                continue
            if other == param.name or other not in dates:
                hint = did_you_mean(other, ["today", *[d for d in dates if d != param.name]])
                raise SpecError(
                    f"{source}: "
                    + _(
                        "parameter {name!r}: {key}: expected 'today' or another date parameter, "
                        "not {other!r}{hint}"
                    ).format(name=param.name, key=key, other=other, hint=hint)
                )


def _parse_checks(data: Any, source: str, names: Sequence[str] = ()) -> tuple[str, ...]:
    """The spec's checks; a scenario with the shared recipient parameters always has the
    ``recipients`` check first (a person or an organisation, first names where needed)."""
    checks = tuple(str(c) for c in data or ())
    if "recipient.last_name" in names and "recipients" not in checks:
        checks = ("recipients", *checks)
    if not checks:
        return ()
    from .checkrunner import CHECKS

    for check in checks:
        if check not in CHECKS:
            hint = did_you_mean(check, list(CHECKS))
            raise SpecError(f"{source}: " + _("unknown check {name!r}{hint}").format(name=check, hint=hint))
    return checks


def _parse_groups(
    data: Any, params: Sequence[Param], source: str, key: str = "at_least_one_of"
) -> tuple[tuple[str, ...], ...]:
    """Check a ``one_of``/``at_least_one_of`` rule: groups of two or more optional parameters."""
    if data is None:
        return ()
    where = f"{source}: {key}"
    if not isinstance(data, list) or not all(isinstance(g, list) for g in data):
        raise SpecError(f"{where}: " + _("expected a list of lists of parameter names"))
    by_name = {p.name: p for p in params}
    groups = []
    for group in data:
        names = tuple(str(n) for n in group)
        if len(set(names)) < 2:
            raise SpecError(f"{where}: " + _("a group needs at least two different parameters"))
        for name in names:
            if name not in by_name:
                hint = did_you_mean(name, list(by_name))
                raise SpecError(f"{where}: " + _("unknown parameter {name!r}{hint}").format(name=name, hint=hint))
            if by_name[name].required or by_name[name].default is not None:
                raise SpecError(
                    f"{where}: " + _("{name!r} always has a value, so the rule would never apply").format(name=name)
                )
        groups.append(names)
    return tuple(groups)

