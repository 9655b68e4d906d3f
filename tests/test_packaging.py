"""The wheel ships specs, examples and templates, and renders from an installed copy."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )
    (path,) = out.glob("phrasebook-*.whl")
    return path


def test_wheel_contains_templates_specs_and_examples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("de", "en"):
        assert f"phrasebook/templates/{lang}/deadline-offer.jinja" in names
        assert f"phrasebook/templates/{lang}/_letter.jinja" in names
        assert f"phrasebook/examples/deadline-offer.{lang}.yaml" in names
    assert "phrasebook/scenarios/deadline-offer.yaml" in names
    assert "phrasebook/scenarios/_letter.yaml" in names
    assert "phrasebook/locale/de/LC_MESSAGES/phrasebook.mo" in names
    assert "phrasebook/cli/help.txt" in names  # the stored `phrasebook --help` screen


FIXTURES = ROOT / "tests" / "fixtures" / "examples"


def test_installed_copy_renders(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import datetime as dt, phrasebook, sys\n"
        "assert phrasebook.__file__.startswith(sys.argv[1]), phrasebook.__file__\n"
        "from phrasebook.catalog import templates_root\n"
        "assert str(templates_root()).startswith(sys.argv[1])\n"
        "from phrasebook.cli import main\n"
        "main(['render', 'deadline-offer', '--lang', 'de', '--params', sys.argv[2], '--today', '2026-11-24'])\n"
    )
    env = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run(
        [sys.executable, "-c", code, str(site), str(FIXTURES / "deadline-offer.de.yaml")],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    expected = (ROOT / "tests" / "golden" / "de" / "deadline-offer.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
