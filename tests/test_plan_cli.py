"""`phrasebook plan` and `--ics`: exact output, errors, and calendar files that parse back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from samples import fixture_path

from phrasebook.cli import cli
from phrasebook.l10n import format_date, resolve_language

DE, EN = resolve_language("de"), resolve_language("en")


def plan(runner, *args: str):
    return runner.invoke(cli, ["plan", "--today", "2026-11-23", *args])


def test_plan_in_german(runner) -> None:
    result = plan(runner, "--effort-days", "5", "--buffer", "2", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Region             DE (nur bundesweite Feiertage)\n"
        "Anfrage            Montag, 23. November 2026\n"
        "Interne Zielmarke  Montag, 30. November 2026   5 Arbeitstage Arbeit\n"
        "Rückfalltermin     Dienstag, 1. Dezember 2026  + 1 Arbeitstag Puffer\n"
        "Zugesagter Termin  Mittwoch, 2. Dezember 2026  + 2 Arbeitstage Puffer\n"
        "\n"
        "Übersprungene Tage: keine\n"
    )
    assert result.stderr == ""


def test_plan_in_english_with_explanation(runner) -> None:
    result = plan(runner, "-e", "5", "--explain")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Region           DE (nationwide holidays only)\n"
        "Request          Monday, 23 November 2026\n"
        "Internal target  Monday, 30 November 2026    5 working days of work\n"
        "Fallback         Tuesday, 1 December 2026    + 1 working day of buffer\n"
        "Promised date    Wednesday, 2 December 2026  + 2 working days of buffer (40%)\n"
        "\n"
        "Skipped days: none\n"
        "\n"
        "How this was counted:\n"
        "- Working days are Monday to Friday, without the nationwide public holidays (DE) and "
        "without your own days off.\n"
        "- The day of the request does not count; counting starts with the next working day.\n"
        "- 5 working days of work end on Monday, 30 November 2026: the internal target.\n"
        "- Buffer: 40% of 5 working days, rounded up to 2 working days; the promised date is "
        "Wednesday, 2 December 2026.\n"
        "- If the client pushes back, Tuesday, 1 December 2026 can be conceded; the rest of the "
        "buffer (1 working day) then remains as real safety.\n"
    )


def test_plan_across_christmas_in_bavaria(runner) -> None:
    result = plan(
        runner,
        "-e",
        "5",
        "--start",
        "2026-12-21",
        "--received-at",
        "18:30",
        "--region",
        "de-by",
        "--closed",
        "2026-12-28..2026-12-30",
        "--debrief",
        "1",
        "--lang",
        "de",
        "--explain",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Region             DE-BY (Bayern)\n"
        "Anfrage            Montag, 21. Dezember 2026, 18:30 Uhr; zählt ab Dienstag, 22. "
        "Dezember 2026\n"
        "Interne Zielmarke  Donnerstag, 7. Januar 2027  5 Arbeitstage Arbeit + 0,5 Tage "
        "Nachbereitung "
        "(aufgerundet: 6 Arbeitstage)\n"
        "Rückfalltermin     Montag, 11. Januar 2027     + 2 Arbeitstage Puffer\n"
        "Zugesagter Termin  Dienstag, 12. Januar 2027   + 3 Arbeitstage Puffer (40\xa0%)\n"
        "\n"
        "Übersprungene Tage:\n"
        "  Freitag, 25. Dezember 2026   Erster Weihnachtstag\n"
        "  Montag, 28. Dezember 2026    eigener freier Tag\n"
        "  Dienstag, 29. Dezember 2026  eigener freier Tag\n"
        "  Mittwoch, 30. Dezember 2026  eigener freier Tag\n"
        "  Freitag, 1. Januar 2027      Neujahr\n"
        "  Mittwoch, 6. Januar 2027     Heilige Drei Könige\n"
        "\n"
        "So wurde gerechnet:\n"
        "- Arbeitstage sind Montag bis Freitag, ohne die gesetzlichen Feiertage in Bayern (DE-BY) "
        "und ohne eigene freie Tage.\n"
        "- Der Tag der Anfrage zählt nicht mit; gezählt wird ab dem nächsten Arbeitstag.\n"
        "- Die Anfrage kam um 18:30 Uhr und damit nach Feierabend (Grenze: 17:00 Uhr); sie zählt "
        "deshalb erst ab Dienstag, 22. Dezember 2026.\n"
        "- Nachbereitung: 0,5 Tage für 1 Tag Briefing (ein halber Tag je Tag Briefing), eingeplant "
        "am Anfang der Arbeit.\n"
        "- 6 Arbeitstage Arbeit enden am Donnerstag, 7. Januar 2027: die interne Zielmarke.\n"
        "- Angefangene Tage zählen voll: 5,5 Arbeitstage werden zu 6 Arbeitstagen.\n"
        "- Puffer: 40\xa0% von 5,5 Arbeitstagen, aufgerundet 3 Arbeitstage; zugesagt wird der "
        "Dienstag, 12. Januar 2027.\n"
        "- Drängt die Kundin oder der Kunde, ist der Montag, 11. Januar 2027 als Entgegenkommen "
        "möglich; der Rest des Puffers (2 Arbeitstage) bleibt dann als echte Reserve.\n"
    )


def test_plan_in_english_names_holidays_in_both_languages(runner) -> None:
    result = plan(runner, "-e", "3", "-b", "2", "--start", "2027-03-24")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "Skipped days:\n"
        "  Friday, 26 March 2027  Good Friday (Karfreitag)\n"
        "  Monday, 29 March 2027  Easter Monday (Ostermontag)\n"
    )
    assert "Promised date    Friday, 2 April 2027" in result.stdout


def test_plan_in_sachsen_skips_buss_und_bettag(runner) -> None:
    result = runner.invoke(
        cli, ["plan", "--today", "2026-11-16", "-e", "5", "-b", "2", "-r", "DE-SN", "-l", "de"]
    )
    assert result.exit_code == 0, result.output
    assert "Zugesagter Termin  Donnerstag, 26. November 2026" in result.stdout
    assert "  Mittwoch, 18. November 2026  Buß- und Bettag\n" in result.stdout


def test_plan_on_a_saturday_and_without_buffer(runner) -> None:
    result = plan(runner, "-e", "2", "-b", "0", "--start", "2026-11-28", "--explain", "-l", "en_US")
    assert result.exit_code == 0, result.output
    assert (
        "Request          Saturday, November 28, 2026; counts from Monday, November 30, 2026\n"
        in (result.stdout)
    )
    assert "- Saturday, November 28, 2026, is not a business day, so the request counts from " in (
        result.stdout
    )
    assert result.stdout.endswith("- Without a buffer there is no room to negotiate.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-e", "5", "-r", "DE-BX"],
            "Error: region: 'DE-BX' is not a region of DE (did you mean 'DE-BB', 'DE-BE', "
            "'DE-BW' or "
            "'DE-BY'?); valid codes: DE, DE-BB, DE-BE, DE-BW, DE-BY, DE-HB, DE-HE, DE-HH, DE-MV, "
            "DE-NI, DE-NW, DE-RP, DE-SH, DE-SL, DE-SN, DE-ST, DE-TH\n",
        ),
        (
            ["-e", "5", "-r", "Bayern"],
            "Error: region: 'Bayern' is not a known region; valid codes: DE, ",
        ),
        (["-e", "5", "-b", "-1"], "Error: buffer: '-1' must not be negative\n"),
        (
            ["-e", "5", "-b", "80"],
            "Error: buffer: 80 means 80 working days, more than 10 times the 5 days of work\n",
        ),
        (["-e", "lots"], "Error: effort_days: 'lots' is not a number of days (e.g. 5 or 2.5)\n"),
        (["-e", "100000"], "Error: effort_days: 100000 is more than 250 working days\n"),
        (
            ["-e", "5", "--start", "2026-10-01"],
            "Error: start: 2026-10-01 is too far back: the promised date 2026-10-12 would be "
            "before "
            "today (2026-11-23)\n",
        ),
        (["-e", "5", "--received-at", "25:00"], "'25:00' is not a time in the form HH:MM"),
        (
            ["-e", "5", "--closed", "2026-12-24..2026-12-01"],
            "Error: closures: item 1: '2026-12-24..2026-12-01' ends before it begins\n",
        ),
    ],
)
def test_plan_errors(runner, args: list[str], message: str) -> None:
    result = plan(runner, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_plan_starts_today_by_default(runner) -> None:
    result = runner.invoke(cli, ["plan", "--today", "2026-11-24", "-e", "1", "-b", "0"])
    assert "Request          Tuesday, 24 November 2026\n" in result.stdout
    assert "Promised date    Wednesday, 25 November 2026" in result.stdout


# --- calendar files ------------------------------------------------------------------------


def _events(path: Path) -> list:
    from icalendar import Calendar

    calendar = Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_plan_ics_parses_back_with_the_same_dates(runner, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    args = [
        "-e",
        "5",
        "-b",
        "2",
        "--debrief",
        "1",
        "-r",
        "DE-BY",
        "--title",
        "das Konzept",
        "-l",
        "de",
        "--ics",
        str(target),
    ]
    result = plan(runner, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Kalender geschrieben: {target} (3 Einträge)\n"
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    internal, promised, debrief = _events(target)
    assert str(internal["summary"]) == "Interne Zielmarke: das Konzept"
    assert internal.decoded("dtstart") == dt.date(2026, 12, 1)
    assert internal.decoded("dtend") == dt.date(2026, 12, 2)
    assert str(promised["summary"]) == "Zugesagter Termin: das Konzept"
    assert promised.decoded("dtstart") == dt.date(2026, 12, 3)
    assert str(promised["transp"]) == "TRANSPARENT"
    start, end = debrief.decoded("dtstart"), debrief.decoded("dtend")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-11-24T09:00:00+01:00",
        "2026-11-24T13:00:00+01:00",
    )
    assert b"DTSTART;TZID=Europe/Berlin:20261124T090000" in raw
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin" in raw
    assert all(str(e["uid"]).endswith("@phrasebook") for e in (internal, promised, debrief))
    # The table shows the same dates in Babel's format.
    for event in (internal, promised):
        assert format_date(event.decoded("dtstart"), "full", language=DE) in result.stdout
    # The description carries the fallback for the negotiation.
    assert "Rückfalltermin: Mittwoch, 2. Dezember 2026" in str(promised["description"])


def test_ics_uids_and_bytes_are_stable(runner, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert plan(runner, "-e", "5", "--ics", str(first)).exit_code == 0
    assert plan(runner, "-e", "5", "--ics", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert len({str(e["uid"]) for e in _events(first)}) == 2
    assert b"DTSTAMP:20261123T000000Z" in first.read_bytes()


def test_ics_is_not_overwritten_without_force(runner, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    target.write_text("keep me", encoding="utf-8")
    result = plan(runner, "-e", "5", "--ics", str(target))
    assert result.exit_code == 1
    assert "already exists; use --force to replace it" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert plan(runner, "-e", "5", "--ics", str(target), "--force").exit_code == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_render_deadline_offer_ics_matches_the_letter(runner, tmp_path: Path, lang: str) -> None:
    target = tmp_path / "offer.ics"
    result = runner.invoke(
        cli,
        [
            "render",
            "deadline-offer",
            "--example",
            "--lang",
            lang,
            "--today",
            "2026-11-23",
            "--set",
            "deadline=",
            "--set",
            "effort_days=5",
            "--set",
            "buffer=2",
            "--ics",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    internal, promised = _events(target)
    assert promised.decoded("dtstart") == dt.date(2026, 12, 2)
    assert internal.decoded("dtstart") == dt.date(2026, 11, 30)
    language = resolve_language(lang)
    assert format_date(dt.date(2026, 12, 2), "full", language=language) in result.stdout
    assert str(promised["summary"]).endswith(
        "das Kommunikationskonzept" if lang == "de" else "the communication concept"
    )
    who = "Dr. Katrin Müller" if lang == "de" else "Dr. Kate Miller"
    assert who in str(promised["description"])


def test_render_ics_for_a_fixed_deadline_with_a_time(runner, tmp_path: Path) -> None:
    target = tmp_path / "offer.ics"
    result = runner.invoke(
        cli,
        [
            "render",
            "deadline-offer",
            "--params",
            fixture_path("deadline-offer", "de"),
            "--lang",
            "de",
            "--today",
            "2026-11-24",
            "--set",
            "deadline_time=12:00",
            "--ics",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    (promised,) = _events(target)
    assert promised.decoded("dtstart").isoformat() == "2026-12-02T12:00:00+01:00"
    assert "dtend" not in promised
    assert "spätestens am Mittwoch, 2. Dezember 2026 um 12:00 Uhr." in result.stdout


# --------------------------------------------------------------------------- --format json / ics

CHRISTMAS = ("-e", "5", "--start", "2026-12-21", "--received-at", "18:30", "--region", "de-by",
             "--closed", "2026-12-28..2026-12-30", "--debrief", "1")


def test_plan_as_json_for_scripts(runner) -> None:
    result = plan(runner, *CHRISTMAS, "--lang", "de", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = {
        "region": {"code": "DE-BY", "name": "Bayern", "nationwide_only": False, "catholic": False},
        "request": {"day": "2026-12-21", "time": "18:30", "cutoff": "17:00", "counts_from": "2026-12-22"},
        "work": {"effort_days": 5, "briefing_days": 1, "follow_up_days": 0.5, "working_days": 6},
        "internal_target": "2027-01-07",
        "fallback": "2027-01-11",
        "promised": "2027-01-12",
        "buffer": {"working_days": 3, "percent": 40, "kept_at_fallback": 2, "concedable": 1},
        "skipped": [
            {"day": "2026-12-25", "kind": "holiday", "reason": "Erster Weihnachtstag"},
            {"day": "2026-12-28", "kind": "closure", "reason": "eigener freier Tag"},
            {"day": "2026-12-29", "kind": "closure", "reason": "eigener freier Tag"},
            {"day": "2026-12-30", "kind": "closure", "reason": "eigener freier Tag"},
            {"day": "2027-01-01", "kind": "holiday", "reason": "Neujahr"},
            {"day": "2027-01-06", "kind": "holiday", "reason": "Heilige Drei Könige"},
        ],
        "language": "de-DE",
    }
    assert result.stdout == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert result.stderr == ""


def test_plan_as_json_in_english_with_a_fixed_buffer_and_the_explanation(runner) -> None:
    result = plan(runner, "-e", "2.5", "-b", "2", "--region", "AT", "--lang", "en_US",
                  "--format", "json", "--explain", "--start", "2026-12-07")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["region"] == {"code": "AT", "name": None, "nationwide_only": True, "catholic": False}
    assert record["work"] == {"effort_days": 2.5, "briefing_days": 0, "follow_up_days": 0, "working_days": 3}
    assert record["buffer"] == {"working_days": 2, "percent": None, "kept_at_fallback": 1, "concedable": 1}
    assert record["skipped"] == [
        {"day": "2026-12-08", "kind": "holiday", "reason": "Immaculate Conception (Mariä Empfängnis)"}
    ]
    assert (record["internal_target"], record["fallback"], record["promised"]) == (
        "2026-12-11", "2026-12-14", "2026-12-15"
    )
    assert record["language"] == "en-US"
    assert record["explanation"][2] == "3 business days of work end on Friday, December 11, 2026: the internal target."


def test_format_ics_is_the_calendar_on_standard_output(runner, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    assert plan(runner, *CHRISTMAS, "--title", "das Konzept", "--ics", str(target)).exit_code == 0
    for args in (("--format", "ics"), ("--ics", "-"), ("-f", "ics", "--ics", "-")):
        result = plan(runner, *CHRISTMAS, "--title", "das Konzept", *args)
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == target.read_bytes()
        assert result.stderr == ""
    assert not Path("-").exists()


def test_ics_on_standard_output_and_json_do_not_mix(runner) -> None:
    result = plan(runner, "-e", "5", "--ics", "-", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --ics - and --format json both write to standard output; choose one\n"
    )
