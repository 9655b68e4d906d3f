"""Where scenarios live: specs in ``phrasebook/scenarios/``, templates in ``templates/<lang>/``."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import PhrasebookError, SpecError, UnknownScenario
from .l10n import TEMPLATE_LANGUAGES, Language
from .messages import _
from .spec import Scenario
from .specfile import parse_scenario
from .templating import environment

_SHARED_LETTER_SPEC = "_letter.yaml"


class ScenarioSource(Protocol):
    """What renders a scenario: the built-in :class:`Catalog`, a :class:`Pack`, or a
    :class:`LayeredCatalog` of both. Every caller uses only these methods."""

    @property
    def templates(self) -> Path:
        """The directory holding one template directory per language."""

    def names(self) -> list[str]:
        """The scenario names, sorted."""

    def scenario(self, name: str) -> Scenario:
        """The parsed scenario ``name``."""

    def scenarios(self) -> list[Scenario]:
        """Every scenario, sorted by name."""

    def provider(self, name: str) -> Catalog | Pack:
        """The catalogue or pack that defines scenario ``name``."""

    def template_name(self, scenario: str) -> str:
        """The template's file name inside a language directory."""

    def template_label(self, scenario: str, lang: str) -> str:
        """The template's path as shown in messages."""

    def example_path(self, scenario: str, lang: str) -> Path | None:
        """The example parameters file of a scenario and language, if any."""

    def environment_for(self, scenario: str, language: Language) -> Any:
        """The Jinja environment that renders ``scenario`` in ``language``."""

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
    raise PhrasebookError(_("phrasebook's templates are missing; reinstall the package"))


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
        """Return the shipped example parameter file for a scenario and language, if any.

        ``lang`` may be a variant ("en_US"): its own example comes first, then the language's.
        """
        if self.examples is None:
            return None
        for name in example_names(lang):
            path = self.examples / f"{scenario}.{name}.yaml"
            if path.is_file():
                return path
        return None

    def template_label(self, scenario: str, lang: str) -> str:
        """Return the template's path as shown in messages."""
        return f"templates/{lang}/{self.template_name(scenario)}"

    def provider(self, name: str) -> Catalog:
        """Return this catalogue if it defines scenario ``name``."""
        self.scenario(name)
        return self

    def environment(self, language: Language) -> Any:
        """Return the cached Jinja environment for one language's templates."""
        return environment(self.templates, language)

    def environment_for(self, scenario: str, language: Language) -> Any:
        """Return the Jinja environment that renders ``scenario``."""
        return self.environment(language)


@functools.lru_cache(maxsize=16)
def example_names(lang: str) -> list[str]:
    """The names an example file may have for ``lang``, the variant's own first.

    >>> example_names("en_US"), example_names("de")
    (['en_US', 'en'], ['de'])
    """
    code = lang.split("_", 1)[0]
    return [lang, code] if code != lang else [lang]


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Return the built-in catalogue shipped with phrasebook."""
    return Catalog(
        specs=_package_dir("scenarios"),
        templates=templates_root(),
        examples=_package_dir("examples"),
    )


# --- template packs ------------------------------------------------------------

#: Spec files in a pack larger than this are refused before parsing.
MAX_PACK_SPEC_BYTES = 256_000
#: Packs with more files than this are refused (a pack is a handful of text files).
MAX_PACK_FILES = 2_000
_PACK_YAML_DEPTH = 20
_SCENARIO_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def user_pack_dirs() -> list[Path]:
    """Return the packs installed in ``<config dir>/packs/``, sorted by name."""
    from .paths import packs_dir

    root = packs_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _pack_yaml_loader() -> type:
    import yaml

    class PackLoader(yaml.SafeLoader):
        """Safe YAML with types, but without aliases, duplicate keys or deep nesting."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise SpecError(
                    f"{self.name}:{mark.line + 1}:{mark.column + 1}: "
                    + _("YAML aliases are not allowed")
                )
            self._depth = getattr(self, "_depth", 0) + 1
            try:
                if self._depth > _PACK_YAML_DEPTH:
                    mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                    raise SpecError(f"{self.name}:{mark.line + 1}: " + _("nested too deeply"))
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, int] = {}
            for key_node, _value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    first = seen[key]
                    raise SpecError(
                        f"{self.name}:{line}: "
                        + _("duplicate key {key!r} (first given on line {line})").format(
                            key=key, line=first
                        )
                    )
                seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return PackLoader


