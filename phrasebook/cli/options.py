"""Options and value types several commands share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from ..messages import _


def ui_language() -> str:
    """Return the language for help screens: German when the environment asks for it."""
    from ..messages import environment_language

    return environment_language()


class Date(click.ParamType):  # type: ignore[type-arg]
    """A date written as parameters are: ``YYYY-MM-DD`` or ``DD.MM.YYYY``."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ..paramtypes import parse_date

        try:
            day = parse_date(str(value))
        except ValueError:
            day = None
        if day is None:
            self.fail(
                _("{value!r} is not a date in the form YYYY-MM-DD or DD.MM.YYYY").format(value=value), param, ctx
            )
        return day


class Time(click.ParamType):  # type: ignore[type-arg]
    """A clock time written as ``HH:MM``."""

    name = "HH:MM"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.time:
        if isinstance(value, dt.time):
            return value
        try:
            hours, minutes = str(value).strip().split(":")
            return dt.time(int(hours), int(minutes))
        except ValueError:
            self.fail(
                _("{value!r} is not a time in the form HH:MM, e.g. 17:00").format(value=value),
                param,
                ctx,
            )


def language_codes() -> list[str]:
    """Every ``--lang`` value phrasebook accepts."""
    from ..l10n import LANGUAGES

    return list(LANGUAGES)


class LangOption(click.Option):
    """``--lang``: its metavar lists exactly the accepted values, read when help is shown
    (so that ``phrasebook --help`` need not load the language table)."""

    def make_metavar(self, ctx: click.Context) -> str:
        return "|".join(language_codes())


def complete_languages(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for ``--lang``."""
    return [code for code in language_codes() if code.startswith(incomplete)]


def complete_scenarios(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for a scenario name (built-in scenarios and the user's packs)."""
    from . import session

    try:
        names = session.current(ctx).catalog().names()
    except Exception:  # completion must never fail loudly
        return []
    return [name for name in names if name.startswith(incomplete)]


def complete_assignments(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for ``--set``: the scenario's parameter names, as ``NAME=``."""
    from click.shell_completion import CompletionItem

    from . import session

    # While the value of --set is being typed, Click leaves the SCENARIO argument unparsed in ctx.args.
    scenario = (
        ctx.params.get("scenario") or getattr(ctx.command, "scenario_name", "") or (ctx.args[0] if ctx.args else "")
    )
    if not scenario or "=" in incomplete:
        return []
    try:
        spec = session.current(ctx).catalog().scenario(scenario)
    except Exception:  # completion must never fail loudly
        return []
    return [
        CompletionItem(f"{p.name}=", type="plain") for p in spec.params if p.name.startswith(incomplete)
    ]


def scenario_argument() -> Callable[[Any], Any]:
    """``SCENARIO``: a scenario's name, completed in the shell."""
    return click.argument("scenario", shell_complete=complete_scenarios)


def lang_option(required: bool = False) -> Callable[[Any], Any]:
    """``--lang``: the output language."""
    return click.option(
        "--lang",
        "-l",
        cls=LangOption,
        required=required,
        shell_complete=complete_languages,
        help="Output language (en is British English, the same as en_GB).",
    )


def params_option(help_text: str) -> Callable[[Any], Any]:
    """``--params FILE.yaml`` (repeatable: the files are layered in the order given)."""
    return click.option(
        "--params", "-p", "params_files", type=click.Path(dir_okay=False), metavar="FILE.yaml",
        multiple=True, help=help_text,
    )


def set_option(help_text: str) -> Callable[[Any], Any]:
    """``--set NAME=VALUE`` (repeatable)."""
    return click.option(
        "--set", "-s", "assignments", multiple=True, metavar="NAME=VALUE", help=help_text,
        shell_complete=complete_assignments,
    )


def example_option() -> Callable[[Any], Any]:
    """``--example``: start from the shipped example."""
    return click.option(
        "--example", is_flag=True,
        help="Start from the shipped example parameters for this scenario and language.",
    )


def client_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--client ID`` and ``--clients FILE.yaml``."""
    func = click.option(
        "--clients", "clients", type=click.Path(dir_okay=False), default=None,
        metavar="FILE.yaml", help="Client profiles file (default: clients.yaml in the config dir).",
    )(func)
    return click.option(
        "--client", "-c", "client", default=None, metavar="ID",
        help="Fill parameters from this client's profile (profile < --params < --set).",
    )(func)


def reply_option() -> Callable[[Any], Any]:
    """``--reply-to MESSAGE.eml``: answer a client's email."""
    return click.option(
        "--reply-to", "reply_to", type=click.Path(dir_okay=False), default=None,
        metavar="MESSAGE.eml",
        help="Answer this email: subject 'AW:'/'Re:', the original quoted below, the thread "
        "kept; the sender's name, address, language and register are the defaults.",
    )


def placeholders_option() -> Callable[[Any], Any]:
    """``--allow-placeholders``: accept values that look unfilled."""
    return click.option(
        "--allow-placeholders", is_flag=True,
        help="Accept values that look like unfilled placeholders ([Name], <Projekt>, TODO, ???).",
    )
