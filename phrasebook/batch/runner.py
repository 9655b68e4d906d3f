"""The batch run: preflight once, then one document per row, in order, in one or more processes.

Rows are read one at a time and prepared in order by this process (their values
layered, see :mod:`phrasebook.layering`, and their file names given, which depend on
order); rendering and writing happen here or in worker processes. Results come back
in row order, so the report and the summary are the same whatever the number of
workers. Ctrl-C, SIGTERM and SIGHUP stop the run between rows: every file written is
complete and listed in the report (see :mod:`.signals`).

Faults are met row by row: a document that already exists with the same content is
``unchanged`` (so an interrupted run can simply be run again), a full disk fails the
row with its reason and leaves no partial file, and a template error that fails the
first rows in exactly the same way stops the run with one message. Only one run at a
time writes into an output directory, and the temporary files a killed run left there
are removed by the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..catalog import ScenarioSource
from ..errors import (
    InvalidInput,
    InvalidParams,
    OutputError,
    OutputExists,
    PhrasebookError,
    TemplateFailure,
    UnsupportedFormat,
)
from ..l10n import Language, resolve_language
from ..layering import Layer, Layering
from ..messages import _, current_language, ngettext, speaking
from ..output import OutputDirectory
from ..render import render
from ..spec import Scenario
from . import preflight
from .naming import EXTENSIONS, NameRegistry, recipient_label
from .report import BatchSummary, Report, RowResult, one_line
from .rows import Row, RowSource, estimate_rows, open_rows
from .signals import Stop, deferred_stop, guard_worker, worker_row

if TYPE_CHECKING:
    from ..sender import Sender

#: With ``jobs=0``, each worker process gets at least this many rows: below that,
#: starting one costs more than it saves.
AUTO_JOBS_ROWS = 500
#: Rows sent to a worker process at a time.
CHUNK_ROWS = 128
#: A run whose first rows all fail with the same template error stops after this many.
SAME_FAILURE_LIMIT = 3


class BatchInterrupted(KeyboardInterrupt):
    """The run was interrupted (Ctrl-C, SIGTERM, SIGHUP); ``summary`` tells what was done.

    Files already published are complete, no temporary files are left, and the
    reports list the rows done so far. ``signal`` is the signal's number (None when
    the interrupt came as a KeyboardInterrupt only).
    """

    def __init__(self, summary: BatchSummary, signal: int | None = None) -> None:
        super().__init__("interrupted")
        self.summary = summary
        self.signal = signal


def auto_jobs(rows: str | Path) -> int:
    """How many worker processes a run should use: one for small files, more for big ones,
    by the number of rows (:data:`AUTO_JOBS_ROWS` each at least) and of usable cores (4 at most)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4, estimate_rows(rows) // AUTO_JOBS_ROWS))


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
    catalog: ScenarioSource | None = None,
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
    sender: Sender | None = None,
    allow_placeholders: bool = False,
    log: Callable[[Sequence[Any]], None] | None = None,
) -> BatchSummary:
    """Render ``scenario`` once per row of ``rows`` into ``out_dir``.

    Args:
        scenario: the scenario's name.
        rows: a ``.csv``, ``.yaml`` or ``.jsonl`` file (see :mod:`phrasebook.batch.rows`).
        out_dir: where the documents and the reports go; created if missing.
        today: the date the texts are written on.
        lang: the language for every row; without it each row's client profile decides.
        fmt: ``md``, ``eml`` or ``text``.
        params: values shared by all rows (below the row's own values; defaults, see
            :mod:`phrasebook.layering`).
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
        sender: your sender profile: the lowest layer of every row, and the language of
            rows that no client profile gives one.
        allow_placeholders: accept values that look unfilled (``[Name]``, ``TODO``).
        log: called in row order with the promises of each document written or unchanged
            (see :mod:`phrasebook.promises`), for the ledger; None: not collected.

    Raises:
        PhrasebookError: for anything that concerns every row (unknown scenario or
            format, template syntax, unusable rows file or header, bad shared values,
            output directory); row problems are reported, not raised.
    """
    from ..catalog import catalog_with_packs
    from ..l10n import TEMPLATE_LANGUAGES

    if catalog is None:
        catalog = catalog_with_packs(packs, user_packs=user_packs)
    spec = catalog.scenario(scenario)
    if fmt not in EXTENSIONS:
        raise UnsupportedFormat(
            _("unknown format {name!r}; expected one of: {formats}").format(
                name=fmt, formats=", ".join(EXTENSIONS)
            )
        )
    if fmt not in spec.output_formats:
        raise UnsupportedFormat(
            _("{scenario} cannot be written as {format}; choose one of: {formats}").format(
                scenario=spec.name, format=fmt, formats=", ".join(spec.output_formats)
            )
        )
    if fmt == "pdf":
        from ..printing import require_pdf

        require_pdf()
    language = resolve_language(lang) if lang else None
    notation = resolve_language(numbers) if numbers is not None else None
    layering = Layering(
        spec,
        [Layer("params", params or {}, defaults=True), Layer("set", overrides or {})],
        profiles=profiles,
        sender=sender,
    )
    base_client = layering.check_client_group()
    check_language = language or resolve_language("de")
    preflight.check_shared_values(spec, layering.values_of("params"), check_language, "--params")
    preflight.check_shared_values(spec, layering.values_of("set"), check_language, "--set")
    languages = [language] if language else [resolve_language(c) for c in TEMPLATE_LANGUAGES]
    preflight.check_templates(catalog, spec.name, languages)
    list_params = [p.name for p in spec.params if p.type == "list" and not p.fields]
    source = open_rows(rows, encoding=encoding, delimiter=delimiter, list_params=list_params)
    try:
        names_clients = bool(source.columns and "client" in source.columns)
        if profiles is None and names_clients:
            from ..paths import clients_file

            raise InvalidInput(
                f"{source.path}: "
                + _(
                    "the rows name clients (column 'client') but no client profiles are loaded; "
                    "pass --clients FILE or create {path}"
                ).format(path=clients_file())
            )
        shared = [*layering.values_of("params"), *layering.values_of("set")]
        if sender is not None:
            shared += sender.params({p.name for p in spec.params})
        from_profiles = profiles.provided_names() if profiles and (names_clients or base_client) else ()
        preflight.check_header(source, spec, shared, from_profiles)
        if base_client:
            layering.profile(base_client)
        if jobs == 0:
            jobs = auto_jobs(rows)
        writer = _Writer(spec, catalog, today=today, fmt=fmt, numbers=notation,
                         dry_run=dry_run, force=force, allow_placeholders=allow_placeholders)
        writer.log = log is not None and not dry_run
        summary = BatchSummary(dry_run=dry_run, warnings=list(source.warnings))
        out = None
        if not dry_run:
            Report.check_targets(Path(out_dir), [rows, *inputs], force=force)
            out = OutputDirectory(out_dir, create=True)
            try:
                out.lock()
            except BaseException:
                out.close()
                raise
            stale = out.remove_stale_temps()
            if stale:
                summary.warnings.append(
                    ngettext(
                        "removed {count} temporary file that an interrupted run left in {path}",
                        "removed {count} temporary files that an interrupted run left in {path}",
                        len(stale),
                    ).format(count=len(stale), path=out.path)
                )
        elif Path(out_dir).is_dir():
            out = OutputDirectory(out_dir)
        writer.out = out
        try:
            prepared = _prepared(source, layering, language, EXTENSIONS[fmt])
            _run(source, prepared, writer, summary, fail_fast=fail_fast, jobs=jobs,
                 progress=progress, log=log)
        finally:
            if out is not None:
                out.close()
    finally:
        source.close()
    return summary


