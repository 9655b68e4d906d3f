"""The ``phrasebook`` command line: the only package that imports Click.

:func:`main` is the console script. The group and its commands live in :mod:`.app`,
loaded on first use: ``phrasebook --help`` is answered from the stored top-level help
screen (:mod:`.tophelp`) without loading Click at all.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

    from .app import cli, show_error

__all__ = ["cli", "main", "show_error"]


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``phrasebook`` console script (``argv``: the arguments, for
    calls from a program; the command line when None)."""
    if argv is None and sys.argv[1:] in (["--help"], ["-h"]):
        from .tophelp import show_stored_help

        show_stored_help()  # exits, unless the terminal is too narrow for the stored screen
    from .app import main as run

    run(argv)


def __getattr__(name: str) -> object:
    if name in ("cli", "show_error"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
