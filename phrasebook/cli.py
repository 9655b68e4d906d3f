"""The ``phrasebook`` command line: the only module that imports Click.

Every command parses its options, calls the library and prints the result.
Errors from the library carry their exit code (1 failure, 2 bad input); the
group turns them into Click's ``Error: …`` message on stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NoReturn

import click

from .errors import InvalidParams, PhrasebookError

_UI: Mapping[str, Mapping[str, str]] = {
    "de": {
        "parameters": "Parameter",
        "required": "Pflicht",
        "optional": "optional",
        "default": "Vorgabe",
        "example": "Beispiel",
        "formats": "Formate",
        "needed_when": "Pflicht, wenn",
        "at_least_one_of": "Mindestens einer dieser Parameter ist Pflicht",
        "one_of": "Genau einer dieser Parameter ist Pflicht",
        "not_before": "nicht vor",
        "not_after": "nicht nach",
        "only_with": "nur zusammen mit",
        "today": "heute",
    },
    "en": {
        "parameters": "Parameters",
        "required": "required",
        "optional": "optional",
        "default": "default",
        "example": "Example",
        "formats": "Formats",
        "needed_when": "required when",
        "at_least_one_of": "Give at least one of",
        "one_of": "Give exactly one of",
        "not_before": "not before",
        "not_after": "not after",
        "only_with": "only with",
        "today": "today",
    },
}


def ui_language() -> str:
    """Return the language for help screens: German when the environment asks for it."""
    for var in ("PHRASEBOOK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"


def _params_option(help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "--params", "-p", "params_file", type=click.Path(dir_okay=False), metavar="FILE.yaml",
        help=help_text,
    )


def _set_option(help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "--set", "-s", "assignments", multiple=True, metavar="NAME=VALUE", help=help_text
    )


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


def _today(value: dt.date | None) -> dt.date:
    """The single place that reads the clock."""
    return value if value is not None else dt.date.today()  # noqa: DTZ011 (the one clock read)


def _lang_option(required: bool = False) -> Callable[[Any], Any]:
    return click.option(
        "--lang",
        "-l",
        required=required,
        metavar="de|en|en_US",
        help="Output language: de (German), en (British English) or en_US.",
    )


def _translate_errors(ctx: click.Context, invoke: Callable[[click.Context], Any]) -> Any:
    """Run ``invoke``; turn library errors into Click errors with the right exit code."""
    try:
        return invoke(ctx)
    except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
        raise
    except PhrasebookError as exc:
        if _debug(ctx):
            raise
        if exc.exit_code == 2:
            raise click.UsageError(str(exc), ctx=ctx) from None
        raise click.ClickException(str(exc)) from None
    except Exception as exc:
        if _debug(ctx):
            raise
        raise click.ClickException(
            f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"
        ) from None


class PhrasebookCommand(click.Command):
    """A command whose library errors become ``Error: …`` with exit code 1 or 2."""

    def invoke(self, ctx: click.Context) -> Any:
        return _translate_errors(ctx, super().invoke)


class PhrasebookGroup(click.Group):
    """A group whose commands (and sub-groups) map library errors to exit codes."""

    command_class = PhrasebookCommand

    def invoke(self, ctx: click.Context) -> Any:
        return _translate_errors(ctx, super().invoke)


PhrasebookGroup.group_class = PhrasebookGroup


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug"))


@click.group(cls=PhrasebookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="phrasebook", prog_name="phrasebook")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option(
    "--pack", "packs", multiple=True, type=click.Path(exists=True, file_okay=False), metavar="DIR",
    help="Also use the template pack in DIR (repeatable; later packs win).",
)
def cli(debug: bool, packs: tuple[str, ...]) -> None:
    """Write the hard sentences of client work: calm deadline offers, kind boundaries,
    onboarding packs and graceful farewells, in German and English.

    Start with `phrasebook list`, then `phrasebook show SCENARIO`.
    """


@cli.command("list")
@_lang_option()
def list_command(lang: str | None) -> None:
    """List the scenarios with a one-line description."""
    from .l10n import resolve_language

    code = resolve_language(lang or ui_language()).code
    scenarios = _catalog().scenarios()
    width = max(len(s.name) for s in scenarios)
    for scenario in scenarios:
        click.echo(f"{scenario.name:<{width}}  {scenario.summary[code]}")


def describe_params(scenario: Any, code: str) -> list[tuple[str, str, str]]:
    """Rows of (name, type and requirement, help) for a scenario's parameters."""
    ui = _UI[code]
    rows = []
    for param in scenario.params:
        if param.required:
            need = ui["required"]
        elif param.default is not None:
            need = f"{ui['default']}: {_show_value(param.default, code)}"
        elif param.required_if:
            conds = " / ".join(", ".join(f"{k}={v}" for k, v in c.items()) for c in param.required_if)
            need = f"{ui['needed_when']} {conds}"
        else:
            need = ui["optional"]
        rows.append((param.name, f"{param.describe_type(code)}, {need}", param.help[code]))
    return rows