@dataclass
class _Job:
    """One row on its way, prepared in row order by this process.

    ``status`` is already set for rows that need no rendering (skipped, unreadable,
    unknown client); the others are rendered and written by a :class:`_Writer`.
    """

    line: int
    values: dict[str, Any] | None = None
    client: dict[str, Any] | None = None
    language: Language | None = None
    name: str | None = None
    recipient: str | None = None
    status: str | None = None
    message: str | None = None

    def task(self) -> tuple[Any, ...]:
        """The part a worker process needs (cheap to send)."""
        return (self.values, self.client, self.language, self.name)

    @property
    def client_id(self) -> str | None:
        """The client profile the row used, for the report."""
        return self.client.get("id") if self.client else None


def _prepared(
    source: RowSource, layering: Layering, language: Language | None, ext: str
) -> Iterator[_Job]:
    """Layer each row's values and give it its file name (in order: names depend on it)."""
    names = NameRegistry()
    for row in source:
        yield _prepare(row, layering, language, names, ext)


def _prepare(
    row: Row, layering: Layering, language: Language | None, names: NameRegistry, ext: str
) -> _Job:
    if row.skipped:
        return _Job(row.line, status="skipped")
    if row.error is not None:
        return _Job(row.line, status="failed", message=row.error)
    try:
        layered = layering.resolve(row.values or {})
    except PhrasebookError as exc:
        return _Job(row.line, status="failed", message=one_line(str(exc)))
    values = layered.values
    job = _Job(row.line, values, layered.client, language, names.name(values, row.line, ext),
               recipient_label(values))
    if language is None:
        if not layered.language:
            job.status, job.message = "failed", _(
                "no language for this row: give --lang, or a language in the client's profile"
            )
        else:
            job.language = resolve_language(layered.language)
    return job


