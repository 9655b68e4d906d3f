"""The planning core: working days, holidays per region, buffer, fallback and cut-off."""

from __future__ import annotations

import datetime as dt
import doctest
import os
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasebook import planning, relative, workdays
from phrasebook.errors import InvalidInput, PlanningError
from phrasebook.planning import check_working_day, make_plan, parse_buffer, parse_closures
from phrasebook.workdays import WorkCalendar, parse_region, region_codes

D = dt.date


def cal(region: str, closures=(), catholic: bool = False) -> WorkCalendar:
    return WorkCalendar(parse_region(region), parse_closures(closures), catholic)


# Reference table of /work/shared/notes/german-conventions.md §2.4 (exclusive count):
# "start X + N working days" = the N-th working day after X in region R.
ORACLE = [
    (1, "DE", D(2026, 11, 23), 5, D(2026, 11, 30)),
    (2, "DE", D(2026, 11, 23), 7, D(2026, 12, 2)),
    (3, "DE", D(2026, 11, 27), 1, D(2026, 11, 30)),
    (4, "DE", D(2026, 12, 23), 1, D(2026, 12, 24)),
    (5, "DE", D(2026, 12, 23), 2, D(2026, 12, 28)),
    (6, "DE", D(2026, 12, 21), 5, D(2026, 12, 29)),
    (7, "DE", D(2026, 12, 14), 10, D(2026, 12, 29)),
    (8, "DE", D(2026, 12, 29), 3, D(2027, 1, 4)),
    (9, "DE", D(2026, 12, 29), 5, D(2027, 1, 6)),
    (9, "DE-BE", D(2026, 12, 29), 5, D(2027, 1, 6)),
    (10, "DE-BY", D(2026, 12, 29), 5, D(2027, 1, 7)),
    (11, "DE-BY", D(2027, 1, 5), 1, D(2027, 1, 7)),
    (11, "DE-BW", D(2027, 1, 5), 1, D(2027, 1, 7)),
    (11, "DE-ST", D(2027, 1, 5), 1, D(2027, 1, 7)),
    (12, "DE-NW", D(2027, 1, 5), 1, D(2027, 1, 6)),
    (13, "DE", D(2027, 3, 25), 1, D(2027, 3, 30)),
    (14, "DE", D(2027, 3, 24), 3, D(2027, 3, 31)),
    (15, "DE", D(2027, 3, 22), 5, D(2027, 3, 31)),
    (16, "DE-BB", D(2027, 3, 25), 1, D(2027, 3, 30)),
    (17, "DE-BE", D(2027, 3, 5), 1, D(2027, 3, 9)),
    (17, "DE-MV", D(2027, 3, 5), 1, D(2027, 3, 9)),
    (18, "DE-NW", D(2027, 3, 5), 1, D(2027, 3, 8)),
    (18, "DE", D(2027, 3, 5), 1, D(2027, 3, 8)),
    (19, "DE-SN", D(2026, 11, 17), 1, D(2026, 11, 19)),
    (20, "DE-BY", D(2026, 11, 17), 1, D(2026, 11, 18)),
    (21, "DE-SN", D(2026, 11, 16), 5, D(2026, 11, 24)),
    (22, "DE-TH", D(2026, 11, 16), 5, D(2026, 11, 23)),
    (23, "DE-NW", D(2026, 6, 3), 1, D(2026, 6, 5)),
    (24, "DE-BE", D(2026, 6, 3), 1, D(2026, 6, 4)),
    (24, "DE-SN", D(2026, 6, 3), 1, D(2026, 6, 4)),
    (25, "DE", D(2026, 10, 2), 1, D(2026, 10, 5)),
    (25, "DE-SN", D(2026, 10, 2), 1, D(2026, 10, 5)),
    (26, "DE-SN", D(2026, 10, 30), 1, D(2026, 11, 2)),
    (27, "DE-NW", D(2027, 10, 29), 1, D(2027, 11, 2)),
    (27, "DE-BY", D(2027, 10, 29), 1, D(2027, 11, 2)),
    (28, "DE-BE", D(2027, 10, 29), 1, D(2027, 11, 1)),
    (28, "DE-SN", D(2027, 10, 29), 1, D(2027, 11, 1)),
    (29, "DE", D(2026, 5, 13), 1, D(2026, 5, 15)),
    (30, "DE", D(2026, 5, 22), 1, D(2026, 5, 26)),
    (31, "DE", D(2026, 4, 30), 1, D(2026, 5, 4)),
    (32, "DE", D(2026, 4, 2), 1, D(2026, 4, 7)),
    (33, "DE-TH", D(2027, 9, 17), 1, D(2027, 9, 21)),
    (34, "DE-SN", D(2027, 9, 17), 1, D(2027, 9, 20)),
    (35, "DE", D(2027, 4, 30), 1, D(2027, 5, 3)),
    (36, "DE", D(2027, 5, 5), 1, D(2027, 5, 7)),
    (37, "DE", D(2027, 5, 14), 1, D(2027, 5, 18)),
    (38, "DE-HE", D(2027, 5, 26), 1, D(2027, 5, 28)),
    (39, "DE-HH", D(2027, 5, 26), 1, D(2027, 5, 27)),
    (40, "DE", D(2027, 12, 23), 3, D(2027, 12, 28)),
    (41, "DE", D(2027, 12, 30), 1, D(2027, 12, 31)),
    (42, "DE", D(2026, 11, 23), 0, D(2026, 11, 23)),
]


