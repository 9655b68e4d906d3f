"""The ``phrasebook`` command line: the only module that imports Click.

Every command parses its options, calls the library and prints the result.
Errors from the library carry their exit code (1 failure, 2 bad input); the
group turns them into Click's ``Error: …`` message on stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

import click

from .errors import PhrasebookError

_UI: Mapping[str, Mapping[str, str]] = {
    "de": {
        "parameters": "Parameter",
        "required": "Pflicht",
        "optional": "optional",
        "default": "Vorgabe",
        "example": "Beispiel",
        "formats": "Formate",
        "needed_when": "Pflicht, wenn",
    },
    "en": {
        "parameters": "Parameters",
        "required": "required",
        "optional": "optional",
        "default": "default",
        "example": "Example",
        "formats": "Formats",
        "needed_when": "required when",
    },
}


def ui_language() -> str:
    """Return the language for help screens: German when the environment asks for it."""
    for var in ("PHRASEBOOK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"


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
    return value if value is not None else dt.date.today()


def _lang_option(required: bool = False) -> Callable[[Any], Any]:
    return click.option(
        "--lang",
        "-l",
        required=required,
        default=None,
        metavar="de|en|en_US",
        help="Output language: de (German), en (British English) or en_US.",
    )


class PhrasebookGroup(click.Group):
    """A group that maps library errors to Click errors with the right exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except PhrasebookError as exc:
            if _debug(ctx):
                raise
            if exc.exit_code == 2:
                raise click.UsageError(str(exc), ctx=_deepest(ctx)) from None
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"
            ) from None


def _deepest(ctx: click.Context) -> click.Context:
    sub = getattr(ctx, "_phrasebook_sub", None)
    return sub if isinstance(sub, click.Context) else ctx


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug"))


@click.group(cls=PhrasebookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="phrasebook", prog_name="phrasebook")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """Write the hard sentences of client work: calm deadline offers, kind boundaries,
    onboarding packs and graceful farewells, in German and English.

    Start with `phrasebook list`, then `phrasebook show SCENARIO`.
    """


@cli.command("list")
@_lang_option()
def list_command(lang: str | None) -> None:
    """List the scenarios with a one-line description."""
    from .catalog import load_catalog
    from .l10n import resolve_language

    code = resolve_language(lang or ui_language()).code
    scenarios = load_catalog().scenarios()
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
            need = f"{ui['default']}: {_show_value(param.default)}"
        elif param.required_if:
            conds = " / ".join(", ".join(f"{k}={v}" for k, v in c.items()) for c in param.required_if)
            need = f"{ui['needed_when']} {conds}"
        else:
            need = ui["optional"]
        rows.append((param.name, f"{param.describe_type()}, {need}", param.help[code]))
    return rows


def _show_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@cli.command("show")
@click.argument("scenario")
@_lang_option()
def show_command(scenario: str, lang: str | None) -> None:
    """Show a scenario's parameters and an example parameters file."""
    from .catalog import load_catalog
    from .l10n import resolve_language

    code = resolve_language(lang or ui_language()).code
    catalog = load_catalog()
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
    example = catalog.example_path(spec.name, code)
    if example is not None:
        click.echo()
        click.echo(f"{ui['example']} ({example.name}):")
        click.echo()
        click.echo(example.read_text(encoding="utf-8"), nl=False)


class ScenarioCommand(click.Command):
    """``render SCENARIO``: its help lists the scenario's own parameters."""

    scenario_name: str = ""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        from .catalog import load_catalog

        code = ui_language()
        spec = load_catalog().scenario(self.scenario_name)
        with formatter.section(f"{_UI[code]['parameters']} (--set NAME=VALUE)"):
            formatter.write_dl([(n, f"{k}. {t}") for n, k, t in describe_params(spec, code)])


class RenderGroup(click.Group):
    """``render``: one sub-command per scenario, found in the catalogue when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from .catalog import load_catalog

        return load_catalog().names()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from .catalog import load_catalog

        names = load_catalog().names()
        if cmd_name not in names:
            return None
        return _scenario_command(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        from .catalog import load_catalog
        from .errors import UnknownScenario

        name = args[0]
        command = self.get_command(ctx, name)
        if command is None:
            raise click.UsageError(str(UnknownScenario(name, load_catalog().names())), ctx=ctx)
        return name, command, args[1:]


def _render_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        _lang_option(required=True),
        click.option(
            "--params", "-p", "params_file", type=click.Path(dir_okay=False), metavar="FILE.yaml",
            help="YAML file with parameter values.",
        ),
        click.option(
            "--set", "-s", "assignments", multiple=True, metavar="NAME=VALUE",
            help="Set one parameter; wins over --params. Repeat for list items.",
        ),
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
            "--lint", is_flag=True,
            help="Check the result with the tone linter; findings go to standard error "
            "and an error-level finding makes the exit status 1.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _scenario_command(name: str) -> click.Command:
    from .catalog import load_catalog

    spec = load_catalog().scenario(name)
    code = ui_language()

    @_render_options
    @click.pass_context
    def command(ctx: click.Context, **options: Any) -> None:
        ctx.find_root()._phrasebook_sub = ctx  # type: ignore[attr-defined]
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
    lint: bool = False,
) -> None:
    """Collect parameters (example < file < --set), render, and print or write the result."""
    from .catalog import load_catalog
    from .errors import InvalidInput
    from .inputs import parse_assignments, read_params_file
    from .l10n import resolve_language
    from .output import write_atomic
    from .render import render
    from .spec import flatten

    catalog = load_catalog()
    spec = catalog.scenario(scenario)
    language = resolve_language(lang)
    known = {p.name for p in spec.params}
    raw: dict[str, Any] = {}
    if example:
        path = catalog.example_path(spec.name, language.code)
        if path is None:
            raise InvalidInput(f"{spec.name} has no example for {language.code}")
        raw.update(flatten(read_params_file(path), known))
    if params_file:
        raw.update(flatten(read_params_file(params_file), known))
    lists = [p.name for p in spec.params if p.type == "list"]
    raw.update(parse_assignments(assignments, lists))
    document = render(spec, language, raw, today=_today(today), fmt=fmt or spec.formats[0])
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

    ctx.find_root()._phrasebook_sub = ctx  # type: ignore[attr-defined]
    try:
        fixed = None if lang == "auto" else resolve_lint_language(lang)
    except UnknownLanguage:
        raise UnknownLanguage(lang, ["auto", "de", "en", "en_GB", "en_US"]) from None
    texts = []
    for name in files:
        if name == "-":
            text = decode_text(click.get_binary_stream("stdin").read(), "<stdin>")
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


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``phrasebook`` console script."""
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
    sys.exit(code if isinstance(code, int) else 0)
