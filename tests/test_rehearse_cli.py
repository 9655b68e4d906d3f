"""``phrasebook rehearse``: scripted input through every step, --print, transcripts, Ctrl-C."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOLDEN
from samples import fixture_path
from test_rehearse import fake_critic

from phrasebook.cli import cli

ROOT = Path(__file__).resolve().parent.parent
BASE = ["rehearse", "payment-reminder", "--lang", "de", "--params", fixture_path("payment-reminder", "de"),
        "--today", "2026-11-24"]

#: Answers for every prompt of the payment-reminder script: 3 state-check questions,
#: the opening, 3 key sentences, 3 objections and the closing question.
ANSWERS = [
    "ruhig",
    "",
    "eine Zusage für den 1. Dezember",
    "Hallo Herr Weber, leider muss ich wegen der Rechnung anrufen.",
    "",
    "Bitte zahlen Sie zeitnah.",
    "",
    "Ich schicke sie Ihnen sofort noch einmal.",
    "",
    "",
    "Kann ich bis zum 1. Dezember mit dem Geld rechnen?",
]


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    """A runner with a fixed width and the fake critic: the output must not depend on the linter."""
    monkeypatch.setattr("phrasebook.rehearse.linter_available", lambda: True)
    monkeypatch.setattr("phrasebook.rehearse.default_critic", fake_critic)
    monkeypatch.setattr("phrasebook.lint.lint_text", lambda text, lang="auto", **_kw: fake_critic(text, lang))
    return CliRunner(env={"PHRASEBOOK_LANG": "en", "COLUMNS": "80"})


def _input(answers: list[str]) -> str:
    return "".join(f"{a}\n" for a in answers)


def test_print_renders_the_cheat_sheet(runner) -> None:
    result = runner.invoke(cli, [*BASE, "--print"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "de" / "rehearse" / "payment-reminder.md").read_text(
        encoding="utf-8"
    )
    assert result.stderr == ""


def test_print_takes_params_file_and_set(runner) -> None:
    result = runner.invoke(
        cli,
        [
            "rehearse",
            "deadline-offer",
            "-l",
            "en",
            "-p",
            "tests/fixtures/examples/deadline-offer.en.yaml",
            "--today",
            "2026-11-24",
            "--set",
            "deadline=2026-12-09",
            "--set",
            "formality=informal",
            "--print",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "- You will have the communication concept by Wednesday, 9 December 2026 at the latest.\n"
        in result.stdout
    )
    assert "Hi Kate, good to catch you." in result.stdout


def test_scripted_input_through_every_step(runner, tmp_path) -> None:
    transcript = tmp_path / "probe.txt"
    result = runner.invoke(cli, [*BASE, "--transcript", str(transcript)], input=_input(ANSWERS))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    steps = [
        "[1/6] Vor dem Gespräch",
        "[2/6] Einstieg",
        "[3/6] Kernsätze",
        "[4/6] Einwände",
        "[5/6] Abschlussfrage",
        "[6/6] Zusammenfassung",
    ]
    assert [out.index(s) for s in steps] == sorted(out.index(s) for s in steps)
    assert (
        "Wie geht es mir gerade? Was brauche ich, um ruhig und freundlich in das\n"
        "Gespräch zu gehen?\n> ruhig\n" in out
    )
    assert (
        "> Hallo Herr Weber, leider muss ich wegen der Rechnung anrufen.\n"
        "  Vorbereitet: Guten Tag, Herr Weber, hier ist Anna Schäfer von Schäfer\n"
        "               Kommunikation. Ich rufe wegen meiner Rechnung 2026/114 an.\n"
        "  Eigene Fassung: Hallo Herr Weber, leider muss ich wegen der Rechnung\n"
        "                  anrufen.\n"
        "  Hinweis: „leider“ – weakens the sentence\n"
    ) in out
    assert (
        "Kernsatz 2 von 3:\n  Bitte überweisen Sie den Betrag bis Dienstag, 1. Dezember 2026.\n"
        in out
    )
    assert (
        "  Hinweis: „zeitnah“ names no date (Besser: „bis Freitag“)\n"
        "  Hinweis: Das Zahlungsziel (1. Dezember) fehlt.\n"
    ) in out
    assert (
        "Einwand 2 von 3: „Können Sie nicht doch bis nächsten Monat warten?“\nMeine Antwort > \n"
        in out
    )
    assert "  Vorbereitet: Kann ich mit dem Zahlungseingang bis zum 1. Dezember rechnen?\n" in out
    assert out.endswith(
        "[6/6] Zusammenfassung\n"
        "Vor dem Gespräch:\n"
        "  - Wie geht es mir gerade? Was brauche ich, um ruhig und freundlich in das\n"
        "    Gespräch zu gehen?\n"
        "    ruhig\n"
        "  - Was braucht Herr Weber jetzt von mir?\n"
        "    (übersprungen)\n"
        "  - Was will ich am Ende des Gesprächs erreicht haben – zum Beispiel eine\n"
        "    Zusage, dass die Zahlung bis zum 1. Dezember eingeht?\n"
        "    eine Zusage für den 1. Dezember\n"
        "Eigene Formulierungen: 4 von 8; Hinweise: 4.\n"
        "Für das Gespräch:\n"
        "  - Guten Tag, Herr Weber, hier ist Anna Schäfer von Schäfer Kommunikation.\n"
        "    Ich rufe wegen meiner Rechnung 2026/114 an.\n"
        "  - Kann ich mit dem Zahlungseingang bis zum 1. Dezember rechnen?\n"
    )
    # The transcript is what was on the screen, without the spaces a prompt leaves at a line end.
    assert transcript.read_text(encoding="utf-8") == "".join(
        f"{line.rstrip()}\n" for line in out.splitlines()
    )
    assert result.stderr == ""


def test_an_existing_transcript_is_refused_before_the_first_question(runner, tmp_path) -> None:
    transcript = tmp_path / "probe.txt"
    transcript.write_text("keep me", encoding="utf-8")
    result = runner.invoke(cli, [*BASE, "--transcript", str(transcript)], input=_input(ANSWERS))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {transcript} already exists; use --force to replace it\n"
    assert transcript.read_text(encoding="utf-8") == "keep me"
    forced = runner.invoke(
        cli, [*BASE, "--transcript", str(transcript), "--force"], input=_input(ANSWERS)
    )
    assert forced.exit_code == 0, forced.stderr
    assert transcript.read_text(encoding="utf-8").startswith(
        "Telefonat: offene Rechnung 2026/114\n"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing/probe.txt", "Error: missing: no such directory\n"), (".", "is a directory")],
)
def test_an_unusable_transcript_path_is_refused_up_front(
    runner, tmp_path, monkeypatch, target, message
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, [*BASE, "--transcript", target], input=_input(ANSWERS))
    assert result.exit_code in (1, 2)
    assert result.stdout == ""
    assert message in result.stderr


def test_end_of_input_keeps_the_transcript_so_far(runner, tmp_path) -> None:
    transcript = tmp_path / "probe.txt"
    result = runner.invoke(cli, [*BASE, "--transcript", str(transcript)], input=_input(ANSWERS[:4]))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "[3/6] Kernsätze" in result.stdout
    kept = transcript.read_text(encoding="utf-8")
    assert "> eine Zusage für den 1. Dezember\n" in kept
    assert "[3/6] Kernsätze" in kept
    assert kept.endswith("\n\nProbe in Schritt 3 von 6 beendet.\n")
    assert list(tmp_path.iterdir()) == [transcript]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["rehearse", "payment-remider", "-l", "de", "--example", "--print"],
            2,
            "unknown scenario 'payment-remider' (did you mean 'payment-reminder'?)",
        ),
        (
            ["rehearse", "payment-reminder", "-l", "fr", "--example", "--print"],
            2,
            "unknown language 'fr'",
        ),
        (
            ["rehearse", "payment-reminder", "-l", "de", "--print"],
            2,
            "payment-reminder: 7 problems with the parameters",
        ),
        (
            [*BASE, "--print", "--transcript", "x.txt"],
            2,
            "--transcript records a rehearsal; it cannot be used with --print",
        ),
        (["rehearse", "payment-reminder", "--example"], 2, "Missing option '--lang'"),
    ],
    ids=["scenario", "language", "params", "print-transcript", "lang"],
)
def test_bad_input(runner, args, code, message) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""


def test_help_describes_the_steps(runner) -> None:
    result = runner.invoke(cli, ["rehearse", "--help"])
    assert result.exit_code == 0
    for text in ("--print", "--transcript FILE", "--today", "--example", "cheat sheet", "Ctrl-C"):
        assert text in result.stdout


# --- the real console entry ------------------------------------------------------------------


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), PHRASEBOOK_LANG="en", COLUMNS="80")


def test_end_of_input_exits_130_from_the_console_entry(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "phrasebook", *BASE, "--transcript", str(tmp_path / "t.txt")],
        input=_input(ANSWERS[:2]),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
    )
    assert result.returncode == 130
    assert result.stderr.endswith("Aborted.\n")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "t.txt"]
    assert (tmp_path / "t.txt").read_text(encoding="utf-8").endswith("Probe in Schritt 1 von 6 beendet.\n")


class Tmux:
    """A private tmux server on its own socket, driven like a person at a terminal."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-J", "-S", "-200", "-t", "probe")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear; the screen shows:\n{screen}")
            time.sleep(0.05)

    def type(self, text: str) -> None:
        if text:
            self.run("send-keys", "-t", "probe", "-l", text)
        self.run("send-keys", "-t", "probe", "Enter")


