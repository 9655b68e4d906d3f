"""Reading a rows file: CSV, a YAML list or JSON Lines, one record at a time.

* **CSV** (``.csv``, ``.tsv``, ``.txt``): a header row of parameter names
  (``recipient.last_name``, ``deadline``, ...). UTF-8 with or without BOM, or
  any encoding given explicitly (``cp1252`` for German Excel). The delimiter
  (``,``, ``;`` or tab) is taken from the header line unless given. A list
  parameter takes one item per line of its cell.
* **YAML** (``.yaml``, ``.yml``): a list of mappings, read item by item with the
  same strict loader as parameter files.
* **JSON Lines** (``.jsonl``, ``.ndjson``): one JSON object per line.

A record that cannot be read becomes a :class:`Row` with an ``error``; the others
are still read, so one bad record never stops a batch.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from ..errors import InvalidInput
from ..messages import _

#: Longest line accepted in a JSON Lines file.
MAX_JSON_LINE = 1_000_000


class RowsFileError(InvalidInput):
    """The rows file cannot be used at all: missing, wrong encoding, bad header."""


@dataclass(frozen=True)
class Row:
    """One record of a rows file.

    Attributes:
        line: the line number where the record starts (the CSV header is line 1).
        values: the non-empty values by column or key; None when the record is broken.
        error: why the record could not be read, if it could not.
        skipped: an empty record (blank line, a row of only delimiters).
    """

    line: int
    values: dict[str, Any] | None = None
    error: str | None = None
    skipped: bool = False


class RowSource:
    """An open rows file: its header (CSV only) and a stream of :class:`Row`."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.columns: tuple[str, ...] | None = None
        self.delimiter: str | None = None
        self.warnings: list[str] = []
        self.size = path.stat().st_size
        self._binary: Any = None

    def position(self) -> int:
        """Return roughly how many bytes have been read (for progress bars)."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            return int(self._binary.tell())
        return 0

    def __iter__(self) -> Iterator[Row]:
        raise NotImplementedError

    def close(self) -> None:
        """Close the underlying file."""
        text = getattr(self, "_text", None)
        if text is not None:
            text.close()
        if self._binary is not None:
            self._binary.close()


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".xlsx", ".xls", ".ods", ".numbers"):
        raise RowsFileError(
            f"{path}: " + _("spreadsheets cannot be read directly; save the sheet as CSV")
        )
    raise RowsFileError(
        f"{path}: "
        + _("unknown rows file type {suffix!r}; use .csv, .yaml or .jsonl").format(
            suffix=suffix or _("(none)")
        )
    )


def estimate_rows(path: str | Path, sample: int = 1 << 20) -> int:
    """About how many rows ``path`` holds, from its first ``sample`` bytes and its size:
    lines for CSV and JSON Lines, top-level list items for YAML; 0 when it cannot be read.

    Cheap enough for any size: it chooses the number of workers, not what is written.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(sample)
        kind = _kind(path)
    except (OSError, RowsFileError):
        return 0
    if not head:
        return 0
    if kind == "yaml":
        found = head.count(b"\n- ") + head.startswith(b"- ")
    else:
        found = head.count(b"\n") + (not head.endswith(b"\n"))
    return found if len(head) >= size else found * size // len(head)


