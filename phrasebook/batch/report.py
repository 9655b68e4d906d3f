"""What a batch run reports: one :class:`RowResult` per row, the :class:`BatchSummary`, and
``report.csv`` (formula-safe) and ``report.json`` in the output directory, written as
the run goes so that memory stays flat. Each run replaces the reports of the last.
"""

from __future__ import annotations

import contextlib
import csv
import json
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, OutputError, OutputExists
from ..messages import _
from ..output import OutputDirectory

#: The columns of ``report.csv`` and the keys of each row in ``report.json``.
REPORT_FIELDS = ("line", "status", "file", "client", "recipient", "message")
#: How phrasebook's reports begin: other files of those names are not replaced without --force.
_REPORT_CSV_START = '\ufeff"line","status","file"'.encode()
_REPORT_JSON_START = b'{"rows": ['
#: Most failures kept in the summary (the report has all of them).
MAX_LISTED_FAILURES = 20
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def formula_safe(value: Any) -> str:
    """Return a CSV cell that spreadsheet programs will not run as a formula.

    >>> formula_safe('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> formula_safe("Müller")
    'Müller'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def json_text(value: str | None) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for a string or None, without the overhead."""
    return "null" if value is None else _encode_json_string(value)


_encode_json_string = json.encoder.encode_basestring


class Report:
    """``report.csv`` and ``report.json``, written row by row into temporary files.

    :meth:`finish` moves both into place (replacing earlier reports atomically);
    :meth:`discard` removes the temporary files.
    """

    def __init__(self, out: OutputDirectory, delimiter: str) -> None:
        self.out = out
        try:
            self._csv_tmp, csv_fd = out.temp()
        except OSError as exc:
            raise OutputError(
                f"{out.path}: " + _("cannot write here ({reason})").format(reason=exc.strerror or exc)
            ) from None
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
        text = json_text
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
        self.out.replace(self._csv_tmp, "report.csv")
        self.out.replace(self._json_tmp, "report.json")
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
                            f"{given}: "
                            + _(
                                "the batch would write its report over this file ({path}); "
                                "choose another output directory"
                            ).format(path=target)
                        )
                with target.open("rb") as handle:
                    start = handle.read(len(ours))
            except OSError:
                continue
            if start != ours and not force:
                raise OutputExists(_("{path} (not a phrasebook report)").format(path=target))

    def discard(self) -> None:
        """Close and remove the temporary files."""
        for handle in (self._csv, self._json):
            with contextlib.suppress(OSError, ValueError):
                handle.close()
        self.out.remove(self._csv_tmp)
        self.out.remove(self._json_tmp)


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

    def count(self, result: RowResult) -> None:
        """Count one row's outcome."""
        self.rows += 1
        if result.status == "failed":
            self.failed += 1
            if len(self.failures) < MAX_LISTED_FAILURES:
                self.failures.append(result)
        elif result.status == "skipped":
            self.skipped += 1
        else:
            self.written += 1

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
