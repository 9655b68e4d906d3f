"""Writing results to disk: atomically, and never over an existing file without ``force``.

One primitive serves every file phrasebook writes (``-o``, ``--ics``, transcripts, packs,
batch documents and reports): :meth:`OutputDirectory.publish` writes the data to a
temporary file in the target's own directory and then moves it into place in one step.
Without ``force`` the move itself refuses an existing target (``renameat2`` with
``RENAME_NOREPLACE`` where the system has it, else a hard link), so two writers can
never replace each other's file, and a symlink planted at the target is never followed.

Documents (letters, batch files) are private: they are created with mode 0600 (less if
the umask says so), and a replaced file keeps its own mode. A directory that a batch
writes into is locked (:meth:`OutputDirectory.lock`) so that two runs never share it,
and temporary files that a killed run left behind are removed by the next one
(:meth:`OutputDirectory.remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import OutputError, OutputExists
from .messages import _

#: Temporary files are named ``.phrasebook-<pid>-<n>.tmp`` in the target's directory.
TEMP_PREFIX = ".phrasebook-"
TEMP_SUFFIX = ".tmp"
#: The lock file of a directory a batch writes into (see :meth:`OutputDirectory.lock`).
LOCK_NAME = ".phrasebook.lock"
_TEMP_NAME = re.compile(r"\.phrasebook-(\d+)-\d+\.tmp\Z")
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class WriteFailed(OutputError):
    """A write failed; ``errno`` says why (``ENOSPC`` for a full disk, ``EFBIG`` …)."""

    def __init__(self, message: str, errno: int | None) -> None:
        super().__init__(message)
        self.errno = errno


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
        self.lock_fd: int | None = None
        #: The temporary file made last (see :meth:`temp`).
        self.pending = ""

    @classmethod
    def from_fd(cls, path: str | Path, fd: int) -> OutputDirectory:
        """Use a directory handle opened elsewhere (by the parent of a worker process)."""
        directory = cls.__new__(cls)
        directory.path = Path(path)
        directory.fd = fd
        directory._counter = itertools.count()
        directory._prefix = f"{TEMP_PREFIX}{os.getpid()}-"
        directory.lock_fd = None
        directory.pending = ""
        return directory

    def close(self) -> None:
        """Release the lock (if held) and close the directory handle."""
        self.unlock()
        os.close(self.fd)

    def lock(self) -> None:
        """Claim the directory for this process, so that no other batch writes into it.

        The lock is the file :data:`LOCK_NAME` with this process's id, locked with
        ``flock``: the system releases it when the process ends, however it ends, so a
        run that crashed or was killed never leaves the directory locked.

        Raises:
            OutputError: another process holds the lock (its id is named), or the lock
                file cannot be made.
        """
        import fcntl

        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        while True:
            try:
                fd = os.open(LOCK_NAME, flags, 0o600, dir_fd=self.fd)
            except OSError as exc:
                raise OutputError(
                    f"{self.path}: " + _("cannot lock the directory ({reason})").format(
                        reason=exc.strerror or exc
                    )
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                if holder.isdigit():
                    message = _(
                        "another phrasebook batch (process {pid}) is writing into this directory; "
                        "wait until it has finished, or choose another output directory"
                    ).format(pid=holder)
                else:
                    message = _(
                        "another phrasebook batch is writing into this directory; "
                        "wait until it has finished, or choose another output directory"
                    )
                raise OutputError(f"{self.path}: {message}") from None
            # The run that held it may have removed the file meanwhile: lock the one in place.
            try:
                current = os.stat(LOCK_NAME, dir_fd=self.fd, follow_symlinks=False)
            except FileNotFoundError:
                current = None
            held = os.fstat(fd)
            if current is None or (current.st_dev, current.st_ino) != (held.st_dev, held.st_ino):
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            self.lock_fd = fd
            return

    def unlock(self) -> None:
        """Release the lock of :meth:`lock` and remove the lock file (nothing if not held)."""
        if self.lock_fd is None:
            return
        self.remove(LOCK_NAME)  # while still holding it: see lock()
        os.close(self.lock_fd)
        self.lock_fd = None

    def remove_stale_temps(self) -> list[str]:
        """Remove the temporary files that processes which no longer run left behind.

        A run killed with SIGKILL (or by a power cut) cannot clean up; its temporary
        files carry its process id, so the next run can tell they are stale.
        Returns the names removed.
        """
        removed: list[str] = []
        try:
            names = os.listdir(self.fd)
        except OSError:
            return removed
        for name in sorted(names):
            match = _TEMP_NAME.match(name)
            if match is None or _running(int(match.group(1))):
                continue
            try:
                os.unlink(name, dir_fd=self.fd)
            except OSError:
                continue
            removed.append(name)
        return removed

    def same_content(self, name: str, data: bytes) -> bool:
        """Whether ``name`` is a regular file (not a link) holding exactly ``data``."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(name, flags, dir_fd=self.fd)
        except OSError:
            return False
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
                return False
            chunks = []
            size = 0
            while size <= len(data):
                chunk = os.read(fd, max(len(data) - size, 0) + 1)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks) == data
        except OSError:
            return False
        finally:
            os.close(fd)

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
            # Named before it exists: a signal handler may raise right after the file is made.
            self.pending = name
            try:
                return name, os.open(name, flags, 0o600 if private else 0o666, dir_fd=self.fd)
            except FileExistsError:
                continue

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there."""
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)

    def _keep_mode(self, fd: int, name: str) -> None:
        """Give the open file ``fd`` the permission bits of the regular file ``name``, if any."""
        try:
            info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        if stat.S_ISREG(info.st_mode):
            os.fchmod(fd, stat.S_IMODE(info.st_mode))

    def replace(self, temp: str, name: str) -> None:
        """Move the temporary file ``temp`` to ``name``, replacing what is there."""
        os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def publish(
        self,
        name: str,
        data: bytes,
        *,
        force: bool,
        durable: bool = False,
        private: bool = False,
        keep_mode: bool = False,
    ) -> Path:
        """Write ``data`` to ``name`` atomically; never over an existing file unless ``force``.

        Args:
            name: the file name inside the directory.
            data: the complete content.
            force: replace an existing file (a symlink is replaced, never written through).
            durable: flush the data to the disk before the file appears under its name.
            private: create the file with mode 0600 instead of 0666 (minus the umask).
            keep_mode: when ``force`` replaces a regular file, give the new file its mode.

        Raises:
            OutputExists: the file exists and ``force`` is false.
            OutputError: the write failed; no partial or temporary file is left behind.
        """
        target = self.path / name
        try:
            tmp, fd = self.temp(private=private)
        except OSError as exc:  # a read-only or special directory (/proc), no permission
            raise WriteFailed(
                f"{target}: " + _("cannot write ({reason})").format(reason=exc.strerror or exc),
                exc.errno,
            ) from None
        except BaseException:  # interrupted (a signal) just as the file was made
            self.remove(self.pending)
            raise
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                if force and keep_mode:
                    self._keep_mode(fd, name)
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
            raise WriteFailed(
                f"{target}: " + _("cannot write ({reason})").format(reason=exc.strerror or exc),
                exc.errno,
            ) from None
        except BaseException:
            self.remove(tmp)
            raise
        return target


def write_atomic(
    path: str | Path,
    text: str | bytes,
    *,
    force: bool = False,
    private: bool = False,
    keep_mode: bool = False,
) -> Path:
    """Write ``text`` (as UTF-8) or bytes to ``path`` through :meth:`OutputDirectory.publish`.

    An existing file (or a symlink planted at ``path``) is left untouched unless
    ``force`` is true; with ``force`` the path is replaced, never written through.
    A device, pipe or directory at ``path`` is never replaced. The new file gets the
    usual permissions (0666 minus the umask), or 0600 if ``private``; with ``keep_mode``
    a file it replaces passes its own mode on.

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
        opened.publish(
            target.name, data, force=force, durable=True, private=private, keep_mode=keep_mode
        )
    return target


def _running(pid: int) -> bool:
    """Whether a process with this id runs (another user's counts; a zombie does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    try:  # Linux: an ended process whose parent has not reaped it yet
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rpartition(b")")[2].split()[:1]
    except OSError:
        return True
    return state not in ([b"Z"], [b"X"])


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