def load_pack_yaml(path: Path) -> Any:
    """Read a spec file from an untrusted pack: size-capped, UTF-8, hardened YAML."""
    import stat

    import yaml

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(f"{path}: " + _("not a regular file (a FIFO, socket or device)"))
        size = info.st_size
        if size > MAX_PACK_SPEC_BYTES:
            raise SpecError(
                f"{path}: "
                + _("{size:,} bytes; spec files are limited to {limit:,}").format(
                    size=size, limit=MAX_PACK_SPEC_BYTES
                )
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_PACK_SPEC_BYTES + 1)
        if len(data) > MAX_PACK_SPEC_BYTES:
            raise SpecError(
                f"{path}: "
                + _("more than {limit:,} bytes; spec files are limited to {limit:,}").format(
                    limit=MAX_PACK_SPEC_BYTES
                )
            )
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            f"{path}: "
            + _("byte {offset} is not UTF-8; save the file as UTF-8").format(offset=exc.start)
        ) from None
    except OSError as exc:
        raise SpecError(
            f"{path}: " + _("cannot be read ({reason})").format(reason=exc.strerror or exc)
        ) from None
    loader = _pack_yaml_loader()(text)
    loader.name = str(path)
    try:
        return _visible(loader.get_single_data())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise SpecError(f"{where}: {exc.problem or exc.context or _('invalid YAML')}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise SpecError(f"{path}: {exc or _('nested too deeply')}") from None
    finally:
        loader.dispose()


#: Characters a pack's texts must not send to a terminal raw: C0 and C1 controls (but tab
#: and line feed), DEL, and the bidi controls that reorder what is shown.
_RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(data: Any) -> Any:
    """``data`` with control characters in its texts written as escapes (``\\x1b``)."""
    if isinstance(data, str):
        if _RAW_CONTROLS.search(data) is None:
            return data
        return _RAW_CONTROLS.sub(lambda m: repr(m.group())[1:-1], data)
    if isinstance(data, list):
        return [_visible(item) for item in data]
    if isinstance(data, dict):
        return {_visible(key): _visible(value) for key, value in data.items()}
    return data


def check_pack_links(root: Path) -> list[Path]:
    """Refuse a pack that links to anything outside itself, or that is implausibly large.

    Returns the entries that are neither files nor directories (FIFOs, sockets,
    devices): reading one could block forever, so the pack skips them.

    Raises:
        SpecError: naming the first link that leads out of the pack.
    """
    import stat

    boundary = root.resolve()
    count = 0
    special: list[Path] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        for name in (*dirnames, *filenames):
            count += 1
            if count > MAX_PACK_FILES:
                raise SpecError(
                    f"{root}: "
                    + _("more than {limit:,} files; is this a template pack?").format(
                        limit=MAX_PACK_FILES
                    )
                )
            path = Path(directory) / name
            if path.is_symlink() and not path.resolve().is_relative_to(boundary):
                rel = path.relative_to(root)
                raise SpecError(
                    f"{root}: "
                    + _(
                        "{path} is a link to a place outside the pack; packs may not link elsewhere"
                    ).format(path=rel)
                )
            try:
                mode = path.stat().st_mode  # a link inside the pack counts as what it leads to
            except OSError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                special.append(path)
    return special


class Pack:
    """A template pack: the same layout as the built-in catalogue, from an untrusted directory.

    ``DIR/scenarios/<name>.yaml`` (plus an optional ``_letter.yaml``),
    ``DIR/templates/<lang>/<name>.jinja`` and ``DIR/examples/<name>.<lang>.yaml``.
    Templates render in a bounded sandbox (:mod:`phrasebook.sandbox`) and may
    extend the built-in ``_letter.jinja``. Nothing in a pack is executed.

    Raises:
        SpecError: when the directory is missing or links outside itself.
    """

    def __init__(self, root: str | Path, base: Catalog | None = None) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise SpecError(
                f"{self.root}: " + _("template pack not found (expected a directory)")
            )
        special = check_pack_links(self.root)
        #: Entries that are not files (FIFOs, sockets, devices): skipped, never read.
        self.skipped = {path.resolve() for path in special}
        #: What a person should know about the pack (said once, by the command line).
        self.warnings = [
            f"{path}: " + _("not a regular file (a FIFO, socket or device); skipped")
            for path in sorted(special)
        ]
        self.base = base or load_catalog()
        self.specs = self.root / "scenarios"
        self.templates = self.root / "templates"
        self.examples: Path | None = self.root / "examples"
        self._cache: dict[str, Scenario] = {}
        self._environments: dict[Any, Any] = {}

    def __repr__(self) -> str:
        return f"Pack({str(self.root)!r})"

    def _inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root.resolve())

    def names(self) -> list[str]:
        """Return the scenario names the pack provides, sorted."""
        if not self.specs.is_dir():
            return []
        return sorted(
            p.stem
            for p in self.specs.glob("*.yaml")
            if not p.name.startswith("_") and _SCENARIO_NAME.match(p.stem) and self._usable(p)
        )

    def _usable(self, path: Path) -> bool:
        """Whether ``path`` may be read: not one of the skipped special files."""
        return not self.skipped or path.resolve() not in self.skipped

    def scenario(self, name: str) -> Scenario:
        """Return the parsed scenario ``name`` from the pack."""
        if name in self._cache:
            return self._cache[name]
        names = self.names()
        if name not in names:
            raise UnknownScenario(name, names)
        shared_path = self.specs / _SHARED_LETTER_SPEC
        if shared_path.is_file() and self._inside(shared_path) and self._usable(shared_path):
            shared_data = load_pack_yaml(shared_path)
            shared = shared_data.get("params", {}) if isinstance(shared_data, dict) else {}
        else:
            base_shared = self.base.specs / _SHARED_LETTER_SPEC
            shared = _load_yaml(base_shared).get("params", {}) if base_shared.is_file() else {}
        path = self.specs / f"{name}.yaml"
        try:
            data = load_pack_yaml(path)
            scenario = parse_scenario(name, data, str(path), TEMPLATE_LANGUAGES, shared)
        except (TypeError, AttributeError, ValueError, ArithmeticError) as exc:
            raise SpecError(
                f"{path}: " + _("not a valid scenario spec ({error})").format(error=exc)
            ) from None
        self._cache[name] = scenario
        return scenario

    def scenarios(self) -> list[Scenario]:
        """Return every scenario of the pack, sorted by name."""
        return [self.scenario(n) for n in self.names()]

    def template_name(self, scenario: str) -> str:
        """Return the template's file name inside a language directory."""
        return f"{scenario}{TEMPLATE_SUFFIX}"

    def template_label(self, scenario: str, lang: str) -> str:
        """Return the template's path as shown in messages."""
        return str(self.templates / lang / self.template_name(scenario))

    def example_path(self, scenario: str, lang: str) -> Path | None:
        """Return the pack's example parameter file, if any (never one outside the pack);
        a variant's own ("en_US") before its language's."""
        for name in example_names(lang):
            path = self.root / "examples" / f"{scenario}.{name}.yaml"
            if path.is_file() and self._inside(path) and self._usable(path):
                return path
        return None

    def provider(self, name: str) -> Pack:
        """Return this pack if it defines scenario ``name``."""
        self.scenario(name)
        return self

    def environment_for(self, scenario: str, language: Language) -> Any:
        """Return the pack's sandbox, which renders every scenario of the pack."""
        return self.environment(language)

    def environment(self, language: Language) -> Any:
        """Return the pack's bounded sandbox for one language (cached per pack)."""
        env = self._environments.get(language)
        if env is None:
            from .filters import filters_for
            from .sandbox import make_pack_environment

            search = (
                (self.templates / language.code, self.root),
                (self.base.templates / language.code, self.base.templates),
            )
            env = make_pack_environment(search, filters_for(language))
            self._environments[language] = env
        return env


