"""``phrasebook list``, ``show`` and ``render SCENARIO``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click

from ..messages import _, translator
from . import session
from .boundary import PhrasebookCommand, PhrasebookGroup, command
from .helptext import describe_params, describe_rules
from .options import (
    Date,
    client_options,
    example_option,
    lang_option,
    params_option,
    placeholders_option,
    reply_option,
    scenario_argument,
    set_option,
    ui_language,
)
from .promises import after_render, log_option


@command("list")
@lang_option()
def list_command(lang: str | None) -> None:
    """List the scenarios with a one-line description."""
    from ..l10n import resolve_language
    from ..spec import SITUATIONS

    code = resolve_language(lang or session.default_language() or ui_language()).code
    gettext = translator(code).gettext
    scenarios = session.current().catalog().scenarios()
    width = max(len(s.name) for s in scenarios)
    headings: list[tuple[str | None, str]] = [(key, gettext(text)) for key, text in SITUATIONS.items()]
    headings.append((None, gettext("Other scenarios")))
    first = True
    for key, heading in headings:
        members = [s for s in scenarios if s.group == key]
        if not members:
            continue
        if not first:
            click.echo()
        first = False
        click.echo(f"{heading}:")
        for scenario in members:
            click.echo(f"  {scenario.name:<{width}}  {scenario.summary[code]}")


@command("show")
@scenario_argument()
@lang_option()
@click.option(
    "--example", "example_only", is_flag=True,
    help="Print only the example parameters file, to save and edit: show SCENARIO --example > FILE.yaml",
)
def show_command(scenario: str, lang: str | None, example_only: bool) -> None:
    """Show a scenario's parameters and an example parameters file."""
    from ..l10n import resolve_language

    language = resolve_language(lang or session.default_language() or ui_language())
    code = language.code
    gettext = translator(code).gettext
    catalog = session.current().catalog()
    spec = catalog.scenario(scenario)
    example = catalog.example_path(spec.name, language.locale)
    if example_only:
        from ..layering import example_layer
        from ..sender import example_for

        example_layer(example, spec.name, code)  # a clear error when there is none
        assert example is not None
        click.echo(example_for(example.read_text(encoding="utf-8"), session.current().sender()), nl=False)
        return
    click.echo(f"{spec.name}: {spec.title[code]}")
    click.echo(spec.summary[code])
    click.echo(gettext("Formats: {formats}").format(formats=", ".join(spec.output_formats)))
    click.echo()
    click.echo(gettext("Parameters:"))
    formatter = click.HelpFormatter(width=100)
    with formatter.indentation():
        formatter.write_dl([(name, f"{kind}. {text}") for name, kind, text in describe_params(spec, code)])
    click.echo(formatter.getvalue(), nl=False)
    for line in describe_rules(spec, code):
        click.echo(f"  {line}")
    if example is not None:
        click.echo()
        click.echo(gettext("Example ({file}):").format(file=example.name))
        click.echo()
        click.echo(example.read_text(encoding="utf-8"), nl=False)
        click.echo()
        click.echo(
            gettext("To start from it: phrasebook show {scenario} --lang {lang} --example > {file}").format(
                scenario=spec.name, lang=code, file=example.name
            )
        )


@command("stylesheet")
def stylesheet_command() -> None:
    """Print the stylesheet of --format html and pdf, for pandoc:

    \b
      phrasebook stylesheet > print.css
      pandoc -s offer.md --css print.css --pdf-engine=weasyprint -o offer.pdf
    """
    from ..printing import stylesheet

    click.echo(stylesheet(), nl=False)


class ScenarioCommand(PhrasebookCommand):
    """``render SCENARIO``: its help lists the scenario's own parameters."""

    scenario_name: str = ""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        code = ui_language()
        spec = session.current().catalog().scenario(self.scenario_name)
        with formatter.section(translator(code).gettext("Parameters (--set NAME=VALUE)")):
            formatter.write_dl([(n, f"{k}. {t}") for n, k, t in describe_params(spec, code)])
            for line in describe_rules(spec, code):
                formatter.write_text(line)