def describe_rules(scenario: Any, code: str) -> list[str]:
    """Lines naming the parameter groups of which exactly one, or at least one, must be given,
    the order of dates (``end_date: not before start_date``) and parameters that need
    another (``vat: only with extra_price``)."""
    ui = _UI[code]
    one, some = ui["one_of"], ui["at_least_one_of"]
    order = [
        f"{param.name}: {ui[key]} {ui['today'] if other == 'today' else other}"
        for param in scenario.params
        for key, other in (
            ("not_before", param.not_before), ("not_after", param.not_after),
            ("only_with", param.only_with),
        )
        if other is not None
    ]
    return [f"{one}: {', '.join(group)}" for group in scenario.one_of] + [
        f"{some}: {', '.join(group)}" for group in scenario.at_least_one_of
    ] + order


def _show_value(value: Any, code: str = "en") -> str:
    if isinstance(value, bool):  # as the values are written: ja/nein, yes/no
        return ("ja" if value else "nein") if code == "de" else ("yes" if value else "no")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@cli.command("show")
@click.argument("scenario")
@_lang_option()
def show_command(scenario: str, lang: str | None) -> None:
    """Show a scenario's parameters and an example parameters file."""
    from .l10n import resolve_language

    code = resolve_language(lang or ui_language()).code
    catalog = _catalog()
    spec = catalog.scenario(scenario)
    ui = _UI[code]
    click.echo(f"{spec.name}: {spec.title[code]}")
    click.echo(spec.summary[code])
    click.echo(f"{ui['formats']}: {', '.join(spec.formats)}")
    click.echo()
    click.echo(f"{ui['parameters']}:")
    formatter = click.HelpFormatter(width=100)
    with formatter.indentation():
        formatter.write_dl([(name, f"{kind}. {text}") for name, kind, text in describe_params(spec, code)])
    click.echo(formatter.getvalue(), nl=False)
    for line in describe_rules(spec, code):
        click.echo(f"  {line}")
    example = catalog.example_path(spec.name, code)
    if example is not None:
        click.echo()
        click.echo(f"{ui['example']} ({example.name}):")
        click.echo()
        click.echo(example.read_text(encoding="utf-8"), nl=False)


class ScenarioCommand(PhrasebookCommand):
    """``render SCENARIO``: its help lists the scenario's own parameters."""

    scenario_name: str = ""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        code = ui_language()
        spec = _catalog().scenario(self.scenario_name)
        with formatter.section(f"{_UI[code]['parameters']} (--set NAME=VALUE)"):
            formatter.write_dl([(n, f"{k}. {t}") for n, k, t in describe_params(spec, code)])
            for line in describe_rules(spec, code):
                formatter.write_text(line)


