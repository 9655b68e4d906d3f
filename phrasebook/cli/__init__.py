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
    console = argv is None
    if console and sys.argv[1:] in (["--help"], ["-h"]):
        from .tophelp import show_stored_help

        show_stored_help()  # exits, unless the terminal is too narrow for the stored screen
    import gc

    # As the console script: start-up (loading Click, Jinja, Babel and the scenario) creates
    # many objects that live to the end and hardly any cyclic garbage, so the collector's
    # passes over them, and its last pass at exit, only cost time (a fifth of a single
    # render). Commands that go on for a while turn it back on (Session.collect_garbage).
    enabled = gc.isenabled()
    if console:
        gc.disable()
    try:
        from .app import main as run

        run(argv)
    finally:
        if console:
            gc.freeze()  # the process ends here: the last pass may skip everything
            (gc.enable if enabled else gc.disable)()


def __getattr__(name: str) -> object:
    if name in ("cli", "show_error"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
