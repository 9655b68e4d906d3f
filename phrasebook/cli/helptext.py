"""A scenario's parameters and rules as help-screen rows, in German or English."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..messages import translator


def describe_params(scenario: Any, code: str) -> list[tuple[str, str, str]]:
    """Rows of (name, type and requirement, help) for a scenario's parameters."""
    gettext = translator(code).gettext
    rows = []
    for param in scenario.params:
        if param.required and param.unless:
            need = gettext("required unless {other} is given").format(other=param.unless)
        elif param.required:
            need = gettext("required")
        elif param.default is not None:
            need = gettext("default: {value}").format(value=show_value(param.default, code))
        elif param.required_if:
            conds = " / ".join(", ".join(f"{k}={v}" for k, v in c.items()) for c in param.required_if)
            need = gettext("required when {conditions}").format(conditions=conds)
        else:
            need = gettext("optional")
        rows.append((param.name, f"{param.describe_type(code)}, {need}", param.help[code]))
    return rows


def describe_rules(scenario: Any, code: str) -> list[str]:
    """Lines naming the parameter groups of which exactly one, or at least one, must be given,
    the order of dates (``end_date: not before start_date``) and parameters that need
    another (``vat: only with extra_price``)."""
    gettext = translator(code).gettext
    order = []
    ruled = [(p.name, p) for p in scenario.params]
    ruled += [(f"{p.name}.{f.name}", f) for p in scenario.params for f in p.fields]
    for name, param in ruled:
        for key, other in (
            ("not_before", param.not_before), ("not_after", param.not_after), ("after", param.after),
            ("only_with", param.only_with),
        ):
            if other is None:
                continue
            if other == "today":
                other = gettext("today")
            if key == "not_before":
                rule = gettext("not before {other}").format(other=other)
            elif key == "not_after":
                rule = gettext("not after {other}").format(other=other)
            elif key == "after":
                rule = gettext("after {other}").format(other=other)
            else:
                rule = gettext("only with {other}").format(other=other)
            order.append(f"{name}: {rule}")
    return [
        gettext("Give exactly one of: {names}").format(names=", ".join(group))
        for group in scenario.one_of
    ] + [
        gettext("Give at least one of: {names}").format(names=", ".join(group))
        for group in scenario.at_least_one_of
    ] + order


def show_value(value: Any, code: str = "en") -> str:
    """A default value as the user writes it: ``ja``/``nein``, ``16:00``, ``2026-12-02``."""
    if isinstance(value, bool):
        gettext = translator(code).gettext
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)
