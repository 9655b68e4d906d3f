"""The user's cache: results that cost a fresh process much time and are cheap to check.

Three things are kept, each only ever as a shortcut to an answer phrasebook could
compute again:

* **Holiday tables** from the ``holidays`` package, one small JSON file per country,
  region, year, language and category. Importing ``holidays`` loads the rules of every
  country it knows, which is most of the time a single ``phrasebook render`` takes.
* **Locale data** for the languages phrasebook writes in: Babel keeps each locale's data
  in layers (``root``, ``de``, ``de_DE``) that it reads and merges in every new process,
  and looks up which layers to merge in a large table of all locales; the merged result
  is kept, in Babel's own pickle form.
* **Compiled templates** (Jinja's bytecode cache for the shipped templates), one
  directory per Jinja version and environment settings; Jinja itself checks each
  entry against the template's source.

Holiday tables and locale data record which installation of their package computed
them (the digest of its install record, which lists a hash of every file it
installed) and a checksum of their own contents; after an upgrade they are computed
afresh. Without an install record (an editable install) they are not cached.

The cache lives in the platform's user cache directory (``~/.cache/phrasebook`` on
Linux, via platformdirs), or in ``$PHRASEBOOK_CACHE_DIR``; set that variable to an
empty string to turn the cache off. A cache that cannot be read or written, or
that is not the user's own (a symbolic link on the way, another owner, writable by
group or others), is ignored: every answer is then computed as if there were none.
Only this user can write there, which is what makes it safe to keep compiled code
and pickles in it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
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
    """Forget the remembered cache directory and package identities (tests change both)."""
    cache_dir.cache_clear()
    package_identity.cache_clear()


@functools.cache
def package_identity(name: str) -> str | None:
    """Return a text that changes whenever the installed package ``name`` changes.

    Found without importing the package: the digest of the installation record
    (``RECORD`` in its ``.dist-info`` directory, which lists a hash of every file).
    None when there is no such record, for example for an editable install: then
    nothing computed by that package is cached.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return record_identity(Path(spec.origin).parent)


def package_folder(name: str, identity: str) -> str:
    """The cache folder for what one installation of package ``name`` computed.

    Each installation gets its own, so a virtual environment and the system's Python
    with different versions never overwrite each other's entries.
    """
    import hashlib

    return f"{name}/" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def record_identity(package: Path) -> str | None:
    """Return the location and the digest of the install record that lists ``package``.

    The record must name the package's ``__init__.py`` (so the hashes in it are the
    package's files); with no such record, or more than one, the answer is None.
    """
    import hashlib

    site, name = package.parent, package.name
    listed = f"{name}/__init__.py,"
    found = []
    try:
        for entry in os.scandir(site):
            if not (entry.name.lower().startswith(f"{name}-") and entry.name.endswith(".dist-info")):
                continue
            with contextlib.suppress(OSError, UnicodeDecodeError):
                record = Path(entry.path, "RECORD").read_text(encoding="utf-8")
                if listed in record:
                    found.append(record)
    except OSError:
        return None
    if len(found) != 1:
        return None
    digest = hashlib.sha256(found[0].encode("utf-8")).hexdigest()
    return f"{_FORMAT}|{package}|{digest}"


def _private_path(path: Path, *, create: bool) -> bool:
    """Whether the cache directory and every directory below it down to ``path`` are this
    user's own.

    The cache directory itself may be reached through a symbolic link (a cache on another
    disk); below it, each must be a real directory. Each must be owned by this user and
    not writable by group or others, which is restored where the user owns it (a
    directory made under a permissive umask): a cache others can change could be made
    to answer wrongly. With ``create``, missing directories are made.
    """
    root = cache_dir()
    if root is None:
        return False
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    try:
        if create:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _owned_directory(root, root.stat()):
            return False
        current = root
        for part in parts:
            current = current / part
            if create:
                with contextlib.suppress(FileExistsError):
                    current.mkdir(mode=0o700)
            if not _owned_directory(current, current.lstat()):
                return False
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def _owned_directory(path: Path, info: os.stat_result) -> bool:
    """Whether ``info`` is a directory of this user's that only they can write to, after
    taking group and other write permission away if they had it."""
    if not stat.S_ISDIR(info.st_mode):
        return False
    if _own(info):
        return True
    if hasattr(os, "getuid") and info.st_uid == os.getuid():
        os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o022)
        return _own(path.stat())
    return False


