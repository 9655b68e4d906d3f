"""Which checks a scenario spec may name (``checks: [planning]``), and running them in order.

The checks themselves are in :mod:`phrasebook.checks` and :mod:`phrasebook.clientchecks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .checks import (
    Derived,
    callback,
    duration,
    final_invoice,
    payment_date,
    phases,
    planning,
    reason,
    recipients,
)
from .clientchecks import no_show_fee, office_hours, progress, terms
from .errors import InvalidParams
from .l10n import Language

#: The checks a scenario spec may name.
CHECKS: Mapping[str, Callable[..., Derived]] = {
    "recipients": recipients,
    "final_invoice": final_invoice,
    "duration": duration,
    "reason": reason,
    "no_show_fee": no_show_fee,
    "office_hours": office_hours,
    "terms": terms,
    "progress": progress,
    "planning": planning, "callback": callback, "phases": phases, "payment_date": payment_date,
}


#: Values a check adds to the validated ones, by type: a spec's ``promises:`` may name them
#: like parameters (progress-nudge promises the re-planned ``new_date``).
DERIVED: Mapping[str, Mapping[str, str]] = {
    "progress": {"new_date": "date"},
}


def derived_types(checks: Sequence[str]) -> dict[str, str]:
    """The values the named checks derive, with their types."""
    return {name: kind for check in checks for name, kind in DERIVED.get(check, {}).items()}


def run_checks(
    scenario: Any, values: dict[str, Any], *, language: Language, today: dt.date, fmt: str = "text"
) -> Derived:
    """Run the scenario's checks in order.

    Raises:
        InvalidParams: listing every problem the checks found.
    """
    derived = Derived(values)
    problems: list[str] = []
    for name in scenario.checks:
        result = CHECKS[name](derived.values, language=language, today=today, fmt=fmt)
        problems += result.problems
        derived = Derived(
            result.values,
            plan=result.plan if result.plan is not None else derived.plan,
            events=derived.events + result.events,
            notes=derived.notes + result.notes,
        )
    if problems:
        raise InvalidParams(scenario.name, problems)
    return derived
