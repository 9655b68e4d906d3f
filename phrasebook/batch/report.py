"""What a batch run reports: one :class:`RowResult` per row, the :class:`BatchSummary`, and
``report.csv`` (formula-safe, control characters escaped) and ``report.json`` in the
output directory, written as the run goes so that memory stays flat.

Each run replaces the reports of the last one as soon as it starts, with a short
report that says the run has not finished: a report from an earlier run is never
left looking current. When the disk will not take the full report (no space, a file
size limit), a small one with the summary and the first failed rows takes its place.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, OutputError, OutputExists
from ..messages import _
from ..output import OutputDirectory, WriteFailed

#: The columns of ``report.csv`` and the keys of each row in ``report.json``.
REPORT_FIELDS = ("line", "status", "file", "client", "recipient", "message")
#: How phrasebook's reports begin: other files of those names are not replaced without --force.
#: ``report.csv`` is written in the rows' delimiter (``,``, ``;``, tab or the one given), so
#: its header is recognised with any one delimiter between the quoted column names.
_REPORT_CSV_START = re.compile(
    rb'\xef\xbb\xbf"line"(?P<sep>[^"\r\n]{1,4})"status"(?P=sep)"file"(?P=sep)"client"(?P=sep)'
)
_REPORT_JSON_START = re.compile(re.escape(b'{"rows": ['))
#: Enough of a report's first bytes to tell whether it is one.
_REPORT_PEEK = 64
#: Most failures kept in the summary (the report has all of them).
MAX_LISTED_FAILURES = 20
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
#: Control characters (C0, DEL, C1) and the bidi controls that reorder what is shown.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Errors that mean the disk (or a limit) will not take more data.
_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))


def escape_controls(text: str) -> str:
    r"""Write control characters as escapes (``\x1b``, ``\n``, ``\u202e``), as Python would.

    >>> escape_controls("Jan\x1b[2J\nx")
    'Jan\\x1b[2J\\nx'
    """
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


def formula_safe(value: Any) -> str:
    """Return a CSV cell that spreadsheet programs will not run as a formula.

    >>> formula_safe('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> formula_safe("Müller")
    'Müller'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def csv_cell(value: Any) -> str:
    """A report.csv cell: control characters escaped, then made formula-safe."""
    return formula_safe(escape_controls("" if value is None else str(value)))


def json_text(value: str | None) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for a string or None, without the overhead."""
    return "null" if value is None else _encode_json_string(value)


_encode_json_string = json.encoder.encode_basestring


class Report:
    """``report.csv`` and ``report.json``, written row by row into temporary files.

    Making one replaces the last run's reports with a short "not finished" report;
    :meth:`finish` moves the full ones into place (or a small one when the disk is
    full); :meth:`discard` removes the temporary files.

    Raises:
        OutputError: the directory takes no files at all (read-only, no permission).
    """

    def __init__(self, out: OutputDirectory, delimiter: str) -> None:
        self.out = out
        self.delimiter = delimiter
        #: Why the full report could not be written, once that is known.
        self.problem: str | None = None
        self._full: str | None = None
        self._publish_unfinished()
        try:
            self._csv_tmp, csv_fd = out.temp(private=True)
        except OSError as exc:
            raise OutputError(
                f"{out.path}: " + _("cannot write here ({reason})").format(reason=exc.strerror or exc)
            ) from None
        self._json_tmp, json_fd = out.temp(private=True)
        self._csv = open(csv_fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._json = open(json_fd, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._writer = self._csv_writer(self._csv)
        self._first = True
        self._guarded(self._start)

    def _csv_writer(self, handle: Any) -> Any:
        writer = csv.writer(handle, delimiter=self.delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(REPORT_FIELDS)
        return writer

    def _start(self) -> None:
        self._json.write('{"rows": [')

    def _publish_unfinished(self) -> None:
        """Replace the last run's reports by a short one that says this run has not finished."""
        summary = BatchSummary(complete=False)
        note = RowResult(
            0, "unfinished",
            message=_("the run that writes this report has not finished, or was stopped before it could"),
        )
        try:
            self._publish_small([note], summary, csv_only_note=True)
        except WriteFailed as exc:
            if exc.errno not in _FULL:
                raise
            # no room even for that: at least never leave the last run's reports in place
            self.out.remove("report.csv")
            self.out.remove("report.json")

    def _publish_small(self, rows: Sequence[RowResult], summary: BatchSummary, *, csv_only_note: bool = False) -> None:
        """Publish both reports at once from a few rows (the full ones stay in temporary files)."""
        import io

        buffer = io.StringIO(newline="")
        writer = self._csv_writer(buffer)
        for result in rows:
            writer.writerow(_csv_row(result))
        csv_bytes = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        listed = [] if csv_only_note else rows
        body = ",".join("\n  " + _json_row(result) for result in listed)
        json_text_ = '{"rows": [' + body + '\n], "summary": ' + json.dumps(
            summary.as_dict(), ensure_ascii=False
        ) + "}\n"
        self.out.publish("report.csv", csv_bytes, force=True, private=True)
        self.out.publish("report.json", json_text_.encode("utf-8"), force=True, private=True)

    def _guarded(self, write: Any, *args: Any) -> None:
        """Run a write to the full report; when the disk will not take it, stop writing it."""
        if self.problem is not None:
            return
        try:
            write(*args)
        except OSError as exc:
            self.problem = exc.strerror or str(exc)
            self._close_files()
            self.out.remove(self._csv_tmp)
            self.out.remove(self._json_tmp)

    def add(self, result: RowResult) -> None:
        """Append one row's outcome to both reports."""
        self._guarded(self._add, result)

    def _add(self, result: RowResult) -> None:
        self._writer.writerow(_csv_row(result))
        self._json.write(("\n  " if self._first else ",\n  ") + _json_row(result))
        self._first = False

    def finish(self, summary: BatchSummary) -> tuple[Path, ...]:
        """Publish the full reports as ``report.csv`` and ``report.json``; return their paths.

        When the disk will not take them, a small report with the summary and the first
        failed rows is published instead, and :attr:`problem` says so; when not even
        that fits, the "not finished" report stays and no paths are returned.
        """
        paths = (self.out.path / "report.csv", self.out.path / "report.json")
        self._guarded(self._finish, summary)
        if self.problem is None:
            return paths
        reason = self.problem
        small = BatchSummary(**{**vars(summary), "complete": False})
        try:
            self._publish_small(summary.failures, small)
        except OutputError as exc:
            failed = exc.errno if isinstance(exc, WriteFailed) else None
            self.problem = _("the report could not be written ({reason})").format(
                reason=os.strerror(failed) if failed else exc
            )
            return ()
        self.problem = _(
            "the full report could not be written ({reason}); {path} lists only the first failed rows"
        ).format(reason=reason, path=paths[1])
        return paths

    def _finish(self, summary: BatchSummary) -> None:
        self._json.write('\n], "summary": ' + json.dumps(summary.as_dict(), ensure_ascii=False) + "}\n")
        self._csv.close()
        self._json.close()
        self.out.replace(self._csv_tmp, "report.csv")
        self.out.replace(self._json_tmp, "report.json")

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
                    start = handle.read(_REPORT_PEEK)
            except OSError:
                continue
            if ours.match(start) is None and not force:
                raise OutputExists(_("{path} (not a phrasebook report)").format(path=target))

    def _close_files(self) -> None:
        for handle in (self._csv, self._json):
            with contextlib.suppress(OSError, ValueError):
                handle.close()

    def discard(self) -> None:
        """Close and remove the temporary files."""
        self._close_files()
        self.out.remove(self._csv_tmp)
        self.out.remove(self._json_tmp)


def _csv_row(result: RowResult) -> tuple[Any, ...]:
    return (
        "" if result.line == 0 else result.line,
        result.status,
        csv_cell(result.file),
        csv_cell(result.client),
        csv_cell(result.recipient),
        csv_cell(result.message),
    )


def _json_row(result: RowResult) -> str:
    text = json_text
    return (
        f'{{"line": {result.line}, "status": {text(result.status)}, '
        f'"file": {text(result.file)}, "client": {text(result.client)}, '
        f'"recipient": {text(result.recipient)}, "message": {text(result.message)}}}'
    )


@dataclass(frozen=True)
class RowResult:
    """What happened to one row.

    Attributes:
        line: the line where the row starts.
        status: ``written``, ``unchanged`` (the file was there with the same text),
            ``failed``, ``skipped`` or (dry run) ``ok``.
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
        unchanged: files that were there already with the same text (a run done before).
        failed: rows that produced no file.
        skipped: empty rows.
        failures: the first :data:`MAX_LISTED_FAILURES` failed rows.
        stopped_at: the line of the row that stopped the run (``fail_fast``, or
            ``same_failure``).
        same_failure: the template error the first rows all failed with, which
            stopped the run.
        interrupted: whether the run was stopped (Ctrl-C, SIGTERM, SIGHUP) before the
            end of the rows.
        reports: the paths of ``report.csv`` and ``report.json`` (none in a dry run).
        warnings: things worth knowing that did not stop the run.
        dry_run: whether nothing was written.
        complete: whether the report lists every row (false for the short report of a
            run that has not finished, or when the disk would not take the full one).
    """

    rows: int = 0
    written: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[RowResult] = field(default_factory=list)
    stopped_at: int | None = None
    same_failure: str | None = None
    interrupted: bool = False
    reports: tuple[Path, ...] = ()
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    complete: bool = True

    def count(self, result: RowResult) -> None:
        """Count one row's outcome."""
        self.rows += 1
        if result.status == "failed":
            self.failed += 1
            if len(self.failures) < MAX_LISTED_FAILURES:
                self.failures.append(result)
        elif result.status == "skipped":
            self.skipped += 1
        elif result.status == "unchanged":
            self.unchanged += 1
        else:
            self.written += 1

    def as_dict(self) -> dict[str, Any]:
        """Return the counts as plain data."""
        return {
            "rows": self.rows,
            "written": self.written,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "skipped": self.skipped,
            "stopped_at": self.stopped_at,
            "same_failure": self.same_failure,
            "interrupted": self.interrupted,
            "dry_run": self.dry_run,
            "complete": self.complete,
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
