"""Batch runs: one document per row of a CSV, YAML or JSON Lines file.

:func:`run_batch` checks everything that concerns all rows once (scenario,
format, templates, the CSV header, shared values, the output directory), then
streams the rows: each is validated, rendered and written on its own, so a bad
row is reported and the others are still written. Memory stays flat however
many rows there are: rows are read one at a time, the report is written as the
run goes, and output names are tracked in a fixed-size filter.

Rows files:

* **CSV** (``.csv``, ``.tsv``, ``.txt``): a header row of parameter names
  (``recipient.last_name``, ``deadline``, ...). UTF-8 with or without BOM, or
  any encoding given explicitly (``cp1252`` for German Excel). The delimiter
  (``,``, ``;`` or tab) is taken from the header line unless given. A list
  parameter takes one item per line of its cell. Numbers are read strictly in
  the notation of ``numbers`` (German ``1.234,50`` or English ``1,234.50``).
* **YAML** (``.yaml``, ``.yml``): a list of mappings, read item by item with the
  same strict loader as parameter files.
* **JSON Lines** (``.jsonl``, ``.ndjson``): one JSON object per line.

Every row may name a client profile in a ``client`` column and a client group in
``client.group``. Values are layered: profile < ``params`` < the row < ``overrides``.

Output files are named after the recipient (``mueller-katrin.md``): ASCII,
at most 60 characters plus the extension, never a path. When a name repeats
within the batch, the later row gets its line number (``mueller-katrin_17.md``).
Files are published atomically (temporary file + link or rename in the same
directory; a symlink planted at the target is replaced, never followed) and an
existing file is only replaced with ``force``. ``report.csv`` (formula-safe) and
``report.json`` in the output directory list every row; each run replaces them.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from .errors import (
    InvalidInput,
    InvalidParams,
    OutputError,
    OutputExists,
    PhrasebookError,
    TemplateFailure,
    UnsupportedFormat,
    did_you_mean,
)

#: File extension per output format.
EXTENSIONS = {"text": "txt", "md": "md", "eml": "eml"}
#: The columns of ``report.csv`` and the keys of each row in ``report.json``.
REPORT_FIELDS = ("line", "status", "file", "client", "recipient", "message")
#: How phrasebook's reports begin: other files of those names are not replaced without --force.
_REPORT_CSV_START = '\ufeff"line","status","file"'.encode()
_REPORT_JSON_START = b'{"rows": ['
#: Most failures kept in the summary (the report has all of them).
MAX_LISTED_FAILURES = 20
#: Longest slug before the extension and any line suffix.
MAX_SLUG = 60
#: Rows files at least this large are rendered by several processes (``jobs=0``).
AUTO_JOBS_BYTES = 1 << 20
#: Longest line accepted in a JSON Lines file.
MAX_JSON_LINE = 1_000_000

_CLIENT_COLUMNS = ("client", "client.group")
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_TRANSLITERATE = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "Oe",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class RowsFileError(InvalidInput):
    """The rows file cannot be used at all: missing, wrong encoding, bad header."""


class BatchInterrupted(KeyboardInterrupt):
    """The run was interrupted (Ctrl-C); ``summary`` tells what was done.

    Files already published are complete, no temporary files are left, and the
    reports list the rows done so far.
    """

    def __init__(self, summary: BatchSummary) -> None:
        super().__init__("interrupted")
        self.summary = summary


# --- rows ----------------------------------------------------------------------


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
        raise RowsFileError(f"{path}: spreadsheets cannot be read directly; save the sheet as CSV")
    raise RowsFileError(
        f"{path}: unknown rows file type {suffix or '(none)'!r}; use .csv, .yaml or .jsonl"
    )


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
        raise RowsFileError(f"unknown encoding {name!r}; try utf-8 or cp1252") from None
    if not getattr(codec, "_is_text_encoding", True):  # base64, rot13, hex, zlib …
        raise RowsFileError(f"{name!r} is not a text encoding; try utf-8 or cp1252")
    utf8 = codec.name == "utf-8" or codec.name == "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else codec.name)("strict")
    utf8_probe = None if utf8 else codecs.getincrementaldecoder("utf-8")("strict")
    non_ascii = False
    offset = 0
    lines = 1
    with path.open("rb") as handle:
        head = handle.read(4)
        if utf8 and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise RowsFileError(
                f"{path}: the file is UTF-16 (it starts with a UTF-16 mark); "
                "use --encoding utf-16 or save it as UTF-8"
            )
        if not utf8 and head[:3] == b"\xef\xbb\xbf":
            raise RowsFileError(
                f"{path}: the file starts with a UTF-8 mark but --encoding {name} was given; "
                "leave out --encoding"
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
                hint = (
                    "; if it comes from Excel, try --encoding cp1252"
                    if utf8
                    else f"; it is not {name} text"
                )
                raise RowsFileError(
                    f"{path}:{line}: byte {at}{shown} is not valid {codec.name}{hint}"
                ) from None
            except UnicodeError as exc:  # "UTF-16 stream does not start with BOM" and the like
                raise RowsFileError(f"{path}: cannot be read as {codec.name} ({exc})") from None
            if utf8_probe is not None:
                if not non_ascii and any(b > 0x7F for b in chunk):
                    non_ascii = True
                if utf8_probe is not False:
                    try:
                        utf8_probe.decode(chunk, final)
                    except UnicodeDecodeError:
                        utf8_probe = False
            if final:
                break
            offset += len(chunk)
            lines += chunk.count(b"\n")
    if utf8_probe not in (None, False) and non_ascii:
        raise RowsFileError(
            f"{path}: the file is UTF-8, not {name}; leave out --encoding "
            "(reading it as {name} would garble every umlaut)".replace("{name}", name)
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
        raise RowsFileError(f"{source_path}: no such file")
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


def _blank(value: Any) -> bool:
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
            raise RowsFileError(f"--delimiter must be one character, got {delimiter!r}")
        first = self._text.readline()
        self._text.seek(0)
        self.delimiter = delimiter or _sniff_delimiter(first)
        self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=True)
        self._lists = lists
        try:
            header = next(self._reader)
        except StopIteration:
            raise RowsFileError(f"{path}: the file is empty; expected a header row") from None
        except csv.Error as exc:
            raise RowsFileError(f"{path}:1: the header cannot be read ({exc})") from None
        while header and not header[-1].strip():
            header.pop()
        if not header:
            raise RowsFileError(f"{path}:1: the header row is empty")
        columns = []
        for index, raw in enumerate(header, start=1):
            name = raw.strip()
            if not name:
                raise RowsFileError(f"{path}:1: column {index} has no name")
            if name != raw:
                self.warnings.append(
                    f"{path}:1: column {raw!r} has spaces around its name; using {name!r}"
                )
            columns.append(name)
        seen: set[str] = set()
        for name in columns:
            if name in seen:
                raise RowsFileError(f"{path}:1: duplicate column {name!r}")
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
                    message = 'unterminated quoted field (a " is not closed)'
                yield Row(start, error=f"{message}; the rest of the file was not read")
                return
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            if not any(c.strip() for c in cells):
                yield Row(start, skipped=True)
                continue
            if len(cells) != width:
                yield Row(start, error=f"expected {width} fields, got {len(cells)}")
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

        from .errors import ParamsFileError
        from .inputs import NESTED_TOO_DEEPLY, _loader_class, yaml_problem

        text = open(self._binary.fileno(), encoding=self._codec, closefd=False)  # noqa: SIM115
        loader = _loader_class()(text)
        loader.name = str(self.path)
        try:
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                return
            loader.get_event()  # document start
            if not loader.check_event(yaml.SequenceStartEvent):
                mark = loader.peek_event().start_mark
                raise RowsFileError(
                    f"{self.path}:{mark.line + 1}: expected a list of rows (- key: value)"
                )
            loader.get_event()
            while not loader.check_event(yaml.SequenceEndEvent):
                node = loader.compose_node(None, None)
                line = node.start_mark.line + 1
                loader.anchors = {}
                data = loader.construct_document(node)
                if isinstance(data, dict):
                    if all(_blank(v) for v in data.values()):
                        yield Row(line, skipped=True)
                    else:
                        yield Row(line, {k: v for k, v in data.items() if not _blank(v)})
                elif _blank(data):
                    yield Row(line, skipped=True)
                else:
                    yield Row(line, error="expected a mapping of parameter names to values")
        except ParamsFileError as exc:
            yield Row(
                _line_of(str(exc)),
                error=f"{_after_location(str(exc))}; the rest of the file was not read",
            )
        except yaml.reader.ReaderError as exc:
            yield Row(
                self._line_of_character(chr(exc.character)),
                error=f"character U+{exc.character:04X} is not allowed in YAML; "
                "the rest of the file was not read",
            )
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            yield Row(line, error=f"{yaml_problem(exc)}; the rest of the file was not read")
        except RecursionError:
            yield Row(0, error=f"{NESTED_TOO_DEEPLY}; the rest of the file was not read")
        finally:
            loader.dispose()
            text.close()


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
                    yield Row(number, error=f"line longer than {MAX_JSON_LINE:,} characters")
                    continue
                try:
                    data = json.loads(line, object_pairs_hook=_no_duplicates, parse_float=Decimal)
                except ValueError as exc:
                    yield Row(number, error=f"not a JSON object ({exc})")
                    continue
                except RecursionError:
                    yield Row(number, error="nested too deeply")
                    continue
                if not isinstance(data, dict):
                    yield Row(number, error="expected a JSON object ({...}) on each line")
                    continue
                values = {k: v for k, v in data.items() if not _blank(v)}
                yield Row(number, values) if values else Row(number, skipped=True)
        finally:
            text.close()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


# --- names -------------------------------------------------------------------------


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Return a portable file-name stem: lowercase ASCII letters, digits and ``-``.

    German umlauts are transliterated (``ü`` → ``ue``), other accents dropped;
    path separators, dots, controls and bidi characters disappear. Windows device
    names get a prefix. The result may be empty.

    >>> slugify("Dr. Jürgen Müller-Lüdenscheidt")
    'dr-juergen-mueller-luedenscheidt'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("CON")
    'client-con'
    """
    text = str(text)
    if text.isascii():
        ascii_text = text
    else:
        folded = unicodedata.normalize("NFKC", text).translate(_TRANSLITERATE)
        ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    if slug in _WINDOWS_RESERVED:
        slug = f"client-{slug}"
    return slug


