"""The parameters the tests render, and every variant of them.

The tests render fixed parameters (``tests/fixtures/examples/``, with fixed dates and a
fixed ``today``), so that their expected sentences do not move with the calendar. The
shipped examples, whose dates are relative to today, are checked on any day by
``tests/test_any_day.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from phrasebook import load_catalog
from phrasebook.inputs import read_params_file
from phrasebook.l10n import TEMPLATE_LANGUAGES

CATALOG = load_catalog()
SCENARIOS = CATALOG.names()
LETTERS = [s.name for s in CATALOG.scenarios() if s.kind == "letter"]
LANGS = list(TEMPLATE_LANGUAGES)
#: The regional variants, rendered from the templates of their language (phrasebook/variants.py).
VARIANTS = ["en_US", "de_AT", "de_CH"]


FIXTURES = Path(__file__).parent / "fixtures" / "examples"


def example(scenario: str, lang: str) -> dict[str, Any]:
    """Return the fixed test parameters for a scenario and language (a variant's own, else its
    language's)."""
    return read_params_file(_fixture(scenario, lang))


def _fixture(scenario: str, lang: str) -> Path:
    own = FIXTURES / f"{scenario}.{lang}.yaml"
    path = own if own.is_file() else FIXTURES / f"{scenario}.{lang[:2]}.yaml"
    assert path.is_file(), f"{path} is missing"
    return path


def fixture_path(scenario: str, lang: str) -> str:
    """The fixed test parameters file of a scenario, as a path for the command line."""
    return str(_fixture(scenario, lang))


#: Further people a letter may go to, by language and gender.
OTHERS = {
    "de": {
        "female": {"gender": "female", "first_name": "Julia", "last_name": "Fischer", "email": "j.fischer@example.de"},
        "male": {"gender": "male", "title": "Dr.", "first_name": "Tobias", "last_name": "Becker",
                 "email": "t.becker@example.de"},
        "neutral": {"gender": "neutral", "first_name": "Alex", "last_name": "Schmidt", "email": "a.schmidt@example.de"},
    },
    "en_US": {
        "female": {"gender": "female", "first_name": "Jennifer", "last_name": "Lopez", "email": "j.lopez@example.com"},
        "male": {"gender": "male", "title": "Dr.", "first_name": "Robert", "last_name": "Nguyen",
                 "email": "r.nguyen@example.com"},
        "neutral": {"gender": "neutral", "first_name": "Jordan", "last_name": "Taylor",
                    "email": "j.taylor@example.com"},
    },
    "en": {
        "female": {"gender": "female", "first_name": "Sarah", "last_name": "Brooks", "email": "s.brooks@example.co.uk"},
        "male": {"gender": "male", "title": "Dr.", "first_name": "David", "last_name": "Khan",
                 "email": "d.khan@example.co.uk"},
        "neutral": {"gender": "neutral", "first_name": "Alex", "last_name": "Morgan",
                    "email": "a.morgan@example.co.uk"},
    },
}
#: An organisation with no named person.
ORGANISATION = {
    "de": {"organisation": "Nordlicht Medien", "email": "team@nordlicht-medien.example"},
    "en": {"organisation": "Harbour Studio", "email": "team@harbour-studio.example"},
    "en_US": {"organisation": "Harbor Studio", "email": "team@harbor-studio.example"},
}


def _others(lang: str) -> dict[str, dict[str, Any]]:
    return OTHERS.get(lang, OTHERS[lang[:2]])


def several(base: dict[str, Any], lang: str, count: int = 2) -> list[dict[str, Any]]:
    """The example's recipient, then someone of the other gender, then someone addressed neutrally."""
    first = dict(base["recipient"])
    other = "male" if first.get("gender") == "female" else "female"
    return [first, _others(lang)[other], _others(lang)["neutral"]][:count]


def group_variants(base: dict[str, Any], lang: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (label, params) for letters to several people and to an organisation alone."""
    for formality in ("formal", "informal"):
        yield f"{formality}-several", dict(base, formality=formality, recipient=several(base, lang))
    yield "informal-three", dict(base, formality="informal", recipient=several(base, lang, 3))
    for formality in ("formal", "informal"):
        organisation = ORGANISATION.get(lang, ORGANISATION[lang[:2]])
        yield f"{formality}-organisation", dict(base, formality=formality, recipient=dict(organisation))


def people(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone a text goes to: the recipient as given (one mapping or a list) and any others."""
    recipient = params.get("recipient") or {}
    if isinstance(recipient, list):
        return [dict(p) for p in recipient]
    return [dict(recipient), *(dict(p) for p in recipient.get("others") or [])]


def plural(params: dict[str, Any]) -> bool:
    """Whether a letter speaks to several people or a team (German ihr, not du)."""
    group = people(params)
    return len(group) > 1 or not group[0].get("last_name")


def group_call(params: dict[str, Any]) -> bool:
    """Whether a rehearsed call is with a team: an organisation with no named person."""
    return not people(params)[0].get("last_name")


def variants(scenario: str, lang: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (label, params): the example in every formality × gender combination, and sent to
    several people and to an organisation alone (documents: the example, informal, and the groups)."""
    base = example(scenario, lang)
    if CATALOG.scenario(scenario).kind != "letter":
        yield "example", base
        if "recipient" in base:
            yield "informal", dict(base, formality="informal")
            yield from group_variants(base, lang)
        return
    for formality, gender in itertools.product(("formal", "informal"), ("female", "male", "neutral")):
        params = dict(base, formality=formality)
        params["recipient"] = dict(base["recipient"], gender=gender)
        yield f"{formality}-{gender}", params
    untitled = dict(base)
    untitled["recipient"] = {k: v for k, v in base["recipient"].items() if k != "title"}
    yield "formal-untitled", untitled
    yield from group_variants(base, lang)


def changed(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``change`` applied: a value of None removes the parameter."""
    params = dict(base)
    for key, value in change.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params


def assert_every_variant_reads_cleanly(scenario: str, lang: str, change: dict[str, Any], *, today: Any) -> None:
    """Render ``scenario`` for every form of address (:func:`variants`) with ``change`` applied,
    and check the body and subject with the language checks and hunspell."""
    from quality import hunspell_available, misspelled, problems

    import phrasebook

    for label, base in variants(scenario, lang):
        params = changed(base, change)
        doc = phrasebook.render(scenario, lang, params, today=today)
        formal = params.get("formality", "formal") == "formal"
        assert problems(doc.body, lang, formal=formal, plural=plural(params)) == [], label
        assert problems(doc.subject + "\n", lang, formal=formal) == [], label
        if hunspell_available():
            assert misspelled(doc.body, lang) == [], label