@pytest.mark.parametrize(
    ("row", "region", "start", "days", "expected"),
    ORACLE,
    ids=[f"row{r[0]}-{r[1]}" for r in ORACLE],
)
def test_reference_table(
    row: int, region: str, start: dt.date, days: int, expected: dt.date
) -> None:
    assert cal(region).add_working_days(start, days) == expected
    # The same through the planner: effort N, no buffer, request before the cut-off.
    plan = make_plan(start, days, 0, region=region)
    assert (plan.received, plan.internal, plan.fallback, plan.promised) == (
        start,
        expected,
        expected,
        expected,
    )


@pytest.mark.parametrize(
    ("start", "days", "nth_after", "planned"),
    [
        (D(2026, 11, 28), 1, D(2026, 11, 30), D(2026, 12, 1)),
        (D(2026, 11, 28), 5, D(2026, 12, 4), D(2026, 12, 7)),
        (D(2026, 12, 25), 1, D(2026, 12, 28), D(2026, 12, 29)),
        (D(2027, 3, 26), 1, D(2027, 3, 30), D(2027, 3, 31)),
    ],
)
def test_request_on_a_day_off_counts_from_the_next_working_day(
    start: dt.date, days: int, nth_after: dt.date, planned: dt.date
) -> None:
    # The calendar primitive counts the N-th working day after X; the planner first
    # moves a weekend or holiday request to the next working day, like a late request.
    assert cal("DE").add_working_days(start, days) == nth_after
    plan = make_plan(start, days, 0)
    assert plan.received == cal("DE").next_working_day(start)
    assert plan.internal == planned


def test_the_example_of_the_brief() -> None:
    plan = make_plan(D(2026, 11, 23), 5, 2)
    assert plan.received == D(2026, 11, 23)
    assert plan.internal == D(2026, 11, 30)
    assert plan.fallback == D(2026, 12, 1)
    assert plan.promised == D(2026, 12, 2)
    assert (plan.buffer_days, plan.keep_days, plan.concede_days) == (2, 1, 1)
    assert plan.skipped == ()


def test_christmas_and_new_year_2026_27() -> None:
    plan = make_plan(D(2026, 12, 21), 5, 2)
    assert (plan.internal, plan.fallback, plan.promised) == (
        D(2026, 12, 29),
        D(2026, 12, 30),
        D(2026, 12, 31),
    )
    assert [(s.day, s.name) for s in plan.skipped] == [(D(2026, 12, 25), "Erster Weihnachtstag")]
    plan = make_plan(D(2026, 12, 23), 4, "50%")
    assert (plan.internal, plan.fallback, plan.promised) == (
        D(2026, 12, 30),
        D(2026, 12, 31),
        D(2027, 1, 4),
    )
    assert [s.name for s in plan.skipped] == ["Erster Weihnachtstag", "Neujahr"]
    assert [s.name_en for s in plan.skipped] == ["Christmas Day", "New Year's Day"]


def test_heilige_drei_koenige_only_in_bayern() -> None:
    by = make_plan(D(2026, 12, 29), 5, "40%", region="DE-BY")
    assert (by.internal, by.fallback, by.promised) == (D(2027, 1, 7), D(2027, 1, 8), D(2027, 1, 11))
    assert [s.name for s in by.skipped] == ["Neujahr", "Heilige Drei Könige"]
    be = make_plan(D(2026, 12, 29), 5, "40%", region="DE-BE")
    assert (be.internal, be.promised) == (D(2027, 1, 6), D(2027, 1, 8))


