"""Reading what users give us: YAML parameter files and ``name=value`` pairs.

YAML is read with a loader that keeps every scalar as the string that was
written (``NO`` stays "NO", ``01067`` stays "01067", ``1.10`` stays "1.10");
the scenario spec decides the type. Aliases, duplicate keys, oversized files,
deep nesting and non-UTF-8 bytes are refused with a message that names the
file and the place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import ParamsFileError, PhrasebookError
from .messages import N_, _

#: Plain YAML scalars that mean "no value". "Null" and "NULL" stay text: Null is a surname.
_NULLS = frozenset({"", "~", "null"})
#: Parameter files larger than this are refused before parsing.
MAX_PARAMS_BYTES = 1_000_000
_MAX_DEPTH = 50


@functools.cache
def strict_loader_class() -> type:
    """The loader for parameter files: libyaml's parser where PyYAML has it (a
    noticeable part of a single render otherwise), PyYAML's own parser elsewhere;
    composing and constructing are PyYAML's, with the checks below."""
    import yaml

    parser: type
    try:
        from yaml._yaml import CParser  # libyaml: events, with line and column

        parser = CParser
    except ImportError:  # PyYAML built without libyaml

        class PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
            def __init__(self, stream: str) -> None:
                yaml.reader.Reader.__init__(self, stream)
                yaml.scanner.Scanner.__init__(self)
                yaml.parser.Parser.__init__(self)

        parser = PyParser

    class StrictStringLoader(
        yaml.composer.Composer,
        parser,  # type: ignore[misc]  # libyaml's or PyYAML's, chosen at run time
        yaml.constructor.BaseConstructor,
        yaml.resolver.BaseResolver,
    ):
        """A YAML loader that returns only str, list and dict, and refuses aliases."""

        def __init__(self, stream: str) -> None:
            parser.__init__(self, stream)  # type: ignore[misc]
            yaml.composer.Composer.__init__(self)
            yaml.constructor.BaseConstructor.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                mark = event.start_mark
                raise ParamsFileError(
                    f"{self.name}:{mark.line + 1}:{mark.column + 1}: "
                    + _("YAML aliases (*name) are not allowed in parameter files")
                )
            tag = getattr(self.peek_event(), "tag", None)
            if tag not in (None, "!"):  # "!!python/object", "!!int": values stay text here
                mark = self.peek_event().start_mark
                written = tag.replace("tag:yaml.org,2002:", "!!", 1)
                raise ParamsFileError(
                    f"{self.name}:{mark.line + 1}:{mark.column + 1}: "
                    + _("YAML tags ({tag}) are not allowed in parameter files").format(tag=written)
                )
            self._depth = getattr(self, "_depth", 0) + 1
            try:
                if self._depth > _MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise ParamsFileError(
                        f"{self.name}:{mark.line + 1}:{mark.column + 1}: {_(NESTED_TOO_DEEPLY)}"
                    )
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_scalar(self, node: Any) -> Any:
            # An unquoted null, ~ or empty value means "not given"; a quoted "null" is text.
            value = super().construct_scalar(node)
            if not node.style and value in _NULLS:  # libyaml writes "" for the plain style
                return None
            return value

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[str, int] = {}
            for key_node, _value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise ParamsFileError(f"{self.name}:{line}: " + _("keys must be plain names"))
                key = key_node.value
                if key in seen:
                    raise ParamsFileError(
                        f"{self.name}:{line}: "
                        + _("duplicate key {key!r} (first given on line {line})").format(
                            key=key, line=seen[key]
                        )
                    )
                seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return StrictStringLoader


def read_params_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML parameter file into a mapping of raw (string) values.

    Raises:
        ParamsFileError: for a missing or oversized file, bytes that are not UTF-8,
            YAML syntax errors, aliases, duplicate keys or a top level that is not a mapping.
    """
    text = read_text(path, limit=MAX_PARAMS_BYTES, kind=_("parameter files"))
    return parse_params_text(text, str(path))


def read_text(
    path: str | Path,
    *,
    limit: int,
    kind: str,
    error: type[PhrasebookError] = ParamsFileError,
) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes; every failure names the file.

    Args:
        path: the file to read.
        limit: the largest size accepted, checked before reading.
        kind: what such files are called in the size message ("parameter files"),
            in the current message language.
        error: the exception class to raise.
    """
    return decode_utf8(read_bytes(path, limit=limit, kind=kind, error=error), str(path), error)


