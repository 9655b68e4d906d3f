"""Spec-level rules: ``at_least_one_of`` groups and the ``bool_or_text`` type."""

from __future__ import annotations

import pytest

from phrasebook.errors import InvalidParams, SpecError
from phrasebook.l10n import resolve_language
from phrasebook.spec import Param, parse_scenario

DE = resolve_language("de")
HELP = {"de": "Hilfe", "en": "help"}

PARAMS = {
    "topic": {"type": "str", "help": HELP},
    "price": {"type": "decimal", "required": False, "help": HELP},
    "later": {"type": "bool_or_text", "required": False, "help": HELP},
    "name": {"type": "str", "required": False, "help": HELP},
}


def _scenario(rule):
    data = {"title": HELP, "summary": HELP, "kind": "letter", "params": PARAMS, "at_least_one_of": rule}
    return parse_scenario("demo", data, "demo.yaml", ("de", "en"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True), ("yes", True), ("no", False), ("Nein", False), (True, True), (False, False),
        ("  nach dem Relaunch ", "nach dem Relaunch"), ("after the launch", "after the launch"),
    ],
)
def test_bool_or_text(raw, expected) -> None:
    assert Param("x", "bool_or_text", HELP).coerce(raw, DE) == expected


def test_bool_or_text_is_a_single_line() -> None:
    with pytest.raises(ValueError, match="a line break is not allowed"):
        Param("x", "bool_or_text", HELP).coerce("one\ntwo", DE)


def test_one_value_of_the_group_is_enough() -> None:
    scenario = _scenario([["price", "later", "name"]])
    assert scenario.at_least_one_of == (("price", "later", "name"),)
    for given in ({"price": "10"}, {"later": "ja"}, {"later": "im Januar"}, {"name": "Jonas Weber"}):
        values = scenario.validate({"topic": "x", **given}, DE)
        assert values["topic"] == "x"


def test_an_empty_group_is_reported_with_the_other_problems() -> None:
    scenario = _scenario([["price", "later", "name"]])
    with pytest.raises(InvalidParams) as exc:
        scenario.validate({"later": "nein", "name": " "}, DE)
    assert exc.value.problems == (
        "topic: missing; expected text",
        "price / later / name: none given; give at least one of them",
    )
    assert "price / later / name: none given" in str(exc.value)


def test_an_invalid_value_counts_as_given_and_is_reported_once() -> None:
    scenario = _scenario([["price", "later", "name"]])
    with pytest.raises(InvalidParams) as exc:
        scenario.validate({"topic": "x", "price": "zehn"}, DE)
    assert exc.value.problems == ("price: 'zehn' expected an amount written like 1.234,50",)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("price", "expected a list of lists of parameter names"),
        ([["price"]], "a group needs at least two different parameters"),
        ([["price", "price"]], "a group needs at least two different parameters"),
        ([["price", "naem"]], "unknown parameter 'naem' \\(did you mean 'name'\\?\\)"),
        ([["price", "topic"]], "'topic' always has a value, so the rule would never apply"),
    ],
)
def test_broken_rules_are_spec_errors(rule, message) -> None:
    with pytest.raises(SpecError, match=f"demo.yaml: at_least_one_of: {message}"):
        _scenario(rule)


def test_a_spec_without_the_rule_has_no_groups() -> None:
    data = {"title": HELP, "summary": HELP, "kind": "letter", "params": PARAMS}
    assert parse_scenario("demo", data, "demo.yaml", ("de", "en")).at_least_one_of == ()
