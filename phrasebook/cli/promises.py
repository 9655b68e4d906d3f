"""``phrasebook promises``: the promise ledger; and ``--log`` of render, batch and plan."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from ..messages import _, ngettext
from . import session
from .boundary import PhrasebookGroup
from .options import Date, lang_option, ui_language

#: Colours of the table's lines on a terminal, by state.
COLOURS = {"overdue": "red", "today": "yellow"}


def log_option(what: str) -> Callable[[Any], Any]:
    """``--log``: record the promises in the ledger (also with ``log: always`` in me.yaml)."""
    return click.option(
        "--log", is_flag=True,
        help=f"Record {what} in the promise ledger ('phrasebook promises'); "
        "'log: always' in your sender profile does it every time.",
    )


def logging(log: bool) -> bool:
    """Whether to record promises: ``--log``, or ``log: always`` in the sender profile."""
    if log:
        return True
    me = session.current().sender()
    return bool(me is not None and me.log)


def use_colour(stream: Any) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def warn_capacity(promises: Sequence[Any]) -> None:
    """The capacity check: warn on stderr when a planned promise's work days are taken by
    other open promises (only when there is a ledger; nothing is written)."""
    from ..ledger import open_ledger
    from ..promises import capacity_warning, collisions

    planned = [p for p in promises if p.work_days]
    if not planned:
        return
    ledger = open_ledger(create=False)
    if ledger is None:
        return
    with ledger:
        entries = ledger.entries()
    for promise in planned:
        warning = capacity_warning(promise, collisions(promise, entries))
        if warning:
            click.echo(_("Warning: {message}").format(message=warning), err=True)


def record(promises: Sequence[Any], today: dt.date) -> None:
    """Record promises in the ledger, in one transaction, and say so on stderr."""
    from ..ledger import open_ledger

    if not promises:
        click.echo(_("Note: {message}").format(message=_("this text makes no promise to record")),
                   err=True)
        return
    ledger = open_ledger()
    assert ledger is not None
    with ledger:
        done = ledger.record(promises, today=today)
    ids = ", ".join(f"#{i}" for i in sorted(done.ids.values()))
    message = ngettext(
        "{count} promise recorded in the ledger", "{count} promises recorded in the ledger", len(promises)
    ).format(count=len(promises))
    click.echo(f"{message}{f' ({ids})' if ids and len(promises) <= 5 else ''}", err=True)


class LedgerSink:
    """Where ``batch --log`` puts the promises of the documents it writes.

    The ledger is opened before the first row (a damaged ledger stops the run before
    anything is written) and the promises are recorded in chunks, one transaction each,
    while the batch goes on; :meth:`close` records the rest and says how many.
    """

    #: Promises per transaction.
    CHUNK = 2000

    def __init__(self, today: dt.date) -> None:
        from ..ledger import open_ledger

        self.today = today
        self.ledger = open_ledger()
        assert self.ledger is not None
        self.ledger.for_a_batch()
        self.pending: list[Any] = []
        self.count = 0

    def add(self, promises: Sequence[Any]) -> None:
        """Take the promises of one document (ledger rows, see :func:`phrasebook.ledger.as_row`)."""
        self.pending.extend(promises)
        if len(self.pending) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.pending and self.ledger is not None:
            self.ledger.record_rows(self.pending, today=self.today)
            self.count += len(self.pending)
            self.pending = []

    def close(self) -> None:
        """Record what is left, close the ledger and say how many promises were recorded."""
        if self.ledger is None:
            return
        try:
            self._flush()
        finally:
            self.ledger.close()
            self.ledger = None
        click.echo(ngettext(
            "{count} promise recorded in the ledger", "{count} promises recorded in the ledger", self.count
        ).format(count=self.count), err=True)


def after_render(document: Any, *, client: Any, output: str | None, today: dt.date, log: bool) -> None:
    """What ``render`` does for the ledger: the capacity check, and ``--log``."""
    from ..ledger import ledger_path
    from ..promises import promises_of

    recording = logging(log)
    if not recording and (document.plan is None or not ledger_path().exists()):
        return  # nothing to record, nothing planned to check
    file = output if output and output != "-" else None
    spec = session.current().catalog().scenario(document.scenario)
    promised = promises_of(spec, document.values, plan=document.plan, client=client, file=file,
                           lang=document.language.code, today=today)
    warn_capacity(promised)
    if recording:
        record(promised, today)


def after_plan(plan: Any, *, client: str | None, title: str | None, lang: str, today: dt.date, log: bool) -> None:
    """What ``plan`` does for the ledger: the capacity check, and ``--log``."""
    from ..promises import plan_promise

    promise = plan_promise(plan, client=client or "", title=title or "", lang=lang, today=today)
    warn_capacity([promise])
    if logging(log):
        record([promise], today)


@click.group("promises", cls=PhrasebookGroup, invoke_without_command=True)
@click.option("--due", "horizon", default=None, metavar="DAYS",
              help="Only promises due within DAYS (7d, 2w; overdue ones included).")
@click.option("--overdue", is_flag=True, help="Only promises whose date has passed.")
@click.option("--client", default=None, metavar="NAME", help="Only promises to clients whose name contains NAME.")
@click.option("--scenario", default=None, metavar="SCENARIO", help="Only promises of this scenario (or plan).")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv", "ics"]), default="table",
              show_default=True, help="Output format (ics: a calendar to import; importing it again updates it).")
@click.option("--today", type=Date(), default=None, help="The day that decides what is due and overdue.")
@lang_option()
@click.pass_context
def promises_group(
    ctx: click.Context, horizon: str | None, overdue: bool, client: str | None, scenario: str | None,
    fmt: str, today: dt.date | None, lang: str | None,
) -> None:
    """List the open promises your texts made, due today and overdue first.

    Texts written with --log (render, batch, plan) are recorded; writing the same
    document again updates its entries. Mark a promise with `promises done ID`,
    `promises cancel ID` or `promises move ID DATE`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..l10n import resolve_language
    from ..ledger import open_ledger
    from ..promisereport import as_calendar, as_csv, as_json, as_table, parse_horizon, select

    language = resolve_language(lang or session.default_language() or ui_language())
    day = session.today(today)
    within = parse_horizon(horizon) if horizon is not None else None
    ledger = open_ledger(create=False)
    entries = []
    if ledger is not None:
        with ledger:
            entries = ledger.entries()
    if scenario is not None:
        from ..errors import UnknownScenario

        known = sorted({*session.current().catalog().names(), "plan", *(e.promise.scenario for e in entries)})
        if scenario not in known:
            raise UnknownScenario(scenario, known)
    chosen = select(entries, today=day, within=within, overdue=overdue, client=client, scenario=scenario)
    if fmt == "json":
        click.echo(as_json(chosen, day), nl=False)
    elif fmt == "csv":
        click.echo(as_csv(chosen, day), nl=False)
    elif fmt == "ics":
        click.echo(as_calendar(chosen, day, language), nl=False)
    else:
        colour = use_colour(sys.stdout)
        for state, line in as_table(chosen, day, language):
            fg = COLOURS.get(state) if colour else None
            click.echo(click.style(line, fg=fg, bold=True) if fg else line, color=colour or None)


