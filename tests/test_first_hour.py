"""The first hour of a new user: own details once, several parameter files, options where
people put them, completion, and the small things that cost newcomers time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from phrasebook.cli import cli
from phrasebook.l10n import LANGUAGES
from phrasebook.sender import SenderError, parse_sender

TODAY = ["--today", "2026-11-24"]
ME = """\
name: Jana Berger
company: Berger Design
email: jana@berger-design.example
phone: +49 89 1234567
region: BY
closures: [2026-12-24..2027-01-06]
language: de
formality: informal
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A configuration directory of this test's own."""
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(config))
    return config


@pytest.fixture
def me(home: Path) -> Path:
    path = home / "me.yaml"
    path.write_text(ME, encoding="utf-8")
    return path


# --- the sender profile ------------------------------------------------------------------


def test_a_sender_profile_reports_every_problem_at_once() -> None:
    with pytest.raises(SenderError) as exc:
        parse_sender(
            {"nmae": "Jana", "email": "jana@", "region": "Bavaria", "formality": "formel", "language": "fr",
             "closures": ["2026-02-30"]},
            "me.yaml",
        )
    lines = str(exc.value).splitlines()
    assert lines[0] == "me.yaml: 6 problems with your sender profile"
    text = "\n".join(lines)
    assert "nmae: unknown key (did you mean 'name'?)" in text
    assert "email: 'jana@'" in text
    assert "region: 'Bavaria' is not a known region" in text
    assert "formality: 'formel' expected formal or informal (did you mean 'formal'?)" in text
    assert "language: " in text
    assert "closures: item 1: '2026-02-30'" in text


def test_the_sender_profile_is_the_lowest_layer_and_replaces_the_examples_stand_in(runner: CliRunner, me) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--example", *TODAY])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("Mit freundlichen Grüßen\nJana Berger\nBerger Design\n")  # language: de
    assert "Anna Schäfer" not in result.stdout and "Schäfer Kommunikation" not in result.stdout
    over = runner.invoke(cli, ["render", "deadline-offer", "--example", "--lang", "en", *TODAY,
                               "--set", "sender.company=Berger & Partner"])
    assert over.stdout.endswith("Kind regards\nJana Berger\nBerger & Partner\n")


def test_the_examples_stand_in_stays_without_a_profile(runner: CliRunner, home) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--example", "--lang", "de", *TODAY])
    assert result.stdout.endswith("Anna Schäfer\nSchäfer Kommunikation\n")


def test_the_profiles_region_and_closures_plan_the_deadline(runner: CliRunner, me) -> None:
    args = ["render", "deadline-offer", "--example", "--today", "2026-12-18", "--set", "effort_days=3"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    # closed 24.12.–6.1.: three days of work (21.–23.12.) and a buffer of two days after the break
    assert "spätestens am Freitag, 8. Januar 2027" in result.stdout


def test_plan_takes_region_closures_and_language_from_the_profile(runner: CliRunner, me) -> None:
    result = runner.invoke(cli, ["plan", "-e", "3", "--today", "2026-12-18"])
    assert result.exit_code == 0, result.stderr
    assert "DE-BY (Bayern)" in result.stdout
    assert "Freitag, 8. Januar 2027" in result.stdout
    given = runner.invoke(cli, ["plan", "-e", "3", "--today", "2026-12-18", "--region", "DE-BE", "--lang", "en"])
    assert "DE-BE (Berlin)" in given.stdout


def test_batch_rows_use_the_profile(runner: CliRunner, me, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "recipient.gender,recipient.first_name,recipient.last_name,deliverable,deadline\n"
        "female,Lena,Fischer,den Entwurf,2026-12-03\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["batch", "deadline-offer", str(rows), "-o", str(tmp_path / "out"), *TODAY,
                                 "--format", "text"])
    assert result.exit_code == 0, result.stderr
    (written,) = (tmp_path / "out").glob("*.txt")
    text = written.read_text(encoding="utf-8")
    assert "\n\nLiebe Lena,\n\n" in text  # the profile's register: informal
    assert "Viele Grüße\nJana Berger\nBerger Design\n" in text


