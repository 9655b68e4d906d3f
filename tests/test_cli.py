"""The command line: exact output, exit codes and error messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOLDEN

import phrasebook
from phrasebook.cli import cli

EXAMPLE = "tests/fixtures/examples/deadline-offer.de.yaml"


def test_version(runner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"phrasebook, version {phrasebook.__version__}\n"


def test_list_in_german(runner) -> None:
    result = runner.invoke(cli, ["list", "--lang", "de"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.startswith("  ")]
    assert sorted(line.split()[0] for line in rows) == sorted(phrasebook.load_catalog().names())
    assert lines[0] == "Termine und Erreichbarkeit:"
    assert "Umfang und Geld:" in lines and "Regeln der Zusammenarbeit:" in lines and "Abschiede:" in lines
    assert "Weitere Szenarien:" not in lines
    assert any(
        line.startswith("  deadline-offer") and "festen Termin mit eingebautem Puffer" in line
        for line in lines
    )


def test_render_example_to_stdout_matches_golden(runner) -> None:
    result = runner.invoke(
        cli, ["render", "deadline-offer", "--lang", "de", "--params", EXAMPLE, "--today", "2026-11-24"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "de" / "deadline-offer.txt").read_text(encoding="utf-8")
    assert result.stderr == ""


def test_example_flag_equals_params_file(runner) -> None:
    a = runner.invoke(cli, ["render", "deadline-offer", "-l", "en", "--example", "--today", "2026-11-24"])
    b = runner.invoke(
        cli,
        ["render", "deadline-offer", "-l", "en", "-p", "phrasebook/examples/deadline-offer.en.yaml",
         "--today", "2026-11-24"],
    )
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout


def test_set_overrides_params_file(runner) -> None:
    result = runner.invoke(
        cli,
        ["render", "deadline-offer", "--lang", "de", "--params", EXAMPLE, "--today", "2026-11-24",
         "--set", "deadline=2026-12-09", "--set", "recipient.gender=male", "--set", "points=Eins",
         "--set", "points=Zwei"],
    )
    assert result.exit_code == 0, result.stderr
    assert "Sehr geehrter Herr Dr. Müller," in result.stdout
    assert "spätestens am Mittwoch, 9. Dezember 2026." in result.stdout
    assert "- Eins\n- Zwei\n" in result.stdout


def test_render_help_lists_the_scenario_parameters(runner) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--help"])
    assert result.exit_code == 0
    assert "Parameters (--set NAME=VALUE):" in result.stdout
    for name in ("deliverable", "deadline", "points", "recipient.last_name", "sender.name"):
        assert f"\n  {name} " in result.stdout
    assert "\n  Give exactly one of: deadline, effort_days\n" in result.stdout



@pytest.mark.parametrize(
    ("ui", "lines"),
    [
        ("en", ["  invoice_date: not after due_date\n", "  due_date: not after today\n",
                "  new_due_date: not before today\n"]),
        ("de", ["  invoice_date: nicht nach due_date\n", "  due_date: nicht nach heute\n",
                "  new_due_date: nicht vor heute\n"]),
    ],
)
def test_help_and_show_name_the_order_of_dates(ui: str, lines: list[str]) -> None:
    runner = CliRunner(env={"PHRASEBOOK_LANG": ui})
    for args in (["render", "payment-reminder", "--help"], ["show", "payment-reminder"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        for line in lines:
            assert line in result.stdout

def test_show_lists_parameters_and_example(runner) -> None:
    result = runner.invoke(cli, ["show", "deadline-offer", "--lang", "de"])
    assert result.exit_code == 0
    assert result.stdout.startswith("deadline-offer: Termin mit Puffer anbieten\n")
    assert "  deadline" in result.stdout
    assert "Beispiel (deadline-offer.de.yaml):" in result.stdout
    assert "\n  deliverable             Text, Pflicht. " in result.stdout
    assert "deliverable: das Kommunikationskonzept" in result.stdout


def test_invalid_parameters_are_all_reported_with_exit_2(runner) -> None:
    result = runner.invoke(
        cli,
        ["render", "deadline-offer", "--lang", "de", "--today", "2026-11-24", "--params", EXAMPLE,
         "--set", "dedline=2026-12-01", "--set", "deadline=31.02.2026", "--set", "recipient.gender=divers"],
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: deadline-offer: 3 problems with the parameters\n"
        "  dedline: unknown parameter (did you mean 'deadline'?)\n"
        "  deadline: '31.02.2026' is not a calendar date (expected a date as YYYY-MM-DD or DD.MM.YYYY)\n"
        "  recipient.gender: 'divers' expected one of: female, male, neutral\n"
    )
    assert "Traceback" not in result.stderr


def test_unknown_scenario_suggests_a_name(runner) -> None:
    result = runner.invoke(cli, ["render", "deadline-ofer", "--lang", "de"])
    assert result.exit_code == 2
    assert "Error: unknown scenario 'deadline-ofer' (did you mean 'deadline-offer'?)" in result.stderr


def test_unknown_language_is_exit_2(runner) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--lang", "fr", "--example"])
    assert result.exit_code == 2
    assert "Error: unknown language 'fr'; expected one of: de, de_DE, de_AT, de_CH, en, en_GB, en_US" in result.stderr


def test_missing_lang_is_a_usage_error(runner) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--example"])
    assert result.exit_code == 2
    assert "Missing option '--lang'" in result.stderr


@pytest.mark.parametrize("value", ["2026-13-01", "31.02.2026", "11/24/2026", "tomorrow"])
def test_bad_today_is_exit_2(runner, value: str) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--lang", "de", "--example", "--today", value])
    assert result.exit_code == 2
    assert f"Invalid value for '--today': {value!r} is not a date in the form YYYY-MM-DD or DD.MM.YYYY" in (
        result.stderr
    )


def test_today_is_written_as_parameters_are(runner) -> None:
    args = ["render", "deadline-offer", "--lang", "de", "--example", "--today"]
    german, iso = runner.invoke(cli, [*args, "24.11.2026"]), runner.invoke(cli, [*args, "2026-11-24"])
    assert german.exit_code == iso.exit_code == 0
    assert german.stdout == iso.stdout


def test_output_file_is_written_and_never_overwritten_without_force(runner, tmp_path: Path) -> None:
    target = tmp_path / "offer.txt"
    args = ["render", "deadline-offer", "-l", "de", "--example", "--today", "2026-11-24", "-o", str(target)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0
    assert first.stdout == ""
    written = target.read_bytes()
    assert written.startswith("Betreff: Termin für das Kommunikationskonzept".encode())

    target.write_bytes(b"keep me")
    second = runner.invoke(cli, args)
    assert second.exit_code == 1
    assert f"Error: {target} already exists; use --force to replace it" in second.stderr
    assert target.read_bytes() == b"keep me"

    third = runner.invoke(cli, [*args, "--force"])
    assert third.exit_code == 0
    assert target.read_bytes() == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["offer.txt"]


def test_planted_symlink_is_not_written_through(runner, tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    canary.write_text("untouched")
    link = tmp_path / "offer.txt"
    link.symlink_to(canary)
    args = ["render", "deadline-offer", "-l", "de", "--example", "--today", "2026-11-24", "-o", str(link)]
    assert runner.invoke(cli, args).exit_code == 1
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert canary.read_text() == "untouched"
    assert not link.is_symlink()


def test_missing_output_directory_is_a_clear_error(runner, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "offer.txt"
    result = runner.invoke(
        cli, ["render", "deadline-offer", "-l", "de", "--example", "--today", "2026-11-24", "-o", str(target)]
    )
    assert result.exit_code == 1
    assert f"Error: {target.parent}: no such directory" in result.stderr


def test_params_file_errors_name_file_and_line(runner, tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("deadline: 2026-12-02\ndeadline: 2026-12-03\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", "-p", str(bad)])
    assert result.exit_code == 2
    assert f"Error: {bad}:2: duplicate key 'deadline' (first given on line 1)" in result.stderr


def test_unexpected_errors_have_no_traceback_unless_debug(runner, monkeypatch) -> None:
    import sys

    render_module = sys.modules["phrasebook.render"]

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(render_module, "render", boom)
    args = ["render", "deadline-offer", "-l", "de", "--example"]
    quiet = runner.invoke(cli, args)
    assert quiet.exit_code == 1
    assert quiet.stderr == "Error: unexpected RuntimeError: disk on fire (run with --debug for details)\n"
    loud = runner.invoke(cli, ["--debug", *args])
    assert isinstance(loud.exception, RuntimeError)


def test_unknown_format_is_exit_2(runner) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", "--example", "-f", "docx"])
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--format' / '-f': 'docx' is not one of 'text', 'md', 'eml', 'html', 'pdf'."
        in result.stderr
    )


def test_main_maps_errors_to_exit_codes(capsys) -> None:
    from phrasebook.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["render", "nope", "--lang", "de"])
    assert exc.value.code == 2
    assert "unknown scenario 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["list", "--lang", "en"])
    assert exc.value.code == 0


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "phrasebook", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout == f"phrasebook, version {phrasebook.__version__}\n"


def test_ctrl_c_exits_130_without_traceback(monkeypatch, capsys) -> None:
    from phrasebook import cli as cli_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module.cli, "main", interrupted)
    with pytest.raises(SystemExit) as exc:
        cli_module.main(["list"])
    assert exc.value.code == 130
    assert capsys.readouterr().err == "\nAborted.\n"

@pytest.mark.parametrize("command", ["render", "rehearse"])
def test_the_example_works_on_any_day_and_a_past_date_gets_a_hint(runner, monkeypatch, command: str) -> None:
    from phrasebook.cli import session

    monkeypatch.setattr(session, "today", lambda value: value or dt.date(2031, 12, 26))
    args = [command, "deadline-offer", "--example", "--lang", "de"] + (["--print"] if command == "rehearse" else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert "2032" in result.stdout
    past = runner.invoke(cli, [*args, "--set", "deadline=2031-12-01"])
    assert past.exit_code == 2
    assert "deadline: 2031-12-01 is in the past (today is 2031-12-26)" in past.stderr
    assert past.stderr.rstrip().endswith(
        "Dates can be written relative to the day of writing, e.g. +7 working days or -2 weeks; "
        "--today DATE writes as of another day."
    )


def test_a_directory_that_cannot_take_files_is_a_one_line_error(runner, tmp_path: Path, monkeypatch) -> None:
    from phrasebook.output import OutputDirectory

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(OutputDirectory, "temp", refuse)
    target = tmp_path / "offer.txt"
    args = ["render", "deadline-offer", "-l", "de", "--example", "--today", "2026-11-24", "-o", str(target)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: cannot write (Permission denied)\n"


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "phrasebook", "show", "deadline-offer", "--lang", "de"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent,
    )
    proc.stdout.close()  # like `| head` that has already gone: the first write fails
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert stderr == ""


@pytest.mark.parametrize(("ui", "expected"), [("en", "yes/no, default: no."), ("de", "ja/nein, Vorgabe: nein.")])
def test_yes_no_defaults_are_shown_as_they_are_written(runner, monkeypatch, ui: str, expected: str) -> None:
    monkeypatch.setenv("PHRASEBOOK_LANG", ui)
    result = runner.invoke(cli, ["show", "deadline-offer", "--lang", ui])
    assert result.exit_code == 0
    assert expected in result.stdout
    assert "False" not in result.stdout


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_never_replaced_by_a_letter(runner) -> None:
    args = ["render", "deadline-offer", "-l", "de", "--example", "--today", "2026-11-24", "-o", "/dev/null"]
    result = runner.invoke(cli, [*args, "--force"])
    assert result.exit_code == 1
    assert result.stderr == "Error: /dev/null is not a regular file\n"
    assert not Path("/dev/null").is_file()


def test_a_spec_with_an_unknown_group_is_refused() -> None:
    from phrasebook.errors import SpecError
    from phrasebook.specfile import parse_scenario

    data = {"title": {"en": "T"}, "summary": {"en": "S"}, "group": "money-talk", "params": {}}
    with pytest.raises(SpecError, match="group must be one of"):
        parse_scenario("x", data, "x.yaml", ["en"])
