"""``phrasebook batch``: one document per row of a CSV, YAML or JSON Lines file."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import Any

import click

from ..messages import _, ngettext
from . import session
from .boundary import command
from .options import Date, lang_option, params_option, placeholders_option, scenario_argument, set_option
from .promises import LedgerSink, log_option, logging


@command("batch")
@scenario_argument()
@click.argument("rows", type=click.Path(exists=True, dir_okay=False), metavar="ROWS.csv|yaml|jsonl")
@click.option(
    "--output", "-o", "out_dir", required=True, type=click.Path(file_okay=False), metavar="OUTDIR",
    help="Directory for the documents and report.csv/report.json (created if missing).",
)
@lang_option()
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["md", "eml", "text", "html", "pdf"]), default="md",
    show_default=True, help="Output format: one file per row.",
)
@params_option("Values shared by all rows (a row's own values win); repeatable (later files win).")
@set_option("Set a value for every row; wins over the rows. Repeatable.")
@click.option(
    "--clients", type=click.Path(dir_okay=False), default=None, metavar="FILE.yaml",
    help="Client profiles for a 'client' column (default: clients.yaml in the config dir).",
)
@click.option(
    "--pack", "packs", multiple=True, type=click.Path(exists=True, file_okay=False), metavar="DIR",
    help="Also use the template pack in DIR (repeatable).",
)
@click.option("--today", type=Date(), default=None, help="The date the texts are written on.")
@click.option(
    "--encoding", default=None, metavar="NAME",
    help="Encoding of a CSV file (default UTF-8 with or without BOM; German Excel: cp1252).",
)
@click.option(
    "--delimiter", default=None, metavar="CHAR",
    help="CSV delimiter (default: ',', ';' or tab, whichever the header uses).",
)
@click.option(
    "--numbers", type=click.Choice(["de", "en"]), default=None,
    help="Notation of amounts in the rows: de (1.234,50) or en (1,234.50); default: --lang.",
)
@click.option("--dry-run", is_flag=True, help="Check and render every row, write nothing.")
@click.option("--force", is_flag=True, help="Replace output files that exist.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first row that fails.")
@placeholders_option()
@click.option(
    "--jobs", "-j", type=click.IntRange(0, 64), default=0,
    help="Render in N worker processes (default 0: one for small files, up to 4 for big ones).",
)
@log_option("the promises of the documents written")
def batch_command(
    scenario: str,
    rows: str,
    out_dir: str,
    lang: str | None,
    fmt: str,
    params_files: Sequence[str],
    assignments: Sequence[str],
    clients: str | None,
    packs: Sequence[str],
    today: dt.date | None,
    encoding: str | None,
    delimiter: str | None,
    numbers: str | None,
    dry_run: bool,
    force: bool,
    fail_fast: bool,
    allow_placeholders: bool,
    jobs: int,
    log: bool,
) -> None:
    """Write one document per row of ROWS (CSV, YAML list or JSON Lines) into OUTDIR.

    Columns are parameter names (recipient.last_name, deadline, ...); a 'client'
    column fills a row from a client profile. Files are named after the recipient.
    Rows that fail are listed (and in OUTDIR/report.csv and report.json); the others
    are still written. Exit status 1 when any row failed.
    """
    from ..batch import BatchInterrupted, run_batch
    from ..layering import Layering, file_layers, set_layer
    from ..paths import clients_file
    from ..profiles import load_profiles

    run = session.current()
    run.add_packs(packs)
    catalog = run.catalog()
    spec = catalog.scenario(scenario)
    base = Layering(spec, file_layers(params_files)).values_of("params")
    overrides = set_layer(assignments, spec).values
    profiles = None
    if clients or clients_file().is_file():
        profiles = load_profiles(clients)
    bar = progress_bar()
    run.collect_garbage()
    sink = LedgerSink(session.today(today)) if logging(log) and not dry_run else None
    try:
        summary = run_batch(
            spec.name, rows, out_dir, today=session.today(today), lang=lang, fmt=fmt, params=base,
            overrides=overrides, profiles=profiles, catalog=catalog, encoding=encoding,
            delimiter=delimiter, numbers=numbers, dry_run=dry_run, force=force,
            fail_fast=fail_fast, jobs=jobs, progress=bar.update if bar else None,
            inputs=(*params_files, clients), sender=run.sender(), allow_placeholders=allow_placeholders,
            log=sink.add if sink is not None else None,
        )
    except BatchInterrupted as exc:
        done = exc.summary
        for warning in done.warnings:
            click.echo(_("Warning: {message}").format(message=warning), err=True)
        reports = _(" and ").join(str(p) for p in done.reports) or _("none")
        if done.unchanged:
            interrupted = ngettext(
                "interrupted after {rows} row: {written} written, {unchanged} unchanged, "
                "{failed} failed; report: {reports}",
                "interrupted after {rows} rows: {written} written, {unchanged} unchanged, "
                "{failed} failed; report: {reports}",
                done.rows,
            ).format(rows=done.rows, written=done.written, unchanged=done.unchanged,
                     failed=done.failed, reports=reports)
        else:
            interrupted = ngettext(
                "interrupted after {rows} row: {written} written, {failed} failed; report: {reports}",
                "interrupted after {rows} rows: {written} written, {failed} failed; report: {reports}",
                done.rows,
            ).format(rows=done.rows, written=done.written, failed=done.failed, reports=reports)
        click.echo(f"\n{interrupted}", err=True)
        if exc.signal is not None and exc.signal != signal_number("SIGINT"):
            # SIGTERM, SIGHUP: the exit status a shell expects of a process they ended
            raise click.exceptions.Exit(128 + exc.signal) from None
        raise
    finally:
        if bar is not None:
            bar.close()
        if sink is not None:  # also what was written before an interruption
            sink.close()
    for warning in summary.warnings:
        click.echo(_("Warning: {message}").format(message=warning), err=True)
    for failure in summary.failures:
        click.echo(f"{rows}:{failure.line}: {failure.message}", err=True)
    if summary.same_failure is not None:
        click.echo(
            _(
                "stopped at line {line}: the first rows all failed with the same template error, "
                "so every row would; fix the template and run again"
            ).format(line=summary.stopped_at),
            err=True,
        )
    elif summary.failed > len(summary.failures):
        more = summary.failed - len(summary.failures)
        click.echo(
            ngettext("... and {count} more failed row", "... and {count} more failed rows", more).format(count=more),
            err=True,
        )
    from ..dateexpr import mentions_past, relative_hint

    if mentions_past(failure.message or "" for failure in summary.failures):
        click.echo(relative_hint(), err=True)
    if summary.stopped_at is not None and summary.same_failure is None:
        click.echo(
            _("stopped at line {line} (--fail-fast); later rows were not processed").format(
                line=summary.stopped_at
            ),
            err=True,
        )
    counts = ngettext(
        "{failed} failed, {skipped} skipped ({rows} row)", "{failed} failed, {skipped} skipped ({rows} rows)",
        summary.rows,
    ).format(failed=summary.failed, skipped=summary.skipped, rows=summary.rows)
    if summary.unchanged:
        counts = _("{unchanged} unchanged, {counts}").format(unchanged=summary.unchanged, counts=counts)
    if dry_run:
        click.echo(
            _("dry run: {written} to write, {counts}; nothing was written").format(
                written=summary.written, counts=counts
            ),
            err=True,
        )
    else:
        reports = _(" and ").join(str(p) for p in summary.reports) or _("none")
        click.echo(
            _("{written} written, {counts}; report: {reports}").format(
                written=summary.written, counts=counts, reports=reports
            ),
            err=True,
        )
    if summary.failed:
        raise click.ClickException(
            ngettext("{count} row failed", "{count} rows failed", summary.failed).format(
                count=summary.failed
            )
        )
    if summary.rows == summary.skipped:
        raise _BadInput(_("no data rows in {path}").format(path=rows))


def signal_number(name: str) -> int | None:
    """The number of signal ``name`` on this system (None where it has none)."""
    import signal

    value = getattr(signal, name, None)
    return int(value) if value is not None else None


class ProgressBar:
    """A progress bar on stderr, by bytes of the rows file read."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._done = 0

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(
                length=max(total, 1), label=_("Rendering"), file=sys.stderr
            )
            self._bar.__enter__()
        if done > self._done:
            self._bar.update(done - self._done)
            self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def progress_bar() -> ProgressBar | None:
    """A progress bar when standard error is a terminal."""
    try:
        return ProgressBar() if sys.stderr.isatty() else None
    except (AttributeError, ValueError):
        return None


class _BadInput(click.ClickException):
    """Bad input found after the run (exit code 2), as an empty rows file is."""

    exit_code = 2
