"""Start-up stays light: what `phrasebook --help` imports, the stored help screen, and the
lazy public names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Modules `phrasebook --help` must not load: they are only needed to render.
HEAVY = [
    "babel",
    "holidays",
    "icalendar",
    "importlib.metadata",
    "jinja2",
    "phrasebook.catalog",
    "phrasebook.l10n",
    "phrasebook.render",
    "phrasebook.spec",
    "yaml",
]


def _python(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_help_imports_none_of_the_rendering_machinery() -> None:
    out = _python(
        "import contextlib, io, json, sys\n"
        "from phrasebook.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as help_text:\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'Usage: phrasebook' in help_text.getvalue()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = set(json.loads(out))
    assert [name for name in HEAVY if name in loaded] == []


STORED_HELP = ROOT / "phrasebook" / "cli" / "help.txt"


def _console(*args: str, columns: str | None = "80") -> subprocess.CompletedProcess[str]:
    """``python -X importtime -m phrasebook ARGS`` as a person runs it (the command line,
    not a list of arguments), with ``COLUMNS`` set or unset."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "phrasebook", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_stored_help_screen_is_what_click_renders(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Click's own rendering on a terminal of that width (not CliRunner's, which forces 80
    # columns of text where a terminal gets 78)
    from phrasebook.cli.app import help_screen

    monkeypatch.setenv("COLUMNS", columns)
    assert help_screen() == STORED_HELP.read_text(encoding="utf-8"), (
        "the top-level help changed: write phrasebook/cli/help.txt again with "
        "'python -m phrasebook.cli.app'"
    )


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
@pytest.mark.parametrize("columns", ["80", "132", None])
def test_help_is_printed_from_the_stored_screen_without_click(args: list[str], columns: str | None) -> None:
    result = _console(*args, columns=columns)
    assert result.returncode == 0, result.stderr
    assert result.stdout == STORED_HELP.read_text(encoding="utf-8")
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "phrasebook.cli.tophelp" in imported
    assert [name for name in imported if name.split(".")[0] in ("click", "typing", "pathlib")] == []


def test_a_narrow_terminal_gets_the_help_from_click(monkeypatch: pytest.MonkeyPatch) -> None:
    from phrasebook.cli.app import help_screen

    result = _console("--help", columns="60")
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("COLUMNS", "60")
    assert result.stdout == help_screen()
    assert result.stdout != STORED_HELP.read_text(encoding="utf-8")
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


def test_help_with_anything_else_on_the_line_goes_to_click() -> None:
    result = _console("--help", "--debug")
    assert result.returncode == 0, result.stderr
    assert result.stdout == STORED_HELP.read_text(encoding="utf-8")
    assert any(line.rsplit("|", 1)[-1].strip() == "click" for line in result.stderr.splitlines())


def test_a_reader_that_went_away_ends_the_stored_help_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from phrasebook.cli import tophelp

    class GoneReader:
        def __init__(self, fileno: int) -> None:
            self._fileno = fileno

        def write(self, text: str) -> int:
            raise BrokenPipeError

        def flush(self) -> None:
            raise BrokenPipeError

        def fileno(self) -> int:
            return self._fileno

    with (tmp_path / "stdout").open("w") as target:
        monkeypatch.setattr(sys, "stdout", GoneReader(target.fileno()))
        monkeypatch.setenv("COLUMNS", "80")
        with pytest.raises(SystemExit) as exit:
            tophelp.show_stored_help()
    assert exit.value.code == 1


def test_without_the_stored_screen_click_renders_the_help(monkeypatch: pytest.MonkeyPatch) -> None:
    from phrasebook.cli import tophelp

    monkeypatch.setattr(tophelp, "STORED", str(ROOT / "no-such-help.txt"))
    monkeypatch.setenv("COLUMNS", "80")
    assert tophelp.show_stored_help() is None  # returned: the caller goes on to Click


def test_public_names_load_on_first_use() -> None:
    out = _python(
        "import importlib, sys\n"
        "import phrasebook\n"
        "assert 'phrasebook.render' not in sys.modules\n"
        "module = importlib.import_module('phrasebook.render')\n"
        "assert phrasebook.render is module.render, phrasebook.render\n"
        "from phrasebook import Catalog, Document, Param, Scenario, load_catalog, render\n"
        "assert render is module.render and Document is module.Document\n"
        "assert load_catalog().scenario('deadline-offer').name == 'deadline-offer'\n"
        "print(phrasebook.__version__)\n"
    )
    assert out.strip()


def test_unknown_names_are_still_attribute_errors() -> None:
    import phrasebook

    assert not hasattr(phrasebook, "no_such_name")


def test_a_render_loads_only_what_its_scenario_needs() -> None:
    code = (
        "import contextlib, io, json, os, sys\n"
        "os.environ['PHRASEBOOK_CACHE_DIR'] = ''\n"
        "from phrasebook.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['render', 'scope-decline', '--example', '--lang', 'de', '--today', '2026-11-24'])\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, exit.code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = set(json.loads(_python(code)))
    # No dates to plan, no email, no calendar: neither the planner nor holidays, the mail
    # builder, icalendar or the IDNA codec.
    unneeded = ["phrasebook.planning", "holidays", "phrasebook.mail",
                "phrasebook.ics", "icalendar", "encodings.idna"]
    assert [name for name in unneeded if name in loaded] == []


_WATCH_GC = (
    "import contextlib, gc, importlib, io, json, os, sys\n"
    "os.environ['PHRASEBOOK_CACHE_DIR'] = ''\n"
    "from phrasebook import batch, cli\n"
    "seen = {}\n"
    "module = importlib.import_module('phrasebook.render')\n"
    "original_render, original_batch = module.render, batch.run_batch\n"
    "def watching_render(*args, **kwargs):\n"
    "    seen.setdefault('render', gc.isenabled())\n"
    "    return original_render(*args, **kwargs)\n"
    "def watching_batch(*args, **kwargs):\n"
    "    seen['batch'] = gc.isenabled()\n"
    "    return original_batch(*args, **kwargs)\n"
    "module.render, batch.run_batch = watching_render, watching_batch\n"
    "def run(console, *argv):\n"
    "    sys.argv = ['phrasebook', *argv]\n"
    "    frozen = gc.get_freeze_count()\n"
    "    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
    "        try:\n"
    "            cli.main() if console else cli.main(list(argv))\n"
    "        except SystemExit:\n"
    "            pass\n"
    "    seen.setdefault('after', []).append(gc.isenabled())\n"
    "    seen.setdefault('froze', []).append(gc.get_freeze_count() > frozen)\n"
    "    gc.unfreeze()\n"
    "CONSOLE = %r\n"
    "run(CONSOLE, 'render', 'scope-decline', '--example', '--lang', 'de', '--today', '2026-11-24')\n"
    "run(CONSOLE, 'batch', 'deadline-offer', os.devnull, '-o', os.path.join(%r, 'out'), '--lang', 'de')\n"
    "print(json.dumps(seen))\n"
)


def test_the_console_script_starts_without_the_garbage_collector(tmp_path: Path) -> None:
    seen = json.loads(_python(_WATCH_GC % (True, str(tmp_path))))
    # off for a single render, on for a batch (which may run for a long time), on again
    # when the command is over, and what start-up made is set aside for the last pass
    assert seen == {"render": False, "batch": True, "after": [True, True], "froze": [True, True]}


def test_called_from_a_program_the_garbage_collector_is_left_alone(tmp_path: Path) -> None:
    seen = json.loads(_python(_WATCH_GC % (False, str(tmp_path))))
    assert seen == {"render": True, "batch": True, "after": [True, True], "froze": [False, False]}
