"""Checks that concern every row of a batch, made once before the first row.

A problem found here would fail every row in the same way, so it stops the run
with one message instead: a template that does not compile, a pack template that
uses an undeclared variable, a shared value (``--params``, ``--set``) of the wrong
type, or a header that lacks a required column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..catalog import Pack, ScenarioSource
from ..errors import InvalidParams, SpecError, TemplateFailure, did_you_mean
from ..l10n import Language
from ..layering import CLIENT_KEYS
from ..messages import _, ngettext
from ..paramnames import numbered_person
from ..paramtypes import Invalid, short
from ..spec import Scenario
from .rows import RowsFileError, RowSource, blank


def check_templates(catalog: ScenarioSource, scenario: str, languages: Sequence[Language]) -> None:
    """Compile the scenario's template and the templates it names, once, before any row."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, meta

    for language in languages:
        env = catalog.environment_for(scenario, language)
        label = catalog.template_label(scenario, language.code)
        names = [catalog.template_name(scenario)]
        checked: set[str] = set()
        while names:
            name = names.pop()
            if name in checked:
                continue
            checked.add(name)
            try:
                source = env.loader.get_source(env, name)[0]
                env.get_template(name)
                names.extend(n for n in meta.find_referenced_templates(env.parse(source)) if n)
            except TemplateNotFound as exc:
                raise SpecError(
                    f"{label}: " + _("template {name!r} is missing").format(name=exc.name)
                ) from None
            except TemplateSyntaxError as exc:
                where = exc.filename or label
                raise TemplateFailure(f"{where}:{exc.lineno}: {exc.message}") from None
            except TemplateFailure as exc:
                raise TemplateFailure(f"{label}: {exc}") from None
    _check_pack_variables(catalog, scenario, languages)


def _check_pack_variables(
    catalog: ScenarioSource, scenario: str, languages: Sequence[Language]
) -> None:
    """A pack template that uses a variable no parameter declares would fail on every row:
    say so once, before any row (as ``phrasebook check`` does)."""
    if not isinstance(catalog.provider(scenario), Pack):
        return  # the shipped templates are checked by their own tests
    from ..packs import declared_names, undeclared_variables

    allowed, groups = declared_names(catalog.scenario(scenario))
    for language in languages:
        env = catalog.environment_for(scenario, language)
        name = catalog.template_name(scenario)
        source = env.loader.get_source(env, name)[0]
        problems = undeclared_variables(env, source, allowed, groups)
        if problems:
            label = catalog.template_label(scenario, language.code)
            raise TemplateFailure(
                f"{label}:" + _("{problem} (see phrasebook check)").format(problem=problems[0])
            )


def check_shared_values(
    spec: Scenario, values: Mapping[str, Any], language: Language, origin: str
) -> None:
    """Check the values every row shares (``--params`` or ``--set``) once, by type.

    Raises:
        InvalidParams: naming ``origin`` and every problem.
    """
    names = [p.name for p in spec.params]
    problems = []
    for name, value in values.items():
        if name not in names:
            problems.append(
                _("{name}: unknown parameter{hint}").format(name=name, hint=did_you_mean(name, names))
            )
            continue
        if blank(value):
            continue
        try:
            spec.param(name).coerce(value, language)
        except Invalid as exc:
            problems.append(f"{name}: {short(value)} {exc}")
    if problems:
        raise InvalidParams(f"{spec.name} ({origin})", problems)


def check_header(
    source: RowSource, spec: Scenario, given: Iterable[str], from_profiles: Iterable[str] = ()
) -> None:
    """Check a CSV header: every column names a parameter, and every required value has a
    column, a shared value (``given``) or may come from a client profile (``from_profiles``).

    Raises:
        RowsFileError: listing every problem, with a hint when the delimiter looks wrong.
    """
    columns = source.columns
    if columns is None:
        return
    names = [p.name for p in spec.params]
    accepted = set(names) | set(CLIENT_KEYS)
    problems = []
    for column in columns:
        if column not in accepted and not numbered_person(column, accepted):
            problems.append(
                _("unknown column {name!r}{hint}").format(
                    name=column, hint=did_you_mean(column, [*names, *CLIENT_KEYS])
                )
            )
    covered = dict.fromkeys([*columns, *given, *from_profiles], True)
    absent = spec.missing(covered)
    required = [r.names[0] for r in absent if r.kind == "required"]
    if required:
        problems.append(
            ngettext(
                "missing column {names} (or give the value with --params or --set)",
                "missing columns {names} (or give the value with --params or --set)",
                len(required),
            ).format(names=", ".join(repr(m) for m in required))
        )
    for requirement in absent:
        if requirement.kind != "required":
            group = _(" or ").join(repr(n) for n in requirement.names)
            problems.append(
                _("missing column: one of {names} (or give it with --params or --set)").format(
                    names=group
                )
            )
    if problems:
        hint = ""
        if len(columns) == 1:
            other = ";" if source.delimiter != ";" else ","
            if other in columns[0] or "\t" in columns[0]:
                hint = "\n  " + _("only one column was found; try --delimiter '{delimiter}'").format(
                    delimiter=other
                )
        lines = "\n".join(f"  {p}" for p in problems)
        head = _("the header does not fit {scenario}").format(scenario=spec.name)
        raise RowsFileError(f"{source.path}:1: {head}\n{lines}{hint}")
