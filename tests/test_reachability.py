"""reachability: days and hours, channels, response time, urgent matters, what prompted it."""

from __future__ import annotations

import pytest
from conftest import TODAY
from samples import assert_every_variant_reads_cleanly, changed, example, variants

import phrasebook
from phrasebook.errors import InvalidParams

#: Every branch of the letter: with and without the occasion, channels and emergency route.
BRANCHES = [
    {},
    {"contact": None, "contact_date": None, "contact_time": None},
    {"contact": "message", "contact_time": "10:00", "contact_date": "2026-11-23"},
    {"contact_time": None, "contact_date": "2026-11-20", "days": "mon_thu"},
    {"channels": None, "emergency": None, "response_hours": 1},
    {"channels": ["by phone"], "days": "mon_sat", "response_hours": 48},
    {"days": "tue_fri", "contact_date": "2026-11-23", "contact_time": "12:00"},
]


@pytest.mark.parametrize("lang", ["de", "en", "en_US"])
@pytest.mark.parametrize("number", range(len(BRANCHES)))
def test_every_branch_and_variant_reads_cleanly(lang: str, number: int) -> None:
    change = dict(BRANCHES[number])
    if lang == "de" and change.get("channels"):
        change["channels"] = ["telefonisch"]
    assert_every_variant_reads_cleanly("reachability", lang, change, today=TODAY)


@pytest.mark.parametrize(
    ("lang", "change", "sentence"),
    [
        ("de", {}, "vielen Dank für Ihren Anruf vom Sonntag, 22. November 2026, um 21:30 Uhr. Da er außerhalb "
         "meiner Arbeitszeiten einging, fasse ich gern kurz zusammen, wann und wie Sie mich erreichen,"),
        ("de", {"contact": "message", "contact_date": "2026-11-23", "contact_time": "10:00"},
         "vielen Dank für Ihre Nachricht vom Montag, 23. November 2026, um 10:00 Uhr. Ich nehme das gern zum Anlass,"),
        ("de", {"contact": "message", "contact_date": "2026-11-21", "contact_time": None},
         "Da sie außerhalb meiner Arbeitszeiten einging,"),
        ("de", {"contact": None, "contact_date": None, "contact_time": None, "formality": "informal"},
         "damit deine Anliegen schnell und zuverlässig bei mir ankommen, fasse ich kurz zusammen, wann und wie du "
         "mich erreichst."),
        ("de", {}, "Ich bin montags bis freitags von 09:00 Uhr bis 17:00 Uhr für Sie da. In dieser Zeit erreichen Sie "
         "mich so:\n\n- telefonisch unter 030 1234567\n"),
        ("de", {"channels": ["telefonisch unter 030 1234567"], "formality": "informal"},
         "In dieser Zeit erreichst du mich telefonisch unter 030 1234567.\n"),
        ("de", {}, "Auf Anrufe und Nachrichten antworte ich an Arbeitstagen innerhalb von 24 Stunden. Was außerhalb "
         "dieser Zeiten eingeht, bearbeite ich am nächsten Arbeitstag. Für echte Notfälle, die nicht bis dahin warten "
         "können, erreichen Sie mich per SMS unter 0171 2345678."),
        ("de", {"response_hours": 4}, "innerhalb von vier Stunden."),
        ("de", {"response_hours": 1, "days": "mon_sat"}, "montags bis samstags"),
        ("en", {}, "Thank you for your call of Sunday, 22 November 2026 at 9:30 pm. As it came in outside my working "
         "hours, I would like to take this opportunity to set out when and how you can reach me,"),
        ("en", {"formality": "informal", "contact_date": "2026-11-23", "contact_time": "10:00"},
         "Thanks for your call of Monday, 23 November 2026 at 10:00 am. Here’s a quick summary of when and how"),
        ("en", {}, "I am available Monday to Friday from 9:00 am to 5:30 pm. During these hours, you can reach me:"),
        ("en", {}, "For a genuine emergency that cannot wait until then, you can reach me by text on 07700 900123."),
        ("en", {"response_hours": 1, "emergency": None},
         "within an hour on working days, and I pick up anything that arrives outside these hours on the next "
         "working day.\n"),
    ],
)
def test_what_the_letter_says(lang: str, change: dict, sentence: str) -> None:
    params = changed(example("reachability", lang), change)
    assert sentence in phrasebook.render("reachability", lang, params, today=TODAY).body


def test_us_english_says_through_and_business_days() -> None:
    body = phrasebook.render("reachability", "en_US", example("reachability", "en"), today=TODAY).body
    assert "Monday through Friday from 9:00 AM to 5:30 PM" in body
    assert "within 24 hours on business days" in body


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_letter_does_not_apologise(lang: str) -> None:
    for _label, params in variants("reachability", lang):
        body = phrasebook.render("reachability", lang, params, today=TODAY).body.lower()
        for word in ("leider", "entschuldig", "sorry", "apolog", "unfortunately"):
            assert word not in body


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"hours_to": "08:00"}, "hours_to: 08:00 is not after hours_from (09:00)"),
        ({"hours_to": "09:00"}, "hours_to: 09:00 is not after hours_from (09:00)"),
        ({"contact_date": "2026-11-25"}, "contact_date: 2026-11-25 is in the future (today is 2026-11-24)"),
        ({"contact_date": None}, "contact_time: only used together with contact_date"),
    ],
)
def test_what_makes_no_sense_is_refused(change: dict, problem: str) -> None:
    params = changed(example("reachability", "en"), change)
    with pytest.raises(InvalidParams) as caught:
        phrasebook.render("reachability", "en", params, today=TODAY)
    assert problem in caught.value.problems



@pytest.mark.parametrize(
    ("day", "at", "days", "outside"),
    [
        ("2026-11-23", "10:00", "mon_fri", False),
        ("2026-11-23", "08:59", "mon_fri", True),
        ("2026-11-23", "17:00", "mon_fri", True),
        ("2026-11-23", None, "tue_fri", True),
        ("2026-11-21", "10:00", "mon_sat", False),
        ("2026-11-22", None, "mon_sat", True),
        ("2026-11-18", None, "mon_fri", False),
        ("2025-12-25", "10:00", "mon_fri", True),
    ],
)
def test_a_call_outside_the_hours_on_a_day_off_or_a_holiday_is_said_so(day, at, days, outside) -> None:
    params = changed(example("reachability", "en"), {"contact_date": day, "contact_time": at, "days": days,
                                                      "hours_to": "17:00"})
    body = phrasebook.render("reachability", "en", params, today=TODAY).body
    assert ("As it came in outside my working hours" in body) is outside
