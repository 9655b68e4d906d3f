"""Hypothesis: any valid parameters render in every language and format, cleanly."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from typing import Any

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import CATALOG, SCENARIOS

import phrasebook
from phrasebook.paramtypes import Param

# Letters, digits, umlauts, spaces and the punctuation people type in names and notes,
# including Markdown metacharacters (they must be escaped, never interpreted).
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜßéçñ0123456789")
    + list(" .,-'&/()*_[]<>#!?:;\"%+@$`~^|")
)
# A value that is literally "None" would be mistaken for a leaked None by _check.
_WORD = (
    st.text(_ALPHABET, min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and not re.search(r"\bNone\b", s))
)


def _value(param: Param) -> st.SearchStrategy[Any]:
    kind = param.type
    if kind in ("str", "text"):
        return _WORD
    if kind == "int":
        low = int(param.min) if param.min is not None else 0
        high = int(param.max) if param.max is not None else 10_000
        return st.integers(low, high)
    if kind == "decimal":
        return st.decimals(min_value=param.min or 0, max_value=param.max or 10**7, places=2,
                           allow_nan=False, allow_infinity=False)
    if kind == "bool":
        return st.booleans()
    if kind == "bool_or_text":
        return st.one_of(st.booleans(), _WORD)
    if kind == "date":
        return st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    if kind == "time":
        return st.times().map(lambda t: t.replace(second=0, microsecond=0))
    if kind == "choice":
        return st.sampled_from(param.choices)
    if kind == "email":
        return st.from_regex(r"[a-z]{1,10}\.[a-z]{1,10}@[a-z]{2,10}\.(de|com|at)", fullmatch=True)
    if kind == "list":
        low = int(param.min) if param.min is not None else 0
        high = min(int(param.max) if param.max is not None else 5, 5)
        if param.fields:
            item = st.fixed_dictionaries({f.name: _value(f) for f in param.fields if f.required},
                                         optional={f.name: _value(f) for f in param.fields if not f.required})
            return st.lists(item, min_size=max(low, 1), max_size=max(high, 1))
        return st.lists(_value(Param("item", param.item, {})), min_size=max(low, 1), max_size=max(high, 1))
    raise AssertionError(f"no strategy for {kind}")


def params_for(name: str) -> st.SearchStrategy[dict[str, Any]]:
    scenario = CATALOG.scenario(name)
    required = {p.name: _value(p) for p in scenario.params if p.required or p.required_if}
    optional = {p.name: _value(p) for p in scenario.params if not (p.required or p.required_if)}
    return st.fixed_dictionaries(required, optional=optional).map(
        lambda params: within_the_rules(scenario, params)
    )


def within_the_rules(scenario: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Move dates that break a ``not_before``/``not_after`` rule onto their bound, put
    phases in date order within the collaboration, and leave out values whose
    ``only_with`` partner is missing.

    Random values would otherwise be refused often (a farewell in the past, a VAT note
    without an amount), and the property would test the refusal instead of the text.
    """
    params = {
        name: value for name, value in params.items()
        if not (only := scenario.param(name).only_with) or params.get(only) is not None
    }
    if "phases" in scenario.checks and params.get("phases"):
        steps = sorted(params["phases"], key=lambda step: step["date"])
        params["phases"] = steps
        if params.get("start_date"):
            params["start_date"] = min(params["start_date"], steps[0]["date"])
        if params.get("end_date"):
            params["end_date"] = max(params["end_date"], steps[-1]["date"])
    if "no_show_fee" in scenario.checks and params.get("no_show") == "counts_as_held":
        params = {k: v for k, v in params.items() if k not in ("fee", "vat")}
    for _ in range(2):  # a bound may itself move in the first pass
        for param in scenario.params:
            for key in ("not_before", "not_after", "after"):
                other = getattr(param, key)
                day = params.get(param.name)
                bound = TODAY if other == "today" else params.get(other)
                if not isinstance(day, dt.date) or not isinstance(bound, dt.date):
                    continue
                params[param.name] = _within(key, day, bound)
    for param in scenario.params:  # the date fields of records know only ``today``
        for field in param.fields:
            for key in ("not_before", "not_after", "after"):
                if getattr(field, key) and isinstance(params.get(param.name), list):
                    params[param.name] = [
                        dict(item, **{field.name: _within(key, item[field.name], TODAY)})
                        if isinstance(item.get(field.name), dt.date) else item
                        for item in params[param.name]
                    ]
    return params


def _within(key: str, day: dt.date, bound: dt.date) -> dt.date:
    """``day``, or its bound when it breaks the rule ``key`` (``after``: the day after)."""
    if (key == "not_before" and day < bound) or (key == "not_after" and day > bound):
        return bound
    if key == "after" and day <= bound:
        return bound + dt.timedelta(days=1)
    return day


def _check(doc: phrasebook.Document) -> None:
    for text in (doc.body, doc.subject):
        assert "{{" not in text and "{%" not in text, text
        assert not re.search(r"\bNone\b", text)
        for line in text.splitlines():
            assert "  " not in line.lstrip(" "), line
            assert line == line.rstrip()


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lang", ["de", "en", "en_US"])
def test_any_valid_parameters_render_in_every_format(name: str, lang: str) -> None:
    scenario = CATALOG.scenario(name)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(params_for(name))
    def run(params: dict[str, Any]) -> None:
        for fmt in scenario.formats:
            try:
                doc = phrasebook.render(scenario, lang, params, today=TODAY, fmt=fmt)
            except phrasebook.PhrasebookError as exc:
                # Cross-parameter rules (for example "give at least one alternative") may
                # reject a random combination; they must do so with a clear message.
                assert exc.exit_code == 2, exc
                return
            _check(doc)
            if fmt == "eml":
                message = email.message_from_bytes(doc.text.encode("ascii"), policy=policy.default)
                assert message["Subject"] == doc.subject
                assert message.get_body(("plain",)).get_content() == doc.body
            if fmt == "md":
                assert doc.text.startswith("---\ntitle: ")

    run()


@given(_WORD)
def test_markdown_metacharacters_in_values_are_escaped(value: str) -> None:
    params = {
        "recipient": {"gender": "male", "last_name": value}, "sender": {"name": "Anna"},
        "deliverable": "den Entwurf", "deadline": "2026-12-02",
    }
    # a name like "<A>" reads as an unfilled placeholder; here only the escaping is tested
    md = phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="md", allow_placeholders=True).body
    line = md.splitlines()[0]
    name = line.removeprefix("Sehr geehrter Herr ").removesuffix(",")
    assert re.sub(r"\\(.)", r"\1", name) == value
    assert not re.search(r"(?<!\\)[*_\[\]<>`]", name)