@pytest.fixture
def tmux(tmp_path):
    if not shutil.which("tmux"):
        pytest.skip("tmux is not installed: the real terminal run needs it")
    server = Tmux(tmp_path / "tmux.sock")
    yield server
    subprocess.run(
        ["tmux", "-S", str(server.socket), "kill-server"], capture_output=True, check=False
    )


def _start(tmux: Tmux, tmp_path: Path, *args: str) -> None:
    # COLUMNS: the width is the window's from the first line on, however fast tmux resizes it.
    settings = {"PYTHONPATH": ROOT, "PHRASEBOOK_LANG": "en", "COLUMNS": "100", "LINES": "50"}
    env = " ".join(f"{k}={v}" for k, v in settings.items())
    command = (
        f"cd {tmp_path} && env {env} {sys.executable} -m phrasebook {' '.join(args)}; "
        f"echo EXIT=$?; sleep 600"
    )
    tmux.run("new-session", "-d", "-s", "probe", "-x", "100", "-y", "50", command)


def test_ctrl_c_in_a_real_terminal_exits_130_without_a_traceback(tmux, tmp_path) -> None:
    _start(
        tmux,
        tmp_path,
        "rehearse",
        "deadline-offer",
        "--lang",
        "de",
        "--example",
        "--today",
        "2026-11-24",
        "--transcript",
        "probe.txt",
    )
    tmux.wait_for("Wie geht es mir gerade?")
    tmux.type("ruhig")
    tmux.wait_for("Was braucht Frau Dr. Müller jetzt von mir?")
    tmux.type("")
    tmux.wait_for("Was will ich am Ende des Gesprächs erreicht haben")
    tmux.type("eine Zusage")
    tmux.wait_for("Wie eröffne ich das Gespräch?")
    tmux.type("Guten Tag, ich rufe wegen des Termins an.")
    screen = tmux.wait_for("Kernsatz 1 von 4:")
    assert "> ruhig\n" in screen
    assert (
        "Vorbereitet: Guten Tag, Frau Dr. Müller, hier ist Anna Schäfer von Schäfer Kommunikation."
        in screen
    )
    assert "Eigene Fassung: Guten Tag, ich rufe wegen des Termins an." in screen
    tmux.run("send-keys", "-t", "probe", "C-c")
    screen = tmux.wait_for("EXIT=", timeout=60.0)  # a loaded machine may take its time
    assert "EXIT=130" in screen
    assert "Aborted." in screen
    assert "Traceback" not in screen
    kept = (tmp_path / "probe.txt").read_text(encoding="utf-8")
    assert "> ruhig\n" in kept
    assert "Eigene Fassung: Guten Tag, ich rufe wegen des Termins an." in kept
    assert kept.endswith("\n\nProbe in Schritt 3 von 6 beendet.\n")