def test_init_writes_the_profile_from_options(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(cli, ["init", "--name", "Jana Berger", "--email", "jana@berger-design.example",
                                 "--region", "by", "--lang", "de", "--closed", "2026-12-24..2027-01-06"])
    assert result.exit_code == 0, result.stderr
    path = home / "me.yaml"
    assert result.stdout == f"wrote {path}; every command uses it from now on ('phrasebook config' shows it)\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "region: DE-BY  # public holidays where you work (BY means DE-BY)\n" in text
    assert "- 2026-12-24..2027-01-06\n" in text
    again = runner.invoke(cli, ["init", "--name", "Someone Else"])
    assert again.exit_code == 1
    assert again.stderr == f"Error: {path} already exists; use --force to replace it\n"
    assert path.read_text(encoding="utf-8") == text
    bad = runner.invoke(cli, ["init", "--force", "--email", "not-an-address", "--region", "XX"])
    assert bad.exit_code == 2
    assert "2 problems with your sender profile" in bad.stderr
    assert path.read_text(encoding="utf-8") == text  # nothing written


def test_init_asks_at_a_terminal_and_asks_again_after_a_bad_answer(runner: CliRunner, home: Path, monkeypatch) -> None:
    from phrasebook.cli import session

    monkeypatch.setattr(session, "interactive", lambda: True)
    answers = "Jana Berger\n\nnot-an-address\njana@berger-design.example\n\nBavaria\nBY\nen\nformal\n"
    result = runner.invoke(cli, ["init"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: 'not-an-address'" in result.stderr
    assert "'Bavaria' is not a known region" in result.stderr
    text = (home / "me.yaml").read_text(encoding="utf-8")
    assert "name: Jana Berger\nemail: jana@berger-design.example\nregion: DE-BY" in text
    assert "company" not in text and "phone" not in text


def test_config_shows_what_is_in_effect(runner: CliRunner, me: Path, home: Path) -> None:
    result = runner.invoke(cli, ["config"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Configuration directory  {home}"
    assert lines[1].strip() == "exists (set by PHRASEBOOK_CONFIG_DIR)"
    assert lines[2] == f"Sender profile           {me}"
    assert lines[3].strip() == "in use"
    assert f"Your details ({me}):" in lines
    assert "  region     DE-BY" in lines
    assert "  closures   2026-12-24..2027-01-06" in lines


def test_config_shows_the_promise_ledger(runner: CliRunner, me: Path, tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("PHRASEBOOK_DATA_DIR", str(data))
    ledger = data / "promises.sqlite3"

    def state() -> list[str]:
        result = runner.invoke(cli, ["config"])
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        index = lines.index(f"Promise ledger           {ledger}")
        return [lines[index + 1].strip()]

    assert state() == ["none yet; --log on render, batch or plan records what your texts promise "
                       "(set by PHRASEBOOK_DATA_DIR)"]
    assert not ledger.exists()  # config never makes it
    result = runner.invoke(cli, ["render", "deadline-offer", "--example", "-l", "de", "--log",
                                 "-o", str(tmp_path / "offer.md")])
    assert result.exit_code == 0, result.stderr
    assert state() == ["in use: 1 open promise (set by PHRASEBOOK_DATA_DIR)"]
    ledger.write_bytes(b"not a database")
    assert state() == ["cannot be read; 'phrasebook promises' says why (set by PHRASEBOOK_DATA_DIR)"]
    assert ledger.read_bytes() == b"not a database"


def test_a_broken_sender_profile_stops_every_command_with_one_clear_message(runner: CliRunner, home: Path) -> None:
    (home / "me.yaml").write_text("name: Jana\nregion: Narnia\n", encoding="utf-8")
    for args in (["render", "deadline-offer", "--example", "-l", "de"], ["plan", "-e", "2"], ["config"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, args
        assert "me.yaml: 1 problem with your sender profile" in result.stderr
        assert "Traceback" not in result.stderr


# --- parameter files, options where people put them ---------------------------------------


def test_params_files_are_layered_in_order(runner: CliRunner, tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text("recipient: {gender: male, last_name: Weber}\ndeliverable: den Entwurf\n", encoding="utf-8")
    second.write_text("recipient: {gender: female, last_name: Wagner}\n", encoding="utf-8")
    args = ["render", "deadline-offer", "-l", "de", "--example", *TODAY, "-p", str(first), "-p", str(second)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert "Sehr geehrte Frau Wagner," in result.stdout  # a new recipient: no title, no first name from below
    assert "Sie erhalten den Entwurf" in result.stdout


def test_show_example_writes_a_parameters_file_that_renders(runner: CliRunner, tmp_path: Path) -> None:
    for lang in ("de", "en"):
        shown = runner.invoke(cli, ["show", "farewell", "--lang", lang, "--example"])
        assert shown.exit_code == 0
        path = tmp_path / f"farewell.{lang}.yaml"
        path.write_text(shown.stdout, encoding="utf-8")
        from_file = runner.invoke(cli, ["render", "farewell", "-l", lang, "-p", str(path)])
        example = runner.invoke(cli, ["render", "farewell", "-l", lang, "--example"])
        assert from_file.exit_code == 0, from_file.stderr
        assert from_file.stdout == example.stdout


def test_global_options_work_after_the_command(runner: CliRunner, tmp_path: Path) -> None:
    after = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", "--set", "deadline=2020-01-01",
                                "--example", "--debug"])
    assert isinstance(after.exception, Exception) and after.exit_code != 0
    assert runner.invoke(cli, ["new", "enquiry-reply", str(tmp_path / "team")]).exit_code == 0
    pack = str(tmp_path / "team")
    result = runner.invoke(cli, ["render", "enquiry-reply", "--lang", "de", "--example", "--pack", pack])
    assert result.exit_code == 0, result.stderr
    before = runner.invoke(cli, ["--pack", pack, "render", "enquiry-reply", "--lang", "de", "--example"])
    assert result.stdout == before.stdout
    literal = runner.invoke(cli, ["render", "deadline-offer", "-l", "en", "--example", "--", "--debug"])
    assert literal.exit_code == 2  # after "--", --debug is not an option


def test_a_new_packs_example_names_a_command_that_works(runner: CliRunner, tmp_path: Path) -> None:
    import shlex

    assert runner.invoke(cli, ["new", "status-update", str(tmp_path / "team")]).exit_code == 0
    first = (tmp_path / "team" / "examples" / "status-update.en.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# phrasebook ")
    result = runner.invoke(cli, shlex.split(first[len("# phrasebook "):]))
    assert result.exit_code == 0, result.stderr


def test_region_codes_are_read_alike_everywhere(runner: CliRunner) -> None:
    by = runner.invoke(cli, ["plan", "-e", "2", "--today", "2027-01-05", "--region", "BY"])
    assert by.exit_code == 0, by.stderr
    assert "DE-BY (Bayern)" in by.stdout
    letter = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", "--example", "--today", "2027-01-05",
                                 "--set", "region=by", "--set", "deadline=+1 working day"])
    assert letter.exit_code == 0, letter.stderr
    assert "Donnerstag, 7. Januar 2027" in letter.stdout  # 6 January is a holiday in Bavaria


def test_one_row_is_one_row(runner: CliRunner, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("recipient.last_name,recipient.gender\nWeber,male\n", encoding="utf-8")
    result = runner.invoke(cli, ["batch", "deadline-offer", str(rows), "-o", str(tmp_path / "o"), "-l", "en",
                                 "-p", "phrasebook/examples/deadline-offer.en.yaml", "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "(1 row)" in result.stderr and "1 rows" not in result.stderr


def test_lang_help_lists_exactly_what_is_accepted(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "--help"])
    assert "--lang " + "|".join(LANGUAGES) in " ".join(result.stdout.split())


def test_show_onboarding_pack_does_not_mention_eml(runner: CliRunner) -> None:
    for lang in ("de", "en"):
        result = runner.invoke(cli, ["show", "onboarding-pack", "--lang", lang])
        assert "eml" not in result.stdout.lower().replace("email", "").replace("e-mail", "")


def test_a_missing_first_name_says_that_neutral_is_the_default(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "en", "--example", *TODAY,
                                 "--set", "recipient.gender=", "--set", "recipient.first_name="])
    assert result.exit_code == 2
    assert (
        "recipient.first_name: missing, needed when recipient.gender is neutral (the default): the salutation "
        "then names the whole person; give the first name, or set recipient.gender to female or male"
    ) in result.stderr


# --- shell completion ----------------------------------------------------------------------


def _complete(words: str) -> list[str]:
    env = dict(os.environ, COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)),
               _PHRASEBOOK_COMPLETE="bash_complete")
    proc = subprocess.run([sys.executable, "-m", "phrasebook"], env=env, capture_output=True, text=True,
                          check=False, timeout=60)
    assert proc.stderr == ""
    return [line.partition(",")[2] for line in proc.stdout.splitlines()]


@pytest.mark.parametrize("command", ["render", "show", "rehearse", "batch"])
def test_completion_knows_the_scenarios(command: str) -> None:
    assert _complete(f"phrasebook {command} pay") == ["payment-reminder"]


def test_completion_knows_languages_formats_and_parameter_names() -> None:
    assert _complete("phrasebook render farewell --lang en") == [c for c in LANGUAGES if c.startswith("en")]
    assert _complete("phrasebook render farewell --format ") == ["text", "md", "eml", "html", "pdf"]
    assert _complete("phrasebook render farewell --set final_") == ["final_invoice=", "final_amount="]
    assert _complete("phrasebook rehearse farewell --set end") == ["end_date="]



def test_show_example_leaves_the_stand_in_sender_to_the_profile(runner: CliRunner, me: Path, tmp_path: Path) -> None:
    shown = runner.invoke(cli, ["show", "callback-promise", "--example", "--lang", "en"])
    assert "Anna Schäfer" not in shown.stdout and "phone:" not in shown.stdout
    assert "# sender: your own details come from your sender profile ('phrasebook config')\n" in shown.stdout
    path = tmp_path / "callback.yaml"
    path.write_text(shown.stdout, encoding="utf-8")
    result = runner.invoke(cli, ["render", "callback-promise", "-p", str(path), "--lang", "en", *TODAY])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("Jana Berger\nBerger Design\n")


def test_without_a_profile_a_missing_sender_points_to_init(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "en", *TODAY, "--set", "deliverable=the draft",
                                 "--set", "recipient.last_name=Miller", "--set", "recipient.gender=female",
                                 "--set", "deadline=+5 working days"])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "  sender.name: missing; expected text\n"
        "Give your own name and details once with 'phrasebook init'; every command then uses them.\n"
    )


def test_batch_accepts_placeholders_only_when_asked(runner: CliRunner, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("recipient.last_name,recipient.gender,deliverable\n[Name],male,den Entwurf\n", encoding="utf-8")
    args = ["batch", "deadline-offer", str(rows), "-o", str(tmp_path / "o"), "-l", "de", *TODAY, "--format", "text",
            "-p", "phrasebook/examples/deadline-offer.de.yaml"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1
    assert "recipient.last_name: '[Name]' looks like a placeholder" in refused.stderr
    accepted = runner.invoke(cli, [*args, "--allow-placeholders"])
    assert accepted.exit_code == 0, accepted.stderr
    (written,) = (tmp_path / "o").glob("*.txt")
    assert "Sehr geehrter Herr [Name]," in written.read_text(encoding="utf-8")  # not Dr. Katrin's title
