"""Project hygiene: the README's commands, CI, changelog."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(python -m pip install [^\n]+)\n```", readme)


def test_readme_has_an_install_and_a_test_command() -> None:
    install, test = _readme_commands()[:2]
    assert "phrasebook render deadline-offer" in install
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test = _readme_commands()[1]
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in lines


def test_install_command_renders_the_shipped_example_on_any_day() -> None:
    install = _readme_commands()[0]
    assert "--example" in install and "--today" not in install


def test_changelog_follows_keep_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "https://keepachangelog.com/en/1.1.0/" in text
    assert "## [Unreleased]" in text