class RenderGroup(PhrasebookGroup):
    """``render``: one sub-command per scenario, found in the catalogue when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(session.current(ctx).catalog().names())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in session.current(ctx).catalog().names():
            return None
        return _scenario_command(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        from ..errors import UnknownScenario

        name = args[0]
        command = self.get_command(ctx, name)
        if command is None:
            names = session.current().catalog().names()
            raise click.UsageError(str(UnknownScenario(name, names)), ctx=ctx)
        return name, command, args[1:]


def _render_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        lang_option(),
        params_option("YAML file with parameter values; repeat to layer several (later files win)."),
        set_option("Set one parameter; wins over --params. Repeat for list items."),
        example_option(),
        click.option(
            "--today", type=Date(), default=None,
            help="The date the text is written on (default: today).",
        ),
        click.option(
            "--format", "-f", "fmt", type=click.Choice(["text", "md", "eml", "html", "pdf"]), default=None,
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
        client_options,
        reply_option(),
        placeholders_option(),
        log_option("the promises the text makes"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _scenario_command(name: str) -> click.Command:
    spec = session.current().catalog().scenario(name)
    code = ui_language()

    @_render_options
    def callback(**options: Any) -> None:
        run_render(name, **options)

    cmd = ScenarioCommand(
        name=name,
        callback=callback,
        params=list(reversed(getattr(callback, "__click_params__", []))),
        help=f"{spec.title[code]}.\n\n{spec.summary[code]}",
        short_help=spec.summary[code],
    )
    cmd.scenario_name = name
    return cmd


@click.group("render", cls=RenderGroup)
def render_group() -> None:
    """Render a scenario: `phrasebook render SCENARIO --lang de --params FILE.yaml`.

    `phrasebook render SCENARIO --help` lists that scenario's parameters.
    """


def run_render(
    scenario: str,
    *,
    lang: str | None,
    params_files: Sequence[str],
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
    reply_to: str | None = None,
    allow_placeholders: bool = False,
    log: bool = False,
) -> None:
    """Gather the values (see :mod:`phrasebook.layering`), render, and print or write it."""
    from ..errors import InvalidInput
    from ..layering import layer_inputs
    from ..output import write_atomic
    from ..render import render

    _check_targets(output, ics, force)
    catalog = session.current().catalog()
    spec = catalog.scenario(scenario)
    answered = read_reply(reply_to)
    language, layered = layer_inputs(
        spec, catalog, lang=lang, example=example, files=params_files,
        assignments=assignments, client=client, clients=clients, reply=answered,
        sender=session.current().sender(),
    )
    values = layered.values
    if session.interactive():
        values.update(prompt_missing(spec, values, language))
    day = session.today(today)
    document = render(
        spec, language, values, today=day, fmt=fmt or spec.formats[0],
        catalog=catalog, client=layered.client, reply=answered, allow_placeholders=allow_placeholders,
    )
    show_notes([*reply_notes(answered, values), *document.notes])
    if ics and not document.events:
        raise InvalidInput(
            "--ics: " + _("{scenario} has no dates to put in a calendar").format(scenario=spec.name)
        )
    # The letter first: when it cannot be written, no calendar is written for it either.
    content = document.data if document.data is not None else document.text
    if output and output != "-":
        write_atomic(output, content, force=force, private=True, keep_mode=True)
    elif isinstance(content, bytes):
        stream = binary_stdout()
        if stream.isatty():
            raise InvalidInput(_("a PDF is not for the terminal: write it to a file with -o FILE.pdf"))
        stream.write(content)
        stream.flush()
    else:
        click.echo(content, nl=False)
    if ics:
        write_ics(ics, document.events, today=day, force=force, code=language.code)
    after_render(spec, document, client=layered.client, output=output, today=day, log=log)
    if lint:
        _lint_document(document, output)


def binary_stdout() -> Any:
    """Standard output for bytes (a PDF piped on)."""
    import sys

    return sys.stdout.buffer


def read_reply(path: str | None) -> Any:
    """The message ``--reply-to`` names (None without it)."""
    if not path:
        return None
    from ..reply import read_message

    return read_message(path)


def reply_notes(answered: Any, values: Mapping[str, Any]) -> list[str]:
    """A note when the register chosen differs from the one of the message answered."""
    if answered is None:
        return []
    from ..reply import register_note

    note = register_note(answered, values)
    return [note] if note else []


def _check_targets(output: str | None, ics: str | None, force: bool) -> None:
    """Refuse ``-o``/``--ics`` targets that cannot work, before anything is rendered:
    an empty name, one file for both, or (without --force) a calendar file that exists."""
    import os
    from pathlib import Path

    from ..errors import InvalidInput, OutputExists

    for option, name in (("-o", output), ("--ics", ics)):
        if name is not None and not name.strip():
            raise InvalidInput(f"{option}: " + _("the file name is empty"))
    if output and ics and output != "-":
        same = Path(output).resolve() == Path(ics).resolve()
        if not same and Path(output).exists() and Path(ics).exists():
            same = os.path.samefile(output, ics)
        if same:
            raise InvalidInput(
                "--ics: " + _("{path} is also the -o file; write the letter and the calendar to two files").format(
                    path=ics
                )
            )
    if ics and not force and (Path(ics).exists() or Path(ics).is_symlink()):
        raise OutputExists(ics)


def show_notes(notes: Sequence[str]) -> None:
    """Print the hints a text came with on stderr (``Note: …``), in the message language."""
    for note in notes:
        click.echo(_("Note: {message}").format(message=note), err=True)


def _lint_document(document: Any, output: str | None) -> None:
    """Lint a rendered document; report on stderr and exit 1 on an error-level finding."""
    from ..lint import format_finding, has_errors, lint_text

    if document.format == "eml":
        name, text = "<message>", f"{document.subject}\n\n{document.body}"
    else:
        name = output if output and output != "-" else "<stdout>"
        text = document.text
    # No day of writing: the letter's dates were checked against it when it was rendered
    # (a payment reminder names an invoice date in the past on purpose).
    findings = lint_text(text, document.language.code, markdown=document.format == "md", today=None)
    for finding in findings:
        click.echo(format_finding(name, finding), err=True)
    if has_errors(findings):
        raise click.exceptions.Exit(1)


def write_ics(path: str, events: Sequence[Any], *, today: dt.date, force: bool, code: str) -> None:
    """Write calendar entries to ``path`` (private, like the letters) and say so on stderr, in ``code``."""
    from ..ics import to_ical
    from ..output import write_atomic

    write_atomic(path, to_ical(events, today=today), force=force, private=True, keep_mode=True)
    written = translator(code).ngettext(
        "Calendar written: {path} ({count} entry)",
        "Calendar written: {path} ({count} entries)",
        len(events),
    )
    click.echo(written.format(path=path, count=len(events)), err=True)


def prompt_missing(spec: Any, raw: Mapping[str, Any], language: Any) -> dict[str, Any]:
    """Ask on the terminal for each required value that is still missing."""
    from ..paramtypes import Invalid

    code = ui_language()
    answers: dict[str, Any] = {}

    class Answer(click.ParamType):  # type: ignore[type-arg]
        name = "value"

        def __init__(self, param: Any) -> None:
            self.param = param

        def convert(self, value: Any, p: Any, ctx: Any) -> Any:
            try:
                self.param.coerce(value, language)
            except Invalid as exc:
                self.fail(str(exc), p, ctx)
            return value

    for _round in range(3):
        merged = {p.name: p.default for p in spec.params}
        merged.update({k: v for k, v in raw.items() if v not in (None, "")})
        merged.update(answers)
        # Of "give one of them" parameters, ask for the first (e.g. a fixed deadline).
        params = [spec.param(r.names[0]) for r in spec.missing(merged)]
        params = [p for p in params if p.type != "list"]
        if not params:
            break
        for param in params:
            answers[param.name] = click.prompt(
                f"{param.name} ({param.help[code]})", type=Answer(param), err=True
            )
    return answers
