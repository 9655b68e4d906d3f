"""The shipped example parameters, and every variant of them the tests render."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from phrasebook import load_catalog
from phrasebook.inputs import read_params_file
from phrasebook.l10n import TEMPLATE_LANGUAGES

CATALOG = load_catalog()
SCENARIOS = CATALOG.names()
LETTERS = [s.name for s in CATALOG.scenarios() if s.kind == "letter"]
LANGS = list(TEMPLATE_LANGUAGES)


def example(scenario: str, lang: str) -> dict[str, Any]:
    """Return the shipped example parameters for a scenario and language."""
    path = CATALOG.example_path(scenario, lang)
    assert path is not None, f"phrasebook/examples/{scenario}.{lang}.yaml is missing"
    return read_params_file(path)


def variants(scenario: str, lang: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (label, params): the example in every formality × gender combination."""
    base = example(scenario, lang)
    if CATALOG.scenario(scenario).kind != "letter":
        yield "example", base
        return
    for formality, gender in itertools.product(("formal", "informal"), ("female", "male", "neutral")):
        params = dict(base, formality=formality)
        params["recipient"] = dict(base["recipient"], gender=gender)
        yield f"{formality}-{gender}", params
    untitled = dict(base)
    untitled["recipient"] = {k: v for k, v in base["recipient"].items() if k != "title"}
    yield "formal-untitled", untitled
