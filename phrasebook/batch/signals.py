"""Stopping a batch cleanly, and worker processes that never outlive it.

Ctrl-C (SIGINT), SIGTERM and SIGHUP all ask a run to stop between rows: no new row
is started, the rows already under way are finished and reported, the reports are
written and temporary files removed; the exit status then tells which signal it was
(130, 143, 129). A second signal stops at once (still without partial files).

Worker processes leave every decision to the run that started them: they ignore
these signals, and end as soon as that process is gone, even when it was killed
with SIGKILL (Linux tells them with ``PR_SET_PDEATHSIG``; elsewhere they notice
before their next row). A row a worker is writing at that moment is discarded,
without a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

#: The signals that ask a run to stop, by name (those the system has).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_PR_SET_PDEATHSIG = 1


class Stop:
    """Set by the first stop signal during a run: the run ends after the rows under way."""

    def __init__(self) -> None:
        #: The signal that asked the run to stop, or None.
        self.signal: int | None = None

    def requested(self) -> bool:
        """Whether a stop signal came."""
        return self.signal is not None


def exit_status(signum: int | None) -> int:
    """The exit status of a run stopped by ``signum``: 128 + the signal's number (130 for Ctrl-C)."""
    return 128 + (signum if signum is not None else signal.SIGINT)


@contextlib.contextmanager
def deferred_stop() -> Iterator[Stop]:
    """Turn the first stop signal into a request to stop between rows.

    A second signal of any of them raises KeyboardInterrupt at once. Outside the main
    thread signals cannot be caught, and the block runs as it is.
    """
    stop = Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def requested(signum: int, frame: Any) -> None:
        if stop.signal is not None:
            raise KeyboardInterrupt
        stop.signal = signum

    previous = {signum: signal.signal(signum, requested) for signum in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# --- worker processes ---------------------------------------------------------------


class ParentGone(BaseException):
    """Raised in a worker whose parent ended while it was working on a row."""


class _WorkerState:
    parent: int = 0
    in_row: bool = False


def guard_worker(parent: int) -> None:
    """Set up a worker process forked by ``parent``: see the module's description."""
    _WorkerState.parent = parent
    for signum in STOP_SIGNALS:
        if signum != getattr(signal, "SIGTERM", None):
            signal.signal(signum, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, _on_sigterm)
    with contextlib.suppress(OSError, AttributeError, TypeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _on_sigterm(signum: int, frame: Any) -> None:
    if os.getppid() == _WorkerState.parent:
        return  # sent to the whole process group: the parent stops the run
    if _WorkerState.in_row:
        raise ParentGone  # the row's write removes its temporary file on the way out
    os._exit(1)


@contextlib.contextmanager
def worker_row() -> Iterator[None]:
    """Mark one row's work in a worker; leave at once if the parent has gone."""
    if os.getppid() != _WorkerState.parent:
        os._exit(1)
    _WorkerState.in_row = True
    try:
        yield
    except ParentGone:
        os._exit(1)
    finally:
        _WorkerState.in_row = False