def check_encoding(path: Path, encoding: str | None) -> str:
    """Decode the whole file once, strictly, and return the codec to read it with.

    UTF-8 (with or without BOM) is the default. With another ``encoding``, a file
    that is really UTF-8 is refused too: reading it as cp1252 would turn ``ü``
    into ``Ã¼`` without any error.

    Raises:
        RowsFileError: naming the line and byte that do not decode, with a hint.
    """
    name = (encoding or "utf-8").strip()
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise RowsFileError(
            _("unknown encoding {name!r}; try utf-8 or cp1252").format(name=name)
        ) from None
    if not getattr(codec, "_is_text_encoding", True):  # base64, rot13, hex, zlib …
        raise RowsFileError(
            _("{name!r} is not a text encoding; try utf-8 or cp1252").format(name=name)
        )
    utf8 = codec.name == "utf-8" or codec.name == "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else codec.name)("strict")
    # With another encoding given, is the file perhaps UTF-8 after all?
    utf8_probe = None if utf8 else codecs.getincrementaldecoder("utf-8")("strict")
    maybe_utf8 = utf8_probe is not None
    non_ascii = False
    offset = 0
    lines = 1
    with path.open("rb") as handle:
        head = handle.read(4)
        if utf8 and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise RowsFileError(
                f"{path}: "
                + _(
                    "the file is UTF-16 (it starts with a UTF-16 mark); "
                    "use --encoding utf-16 or save it as UTF-8"
                )
            )
        if not utf8 and head[:3] == b"\xef\xbb\xbf":
            raise RowsFileError(
                f"{path}: "
                + _(
                    "the file starts with a UTF-8 mark but --encoding {encoding} was given; "
                    "leave out --encoding"
                ).format(encoding=name)
            )
        handle.seek(0)
        while True:
            chunk = handle.read(1 << 20)
            final = not chunk
            try:
                decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                at = offset + max(exc.start, 0)
                data = chunk if chunk else b""
                line = lines + data[: max(exc.start, 0)].count(b"\n")
                bad = data[exc.start] if 0 <= exc.start < len(data) else None
                shown = f" (0x{bad:02x})" if bad is not None else ""
                problem = (
                    _(
                        "byte {offset}{value} is not valid {codec}; "
                        "if it comes from Excel, try --encoding cp1252"
                    )
                    if utf8
                    else _("byte {offset}{value} is not valid {codec}; it is not {encoding} text")
                )
                raise RowsFileError(
                    f"{path}:{line}: "
                    + problem.format(offset=at, value=shown, codec=codec.name, encoding=name)
                ) from None
            except UnicodeError as exc:  # "UTF-16 stream does not start with BOM" and the like
                raise RowsFileError(
                    f"{path}: "
                    + _("cannot be read as {codec} ({error})").format(codec=codec.name, error=exc)
                ) from None
            if utf8_probe is not None:
                if not non_ascii and any(b > 0x7F for b in chunk):
                    non_ascii = True
                if maybe_utf8:
                    try:
                        utf8_probe.decode(chunk, final)
                    except UnicodeDecodeError:
                        maybe_utf8 = False
            if final:
                break
            offset += len(chunk)
            lines += chunk.count(b"\n")
    if maybe_utf8 and non_ascii:
        raise RowsFileError(
            f"{path}: "
            + _(
                "the file is UTF-8, not {encoding}; leave out --encoding "
                "(reading it as {encoding} would garble every umlaut)"
            ).format(encoding=name)
        )
    return "utf-8-sig" if utf8 else codec.name


def open_rows(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    list_params: Sequence[str] = (),
) -> RowSource:
    """Open a rows file (CSV, YAML or JSON Lines, by extension) for streaming.

    Raises:
        RowsFileError: when the file is missing, not decodable or its header is unusable.
    """
    source_path = Path(path)
    kind = _kind(source_path)
    if delimiter in ("tab", "\\t"):
        delimiter = "\t"
    if not source_path.is_file():
        raise RowsFileError(f"{source_path}: " + _("no such file"))
    codec = check_encoding(source_path, encoding)
    if kind == "csv":
        return _CsvRows(source_path, codec, delimiter, set(list_params))
    if kind == "yaml":
        return _YamlRows(source_path, codec)
    return _JsonRows(source_path, codec)


