"""``phrasebook new`` and ``phrasebook check``: the user's own template packs."""

from __future__ import annotations

import datetime as dt

import click

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
    verdict = "ok" if not report.failed else f"{report.failed} failed"
    click.echo(f"{pack_dir}: {report.passed} checks passed, {verdict}")
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
        click.echo(f"created {path}")
    click.echo(f"next: edit the wording, then run: phrasebook check {pack_dir}")
