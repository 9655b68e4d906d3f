"""``phrasebook lint``: weak, vague or hostile phrasing in the user's own texts."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence

import click

from . import session
from .boundary import command
from .options import Date


@command("lint")
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option(
    "--lang", "-l", default="auto", show_default=True, metavar="auto|de|de_DE|de_AT|de_CH|en|en_GB|en_US",
    help="Language of the texts; auto detects it for each file. A regional variant (de_CH, en_US) "
    "also points out the words it does not write (ß in Swiss German, British words in American English).",
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
@click.option(
    "--today", type=Date(), default=None,
    help="The day of writing: dates before it are pointed out (default: the system date).",
)
@click.option(
    "--fail-on", type=click.Choice(["error", "warning", "suggestion"]), default="error",
    show_default=True, help="The least severe finding that makes the exit status 1.",
)
@click.option(
    "--list-rules", is_flag=True,
    help="List the rules (id, severity, an example) of --lang, or of your language, and exit.",
)
@click.pass_context
def lint_command(
    ctx: click.Context, files: Sequence[str], lang: str, fmt: str, rules_file: str | None,
    markdown: bool, today: dt.date | None, fail_on: str, list_rules: bool,
) -> None:
    """Check client texts for weak, vague or hostile phrasing and suggest better wording.

    Reads each FILE, or standard input for `-`, and prints one line per finding
    (`file:line:column rule message → suggestions`). The exit status is 1 when a
    finding has severity error (or, with --fail-on, warning or suggestion). Markdown
    skips front matter, code and HTML comments.
    Dates are checked too: a weekday that does not fit its date, a date before today,
    and "next Wednesday", which can mean two days.

    \b
    Switch rules off inside a text, and back on:
      <!-- phrasebook: disable=zeitnah,eigentlich -->
      <!-- phrasebook: enable=zeitnah -->
    """
    import json

    from ..errors import UnknownLanguage
    from ..l10n import LANGUAGES, resolve_language
    from ..lint import (
        detect_language,
        finding_record,
        format_finding,
        has_errors,
        is_markdown_name,
        lint_text,
        read_limited,
        read_text_file,
        resolve_lint_language,
    )
    from ..lintrules import load_rules

    try:
        fixed = None if lang == "auto" else resolve_lint_language(lang)
    except UnknownLanguage:
        raise UnknownLanguage(lang, ["auto", *LANGUAGES]) from None
    variant = None if lang == "auto" or "_" not in lang.replace("-", "_") else resolve_language(lang).locale
    if list_rules:
        _list_rules(fixed or resolve_lint_language(session.current().language), rules_file, fmt)
        return
    if not files:
        raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "files"))
    texts = []
    for name in files:
        if name == "-":
            text = read_limited(sys.stdin.buffer, "<stdin>")
            texts.append(("<stdin>", text, markdown))
        else:
            texts.append((name, read_text_file(name), markdown or is_markdown_name(name)))
    day = session.today(today)
    codes = [fixed or detect_language(text) for _name, text, _markdown in texts]
    rulesets = {code: load_rules(code, rules_file) for code in sorted(set(codes))}
    findings = []
    for (name, text, is_markdown), code in zip(texts, codes, strict=True):
        for finding in lint_text(text, rules=rulesets[code], markdown=is_markdown, today=day, variant=variant):
            findings.append((name, finding))
    if fmt == "json":
        records = [finding_record(name, f) for name, f in findings]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for name, finding in findings:
            click.echo(format_finding(name, finding))
    if has_errors([f for _name, f in findings], fail_on):
        ctx.exit(1)


def _list_rules(code: str, rules_file: str | None, fmt: str) -> None:
    """Print the rules of a language: one line each, or a JSON list."""
    import json

    from ..lintrules import load_rules, rule_lines, rule_records

    rules = load_rules(code, rules_file)
    if fmt == "json":
        click.echo(json.dumps(rule_records(rules), ensure_ascii=False, indent=2))
    else:
        for line in rule_lines(rules):
            click.echo(line)