class RenderGroup(PhrasebookGroup):
    """``render``: one sub-command per scenario, found in the catalogue when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return _catalog().names()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        names = _catalog().names()
        if cmd_name not in names:
            return None
        return _scenario_command(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        from .errors import UnknownScenario

        name = args[0]
        command = self.get_command(ctx, name)
        if command is None:
            raise click.UsageError(str(UnknownScenario(name, _catalog().names())), ctx=ctx)
        return name, command, args[1:]


def _render_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        _lang_option(),
        _params_option("YAML file with parameter values."),
        _set_option("Set one parameter; wins over --params. Repeat for list items."),
        click.option(
            "--example", is_flag=True,
            help="Start from the shipped example parameters for this scenario and language.",
        ),
        click.option(
            "--today", type=_Date(), default=None,
            help="The date the text is written on (default: today).",
        ),
        click.option(
            "--format", "-f", "fmt", type=click.Choice(["text", "md", "eml"]), default=None,
            help="Output format (default: text for letters, md for documents).",
        ),
        click.option(
            "--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
            metavar="FILE", help="Write to FILE instead of standard output.",
        ),
        click.option("--force", is_flag=True, help="Replace FILE if it exists."),
        click.option(
            "--ics", type=click.Path(dir_okay=False), default=None, metavar="FILE.ics",
            help="Also write the dates (promised date, plan, callback) as a calendar file.",
        ),
        click.option(
            "--lint", is_flag=True,
            help="Check the result with the tone linter; findings go to standard error "
            "and an error-level finding makes the exit status 1.",
        ),
        click.option(
            "--client", "-c", "client", default=None, metavar="ID",
            help="Fill parameters from this client's profile (profile < --params < --set).",
        ),
        click.option(
            "--clients", "clients", type=click.Path(dir_okay=False), default=None,
            metavar="FILE.yaml",
            help="Client profiles file (default: clients.yaml in the config dir).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _scenario_command(name: str) -> click.Command:
    spec = _catalog().scenario(name)
    code = ui_language()

    @_render_options
    @click.pass_context
    def command(ctx: click.Context, **options: Any) -> None:
        run_render(name, **options)

    cmd = ScenarioCommand(
        name=name,
        callback=command,
        params=list(reversed(getattr(command, "__click_params__", []))),
        help=f"{spec.title[code]}.\n\n{spec.summary[code]}",
        short_help=spec.summary[code],
    )
    cmd.scenario_name = name
    return cmd


@cli.group("render", cls=RenderGroup)
def render_group() -> None:
    """Render a scenario: `phrasebook render SCENARIO --lang de --params FILE.yaml`.

    `phrasebook render SCENARIO --help` lists that scenario's parameters.
    """


def run_render(
    scenario: str,
    *,
    lang: str,
    params_file: str | None,
    assignments: Sequence[str],
    example: bool,
    today: dt.date | None,
    fmt: str | None,
    output: str | None,
    force: bool,
    ics: str | None = None,
    lint: bool = False,
    client: str | None = None,
    clients: str | None = None,
) -> None:
    """Collect parameters (example < profile < file < --set), render, and print or write it."""
    from .errors import InvalidInput
    from .l10n import resolve_language
    from .output import write_atomic
    from .render import render

    catalog = _catalog()
    spec = catalog.scenario(scenario)
    profile = _client_profile(client, clients)
    language = resolve_language(_language_for(lang, profile))
    raw, client_context = _gather_params(
        catalog, spec, language, example=example, params_file=params_file,
        assignments=assignments, profile=profile, clients=clients,
    )
    if _interactive():
        raw.update(_prompt_missing(spec, raw, language))
    with _dated_example(example, today):
        document = render(
            spec, language, raw, today=_today(today), fmt=fmt or spec.formats[0],
            catalog=catalog, client=client_context,
        )
    if ics:
        if not document.events:
            raise InvalidInput(f"--ics: {spec.name} has no dates to put in a calendar")
        _write_ics(ics, document.events, today=_today(today), force=force, code=language.code)
    if output and output != "-":
        write_atomic(output, document.text, force=force)
    else:
        click.echo(document.text, nl=False)
    if lint:
        _lint_document(document, output)


def _lint_document(document: Any, output: str | None) -> None:
    """Lint a rendered document; report on stderr and exit 1 on an error-level finding."""
    from .lint import format_finding, has_errors, lint_text

    if document.format == "eml":
        name, text = "<message>", f"{document.subject}\n\n{document.body}"
    else:
        name = output if output and output != "-" else "<stdout>"
        text = document.text
    findings = lint_text(text, document.language.code, markdown=document.format == "md")
    for finding in findings:
        click.echo(format_finding(name, finding), err=True)
    if has_errors(findings):
        raise click.exceptions.Exit(1)


@cli.command("lint")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--lang", "-l", default="auto", show_default=True, metavar="auto|de|en",
    help="Language of the texts; auto detects it for each file.",
)
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="One line per finding, or a JSON list.",
)
@click.option(
    "--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
    metavar="FILE.yaml", help="Your own rules; a rule with a built-in id replaces it.",
)
@click.option(
    "--markdown", is_flag=True,
    help="Read every input as Markdown (default: only .md and .markdown files).",
)
@click.pass_context
def lint_command(
    ctx: click.Context, files: Sequence[str], lang: str, fmt: str, rules_file: str | None,
    markdown: bool,
) -> None:
    """Check client texts for weak, vague or hostile phrasing and suggest better wording.

    Reads each FILE, or standard input for `-`, and prints one line per finding
    (`file:line:column rule message → suggestions`). The exit status is 1 when a
    finding has severity error. Markdown skips front matter, code and HTML comments.

    \b
    Switch rules off inside a text, and back on:
      <!-- phrasebook: disable=zeitnah,eigentlich -->
      <!-- phrasebook: enable=zeitnah -->
    """
    import json

    from .errors import UnknownLanguage
    from .lint import (
        decode_text,
        detect_language,
        finding_record,
        format_finding,
        has_errors,
        is_markdown_name,
        lint_text,
        load_rules,
        read_text_file,
        resolve_lint_language,
    )

    try:
        fixed = None if lang == "auto" else resolve_lint_language(lang)
    except UnknownLanguage:
        raise UnknownLanguage(lang, ["auto", "de", "en", "en_GB", "en_US"]) from None
    texts = []
    for name in files:
        if name == "-":
            text = decode_text(sys.stdin.buffer.read(), "<stdin>")
            texts.append(("<stdin>", text, markdown))
        else:
            texts.append((name, read_text_file(name), markdown or is_markdown_name(name)))
    codes = [fixed or detect_language(text) for _, text, _ in texts]
    rulesets = {code: load_rules(code, rules_file) for code in sorted(set(codes))}
    findings = []
    for (name, text, is_markdown), code in zip(texts, codes, strict=True):
        for finding in lint_text(text, rules=rulesets[code], markdown=is_markdown):
            findings.append((name, finding))
    if fmt == "json":
        records = [finding_record(name, f) for name, f in findings]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for name, finding in findings:
            click.echo(format_finding(name, finding))
    if has_errors([f for _, f in findings]):
        ctx.exit(1)


class _Time(click.ParamType):
    name = "HH:MM"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.time:
        if isinstance(value, dt.time):
            return value
        try:
            hours, minutes = str(value).strip().split(":")
            return dt.time(int(hours), int(minutes))
        except ValueError:
            self.fail(f"{value!r} is not a time in the form HH:MM, e.g. 17:00", param, ctx)


_ICS_WRITTEN = {"de": "Kalender geschrieben: {path} ({count} {noun})",
                "en": "Calendar written: {path} ({count} {noun})"}
_ICS_NOUNS = {"de": ("Eintrag", "Einträge"), "en": ("entry", "entries")}


def _write_ics(path: str, events: Sequence[Any], *, today: dt.date, force: bool, code: str) -> None:
    from .ics import to_ical
    from .output import write_atomic

    write_atomic(path, to_ical(events, today=today), force=force)
    noun = _ICS_NOUNS[code][len(events) != 1]
    click.echo(_ICS_WRITTEN[code].format(path=path, count=len(events), noun=noun), err=True)


@cli.command("plan")
@click.option(
    "--effort-days", "-e", "effort_days", required=True, metavar="DAYS",
    help="Working days of real work, e.g. 5 or 2.5.",
)
@click.option(
    "--buffer", "-b", default="40%", show_default=True, metavar="DAYS|PERCENT",
    help="Buffer in working days (2) or as a percentage of the work (40%), rounded up.",
)
@click.option(
    "--start", type=_Date(), default=None,
    help="Day the request came in (default: --today). It does not count as a working day.",
)
@click.option(
    "--received-at", type=_Time(), default=None,
    help="Time the request came in; at or after --cutoff it counts from the next working day.",
)
@click.option(
    "--cutoff", type=_Time(), default="17:00", show_default=True, help="End of the working day."
)
@click.option(
    "--debrief", default="0", metavar="BRIEFING_DAYS",
    help="Days of briefing; half a day of follow-up is planned per day.",
)
@click.option(
    "--region", "-r", default="DE", show_default=True, metavar="CODE",
    help="Public holidays: DE (nationwide only), DE-BY, DE-SN, ..., AT, AT-9, CH, CH-ZH, ...",
)
@click.option(
    "--closed", "closures", multiple=True, metavar="DATE|FIRST..LAST",
    help="Your own day off or vacation; repeat for more.",
)
@click.option(
    "--catholic", is_flag=True,
    help="Also skip holidays of Catholic-majority municipalities (e.g. 15 August in Bavaria).",
)
@click.option("--explain", is_flag=True, help="Explain how the dates were counted.")
@click.option(
    "--ics", type=click.Path(dir_okay=False), default=None, metavar="FILE.ics",
    help="Write the internal target, the promised date and the debrief to a calendar file.",
)
@click.option("--title", default=None, help="What the work is, for the calendar entries.")
@click.option("--force", is_flag=True, help="Replace FILE.ics if it exists.")
@click.option(
    "--today", type=_Date(), default=None, help="Today's date (default: the system date)."
)
@_lang_option()
def plan_command(
    effort_days: str,
    buffer: str,
    start: dt.date | None,
    received_at: dt.time | None,
    cutoff: dt.time,
    debrief: str,
    region: str,
    closures: tuple[str, ...],
    catholic: bool,
    explain: bool,
    ics: str | None,
    title: str | None,
    force: bool,
    today: dt.date | None,
    lang: str | None,
) -> None:
    """Plan a deadline: internal target, fallback and the date to promise.

    Counts working days (Monday to Friday without the region's public holidays
    and your days off) from the day the request came in; that day itself does
    not count. The promised date adds the buffer; the fallback keeps half of it
    and is what you can concede when the client pushes back.
    """
    from .ics import plan_entries
    from .l10n import resolve_language
    from .planning import make_plan
    from .planreport import format_plan

    language = resolve_language(lang or ui_language())
    day = _today(today)
    plan = make_plan(
        start or day, effort_days, buffer, region=region, debrief=debrief, closures=closures,
        received_at=received_at, cutoff=cutoff, catholic=catholic, today=day,
    )
    if ics:
        _write_ics(ics, plan_entries(plan, language=language, title=title), today=day,
                   force=force, code=language.code)
    click.echo(format_plan(plan, language, explain=explain), nl=False)


@cli.command("rehearse")
@click.argument("scenario")
@_lang_option()
@_params_option("YAML file with parameter values (the same as for render).")
@_set_option("Set one parameter; wins over --params. Repeat for list items.")
@click.option(
    "--example", is_flag=True,
    help="Start from the shipped example parameters for this scenario and language.",
)
@click.option(
    "--today", type=_Date(), default=None, help="The date of the call (default: today)."
)
@click.option(
    "--print", "print_sheet", is_flag=True,
    help="Print the script as a one-page Markdown cheat sheet instead of rehearsing.",
)
@click.option(
    "--transcript", type=click.Path(dir_okay=False), default=None, metavar="FILE",
    help="Save everything shown and typed to FILE when the rehearsal ends.",
)
@click.option("--force", is_flag=True, help="Replace the transcript FILE if it exists.")
@click.option(
    "--client", "-c", "client", default=None, metavar="ID",
    help="Fill parameters from this client's profile (profile < --params < --set).",
)
@click.option(
    "--clients", "clients", type=click.Path(dir_okay=False), default=None,
    metavar="FILE.yaml", help="Client profiles file (default: clients.yaml in the config dir).",
)
@click.pass_context
def rehearse_command(
    ctx: click.Context,
    scenario: str,
    lang: str | None,
    params_file: str | None,
    assignments: Sequence[str],
    example: bool,
    today: dt.date | None,
    print_sheet: bool,
    transcript: str | None,
    force: bool,
    client: str | None,
    clients: str | None,
) -> None:
    """Practise a difficult call step by step before dialling.

    The steps: a short state check, the opening, the key sentences one at a time,
    the client's likely objections with prepared answers, the closing question and
    a summary. Type your own phrasing at any step to see the prepared one beside it,
    with weak wording pointed out; press Enter to skip. Ctrl-C ends the rehearsal.

    With --print, the same script is printed as a one-page Markdown cheat sheet.
    """
    from .errors import InvalidInput
    from .l10n import resolve_language
    from .output import write_atomic
    from .rehearse import load_script, rehearse

    if print_sheet and transcript:
        raise InvalidInput("--transcript records a rehearsal; it cannot be used with --print")
    if transcript:
        _check_transcript_path(transcript, force)
    catalog = _catalog()
    spec = catalog.scenario(scenario)
    profile = _client_profile(client, clients)
    language = resolve_language(_language_for(lang, profile))
    raw, client_context = _gather_params(
        catalog, spec, language, example=example, params_file=params_file,
        assignments=assignments, profile=profile, clients=clients,
    )
    with _dated_example(example, today):
        script = load_script(
            spec.name, language, raw, today=_today(today), catalog=catalog, client=client_context
        )
    if print_sheet:
        click.echo(script.markdown, nl=False)
        return
    import shutil

    width = min(shutil.get_terminal_size((80, 24)).columns, 100) - 2

    def keep(partial: Any) -> None:
        if transcript:
            write_atomic(transcript, partial.transcript, force=force)

    _collect_garbage()  # an interactive session may go on for a while
    result = rehearse(
        script,
        ask=lambda prompt: str(
            click.prompt(prompt, default="", show_default=False, prompt_suffix=" ")
        ),
        show=click.echo,
        width=width,
        on_stop=keep,
    )
    keep(result)


def _list_names(spec: Any) -> tuple[list[str], list[str]]:
    """The names of the list parameters, and of those whose items are records."""
    lists = [p.name for p in spec.params if p.type == "list"]
    return lists, [p.name for p in spec.params if p.type == "list" and p.fields]


@contextlib.contextmanager
def _dated_example(example: bool, today: dt.date | None) -> Iterator[None]:
    """When dates of the shipped example have passed, say which day it is written for."""
    try:
        yield
    except InvalidParams as exc:
        if not example or today is not None or not any(" is in the past " in p for p in exc.problems):
            raise
        from .catalog import EXAMPLE_DAY

        day = EXAMPLE_DAY.isoformat()
        hint = f"The example is written for {day}: add --today {day}, or --set your own dates."
        raise InvalidParams(exc.scenario, exc.problems, hint=hint) from None


def _check_transcript_path(path: str, force: bool) -> None:
    """Refuse an unusable transcript path before the rehearsal starts, not after it."""
    from .errors import OutputError, OutputExists

    if os.path.lexists(path) and not force:
        raise OutputExists(path)
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise OutputError(f"{directory}: no such directory")


def _gather_params(
    catalog: Any,
    spec: Any,
    language: Any,
    *,
    example: bool,
    params_file: str | None,
    assignments: Sequence[str],
    profile: Any = None,
    clients: str | None = None,
) -> tuple[dict[str, Any], Any]:
    """Collect raw values (example < client profile < params file < --set).

    Returns the values and the client context (group, region) for templates.
    """
    from .errors import InvalidInput
    from .inputs import parse_assignments, read_params_file
    from .spec import flatten

    known = {p.name for p in spec.params}
    raw: dict[str, Any] = {}
    if example:
        path = catalog.example_path(spec.name, language.code)
        if path is None:
            raise InvalidInput(f"{spec.name} has no example for {language.code}")
        raw.update(flatten(read_params_file(path), known))
    if profile is not None:
        raw.update(profile.params(known))
    given: dict[str, Any] = {}
    if params_file:
        given.update(flatten(read_params_file(params_file), known))
    given.update(parse_assignments(assignments, *_list_names(spec)))
    raw.update(given)
    # The example's and the profile's values are defaults; what was given is checked.
    return _client_fields(spec.without_unpaired(raw, keep=given), profile, clients)


def _catalog() -> Any:
    """The catalogue for this invocation: built-in scenarios plus template packs.

    Packs come from ``<config dir>/packs/`` and from ``--pack`` (root option);
    the result is kept for the rest of the invocation.
    """
    from .catalog import catalog_with_packs

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return catalog_with_packs()
    root = ctx.find_root()
    catalog = root.meta.get("phrasebook.catalog")
    if catalog is None:
        packs = [*root.params.get("packs", ()), *root.meta.get("phrasebook.extra_packs", ())]
        catalog = catalog_with_packs(packs)
        root.meta["phrasebook.catalog"] = catalog
    return catalog


def _load_client_profiles(clients: str | None) -> Any:
    from .profiles import load_profiles

    return load_profiles(clients)


def _language_for(lang: str | None, profile: Any) -> str:
    """``--lang``, else the language of the client's profile; one of them is needed."""
    lang = lang or (profile.language if profile else None)
    if not lang:
        raise click.UsageError("Missing option '--lang'.", ctx=click.get_current_context())
    return lang


