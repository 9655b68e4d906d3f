"""``phrasebook new`` and ``phrasebook check``: the user's own template packs."""

from __future__ import annotations

import datetime as dt

import click

from ..messages import _
from . import session
from .boundary import command
from .options import Date


@command("check")
@click.argument("pack_dir", type=click.Path(file_okay=False), metavar="DIR")
@click.option("--today", type=Date(), default=None, help="The date used for sample renders.")
def check_command(pack_dir: str, today: dt.date | None) -> None:
    """Check the template pack in DIR: links, specs, templates in German and English,
    declared variables, sample renders and (when available) the language lint.
    """
    from ..packs import check_pack

    session.current().collect_garbage()
    report = check_pack(pack_dir, today=session.today(today))
    for check in report.checks:
        click.echo(str(check))
    if report.failed:
        verdict = _("{passed} checks passed, {failed} failed").format(
            passed=report.passed, failed=report.failed
        )
    else:
        verdict = _("{passed} checks passed, ok").format(passed=report.passed)
    click.echo(f"{pack_dir}: {verdict}")
    if report.failed:
        raise click.exceptions.Exit(1)


@command("new")
@click.argument("scenario")
@click.argument("pack_dir", type=click.Path(file_okay=False), metavar="DIR")
@click.option("--force", is_flag=True, help="Replace files that exist.")
def new_command(scenario: str, pack_dir: str, force: bool) -> None:
    """Start a new SCENARIO in the template pack DIR (created if missing).

    Writes the spec, German and English templates and example parameters; edit
    them, then run `phrasebook check DIR`.
    """
    from ..packs import scaffold

    for path in scaffold(scenario, pack_dir, force=force):
        click.echo(_("created {path}").format(path=path))
    click.echo(
        _("next: edit the wording, then run: phrasebook check {directory}").format(
            directory=pack_dir
        )
    )