class LayeredCatalog:
    """The built-in catalogue with template packs on top: a later layer wins per scenario.

    Offers the same methods as :class:`Catalog`, so :func:`phrasebook.render`
    accepts it as ``catalog=``.
    """

    def __init__(self, base: Catalog, packs: Sequence[Pack] = ()) -> None:
        self.base = base
        self.packs = tuple(packs)
        self.templates = base.templates
        self._providers: dict[str, Catalog | Pack] | None = None

    def _map(self) -> dict[str, Catalog | Pack]:
        if self._providers is None:
            providers: dict[str, Catalog | Pack] = dict.fromkeys(self.base.names(), self.base)
            for pack in self.packs:
                providers.update(dict.fromkeys(pack.names(), pack))
            self._providers = providers
        return self._providers

    def names(self) -> list[str]:
        """Return every scenario name, sorted."""
        return sorted(self._map())

    def provider(self, name: str) -> Catalog | Pack:
        """Return the layer that provides scenario ``name``."""
        providers = self._map()
        if name not in providers:
            raise UnknownScenario(name, sorted(providers))
        return providers[name]

    def scenario(self, name: str) -> Scenario:
        """Return the parsed scenario ``name`` from the layer that provides it."""
        return self.provider(name).scenario(name)

    def scenarios(self) -> list[Scenario]:
        """Return every scenario, sorted by name."""
        return [self.scenario(n) for n in self.names()]

    def template_name(self, scenario: str) -> str:
        """Return the template's file name inside a language directory."""
        return self.provider(scenario).template_name(scenario)

    def template_label(self, scenario: str, lang: str) -> str:
        """Return the template's path as shown in messages."""
        return self.provider(scenario).template_label(scenario, lang)

    def example_path(self, scenario: str, lang: str) -> Path | None:
        """Return the example parameter file of the layer that provides ``scenario``."""
        return self.provider(scenario).example_path(scenario, lang)

    def environment_for(self, scenario: str, language: Language) -> Any:
        """Return the Jinja environment that renders ``scenario``."""
        return self.provider(scenario).environment(language)


def catalog_with_packs(
    packs: Sequence[str | Path] = (), *, user_packs: bool = True
) -> Catalog | LayeredCatalog:
    """Return the built-in catalogue layered with packs.

    Packs from ``<config dir>/packs/`` come first (when ``user_packs``), then
    ``packs`` in the order given; a later pack overrides an earlier one.
    Without any pack this is simply :func:`load_catalog`.
    """
    base = load_catalog()
    dirs = [*(user_pack_dirs() if user_packs else []), *(Path(p) for p in packs)]
    if not dirs:
        return base
    return LayeredCatalog(base, [Pack(d, base) for d in dirs])