def test_buss_und_bettag_only_in_sachsen() -> None:
    sn = make_plan(D(2026, 11, 16), 5, 2, region="DE-SN")
    assert (sn.internal, sn.fallback, sn.promised) == (
        D(2026, 11, 24),
        D(2026, 11, 25),
        D(2026, 11, 26),
    )
    assert [(s.day, s.name) for s in sn.skipped] == [(D(2026, 11, 18), "Buß- und Bettag")]
    th = make_plan(D(2026, 11, 16), 5, 2, region="DE-TH")
    assert th.promised == D(2026, 11, 25)


def test_easter_2027() -> None:
    plan = make_plan(D(2027, 3, 24), 3, 2)
    assert (plan.internal, plan.fallback, plan.promised) == (
        D(2027, 3, 31),
        D(2027, 4, 1),
        D(2027, 4, 2),
    )
    assert [s.name for s in plan.skipped] == ["Karfreitag", "Ostermontag"]


def test_austria_and_switzerland_nationwide() -> None:
    # 8 December (Mariä Empfängnis) is a holiday in Austria, not in Germany.
    assert make_plan(D(2026, 12, 7), 1, 0, region="AT").internal == D(2026, 12, 9)
    assert make_plan(D(2026, 12, 7), 1, 0, region="DE").internal == D(2026, 12, 8)
    # 1 August 2025 (Friday) is the Swiss national day.
    assert make_plan(D(2025, 7, 31), 1, 0, region="CH").internal == D(2025, 8, 4)
    assert make_plan(D(2025, 7, 31), 1, 0, region="CH-ZH").internal == D(2025, 8, 4)


def test_catholic_municipalities() -> None:
    assert cal("DE-BY").is_working_day(D(2025, 8, 15))
    assert not cal("DE-BY", catholic=True).is_working_day(D(2025, 8, 15))
    with pytest.raises(PlanningError, match="catholic: only applies to German regions"):
        make_plan(D(2025, 8, 14), 1, 0, region="AT", catholic=True)


@pytest.mark.parametrize(
    ("received_at", "received", "internal"),
    [
        (None, D(2026, 11, 23), D(2026, 11, 30)),
        (dt.time(9, 0), D(2026, 11, 23), D(2026, 11, 30)),
        (dt.time(16, 59), D(2026, 11, 23), D(2026, 11, 30)),
        (dt.time(17, 0), D(2026, 11, 24), D(2026, 12, 1)),
        (dt.time(22, 30), D(2026, 11, 24), D(2026, 12, 1)),
    ],
)
def test_cutoff(received_at, received, internal) -> None:
    plan = make_plan(D(2026, 11, 23), 5, 0, received_at=received_at)
    assert plan.received == received
    assert plan.internal == internal
    assert plan.after_cutoff is (received > D(2026, 11, 23))


def test_cutoff_is_configurable_and_friday_evening_counts_from_monday() -> None:
    late = make_plan(D(2026, 11, 27), 1, 0, received_at=dt.time(18, 0))
    assert (late.received, late.internal) == (D(2026, 11, 30), D(2026, 12, 1))
    early = make_plan(D(2026, 11, 27), 1, 0, received_at=dt.time(18, 0), cutoff=dt.time(19, 0))
    assert (early.received, early.internal) == (D(2026, 11, 27), D(2026, 11, 30))


@pytest.mark.parametrize(
    ("effort", "buffer", "days", "keep"),
    [
        (5, "40%", 2, 1),
        (3, "40%", 2, 1),
        (10, "40%", 4, 2),
        (1, "10%", 1, 1),
        (5, "0%", 0, 0),
        (5, "3", 3, 2),
        (0, "0", 0, 0),
        ("2.5", "20%", 1, 1),
        ("2,5", "100%", 3, 2),
    ],
)
def test_buffer_and_fallback(effort, buffer, days, keep) -> None:
    plan = make_plan(D(2026, 11, 23), effort, buffer)
    assert (plan.buffer_days, plan.keep_days) == (days, keep)
    assert plan.promised == plan.calendar.add_working_days(plan.internal, days)
    assert plan.fallback == plan.calendar.add_working_days(plan.internal, keep)


