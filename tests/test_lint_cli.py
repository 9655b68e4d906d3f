"""`phrasebook lint` and `phrasebook render --lint` on the command line: exact output."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from phrasebook.cli import cli
from phrasebook.lintrules import load_rules

WEAK_DE = "Hallo Frau Kessler,\n\nnein, das geht nicht. Ich melde mich zeitnah.\n"
NEIN = (
    "nein-geht-nicht Ein hartes „Nein“ beendet das Gespräch, statt es zu lenken. Sagen Sie, "
    "was geht, und bieten Sie eine Alternative an. → Das kann ich Ihnen bis … anbieten. | "
    "Gern mache ich Ihnen dafür ein eigenes Angebot."
)
ZEITNAH = (
    "zeitnah „zeitnah“ klingt verbindlich, sagt aber nichts: Jede Seite versteht darunter eine "
    "andere Frist. Nennen Sie ein Datum. → bis spätestens … | Sie hören bis … von mir."
)
ASAP = (
    'asap "ASAP" is the as-soon-as-possible trap: it promises speed without a date, puts you '
    "under pressure and still leaves the client unable to plan. Offer a date with a buffer. "
    "→ You will receive … by … at the latest. | You will have … from me by …"
)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_lint_reports_findings_and_fails_on_errors(runner, tmp_path: Path) -> None:
    path = write(tmp_path, "mail.txt", WEAK_DE)
    result = runner.invoke(cli, ["lint", path])
    assert result.stdout == f"{path}:3:1 {NEIN}\n{path}:3:38 {ZEITNAH}\n"
    assert result.stderr == ""
    assert result.exit_code == 1


def test_warnings_alone_pass(runner, tmp_path: Path) -> None:
    path = write(tmp_path, "mail.txt", "Ich melde mich zeitnah.\n")
    result = runner.invoke(cli, ["lint", path])
    assert result.stdout == f"{path}:1:16 {ZEITNAH}\n"
    assert result.exit_code == 0


def test_clean_text_prints_nothing(runner, tmp_path: Path) -> None:
    path = write(tmp_path, "mail.txt", "Sie erhalten das Konzept am Freitag. Passt Ihnen das so?\n")
    result = runner.invoke(cli, ["lint", path])
    assert (result.stdout, result.stderr, result.exit_code) == ("", "", 0)


def test_stdin_and_several_files_each_in_its_language(runner, tmp_path: Path) -> None:
    path = write(tmp_path, "mail.txt", "Ich melde mich zeitnah.\n")
    result = runner.invoke(cli, ["lint", "-", path], input="I will do it ASAP.\n")
    assert result.stdout == f"<stdin>:1:14 {ASAP}\n{path}:1:16 {ZEITNAH}\n"
    assert result.exit_code == 0


def test_lang_overrides_detection(runner) -> None:
    result = runner.invoke(cli, ["lint", "--lang", "en", "-"], input="Ich melde mich zeitnah.\n")
    assert (result.stdout, result.exit_code) == ("", 0)


def test_json_output(runner) -> None:
    result = runner.invoke(cli, ["lint", "-f", "json", "-"], input="Nein, das geht nicht.")
    assert json.loads(result.stdout) == [
        {
            "file": "<stdin>",
            "line": 1,
            "column": 1,
            "offset": 0,
            "length": 20,
            "rule": "nein-geht-nicht",
            "severity": "error",
            "message": NEIN.split(" ", 1)[1].split(" → ")[0],
            "match": "Nein, das geht nicht",
            "suggestions": [
                "Das kann ich Ihnen bis … anbieten.",
                "Gern mache ich Ihnen dafür ein eigenes Angebot.",
            ],
        }
    ]
    assert result.exit_code == 1


def test_json_output_without_findings_is_an_empty_list(runner) -> None:
    result = runner.invoke(cli, ["lint", "-f", "json", "-"], input="Alles klar.")
    assert (result.stdout, result.exit_code) == ("[]\n", 0)


def test_markdown_files_skip_front_matter_and_code(runner, tmp_path: Path) -> None:
    text = "---\ntitle: zeitnah\n---\n\n`zeitnah`\n\nIch melde mich zeitnah.\n"
    md = write(tmp_path, "brief.md", text)
    txt = write(tmp_path, "brief.txt", text)
    assert runner.invoke(cli, ["lint", md]).stdout == f"{md}:7:16 {ZEITNAH}\n"
    assert runner.invoke(cli, ["lint", txt]).stdout.count("zeitnah „zeitnah“") == 3
    assert runner.invoke(cli, ["lint", "--markdown", txt]).stdout == f"{txt}:7:16 {ZEITNAH}\n"


def test_inline_disable(runner) -> None:
    text = "<!-- phrasebook: disable=zeitnah -->\nIch melde mich zeitnah.\n"
    result = runner.invoke(cli, ["lint", "-"], input=text)
    assert (result.stdout, result.exit_code) == ("", 0)


def test_user_rules(runner, tmp_path: Path) -> None:
    rules = write(
        tmp_path,
        "rules.yaml",
        textwrap.dedent(
            """\
            language: de
            rules:
              - id: zeitnah
                severity: error
                message: Bei uns gibt es Daten, kein „{match}“.
                words: [zeitnah]
                suggestions: [bis Freitag]
            """
        ),
    )
    result = runner.invoke(cli, ["lint", "--rules", rules, "-"], input="Ich melde mich zeitnah.")
    expected = "<stdin>:1:16 zeitnah Bei uns gibt es Daten, kein „zeitnah“. → bis Freitag\n"
    assert result.stdout == expected
    assert result.exit_code == 1


def test_broken_user_rules_are_a_usage_error(runner, tmp_path: Path) -> None:
    rules = write(tmp_path, "rules.yaml", "rules:\n  - id: x\n    severity: loud\n")
    args = ["lint", "--rules", rules, "-"]
    result = runner.invoke(cli, args, input="Hallo.", prog_name="phrasebook")
    assert result.stdout == ""
    assert result.stderr == (
        "Usage: phrasebook lint [OPTIONS] FILE...\n"
        "Try 'phrasebook lint --help' for help.\n\n"
        f"Error: {rules}: rule 'x': severity must be one of error, warning, suggestion, "
        "not 'loud'\n"
    )
    assert result.exit_code == 2


def test_missing_file_is_a_usage_error_before_any_output(runner, tmp_path: Path) -> None:
    path = write(tmp_path, "mail.txt", WEAK_DE)
    result = runner.invoke(cli, ["lint", path, str(tmp_path / "nope.txt")])
    assert result.stdout == ""
    assert result.stderr.endswith(f"Error: {tmp_path / 'nope.txt'}: no such file\n")
    assert result.exit_code == 2


def test_file_that_is_not_utf8(runner, tmp_path: Path) -> None:
    path = tmp_path / "mail.txt"
    path.write_bytes("Grüße\n".encode("latin-1"))
    result = runner.invoke(cli, ["lint", str(path)])
    assert result.stderr.endswith(
        f"Error: {path}:1: byte 2 (0xfc) is not UTF-8; save the file as UTF-8\n"
    )
    assert result.exit_code == 2


def test_unknown_language(runner) -> None:
    result = runner.invoke(cli, ["lint", "--lang", "fr", "-"], input="x")
    assert result.stderr.endswith(
        "Error: unknown language 'fr'; expected one of: auto, de, de_DE, de_AT, de_CH, en, en_GB, en_US\n"
    )
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("fail_on", "status"), [(None, 0), ("error", 0), ("warning", 1), ("suggestion", 1)]
)
def test_fail_on_chooses_the_least_severe_finding_that_fails(runner, tmp_path, fail_on, status) -> None:
    path = write(tmp_path, "mail.txt", "Ich melde mich zeitnah.\n")
    result = runner.invoke(cli, ["lint", path, *(["--fail-on", fail_on] if fail_on else [])])
    assert result.stdout == f"{path}:1:16 {ZEITNAH}\n"
    assert result.exit_code == status


@pytest.mark.parametrize(("fail_on", "status"), [("error", 0), ("warning", 0), ("suggestion", 1)])
def test_a_suggestion_fails_only_with_fail_on_suggestion(runner, tmp_path, fail_on, status) -> None:
    path = write(tmp_path, "mail.txt", "Ich kümmere mich sofort darum.\n")
    result = runner.invoke(cli, ["lint", path, "--fail-on", fail_on, "--format", "json"])
    assert [(r["rule"], r["severity"]) for r in json.loads(result.stdout)] == [("sofort", "suggestion")]
    assert result.exit_code == status


def test_fail_on_takes_only_severities(runner) -> None:
    result = runner.invoke(cli, ["lint", "--fail-on", "warnings", "-"], input="x")
    assert "Invalid value for '--fail-on': 'warnings' is not one of 'error', 'warning', 'suggestion'." in (
        result.stderr
    )
    assert result.exit_code == 2


def test_list_rules_prints_id_severity_and_an_example(runner) -> None:
    result = runner.invoke(cli, ["lint", "--list-rules", "--lang", "de"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "so-schnell-wie-moeglich  warning     Ich schicke Ihnen das Angebot [[so schnell wie möglich]].",
        "asap                     warning     Bitte um Rückmeldung [[asap]].",
        "zeitnah                  warning     Ich melde mich [[zeitnah]] bei Ihnen.",
    ]
    assert "nein-geht-nicht          error       [[Nein, das geht nicht]]." in lines
    assert len(lines) == len(load_rules("de"))
    english = runner.invoke(cli, ["lint", "--list-rules", "--lang", "en_US"]).stdout.splitlines()
    assert english[0] == "asap                    warning     I'll send the draft [[as soon as possible]]."


def test_list_rules_speaks_the_users_language(tmp_path) -> None:
    german = CliRunner(env={"PHRASEBOOK_LANG": "de"}).invoke(cli, ["lint", "--list-rules"])
    assert german.stdout.startswith("so-schnell-wie-moeglich  warning ")
    english = CliRunner(env={"PHRASEBOOK_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
                             "LANG": "en_GB.UTF-8"}).invoke(cli, ["lint", "--list-rules"])
    assert english.stdout.startswith("asap                    warning ")


def test_list_rules_as_json_includes_your_own_rules(runner, tmp_path) -> None:
    rules = write(tmp_path, "rules.yaml", textwrap.dedent("""\
        language: en
        rules:
          - id: per-my-last-email
            severity: error
            message: Passive-aggressive.
            words: [per my last email]
            suggestions: ["As agreed, …"]
            examples:
              bad: ["[[Per my last email]], the launch is on Friday."]
    """))
    result = runner.invoke(cli, ["lint", "--list-rules", "--lang", "en", "--rules", rules, "-f", "json"])
    records = json.loads(result.stdout)
    assert records[-1] == {
        "id": "per-my-last-email", "severity": "error", "language": "en",
        "message": "Passive-aggressive.", "example": "Per my last email, the launch is on Friday.",
        "flagged": "Per my last email",
    }
    assert {r["severity"] for r in records} == {"error", "warning", "suggestion"}


def test_a_file_is_required(runner) -> None:
    result = runner.invoke(cli, ["lint"])
    assert result.stderr.endswith("Error: Missing argument 'FILE...'.\n")
    assert result.exit_code == 2


# --------------------------------------------------------------------------- render --lint


RENDER = ["render", "deadline-offer", "--lang", "de", "--example", "--today", TODAY.isoformat()]


def test_render_lint_clean(runner) -> None:
    plain = runner.invoke(cli, RENDER)
    result = runner.invoke(cli, [*RENDER, "--lint"])
    assert result.stdout == plain.stdout
    assert (result.stderr, result.exit_code) == ("", 0)


def test_render_lint_reports_on_stderr_and_still_writes(runner) -> None:
    result = runner.invoke(cli, [*RENDER, "--lint", "--set", "reason=Nein, das geht nicht."])
    assert "\nNein, das geht nicht.\n" in result.stdout
    assert result.stderr == f"<stdout>:15:1 {NEIN}\n"
    assert result.exit_code == 1


def test_render_lint_names_the_output_file(runner, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    reason = "reason=Ich melde mich zeitnah."
    result = runner.invoke(cli, [*RENDER, "--lint", "-f", "md", "-o", str(out), "--set", reason])
    text = out.read_text(encoding="utf-8")
    line = text.splitlines().index("Ich melde mich zeitnah.") + 1
    assert result.stderr == f"{out}:{line}:16 {ZEITNAH}\n"
    assert (result.stdout, result.exit_code) == ("", 0)


def test_render_lint_email_checks_the_message_text(runner) -> None:
    reason = "reason=Ich melde mich zeitnah."
    result = runner.invoke(cli, [*RENDER, "--lint", "-f", "eml", "--set", reason])
    assert result.stderr == f"<message>:15:16 {ZEITNAH}\n"
    assert result.exit_code == 0


def test_dates_are_checked(runner, tmp_path) -> None:
    draft = tmp_path / "entwurf.txt"
    draft.write_text(
        "Sehr geehrte Frau Meier,\n\n"
        "Sie erhalten das Konzept am Mittwoch, 3. Dezember 2026. Die Abrechnung folgt bis 1. Dezember.\n"
        "Ich melde mich nächsten Mittwoch. Danke für Ihre Nachricht vom 30. November.\n"
        "Wir sprechen am Freitag, 4. Dezember.\n\n"
        "> Am Montag, 30. November 2026 schrieb Frau Meier:\n> Bis 2. November 2026 bitte.\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["lint", str(draft), "--today", "2026-12-02"])
    assert result.exit_code == 1  # the weekday that does not fit is an error
    rules = [line.split()[1] for line in result.stdout.splitlines()]
    assert rules == ["wochentag-datum", "datum-vergangen", "vager-wochentag"]
    assert "→ Donnerstag, 3. Dezember 2026" in result.stdout
    assert ":3:82 datum-vergangen „1. Dezember“ liegt vor dem heutigen Tag." in result.stdout
    later = runner.invoke(cli, ["lint", str(draft), "--today", "2026-11-20"])
    assert [line.split()[1] for line in later.stdout.splitlines()] == ["wochentag-datum", "vager-wochentag"]


def test_english_dates_are_checked(runner, tmp_path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Dear Ms Miller,\n\nYou will have the draft on Wednesday, December 3, 2026, and the rest by "
        "next Friday. Thank you for your email of 1 December.\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["lint", str(draft), "--today", "2026-12-02", "--lang", "en"])
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["weekday-date", "vague-weekday"]


def test_render_lint_does_not_flag_the_past_dates_a_letter_names_on_purpose(runner) -> None:
    result = runner.invoke(cli, ["render", "payment-reminder", "-l", "de", "--example", "--lint"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("lang", "text", "rules"),
    [
        ("de", "- Fälligkeit: 14. November 2026\n", []),
        ("de", "Die Rechnung war fällig am 14. November 2026.\n", []),
        ("de", "Bitte zahlen Sie bis zum 14. November 2026.\n", ["datum-vergangen"]),
        ("en", "- Due date: 14 November 2026\n", []),
        ("en", "The invoice was due on 14 November 2026.\n", []),
        ("en", "Please pay by 14 November 2026.\n", ["date-passed"]),
    ],
)
def test_a_due_date_that_has_passed_is_named_on_purpose(runner, tmp_path, lang: str, text: str, rules: list) -> None:
    draft = tmp_path / "reminder.txt"
    draft.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["lint", "--lang", lang, str(draft), "--today", "2026-12-04"])
    assert [line.split()[1] for line in result.stdout.splitlines()] == rules
