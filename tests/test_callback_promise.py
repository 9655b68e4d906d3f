"""callback-promise: email and phone script, de and en, every register and gender."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from conftest import TODAY
from quality import hunspell_available, misspelled, problems
from samples import example, plural, variants

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams

D = dt.date


def _cases():
    for lang, channel, promise in itertools.product(
        ("de", "en"), ("email", "phone"), ("callback", "answer")
    ):
        for label, params in variants("callback-promise", lang):
            params = dict(params, channel=channel, promise=promise)
            yield pytest.param(lang, params, id=f"{lang}-{channel}-{promise}-{label}")


CASES = list(_cases())


@pytest.mark.parametrize(("lang", "params"), CASES)
def test_every_variant_reads_cleanly(lang: str, params: dict) -> None:
    doc = phrasebook.render("callback-promise", lang, params, today=TODAY)
    formal = params["formality"] == "formal"
    assert problems(doc.text, lang, formal=formal, plural=plural(params)) == []
    assert problems(doc.subject, lang, formal=formal, plural=plural(params)) == []
    if params["channel"] == "phone":
        # A spoken script: no subject line, no greeting, no closing.
        assert not doc.text.startswith(("Betreff:", "Subject:"))
        for frame in (
            "Sehr geehrte",
            "Liebe ",
            "Lieber ",
            "Hallo ",
            "Dear ",
            "Hi ",
            "Grüße",
            "regards",
            "wishes",
        ):
            assert frame not in doc.text
        assert len(doc.text.split()) < 80
    if lang == "de" and not formal:
        assert "Ihnen" not in doc.text and "Sie " not in doc.text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_variant_is_spelled_correctly(lang: str) -> None:
    if not hunspell_available():
        if os.environ.get("CI"):
            pytest.fail("hunspell with de_DE and en_GB is required in CI")
        pytest.skip("hunspell with de_DE and en_GB dictionaries is not installed")
    texts = []
    for case in CASES:
        case_lang, params = case.values
        if case_lang == lang:
            doc = phrasebook.render("callback-promise", lang, params, today=TODAY)
            texts += [doc.subject, doc.body]
    assert len(texts) == 2 * 2 * 2 * len(list(variants("callback-promise", lang)))
    # One hunspell run for all variants of a language keeps the suite fast.
    assert misspelled("\n".join(texts), lang) == []


def test_phone_script_in_german() -> None:
    params = dict(example("callback-promise", "de"), channel="phone")
    doc = phrasebook.render("callback-promise", "de", params, today=TODAY)
    assert doc.text == (
        "Danke für Ihren Anruf, Herr Weber. Ich habe mir die Frage zu den Druckkosten für den "
        "Katalog notiert.\n"
        "\n"
        "Damit Sie eine verlässliche Antwort bekommen, kläre ich das zuerst mit der Druckerei, "
        "statt Ihnen jetzt aus dem Stand etwas Ungefähres zu sagen.\n"
        "\n"
        "Ich rufe Sie heute bis 16:00 Uhr zurück. Erreiche ich Sie dann unter 0351 4567890?\n"
    )
    assert doc.subject == "Telefon: Rückruf heute bis 16:00 Uhr"


def test_phone_script_in_english_without_a_number() -> None:
    params = dict(example("callback-promise", "en"), channel="phone", phone=None, check_with=None)
    params = {k: v for k, v in params.items() if v is not None}
    params["recipient"] = dict(params["recipient"], title="Dr.")
    doc = phrasebook.render("callback-promise", "en", params, today=TODAY)
    assert doc.text == (
        "Thank you for calling, Dr Walker. I have made a note of the question about the printing "
        "costs for the catalogue.\n"
        "\n"
        "I would rather check this properly than give you a rough guess now, so that you get an answer "
        "you can rely on.\n"
        "\n"
        "I will call you back by 4:00 pm today. What is the best number to reach you on?\n"
    )


@pytest.mark.parametrize(
    ("lang", "changes", "sentence"),
    [
        (
            "de",
            {"relative": "nein"},
            "Ich rufe Sie am Dienstag, 24. November 2026 bis 16:00 Uhr unter",
        ),
        (
            "de",
            {"callback_day": "2026-11-25", "callback_by": "9:30"},
            "Ich rufe Sie morgen bis 09:30 Uhr unter",
        ),
        (
            "de",
            {"callback_day": "2026-11-30", "promise": "answer"},
            "Meine Antwort bekommen Sie am Montag nächster Woche (30. November) bis 16:00 Uhr.",
        ),
        (
            "en",
            {"relative": "no"},
            "I will call you back on +44 20 7946 0321 by 4:00 pm on Tuesday, 24 November 2026.",
        ),
        (
            "en",
            {"callback_day": "2026-11-25", "promise": "answer"},
            "You will have my answer by 4:00 pm tomorrow.",
        ),
    ],
)
def test_when_the_callback_happens(lang: str, changes: dict, sentence: str) -> None:
    params = dict(example("callback-promise", lang), **changes)
    doc = phrasebook.render("callback-promise", lang, params, today=TODAY)
    assert sentence in doc.text


def test_us_english_time() -> None:
    doc = phrasebook.render(
        "callback-promise", "en_US", example("callback-promise", "en"), today=TODAY
    )
    assert "by 4:00 PM today." in doc.text
    assert doc.subject == "Your request: I will call you back by 4:00 PM today"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"callback_day": "2026-11-23"},
            "callback_day: 2026-11-23 is in the past (today is 2026-11-24)",
        ),
        (
            {"callback_day": "2026-11-28"},
            "callback_day: 2026-11-28 is a Saturday; the next working day is 2026-11-30 (Monday)",
        ),
        (
            {"callback_day": "2026-12-08", "region": "AT"},
            "callback_day: 2026-12-08 is a public holiday in AT (Mariä Empfängnis); "
            "the next working day is 2026-12-09 (Wednesday)",
        ),
        ({"region": "DE-XX"}, "region: 'DE-XX' is not a region of DE"),
        ({"callback_by": "4 pm"}, "callback_by: '4 pm' expected a time as HH:MM, e.g. 16:00"),
        ({"channel": "fax"}, "channel: 'fax' expected one of: email, phone"),
    ],
)
def test_callback_problems(changes: dict, message: str) -> None:
    params = dict(example("callback-promise", "de"), **changes)
    with pytest.raises(InvalidParams) as info:
        phrasebook.render("callback-promise", "de", params, today=TODAY)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_a_phone_script_is_not_an_email() -> None:
    params = dict(example("callback-promise", "de"), channel="phone")
    with pytest.raises(InvalidParams) as info:
        phrasebook.render("callback-promise", "de", params, today=TODAY, fmt="eml")
    assert info.value.problems == (
        "channel: phone gives a script to speak, not an email; use --format text or md",
    )
    assert phrasebook.render(
        "callback-promise", "de", params, today=TODAY, fmt="md"
    ).text.startswith("---\n")


def test_callback_ics(runner, tmp_path) -> None:
    from icalendar import Calendar

    target = tmp_path / "callback.ics"
    result = runner.invoke(
        cli,
        [
            "render",
            "callback-promise",
            "--example",
            "--lang",
            "de",
            "--today",
            "2026-11-24",
            "--ics",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Kalender geschrieben: {target} (1 Eintrag)\n"
    (event,) = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Rückruf bei Markus Weber"
    assert event.decoded("dtstart").isoformat() == "2026-11-24T15:30:00+01:00"
    assert event.decoded("dtend").isoformat() == "2026-11-24T16:00:00+01:00"
    assert str(event["description"]) == (
        "Zugesagt bis 16:00 Uhr\nThema: die Frage zu den Druckkosten für den Katalog\nTelefon: "
        "0351 4567890"
    )
    assert "Ich rufe Sie heute bis 16:00 Uhr unter 0351 4567890 zurück." in result.stdout
