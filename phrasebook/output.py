"""Writing results to disk: atomically, and never over an existing file without ``force``."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .errors import OutputError, OutputExists


def write_atomic(
    path: str | Path, text: str | bytes, *, force: bool = False, private: bool = False
) -> Path:
    """Write ``text`` (as UTF-8) or bytes to ``path`` via a temporary file and an atomic rename.

    An existing file (or a symlink planted at ``path``) is left untouched unless
    ``force`` is true; with ``force`` the path is replaced, never written through.
    The new file gets the usual permissions (0666 minus the umask), or 0600 if ``private``.

    Raises:
        OutputExists: the path exists and ``force`` is false.
        OutputError: the directory is missing or the write failed; no partial file is left.
    """
    target = Path(path)
    if (target.exists() or target.is_symlink()) and not force:
        raise OutputExists(str(target))
    if target.is_dir():
        raise OutputError(f"{target} is a directory")
    if target.exists() and not target.is_symlink() and not target.is_file():
        # a device, pipe or socket (/dev/full): replacing it would not be what was meant
        raise OutputError(f"{target} is not a regular file")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{directory}: no such directory")
    import tempfile  # only when writing a file: it costs start-up time otherwise

    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:  # a read-only or special directory (/proc), no permission
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:  # mkstemp made it 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        if not force and (target.exists() or target.is_symlink()):
            raise OutputExists(str(target))
        os.replace(tmp_name, target)
    except OutputExists:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target