def test_debrief_adds_half_a_day_per_briefing_day() -> None:
    plan = make_plan(D(2026, 11, 23), 5, 0, debrief=1)
    assert (plan.debrief_days, plan.work_days) == (Decimal("0.5"), 6)
    assert plan.internal == D(2026, 12, 1)
    assert plan.debrief_slots() == [(D(2026, 11, 24), Decimal("0.5"))]
    three = make_plan(D(2026, 11, 23), 2, 0, debrief=3)
    assert three.debrief_slots() == [
        (D(2026, 11, 24), Decimal(1)),
        (D(2026, 11, 25), Decimal("0.5")),
    ]


def test_closures_are_skipped_and_listed() -> None:
    plan = make_plan(D(2026, 12, 18), 3, 1, closures=["2026-12-21..2026-12-23", "24.12.2026"])
    assert plan.internal == D(2026, 12, 30)
    assert plan.promised == D(2026, 12, 31)
    assert [(s.day, s.kind) for s in plan.skipped] == [
        (D(2026, 12, 21), "closure"),
        (D(2026, 12, 22), "closure"),
        (D(2026, 12, 23), "closure"),
        (D(2026, 12, 24), "closure"),
        (D(2026, 12, 25), "holiday"),
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            ["2026-12-24..2026-12-20"],
            "closures: item 1: '2026-12-24..2026-12-20' ends before it begins",
        ),
        (["2026-02-30"], "closures: item 1: '2026-02-30' is not a calendar date"),
        (["next week"], "closures: item 1: 'next week' is not a date (YYYY-MM-DD) or a period"),
        (["2026-01-01..2027-06-01"], "is longer than 366 days"),
    ],
)
def test_bad_closures(items, message) -> None:
    with pytest.raises(PlanningError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_closures(items)


@pytest.mark.parametrize(
    ("effort", "buffer", "message"),
    [
        ("5", "-2", "buffer: '-2' must not be negative"),
        ("5", "-40%", "buffer: '-40%' must not be negative"),
        ("5", "51", "buffer: 51 means 51 working days, more than 10 times the 5 days of work"),
        ("5", "1001%", "buffer: 1001% means 51 working days"),
        ("0", "1", "buffer: 1 means 1 working days, more than 10 times the 0 days of work"),
        ("5", "zwei", "buffer: 'zwei' is neither whole working days (e.g. 2) nor a percentage"),
        ("5", "1.5", "buffer: '1.5' is neither whole working days"),
        ("-1", "2", "effort_days: '-1' must not be negative"),
        ("viel", "2", "effort_days: 'viel' is not a number of days"),
        ("251", "2", "effort_days: 251 is more than 250 working days"),
    ],
)
def test_absurd_values_are_rejected(effort, buffer, message) -> None:
    with pytest.raises(PlanningError) as info:
        make_plan(D(2026, 11, 23), effort, buffer)
    assert message in str(info.value)
    assert isinstance(info.value, InvalidInput)


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(PlanningError) as info:
        make_plan(D(2026, 11, 23), "-1", "x", region="XX", closures=["gestern"])
    assert [p.split(":")[0] for p in info.value.problems] == [
        "region",
        "effort_days",
        "buffer",
        "closures",
    ]


def test_start_year_is_bounded() -> None:
    with pytest.raises(PlanningError, match="start: 9999-12-30 is outside the years 1900-2199"):
        make_plan(D(9999, 12, 30), 5, 2)
    assert make_plan(D(2199, 12, 1), 5, 2).promised.year == 2199


def test_promised_date_in_the_past_is_refused() -> None:
    with pytest.raises(PlanningError, match="the promised date 2026-11-03 would be before today"):
        make_plan(D(2026, 10, 26), 5, 1, today=D(2026, 11, 24))
    assert make_plan(D(2026, 11, 20), 1, 1, today=D(2026, 11, 24)).promised == D(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("de-by", "DE-BY"),
        ("DE_SN", "DE-SN"),
        (" DE-BE ", "DE-BE"),
        ("AT", "AT"),
        ("at-9", "AT-9"),
        ("CH", "CH"),
        ("ch-zh", "CH-ZH"),
    ],
)
def test_region_codes(text: str, code: str) -> None:
    assert parse_region(text).code == code


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("DE-BYY", "(did you mean 'DE-BY'?)"),
        ("ZH", "(did you mean 'CH-ZH'?)"),
        ("DE-BX", "(did you mean 'DE-BB', 'DE-BE', 'DE-BW' or 'DE-BY'?)"),
        ("DE-Augsburg", ""),
        ("FRANCE", ""),
    ],
)
def test_unknown_region_lists_valid_codes(text: str, hint: str) -> None:
    with pytest.raises(PlanningError) as info:
        parse_region(text)
    message = str(info.value)
    assert message.startswith(f"region: {text!r} is not a")
    assert hint in message
    assert "valid codes: DE, DE-BB, DE-BE" in message
    assert "DE-TH" in message