class _Writer:
    """Renders and writes prepared rows (in this process or in a worker)."""

    def __init__(
        self,
        spec: Scenario,
        catalog: ScenarioSource,
        *,
        today: dt.date,
        fmt: str,
        numbers: Language | None,
        dry_run: bool,
        force: bool,
        allow_placeholders: bool = False,
    ) -> None:
        self.spec = spec
        self.catalog = catalog
        self.today = today
        self.allow_placeholders = allow_placeholders
        self.fmt = fmt
        self.numbers = numbers
        self.dry_run = dry_run
        self.force = force
        self.out: OutputDirectory | None = None
        #: Whether to collect the promises of the documents written (``--log``).
        self.log = False
        self._promises_of: Callable[..., tuple[Any, ...]] | None = None
        self._folder = ""
        #: The message language of the run, for the messages of worker processes.
        self.messages = current_language()

    def run(
        self, values: dict[str, Any], client: Mapping[str, Any] | None, language: Language, name: str
    ) -> Outcome:
        """Return the outcome of one row: "written", "unchanged", "ok" (dry run) or "failed"."""
        try:
            document = render(
                self.spec, language, values, today=self.today, fmt=self.fmt,
                catalog=self.catalog, client=client, numbers=self.numbers,
                allow_placeholders=self.allow_placeholders,
            )
        except InvalidParams as exc:
            return Outcome("failed", "; ".join(exc.problems))
        except TemplateFailure as exc:
            return Outcome("failed", one_line(str(exc)), template=True)
        except PhrasebookError as exc:
            return Outcome("failed", one_line(str(exc)))
        except (ValueError, TypeError, ArithmeticError, LookupError, RecursionError) as exc:
            message = _("unexpected {error}: {message}").format(error=type(exc).__name__, message=exc)
            return Outcome("failed", message, template=True)
        out = self.out
        data = document.data if document.data is not None else document.text.encode("utf-8")
        if self.dry_run:
            if out is None or not out.exists(name):
                return Outcome("ok")
            return self._existing(out, name, data)
        assert out is not None
        promised = self._promises(document, client, name) if self.log else ()
        if self.force and out.same_content(name, data):
            return Outcome("unchanged", promises=promised)
        try:
            out.publish(name, data, force=self.force, private=True, keep_mode=True)
        except OutputExists:
            outcome = self._existing(out, name, data)
            return outcome._replace(promises=promised) if outcome.status == "unchanged" else outcome
        except OutputError as exc:
            return Outcome("failed", str(exc))
        return Outcome("written", promises=promised)

    def _promises(self, document: Any, client: Mapping[str, Any] | None, name: str) -> tuple[Any, ...]:
        """The promises of a document written, as ledger rows (plain text, cheap to send)."""
        if self._promises_of is None:
            from ..promises import rows_of

            assert self.out is not None
            self._promises_of, self._folder = rows_of, str(self.out.path.absolute())
        return self._promises_of(self.spec, document.values, plan=document.plan, client=client,
                                 file=f"{self._folder}{os.sep}{name}", lang=document.language.code, today=self.today)

    def _existing(self, out: OutputDirectory, name: str, data: bytes) -> Outcome:
        """The outcome for a document whose file exists: the same text is ``unchanged``
        (a run done before, or resumed); other content is not replaced without --force."""
        if out.same_content(name, data):
            return Outcome("unchanged")
        if self.force:
            return Outcome("ok")
        return Outcome(
            "failed",
            _("{path} already exists; use --force to replace it").format(path=out.path / name),
        )


class Outcome(NamedTuple):
    """What became of one row that was rendered.

    Attributes:
        status: ``written``, ``unchanged``, ``ok`` (dry run) or ``failed``.
        message: why it failed.
        template: whether the template failed (rather than the row's values or the disk).
        promises: what the document written promises, as ledger rows (``--log``).
    """

    status: str
    message: str | None = None
    template: bool = False
    promises: tuple[Any, ...] = ()


_WORKER: _Writer | None = None


def _worker_init(writer: _Writer, parent: int, lock_fd: int | None) -> None:
    """Set up a worker process (forked: ``writer`` is this process's own copy)."""
    global _WORKER

    guard_worker(parent)
    if lock_fd is not None:  # the lock is the parent's: it ends with the parent
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    if writer.out is not None:  # its own temporary names, in the directory the parent opened
        writer.out = OutputDirectory.from_fd(writer.out.path, writer.out.fd)
    _WORKER = writer


def _worker_chunk(tasks: list[tuple[Any, ...]]) -> list[Outcome]:
    assert _WORKER is not None
    outcomes = []
    with speaking(_WORKER.messages):
        for task in tasks:
            with worker_row():
                outcomes.append(_WORKER.run(*task))
    return outcomes


