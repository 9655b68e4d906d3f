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
    """A date written as ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(_("{value!r} is not a date in the form YYYY-MM-DD").format(value=value), param, ctx)


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


def lang_option(required: bool = False) -> Callable[[Any], Any]:
    """``--lang``: the output language."""
    return click.option(
        "--lang",
        "-l",
        required=required,
        metavar="de|en|en_US",
        help="Output language: de (German), en (British English) or en_US.",
    )


def params_option(help_text: str) -> Callable[[Any], Any]:
    """``--params FILE.yaml``."""
    return click.option(
        "--params", "-p", "params_file", type=click.Path(dir_okay=False), metavar="FILE.yaml",
        help=help_text,
    )


def set_option(help_text: str) -> Callable[[Any], Any]:
    """``--set NAME=VALUE`` (repeatable)."""
    return click.option(
        "--set", "-s", "assignments", multiple=True, metavar="NAME=VALUE", help=help_text
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
