"""``phrasebook rehearse``: practise a difficult call, or print it as a cheat sheet."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

import click

from ..messages import _
from . import session
from .boundary import command
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
)
from .scenarios import read_reply, reply_notes, show_notes


@command("rehearse")
@scenario_argument()
@lang_option()
@params_option("YAML file with parameter values, as for render; repeatable (later files win).")
@set_option("Set one parameter; wins over --params. Repeat for list items.")
@example_option()
@click.option(
    "--today", type=Date(), default=None, help="The date of the call (default: today)."
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
    "--retry/--no-retry", default=None,
    help="After feedback, offer to try the step again (default: at a terminal).",
)
@click.option(
    "--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
    metavar="FILE.yaml", help="Your own lint rules, as for lint, to judge your answers.",
)
@client_options
@reply_option()
@placeholders_option()
def rehearse_command(
    scenario: str,
    lang: str | None,
    params_files: Sequence[str],
    assignments: Sequence[str],
    example: bool,
    today: dt.date | None,
    print_sheet: bool,
    transcript: str | None,
    force: bool,
    retry: bool | None,
    rules_file: str | None,
    client: str | None,
    clients: str | None,
    reply_to: str | None,
    allow_placeholders: bool,
) -> None:
    """Practise a difficult call step by step before dialling.

    The steps: a short state check, the opening, the key sentences one at a time,
    the client's likely objections with prepared answers, the closing question and
    a summary. Type your own phrasing at any step to see the prepared one beside it,
    with weak wording pointed out (by the rules of lint) and what the call needs:
    missing dates and amounts, giving in, the wrong register or language. Press
    Enter to skip. Ctrl-C ends the rehearsal. Lines you stumbled on are offered
    again at the next rehearsal of the scenario.

    With --print, the same script is printed as a one-page Markdown cheat sheet.
    """
    from ..errors import InvalidInput
    from ..layering import layer_inputs
    from ..output import write_atomic
    from ..rehearse import load_script, rehearse

    if print_sheet and transcript:
        raise InvalidInput(_("--transcript records a rehearsal; it cannot be used with --print"))
    if transcript:
        _check_transcript_path(transcript, force)
    run = session.current()
    catalog = run.catalog()
    spec = catalog.scenario(scenario)
    answered = read_reply(reply_to)
    language, layered = layer_inputs(
        spec, catalog, lang=lang, example=example, files=params_files,
        assignments=assignments, client=client, clients=clients, reply=answered,
        sender=session.current().sender(),
    )
    show_notes(reply_notes(answered, layered.values))
    script = load_script(
        spec.name, language, layered.values, today=session.today(today), catalog=catalog,
        client=layered.client, allow_placeholders=allow_placeholders,
    )
    if print_sheet:
        click.echo(script.markdown, nl=False)
        return
    import shutil

    width = min(shutil.get_terminal_size((80, 24)).columns, 100) - 2

    import contextlib
    import sys

    from ..lint import lint_text
    from ..lintrules import load_rules
    from ..rehearsedeck import deck_path, load_deck, update_deck

    day = session.today(today)
    rules = load_rules(script.lang, rules_file)  # the rules of lint, the user's file too

    from ..variants import regional

    variant = regional(language)  # lint's rule "variant": "right away" in en_US, no ß in de_CH

    def critic(text: str, _lang: str) -> list[Any]:
        return list(lint_text(text, rules=rules, today=day, variant=variant))

    deck = deck_path(spec.name, script.lang)

    def keep(partial: Any) -> None:
        # The deck is a help for next time; an unwritable data directory costs only that.
        with contextlib.suppress(OSError):
            update_deck(deck, partial.stumbled(), partial.practised())
        if transcript:
            write_atomic(transcript, partial.transcript, force=force)

    run.collect_garbage()  # an interactive session may go on for a while
    result = rehearse(
        script,
        ask=_asker(sys.stdin.isatty()),
        show=click.echo,
        critic=critic,
        width=width,
        on_stop=keep,
        retry=sys.stdin.isatty() if retry is None else retry,
        deck=load_deck(deck),
    )
    keep(result)


def _asker(terminal: bool) -> Any:
    """Read a line: with line editing and history (``readline``) at a terminal."""
    if terminal:
        try:
            import readline  # noqa: F401  (imported for its side effect on input())
        except ImportError:  # pragma: no cover - Windows without pyreadline
            pass
        else:
            return lambda prompt: input(prompt + " ")
    return lambda prompt: str(click.prompt(prompt, default="", show_default=False, prompt_suffix=" "))


def _check_transcript_path(path: str, force: bool) -> None:
    """Refuse an unusable transcript path before the rehearsal starts, not after it."""
    from ..errors import OutputError, OutputExists

    if os.path.lexists(path) and not force:
        raise OutputExists(path)
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise OutputError(f"{directory}: " + _("no such directory"))
