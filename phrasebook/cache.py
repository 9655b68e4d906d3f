"""The user's cache: results that cost a fresh process much time and are cheap to check.

Two things are kept, both only ever as a shortcut to an answer phrasebook could
compute again:

* **Holiday tables** from the ``holidays`` package, one small JSON file per country,
  region, year, language and category. Importing ``holidays`` loads the rules of every
  country it knows, which is most of the time a single ``phrasebook render`` takes.
  Each file records which installation of ``holidays`` computed it (its directory
  and the time stamps of its files); after an upgrade the table is computed afresh.
* **Compiled templates** (Jinja's bytecode cache for the shipped templates); Jinja
  itself checks each entry against the template's source.

The cache lives in the platform's user cache directory (``~/.cache/phrasebook`` on
Linux, via platformdirs), or in ``$PHRASEBOOK_CACHE_DIR``; set that variable to an
empty string to turn the cache off. A cache that cannot be read or written is
ignored: every answer is then computed as if there were none.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from pathlib import Path
from typing import Any

#: Bumped when the layout of the files below changes.
_FORMAT = 1


@functools.lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    """Return the cache directory (not necessarily existing yet), or None when it is off.

    ``$PHRASEBOOK_CACHE_DIR`` when set (an empty value turns the cache off), else the
    platform's user cache directory (when it is an absolute path).
    """
    override = os.environ.get("PHRASEBOOK_CACHE_DIR")
    if override is not None:
        return Path(override) if override.strip() else None
    import platformdirs

    path = Path(platformdirs.user_cache_dir("phrasebook", appauthor=False))
    # Without a home directory the answer can be relative: no cache rather than one
    # in whatever directory phrasebook happens to run in.
    return path if path.is_absolute() else None


def clear_memory() -> None:
    """Forget the remembered cache directory and ``holidays`` identity (tests change both)."""
    cache_dir.cache_clear()
    holidays_identity.cache_clear()


@functools.lru_cache(maxsize=1)
def holidays_identity() -> str | None:
    """Return a text that changes whenever the installed ``holidays`` package changes.

    Found without importing the package: its location and the size and modification
    time of its top-level files. None when the package cannot be located.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return package_identity(Path(spec.origin).parent)


def package_identity(package: Path) -> str | None:
    """Return the location and the size and time stamp of every top-level ``.py`` file."""
    try:
        stamps = sorted(
            f"{entry.name}:{entry.stat().st_size}:{entry.stat().st_mtime_ns}"
            for entry in os.scandir(package)
            if entry.is_file() and entry.name.endswith(".py")
        )
    except OSError:
        return None
    return f"{_FORMAT}|{package}|" + "|".join(stamps)


def _private_dir(path: Path, *, create: bool) -> bool:
    """Whether ``path`` is a directory only this user can write to (made so if ``create``).

    A cache in a directory others can write to could be made to answer wrongly.
    """
    try:
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return False
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def load(name: str, identity: str) -> Any:
    """Return the data stored under ``name`` for ``identity``, or None (missing, stale, unreadable)."""
    directory = cache_dir()
    if directory is None or not _private_dir((directory / name).parent, create=False):
        return None
    try:
        with open(directory / name, encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("identity") != identity:
        return None
    return stored.get("data")


def store(name: str, identity: str, data: Any) -> None:
    """Keep ``data`` (plain JSON) under ``name`` for ``identity``; failures are ignored."""
    directory = cache_dir()
    if directory is None:
        return
    from .errors import PhrasebookError
    from .output import write_atomic

    text = json.dumps({"identity": identity, "data": data}, ensure_ascii=False, sort_keys=True)
    path = directory / name
    if not _private_dir(path.parent, create=True):
        return
    with contextlib.suppress(OSError, PhrasebookError):
        write_atomic(path, text, force=True)


def template_cache() -> Any:
    """Return a Jinja bytecode cache in the cache directory, or None when the cache is off."""
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / "templates"
    if not _private_dir(path, create=True):
        return None
    return _bytecode_cache_class()(str(path))


@functools.lru_cache(maxsize=1)
def _bytecode_cache_class() -> type:
    from jinja2 import FileSystemBytecodeCache

    class QuietBytecodeCache(FileSystemBytecodeCache):  # type: ignore[misc]
        """Jinja's file cache, where an unreadable entry means "compile again" and a
        failed write is ignored: the cache may speed up a render, never break one."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry of any kind is simply compiled again
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return QuietBytecodeCache