def _client_profile(client: str | None, clients: str | None) -> Any:
    """The profile for ``--client ID`` (None without one)."""
    if not client:
        return None
    return _load_client_profiles(clients).get_profile(client)


def _client_fields(
    raw: dict[str, Any], profile: Any, clients: str | None
) -> tuple[dict[str, Any], Any]:
    """Take ``client``/``client.group`` out of the values; return them and the client context."""
    if profile is None and "client" not in raw and "client.group" not in raw:
        return dict(raw), None
    from .profiles import normalize_group, split_client_fields

    rest, client_id, group = split_client_fields(raw)
    if client_id and (profile is None or profile.id != client_id):
        profile = _client_profile(client_id, clients)
    if group:
        try:
            group = normalize_group(group)
        except ValueError as exc:
            from .errors import InvalidInput

            raise InvalidInput(f"client.group: {exc}") from None
    if profile is None and not group:
        return rest, None
    context = profile.context() if profile is not None else {}
    if group:
        context["group"] = group
    return rest, context


def _interactive() -> bool:
    """Whether to prompt for missing values: only when a person is at the keyboard."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _prompt_missing(spec: Any, raw: Mapping[str, Any], language: Any) -> dict[str, Any]:
    """Ask on the terminal for each required value that is still missing."""
    from .spec import Invalid

    code = ui_language()
    answers: dict[str, Any] = {}

    def missing() -> list[Any]:
        merged = {p.name: p.default for p in spec.params}
        merged.update({k: v for k, v in raw.items() if v not in (None, "")})
        merged.update(answers)
        found = []
        for param in spec.params:
            if param.type == "list" or merged.get(param.name) not in (None, ""):
                continue
            conditional = any(
                all(str(merged.get(k)) == str(v) for k, v in cond.items())
                for cond in param.required_if
            )
            if param.required or conditional:
                found.append(param)
        for group in (*spec.one_of, *spec.at_least_one_of):
            # Of "give one of them" parameters, ask for the first (e.g. a fixed deadline).
            if all(merged.get(name) in (None, "") for name in group):
                found.append(spec.param(group[0]))
        return found

    class _Answer(click.ParamType):
        name = "value"

        def __init__(self, param: Any) -> None:
            self.param = param

        def convert(self, value: Any, p: Any, ctx: Any) -> Any:
            try:
                self.param.coerce(value, language)
            except Invalid as exc:
                self.fail(str(exc), p, ctx)
            return value

    for _ in range(3):
        params = missing()
        if not params:
            break
        for param in params:
            answers[param.name] = click.prompt(
                f"{param.name} ({param.help[code]})", type=_Answer(param), err=True
            )
    return answers


@cli.command("batch")
@click.argument("scenario")
@click.argument("rows", type=click.Path(exists=True, dir_okay=False), metavar="ROWS.csv|yaml|jsonl")
@click.option(
    "--output", "-o", "out_dir", required=True, type=click.Path(file_okay=False), metavar="OUTDIR",
    help="Directory for the documents and report.csv/report.json (created if missing).",
)
@_lang_option()
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["md", "eml", "text"]), default="md",
    show_default=True, help="Output format: one file per row.",
)
@_params_option("Values shared by all rows (a row's own values win).")
@_set_option("Set a value for every row; wins over the rows. Repeatable.")
@click.option(
    "--clients", type=click.Path(dir_okay=False), default=None, metavar="FILE.yaml",
    help="Client profiles for a 'client' column (default: clients.yaml in the config dir).",
)
@click.option(
    "--pack", "packs", multiple=True, type=click.Path(exists=True, file_okay=False), metavar="DIR",
    help="Also use the template pack in DIR (repeatable).",
)
@click.option("--today", type=_Date(), default=None, help="The date the texts are written on.")
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
@click.option(
    "--jobs", "-j", type=click.IntRange(0, 64), default=0,
    help="Render in N worker processes (default 0: one for small files, up to 4 for big ones).",
)
@click.pass_context
def batch_command(
    ctx: click.Context,
    scenario: str,
    rows: str,
    out_dir: str,
    lang: str | None,
    fmt: str,
    params_file: str | None,
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
    jobs: int,
) -> None:
    """Write one document per row of ROWS (CSV, YAML list or JSON Lines) into OUTDIR.

    Columns are parameter names (recipient.last_name, deadline, ...); a 'client'
    column fills a row from a client profile. Files are named after the recipient.
    Rows that fail are listed (and in OUTDIR/report.csv and report.json); the others
    are still written. Exit status 1 when any row failed.
    """
    from .batch import BatchInterrupted, run_batch
    from .inputs import parse_assignments, read_params_file
    from .profiles import default_clients_path

    ctx.meta["phrasebook.extra_packs"] = tuple(packs)
    catalog = _catalog()
    spec = catalog.scenario(scenario)
    base = read_params_file(params_file) if params_file else {}
    overrides = parse_assignments(assignments, *_list_names(spec))
    profiles = None
    if clients or default_clients_path().is_file():
        profiles = _load_client_profiles(clients)
    bar = _progress_bar(dry_run)
    _collect_garbage()
    try:
        summary = run_batch(
            spec.name, rows, out_dir, today=_today(today), lang=lang, fmt=fmt, params=base,
            overrides=overrides, profiles=profiles, catalog=catalog, encoding=encoding,
            delimiter=delimiter, numbers=numbers, dry_run=dry_run, force=force,
            fail_fast=fail_fast, jobs=jobs, progress=bar.update if bar else None,
            inputs=(params_file, clients),
        )
    except BatchInterrupted as exc:
        done = exc.summary
        reports = " and ".join(str(p) for p in done.reports) or "none"
        click.echo(
            f"\ninterrupted after {done.rows} rows: {done.written} written, {done.failed} failed; "
            f"report: {reports}",
            err=True,
        )
        raise
    finally:
        if bar is not None:
            bar.close()
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for failure in summary.failures:
        click.echo(f"{rows}:{failure.line}: {failure.message}", err=True)
    if summary.failed > len(summary.failures):
        click.echo(f"... and {summary.failed - len(summary.failures)} more failed rows", err=True)
    if summary.stopped_at is not None:
        click.echo(
            f"stopped at line {summary.stopped_at} (--fail-fast); later rows were not processed",
            err=True,
        )
    counts = f"{summary.failed} failed, {summary.skipped} skipped ({summary.rows} rows)"
    if dry_run:
        click.echo(f"dry run: {summary.written} to write, {counts}; nothing was written", err=True)
    else:
        reports = " and ".join(str(p) for p in summary.reports)
        click.echo(f"{summary.written} written, {counts}; report: {reports}", err=True)
    if summary.failed:
        noun = "row" if summary.failed == 1 else "rows"
        raise click.ClickException(f"{summary.failed} {noun} failed")
    if summary.rows == summary.skipped:
        empty = click.ClickException(f"no data rows in {rows}")
        empty.exit_code = 2  # bad input, as an empty file is
        raise empty


class _ProgressBar:
    """A progress bar on stderr, by bytes of the rows file read."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._done = 0

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=max(total, 1), label="Rendering", file=sys.stderr)
            self._bar.__enter__()
        if done > self._done:
            self._bar.update(done - self._done)
            self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def _progress_bar(dry_run: bool) -> _ProgressBar | None:
    try:
        return _ProgressBar() if sys.stderr.isatty() else None
    except (AttributeError, ValueError):
        return None


