"""``phrasebook --help`` without loading Click: the top-level help screen, stored.

The screen is static: the group's options and its commands' short help, in English, at
most 80 columns wide. It is shipped as ``help.txt`` beside this module, written from
Click's own rendering by ``python -m phrasebook.cli.app``; a test keeps the two
identical. On a terminal narrower than the screen, Click renders the help itself.
This module imports nothing beyond ``os`` and ``sys``.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

#: The terminal width from which Click renders the help at its widest (78 columns of text).
WIDE = 80
STORED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "help.txt")


def terminal_columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` (which Click asks) finds
    it: ``COLUMNS``, else the terminal of standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or WIDE


def show_stored_help() -> None:
    """Print the stored help screen and exit 0; return when Click must render it (a
    terminal narrower than :data:`WIDE`, or no stored screen)."""
    if terminal_columns() < WIDE:
        return
    try:
        with open(STORED, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        reader_went_away()
    sys.exit(0)


def reader_went_away() -> NoReturn:
    """The reader of standard output went away (``phrasebook show … | head``): stop
    quietly with status 1, and keep Python from reporting the failed flush at exit."""
    try:  # noqa: SIM105 (contextlib is not loaded on this path)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass
    sys.exit(1)