def _outcome(job: _Job, writer: _Writer) -> Outcome:
    if job.status is not None:
        return Outcome(job.status, job.message)
    return writer.run(*job.task())


def _executed(
    jobs: Iterator[_Job], writer: _Writer, workers: int, stop: Stop
) -> Iterator[tuple[_Job, Outcome]]:
    """Yield each prepared row with its outcome, in row order, until ``stop`` is requested.

    The first rows are rendered here, so that a template error that fails every row
    stops the run before any worker starts. With several workers, rows already handed
    out when a stop is requested are finished and yielded, so every file written is
    also reported.
    """
    rendered = 0
    for job in jobs:
        if stop.requested():
            return
        yield job, _outcome(job, writer)
        rendered += job.status is None
        if workers > 1 and rendered >= SAME_FAILURE_LIMIT:
            break
    else:
        return
    import collections
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    out = writer.out
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(writer, os.getpid(), out.lock_fd if out is not None else None),
    )
    pending: collections.deque[Any] = collections.deque()
    exhausted = finished = False
    try:
        while True:
            while not exhausted and not stop.requested() and len(pending) < workers * 4:
                chunk = list(itertools.islice(jobs, CHUNK_ROWS))
                if not chunk:
                    exhausted = True
                    break
                tasks = [job.task() for job in chunk if job.status is None]
                future = pool.submit(_worker_chunk, tasks) if tasks else None
                pending.append((chunk, future))
            if not pending:
                finished = True
                return
            chunk, future = pending.popleft()
            if stop.requested() and future is not None and future.cancel():
                finished = True
                return
            outcomes = iter(future.result() if future is not None else ())
            for job in chunk:
                yield job, (Outcome(job.status, job.message) if job.status is not None else next(outcomes))
    finally:
        if not finished:  # stopped at once (a second signal, an error): rows under way are lost
            for pid in list(getattr(pool, "_processes", None) or ()):
                with contextlib.suppress(OSError):
                    os.kill(pid, 9)  # SIGKILL: they ignore the polite signals
        pool.shutdown(wait=True, cancel_futures=True)
        if not finished and out is not None:
            out.remove_stale_temps()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class _SameFailure:
    """Watches the first rendered rows: when they all fail with the same template error,
    every row would (a template that divides by zero or names a missing attribute)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.possible = True

    def hopeless(self, outcome: Outcome) -> bool:
        """Add a rendered row's outcome; whether the run should stop."""
        if not self.possible:
            return False
        if outcome.status != "failed" or not outcome.template or (
            self.messages and outcome.message != self.messages[0]
        ):
            self.possible = False
            return False
        self.messages.append(outcome.message or "")
        return len(self.messages) >= SAME_FAILURE_LIMIT


def _run(
    source: RowSource,
    prepared: Iterator[_Job],
    writer: _Writer,
    summary: BatchSummary,
    *,
    fail_fast: bool,
    jobs: int,
    progress: Callable[[int, int], None] | None,
    log: Callable[[Sequence[Any]], None] | None = None,
) -> None:
    out = writer.out
    if fail_fast or not _can_fork():
        jobs = 1  # with --fail-fast no row after the failing one may be written
    report = Report(out, source.delimiter or ",") if out is not None and not writer.dry_run else None
    same = _SameFailure()
    stop = Stop()
    try:
        with deferred_stop() as stop:
            for job, outcome in _executed(prepared, writer, jobs, stop):
                status, message = outcome.status, outcome.message
                name = job.name if status in ("written", "ok", "unchanged") else None
                result = RowResult(job.line, status, name, job.client_id, job.recipient, message)
                summary.count(result)
                if outcome.promises and log is not None:
                    log(outcome.promises)
                if report is not None:
                    report.add(result)
                if fail_fast and status == "failed":
                    summary.stopped_at = job.line
                    break
                if job.status is None and same.hopeless(outcome):
                    summary.stopped_at = job.line
                    summary.same_failure = message
                    break
                if progress is not None:
                    progress(source.position(), source.size)
        if stop.requested():
            raise KeyboardInterrupt
    except BaseException as exc:
        summary.interrupted = isinstance(exc, KeyboardInterrupt)
        if report is not None:
            _finish_report(report, summary)
        if isinstance(exc, KeyboardInterrupt) and not isinstance(exc, BatchInterrupted):
            raise BatchInterrupted(summary, stop.signal) from None
        raise
    if report is not None:
        _finish_report(report, summary)


def _finish_report(report: Report, summary: BatchSummary) -> None:
    """Publish the reports; when the disk will not take them, say so (never a stale report)."""
    summary.reports = report.finish(summary)
    if report.problem is not None:
        summary.warnings.append(report.problem)
