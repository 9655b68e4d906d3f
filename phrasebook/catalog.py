"""Where scenarios live: specs in ``phrasebook/scenarios/``, templates in ``templates/<lang>/``."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PhrasebookError, SpecError, UnknownScenario
from .l10n import TEMPLATE_LANGUAGES
from .spec import Scenario, parse_scenario

_SHARED_LETTER_SPEC = "_letter.yaml"
TEMPLATE_SUFFIX = ".jinja"


def _package_dir(name: str) -> Path:
    # The package is a directory on disk (what importlib.resources.files would return);
    # importing importlib.resources would cost start-up time.
    return Path(__file__).parent / name


def templates_root() -> Path:
    """Return the directory holding ``templates/<lang>/`` (installed wheel or source checkout)."""
    installed = _package_dir("templates")
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise PhrasebookError("phrasebook's templates are missing; reinstall the package")


def _load_yaml(path: Path) -> Any:
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses faster
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: {exc}") from None


@dataclass
class Catalog:
    """The scenarios available from one spec directory and one template directory.

    Attributes:
        specs: directory of ``<scenario>.yaml`` files (plus the shared ``_letter.yaml``).
        templates: directory holding one sub-directory per language.
        examples: directory of ``<scenario>.<lang>.yaml`` example parameter files.
    """

    specs: Path
    templates: Path
    examples: Path | None = None
    _cache: dict[str, Scenario] = field(default_factory=dict, repr=False)

    def names(self) -> list[str]:
        """Return the scenario names, sorted."""
        return sorted(
            p.stem for p in self.specs.glob("*.yaml") if not p.name.startswith("_")
        )

    def scenario(self, name: str) -> Scenario:
        """Return the parsed scenario ``name``.

        Raises:
            UnknownScenario: with a "did you mean" hint when the name is not known.
        """
        if name in self._cache:
            return self._cache[name]
        names = self.names()
        if name not in names:
            raise UnknownScenario(name, names)
        shared_path = self.specs / _SHARED_LETTER_SPEC
        shared = _load_yaml(shared_path).get("params", {}) if shared_path.is_file() else {}
        path = self.specs / f"{name}.yaml"
        scenario = parse_scenario(name, _load_yaml(path), str(path), TEMPLATE_LANGUAGES, shared)
        self._cache[name] = scenario
        return scenario

    def scenarios(self) -> list[Scenario]:
        """Return every scenario, sorted by name."""
        return [self.scenario(n) for n in self.names()]

    def template_name(self, scenario: str) -> str:
        """Return the template's file name inside a language directory."""
        return f"{scenario}{TEMPLATE_SUFFIX}"

    def example_path(self, scenario: str, lang: str) -> Path | None:
        """Return the shipped example parameter file for a scenario and language, if any."""
        if self.examples is None:
            return None
        path = self.examples / f"{scenario}.{lang}.yaml"
        return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Return the built-in catalogue shipped with phrasebook."""
    return Catalog(
        specs=_package_dir("scenarios"),
        templates=templates_root(),
        examples=_package_dir("examples"),
    )
