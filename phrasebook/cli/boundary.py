"""The one place where library errors become messages and exit codes.

Every error the library raises derives from :class:`~phrasebook.errors.PhrasebookError`
and carries its exit code (1 failure, 2 bad input). Commands and groups made with
the classes here turn it into Click's ``Error: …`` on stderr with that code; anything
else becomes an "unexpected" error, and ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

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
                raise click.UsageError(str(_with_init_hint(exc)), ctx=ctx) from None
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if debug(ctx):
                raise
            raise click.ClickException(
                _("unexpected {error}: {message} (run with --debug for details)").format(
                    error=type(exc).__name__, message=exc
                )
            ) from None


def _with_init_hint(error: PhrasebookError) -> PhrasebookError:
    """A missing sender name, when there is no sender profile: say where your details go."""
    from ..errors import InvalidParams

    if not isinstance(error, InvalidParams) or error.hint is not None:
        return error
    if not any(problem.startswith("sender.name: ") for problem in error.problems):
        return error
    try:
        if current().sender() is not None:
            return error
    except PhrasebookError:
        return error
    hint = _("Give your own name and details once with 'phrasebook init'; every command then uses them.")
    return InvalidParams(error.scenario, error.problems, hint, error.values)


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


class TopGroup(PhrasebookGroup):
    """The ``phrasebook`` group: its own options (``--debug``, ``--pack DIR``) may also come
    after the command (``phrasebook render … --debug``), unless the command has an option of
    that name itself.

    Its commands are named in ``lazy_commands`` (name → ``module:attribute``, the module
    relative to this package) and imported only when one runs or a help screen lists them,
    so that a command loads its own module and none of the others'.
    """

    #: The group's options that are taken from after the command: name → takes a value.
    hoisted: ClassVar[dict[str, bool]] = {"--debug": False, "--pack": True}

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            from importlib import import_module

            module, _colon, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(import_module(module, __package__), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._hoist(ctx, list(args)))

    def _hoist(self, ctx: click.Context, args: list[str]) -> list[str]:
        position = self._command_position(args)
        if position is None:
            return args
        command = self.get_command(ctx, args[position])
        if command is None:
            return args
        own = {name for param in command.params for name in getattr(param, "opts", ())}
        front: list[str] = []
        rest: list[str] = args[: position + 1]
        tail = args[position + 1:]
        index = 0
        while index < len(tail):
            token = tail[index]
            if token == "--":
                rest.extend(tail[index:])
                break
            name, equals, _value = token.partition("=")
            takes_value = self.hoisted.get(name)
            if takes_value is None or name in own or (equals and not takes_value):
                rest.append(token)
            elif takes_value and not equals:
                front.extend(tail[index:index + 2])
                index += 1
            else:
                front.append(token)
            index += 1
        return front + rest

    def _command_position(self, args: list[str]) -> int | None:
        """The index of the command name: the first argument that is not a group option."""
        index = 0
        while index < len(args):
            token = args[index]
            if token == "--":
                return index + 1 if index + 1 < len(args) else None
            if not token.startswith("-") or token == "-":
                return index
            if self.hoisted.get(token):
                index += 1  # the option's value
            index += 1
        return None


def command(name: str, **attrs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """``click.command`` with the error boundary of this module."""
    return click.command(name, cls=PhrasebookCommand, **attrs)