def test_region_code_lists() -> None:
    assert region_codes("DE") == ["DE"] + [
        f"DE-{s}"
        for s in (
            "BB",
            "BE",
            "BW",
            "BY",
            "HB",
            "HE",
            "HH",
            "MV",
            "NI",
            "NW",
            "RP",
            "SH",
            "SL",
            "SN",
            "ST",
            "TH",
        )
    ]
    assert len(region_codes("AT")) == 10
    assert "CH-ZH" in region_codes()
    assert parse_region("DE-BY").timezone == "Europe/Berlin"
    assert parse_region("AT").timezone == "Europe/Vienna"
    assert parse_region("CH-GE").timezone == "Europe/Zurich"


@pytest.mark.parametrize(
    ("day", "region", "message"),
    [
        (D(2026, 11, 20), "DE", "deadline: 2026-11-20 is in the past (today is 2026-11-24)"),
        (
            D(2026, 11, 28),
            "DE",
            "deadline: 2026-11-28 is a Saturday; the next working day is 2026-11-30 (Monday)",
        ),
        (
            D(2026, 11, 18),
            "DE-SN",
            "deadline: 2026-11-18 is a public holiday in DE-SN (Buß- und Bettag); the next "
            "working day is 2026-11-19 (Thursday)",
        ),
        (
            D(2027, 1, 6),
            "DE-BY",
            "deadline: 2027-01-06 is a public holiday in DE-BY (Heilige Drei Könige); the next "
            "working day is 2027-01-07 (Thursday)",
        ),
    ],
)
def test_fixed_dates_are_checked(day, region, message) -> None:
    today = D(2026, 11, 24) if "past" in message else D(2026, 11, 2)
    assert check_working_day(day, "deadline", calendar=cal(region), today=today) == [message]


def test_fixed_dates_far_in_the_future() -> None:
    assert check_working_day(
        D(9999, 12, 25), "deadline", calendar=cal("DE"), today=D(2026, 11, 24)
    ) == ["deadline: 9999-12-25 is too far in the future (after 2199)"]


def test_fixed_date_checks_pass_quietly() -> None:
    assert check_working_day(
        D(2026, 11, 18), "deadline", calendar=cal("DE-BY"), today=D(2026, 11, 24)
    ) == ["deadline: 2026-11-18 is in the past (today is 2026-11-24)"]
    assert (
        check_working_day(D(2026, 11, 24), "deadline", calendar=cal("DE"), today=D(2026, 11, 24))
        == []
    )
    closed = cal("DE", closures=["2026-12-01"])
    assert check_working_day(
        D(2026, 12, 1), "deadline", calendar=closed, today=D(2026, 11, 24)
    ) == [
        "deadline: 2026-12-01 is one of your closure days; the next working day is 2026-12-02 "
        "(Wednesday)"
    ]


def test_holiday_names_do_not_depend_on_the_environment(monkeypatch) -> None:
    from phrasebook import cache

    monkeypatch.setattr(cache, "cache_dir", lambda: None)  # ask holidays itself every time
    workdays._holiday_names.cache_clear()
    for value in ("C.UTF-8", "en_US.UTF-8", "de_DE.UTF-8", ""):
        monkeypatch.setenv("LANG", value)
        monkeypatch.setenv("LANGUAGE", value)
        assert cal("DE").holiday(D(2026, 12, 25)) == "Erster Weihnachtstag"
        assert cal("DE").holiday(D(2026, 12, 25), "en") == "Christmas Day"
        workdays._holiday_names.cache_clear()


def test_parse_buffer() -> None:
    assert parse_buffer("40%").percent == Decimal(40)
    assert parse_buffer(" 40 % ").text == "40%"
    assert parse_buffer("12,5%").text == "12.5%"
    assert parse_buffer("2").days == 2


