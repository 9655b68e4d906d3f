"""The deck of lines a user stumbled on in a rehearsal, kept per scenario and language.

It lives in the data directory (:func:`phrasebook.paths.data_dir`) as
``rehearse/<scenario>.<lang>.json`` and is offered at the next rehearsal of the
scenario ("Difficult last time: …"). A line answered without feedback leaves the deck.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

#: The most lines a deck keeps (the newest win).
MAX_LINES = 20


def deck_path(scenario: str, lang: str, folder: Path | None = None) -> Path:
    """Return where the deck of ``scenario`` in ``lang`` is kept."""
    from .paths import data_dir

    return (folder or data_dir()) / "rehearse" / f"{scenario}.{lang}.json"


def load_deck(path: Path) -> list[str]:
    """Return the lines of a deck; an absent or unreadable deck is empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    lines = data.get("lines") if isinstance(data, dict) else None
    return [line for line in lines if isinstance(line, str)] if isinstance(lines, list) else []


def update_deck(path: Path, stumbled: Sequence[str], practised: Sequence[str]) -> list[str]:
    """Keep the new stumbles, drop the lines now practised without feedback; return the deck."""
    from .output import write_atomic

    old = load_deck(path)
    lines = [line for line in old if line not in practised and line not in stumbled]
    lines = [*lines, *stumbled][-MAX_LINES:]
    if lines or old:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"lines": lines}, ensure_ascii=False, indent=2) + "\n"
        write_atomic(str(path), text, force=True)
    return lines