def _sniff_delimiter(first_line: str) -> str:
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def blank(value: Any) -> bool:
    """Whether a cell or value is empty (None or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


class _CsvRows(RowSource):
    def __init__(self, path: Path, codec: str, delimiter: str | None, lists: set[str]) -> None:
        super().__init__(path, "csv")
        self._binary = path.open("rb")
        try:
            self._open(codec, delimiter, lists)
        except BaseException:
            self.close()
            raise

    def _open(self, codec: str, delimiter: str | None, lists: set[str]) -> None:
        path = self.path
        self._text: TextIO = open(  # noqa: SIM115 - closed by close()
            self._binary.fileno(), encoding=codec, newline="", closefd=False
        )
        if delimiter is not None and len(delimiter) != 1:
            raise RowsFileError(
                _("--delimiter must be one character, got {value!r}").format(value=delimiter)
            )
        first = self._text.readline()
        self._text.seek(0)
        self.delimiter = delimiter or _sniff_delimiter(first)
        self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=True)
        self._lists = lists
        try:
            header = next(self._reader)
        except StopIteration:
            raise RowsFileError(
                f"{path}: " + _("the file is empty; expected a header row")
            ) from None
        except csv.Error as exc:
            raise RowsFileError(
                f"{path}:1: " + _("the header cannot be read ({error})").format(error=exc)
            ) from None
        while header and not header[-1].strip():
            header.pop()
        if not header:
            raise RowsFileError(f"{path}:1: " + _("the header row is empty"))
        columns = []
        for index, raw in enumerate(header, start=1):
            name = raw.strip()
            if not name:
                raise RowsFileError(
                    f"{path}:1: " + _("column {number} has no name").format(number=index)
                )
            if name != raw:
                self.warnings.append(
                    f"{path}:1: "
                    + _("column {column!r} has spaces around its name; using {name!r}").format(
                        column=raw, name=name
                    )
                )
            columns.append(name)
        seen: set[str] = set()
        for name in columns:
            if name in seen:
                raise RowsFileError(f"{path}:1: " + _("duplicate column {name!r}").format(name=name))
            seen.add(name)
        self.columns = tuple(columns)

    def __iter__(self) -> Iterator[Row]:
        columns = self.columns or ()
        width = len(columns)
        lists = self._lists
        reader = self._reader
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                message = str(exc)
                if "unexpected end of data" in message:
                    message = _('unterminated quoted field (a " is not closed)')
                yield Row(start, error=_rest_not_read(message))
                return
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            if not any(c.strip() for c in cells):
                yield Row(start, skipped=True)
                continue
            if len(cells) != width:
                yield Row(
                    start,
                    error=_("expected {count} fields, got {found}").format(
                        count=width, found=len(cells)
                    ),
                )
                continue
            values: dict[str, Any] = {}
            for name, cell in zip(columns, cells, strict=True):
                if not cell.strip():
                    continue
                if name in lists:
                    values[name] = [item for item in cell.splitlines() if item.strip()]
                else:
                    values[name] = cell
            yield Row(start, values)


class _YamlRows(RowSource):
    def __init__(self, path: Path, codec: str) -> None:
        super().__init__(path, "yaml")
        self._binary = path.open("rb")
        self._codec = codec

    def _line_of_character(self, character: str) -> int:
        """The line where ``character`` first occurs (0 when it cannot be found)."""
        try:
            with self.path.open(encoding=self._codec, errors="replace") as handle:
                for number, line in enumerate(handle, 1):
                    if character in line:
                        return number
        except OSError:
            pass
        return 0

    def __iter__(self) -> Iterator[Row]:
        import yaml

        from ..errors import ParamsFileError
        from ..inputs import NESTED_TOO_DEEPLY, strict_loader_class, yaml_problem

        text = open(self._binary.fileno(), encoding=self._codec, closefd=False)  # noqa: SIM115
        loader = strict_loader_class()(text)
        loader.name = str(self.path)
        try:
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                return
            loader.get_event()  # document start
            if not loader.check_event(yaml.SequenceStartEvent):
                mark = loader.peek_event().start_mark
                raise RowsFileError(
                    f"{self.path}:{mark.line + 1}: " + _("expected a list of rows (- key: value)")
                )
            loader.get_event()
            while not loader.check_event(yaml.SequenceEndEvent):
                node = loader.compose_node(None, None)
                line = node.start_mark.line + 1
                loader.anchors = {}
                data = loader.construct_document(node)
                if isinstance(data, dict):
                    if all(blank(v) for v in data.values()):
                        yield Row(line, skipped=True)
                    else:
                        yield Row(line, {k: v for k, v in data.items() if not blank(v)})
                elif blank(data):
                    yield Row(line, skipped=True)
                else:
                    yield Row(line, error=_("expected a mapping of parameter names to values"))
        except ParamsFileError as exc:
            yield Row(_line_of(str(exc)), error=_rest_not_read(_after_location(str(exc))))
        except yaml.reader.ReaderError as exc:
            not_allowed = _("character {code} is not allowed in YAML").format(
                code=f"U+{exc.character:04X}"
            )
            yield Row(self._line_of_character(chr(exc.character)), error=_rest_not_read(not_allowed))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            yield Row(line, error=_rest_not_read(yaml_problem(exc)))
        except RecursionError:
            yield Row(0, error=_rest_not_read(_(NESTED_TOO_DEEPLY)))
        finally:
            loader.dispose()
            text.close()


def _rest_not_read(problem: str) -> str:
    """A problem that ends the reading of a rows file, and says so."""
    return _("{problem}; the rest of the file was not read").format(problem=problem)


def _line_of(message: str) -> int:
    match = re.search(r":(\d+)(?::\d+)?: ", message)
    return int(match.group(1)) if match else 0


def _after_location(message: str) -> str:
    match = re.search(r":\d+(?::\d+)?: ", message)
    return message[match.end() :] if match else message


class _JsonRows(RowSource):
    def __init__(self, path: Path, codec: str) -> None:
        super().__init__(path, "jsonl")
        self._binary = path.open("rb")
        self._codec = codec

    def __iter__(self) -> Iterator[Row]:
        text = open(self._binary.fileno(), encoding=self._codec, newline="", closefd=False)  # noqa: SIM115
        try:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                if len(line) > MAX_JSON_LINE:
                    yield Row(
                        number,
                        error=_("line longer than {limit:,} characters").format(limit=MAX_JSON_LINE),
                    )
                    continue
                try:
                    data = json.loads(line, object_pairs_hook=_no_duplicates, parse_float=Decimal)
                except ValueError as exc:
                    yield Row(number, error=_("not a JSON object ({error})").format(error=exc))
                    continue
                except RecursionError:
                    yield Row(number, error=_("nested too deeply"))
                    continue
                if not isinstance(data, dict):
                    yield Row(number, error=_("expected a JSON object ({{...}}) on each line").format())
                    continue
                values = {k: v for k, v in data.items() if not blank(v)}
                yield Row(number, values) if values else Row(number, skipped=True)
        finally:
            text.close()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(_("duplicate key {key!r}").format(key=key))
        result[key] = value
    return result
