"""Every shell command in README.md works as shown, on the real date.

The commands run in README order in an empty directory with a configuration directory of
their own, the way a new reader would type them: files the README asks the reader to save
("save this as `anfrage.eml`:") are written from the code block that follows, and
``console`` blocks are compared with the output they show. No ``--today`` is added.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: Commands the README shows that this test does not run, and why.
NOT_RUN = {
    "python -m pip install": "the set-up commands: .ci/run runs them on a fresh machine",
    "python -m pytest": "the test suite itself",
}
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_SAVE = re.compile(r"[Ss]ave (?:this|it|them)(?: draft)? as `([^`]+)`[^\n]*:\s*$")
_EXIT = re.compile(r"#.*exit status (\d+)")


class Step(NamedTuple):
    kind: str  # "file", "run"
    text: str  # the command, or the file's content
    target: str = ""  # the file to write
    expected: str | None = None  # the output a console block shows
    status: int = 0


def steps(readme: str) -> list[Step]:
    """The README's files and commands, in order."""
    found: list[Step] = []
    position = 0
    for match in _FENCE.finditer(readme):
        before = readme[position:match.start()].rstrip()
        position = match.end()
        info, body = match.group(1), match.group(2)
        save = _SAVE.search(before.splitlines()[-1] if before else "")
        if save:
            found.append(Step("file", body, save.group(1)))
            continue
        if info == "sh":
            for line in body.splitlines():
                command = re.sub(r"\s{2,}#.*$", "", line).strip()
                if not command or command.startswith("#"):
                    continue
                status = _EXIT.search(line)
                for part in command.split(" && "):
                    found.append(Step("run", part.strip(), status=int(status.group(1)) if status else 0))
        elif info == "console":
            for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
                command, _newline, output = chunk.partition("\n")
                found.append(Step("run", command.strip(), expected=output))
    return found


def _skipped(command: str) -> str | None:
    for prefix, reason in NOT_RUN.items():
        if command.startswith(prefix):
            return reason
    if command.startswith("python benchmarks/run.py") and "--quick" not in command:
        return "a full benchmark run takes minutes; the quick run is run"
    if command.startswith("pandoc") and not shutil.which("pandoc"):
        return "pandoc is not installed"
    return None


def test_the_readme_shows_the_walk_through() -> None:
    commands = [step.text for step in steps(README) if step.kind == "run"]
    for expected in ("phrasebook init", "phrasebook render", "--format eml", "phrasebook plan",
                     "phrasebook rehearse", "phrasebook batch", "phrasebook new", "phrasebook check"):
        assert any(expected in command for command in commands), expected
    assert not any("--today" in command for command in commands), "README commands run on the real date"


def test_every_readme_command_works(tmp_path: Path) -> None:
    work, config, home, data = tmp_path / "work", tmp_path / "config", tmp_path / "home", tmp_path / "data"
    for path in (work, config, home, data):
        path.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHRASEBOOK_LANG", "LC_", "LANGUAGE"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PHRASEBOOK_CONFIG_DIR=str(config), PHRASEBOOK_DATA_DIR=str(data), HOME=str(home), LANG="C.UTF-8",
    )
    ran = 0
    for step in steps(README):
        if step.kind == "file":
            target = step.target.replace("~/.config/phrasebook/", f"{config}/")
            path = Path(target) if Path(target).is_absolute() else work / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step.text, encoding="utf-8")
            continue
        if _skipped(step.text):
            continue
        cwd = ROOT if step.text.startswith("python benchmarks/") else work
        proc = subprocess.run(
            ["bash", "-c", step.text], cwd=cwd, env=env, input="\n" * 400, capture_output=True, text=True,
            timeout=300, check=False,
        )
        assert proc.returncode == step.status, f"{step.text}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr, step.text
        if step.expected is not None:
            assert proc.stdout == step.expected, step.text
        ran += 1
    assert ran >= 30


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_completion_scripts_for_other_shells_are_there(shell: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "phrasebook"], env=dict(os.environ, _PHRASEBOOK_COMPLETE=f"{shell}_source"),
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert proc.returncode == 0
    assert "phrasebook" in proc.stdout and "_PHRASEBOOK_COMPLETE" in proc.stdout
    assert f"_PHRASEBOOK_COMPLETE={shell}_source phrasebook" in README