@cli.command("check")
@click.argument("pack_dir", type=click.Path(file_okay=False), metavar="DIR")
@click.option("--today", type=_Date(), default=None, help="The date used for sample renders.")
def check_command(pack_dir: str, today: dt.date | None) -> None:
    """Check the template pack in DIR: links, specs, templates in German and English,
    declared variables, sample renders and (when available) the language lint.
    """
    from .packs import check_pack

    _collect_garbage()
    report = check_pack(pack_dir, today=_today(today))
    for check in report.checks:
        click.echo(str(check))
    verdict = "ok" if not report.failed else f"{report.failed} failed"
    click.echo(f"{pack_dir}: {report.passed} checks passed, {verdict}")
    if report.failed:
        raise click.exceptions.Exit(1)


@cli.command("new")
@click.argument("scenario")
@click.argument("pack_dir", type=click.Path(file_okay=False), metavar="DIR")
@click.option("--force", is_flag=True, help="Replace files that exist.")
def new_command(scenario: str, pack_dir: str, force: bool) -> None:
    """Start a new SCENARIO in the template pack DIR (created if missing).

    Writes the spec, German and English templates and example parameters; edit
    them, then run `phrasebook check DIR`.
    """
    from .packs import scaffold

    for path in scaffold(scenario, pack_dir, force=force):
        click.echo(f"created {path}")
    click.echo(f"next: edit the wording, then run: phrasebook check {pack_dir}")


