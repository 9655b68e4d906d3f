"""`phrasebook promises` and `--log`: what each scenario promises, the listing in every
format, filters, colours, done/cancel/move, the capacity check, faults and concurrent runs."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from batchkit import GOOD, row, write_csv
from samples import fixture_path

from phrasebook.cli import cli
from phrasebook.cli.promises import use_colour
from phrasebook.ledger import open_ledger

TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data and config directory of each test's own: every test starts with no ledger."""
    folder = tmp_path / "data"
    monkeypatch.setenv("PHRASEBOOK_DATA_DIR", str(folder))
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path / "config"))
    return folder


def invoke(runner: Any, *args: str) -> Any:
    return runner.invoke(cli, list(args))


def render(runner: Any, scenario: str, *args: str, lang: str = "en") -> Any:
    result = invoke(runner, "render", scenario, "--lang", lang, "--params", str(fixture_path(scenario, lang)),
                    "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    return result


def listed(runner: Any, *args: str) -> list[dict[str, Any]]:
    result = invoke(runner, "promises", "--format", "json", "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_each_scenario_records_what_it_promises(runner: Any, tmp_path: Path) -> None:
    render(runner, "deadline-offer", "--log", "-o", str(tmp_path / "offer.md"), "--set", "deadline=",
           "--set", "effort_days=5")
    render(runner, "callback-promise", "--log")
    render(runner, "payment-reminder", "--log")
    render(runner, "missed-appointment", "--log")
    render(runner, "scope-decline", "--log")
    got = [(p["scenario"], p["kind"], p["what"], p["due"], p["time"], p["internal_target"], p["fallback"])
           for p in listed(runner)]
    assert got == [
        ("callback-promise", "callback", "the question about the printing costs for the catalogue",
         "2026-11-24", "16:00", None, None),
        ("missed-appointment", "appointment", "our strategy meeting", "2026-11-30", "14:00", None, None),
        ("payment-reminder", "payment", "2026/114", "2026-12-01", None, None, None),
        ("missed-appointment", "appointment", "our strategy meeting", "2026-12-02", "09:30", None, None),
        ("deadline-offer", "delivery", "the communication concept", "2026-12-03", None, "2026-12-01",
         "2026-12-02"),
        ("scope-decline", "later-phase", "a German version of the website", None, None, None, None),
    ]
    offer = next(p for p in listed(runner) if p["scenario"] == "deadline-offer")
    assert offer["client"] == "Dr. Kate Miller" and offer["file"] == str(tmp_path / "offer.md")
    assert offer["language"] == "en" and offer["written"] == TODAY


def test_render_without_log_records_nothing(runner: Any, data_dir: Path) -> None:
    render(runner, "deadline-offer")
    assert not (data_dir / "promises.sqlite3").exists()
    assert listed(runner) == []


def test_log_says_what_it_recorded(runner: Any) -> None:
    result = render(runner, "deadline-offer", "--log")
    assert result.stderr.endswith("1 promise recorded in the ledger (#1)\n")
    result = render(runner, "farewell", "--log", "--set", "final_invoice=", "--set", "open_items=")
    assert result.stderr.endswith("Note: this text makes no promise to record\n")


def test_writing_the_same_document_again_updates_its_entry(runner: Any, tmp_path: Path) -> None:
    out = str(tmp_path / "offer.md")
    render(runner, "deadline-offer", "--log", "-o", out)
    render(runner, "deadline-offer", "--log", "-o", out, "--force", "--set", "deadline=2026-12-04", "--lang", "de")
    render(runner, "deadline-offer", "--log")  # to standard output: a document of its own
    render(runner, "deadline-offer", "--log", "--set", "deadline=2026-12-07")  # ... and the same again
    assert [(p["id"], p["due"], p["file"]) for p in listed(runner)] == [
        (1, "2026-12-04", out), (2, "2026-12-07", None),
    ]
    history = invoke(runner, "promises", "history", "1")
    assert history.stdout == (
        "#1 Dr. Kate Miller: the communication concept (deadline-offer)\n"
        "  2026-11-24  written: 2026-12-02\n"
        "  2026-11-24  written again: 2026-12-02 → 2026-12-04\n"
    )


def _ledger_of_three(runner: Any) -> None:
    render(runner, "deadline-offer", "--log", "--set", "deadline=", "--set", "effort_days=5")
    render(runner, "callback-promise", "--log", "--set", "callback_day=2026-11-23", "--today", "2026-11-23")
    render(runner, "payment-reminder", "--log", "--set", "new_due_date=2026-11-26")
    render(runner, "scope-decline", "--log", "--set", "later_phase=yes")


def test_the_table_in_english_overdue_and_due_today_first(runner: Any) -> None:
    _ledger_of_three(runner)
    result = invoke(runner, "promises", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ID  Due                   When           Client           Kind         What"
        "                                      Internal target  Fallback\n"
        "#2  23 Nov 2026, 4:00 pm  1 day overdue  James Walker     callback     the question about the printing"
        " costs f…\n"
        "#3  26 Nov 2026           in 2 days      James Walker     payment      2026/114\n"
        "#1  3 Dec 2026            in 9 days      Dr. Kate Miller  delivery     the communication concept"
        "                 1 Dec 2026       2 Dec 2026\n"
        "#4  -                     no date        Dr. Kate Miller  later phase  a German version of the website\n"
    )
    assert "\x1b[" not in result.output  # not a terminal: no colours


def test_the_table_in_german(runner: Any) -> None:
    _ledger_of_three(runner)
    result = invoke(runner, "promises", "--today", "2026-11-26", "--lang", "de", "--due", "0d")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Nr.  Fällig                 Wann               Kunde         Art      Was\n"
        "#2   23.11.2026, 16:00 Uhr  3 Tage überfällig  James Walker  Rückruf  the question about the printing"
        " costs f…\n"
        "#3   26.11.2026             heute              James Walker  Zahlung  2026/114\n"
    )


def test_filters(runner: Any) -> None:
    _ledger_of_three(runner)
    assert [p["id"] for p in listed(runner, "--due", "7d")] == [2, 3]
    assert [p["id"] for p in listed(runner, "--due", "2w")] == [2, 3, 1]
    assert [p["id"] for p in listed(runner, "--overdue")] == [2]
    assert [p["id"] for p in listed(runner, "--client", "miller")] == [1, 4]
    assert [p["id"] for p in listed(runner, "--scenario", "payment-reminder")] == [3]
    # --today decides: a week later everything dated is overdue
    later = listed(runner, "--overdue", "--today", "2026-12-04")
    assert [(p["id"], p["state"], p["days"]) for p in later] == [(2, "overdue", -11), (3, "overdue", -8),
                                                                 (1, "overdue", -1)]
    typo = invoke(runner, "promises", "--scenario", "payment-remider")
    assert typo.exit_code == 2
    assert "unknown scenario 'payment-remider' (did you mean 'payment-reminder'?)" in typo.output
    bad = invoke(runner, "promises", "--due", "soon")
    assert bad.exit_code == 2
    assert "--due: 'soon' is not a number of days or weeks such as 7d or 2w" in bad.output


def test_json_csv_and_no_promises(runner: Any) -> None:
    empty = invoke(runner, "promises", "--today", TODAY)
    assert (empty.exit_code, empty.stdout) == (0, "No open promises.\n")
    assert invoke(runner, "promises", "-f", "json").stdout == "[]\n"
    _ledger_of_three(runner)
    text = invoke(runner, "promises", "-f", "csv", "--today", TODAY).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["2", "3", "1", "4"]
    assert rows[2]["internal_target"] == "2026-12-01" and rows[3]["due"] == ""
    assert rows[0] == {**rows[0], "state": "overdue", "days": "-1", "time": "16:00"}


def test_the_calendar_has_stable_uids(runner: Any) -> None:
    _ledger_of_three(runner)
    first = invoke(runner, "promises", "-f", "ics", "--today", TODAY).stdout
    assert invoke(runner, "promises", "move", "3", "2026-12-08", "--today", TODAY).exit_code == 0
    second = invoke(runner, "promises", "-f", "ics", "--today", TODAY).stdout

    def events(text: str) -> dict[str, str]:
        from icalendar import Calendar

        found = {}
        for event in Calendar.from_ical(text).walk("VEVENT"):
            found[str(event["uid"])] = str(event["summary"])
        return found

    assert events(first) == events(second)  # importing again updates the same events
    assert sorted(events(first).values()) == [
        "Callback: the question about the printing costs for the catalogue (James Walker)",
        "Delivery: the communication concept (Dr. Kate Miller)",
        "Internal target: the communication concept",
        "Payment: 2026/114 (James Walker)",
    ]
    assert "DTSTART;VALUE=DATE:20261208" in second and "DTSTART;VALUE=DATE:20261126" in first
    assert "DTSTART:20261123T160000" in first  # the callback at its time


def test_done_cancel_and_move(runner: Any) -> None:
    _ledger_of_three(runner)
    assert invoke(runner, "promises", "done", "2", "--today", TODAY).stdout == "promise #2 is done\n"
    assert invoke(runner, "promises", "cancel", "4").stdout == "promise #4 is cancelled\n"
    moved = invoke(runner, "promises", "move", "3", "+3 working days", "--today", TODAY)
    assert moved.stdout == "promise #3 moved to 2026-11-27\n"
    assert [(p["id"], p["due"]) for p in listed(runner)] == [(3, "2026-11-27"), (1, "2026-12-03")]
    history = invoke(runner, "promises", "history", "3")
    assert history.stdout.splitlines()[1:] == [
        "  2026-11-24  written: 2026-11-26",
        "  2026-11-24  moved: 2026-11-26 → 2026-11-27",
    ]
    again = invoke(runner, "promises", "done", "2")
    assert again.exit_code == 2 and "promise #2 is already done" in again.output
    unknown = invoke(runner, "promises", "done", "99")
    assert unknown.exit_code == 2 and "no promise has the id 99" in unknown.output
    past = invoke(runner, "promises", "move", "3", "2026-11-20", "--today", TODAY)
    assert past.exit_code == 2 and "DATE: 2026-11-20 has passed" in past.output
    garbage = invoke(runner, "promises", "move", "3", "someday")
    assert garbage.exit_code == 2 and "'someday' is not a date" in garbage.output


def test_german_messages(runner: Any) -> None:
    _ledger_of_three(runner)
    result = runner.invoke(cli, ["promises", "done", "2", "--lang", "de"], env={"PHRASEBOOK_LANG": ""})
    assert result.stdout == "Zusage #2 ist erledigt\n"


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Terminal()) and not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(Terminal())


