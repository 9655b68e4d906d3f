"""Shared fixtures: a fixed date, golden-file comparison and a CliRunner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

TODAY = dt.date(2026, 11, 24)
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files from the current output instead of comparing.",
    )


class Golden:
    """Compare a text with tests/golden/<name>, or rewrite it with --update-golden."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, name: str, text: str) -> None:
        path = GOLDEN / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"{path} is missing; run pytest --update-golden and review the diff"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from {path}"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test run gets an empty cache, configuration and data directory of its own, never
    the user's (child processes too)."""
    from phrasebook import cache

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHRASEBOOK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        patch.setenv("PHRASEBOOK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        cache.clear_memory()
        yield
    cache.clear_memory()


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"PHRASEBOOK_LANG": "en"})
