"""``phrasebook plan``: internal target, fallback and the date to promise."""

from __future__ import annotations

import datetime as dt

import click

from ..messages import _
from . import session
from .boundary import command
from .options import Date, Time, lang_option, ui_language
from .promises import after_plan, log_option
from .scenarios import write_ics


@command("plan")
@click.option(
    "--effort-days", "-e", "effort_days", required=True, metavar="DAYS",
    help="Working days of real work, e.g. 5 or 2.5.",
)
@click.option(
    "--buffer", "-b", default="40%", show_default=True, metavar="DAYS|PERCENT",
    help="Buffer in working days (2) or as a percentage of the work (40%), rounded up.",
)
@click.option(
    "--start", type=Date(), default=None,
    help="Day the request came in (default: --today). It does not count as a working day.",
)
@click.option(
    "--received-at", type=Time(), default=None,
    help="Time the request came in; at or after --cutoff it counts from the next working day.",
)
@click.option(
    "--cutoff", type=Time(), default="17:00", show_default=True, help="End of the working day."
)
@click.option(
    "--debrief", default="0", metavar="BRIEFING_DAYS",
    help="Days of briefing; half a day of follow-up is planned per day.",
)
@click.option(
    "--region", "-r", default=None, metavar="CODE",
    help="Public holidays: DE (nationwide only), DE-BY (or BY), DE-SN, ..., AT, AT-9, CH, CH-ZH, ... "
    "[default: your sender profile's region, else that of --lang (de_AT: AT, de_CH: CH), else DE]",
)
@click.option(
    "--closed", "closures", multiple=True, metavar="DATE|FIRST..LAST",
    help="Your own day off or vacation; repeat for more (added to your sender profile's closures).",
)
@click.option(
    "--catholic", is_flag=True, default=None,
    help="Also skip holidays of Catholic-majority municipalities (e.g. 15 August in Bavaria).",
)
@click.option("--explain", is_flag=True, help="Explain how the dates were counted.")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json", "ics"]), default="text",
    show_default=True, help="The plan as a table, as JSON for scripts, or as a calendar (--ics -).",
)
@click.option(
    "--ics", type=click.Path(dir_okay=False, allow_dash=True), default=None, metavar="FILE.ics",
    help="Write the internal target, the promised date and the debrief to a calendar file "
    "('-': standard output).",
)
@click.option("--title", default=None, help="What the work is, for the calendar entries.")
@click.option("--force", is_flag=True, help="Replace FILE.ics if it exists.")
@click.option(
    "--today", type=Date(), default=None, help="Today's date (default: the system date)."
)
@lang_option()
@log_option("the promised date, internal target and fallback")
@click.option("--client", default=None, metavar="NAME", help="Who the plan is for, for the promise ledger.")
def plan_command(
    effort_days: str,
    buffer: str,
    start: dt.date | None,
    received_at: dt.time | None,
    cutoff: dt.time,
    debrief: str,
    region: str | None,
    closures: tuple[str, ...],
    catholic: bool | None,
    explain: bool,
    fmt: str,
    ics: str | None,
    title: str | None,
    force: bool,
    today: dt.date | None,
    lang: str | None,
    log: bool,
    client: str | None,
) -> None:
    """Plan a deadline: internal target, fallback and the date to promise.

    Counts working days (Monday to Friday without the region's public holidays
    and your days off) from the day the request came in; that day itself does
    not count. The promised date adds the buffer; the fallback keeps half of it
    and is what you can concede when the client pushes back.
    """
    import json

    from ..errors import InvalidInput
    from ..ics import plan_entries, to_ical
    from ..l10n import resolve_language
    from ..planning import make_plan
    from ..planreport import format_plan, plan_record

    if ics == "-":
        if fmt not in ("text", "ics"):
            raise InvalidInput(
                _("--ics - and --format {format} both write to standard output; choose one").format(format=fmt)
            )
        fmt, ics = "ics", None

    me = session.current().sender()
    language = resolve_language(lang or (me.language if me else None) or ui_language())
    if me is not None:
        region = region or me.setting("region")
        closures = (*(me.setting("closures") or ()), *closures)
        catholic = catholic or bool(me.setting("catholic"))
    region = region or language.region or "DE"
    catholic = bool(catholic)
    day = session.today(today)
    plan = make_plan(
        start or day, effort_days, buffer, region=region, debrief=debrief, closures=closures,
        received_at=received_at, cutoff=cutoff, catholic=catholic, today=day,
    )
    if ics:
        write_ics(ics, plan_entries(plan, language=language, title=title), today=day,
                   force=force, code=language.code)
    if fmt == "ics":
        click.echo(to_ical(plan_entries(plan, language=language, title=title), today=day), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(plan_record(plan, language, explain=explain), ensure_ascii=False, indent=2))
    else:
        click.echo(format_plan(plan, language, explain=explain), nl=False)
    after_plan(plan, client=client, title=title, lang=language.code, today=day, log=log)
