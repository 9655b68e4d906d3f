"""A scenario's parameters and rules as help-screen rows, in German or English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

_UI: Mapping[str, Mapping[str, str]] = {
    "de": {
        "parameters": "Parameter",
        "required": "Pflicht",
        "optional": "optional",
        "default": "Vorgabe",
        "example": "Beispiel",
        "formats": "Formate",
        "needed_when": "Pflicht, wenn",
        "at_least_one_of": "Mindestens einer dieser Parameter ist Pflicht",
        "one_of": "Genau einer dieser Parameter ist Pflicht",
        "not_before": "nicht vor",
        "not_after": "nicht nach",
        "only_with": "nur zusammen mit",
        "today": "heute",
    },
    "en": {
        "parameters": "Parameters",
        "required": "required",
        "optional": "optional",
        "default": "default",
        "example": "Example",
        "formats": "Formats",
        "needed_when": "required when",
        "at_least_one_of": "Give at least one of",
        "one_of": "Give exactly one of",
        "not_before": "not before",
        "not_after": "not after",
        "only_with": "only with",
        "today": "today",
    },
}


def word(key: str, code: str) -> str:
    """One word of the help screens (``parameters``, ``example`` …) in ``code``."""
    return _UI[code][key]


def describe_params(scenario: Any, code: str) -> list[tuple[str, str, str]]:
    """Rows of (name, type and requirement, help) for a scenario's parameters."""
    ui = _UI[code]
    rows = []
    for param in scenario.params:
        if param.required:
            need = ui["required"]
        elif param.default is not None:
            need = f"{ui['default']}: {show_value(param.default, code)}"
        elif param.required_if:
            conds = " / ".join(", ".join(f"{k}={v}" for k, v in c.items()) for c in param.required_if)
            need = f"{ui['needed_when']} {conds}"
        else:
            need = ui["optional"]
        rows.append((param.name, f"{param.describe_type(code)}, {need}", param.help[code]))
    return rows


def describe_rules(scenario: Any, code: str) -> list[str]:
    """Lines naming the parameter groups of which exactly one, or at least one, must be given,
    the order of dates (``end_date: not before start_date``) and parameters that need
    another (``vat: only with extra_price``)."""
    ui = _UI[code]
    one, some = ui["one_of"], ui["at_least_one_of"]
    order = [
        f"{param.name}: {ui[key]} {ui['today'] if other == 'today' else other}"
        for param in scenario.params
        for key, other in (
            ("not_before", param.not_before), ("not_after", param.not_after),
            ("only_with", param.only_with),
        )
        if other is not None
    ]
    return [f"{one}: {', '.join(group)}" for group in scenario.one_of] + [
        f"{some}: {', '.join(group)}" for group in scenario.at_least_one_of
    ] + order


def show_value(value: Any, code: str = "en") -> str:
    """A default value as the user writes it: ``ja``/``nein``, ``16:00``, ``2026-12-02``."""
    if isinstance(value, bool):
        return ("ja" if value else "nein") if code == "de" else ("yes" if value else "no")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)