@pytest.mark.parametrize("module", [planning, relative, workdays])
def test_doctests(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


# --- properties ----------------------------------------------------------------------

REGIONS = ["DE", "DE-BY", "DE-BE", "DE-SN", "DE-TH", "DE-NW", "DE-MV", "AT", "AT-9", "CH", "CH-ZH"]
dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31))
efforts = st.integers(min_value=0, max_value=40)


@st.composite
def plans(draw):
    start = draw(dates)
    effort = draw(efforts)
    if draw(st.booleans()):
        buffer = str(draw(st.integers(min_value=0, max_value=min(10 * effort, 30))))
    else:
        buffer = f"{draw(st.integers(min_value=0, max_value=200))}%"
    closure_start = draw(dates)
    closures = [f"{closure_start}..{closure_start + dt.timedelta(days=draw(st.integers(0, 20)))}"]
    return {
        "start": start,
        "effort_days": effort,
        "buffer": buffer,
        "region": draw(st.sampled_from(REGIONS)),
        "debrief": draw(st.sampled_from([0, 1, 2, 3])),
        "closures": closures if draw(st.booleans()) else [],
        "received_at": draw(st.none() | st.times()),
    }


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(plans())
def test_dates_are_ordered(kwargs) -> None:
    kwargs["buffer"] = _clip(kwargs)
    plan = make_plan(**kwargs)
    assert plan.promised >= plan.fallback >= plan.internal >= plan.received >= plan.start


@PROPERTY_SETTINGS
@given(plans())
def test_every_returned_date_is_a_working_day(kwargs) -> None:
    kwargs["buffer"] = _clip(kwargs)
    plan = make_plan(**kwargs)
    for day in (plan.received, plan.internal, plan.fallback, plan.promised):
        assert plan.calendar.is_working_day(day), day
        assert day.weekday() < 5
        assert plan.calendar.holiday(day) is None
        assert day not in plan.calendar.closures


@PROPERTY_SETTINGS
@given(plans())
def test_the_work_fits_exactly_between_receipt_and_target(kwargs) -> None:
    kwargs["buffer"] = _clip(kwargs)
    plan = make_plan(**kwargs)
    working = _working_days_between(plan.calendar, plan.received, plan.internal)
    assert working == plan.work_days
    assert _working_days_between(plan.calendar, plan.internal, plan.promised) == plan.buffer_days
    assert _working_days_between(plan.calendar, plan.internal, plan.fallback) == plan.keep_days


@settings(max_examples=100, deadline=None)
@given(dates, st.sampled_from(REGIONS))
def test_zero_effort_on_a_working_day_is_that_day(start, region) -> None:
    calendar = cal(region)
    if not calendar.is_working_day(start):
        start = calendar.next_working_day(start)
    plan = make_plan(start, 0, 0, region=region)
    assert plan.received == plan.internal == plan.fallback == plan.promised == start
    assert calendar.add_working_days(start, 0) == start


@settings(max_examples=25, deadline=None)
@given(plans())
def test_results_do_not_depend_on_the_machine_time_zone(kwargs) -> None:
    from phrasebook.ics import plan_entries, to_ical
    from phrasebook.l10n import resolve_language

    kwargs["buffer"] = _clip(kwargs)
    outputs = set()
    saved = os.environ.get("TZ")
    try:
        for zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kolkata"):
            os.environ["TZ"] = zone
            time.tzset()
            plan = make_plan(**kwargs)
            entries = plan_entries(plan, language=resolve_language("de"), title="Konzept")
            outputs.add(
                (
                    plan.received,
                    plan.internal,
                    plan.fallback,
                    plan.promised,
                    to_ical(entries, today=kwargs["start"]),
                )
            )
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert len(outputs) == 1


def _clip(kwargs) -> str:
    """Keep fixed buffers within the 10x rule (the rule itself is tested above)."""
    buffer = kwargs["buffer"]
    if buffer.endswith("%"):
        return buffer
    work = Decimal(kwargs["effort_days"]) + Decimal(kwargs["debrief"]) / 2
    return str(min(int(buffer), int(10 * work)))


def _working_days_between(calendar: WorkCalendar, first: dt.date, last: dt.date) -> int:
    """Count working days in (first, last] by brute force."""
    count = 0
    day = first + dt.timedelta(days=1)
    while day <= last:
        count += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return count
