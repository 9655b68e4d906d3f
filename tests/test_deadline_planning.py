"""deadline-offer with a planned deadline, fixed-date checks and relative wording."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import TODAY
from quality import problems
from samples import example

import phrasebook
from phrasebook.catalog import Catalog, load_catalog
from phrasebook.errors import InvalidParams, SpecError
from phrasebook.l10n import format_date, resolve_language
from phrasebook.relative import on_day, until_day
from phrasebook.specfile import parse_scenario

D = dt.date
MONDAY = D(2026, 11, 23)


def planned(lang: str, **changes) -> dict:
    params = example("deadline-offer", lang)
    params.pop("deadline")
    params.update({"effort_days": "5", "buffer": "2", "start": "2026-11-23"}, **changes)
    return params


@pytest.mark.parametrize("lang", ["de", "en"])
def test_planned_deadline_becomes_the_promised_date(lang: str) -> None:
    doc = phrasebook.render("deadline-offer", lang, planned(lang), today=MONDAY)
    assert doc.plan is not None
    assert (doc.plan.internal, doc.plan.fallback, doc.plan.promised) == (
        D(2026, 11, 30),
        D(2026, 12, 1),
        D(2026, 12, 2),
    )
    # The promised date is exactly the one of the fixed-date example.
    fixed = phrasebook.render("deadline-offer", lang, example("deadline-offer", lang), today=MONDAY)
    assert doc.text == fixed.text


def test_the_fixed_date_example_is_unchanged() -> None:
    doc = phrasebook.render("deadline-offer", "de", example("deadline-offer", "de"), today=TODAY)
    assert doc.plan is None
    assert "spätestens am Mittwoch, 2. Dezember 2026." in doc.text
    assert [e.day for e in doc.events] == [D(2026, 12, 2)]


def test_plan_across_christmas_in_bavaria_with_vacation() -> None:
    params = planned(
        "de",
        start="2026-12-21",
        region="DE-BY",
        closures=["2026-12-28..2026-12-30"],
        buffer="40%",
    )
    doc = phrasebook.render("deadline-offer", "de", params, today=D(2026, 12, 21))
    assert (doc.plan.internal, doc.plan.fallback, doc.plan.promised) == (
        D(2027, 1, 4),
        D(2027, 1, 5),
        D(2027, 1, 7),
    )
    # 22, 23, 24 Dec, 31 Dec, 4 Jan (25 Dec, 1 Jan holidays; 28-30 Dec vacation; 6 Jan in BY).
    assert "spätestens am Donnerstag, 7. Januar 2027." in doc.text
    assert doc.subject == "Termin für das Kommunikationskonzept: Donnerstag, 7. Januar 2027"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"deadline": None}, "deadline or effort_days: missing; give one of them"),
        ({"effort_days": "3"}, "deadline, effort_days: give only one of them, not both"),
        (
            {"deadline": "2026-11-28"},
            "deadline: 2026-11-28 is a Saturday; the next working day is 2026-11-30 (Monday)",
        ),
        (
            {"deadline": "2026-12-25"},
            "deadline: 2026-12-25 is a public holiday in DE (Erster Weihnachtstag); "
            "the next working day is 2026-12-28 (Monday)",
        ),
        (
            {"deadline": "2027-01-06", "region": "DE-BY"},
            "deadline: 2027-01-06 is a public holiday in DE-BY (Heilige Drei Könige); "
            "the next working day is 2027-01-07 (Thursday)",
        ),
        ({"deadline": "2026-11-20"}, "deadline: 2026-11-20 is in the past (today is 2026-11-24)"),
        (
            {"start": "2026-11-20"},
            "start: only used together with effort_days (a planned deadline)",
        ),
        ({"region": "DE-BYE"}, "region: 'DE-BYE' is not a region of DE (did you mean 'DE-BY'?)"),
    ],
)
def test_deadline_problems(changes: dict, expected: str) -> None:
    params = dict(example("deadline-offer", "de"), **changes)
    params = {k: v for k, v in params.items() if v is not None}
    with pytest.raises(InvalidParams) as info:
        phrasebook.render("deadline-offer", "de", params, today=TODAY)
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems


def test_a_fixed_deadline_on_a_state_holiday_is_fine_elsewhere() -> None:
    params = dict(example("deadline-offer", "de"), deadline="2027-01-06")
    assert phrasebook.render("deadline-offer", "de", params, today=TODAY).text
    with pytest.raises(InvalidParams):
        phrasebook.render("deadline-offer", "de", dict(params, region="DE-BW"), today=TODAY)


def test_planning_problems_are_listed_together() -> None:
    params = planned("de", effort_days="-1", closures=["bald"], region="XX")
    with pytest.raises(InvalidParams) as info:
        phrasebook.render("deadline-offer", "de", params, today=MONDAY)
    assert [p.split(":")[0] for p in info.value.problems] == ["region", "effort_days", "closures"]


def test_absurd_buffer_is_rejected_in_the_letter() -> None:
    with pytest.raises(InvalidParams) as info:
        phrasebook.render("deadline-offer", "de", planned("de", buffer="60"), today=MONDAY)
    assert info.value.problems == (
        "buffer: 60 means 60 working days, more than 10 times the 5 days of work",
    )


# --- relative wording -------------------------------------------------------------------

DE, EN, US = resolve_language("de"), resolve_language("en"), resolve_language("en_US")
TUESDAY = D(2026, 11, 24)


@pytest.mark.parametrize(
    ("day", "time", "relative", "de", "en"),
    [
        (D(2026, 11, 25), dt.time(12), True, "bis morgen, 12:00 Uhr", "by 12 noon tomorrow"),
        (TUESDAY, dt.time(16), True, "bis heute, 16:00 Uhr", "by 4:00 pm today"),
        (TUESDAY, None, True, "bis heute", "by the end of today"),
        (
            D(2026, 11, 27),
            None,
            True,
            "bis Freitag dieser Woche (27. November)",
            "by Friday this week (27 November)",
        ),
        (
            D(2026, 12, 2),
            None,
            True,
            "bis Mittwoch nächster Woche (2. Dezember)",
            "by Wednesday next week (2 December)",
        ),
        (
            D(2026, 12, 6),
            dt.time(9, 30),
            True,
            "bis Sonntag nächster Woche (6. Dezember), 09:30 Uhr",
            "by 9:30 am on Sunday next week (6 December)",
        ),
        (D(2026, 12, 7), None, True, "bis Montag, 7. Dezember 2026", "by Monday, 7 December 2026"),
        (
            D(2026, 11, 23),
            None,
            True,
            "bis Montag, 23. November 2026",
            "by Monday, 23 November 2026",
        ),
        (
            D(2026, 11, 25),
            dt.time(12),
            False,
            "bis Mittwoch, 25. November 2026, 12:00 Uhr",
            "by 12 noon on Wednesday, 25 November 2026",
        ),
    ],
)
def test_until_day(day, time, relative, de, en) -> None:
    assert until_day(day, TUESDAY, time, relative, language=DE) == de
    assert until_day(day, TUESDAY, time, relative, language=EN) == en


def test_relative_wording_crosses_the_year_by_iso_weeks() -> None:
    # Thursday 31 Dec 2026 → Monday 4 Jan 2027 is next week, Monday 11 Jan is not.
    thursday = D(2026, 12, 31)
    assert (
        on_day(D(2027, 1, 4), thursday, True, language=DE) == "am Montag nächster Woche (4. Januar)"
    )
    assert on_day(D(2027, 1, 11), thursday, True, language=DE) == "am Montag, 11. Januar 2027"
    assert on_day(D(2027, 1, 1), thursday, True, language=EN) == "tomorrow"


def test_us_english_times_and_dates() -> None:
    assert until_day(D(2026, 12, 2), TUESDAY, dt.time(16), True, language=US) == (
        "by 4:00 PM on Wednesday next week (December 2)"
    )


@pytest.mark.parametrize(
    ("lang", "changes", "sentence"),
    [
        (
            "de",
            {"relative": "ja", "deadline_time": "12:00", "deadline": "2026-11-25"},
            "Sie erhalten das Kommunikationskonzept spätestens morgen um 12:00 Uhr.",
        ),
        (
            "de",
            {"relative": "ja"},
            "Sie erhalten das Kommunikationskonzept spätestens am Mittwoch nächster Woche (2. "
            "Dezember).",
        ),
        (
            "de",
            {"deadline_time": "12:00"},
            "Sie erhalten das Kommunikationskonzept spätestens am Mittwoch, 2. Dezember 2026 um "
            "12:00 Uhr.",
        ),
        (
            "en",
            {"relative": "yes", "deadline_time": "12:00", "deadline": "2026-11-25"},
            "You will receive the communication concept by 12 noon tomorrow at the latest.",
        ),
        (
            "en",
            {"relative": "yes"},
            "You will receive the communication concept by Wednesday next week (2 December) at "
            "the latest.",
        ),
        (
            "en",
            {"deadline_time": "16:30"},
            "You will receive the communication concept by 4:30 pm on Wednesday, 2 December 2026 "
            "at the latest.",
        ),
    ],
)
def test_relative_wording_in_the_letter(lang: str, changes: dict, sentence: str) -> None:
    params = dict(example("deadline-offer", lang), **changes)
    doc = phrasebook.render("deadline-offer", lang, params, today=TUESDAY)
    assert sentence in doc.text
    assert problems(doc.text, lang, formal=True) == []
    # The subject always keeps the full date.
    assert doc.subject.endswith(
        format_date(
            doc.plan.promised if doc.plan else D.fromisoformat(str(params["deadline"])),
            "full",
            language=resolve_language(lang),
        )
    )


def test_relative_wording_is_opt_in() -> None:
    params = dict(example("deadline-offer", "de"), deadline="2026-11-25")
    doc = phrasebook.render("deadline-offer", "de", params, today=TUESDAY)
    assert "spätestens am Mittwoch, 25. November 2026." in doc.text
    assert "morgen" not in doc.text


# --- templates see the plan -----------------------------------------------------------


def test_templates_can_use_the_fallback(tmp_path) -> None:
    built_in = load_catalog()
    specs = tmp_path / "specs"
    shutil.copytree(built_in.specs, specs)
    for lang in ("de", "en"):
        (tmp_path / "templates" / lang).mkdir(parents=True)
        (tmp_path / "templates" / lang / "deadline-offer.jinja").write_text(
            "{% set subject_line %}x{% endset %}"
            "{% if plan %}{{ plan.internal | date('short') }} {{ plan.fallback | date('short') }} "
            "{{ plan.promised | date('short') }} {{ plan.concede_days }}{% else %}fixed{% endif "
            "%}\n",
            encoding="utf-8",
        )
    catalog = Catalog(specs=specs, templates=tmp_path / "templates")
    doc = phrasebook.render("deadline-offer", "de", planned("de"), today=MONDAY, catalog=catalog)
    assert doc.body == "30.11.26 01.12.26 02.12.26 1\n"
    doc = phrasebook.render(
        "deadline-offer", "de", example("deadline-offer", "de"), today=MONDAY, catalog=catalog
    )
    assert doc.body == "fixed\n"


# --- the spec rules -------------------------------------------------------------------

BASE = {"title": {"de": "T", "en": "T"}, "summary": {"de": "S", "en": "S"}}
HELP = {"help": {"de": "h", "en": "h"}}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"one_of": [["a"]]}, "one_of: a group needs at least two different parameters"),
        ({"one_of": [["a", "zz"]]}, "one_of: unknown parameter 'zz'"),
        ({"one_of": [["a", "c"]]}, "one_of: 'c' always has a value, so the rule would never apply"),
        ({"checks": ["planing"]}, "unknown check 'planing' (did you mean 'planning'?)"),
    ],
)
def test_spec_rules_are_checked(extra: dict, message: str) -> None:
    data = dict(
        BASE,
        params={"a": dict(HELP, required=False), "b": dict(HELP, required=False), "c": dict(HELP)},
        **extra,
    )
    with pytest.raises(
        SpecError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        parse_scenario("x", data, "x.yaml", ["de", "en"])


def test_one_of_in_any_scenario() -> None:
    data = dict(
        BASE,
        params={"a": dict(HELP, required=False), "b": dict(HELP, required=False)},
        one_of=[["a", "b"]],
    )
    scenario = parse_scenario("x", data, "x.yaml", ["de", "en"])
    assert scenario.validate({"a": "1"}, DE) == {"a": "1", "b": None}
    with pytest.raises(InvalidParams, match="a or b: missing; give one of them"):
        scenario.validate({}, DE)
