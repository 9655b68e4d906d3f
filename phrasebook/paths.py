"""Where phrasebook keeps the user's own files: profiles, packs and data.

Every directory can be moved with an environment variable, which the tests use
to keep the user's real files out of reach.
"""

from __future__ import annotations

import os
from pathlib import Path


def config_dir() -> Path:
    """Return phrasebook's configuration directory.

    ``$PHRASEBOOK_CONFIG_DIR`` when set, else the platform's user config
    directory (``~/.config/phrasebook`` on Linux, via platformdirs).
    """
    override = os.environ.get("PHRASEBOOK_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("phrasebook", appauthor=False))


def sender_file() -> Path:
    """Return the sender profile: ``me.yaml`` in the config directory (``phrasebook init``)."""
    return config_dir() / "me.yaml"


def clients_file() -> Path:
    """Return the default client profiles file: ``clients.yaml`` in the config directory."""
    return config_dir() / "clients.yaml"


def packs_dir() -> Path:
    """Return the directory whose template packs are always used: ``packs/`` in the config directory."""
    return config_dir() / "packs"


def data_dir() -> Path:
    """Return phrasebook's data directory (kept state such as the rehearsal decks).

    ``$PHRASEBOOK_DATA_DIR`` when set, else the platform's user data directory
    (``~/.local/share/phrasebook`` on Linux, via platformdirs when installed).
    """
    override = os.environ.get("PHRASEBOOK_DATA_DIR")
    if override:
        return Path(override)
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return Path.home() / ".local" / "share" / "phrasebook"
    return Path(platformdirs.user_data_dir("phrasebook", appauthor=False))
