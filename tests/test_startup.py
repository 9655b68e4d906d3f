"""Start-up stays light: what `phrasebook --help` imports, and the lazy public names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