def recipient_label(values: Mapping[str, Any]) -> str:
    """Return "First Last" from raw values, for reports."""
    parts = (values.get("recipient.first_name"), values.get("recipient.last_name"))
    return " ".join(
        str(p).strip() for p in parts if p not in (None, "") and not isinstance(p, (list, dict))
    )


class NameRegistry:
    """Hands out one distinct file name per row, in constant memory.

    The first row with a slug gets ``slug.ext``; any later row whose slug *may*
    have been used already gets ``slug_LINE.ext``. "May" comes from a Bloom
    filter: it never misses a repeat, and a rare false alarm only adds a line
    number. Plain slugs never contain ``_``, so the two forms cannot collide.
    The names depend only on the rows, so a re-run gives the same names.
    """

    BITS = 1 << 25
    HASHES = 4

    def __init__(self) -> None:
        self._bits = bytearray(self.BITS // 8)

    def _positions(self, slug: str) -> list[int]:
        digest = hashlib.blake2b(slug.encode("ascii"), digest_size=16).digest()
        first = int.from_bytes(digest[:8], "little")
        step = int.from_bytes(digest[8:], "little") | 1
        mask = self.BITS - 1
        return [(first + i * step) & mask for i in range(self.HASHES)]

    def name(self, values: Mapping[str, Any], line: int, ext: str) -> str:
        """Return the file name for a row with these raw values, starting on ``line``."""
        last = values.get("recipient.last_name")
        first = values.get("recipient.first_name")
        text = " ".join(str(v) for v in (last, first) if v and not isinstance(v, (list, dict)))
        slug = slugify(text) or f"row-{line}"
        bits = self._bits
        seen = True
        for pos in self._positions(slug):
            byte, bit = divmod(pos, 8)
            if not bits[byte] & (1 << bit):
                seen = False
                bits[byte] |= 1 << bit
        return f"{slug}_{line}.{ext}" if seen else f"{slug}.{ext}"


# --- writing ---------------------------------------------------------------------


class OutputDir:
    """The output directory, opened once; files are published by name inside it only."""

    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        if create and not path.exists() and not path.is_symlink():
            try:
                path.mkdir(parents=True)
            except OSError as exc:
                raise OutputError(
                    f"{path}: cannot create the output directory ({exc.strerror})"
                ) from None
        if not path.is_dir():
            raise OutputError(f"{path}: not a directory")
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
        self._counter = itertools.count()
        self._prefix = f".phrasebook-{os.getpid()}-"

    @classmethod
    def inherit(cls, path: Path, fd: int) -> OutputDir:
        """Use a directory handle opened by the parent process (worker processes)."""
        directory = cls.__new__(cls)
        directory.path = path
        directory.fd = fd
        directory._counter = itertools.count()
        directory._prefix = f".phrasebook-{os.getpid()}-"
        return directory

    def close(self) -> None:
        """Close the directory handle."""
        os.close(self.fd)

    def exists(self, name: str) -> bool:
        """Whether ``name`` exists in the directory (a symlink counts, even a broken one)."""
        try:
            os.lstat(name, dir_fd=self.fd)
        except FileNotFoundError:
            return False
        return True

    def temp(self) -> tuple[str, int]:
        """Create a new empty temporary file; return its name and an open descriptor."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_CLOEXEC", 0)
        while True:
            name = f"{self._prefix}{next(self._counter)}.tmp"
            try:
                return name, os.open(name, flags, 0o666, dir_fd=self.fd)
            except FileExistsError:
                continue

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there."""
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)

    def publish(self, name: str, data: bytes, *, force: bool) -> None:
        """Write ``data`` to ``name`` atomically; never over an existing file unless ``force``.

        Raises:
            OutputError: the file exists (without ``force``) or the write failed;
                no partial or temporary file is left behind.
        """
        tmp, fd = self.temp()
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            if force:
                os.replace(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            else:
                try:
                    _rename_noreplace(self.fd, tmp, name)
                except FileExistsError:
                    raise OutputError(
                        f"{self.path / name} already exists; use --force to replace it"
                    ) from None
        except OSError as exc:
            self.remove(tmp)
            raise OutputError(f"{self.path / name}: cannot write ({exc.strerror or exc})") from None
        except BaseException:
            self.remove(tmp)
            raise


@functools.lru_cache(maxsize=1)
def _renameat2() -> Any:
    """Return libc's renameat2 (Linux), or None where it is not available."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError, ImportError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_RENAME_NOREPLACE = 1
_rename_fallback = False


def _rename_noreplace(dir_fd: int, source: str, target: str) -> None:
    """Move ``source`` to ``target`` in one directory unless ``target`` exists (atomically).

    Uses ``renameat2(RENAME_NOREPLACE)`` where the system has it, else a hard
    link and an unlink. Raises FileExistsError when ``target`` exists, even as a
    dangling symlink.
    """
    global _rename_fallback
    function = None if _rename_fallback else _renameat2()
    if function is not None:
        import ctypes

        if (
            function(dir_fd, os.fsencode(source), dir_fd, os.fsencode(target), _RENAME_NOREPLACE)
            == 0
        ):
            return
        errno = ctypes.get_errno()
        if errno == 17:  # EEXIST
            raise FileExistsError(errno, os.strerror(errno), target)
        if errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
            raise OSError(errno, os.strerror(errno), target)
        _rename_fallback = True
    os.link(source, target, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
    os.unlink(source, dir_fd=dir_fd)


def formula_safe(value: Any) -> str:
    """Return a CSV cell that spreadsheet programs will not run as a formula.

    >>> formula_safe('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> formula_safe("Müller")
    'Müller'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def _json_text(value: str | None) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for a string or None, without the overhead."""
    return "null" if value is None else _encode_json_string(value)


_encode_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


class Report:
    """``report.csv`` and ``report.json``, written row by row into temporary files.

    :meth:`finish` moves both into place (replacing earlier reports atomically);
    :meth:`discard` removes the temporary files.
    """

    def __init__(self, out: OutputDir, delimiter: str) -> None:
        self.out = out
        try:
            self._csv_tmp, csv_fd = out.temp()
        except OSError as exc:
            raise OutputError(f"{out.path}: cannot write here ({exc.strerror or exc})") from None
        self._json_tmp, json_fd = out.temp()
        self._csv = open(csv_fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._json = open(json_fd, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._writer = csv.writer(
            self._csv, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n"
        )
        self._writer.writerow(REPORT_FIELDS)
        self._json.write('{"rows": [')
        self._first = True

    def add(self, result: RowResult) -> None:
        """Append one row's outcome to both reports."""
        text = _json_text
        self._writer.writerow(
            (
                result.line,
                result.status,
                formula_safe(result.file),
                formula_safe(result.client),
                formula_safe(result.recipient),
                formula_safe(result.message),
            )
        )
        self._json.write(
            ("\n  " if self._first else ",\n  ")
            + f'{{"line": {result.line}, "status": {text(result.status)}, '
            f'"file": {text(result.file)}, "client": {text(result.client)}, '
            f'"recipient": {text(result.recipient)}, "message": {text(result.message)}}}'
        )
        self._first = False

    def finish(self, summary: Mapping[str, Any]) -> tuple[Path, Path]:
        """Close both files and publish them as ``report.csv`` and ``report.json``."""
        self._json.write('\n], "summary": ' + json.dumps(summary, ensure_ascii=False) + "}\n")
        self._csv.close()
        self._json.close()
        fd = self.out.fd
        os.replace(self._csv_tmp, "report.csv", src_dir_fd=fd, dst_dir_fd=fd)
        os.replace(self._json_tmp, "report.json", src_dir_fd=fd, dst_dir_fd=fd)
        return self.out.path / "report.csv", self.out.path / "report.json"

    @staticmethod
    def check_targets(out_dir: Path, inputs: Sequence[Path | str | None], *, force: bool) -> None:
        """Refuse a run whose reports would replace one of its own inputs, or a file named
        ``report.csv``/``report.json`` that is not an earlier phrasebook report (unless
        ``force``).

        Raises:
            InvalidInput: an input is one of the report files.
            OutputExists: such a file is there and is not a phrasebook report.
        """
        for name, ours in (("report.csv", _REPORT_CSV_START), ("report.json", _REPORT_JSON_START)):
            target = Path(out_dir) / name
            try:
                # a link is replaced, never written through: only a plain file can be lost
                if not stat.S_ISREG(target.lstat().st_mode):
                    continue
                for given in inputs:
                    if given is not None and Path(given).exists() and target.samefile(given):
                        raise InvalidInput(
                            f"{given}: the batch would write its report over this file "
                            f"({target}); choose another output directory"
                        )
                with target.open("rb") as handle:
                    start = handle.read(len(ours))
            except OSError:
                continue
            if start != ours and not force:
                raise OutputExists(f"{target} (not a phrasebook report)")

    def discard(self) -> None:
        """Close and remove the temporary files."""
        for handle in (self._csv, self._json):
            with contextlib.suppress(OSError, ValueError):
                handle.close()
        self.out.remove(self._csv_tmp)
        self.out.remove(self._json_tmp)


# --- the run ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowResult:
    """What happened to one row.

    Attributes:
        line: the line where the row starts.
        status: ``written``, ``failed``, ``skipped`` or (dry run) ``ok``.
        file: the output file name (inside the output directory), if any.
        client: the client profile id, if the row named one.
        recipient: the recipient's name, for people reading the report.
        message: why the row failed, or None.
    """

    line: int
    status: str
    file: str | None = None
    client: str | None = None
    recipient: str | None = None
    message: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the row as plain data (for ``report.json``)."""
        return {
            "line": self.line,
            "status": self.status,
            "file": self.file,
            "client": self.client,
            "recipient": self.recipient,
            "message": self.message,
        }


@dataclass
class BatchSummary:
    """The outcome of :func:`run_batch`.

    Attributes:
        rows: the number of records read (including skipped and failed ones).
        written: files written (in a dry run: rows that would be written).
        failed: rows that produced no file.
        skipped: empty rows.
        failures: the first :data:`MAX_LISTED_FAILURES` failed rows.
        stopped_at: with ``fail_fast``, the line of the row that stopped the run.
        interrupted: whether the run was stopped (Ctrl-C) before the end of the rows.
        reports: the paths of ``report.csv`` and ``report.json`` (none in a dry run).
        warnings: things worth knowing that did not stop the run.
        dry_run: whether nothing was written.
    """

    rows: int = 0
    written: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[RowResult] = field(default_factory=list)
    stopped_at: int | None = None
    interrupted: bool = False
    reports: tuple[Path, ...] = ()
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Whether every row succeeded."""
        return self.failed == 0

    def as_dict(self) -> dict[str, Any]:
        """Return the counts as plain data."""
        return {
            "rows": self.rows,
            "written": self.written,
            "failed": self.failed,
            "skipped": self.skipped,
            "stopped_at": self.stopped_at,
            "interrupted": self.interrupted,
            "dry_run": self.dry_run,
        }


def one_line(message: str) -> str:
    """Join a multi-line error message into one line for reports.

    >>> one_line("x: 2 problems\\n  a: missing\\n  b: bad")
    'x: 2 problems: a: missing; b: bad'
    """
    head, *rest = message.split("\n")
    if not rest:
        return head
    return head + ": " + "; ".join(line.strip() for line in rest if line.strip())


@dataclass
class _Plan:
    """Everything a row needs, prepared once (picklable for worker processes)."""

    scenario: str
    lang: str | None
    fmt: str
    today: dt.date
    base: dict[str, Any]
    overrides: dict[str, Any]
    base_client: str | None
    base_group: str | None
    numbers: str | None
    catalog: tuple[Any, ...] = ()


class _RowRenderer:
    """Validates and renders rows for one plan (in this process or a worker)."""

    def __init__(self, plan: _Plan, catalog: Any = None, profiles: Any = None) -> None:
        from .l10n import resolve_language
        from .profiles import split_client_fields
        from .render import render
        from .spec import flatten

        self._split = split_client_fields
        self._flatten = flatten
        self._render = render
        self._resolve = resolve_language

        self.plan = plan
        self.catalog = catalog or _catalog_from(plan.catalog)
        self.spec = self.catalog.scenario(plan.scenario)
        self.known = {p.name for p in self.spec.params}
        self.decimals = [p for p in self.spec.params if p.type == "decimal"]
        self.language = resolve_language(plan.lang) if plan.lang else None
        self.numbers = resolve_language(plan.numbers) if plan.numbers else None
        self.profiles = profiles

    def merge(self, row_values: Mapping[str, Any]) -> tuple[dict[str, Any], Any, str | None]:
        """Layer profile < base < row < overrides; return values, profile and group."""
        plan = self.plan
        row, client_id, group = self._split(self._flatten(row_values, self.known))
        client_id = client_id or plan.base_client
        group = group or plan.base_group
        profile = None
        values: dict[str, Any] = {}
        if client_id:
            if self.profiles is None:
                raise InvalidInput(
                    f"the row names client {client_id!r} but no client profiles are loaded; "
                    "use --clients FILE"
                )
            profile = self.profiles.get_profile(client_id)
            values.update(profile.params(self.known))
        values.update(plan.base)
        values.update(row)
        values.update(plan.overrides)
        # The profile's and the base file's values are defaults; the row's are checked.
        values = self.spec.without_unpaired(values, keep=[*row, *plan.overrides])
        return values, profile, group

    def render(self, values: dict[str, Any], profile: Any, group: str | None) -> str:
        """Render one row's merged values; return the output text."""
        language = self.language
        if language is None:
            if profile is None or not profile.language:
                raise InvalidInput(
                    "no language for this row: give --lang, or a language in the client's profile"
                )
            language = self._resolve(profile.language)
        if self.decimals:
            self._read_amounts(values, self.numbers or language)
        client = None
        if profile is not None or group:
            client = {
                "id": profile.id if profile else None,
                "name": profile.name if profile else None,
                "group": group or (profile.group if profile else None),
                "region": profile.region if profile else None,
            }
        document = self._render(
            self.spec,
            language,
            values,
            today=self.plan.today,
            fmt=self.plan.fmt,
            catalog=self.catalog,
            client=client,
        )
        return document.text

    def _read_amounts(self, values: dict[str, Any], numbers: Any) -> None:
        """Parse amounts strictly in the rows' notation (``1.234,50`` in German)."""
        from .errors import InvalidParams
        from .spec import Invalid
        from .spec import _short as short

        problems = []
        for param in self.decimals:
            given = values.get(param.name)
            if isinstance(given, str) and given.strip():
                try:
                    values[param.name] = param.coerce(given, numbers)
                except Invalid as exc:
                    problems.append(f"{param.name}: {short(given)} {exc}")
        if problems:
            raise InvalidParams(self.spec.name, problems)


def _catalog_recipe(catalog: Any) -> tuple[Any, ...]:
    """Describe a catalogue in plain data, so worker processes can build the same one."""
    from .catalog import LayeredCatalog

    base = catalog.base if isinstance(catalog, LayeredCatalog) else catalog
    packs = tuple(str(p.root) for p in catalog.packs) if isinstance(catalog, LayeredCatalog) else ()
    examples = str(base.examples) if base.examples is not None else None
    return (str(base.specs), str(base.templates), examples, packs)


def _catalog_from(recipe: tuple[Any, ...]) -> Any:
    from .catalog import Catalog, LayeredCatalog, Pack, load_catalog

    specs, templates, examples, packs = recipe
    builtin = load_catalog()
    if (Path(specs), Path(templates)) == (builtin.specs, builtin.templates):
        base = builtin
    else:
        base = Catalog(Path(specs), Path(templates), Path(examples) if examples else None)
    return LayeredCatalog(base, [Pack(p, base) for p in packs]) if packs else base


def auto_jobs(rows: str | Path) -> int:
    """How many worker processes a run should use: one for small files, more for big ones."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    try:
        size = Path(rows).stat().st_size
    except OSError:
        return 1
    return max(1, min(cpus, 4)) if size >= AUTO_JOBS_BYTES else 1


def _check_template(catalog: Any, scenario: str, languages: Sequence[Any]) -> None:
    """Compile the scenario's template and the templates it names, once, before any row."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, meta

    from .errors import SpecError

    for language in languages:
        if hasattr(catalog, "environment_for"):
            env = catalog.environment_for(scenario, language)
            label = catalog.template_label(scenario, language.code)
        else:
            env = catalog.environment(language)
            label = catalog.template_label(scenario, language.code)
        names = [catalog.template_name(scenario)]
        checked: set[str] = set()
        while names:
            name = names.pop()
            if name in checked:
                continue
            checked.add(name)
            try:
                source = env.loader.get_source(env, name)[0]
                env.get_template(name)
                names.extend(n for n in meta.find_referenced_templates(env.parse(source)) if n)
            except TemplateNotFound as exc:
                raise SpecError(f"{label}: template {exc.name!r} is missing") from None
            except TemplateSyntaxError as exc:
                where = exc.filename or label
                raise TemplateFailure(f"{where}:{exc.lineno}: {exc.message}") from None
            except TemplateFailure as exc:
                raise TemplateFailure(f"{label}: {exc}") from None
    _check_pack_variables(catalog, scenario, languages)


def _check_pack_variables(catalog: Any, scenario: str, languages: Sequence[Any]) -> None:
    """A pack template that uses a variable no parameter declares would fail on every row:
    say so once, before any row (as ``phrasebook check`` does)."""
    from .catalog import Pack

    provider = catalog.provider(scenario) if hasattr(catalog, "provider") else None
    if not isinstance(provider, Pack):
        return  # the shipped templates are checked by their own tests
    from .packs import _declared, _template_problems

    allowed, groups = _declared(catalog.scenario(scenario))
    for language in languages:
        env = catalog.environment_for(scenario, language)
        name = catalog.template_name(scenario)
        source = env.loader.get_source(env, name)[0]
        problems = _template_problems(env, source, allowed, groups)
        if problems:
            label = catalog.template_label(scenario, language.code)
            raise TemplateFailure(f"{label}:{problems[0]} (see phrasebook check)")


def _check_shared_values(spec: Any, values: Mapping[str, Any], language: Any, origin: str) -> None:
    from .errors import InvalidParams
    from .spec import Invalid
    from .spec import _short as short

    names = [p.name for p in spec.params]
    problems = []
    for name, value in values.items():
        if name not in names:
            problems.append(f"{name}: unknown parameter{did_you_mean(name, names)}")
            continue
        if _blank(value):
            continue
        try:
            spec.param(name).coerce(value, language)
        except Invalid as exc:
            problems.append(f"{name}: {short(value)} {exc}")
    if problems:
        raise InvalidParams(f"{spec.name} ({origin})", problems)


def _check_header(source: RowSource, spec: Any, given: set[str], profiles_possible: bool) -> None:
    columns = source.columns
    if columns is None:
        return
    names = [p.name for p in spec.params]
    accepted = set(names) | set(_CLIENT_COLUMNS)
    problems = []
    for column in columns:
        if column not in accepted:
            problems.append(
                f"unknown column {column!r}{did_you_mean(column, [*names, *_CLIENT_COLUMNS])}"
            )
    covered = set(columns) | given
    from_profile = {
        "recipient.last_name",
        "recipient.first_name",
        "recipient.title",
        "recipient.gender",
        "recipient.email",
        "formality",
    }
    missing = [
        p.name
        for p in spec.params
        if p.required
        and p.default is None
        and p.name not in covered
        and not (profiles_possible and p.name in from_profile)
    ]
    if missing:
        problems.append(
            "missing column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(repr(m) for m in missing)
            + " (or give the value with --params or --set)"
        )
    for group in (*spec.one_of, *spec.at_least_one_of):
        if not covered.intersection(group):
            names = " or ".join(repr(n) for n in group)
            problems.append(f"missing column: one of {names} (or give it with --params or --set)")
    if problems:
        hint = ""
        if len(columns) == 1:
            other = ";" if source.delimiter != ";" else ","
            if other in columns[0] or "\t" in columns[0]:
                hint = f"\n  only one column was found; try --delimiter '{other}'"
        lines = "\n".join(f"  {p}" for p in problems)
        raise RowsFileError(f"{source.path}:1: the header does not fit {spec.name}\n{lines}{hint}")


def run_batch(
    scenario: str,
    rows: str | Path,
    out_dir: str | Path,
    *,
    today: dt.date,
    lang: str | None = None,
    fmt: str = "md",
    params: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
    profiles: Any = None,
    catalog: Any = None,
    packs: Sequence[str | Path] = (),
    user_packs: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    numbers: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    fail_fast: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    inputs: Sequence[str | Path | None] = (),
) -> BatchSummary:
    """Render ``scenario`` once per row of ``rows`` into ``out_dir``.

    Args:
        scenario: the scenario's name.
        rows: a ``.csv``, ``.yaml`` or ``.jsonl`` file (see the module docstring).
        out_dir: where the documents and the reports go; created if missing.
        today: the date the texts are written on.
        lang: the language for every row; without it each row's client profile decides.
        fmt: ``md``, ``eml`` or ``text``.
        params: values shared by all rows (below the row's own values).
        overrides: values that win over every row's values (``--set``).
        profiles: client profiles (:class:`~phrasebook.profiles.Profiles`) for ``client`` columns.
        catalog: the catalogue to use; by default the built-in one plus ``packs``.
        packs: template pack directories (ignored when ``catalog`` is given).
        user_packs: also use the packs in the user config directory.
        encoding: the CSV encoding (default UTF-8, with or without BOM).
        delimiter: the CSV delimiter (default: taken from the header line).
        numbers: the notation of amounts in the rows, ``de`` or ``en`` (default: ``lang``).
        dry_run: validate and render every row, write nothing.
        force: replace existing output files.
        fail_fast: stop at the first row that fails.
        jobs: worker processes for rendering (1: render in this process; 0: decide by
            the size of the rows file, see :func:`auto_jobs`). The output is the same.
        progress: called with (bytes read, file size) after each row.
        inputs: the other files the run was given (``--params``, ``--clients``): like
            ``rows``, never replaced by the reports.

    Raises:
        PhrasebookError: for anything that concerns every row (unknown scenario or
            format, template syntax, unusable rows file or header, bad shared values,
            output directory); row problems are reported, not raised.
    """
    from .catalog import catalog_with_packs
    from .l10n import TEMPLATE_LANGUAGES, resolve_language
    from .profiles import normalize_group, split_client_fields
    from .spec import flatten

    if catalog is None:
        catalog = catalog_with_packs(packs, user_packs=user_packs)
    spec = catalog.scenario(scenario)
    if fmt not in EXTENSIONS:
        raise UnsupportedFormat(f"unknown format {fmt!r}; expected one of: {', '.join(EXTENSIONS)}")
    if fmt not in spec.formats:
        raise UnsupportedFormat(
            f"{spec.name} cannot be written as {fmt}; choose one of: {', '.join(spec.formats)}"
        )
    language = resolve_language(lang) if lang else None
    if numbers is not None:
        resolve_language(numbers)
    known = {p.name for p in spec.params}
    base, base_client, base_group = split_client_fields(flatten(dict(params or {}), known))
    top, top_client, top_group = split_client_fields(flatten(dict(overrides or {}), known))
    base_client = top_client or base_client
    base_group = top_group or base_group
    if base_group:
        try:
            base_group = normalize_group(base_group)
        except ValueError as exc:
            raise InvalidInput(f"client.group: {exc}") from None
    check_language = language or resolve_language("de")
    _check_shared_values(spec, base, check_language, "--params")
    _check_shared_values(spec, top, check_language, "--set")
    languages = [language] if language else [resolve_language(c) for c in TEMPLATE_LANGUAGES]
    _check_template(catalog, spec.name, languages)
    list_params = [p.name for p in spec.params if p.type == "list" and not p.fields]
    source = open_rows(rows, encoding=encoding, delimiter=delimiter, list_params=list_params)
    try:
        if profiles is None and source.columns and "client" in source.columns:
            from .profiles import default_clients_path

            raise InvalidInput(
                f"{source.path}: the rows name clients (column 'client') but no client profiles "
                f"are loaded; pass --clients FILE or create {default_clients_path()}"
            )
        _check_header(source, spec, set(base) | set(top), profiles is not None)
        if base_client and profiles is None:
            raise InvalidInput(f"client {base_client!r} given but no client profiles are loaded")
        if base_client:
            profiles.get_profile(base_client)
        plan = _Plan(
            scenario=spec.name,
            lang=lang,
            fmt=fmt,
            today=today,
            base=base,
            overrides=top,
            base_client=base_client,
            base_group=base_group,
            numbers=numbers,
            catalog=_catalog_recipe(catalog),
        )
        if jobs == 0:
            jobs = auto_jobs(rows)
        renderer = _RowRenderer(plan, catalog, profiles)
        summary = BatchSummary(dry_run=dry_run, warnings=list(source.warnings))
        out = None
        if not dry_run:
            Report.check_targets(Path(out_dir), [rows, *inputs], force=force)
            out = OutputDir(Path(out_dir), create=True)
        elif Path(out_dir).is_dir():
            out = OutputDir(Path(out_dir), create=False)
        try:
            _run(
                source,
                renderer,
                out,
                summary,
                fmt=fmt,
                dry_run=dry_run,
                force=force,
                fail_fast=fail_fast,
                jobs=jobs,
                progress=progress,
                plan=plan,
            )
        finally:
            if out is not None:
                out.close()
    finally:
        source.close()
    return summary


@dataclass
class _Job:
    """One row on its way, prepared in row order by the main process.

    ``status`` is already set for rows that need no rendering (skipped, unreadable,
    unknown client); the others are rendered and written by :class:`_Executor`.
    """

    line: int
    values: dict[str, Any] | None = None
    client: str | None = None
    group: str | None = None
    name: str | None = None
    recipient: str | None = None
    status: str | None = None
    message: str | None = None

    def task(self) -> tuple[Any, ...]:
        """The part a worker process needs (cheap to send)."""
        return (self.values, self.client, self.group, self.name)


def _prepare(renderer: _RowRenderer, names: NameRegistry, ext: str, row: Row) -> _Job:
    """Merge a row's values and give it its file name (sequential: names depend on order)."""
    if row.skipped:
        return _Job(row.line, status="skipped")
    if row.error is not None:
        return _Job(row.line, status="failed", message=row.error)
    try:
        values, profile, group = renderer.merge(row.values or {})
    except PhrasebookError as exc:
        return _Job(row.line, status="failed", message=one_line(str(exc)))
    return _Job(
        row.line,
        values,
        profile.id if profile is not None else None,
        group,
        names.name(values, row.line, ext),
        recipient_label(values),
    )


class _Executor:
    """Renders and writes prepared rows (in the main process or in a worker)."""

    def __init__(
        self, renderer: _RowRenderer, out: OutputDir | None, *, dry_run: bool, force: bool
    ) -> None:
        self.renderer = renderer
        self.out = out
        self.dry_run = dry_run
        self.force = force

    def run(self, values: Any, client: str | None, group: str | None, name: str) -> tuple[str, Any]:
        """Return ("written" | "ok" | "failed", message or None) for one row."""
        renderer = self.renderer
        try:
            profile = renderer.profiles.get_profile(client) if client else None
            text = renderer.render(values, profile, group)
        except InvalidParams as exc:
            return "failed", "; ".join(exc.problems)
        except PhrasebookError as exc:
            return "failed", one_line(str(exc))
        except (ValueError, TypeError, ArithmeticError, LookupError, RecursionError) as exc:
            return "failed", f"unexpected {type(exc).__name__}: {exc}"
        out = self.out
        if self.dry_run:
            if out is not None and not self.force and out.exists(name):
                return "failed", f"{out.path / name} already exists; use --force to replace it"
            return "ok", None
        assert out is not None
        try:
            out.publish(name, text.encode("utf-8"), force=self.force)
        except OutputError as exc:
            return "failed", str(exc)
        return "written", None


_WORKER: _Executor | None = None


def _worker_init(
    plan: _Plan, profiles: Any, out: tuple[str, int] | None, dry_run: bool, force: bool
) -> None:
    global _WORKER
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    directory = OutputDir.inherit(Path(out[0]), out[1]) if out is not None else None
    _WORKER = _Executor(_RowRenderer(plan, None, profiles), directory, dry_run=dry_run, force=force)


def _worker_chunk(tasks: list[tuple[Any, ...]]) -> list[tuple[str, Any]]:
    assert _WORKER is not None
    return [_WORKER.run(*task) for task in tasks]


#: Rows sent to a worker process at a time.
CHUNK_ROWS = 128


class _Stop:
    """Set by Ctrl-C during a run: the run ends after the rows already under way."""

    def __init__(self) -> None:
        self.requested = False


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[_Stop]:
    """Turn the first Ctrl-C into a request to stop between rows (a second one is immediate)."""
    import signal
    import threading

    stop = _Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.getsignal(signal.SIGINT)

    def requested(signum: int, frame: Any) -> None:
        stop.requested = True
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, requested)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _executed(
    jobs_iter: Iterator[_Job],
    executor: _Executor,
    workers: int,
    init: tuple[Any, ...],
    stop: _Stop,
) -> Iterator[tuple[_Job, tuple[str, Any]]]:
    """Yield each prepared row with its outcome, in row order, until ``stop`` is requested.

    With several workers, rows already handed out when a stop is requested are
    finished and yielded, so every file written is also reported.
    """
    if workers <= 1:
        for job in jobs_iter:
            if stop.requested:
                return
            if job.status is not None:
                yield job, (job.status, job.message)
            else:
                yield job, executor.run(*job.task())
        return
    import collections
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=init,
    )
    pending: collections.deque[Any] = collections.deque()
    exhausted = False
    try:
        while True:
            while not exhausted and not stop.requested and len(pending) < workers * 4:
                chunk = list(itertools.islice(jobs_iter, CHUNK_ROWS))
                if not chunk:
                    exhausted = True
                    break
                tasks = [job.task() for job in chunk if job.status is None]
                future = pool.submit(_worker_chunk, tasks) if tasks else None
                pending.append((chunk, future))
            if not pending:
                return
            chunk, future = pending.popleft()
            if stop.requested and future is not None and future.cancel():
                return
            outcomes = iter(future.result() if future is not None else ())
            for job in chunk:
                if job.status is not None:
                    yield job, (job.status, job.message)
                else:
                    yield job, next(outcomes)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _run(
    source: RowSource,
    renderer: _RowRenderer,
    out: OutputDir | None,
    summary: BatchSummary,
    *,
    fmt: str,
    dry_run: bool,
    force: bool,
    fail_fast: bool,
    jobs: int,
    progress: Callable[[int, int], None] | None,
    plan: _Plan,
) -> None:
    ext = EXTENSIONS[fmt]
    names = NameRegistry()
    if fail_fast or not _can_fork():
        jobs = 1  # with --fail-fast no row after the failing one may be written
    report = Report(out, source.delimiter or ",") if out is not None and not dry_run else None
    executor = _Executor(renderer, out, dry_run=dry_run, force=force)
    shared_out = (str(out.path), out.fd) if out is not None else None
    init = (plan, renderer.profiles, shared_out, dry_run, force)
    prepared = (_prepare(renderer, names, ext, row) for row in source)
    try:
        with _deferred_interrupt() as stop:
            for job, (status, message) in _executed(prepared, executor, jobs, init, stop):
                name = job.name if status in ("written", "ok") else None
                result = RowResult(job.line, status, name, job.client, job.recipient, message)
                _count(summary, result)
                if report is not None:
                    report.add(result)
                if fail_fast and status == "failed":
                    summary.stopped_at = job.line
                    break
                if progress is not None:
                    progress(source.position(), source.size)
        if stop.requested:
            raise KeyboardInterrupt
    except BaseException as exc:
        summary.interrupted = isinstance(exc, KeyboardInterrupt)
        if report is not None:
            try:
                summary.reports = report.finish(summary.as_dict())
            except (OSError, ValueError):
                report.discard()
        if isinstance(exc, KeyboardInterrupt) and not isinstance(exc, BatchInterrupted):
            raise BatchInterrupted(summary) from None
        raise
    if report is not None:
        summary.reports = report.finish(summary.as_dict())


def _count(summary: BatchSummary, result: RowResult) -> None:
    summary.rows += 1
    if result.status == "failed":
        summary.failed += 1
        if len(summary.failures) < MAX_LISTED_FAILURES:
            summary.failures.append(result)
    elif result.status == "skipped":
        summary.skipped += 1
    else:
        summary.written += 1
