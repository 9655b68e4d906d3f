"""What each scenario promises, declared in its spec (`promises:`), and the checks of that data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from samples import CATALOG, SCENARIOS, example

from phrasebook import render
from phrasebook.errors import SpecError
from phrasebook.ledger import as_row
from phrasebook.promises import KINDS, client_name, collisions, plan_promise, promises_of, rows_of
from phrasebook.specfile import parse_scenario

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_scenario_declares_its_promises_and_the_rows_match(scenario: str, lang: str) -> None:
    spec = CATALOG.scenario(scenario)
    if not spec.promises:
        pytest.skip(f"{scenario} declares no promises")
    document = render(spec, lang, example(scenario, lang), today=TODAY, catalog=CATALOG)
    found = promises_of(spec, document.values, plan=document.plan, file="/out/x.md", lang=lang, today=TODAY)
    rows = rows_of(spec, document.values, plan=document.plan, file="/out/x.md", lang=lang, today=TODAY)
    assert rows == tuple(as_row(p, TODAY) for p in found)  # the batch's fast path says the same
    for promise in found:
        assert promise.kind in KINDS and promise.what and promise.client
        assert promise.doc == f"{scenario}|{promise.client}|file:/out/x.md"
    assert len({p.key for p in found}) == len(found)


def test_the_scenarios_with_dates_declare_their_promises() -> None:
    promising = {"deadline-offer", "callback-promise", "payment-reminder", "scope-decline", "missed-appointment",
                 "farewell", "onboarding-pack"}
    assert {name for name in SCENARIOS if CATALOG.scenario(name).promises} >= promising


def test_a_planned_offer_keeps_the_plan() -> None:
    spec = CATALOG.scenario("deadline-offer")
    values = {**example("deadline-offer", "en"), "deadline": None, "effort_days": "5"}
    document = render(spec, "en", values, today=TODAY, catalog=CATALOG)
    [promise] = promises_of(spec, document.values, plan=document.plan, lang="en", today=TODAY)
    assert (promise.internal, promise.fallback, promise.due) == (
        document.plan.internal, document.plan.fallback, document.plan.promised)
    assert promise.work_days == (dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27),
                                 dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    again = plan_promise(document.plan, client="ACME", title="Website", lang="en", today=TODAY)
    assert again.work_days == promise.work_days
    assert collisions(again, []) == []


def test_the_client_is_the_profile_else_the_recipient() -> None:
    values: dict[str, Any] = {"recipient.first_name": "Katrin", "recipient.last_name": "Müller"}
    assert client_name(values, None) == "Katrin Müller"
    assert client_name(values, {"id": "weber"}) == "weber"
    assert client_name({"recipient.organisation": " Weber Digital "}, None) == "Weber Digital"


SPEC = {
    "title": {"de": "T", "en": "T"},
    "summary": {"de": "S", "en": "S"},
    "params": {
        "thing": {"type": "str", "help": {"de": "x", "en": "x"}},
        "when": {"type": "date", "help": {"de": "x", "en": "x"}},
        "at": {"type": "time", "required": False, "help": {"de": "x", "en": "x"}},
    },
}


@pytest.mark.parametrize(("rules", "message"), [
    ({"kind": "gift", "what": "thing", "due": "when"}, "kind must be one of delivery, callback"),
    ({"kind": "delivery", "what": "thing", "due": "thing"}, "due must name a parameter of type date, not 'thing'"),
    ({"kind": "delivery", "what": "thing", "due": "when", "time": "when"}, "time must name a parameter of type time"),
    ({"kind": "delivery", "what": "nothing", "due": "when"}, "unknown parameter 'nothing'"),
    ({"kind": "delivery", "what": "thing", "each": "thing"}, "each must name a list parameter with fields"),
    ({"kind": "delivery", "what": "thing", "by": "when"}, "expected a mapping with"),
])
def test_a_wrong_promises_declaration_is_a_spec_error(rules: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_scenario("x", {**SPEC, "promises": [rules]}, "x.yaml", ["de", "en"])


def test_a_right_declaration_parses() -> None:
    spec = parse_scenario("x", {**SPEC, "promises": [{"kind": "delivery", "what": "thing", "due": "when",
                                                      "time": "at"}]}, "x.yaml", ["de", "en"])
    assert [(r.kind, r.what, r.due, r.time) for r in spec.promises] == [("delivery", ("thing",), "when", "at")]
