"""progress-nudge: the client's overdue part, the date re-planned with the planner, a day to deliver by."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from samples import assert_every_variant_reads_cleanly, changed, example

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams
from phrasebook.planning import make_plan
from phrasebook.rehearse import load_script

#: Every branch of the letter: the date moves or holds, each kind of part, the default day.
BRANCHES = [
    {},
    {"promised_date": "2026-12-10"},
    {"missing": "material", "deliver_by": None},
    {"missing": "access", "effort_days": "0.5", "buffer": "0"},
    {"promised_date": "2026-12-10", "missing": "access", "deliver_by": "2026-11-25"},
    {"closures": ["2026-11-30..2026-12-04"], "region": "DE-BY"},
]
ITEMS = {"de": {"material": "die Texte für die Über-uns-Seite", "access": "den Zugang zum CMS"},
         "en": {"material": "the texts for the About page", "access": "access to the CMS"}}


def _items(change: dict, lang: str) -> dict:
    """``change`` with the missing item written in ``lang`` when it names another kind."""
    if change.get("missing") in ITEMS[lang[:2]]:
        return dict(change, missing_item=ITEMS[lang[:2]][change["missing"]])
    return change


def _params(base: dict, change: dict, lang: str = "de") -> dict:
    return changed(base, _items(change, lang))


def _render(lang: str, change: dict, today: dt.date = TODAY):
    params = _params(example("progress-nudge", lang), change, lang)
    return phrasebook.render("progress-nudge", lang, params, today=today)


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("number", range(len(BRANCHES)))
def test_every_branch_and_variant_reads_cleanly(lang: str, number: int) -> None:
    assert_every_variant_reads_cleanly("progress-nudge", lang, _items(BRANCHES[number], lang), today=TODAY)


@pytest.mark.parametrize(
    ("lang", "change", "sentence"),
    [
        ("de", {}, "für die neue Startseite habe ich alles so weit vorbereitet, dass ich als Nächstes die Freigabe des "
         "ersten Entwurfs brauche. Das steht seit dem 19. November aus. Davon hängt die Richtung "
         "der nächsten Schritte ab"),
        ("de", {}, "Das verschiebt auch unseren Termin: Den 2. Dezember kann ich so nicht mehr halten. Wenn ich die "
         "Rückmeldung bis Donnerstag, 26. November 2026, bekomme, erhalten Sie die neue Startseite am Freitag, "
         "4. Dezember 2026."),
        ("de", {"promised_date": "2026-12-10", "formality": "informal"},
         "bleibt es beim vereinbarten Termin: Du erhältst die neue Startseite wie zugesagt am Donnerstag, "
         "10. Dezember 2026."),
        ("de", {}, "Können Sie mir die Freigabe des ersten Entwurfs bis zum 26. November schicken? Falls nicht, "
         "nennen Sie mir bitte einen Tag, der für Sie machbar ist"),
        ("de", {"missing": "access", "formality": "informal"}, "Kannst du mir den Zugang zum CMS bis zum 26. November "
         "geben?"),
        ("de", {"missing": "material"}, "Wenn ich das Material bis Donnerstag"),
        ("en", {}, "I am getting in touch about the new home page. Everything on my side is ready for the next step, "
         "and for that I need your feedback on the first draft, outstanding since 19 November."),
        ("en", {"missing": "material"}, "I need the texts for the About page, outstanding since 19 November."),
        ("en", {}, "This also moves our delivery date: I can no longer keep to 2 December. If I have your feedback by "
         "Thursday, 26 November 2026, you will receive the new home page on Friday, 4 December 2026."),
        ("en", {"promised_date": "2026-12-10"}, "our agreed date still stands: you will receive the new home page on "
         "Thursday, 10 December 2026, as promised."),
        ("en", {"missing": "access"}, "Could you give me access to the CMS by 26 November?"),
    ],
)
def test_what_the_letter_says(lang: str, change: dict, sentence: str) -> None:
    assert sentence in _render(lang, change).body


def test_the_new_date_comes_from_the_planner() -> None:
    params = _params(example("progress-nudge", "de"), {"closures": ["2026-11-30..2026-12-04"], "buffer": "2"})
    plan = make_plan(dt.date(2026, 11, 26), "4", "2", closures=["2026-11-30..2026-12-04"], today=TODAY)
    assert plan.promised == dt.date(2026, 12, 11)
    body = phrasebook.render("progress-nudge", "de", params, today=TODAY).body
    assert "erhalten Sie die neue Startseite am Freitag, 11. Dezember 2026." in body


def test_holidays_of_the_region_move_the_date() -> None:
    # 8 December is a holiday in Austria: the date moves one working day on.
    base = {"deliver_by": "2026-12-01", "promised_date": "2026-12-02", "effort_days": "4", "buffer": "1"}
    germany = _render("de", base).body
    austria = _render("de", dict(base, region="AT")).body
    assert "am Dienstag, 8. Dezember 2026." in germany
    assert "am Mittwoch, 9. Dezember 2026." in austria


def test_without_deliver_by_the_client_is_asked_for_the_third_working_day() -> None:
    body = _render("de", {"deliver_by": None}).body
    assert "bis zum 27. November schicken?" in body
    friday = _render("de", {"deliver_by": None, "promised_date": "2026-12-10"}, today=dt.date(2026, 11, 27)).body
    assert "bis zum 2. Dezember schicken?" in friday


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"due_date": TODAY.isoformat()},
         ["due_date: 2026-11-24 is not in the past (today is 2026-11-24); a reminder is for a part that is overdue"]),
        ({"deliver_by": "2026-11-28"},
         ["deliver_by: 2026-11-28 is a Saturday; the next working day is 2026-11-30 (Monday)"]),
        ({"promised_date": "2026-11-20"}, ["promised_date: 2026-11-20 is in the past (today is 2026-11-24)"]),
        ({"effort_days": "x", "due_date": "2026-11-30"},
         ["due_date: 2026-11-30 is not in the past (today is 2026-11-24); a reminder is for a part that is overdue",
          "effort_days: 'x' is not a number of days (e.g. 5 or 2.5)"]),
    ],
)
def test_refused_values_name_the_parameter(change: dict, expected: list[str]) -> None:
    with pytest.raises(InvalidParams) as raised:
        _render("de", change)
    assert list(raised.value.problems) == expected


@pytest.mark.parametrize(("lang", "date", "expected"), [("de", "4. Dezember", "Der Termin (4. Dezember) fehlt."),
                                                        ("en", "4 December", "The date (4 December) is missing.")])
def test_the_rehearsal_listens_for_the_new_date(lang: str, date: str, expected: str) -> None:
    script = load_script("progress-nudge", lang, example("progress-nudge", lang), today=TODAY)
    prepared = next(s for s in script.key_sentences if date in s)
    assert script.listener is not None
    assert expected in script.listener.hear("key", "Bald." if lang == "de" else "Soon.", prepared)


@pytest.mark.parametrize(("lang", "answer"), [("de", "Kein Stress, lassen Sie sich Zeit."),
                                              ("en", "No rush, take your time.")])
def test_the_rehearsal_names_giving_in(lang: str, answer: str) -> None:
    script = load_script("progress-nudge", lang, example("progress-nudge", lang), today=TODAY)
    assert script.listener is not None
    notes = script.listener.hear("objections", answer, script.objections[0].answer)
    assert notes and script.objections[0].answer in notes[0]


def test_the_calendar_entry_is_the_new_date(runner, tmp_path) -> None:
    ics = tmp_path / "termin.ics"
    result = runner.invoke(cli, [
        "render", "progress-nudge", "--lang", "de", "--example", "--today", TODAY.isoformat(),
        "--set", "due_date=2026-11-19", "--set", "promised_date=2026-12-02", "--set", "deliver_by=2026-11-26",
        "--ics", str(ics),
    ])
    assert result.exit_code == 0, result.output
    assert "DTSTART;VALUE=DATE:20261204" in ics.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", ["progress-nudge: An eine ausstehende Zuarbeit erinnern",
                "Arbeitstage, die nach dem Eingang noch nötig"]),
        ("en", ["progress-nudge: Nudge a client about their overdue part", "Working days of work left once it"]),
    ],
)
def test_show_and_help_in_both_languages(runner, lang: str, expected: list[str]) -> None:
    shown = runner.invoke(cli, ["show", "progress-nudge", "--lang", lang])
    helped = runner.invoke(cli, ["render", "progress-nudge", "--help"], env={"PHRASEBOOK_LANG": lang})
    assert shown.exit_code == 0, shown.output
    assert helped.exit_code == 0, helped.output
    for text in expected:
        assert text in " ".join(shown.stdout.split())
    assert expected[1] in " ".join(helped.stdout.split())