def _own(info: os.stat_result) -> bool:
    """Whether a file's status says: this user's, and not writable by group or others."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _digest(data: Any) -> str:
    import hashlib

    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(name: str) -> bytes | None:
    """Return the bytes of the entry ``name``, or None when it is missing, cannot be
    read, is too large, or is not a plain file of this user's own."""
    directory = cache_dir()
    if directory is None or not _private_path((directory / name).parent, create=False):
        return None
    # No following links, and no waiting on a named pipe someone left in its place.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(directory / name, flags)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not _own(info) or info.st_size > _MAX_ENTRY:
                return None
            return handle.read(_MAX_ENTRY + 1)
    except OSError:
        return None


def _write(name: str, content: str | bytes) -> None:
    """Write the entry ``name`` atomically and privately; failures are ignored."""
    directory = cache_dir()
    if directory is None:
        return
    path = directory / name
    if not _private_path(path.parent, create=True):
        return
    from .errors import PhrasebookError
    from .output import write_atomic

    with contextlib.suppress(OSError, PhrasebookError):
        write_atomic(path, content, force=True, private=True)


def load(name: str, identity: str) -> Any:
    """Return the data stored under ``name`` for ``identity``, or None.

    None when the entry is missing, was stored for another identity, does not match
    its own checksum, cannot be read, or is not this user's own file.
    """
    content = _read(name)
    if content is None:
        return None
    try:
        stored = json.loads(content.decode("utf-8"))
        if not isinstance(stored, dict) or stored.get("identity") != identity:
            return None
        data = stored.get("data")
        return data if stored.get("sha256") == _digest(data) else None
    except (ValueError, RecursionError):
        return None


#: Entries are small tables and one locale's data; anything larger is not one of ours.
_MAX_ENTRY = 1_000_000


def store(name: str, identity: str, data: Any) -> None:
    """Keep ``data`` (plain JSON) under ``name`` for ``identity``; failures are ignored."""
    text = json.dumps(
        {"identity": identity, "data": data, "sha256": _digest(data)},
        ensure_ascii=False, sort_keys=True,
    )
    _write(name, text)


def load_bytes(name: str, identity: str) -> bytes | None:
    """Return the bytes stored under ``name`` for ``identity`` (see :func:`load`)."""
    content = _read(name)
    if content is None:
        return None
    import hashlib

    head, _blank, payload = content.partition(b"\n\n")
    expected = _bytes_head(identity, hashlib.sha256(payload).hexdigest())
    return payload if head == expected else None


def store_bytes(name: str, identity: str, payload: bytes) -> None:
    """Keep ``payload`` under ``name`` for ``identity``; failures are ignored."""
    if len(payload) > _MAX_ENTRY // 2:
        return
    import hashlib

    _write(name, _bytes_head(identity, hashlib.sha256(payload).hexdigest()) + b"\n\n" + payload)


def _bytes_head(identity: str, checksum: str) -> bytes:
    """The first line of a byte entry: format, identity and checksum of the payload."""
    return f"phrasebook-cache {_FORMAT}\t{identity}\t{checksum}".replace("\n", " ").encode()


def template_cache(options: str) -> Any:
    """Return a Jinja bytecode cache for templates compiled with ``options``, or None.

    ``options`` describes everything the compiled code depends on besides the
    template source (Jinja's version, the environment's settings); each description
    gets a directory of its own, so a change never reuses code compiled the old way.
    """
    directory = cache_dir()
    if directory is None:
        return None
    import hashlib

    key = hashlib.sha256(f"{_FORMAT}|{options}".encode()).hexdigest()[:16]
    path = directory / "templates" / key
    if not _private_path(path, create=True):
        return None
    return _bytecode_cache_class()(str(path))


@functools.lru_cache(maxsize=1)
def _bytecode_cache_class() -> type:
    from jinja2 import FileSystemBytecodeCache

    class QuietBytecodeCache(FileSystemBytecodeCache):
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
