"""The one place where library errors become messages and exit codes.

Every error the library raises derives from :class:`~phrasebook.errors.PhrasebookError`
and carries its exit code (1 failure, 2 bad input). Commands and groups made with
the classes here turn it into Click's ``Error: …`` on stderr with that code; anything
else becomes an "unexpected" error, and ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..errors import PhrasebookError
from ..messages import _, chosen_language, environment_language, speaking
from .session import current, debug


def message_language(ctx: click.Context) -> str:
    """The language of messages for this command: ``PHRASEBOOK_LANG`` when the user set it,
    else the command's ``--lang``, else the environment's (``LANGUAGE``, ``LANG`` …)."""
    lang = ctx.params.get("lang")
    if chosen_language() is None and isinstance(lang, str) and lang != "auto":
        return lang
    return environment_language()


def translate_errors(ctx: click.Context, invoke: Callable[[click.Context], Any]) -> Any:
    """Run ``invoke`` in the command's message language; turn library errors into Click
    errors with the right exit code."""
    language = message_language(ctx)
    current().language = language
    with speaking(language):
        try:
            return invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise
        except PhrasebookError as exc:
            if debug(ctx):
                raise
            if exc.exit_code == 2:
                raise click.UsageError(str(exc), ctx=ctx) from None
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if debug(ctx):
                raise
            raise click.ClickException(
                _("unexpected {error}: {message} (run with --debug for details)").format(
                    error=type(exc).__name__, message=exc
                )
            ) from None


class PhrasebookCommand(click.Command):
    """A command whose library errors become ``Error: …`` with exit code 1 or 2."""

    def invoke(self, ctx: click.Context) -> Any:
        return translate_errors(ctx, super().invoke)


class PhrasebookGroup(click.Group):
    """A group whose commands (and sub-groups) map library errors to exit codes."""

    command_class = PhrasebookCommand

    def invoke(self, ctx: click.Context) -> Any:
        return translate_errors(ctx, super().invoke)


PhrasebookGroup.group_class = PhrasebookGroup


def command(name: str, **attrs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """``click.command`` with the error boundary of this module."""
    return click.command(name, cls=PhrasebookCommand, **attrs)