def _change(ident: int, today: dt.date | None, change: str, due: str | None = None) -> None:
    from ..ledger import open_ledger
    from ..promisereport import parse_day

    day = session.today(today)
    ledger = open_ledger()
    assert ledger is not None
    with ledger:
        if change == "move":
            assert due is not None
            entry = ledger.move(ident, parse_day(due, day), today=day)
            assert entry.promise.due is not None
            message = _("promise #{id} moved to {due}").format(id=ident, due=entry.promise.due.isoformat())
        elif change == "done":
            ledger.set_status(ident, "done", today=day)
            message = _("promise #{id} is done").format(id=ident)
        else:
            ledger.set_status(ident, "cancelled", today=day)
            message = _("promise #{id} is cancelled").format(id=ident)
    click.echo(message)


_ID = click.argument("ident", metavar="ID", type=click.IntRange(min=1))
_TODAY = click.option("--today", type=Date(), default=None, help="The day of the change (default: today).")


@promises_group.command("done")
@_ID
@_TODAY
@lang_option()
def done_command(ident: int, today: dt.date | None, lang: str | None) -> None:
    """Mark promise ID as kept."""
    _change(ident, today, "done")


@promises_group.command("cancel")
@_ID
@_TODAY
@lang_option()
def cancel_command(ident: int, today: dt.date | None, lang: str | None) -> None:
    """Cancel promise ID (it stays in the ledger with its history)."""
    _change(ident, today, "cancel")


@promises_group.command("move")
@_ID
@click.argument("due", metavar="DATE")
@_TODAY
@lang_option()
def move_command(ident: int, due: str, today: dt.date | None, lang: str | None) -> None:
    """Move promise ID to DATE (YYYY-MM-DD, DD.MM.YYYY or +3 working days); the old date
    stays in its history."""
    _change(ident, today, "move", due)


@promises_group.command("history")
@_ID
@lang_option()
def history_command(ident: int, lang: str | None) -> None:
    """Show what happened to promise ID: written, moved, done or cancelled."""
    from ..l10n import resolve_language
    from ..ledger import UnknownPromise, open_ledger
    from ..promisereport import history_lines

    code = resolve_language(lang or session.default_language() or ui_language()).code
    ledger = open_ledger(create=False)
    if ledger is None:
        raise UnknownPromise(_("no promise has the id {id}; 'phrasebook promises' lists them").format(id=ident))
    with ledger:
        entry = ledger.entry(ident)
        events = ledger.history(ident)
    for line in history_lines(entry, events, code):
        click.echo(line)