def read_bytes(
    path: str | Path,
    *,
    limit: int,
    kind: str,
    error: type[PhrasebookError] = ParamsFileError,
) -> bytes:
    """Read a file of at most ``limit`` bytes (see :func:`read_text`)."""
    name = str(path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(
                f"{name}: "
                + _("file is {size:,} bytes; {kind} are limited to {limit:,}").format(
                    size=size, kind=kind, limit=limit
                )
            )
        # Read no more than the limit allows: a device or pipe has no size to check first.
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise error(
                f"{name}: "
                + _("more than {limit:,} bytes; {kind} are limited to {limit:,}").format(
                    limit=limit, kind=kind
                )
            )
    except FileNotFoundError:
        raise error(f"{name}: " + _("no such file")) from None
    except IsADirectoryError:
        raise error(f"{name}: " + _("is a directory, expected a file")) from None
    except OSError as exc:
        raise error(
            f"{name}: " + _("cannot be read ({reason})").format(reason=exc.strerror)
        ) from None
    return data


def decode_utf8(data: bytes, name: str, error: type[PhrasebookError] = ParamsFileError) -> str:
    """Decode UTF-8 (with or without BOM) strictly, naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{name}:{line}: "
            + _("byte {offset} (0x{value:02x}) is not UTF-8; save the file as UTF-8").format(
                offset=exc.start, value=data[exc.start]
            )
        ) from None


def parse_params_text(
    text: str, name: str = "<params>", expected: str | None = None
) -> dict[str, Any]:
    """Parse YAML text into a mapping of raw values (see :func:`read_params_file`);
    ``expected`` says what the top level should have been when it is not a mapping
    (in the current message language; by default "a mapping of parameter names to values")."""
    import yaml

    loader = None
    try:
        loader = strict_loader_class()(text)
        loader.name = name
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        # The first such character is the one reported (libyaml counts its place in bytes).
        where = _place_of(text, max(text.find(chr(exc.character)), 0))
        raise ParamsFileError(
            f"{name}:{where}: "
            + _("character {code} is not allowed in YAML; remove it").format(
                code=f"U+{exc.character:04X}"
            )
        ) from None
    except UnicodeEncodeError as exc:  # a lone surrogate, from bytes that were not UTF-8
        raise ParamsFileError(
            f"{name}:{_place_of(text, exc.start)}: "
            + _("character {code} is not allowed in YAML; remove it").format(
                code=f"U+{ord(text[exc.start]):04X}"
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{_place(text, mark.line, mark.column)}" if mark else name
        problem = yaml_problem(exc)
        if problem == _(NESTED_TOO_DEEPLY):
            raise ParamsFileError(f"{where}: {problem}") from None
        start = exc.context_mark
        if exc.problem and exc.context and start is not None and start is not mark:
            problem += _(" ({context} that starts at line {line}, column {column})").format(
                context=exc.context, line=start.line + 1, column=start.column + 1
            )
        if mark and "tab" not in problem and _indented_with_tab(text, mark.line):
            problem += _("; indent with spaces, not tabs")
        raise ParamsFileError(f"{where}: {problem}") from None
    except yaml.YAMLError as exc:
        raise ParamsFileError(f"{name}: {exc}") from None
    except RecursionError:
        raise ParamsFileError(f"{name}: {_(NESTED_TOO_DEEPLY)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None or data == "":
        return {}
    if not isinstance(data, dict):
        wanted = expected if expected is not None else _("a mapping of parameter names to values")
        raise ParamsFileError(f"{name}: " + _("expected {expected}").format(expected=wanted))
    return data


#: The problem of a YAML text nested too deeply (translate it where it is shown).
NESTED_TOO_DEEPLY = N_("nested too deeply")


def yaml_problem(exc: Any) -> str:
    """What a YAML syntax error says, with libyaml's own nesting limit worded as ours
    (in the current message language; PyYAML's own wording is English)."""
    problem = str(exc.problem or exc.context or _("invalid YAML"))
    return _(NESTED_TOO_DEEPLY) if problem.startswith("exceeded maximum nesting depth") else problem


#: What YAML counts as a line break.
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _place(text: str, line: int, column: int) -> str:
    """``line:column`` (from 1) for a place given from 0; the end of a text without a
    final line break is shown as the end of its last line, not as a line after it."""
    lines = _BREAKS.split(text)
    if line >= len(lines):
        return f"{len(lines)}:{len(lines[-1]) + 1}"
    return f"{line + 1}:{column + 1}"


def _indented_with_tab(text: str, line: int) -> bool:
    """Whether line ``line`` (from 0) of ``text`` starts with whitespace holding a tab."""
    lines = _BREAKS.split(text)
    if line >= len(lines):
        return False
    content = lines[line]
    return "\t" in content[: len(content) - len(content.lstrip(" \t"))]


def _place_of(text: str, index: int) -> str:
    """``line:column`` (from 1) of the character at ``index``."""
    lines = _BREAKS.split(text[:index])
    return f"{len(lines)}:{len(lines[-1]) + 1}"


def parse_assignments(
    pairs: Iterable[str], list_names: Iterable[str] = (), record_names: Iterable[str] = ()
) -> dict[str, Any]:
    """Turn ``name=value`` strings into a mapping; repeated list parameters collect items.

    For a list of records (``record_names``), each value is one record written as a YAML
    flow mapping, read like a parameter file: ``phases={name: Start, date: 2026-12-01}``.

    >>> parse_assignments(["deadline=2026-12-02", "points=a", "points=b"], ["points"])
    {'deadline': '2026-12-02', 'points': ['a', 'b']}
    >>> parse_assignments(["phases={name: Start, date: 2026-12-01}"], ["phases"], ["phases"])
    {'phases': [{'name': 'Start', 'date': '2026-12-01'}]}
    """
    lists = set(list_names)
    records = set(record_names)
    result: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParamsFileError(_("--set expects NAME=VALUE, got {value!r}").format(value=pair))
        if name in records:
            one_item = _("one item as {{field: value, ...}}; repeat --set for more").format()
            record = parse_params_text(value, f"--set {name}", one_item) if value.strip() else {}
            if not record:
                raise ParamsFileError(
                    f"--set {name}: "
                    + _("expected one item as {{field: value, ...}}, got {value!r}").format(
                        value=value
                    )
                )
            result.setdefault(name, []).append(record)
        elif name in lists:
            result.setdefault(name, []).append(value)
        else:
            result[name] = value
    return result
