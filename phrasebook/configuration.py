"""Which of the user's own files are in effect, and where they are (``phrasebook config``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from .messages import _, ngettext


class Entry(NamedTuple):
    """One line of the report.

    Attributes:
        label: what it is.
        path: where it is (or would be), or None.
        state: whether it is in effect, and what it holds.
        variable: the environment variable that moved it, if one did.
    """

    label: str
    path: Path | None
    state: str
    variable: str | None = None


def entries() -> list[Entry]:
    """The user's files and directories, each with what it holds.

    Raises:
        SenderError, ProfilesError: a file is there but cannot be used (the message says
            what is wrong, as any command that reads it would).
    """
    from .cache import cache_dir
    from .catalog import user_pack_dirs
    from .paths import clients_file, config_dir, packs_dir, sender_file
    from .sender import load_sender

    exists = _("exists") if config_dir().is_dir() else _("not created yet")
    found: list[Entry] = [
        Entry(_("Configuration directory"), config_dir(), exists, _moved("PHRASEBOOK_CONFIG_DIR")),
    ]
    state = _("none; write it with 'phrasebook init'") if load_sender() is None else _("in use")
    found.append(Entry(_("Sender profile"), sender_file(), state))
    clients = clients_file()
    if clients.is_file():
        from .profiles import load_profiles

        count = len(load_profiles(clients))
        state = ngettext("in use: {count} client", "in use: {count} clients", count).format(count=count)
    else:
        state = _("none; --clients FILE names another")
    found.append(Entry(_("Client profiles"), clients, state))
    packs = user_pack_dirs()
    if packs:
        state = ngettext("{count} pack: {names}", "{count} packs: {names}", len(packs)).format(
            count=len(packs), names=", ".join(p.name for p in packs)
        )
    else:
        state = _("none; 'phrasebook new NAME DIR' starts one")
    found.append(Entry(_("Template packs"), packs_dir(), state))
    found.append(_ledger_entry())
    cache = cache_dir()
    found.append(Entry(_("Cache"), cache, _("in use") if cache is not None else _("turned off"),
                       _moved("PHRASEBOOK_CACHE_DIR")))
    return found


def _ledger_entry() -> Entry:
    """The promise ledger and how many promises it holds open (never made here)."""
    from .ledger import LedgerError, ledger_path, open_ledger

    path = ledger_path()
    try:
        ledger = open_ledger(path, create=False)
    except LedgerError:
        state = _("cannot be read; 'phrasebook promises' says why")
    else:
        if ledger is None:
            state = _("none yet; --log on render, batch or plan records what your texts promise")
        else:
            with ledger:
                count = len(ledger.entries())
            state = ngettext(
                "in use: {count} open promise", "in use: {count} open promises", count
            ).format(count=count)
    return Entry(_("Promise ledger"), path, state, _moved("PHRASEBOOK_DATA_DIR"))


def _moved(variable: str) -> str | None:
    return variable if os.environ.get(variable) is not None else None


def report() -> str:
    """The text ``phrasebook config`` prints: the files, then the sender profile's values."""
    from .paths import sender_file
    from .sender import KEYS, load_sender

    rows = entries()
    width = max(len(entry.label) for entry in rows)
    lines = []
    for entry in rows:
        lines.append(f"{entry.label:<{width}}  {entry.path if entry.path is not None else '-'}")
        note = entry.state
        if entry.variable:
            note += " " + _("(set by {variable})").format(variable=entry.variable)
        lines.append(f"{'':<{width}}  {note}")
    me = load_sender()
    if me is not None:
        lines.append("")
        lines.append(_("Your details ({path}):").format(path=sender_file()))
        from .sender import PARAMETERS

        for key in KEYS:
            value: object = me.language if key == "language" else me.values.get(PARAMETERS.get(key, key))
            if key == "log":
                value = "always" if me.log else None
            if value in (None, "", []):
                continue
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else _shown(value)
            lines.append(f"  {key:<10} {shown}")
    return "\n".join(lines) + "\n"


def _shown(value: object) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)
