"""The letter frame: DIN 5008 salutations and English greetings for every combination."""

from __future__ import annotations

import pytest
from conftest import TODAY

import phrasebook

BASE = {
    "sender": {"name": "Anna Schäfer"},
    "deliverable": "den Entwurf",
    "deadline": "2026-12-02",
}


def first_line(lang: str, **recipient) -> str:
    params = dict(BASE, formality=recipient.pop("formality", "formal"), recipient=recipient)
    return phrasebook.render("deadline-offer", lang, params, today=TODAY).body.splitlines()[0]


@pytest.mark.parametrize(
    ("lang", "recipient", "expected"),
    [
        ("de", {"gender": "female", "title": "Dr.", "last_name": "Müller"}, "Sehr geehrte Frau Dr. Müller,"),
        ("de", {"gender": "male", "last_name": "Müller"}, "Sehr geehrter Herr Müller,"),
        ("de", {"gender": "male", "title": "Prof. Dr.", "last_name": "Weiß"}, "Sehr geehrter Herr Professor Weiß,"),
        ("de", {"gender": "neutral", "first_name": "Alex", "last_name": "Müller"}, "Guten Tag Alex Müller,"),
        ("de", {"formality": "informal", "gender": "female", "first_name": "Anna", "last_name": "Roth"}, "Liebe Anna,"),
        ("de", {"formality": "informal", "gender": "male", "first_name": "Jonas", "last_name": "Roth"},
         "Lieber Jonas,"),
        ("de", {"formality": "informal", "gender": "neutral", "first_name": "Alex", "last_name": "Roth"},
         "Hallo Alex,"),
        ("en", {"gender": "female", "last_name": "Miller"}, "Dear Ms Miller,"),
        ("en", {"gender": "male", "last_name": "Miller"}, "Dear Mr Miller,"),
        ("en", {"gender": "female", "title": "Dr.", "last_name": "Miller"}, "Dear Dr Miller,"),
        ("en", {"gender": "male", "title": "Prof. Dr.", "last_name": "Miller"}, "Dear Professor Miller,"),
        ("en", {"gender": "neutral", "first_name": "Alex", "last_name": "Miller"}, "Dear Alex Miller,"),
        ("en", {"formality": "informal", "gender": "male", "first_name": "Tom", "last_name": "Miller"}, "Hi Tom,"),
        ("en_US", {"gender": "female", "last_name": "Miller"}, "Dear Ms. Miller,"),
        ("en_US", {"gender": "male", "title": "Dr.", "last_name": "Miller"}, "Dear Dr. Miller,"),
    ],
)
def test_salutation(lang: str, recipient: dict, expected: str) -> None:
    assert first_line(lang, **recipient) == expected


@pytest.mark.parametrize(
    ("lang", "formality", "closing"),
    [("de", "formal", "Mit freundlichen Grüßen"), ("de", "informal", "Viele Grüße"),
     ("en", "formal", "Kind regards"), ("en", "informal", "Best wishes")],
)
def test_closing_and_signature(lang: str, formality: str, closing: str) -> None:
    params = dict(
        BASE, formality=formality,
        recipient={"gender": "female", "first_name": "Anna", "last_name": "Roth"},
        sender={"name": "Anna Schäfer", "company": "Schäfer Kommunikation"},
    )
    body = phrasebook.render("deadline-offer", lang, params, today=TODAY).body
    assert body.endswith(f"\n\n{closing}\nAnna Schäfer\nSchäfer Kommunikation\n")
    md = phrasebook.render("deadline-offer", lang, params, today=TODAY, fmt="md").body
    assert md.endswith(f"\n\n{closing}\\\nAnna Schäfer\\\nSchäfer Kommunikation\n")


def test_us_english_dates() -> None:
    params = dict(BASE, recipient={"gender": "female", "last_name": "Miller"}, deliverable="the draft")
    body = phrasebook.render("deadline-offer", "en_US", params, today=TODAY).body
    assert "by Wednesday, December 2, 2026, at the latest." in body


@pytest.mark.parametrize(
    ("lang", "title", "expected"),
    [
        ("en", "Dr", "Dear Dr Miller,"),
        ("en", "Dr.", "Dear Dr Miller,"),
        ("en_US", "Dr", "Dear Dr. Miller,"),
        ("en_US", "Dr.", "Dear Dr. Miller,"),
        ("en", "Prof Dr", "Dear Professor Miller,"),
        ("en_US", "Prof. Dr.", "Dear Professor Miller,"),
        ("en", "Professor", "Dear Professor Miller,"),
    ],
)
def test_english_titles_follow_the_locale_and_any_professor_is_professor(lang, title, expected) -> None:
    assert first_line(lang, gender="female", title=title, last_name="Miller") == expected


@pytest.mark.parametrize(("lang", "expected"), [("en", "Professor Walker"), ("en_US", "Dr. Walker")])
def test_the_phone_script_says_the_title_as_the_letters_write_it(lang, expected) -> None:
    from samples import example

    title = "Prof." if expected.startswith("Professor") else "Dr"
    params = {**example("callback-promise", "en"), "channel": "phone"}
    params["recipient"] = {**params["recipient"], "title": title}
    body = phrasebook.render("callback-promise", lang, params, today=TODAY).body
    assert f"Thank you for calling, {expected}." in body