#: Set while this process runs as the console script (see :func:`main`).
_console_run = {"active": False}


def _collect_garbage() -> None:
    """Turn the cyclic garbage collector back on, for commands that go on for a while.

    What start-up made (modules, locale data, templates) is set aside first, so the
    collector's passes look only at what the command makes from here on. Only in a
    console run: called from a program, phrasebook leaves the collector alone.
    """
    if _console_run["active"]:
        import gc

        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``phrasebook`` console script (``argv``: the arguments, for
    calls from a program; the command line when None)."""
    import gc

    # As the console script: start-up creates many objects that live to the end and
    # hardly any cyclic garbage, so the collector's passes over them, and its last pass
    # at exit, only cost time (a fifth of a single render). Commands that go on for a
    # while turn it back on (_collect_garbage).
    console = argv is None
    enabled = gc.isenabled()
    if console:
        _console_run["active"] = True
        gc.disable()
    try:
        code = cli.main(args=argv, prog_name="phrasebook", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("\nAborted.", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader went away (``phrasebook show … | head``): stop quietly, and keep
        # Python from reporting the failed flush of standard output at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    finally:
        if console:
            gc.freeze()  # the process ends here: the last pass may skip everything
            _console_run["active"] = False
            (gc.enable if enabled else gc.disable)()
    sys.exit(code if isinstance(code, int) else 0)