def test_overdue_and_today_are_coloured_on_a_terminal(runner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _ledger_of_three(runner)
    monkeypatch.setattr("phrasebook.cli.promises.use_colour", lambda stream: True)
    lines = invoke(runner, "promises", "--today", "2026-11-26").stdout.splitlines()
    assert lines[1].startswith("\x1b[31m\x1b[1m#2") and lines[2].startswith("\x1b[33m\x1b[1m#3")
    assert lines[3].startswith("#1") and lines[0].startswith("ID")


def test_plan_log_and_the_capacity_check(runner: Any) -> None:
    first = invoke(runner, "plan", "-e", "5", "--today", TODAY, "--log", "--title", "Website", "--client", "ACME")
    assert first.exit_code == 0 and first.stderr == "1 promise recorded in the ledger (#1)\n"
    second = invoke(runner, "plan", "-e", "2", "--today", TODAY, "--title", "Flyer")
    assert second.exit_code == 0
    assert second.stderr == (
        "Warning: the work up to the internal target 2026-11-26 shares 2 days (2026-11-25 to 2026-11-26) with "
        "other open promises, more than one day of work on one day: #1 ACME: Website (promised for 2026-12-03)\n"
    )
    assert len(listed(runner)) == 1  # without --log: only checked
    later = invoke(runner, "plan", "-e", "2", "--today", "2026-12-03", "--title", "Flyer")
    assert later.stderr == ""  # the work of #1 is over by then
    offer = render(runner, "deadline-offer", "--set", "deadline=", "--set", "effort_days=1")
    assert "shares 1 day (2026-11-25) with other open promises" in offer.stderr
    assert invoke(runner, "promises", "done", "1").exit_code == 0
    assert invoke(runner, "plan", "-e", "2", "--today", TODAY).stderr == ""  # done: its days are free


def test_the_same_plan_again_is_no_collision_with_itself(runner: Any) -> None:
    for _ in range(2):
        result = invoke(runner, "plan", "-e", "3", "--today", TODAY, "--log", "--title", "Website")
        assert "Warning" not in result.stderr
    assert len(listed(runner)) == 1


def test_log_always_in_the_sender_profile(runner: Any, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "me.yaml").write_text("name: Anna Schäfer\nlog: always\n", encoding="utf-8")
    render(runner, "deadline-offer")
    assert len(listed(runner)) == 1
    (config / "me.yaml").write_text("name: Anna Schäfer\nlog: sometimes\n", encoding="utf-8")
    bad = invoke(runner, "render", "deadline-offer", "--lang", "en", "--params",
                 str(fixture_path("deadline-offer", "en")), "--today", TODAY)
    assert bad.exit_code == 2
    assert "log: 'sometimes' expected always or never" in bad.output


def test_batch_log_records_each_row_once(runner: Any, tmp_path: Path) -> None:
    rows = write_csv(tmp_path / "rows.csv", [row(recipient__last_name=f"Name{n}") for n in range(6)])
    out = tmp_path / "out"
    dry = invoke(runner, "batch", "deadline-offer", str(rows), "-o", str(out), "--today", TODAY, "--log", "--dry-run",
                 "--lang", "de")
    assert dry.exit_code == 0 and listed(runner) == []
    result = invoke(runner, "batch", "deadline-offer", str(rows), "-o", str(out), "--today", TODAY, "--log",
                    "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "6 promises recorded in the ledger" in result.stderr
    again = invoke(runner, "batch", "deadline-offer", str(rows), "-o", str(out), "--today", TODAY, "--log",
                   "--force", "--set", "deadline=2026-12-04", "--lang", "de")
    assert again.exit_code == 0, again.output
    entries = listed(runner)
    assert len(entries) == 6 and {p["due"] for p in entries} == {"2026-12-04"}
    assert {p["client"] for p in entries} == {f"Katrin Name{n}" for n in range(6)}
    assert all(Path(p["file"]).parent == out for p in entries)


def test_a_damaged_ledger_is_reported_and_kept(runner: Any, data_dir: Path) -> None:
    data_dir.mkdir()
    ledger = data_dir / "promises.sqlite3"
    ledger.write_bytes(b"my notes, not a database\n" * 100)
    before = ledger.read_bytes()
    for args in (["promises"], ["promises", "done", "1"], ["plan", "-e", "2", "--log"]):
        result = invoke(runner, *args)
        assert result.exit_code == 1, result.output
        assert "is not a phrasebook promise ledger or is damaged" in result.output
        assert "Traceback" not in result.output
    assert ledger.read_bytes() == before


def test_a_newer_ledger_is_refused(runner: Any, data_dir: Path) -> None:
    import sqlite3

    open_ledger().close()  # type: ignore[union-attr]
    with sqlite3.connect(data_dir / "promises.sqlite3") as db:
        db.execute("PRAGMA user_version = 7")
    db.close()
    result = invoke(runner, "promises")
    assert result.exit_code == 1
    assert "was written by a newer phrasebook (ledger version 7, this one knows up to 2)" in result.output


def test_two_batches_and_a_done_at_once_lose_nothing(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "PHRASEBOOK_LANG": "en", "PHRASEBOOK_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "phrasebook"]
    first = subprocess.run([*command, "plan", "-e", "3", "--log", "--title", "Website", "--today", TODAY],
                           env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    runs = []
    for name in ("a", "b"):
        rows = write_csv(tmp_path / f"{name}.csv", [
            {**GOOD, "recipient.last_name": f"{name}{n}", "deadline": "2026-12-02"} for n in range(150)
        ])
        runs.append([*command, "batch", "deadline-offer", str(rows), "-o", str(tmp_path / name), "--log",
                     "--today", TODAY, "--jobs", "2", "--lang", "de"])
    runs.append([*command, "promises", "done", "1", "--today", TODAY])
    processes = [subprocess.Popen(run, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for run in runs]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    with open_ledger() as ledger:  # type: ignore[union-attr]
        entries = ledger.entries(status=None)
    assert len(entries) == 301
    assert {e.promise.client for e in entries if e.promise.scenario == "deadline-offer"} == {
        f"Katrin {name}{n}" for name in "ab" for n in range(150)
    }
    assert [e.status for e in entries if e.id == 1] == ["done"]
