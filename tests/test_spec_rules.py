"""Spec-level rules: ``at_least_one_of`` groups, the ``bool_or_text`` type and date order."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from phrasebook.errors import InvalidParams, SpecError
from phrasebook.l10n import resolve_language
from phrasebook.paramtypes import Param
from phrasebook.specfile import parse_scenario

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


# --- the order of dates ------------------------------------------------------------------

DATES = {
    "start": {"type": "date", "required": False, "help": HELP},
    "end": {"type": "date", "not_before": "start", "help": HELP},
    "sent": {"type": "date", "required": False, "not_after": "today", "help": HELP},
    "reply_by": {"type": "date", "required": False, "not_before": "today", "help": HELP},
}
TODAY = dt.date(2026, 11, 24)


def _dated(params=None):
    data = {"title": HELP, "summary": HELP, "kind": "letter", "params": params or DATES}
    return parse_scenario("dated", data, "dated.yaml", ("de", "en"))


def test_dates_in_order_are_accepted_including_equal_ones() -> None:
    values = _dated().validate(
        {"start": "2026-12-01", "end": "01.12.2026", "sent": "2026-11-24", "reply_by": "2026-11-24"},
        DE, today=TODAY,
    )
    assert values["end"] == dt.date(2026, 12, 1)


def test_every_date_out_of_order_is_reported_with_the_other_problems() -> None:
    with pytest.raises(InvalidParams) as exc:
        _dated().validate(
            {"start": "2026-12-15", "end": "2026-12-01", "sent": "2026-11-25",
             "reply_by": "2026-11-23", "nmae": "x"},
            DE, today=TODAY,
        )
    assert exc.value.problems == (
        "nmae: unknown parameter",
        "end: 2026-12-01 is before start (2026-12-15)",
        "sent: 2026-11-25 is in the future (today is 2026-11-24)",
        "reply_by: 2026-11-23 is in the past (today is 2026-11-24)",
    )


def test_without_today_only_the_order_between_parameters_is_checked() -> None:
    scenario = _dated()
    values = scenario.validate({"end": "2026-12-01", "sent": "2030-01-01", "reply_by": "2020-01-01"}, DE)
    assert values["sent"] == dt.date(2030, 1, 1)
    with pytest.raises(InvalidParams, match=r"end: 2026-12-01 is before start \(2026-12-15\)"):
        scenario.validate({"start": "2026-12-15", "end": "2026-12-01"}, DE)


def test_a_missing_or_malformed_bound_is_not_compared() -> None:
    with pytest.raises(InvalidParams) as exc:
        _dated().validate({"start": "31.02.2026", "end": "2026-12-01"}, DE, today=TODAY)
    assert len(exc.value.problems) == 1 and exc.value.problems[0].startswith("start: '31.02.2026'")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": {"type": "date", "not_before": "begin", "help": HELP}},
         "parameter 'end': not_before: expected 'today' or another date parameter, not 'begin'"),
        ({"end": {"type": "date", "not_before": "end", "help": HELP}},
         "not 'end'"),
        ({"end": {"type": "date", "not_after": "todya", "help": HELP}},
         "not 'todya' (did you mean 'today'?)"),
        ({"name": {"type": "str", "not_before": "today", "help": HELP}},
         "parameter 'name': not_before, not_after and after apply to dates only"),
        ({"end": {"type": "date", "not_before": "name", "help": HELP}, "name": {"type": "str", "help": HELP}},
         "not 'name'"),
    ],
)
def test_broken_date_rules_are_spec_errors(change, message) -> None:
    with pytest.raises(SpecError, match=re.escape(message)):
        _dated({**DATES, **change})


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"not_before": "start"}, "a date rule on a record field can only name 'today'"),
        ({"only_with": "start"}, "only_with applies to parameters, not to record fields"),
    ],
)
def test_rules_on_record_fields_name_only_today(rule, message) -> None:
    params = {**DATES, "phases": {"type": "list", "required": False, "help": HELP, "fields": {
        "date": {"type": "date", "help": HELP, **rule}}}}
    with pytest.raises(SpecError, match=re.escape(message)):
        _dated(params)


def test_a_record_field_after_today_refuses_today_and_earlier_naming_the_item() -> None:
    spec = _dated({**DATES, "slots": {"type": "list", "required": False, "help": HELP, "fields": {
        "date": {"type": "date", "after": "today", "help": HELP}}}})
    good = {"start": "2026-11-20", "end": "2026-11-30"}
    assert spec.validate({**good, "slots": [{"date": "2026-11-25"}]}, DE, today=TODAY)["slots"]
    with pytest.raises(InvalidParams) as caught:
        spec.validate({**good, "slots": [{"date": "2026-11-25"}, {"date": "2026-11-24"}, {"date": "2026-11-02"}]},
                      DE, today=TODAY)
    assert caught.value.problems == (
        "slots: item 2: date: 2026-11-24 is not after today (2026-11-24); expected a later day",
        "slots: item 3: date: 2026-11-02 is not after today (2026-11-24); expected a later day",
    )



def test_a_parameter_only_used_with_another_is_reported_alone() -> None:
    params = {**PARAMS, "vat": {"type": "choice", "choices": ["net", "gross"], "required": False,
                                "only_with": "price", "help": HELP}}
    data = {"title": HELP, "summary": HELP, "kind": "letter", "params": params}
    scenario = parse_scenario("demo", data, "demo.yaml", ("de", "en"))
    assert scenario.validate({"topic": "x", "price": "10", "vat": "net"}, DE)["vat"] == "net"
    assert scenario.validate({"topic": "x"}, DE)["vat"] is None
    with pytest.raises(InvalidParams) as exc:
        scenario.validate({"topic": "x", "vat": "net"}, DE)
    assert exc.value.problems == ("vat: only used together with price",)
    with pytest.raises(InvalidParams) as exc:  # a malformed partner counts as given
        scenario.validate({"topic": "x", "vat": "net", "price": "zehn"}, DE)
    assert [p.split(":")[0] for p in exc.value.problems] == ["price"]


@pytest.mark.parametrize(
    ("only_with", "message"),
    [("prize", "only_with: expected another parameter, not 'prize' (did you mean 'price'?)"),
     ("vat", "only_with: expected another parameter, not 'vat'"),
     ("topic", "only_with: 'topic' always has a value, so the rule would never apply")],
)
def test_broken_only_with_is_a_spec_error(only_with: str, message: str) -> None:
    params = {**PARAMS, "vat": {"type": "str", "required": False, "only_with": only_with, "help": HELP}}
    with pytest.raises(SpecError, match=re.escape(message)):
        parse_scenario("demo", {"title": HELP, "summary": HELP, "kind": "letter", "params": params},
                       "demo.yaml", ("de", "en"))
