"""What one invocation of ``phrasebook`` knows beyond its options: the packs in use,
whether it runs as the console script, and the one reading of the clock.

The session is Click's context object (``ctx.obj``) of the root command, made on
first use; every command reaches it through :func:`current`.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from typing import Any

import click

from ..messages import _


class Session:
    """One invocation: the catalogue with its packs, the console flag, the debug flag.

    Args:
        console: whether phrasebook runs as the console script (see :meth:`collect_garbage`).
    """

    def __init__(self, console: bool = False) -> None:
        self.console = console
        #: The language of the command's messages (set by the error boundary).
        self.language = "en"
        self._extra_packs: list[str] = []
        self._catalog: Any = None
        self._sender: Any = _UNREAD

    def add_packs(self, packs: Iterable[str]) -> None:
        """Use these packs too (a command's own ``--pack``), before the catalogue is built."""
        self._extra_packs.extend(packs)
        self._catalog = None

    def catalog(self) -> Any:
        """The catalogue: built-in scenarios, the user's packs and those given with ``--pack``."""
        if self._catalog is None:
            from ..catalog import catalog_with_packs

            ctx = click.get_current_context(silent=True)
            given = ctx.find_root().params.get("packs", ()) if ctx is not None else ()
            self._catalog = catalog_with_packs([*given, *self._extra_packs])
            for pack in getattr(self._catalog, "packs", ()):
                for warning in pack.warnings:  # entries of a pack that were skipped
                    click.echo(_("Warning: {message}").format(message=warning), err=True)
        return self._catalog

    def sender(self) -> Any:
        """Your sender profile (``me.yaml``), read on first use; None when there is none."""
        if self._sender is _UNREAD:
            from ..sender import load_sender

            self._sender = load_sender()
        return self._sender

    def collect_garbage(self) -> None:
        """Turn the cyclic garbage collector back on, for commands that go on for a while.

        What start-up made (modules, locale data, templates) is set aside first, so the
        collector's passes look only at what the command makes from here on. Only in a
        console run: called from a program, phrasebook leaves the collector alone.
        """
        if self.console:
            import gc

            gc.freeze()
            gc.enable()


_UNREAD = object()


def current(ctx: click.Context | None = None) -> Session:
    """The session of the running command (made on first use).

    ``ctx`` is the context where Click passes one outside a running command (shell
    completion); without any, a session of its own.
    """
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return Session()
    root = ctx.find_root()
    if not isinstance(root.obj, Session):
        root.obj = Session()
    return root.obj


def default_language() -> str | None:
    """The language of your sender profile, for commands given no ``--lang``."""
    me = current().sender()
    return me.language if me is not None else None


def debug(ctx: click.Context) -> bool:
    """Whether ``--debug`` was given."""
    return bool(ctx.find_root().params.get("debug"))


def today(value: dt.date | None) -> dt.date:
    """The given date, or today: the single place that reads the clock."""
    return value if value is not None else dt.date.today()  # noqa: DTZ011 (the one clock read)


def interactive() -> bool:
    """Whether to prompt for missing values: only when a person is at the keyboard."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
