"""The shipped examples and relative dates work on any day the product is used."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quality import hunspell_available, misspelled, problems
from samples import CATALOG, LANGS, SCENARIOS

import phrasebook
from phrasebook.dateexpr import RelativeDate, parse
from phrasebook.inputs import read_params_file
from phrasebook.workdays import WorkCalendar, parse_region

#: Days a user may run the examples on: any day of the next ten years.
days = st.dates(min_value=dt.date(2026, 12, 1), max_value=dt.date(2036, 12, 31))

#: Days that are hard for a planner: weekends, Christmas, New Year, Easter 2027.
HARD_DAYS = [
    dt.date(2026, 12, 5), dt.date(2026, 12, 24), dt.date(2026, 12, 31), dt.date(2027, 1, 1),
    dt.date(2027, 3, 26), dt.date(2027, 3, 29), dt.date(2027, 12, 23), dt.date(2030, 2, 28),
]


def shipped(name: str, lang: str) -> dict:
    path = CATALOG.example_path(name, lang)
    assert path is not None
    return read_params_file(path)


def test_no_shipped_example_holds_a_fixed_date() -> None:
    import re

    for name in SCENARIOS:
        for lang in LANGS:
            text = CATALOG.example_path(name, lang).read_text(encoding="utf-8")
            assert not re.search(r"\b20\d\d-\d\d-\d\d\b|\b\d{1,2}\.\d{1,2}\.20\d\d\b", text), (name, lang)
            months = r"Januar|Februar|März|April|Juni|Juli|Oktober|Dezember|January|February|March|June|July|" \
                r"October|December"
            assert not re.search(months, text), (name, lang)


@pytest.mark.parametrize("today", HARD_DAYS, ids=str)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_example_renders_on_hard_days(name: str, lang: str, today: dt.date) -> None:
    for fmt in CATALOG.scenario(name).formats:
        doc = phrasebook.render(name, lang, shipped(name, lang), today=today, fmt=fmt)
        assert doc.text.strip()
    assert problems(doc.body, lang) == [], (name, lang, today)


@settings(max_examples=60, deadline=None)
@given(today=days)
def test_every_example_renders_on_any_day(today: dt.date) -> None:
    for name in SCENARIOS:
        for lang in LANGS:
            doc = phrasebook.render(name, lang, shipped(name, lang), today=today, fmt="text")
            assert problems(doc.text, lang) == [], (name, lang, today)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_examples_are_spelled_correctly_on_a_day_in_the_future(name: str, lang: str) -> None:
    if not hunspell_available():
        pytest.skip("hunspell with de_DE and en_GB dictionaries is not installed")
    doc = phrasebook.render(name, lang, shipped(name, lang), today=dt.date(2029, 5, 14), fmt="text")
    assert misspelled(doc.subject + "\n" + doc.body, lang) == []


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("today", 0, "days"), ("Heute", 0, "days"), ("tomorrow", 1, "days"), ("morgen", 1, "days"),
        ("yesterday", -1, "days"), ("+7 working days", 7, "working days"), ("+1 working day", 1, "working days"),
        ("+7 business days", 7, "working days"), ("+ 3 Arbeitstage", 3, "working days"),
        ("in 5 Arbeitstagen", 5, "working days"), ("-2 weeks", -2, "weeks"), ("\u22122 Wochen", -2, "weeks"),
        ("vor 10 Tagen", -10, "days"), ("3 days ago", -3, "days"), ("in  2   weeks", 2, "weeks"),
        ("+0 working days", 0, "working days"),
    ],
)
def test_relative_dates_are_read(text: str, amount: int, unit: str) -> None:
    assert parse(text) == RelativeDate(amount, unit, " ".join(text.split()))


@pytest.mark.parametrize("text", ["2026-12-02", "next week", "+7", "7 working days", "+7 months", "in a week", ""])
def test_other_text_is_not_a_relative_date(text: str) -> None:
    assert parse(text) is None


def test_a_relative_date_may_not_reach_beyond_ten_years() -> None:
    with pytest.raises(ValueError):
        parse("+600 weeks")
    assert parse("+520 weeks") is not None


def test_working_days_skip_weekends_holidays_and_closures() -> None:
    calendar = WorkCalendar(parse_region("DE-BY"), frozenset({dt.date(2027, 1, 4)}))
    christmas_eve = dt.date(2026, 12, 24)  # Thursday; 25th and 26th are holidays, 6 January in Bavaria too
    assert parse("+1 working day").resolve(christmas_eve, calendar.is_working_day) == dt.date(2026, 12, 28)
    assert parse("+4 working days").resolve(christmas_eve, calendar.is_working_day) == dt.date(2026, 12, 31)
    assert parse("+5 working days").resolve(christmas_eve, calendar.is_working_day) == dt.date(2027, 1, 5)
    assert parse("+6 working days").resolve(christmas_eve, calendar.is_working_day) == dt.date(2027, 1, 7)
    assert parse("-1 working day").resolve(dt.date(2026, 12, 28), calendar.is_working_day) == christmas_eve
    assert parse("+0 working days").resolve(dt.date(2026, 12, 26), calendar.is_working_day) == dt.date(2026, 12, 28)


@settings(max_examples=200, deadline=None)
@given(today=days, amount=st.integers(-300, 300))
def test_working_days_count_exactly(today: dt.date, amount: int) -> None:
    calendar = WorkCalendar(parse_region("DE"))
    day = RelativeDate(amount, "working days", "x").resolve(today, calendar.is_working_day)
    assert calendar.is_working_day(day)
    low, high = sorted((today, day))
    between = sum(
        calendar.is_working_day(low + dt.timedelta(days=offset)) for offset in range((high - low).days + 1)
    )
    start_counts = calendar.is_working_day(today)
    assert between - start_counts == abs(amount) if amount else day >= today


def test_relative_dates_follow_the_region_of_the_letter() -> None:
    params = shipped("deadline-offer", "de") | {"deadline": "+1 working day", "region": "DE-BY"}
    params.pop("effort_days")
    doc = phrasebook.render("deadline-offer", "de", params, today=dt.date(2027, 1, 5), fmt="text")
    assert "Donnerstag, 7. Januar 2027" in doc.text  # 6 January is a holiday in Bavaria
    params["region"] = "DE-BE"
    doc = phrasebook.render("deadline-offer", "de", params, today=dt.date(2027, 1, 5), fmt="text")
    assert "Mittwoch, 6. Januar 2027" in doc.text


def test_relative_dates_inside_lists_of_records() -> None:
    doc = phrasebook.render("onboarding-pack", "en", shipped("onboarding-pack", "en"), today=dt.date(2027, 6, 1))
    assert "Kick-off workshop – Tuesday, 8 June 2027" in doc.text  # five working days on


def test_a_relative_date_that_cannot_be_a_date_is_reported_with_the_others() -> None:
    params = shipped("payment-reminder", "en") | {"due_date": "+5 Werktage", "invoice_date": "next week"}
    with pytest.raises(phrasebook.PhrasebookError) as exc:
        phrasebook.render("payment-reminder", "en", params, today=dt.date(2027, 6, 1))
    assert exc.value.problems == (
        "invoice_date: 'next week' expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative such as +7 working days",
        "due_date: '+5 Werktage' expected Arbeitstage (Monday to Friday); Werktage include Saturdays",
    )
