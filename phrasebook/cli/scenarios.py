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
    from ..variants import in_variant

    language = resolve_language(lang or session.default_language() or ui_language())
    code = language.code
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
        click.echo(in_variant(f"{heading}:", language))
        for scenario in members:
            click.echo(f"  {scenario.name:<{width}}  {in_variant(scenario.summary[code], language)}")


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
    from ..variants import in_variant

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
    click.echo(in_variant(f"{spec.name}: {spec.title[code]}", language))
    click.echo(in_variant(spec.summary[code], language))
    click.echo(gettext("Formats: {formats}").format(formats=", ".join(spec.output_formats)))
    click.echo()
    click.echo(gettext("Parameters:"))
    formatter = click.HelpFormatter(width=100)
    with formatter.indentation():
        formatter.write_dl(
            [(name, f"{kind}. {text}") for name, kind, text in describe_params(spec, code)]
        )
    click.echo(in_variant(formatter.getvalue(), language), nl=False)
    for line in describe_rules(spec, code):
        click.echo(in_variant(f"  {line}", language))
    if example is not None:
        click.echo()
        click.echo(gettext("Example ({file}):").format(file=example.name))
        click.echo()
        click.echo(example.read_text(encoding="utf-8"), nl=False)
        click.echo()
        click.echo(
            gettext("To start from it: phrasebook show {scenario} --lang {lang} --example > {file}").format(
                scenario=spec.name, lang=lang or code, file=example.name
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

    `phrasebook render SCENARIO --help` lists that scenario's parameters. `--lang de,en`
    writes both versions (`-o offer.md`: offer.de.md and offer.en.md) and checks that they
    state the same dates, times, amounts and numbers (not with --example: each language
    has an example of its own).
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
    """Gather the values (see :mod:`phrasebook.layering`), render, and print or write it.

    ``lang`` may name several languages (``de,en``): see :func:`run_versions`.
    """
    from ..errors import InvalidInput
    from ..output import write_atomic

    if lang is not None and "," in lang:
        run_versions(
            scenario, langs=lang, params_files=params_files, assignments=assignments, example=example,
            today=today, fmt=fmt, output=output, force=force, ics=ics, lint=lint, client=client,
            clients=clients, reply_to=reply_to, allow_placeholders=allow_placeholders, log=log,
        )
        return
    _check_targets(output, ics, force)
    answered = read_reply(reply_to)
    language, document, day, _values, client_profile = _render_one(
        scenario, lang=lang, params_files=params_files, assignments=assignments, example=example,
        today=today, fmt=fmt, client=client, clients=clients, answered=answered,
        allow_placeholders=allow_placeholders, ics=ics,
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
    after_render(document, client=client_profile, output=output, today=day, log=log)
    if lint:
        _lint_document(document, output)


def _render_one(
    scenario: str, *, lang: str | None, params_files: Sequence[str], assignments: Sequence[str],
    example: bool, today: dt.date | None, fmt: str | None, client: str | None, clients: str | None,
    answered: Any, allow_placeholders: bool, ics: str | None, answers: dict[str, Any] | None = None,
    seen_notes: list[str] | None = None,
) -> tuple[Any, Any, dt.date, dict[str, Any], Any]:
    """Layer the values for one language and render; return (language, document, day, values,
    client), the client being the profile the values came from, if any.

    ``answers`` collects what the user typed for missing values, for the next language;
    ``seen_notes`` the notes shown, so that the next language does not repeat them.
    """
    from ..errors import InvalidInput
    from ..layering import layer_inputs
    from ..render import render

    catalog = session.current().catalog()
    spec = catalog.scenario(scenario)
    language, layered = layer_inputs(
        spec, catalog, lang=lang, example=example, files=params_files,
        assignments=assignments, client=client, clients=clients, reply=answered,
        sender=session.current().sender(),
    )
    values = layered.values
    if answers:
        values.update(answers)
    if session.interactive():
        typed = prompt_missing(spec, values, language)
        values.update(typed)
        if answers is not None:
            answers.update(typed)
    day = session.today(today)
    document = render(
        spec, language, values, today=day, fmt=fmt or spec.formats[0],
        catalog=catalog, client=layered.client, reply=answered, allow_placeholders=allow_placeholders,
    )
    notes = [*reply_notes(answered, values), *document.notes]
    show_notes([note for note in notes if seen_notes is None or note not in seen_notes])
    if seen_notes is not None:
        seen_notes.extend(notes)
    if ics and not document.events:
        raise InvalidInput(
            "--ics: " + _("{scenario} has no dates to put in a calendar").format(scenario=spec.name)
        )
    return language, document, day, values, layered.client


def version_path(path: str, lang: str) -> str:
    """The file of one language's version: ``offer.md`` → ``offer.de.md`` (``offer`` → ``offer.de``).

    >>> version_path("out/offer.md", "de_CH"), version_path("offer", "en")
    ('out/offer.de_CH.md', 'offer.en')
    """
    import os

    head, name = os.path.split(path)
    stem, dot, suffix = name.rpartition(".")
    versioned = f"{stem}.{lang}.{suffix}" if dot and stem else f"{name}.{lang}"
    return os.path.join(head, versioned)


def run_versions(
    scenario: str, *, langs: str, params_files: Sequence[str], assignments: Sequence[str], example: bool,
    today: dt.date | None, fmt: str | None, output: str | None, force: bool, ics: str | None, lint: bool,
    client: str | None, clients: str | None, reply_to: str | None, allow_placeholders: bool,
    log: bool = False,
) -> None:
    """``render --lang de,en``: the text in each language, written only when they state the same
    facts (dates, times, amounts, numbers; not compared with ``example``, where each language
    takes its own example's values); with ``-o`` one file per language (``.de``/``.en``
    before the extension), else one after the other on standard output under ``==> de <==``."""
    import os

    from ..errors import InvalidInput, OutputExists
    from ..facts import compare_versions, verbatim_texts
    from ..l10n import resolve_language
    from ..output import write_atomic

    codes = [code.strip() for code in langs.split(",")]
    if "" in codes or len(codes) < 2:
        raise InvalidInput(
            "--lang: " + _("expected languages separated by commas, such as de,en; got {value!r}").format(value=langs)
        )
    if ics == "-":
        raise InvalidInput("--ics: " + _("each language has its own calendar; name a file, such as --ics offer.ics"))
    languages = [resolve_language(code) for code in codes]
    seen: set[str] = set()
    for code, language in zip(codes, languages, strict=True):
        if language.locale in seen:
            raise InvalidInput("--lang: " + _("{lang} is named twice").format(lang=code))
        seen.add(language.locale)
    to_files = bool(output) and output != "-"
    outputs = [version_path(output, code) if output and to_files else None for code in codes]
    calendars = [version_path(ics, code) if ics else None for code in codes]
    for target, calendar in zip(outputs, calendars, strict=True):
        _check_targets(target, calendar, force)
        if target is not None and not force and os.path.lexists(target):
            raise OutputExists(target)
    answered = read_reply(reply_to)
    answers: dict[str, Any] = {}
    seen_notes: list[str] = []
    rendered = [
        _render_one(
            scenario, lang=code, params_files=params_files, assignments=assignments, example=example,
            today=today, fmt=fmt, client=client, clients=clients, answered=answered,
            allow_placeholders=allow_placeholders, ics=ics, answers=answers, seen_notes=seen_notes,
        )
        for code in codes
    ]
    if not to_files and any(document.data is not None for _l, document, _d, _v, _c in rendered):
        raise InvalidInput(_("a PDF is not for the terminal: write it to a file with -o FILE.pdf"))
    if not example:  # each language's own example has values of its own (names, currency, phone)
        compare_versions(
            [(language, f"{document.subject}\n\n{document.body}") for language, document, *_rest in rendered],
            codes,
            verbatim=[text for *_rest, values, _client in rendered for text in verbatim_texts(values)],
        )
    for index, (code, (language, document, day, _values, client_profile)) in enumerate(
        zip(codes, rendered, strict=True)
    ):
        content = document.data if document.data is not None else document.text
        target = outputs[index]
        if target is not None:
            write_atomic(target, content, force=force, private=True, keep_mode=True)
        else:
            click.echo(("\n" if index else "") + f"==> {code} <==")
            click.echo(content, nl=False)
        calendar = calendars[index]
        if calendar:
            write_ics(calendar, document.events, today=day, force=force, code=language.code)
        if index == 0:  # one promise, whichever language states it
            after_render(document, client=client_profile, output=target, today=day, log=log)
    if lint:
        failed = [_lint_document(document, target, stop=False) for (_l, document, _d, _v, _c), target in
                  zip(rendered, outputs, strict=True)]
        if any(failed):
            raise click.exceptions.Exit(1)


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
    if ics == "-":
        if not output or output == "-":
            raise InvalidInput(
                "--ics: " + _("the text already goes to standard output; write it to a file with -o FILE "
                              "to have the calendar on standard output")
            )
        return
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


def _lint_document(document: Any, output: str | None, *, stop: bool = True) -> bool:
    """Lint a rendered document; report on stderr and exit 1 on an error-level finding
    (or, with ``stop`` false, return whether there was one)."""
    from ..lint import format_finding, has_errors, lint_text

    if document.format == "eml":
        name, text = "<message>", f"{document.subject}\n\n{document.body}"
    else:
        name = output if output and output != "-" else "<stdout>"
        text = document.text
    # No day of writing: the letter's dates were checked against it when it was rendered
    # (a payment reminder names an invoice date in the past on purpose).
    from ..variants import regional

    findings = lint_text(
        text, document.language.code, markdown=document.format == "md", today=None,
        variant=regional(document.language),
    )
    for finding in findings:
        click.echo(format_finding(name, finding), err=True)
    if has_errors(findings) and stop:
        raise click.exceptions.Exit(1)
    return has_errors(findings)


def write_ics(path: str, events: Sequence[Any], *, today: dt.date, force: bool, code: str) -> None:
    """Write calendar entries to ``path`` (private, like the letters) and say so on stderr, in ``code``;
    ``-`` is standard output."""
    from ..ics import to_ical
    from ..output import write_atomic

    if path == "-":
        click.echo(to_ical(events, today=today), nl=False)
        return
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
