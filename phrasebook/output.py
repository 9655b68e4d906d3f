"""Writing results to disk: atomically, and never over an existing file without ``force``.

One primitive serves every file phrasebook writes (``-o``, ``--ics``, transcripts, packs,
batch documents and reports): :meth:`OutputDirectory.publish` writes the data to a
temporary file in the target's own directory and then moves it into place in one step.
Without ``force`` the move itself refuses an existing target (``renameat2`` with
``RENAME_NOREPLACE`` where the system has it, else a hard link), so two writers can
never replace each other's file, and a symlink planted at the target is never followed.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
from pathlib import Path
from typing import Any

from .errors import OutputError, OutputExists
from .messages import _

#: Temporary files are named ``.phrasebook-<pid>-<n>.tmp`` in the target's directory.
TEMP_PREFIX = ".phrasebook-"
TEMP_SUFFIX = ".tmp"
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class OutputDirectory:
    """A directory opened once; files are published by name inside it only.

    Attributes:
        path: the directory as given (for messages).
        fd: the open directory handle every operation goes through.
    """

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = Path(path)
        if create and not self.path.exists() and not self.path.is_symlink():
            try:
                self.path.mkdir(parents=True)
            except OSError as exc:
                raise OutputError(
                    f"{self.path}: "
                    + _("cannot create the output directory ({reason})").format(reason=exc.strerror)
                ) from None
        if not self.path.is_dir():
            raise OutputError(f"{self.path}: " + _("not a directory"))
        try:
            self.fd = os.open(self.path, _DIRECTORY_FLAGS)
        except OSError as exc:
            raise OutputError(
                f"{self.path}: " + _("cannot write here ({reason})").format(reason=exc.strerror or exc)
            ) from None
        self._counter = itertools.count()
        self._prefix = f"{TEMP_PREFIX}{os.getpid()}-"

    @classmethod
    def from_fd(cls, path: str | Path, fd: int) -> OutputDirectory:
        """Use a directory handle opened elsewhere (by the parent of a worker process)."""
        directory = cls.__new__(cls)
        directory.path = Path(path)
        directory.fd = fd
        directory._counter = itertools.count()
        directory._prefix = f"{TEMP_PREFIX}{os.getpid()}-"
        return directory

    def close(self) -> None:
        """Close the directory handle."""
        os.close(self.fd)

    def __enter__(self) -> OutputDirectory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exists(self, name: str) -> bool:
        """Whether ``name`` exists in the directory (a symlink counts, even a broken one)."""
        try:
            os.lstat(name, dir_fd=self.fd)
        except FileNotFoundError:
            return False
        return True

    def temp(self, *, private: bool = False) -> tuple[str, int]:
        """Create a new empty temporary file; return its name and an open descriptor.

        Its mode is 0666 (0600 if ``private``) minus the umask.
        """
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_CLOEXEC", 0)
        while True:
            name = f"{self._prefix}{next(self._counter)}{TEMP_SUFFIX}"
            try:
                return name, os.open(name, flags, 0o600 if private else 0o666, dir_fd=self.fd)
            except FileExistsError:
                continue

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there."""
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)

    def replace(self, temp: str, name: str) -> None:
        """Move the temporary file ``temp`` to ``name``, replacing what is there."""
        os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def publish(
        self, name: str, data: bytes, *, force: bool, durable: bool = False, private: bool = False
    ) -> Path:
        """Write ``data`` to ``name`` atomically; never over an existing file unless ``force``.

        Args:
            name: the file name inside the directory.
            data: the complete content.
            force: replace an existing file (a symlink is replaced, never written through).
            durable: flush the data to the disk before the file appears under its name.
            private: create the file with mode 0600 instead of 0666 (minus the umask).

        Raises:
            OutputExists: the file exists and ``force`` is false.
            OutputError: the write failed; no partial or temporary file is left behind.
        """
        target = self.path / name
        try:
            tmp, fd = self.temp(private=private)
        except OSError as exc:  # a read-only or special directory (/proc), no permission
            raise OutputError(
                f"{target}: " + _("cannot write ({reason})").format(reason=exc.strerror or exc)
            ) from None
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            if force:
                self.replace(tmp, name)
            else:
                try:
                    rename_noreplace(self.fd, tmp, name)
                except FileExistsError:
                    raise OutputExists(str(target)) from None
        except OSError as exc:
            self.remove(tmp)
            raise OutputError(
                f"{target}: " + _("cannot write ({reason})").format(reason=exc.strerror or exc)
            ) from None
        except BaseException:
            self.remove(tmp)
            raise
        return target


def write_atomic(
    path: str | Path, text: str | bytes, *, force: bool = False, private: bool = False
) -> Path:
    """Write ``text`` (as UTF-8) or bytes to ``path`` through :meth:`OutputDirectory.publish`.

    An existing file (or a symlink planted at ``path``) is left untouched unless
    ``force`` is true; with ``force`` the path is replaced, never written through.
    A device, pipe or directory at ``path`` is never replaced. The new file gets the
    usual permissions (0666 minus the umask), or 0600 if ``private``.

    Raises:
        OutputExists: the path exists and ``force`` is false.
        OutputError: the directory is missing or the write failed; no partial file is left.
    """
    target = Path(path)
    if (target.exists() or target.is_symlink()) and not force:
        raise OutputExists(str(target))
    if target.is_dir():
        raise OutputError(_("{path} is a directory").format(path=target))
    if target.exists() and not target.is_symlink() and not target.is_file():
        # a device, pipe or socket (/dev/full): replacing it would not be what was meant
        raise OutputError(_("{path} is not a regular file").format(path=target))
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{directory}: " + _("no such directory"))
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        fd = os.open(directory, _DIRECTORY_FLAGS)
    except OSError as exc:
        raise OutputError(
            f"{target}: " + _("cannot write ({reason})").format(reason=exc.strerror or exc)
        ) from None
    with OutputDirectory.from_fd(directory, fd) as opened:
        opened.publish(target.name, data, force=force, durable=True, private=private)
    return target


@functools.lru_cache(maxsize=1)
def _renameat2() -> Any:
    """Return libc's renameat2 (Linux), or None where it is not available."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError, ImportError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAME_NOREPLACE = 1
_NOT_SUPPORTED = (22, 38, 95)  # EINVAL, ENOSYS, EOPNOTSUPP
_use_link = {"active": False}


def rename_noreplace(dir_fd: int, source: str, target: str) -> None:
    """Move ``source`` to ``target`` in one directory unless ``target`` exists (atomically).

    Uses ``renameat2(RENAME_NOREPLACE)`` where the system has it, else a hard
    link and an unlink. Raises FileExistsError when ``target`` exists, even as a
    dangling symlink.
    """
    function = None if _use_link["active"] else _renameat2()
    if function is not None:
        import ctypes

        if function(dir_fd, os.fsencode(source), dir_fd, os.fsencode(target), _RENAME_NOREPLACE) == 0:
            return
        errno = ctypes.get_errno()
        if errno == 17:  # EEXIST
            raise FileExistsError(errno, os.strerror(errno), target)
        if errno not in _NOT_SUPPORTED:
            raise OSError(errno, os.strerror(errno), target)
        _use_link["active"] = True
    os.link(source, target, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
    os.unlink(source, dir_fd=dir_fd)
