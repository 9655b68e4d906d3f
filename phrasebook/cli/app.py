"""The ``phrasebook`` group and the command line's error boundary at the top.

Every command parses its options, calls the library and prints the result; one
module per command family (:mod:`.scenarios` for list/show/render, :mod:`.batch`,
:mod:`.plan`, :mod:`.lint`, :mod:`.rehearse`, :mod:`.packs`). Errors from the library
carry their exit code (1 failure, 2 bad input); :mod:`.boundary` turns them into
Click's ``Error: …`` message on stderr. Everything but Click is imported inside the
commands, so that start-up stays quick.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from .boundary import TopGroup
from .session import Session
from .tophelp import STORED, WIDE, reader_went_away

__all__ = ["cli", "main"]


#: The commands and where each is defined (imported when it runs or a help screen lists it).
COMMANDS = {
    "list": ".scenarios:list_command",
    "show": ".scenarios:show_command",
    "render": ".scenarios:render_group",
    "stylesheet": ".scenarios:stylesheet_command",
    "batch": ".batch:batch_command",
    "check": ".packs:check_command",
    "new": ".packs:new_command",
    "lint": ".lint:lint_command",
    "plan": ".plan:plan_command",
    "promises": ".promises:promises_group",
    "rehearse": ".rehearse:rehearse_command",
    "init": ".setup:init_command",
    "config": ".setup:config_command",
}


@click.group(
    cls=TopGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
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


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the ``phrasebook`` group on ``argv`` (the arguments, for calls from a program;
    the command line when None) and exit with its status."""
    run = Session(console=argv is None)
    try:
        code = cli.main(args=argv, prog_name="phrasebook", standalone_mode=False, obj=run)
    except click.ClickException as exc:
        show_error(exc, run.language)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        from ..messages import translator

        # after the command: in the language its messages were in
        click.echo("\n" + translator(run.language).gettext("Aborted."), err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        reader_went_away()
    sys.exit(code if isinstance(code, int) else 0)


def show_error(exc: click.ClickException, language: str) -> None:
    """Print ``exc`` as Click does (``Usage: …``, ``Error: …``), in the message language."""
    from ..messages import message_language, translator

    if message_language(language) == "en":
        exc.show()
        return
    gettext = translator(language).gettext
    ctx = getattr(exc, "ctx", None) if isinstance(exc, click.UsageError) else None
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage:", gettext("Usage:"), 1)
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            names = ctx.command.get_help_option_names(ctx)
            hint = gettext("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=max(names, key=len)
            ) + "\n"
        click.echo(f"{usage}\n{hint}", err=True, color=ctx.color)
    click.echo(gettext("Error: {message}").format(message=exc.format_message()), err=True)


def help_screen() -> str:
    """``phrasebook --help`` as Click renders it on this terminal, with the newline
    ``click.echo`` adds."""
    with cli.context_class(cli, info_name="phrasebook", **cli.context_settings) as ctx:
        return cli.get_help(ctx) + "\n"


if __name__ == "__main__":
    # Write the stored help screen (.tophelp) as a wide terminal shows it. Run this after
    # changing the group's options or a command's short help; a test says when.
    os.environ["COLUMNS"] = str(WIDE)
    with open(STORED, "w", encoding="utf-8", newline="\n") as out:
        out.write(help_screen())