def test_a_full_rehearsal_in_a_real_terminal(tmux, tmp_path) -> None:
    _start(
        tmux,
        tmp_path,
        "rehearse",
        "payment-reminder",
        "--lang",
        "en",
        "--example",
        "--today",
        "2026-11-24",
        "--transcript",
        "probe.txt",
    )
    prompts = [
        "How am I feeling",
        "What does Mr Walker need",
        "What do I want to have achieved",
        "How shall I open the call?",
        "Key sentence 1 of 3:",
        "Key sentence 2 of 3:",
        "Key sentence 3 of 3:",
        "Objection 1 of 3:",
        "Objection 2 of 3:",
        "Objection 3 of 3:",
        "Which question shall I close with?",
    ]
    for number, prompt in enumerate(prompts):
        tmux.wait_for(prompt)
        tmux.type("calm" if number == 0 else "")
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=0" in screen
    assert "[6/6] Summary" in screen
    transcript = (tmp_path / "probe.txt").read_text(encoding="utf-8")
    assert transcript.startswith("Phone call: outstanding invoice 2026/114\n")
    assert "> calm\n" in transcript
    assert "Own phrasings: 0 of 8" in transcript


def test_line_editing_and_history_in_a_real_terminal(tmux, tmp_path) -> None:
    """At a terminal, answers are read with readline: arrow keys edit the line and recall
    earlier answers instead of arriving as raw escape sequences."""
    _start(
        tmux, tmp_path, "rehearse", "deadline-offer", "--lang", "de", "--example",
        "--today", "2026-11-24", "--transcript", "probe.txt",
    )
    tmux.wait_for("Wie geht es mir gerade?")
    tmux.run("send-keys", "-t", "probe", "-l", "ruhg")
    tmux.run("send-keys", "-t", "probe", "Left")
    tmux.type("i")
    tmux.wait_for("Was braucht Frau Dr. Müller jetzt von mir?")
    tmux.run("send-keys", "-t", "probe", "Up")
    tmux.type("")
    tmux.wait_for("Was will ich am Ende des Gesprächs erreicht haben")
    tmux.type("")
    tmux.wait_for("Wie eröffne ich das Gespräch?")
    tmux.type("Guten Tag, Frau Müller.")
    screen = tmux.wait_for("nochmal? [j/N]")
    assert "Der Titel fehlt – „Frau Dr. Müller“." in screen
    tmux.type("j")
    tmux.wait_for("nochmal? [j/N]")
    tmux.type("")
    tmux.wait_for("Kernsatz 1 von 4:")
    tmux.run("send-keys", "-t", "probe", "C-c")
    screen = tmux.wait_for("EXIT=", timeout=60.0)  # a loaded machine may take its time
    assert "EXIT=130" in screen
    assert "Probe in Schritt 3 von 6 beendet." in screen
    kept = (tmp_path / "probe.txt").read_text(encoding="utf-8")
    assert kept.count("> ruhig\n") == 2, kept
    assert "\\x1b" not in kept and "^[[" not in kept
