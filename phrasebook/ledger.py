"""The promise ledger: what was promised to whom, and by when.

An SQLite database (standard library :mod:`sqlite3`) in the data directory
(:func:`phrasebook.paths.data_dir`), ``promises.sqlite3``, made on first use:

* the schema is versioned with ``PRAGMA user_version`` and migrated forwards, one
  step at a time (:data:`MIGRATIONS`); a database of a newer version is refused,
  never migrated down;
* ``PRAGMA application_id`` marks the file as phrasebook's: a foreign or damaged
  file is reported and left as it is, never overwritten;
* WAL mode, a busy timeout and ``BEGIN IMMEDIATE`` for every change, so that
  several commands at once neither corrupt it nor lose an entry;
* every promise has a stable id (never reused) and a key: the document that made it
  and its place in it, so that writing the same document again updates its entries;
* ``done``, ``cancel`` and ``move`` keep the history (table ``history``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InvalidInput, PhrasebookError
from .messages import _

#: The file name of the ledger in the data directory.
FILE_NAME = "promises.sqlite3"
#: ``PRAGMA application_id`` of a phrasebook ledger ("PBpl").
APPLICATION_ID = 0x5042706C
#: How long a command waits for another one that is writing, in milliseconds.
BUSY_TIMEOUT_MS = 30_000

#: The schema, one step per version: ``MIGRATIONS[n]`` takes version n to n + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the promises
        """CREATE TABLE promises (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            client TEXT NOT NULL,
            scenario TEXT NOT NULL,
            what TEXT NOT NULL,
            due TEXT,
            due_time TEXT,
            lang TEXT NOT NULL,
            file TEXT,
            written TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
        )""",
    ),
    (  # 2: plans (internal target, fallback, planned work days), the day first written, the history
        "ALTER TABLE promises ADD COLUMN kind TEXT NOT NULL DEFAULT 'promise'",
        "ALTER TABLE promises ADD COLUMN created TEXT",
        "ALTER TABLE promises ADD COLUMN internal TEXT",
        "ALTER TABLE promises ADD COLUMN fallback TEXT",
        "ALTER TABLE promises ADD COLUMN work_days TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            promise INTEGER NOT NULL REFERENCES promises (id),
            day TEXT NOT NULL,
            event TEXT NOT NULL,
            due TEXT,
            previous TEXT
        )""",
        "CREATE INDEX history_promise ON history (promise)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

#: The states of a promise.
STATES = ("open", "done", "cancelled")


class LedgerError(PhrasebookError):
    """The ledger cannot be used: damaged, foreign, of a newer version, or busy (exit code 1)."""


class UnknownPromise(InvalidInput):
    """No promise has the id given (exit code 2)."""


class Promise(NamedTuple):
    """One promise a document makes, as it is recorded.

    Attributes:
        doc: the document that made it (see :func:`phrasebook.promises.document_key`).
        slot: its place in the document (``0``, ``next_dates.2`` …).
        client: who it is made to: the client profile's id or the recipient.
        scenario: the scenario that wrote it (``plan`` for the plan command).
        kind: what sort of promise (``delivery``, ``callback``, ``payment`` …).
        what: what is promised: the deliverable, topic, invoice …
        due: the promised date (None for a promise without one, e.g. a later phase).
        due_time: the time of day it is promised by, if any.
        internal: the internal target of a planned deadline.
        fallback: the fallback date of a planned deadline.
        work_days: the working days planned for the work (capacity check).
        lang: the language the document was written in.
        file: the file it was written to (None for standard output).
        written: the day it was written (``--today``).
    """

    doc: str
    slot: str
    client: str
    scenario: str
    kind: str
    what: str
    due: dt.date | None
    due_time: dt.time | None = None
    internal: dt.date | None = None
    fallback: dt.date | None = None
    work_days: tuple[dt.date, ...] = ()
    lang: str = "en"
    file: str | None = None
    written: dt.date | None = None

    @property
    def key(self) -> str:
        """The entry's key: its document and its place in it."""
        return f"{self.doc}#{self.slot}"


class Entry(NamedTuple):
    """A promise as the ledger holds it: with its id and state."""

    id: int
    promise: Promise
    status: str


class Recorded(NamedTuple):
    """What :meth:`Ledger.record` did: ids by key, and how many were new or changed."""

    ids: dict[str, int]
    added: int
    updated: int
    dropped: int


def ledger_path() -> Path:
    """Return where the ledger is kept: ``promises.sqlite3`` in the data directory."""
    from .paths import data_dir

    return data_dir() / FILE_NAME


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


_COLUMNS = (
    "key, client, scenario, kind, what, due, due_time, internal, fallback, work_days, "
    "lang, file, written"
)


def as_row(promise: Promise, written: dt.date) -> tuple[Any, ...]:
    """The promise as the ledger stores it (plain text: cheap to send from a worker process)."""
    return (
        promise.key, promise.client, promise.scenario, promise.kind, promise.what,
        _iso(promise.due), promise.due_time.strftime("%H:%M") if promise.due_time else None,
        _iso(promise.internal), _iso(promise.fallback), ",".join(d.isoformat() for d in promise.work_days),
        promise.lang, promise.file, (promise.written or written).isoformat(),
    )


def _entry(row: Sequence[Any]) -> Entry:
    (ident, key, client, scenario, kind, what, due, due_time, internal, fallback, work_days,
     lang, file, written, status) = row
    doc, _hash, slot = key.rpartition("#")
    promise = Promise(
        doc, slot, client, scenario, kind, what, _day(due),
        dt.time.fromisoformat(due_time) if due_time else None, _day(internal), _day(fallback),
        tuple(dt.date.fromisoformat(d) for d in work_days.split(",") if d), lang, file, _day(written),
    )
    return Entry(int(ident), promise, status)


class Ledger:
    """An open ledger; use as a context manager (:func:`open_ledger`)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: taken at once (``BEGIN IMMEDIATE``), so that two writers
        wait for each other instead of failing when the reader becomes a writer."""
        with _reported(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def for_a_batch(self) -> None:
        """Many transactions follow: no checkpoint until the ledger is closed (each one
        waits for the disk, which is busy with the batch's own files)."""
        with _reported(self.path):
            self._db.execute("PRAGMA wal_autocheckpoint = 0")

    def record(self, promises: Iterable[Promise], *, today: dt.date) -> Recorded:
        """Record the promises of some documents, in one transaction.

        A promise whose key is known updates its entry (keeping its id; an entry done or
        cancelled opens again only when the promised date changes); the others are added.
        Open entries of the same documents that the documents no longer make are cancelled.
        """
        return self.record_rows([as_row(p, today) for p in promises], today=today)

    def record_rows(self, rows: Iterable[tuple[Any, ...]], *, today: dt.date) -> Recorded:
        """:meth:`record` for promises already made rows (:func:`as_row`)."""
        rows = list({row[0]: row for row in rows}.values())
        if not rows:
            return Recorded({}, 0, 0, 0)
        day = today.isoformat()
        with self._writing() as db:
            known = self._known(db, rows)
            new = [row for row in rows if row[0] not in known]
            changed = [row for row in rows if row[0] in known]
            db.executemany(
                f"INSERT INTO promises ({_COLUMNS}, created) VALUES ({','.join(f'?{n}' for n in range(1, 14))}, ?13)",
                new,
            )
            db.executemany(
                "UPDATE promises SET client = ?, scenario = ?, kind = ?, what = ?, due = ?, due_time = ?, "
                "internal = ?, fallback = ?, work_days = ?, lang = ?, file = ?, written = ?, "
                "status = CASE WHEN due IS ? THEN status ELSE 'open' END WHERE key = ?",
                [(*row[1:], row[5], row[0]) for row in changed],
            )
            moved = [(known[row[0]][0], day, row[5], known[row[0]][1]) for row in changed if known[row[0]][1] != row[5]]
            db.executemany(
                "INSERT INTO history (promise, day, event, due, previous) VALUES (?, ?, 'rewritten', ?, ?)", moved
            )
            keys = {row[0] for row in rows}
            gone = [(ident,) for key, (ident, _due, status) in known.items() if key not in keys and status == "open"]
            db.executemany("UPDATE promises SET status = 'cancelled' WHERE id = ?", gone)
            db.executemany(
                "INSERT INTO history (promise, day, event) VALUES (?, ?, 'dropped')", [(i, day) for (i,) in gone]
            )
            ids = dict(
                db.execute(
                    f"SELECT key, id FROM promises WHERE key IN ({','.join('?' * len(keys))})", sorted(keys)
                ).fetchall()
            ) if len(keys) <= 900 else {}
        return Recorded(ids, len(new), len(moved), len(gone))

    @staticmethod
    def _known(db: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> dict[str, tuple[int, Any, str]]:
        """The entries of the documents of ``rows`` that the ledger has: by key, (id, due, status).

        Looked up by key (its unique index); only a document already known is also looked
        up as a whole, for the entries it no longer makes.
        """
        known: dict[str, tuple[int, Any, str]] = {}
        keys = [row[0] for row in rows]
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            for ident, key, due, status in db.execute(
                f"SELECT id, key, due, status FROM promises WHERE key IN ({','.join('?' * len(part))})", part
            ):
                known[key] = (ident, due, status)
        if known:
            docs = {row[0].rpartition("#")[0] for row in rows if row[0] in known}
            for doc in docs:  # the range of the document's keys: "doc#…" sorts below "doc$"
                for ident, key, due, status in db.execute(
                    "SELECT id, key, due, status FROM promises WHERE key >= ? AND key < ?", (f"{doc}#", f"{doc}$")
                ):
                    known[key] = (ident, due, status)
        return known

    def entries(self, *, status: str | None = "open") -> list[Entry]:
        """The entries (the open ones by default), by promised date (none last), time and id."""
        where = "WHERE status = ?" if status else ""
        with _reported(self.path):
            rows = self._db.execute(
                f"SELECT id, key, client, scenario, kind, what, due, due_time, internal, fallback, "
                f"work_days, lang, file, written, status FROM promises {where} "
                "ORDER BY due IS NULL, due, due_time IS NOT NULL, due_time, id",
                (status,) if status else (),
            ).fetchall()
        return [_entry(row) for row in rows]

    def entry(self, ident: int) -> Entry:
        """The entry with id ``ident``.

        Raises:
            UnknownPromise: when there is none.
        """
        with _reported(self.path):
            row = self._db.execute(
                "SELECT id, key, client, scenario, kind, what, due, due_time, internal, fallback, "
                "work_days, lang, file, written, status FROM promises WHERE id = ?",
                (ident,),
            ).fetchone()
        if row is None:
            raise UnknownPromise(_("no promise has the id {id}; 'phrasebook promises' lists them").format(id=ident))
        return _entry(row)

    def history(self, ident: int) -> list[tuple[dt.date, str, dt.date | None, dt.date | None]]:
        """What happened to promise ``ident``: (day, event, due, previous due), oldest first."""
        entry = self.entry(ident)
        with _reported(self.path):
            rows = self._db.execute(
                "SELECT day, event, due, previous FROM history WHERE promise = ? ORDER BY id", (ident,)
            ).fetchall()
            created = self._db.execute("SELECT coalesce(created, written) FROM promises WHERE id = ?",
                                       (ident,)).fetchone()[0]
        events = [(dt.date.fromisoformat(day), event, _day(due), _day(prev)) for day, event, due, prev in rows]
        # the first entry is not kept as a row (a batch adds thousands): its date is that of
        # the first change, else the date it has now
        first = next((event[3] for event in events if event[3] is not None), entry.promise.due)
        return [(dt.date.fromisoformat(created), "written", first, None), *events]

    def set_status(self, ident: int, status: str, *, today: dt.date) -> Entry:
        """Mark promise ``ident`` ``done`` or ``cancelled`` (kept, with its history).

        Raises:
            UnknownPromise: no such id.
            InvalidInput: it is not open.
        """
        with self._writing() as db:
            entry = self.entry(ident)
            if entry.status != "open":
                raise InvalidInput(_not_open(entry))
            db.execute("UPDATE promises SET status = ? WHERE id = ?", (status, ident))
            db.execute(
                "INSERT INTO history (promise, day, event, due) VALUES (?, ?, ?, ?)",
                (ident, today.isoformat(), status, _iso(entry.promise.due)),
            )
        return entry._replace(status=status)

    def move(self, ident: int, due: dt.date, *, today: dt.date) -> Entry:
        """Move open promise ``ident`` to ``due``; the old date stays in its history."""
        with self._writing() as db:
            entry = self.entry(ident)
            if entry.status != "open":
                raise InvalidInput(_not_open(entry))
            db.execute("UPDATE promises SET due = ? WHERE id = ?", (due.isoformat(), ident))
            db.execute(
                "INSERT INTO history (promise, day, event, due, previous) VALUES (?, ?, 'moved', ?, ?)",
                (ident, today.isoformat(), due.isoformat(), _iso(entry.promise.due)),
            )
        return entry._replace(promise=entry.promise._replace(due=due))


def _not_open(entry: Entry) -> str:
    if entry.status == "done":
        return _("promise #{id} is already done").format(id=entry.id)
    return _("promise #{id} is cancelled").format(id=entry.id)


@contextlib.contextmanager
def _reported(path: Path) -> Iterator[None]:
    """Turn SQLite's errors into a :class:`LedgerError` that names the file."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise LedgerError(
                _("{path}: the promise ledger is busy (another phrasebook command is writing); try again").format(
                    path=path
                )
            ) from None
        raise _damaged(path, exc) from None
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from None


def _damaged(path: Path, exc: Exception) -> LedgerError:
    return LedgerError(
        _(
            "{path} is not a phrasebook promise ledger or is damaged ({reason}); it was left as it is. "
            "Move it elsewhere to start a new ledger"
        ).format(path=path, reason=exc)
    )


def open_ledger(path: Path | None = None, *, create: bool = True) -> Ledger | None:
    """Open the ledger (made and migrated to the current schema on first use).

    ``create`` False: None when there is no ledger yet (reading needs no file).

    Raises:
        LedgerError: the file is damaged, not a ledger, or of a newer version.
    """
    path = path or ledger_path()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # private, like the letters
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    elif path.is_dir():
        raise _damaged(path, IsADirectoryError(str(path)))
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise _damaged(path, exc) from None
    try:
        with _reported(path):
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _check(path, db)
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA cache_size = -16000")  # 16 MB: a batch's entries and their indexes
            migrate(path, db)
    except BaseException:
        db.close()
        raise
    return Ledger(path, db)


def _check(path: Path, db: sqlite3.Connection) -> int:
    """The file's schema version, after making sure the file is a ledger (or empty)."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    application = int(db.execute("PRAGMA application_id").fetchone()[0])
    if version == 0 and application == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
        if tables:
            raise LedgerError(
                _("{path} is an SQLite database of another program, not a promise ledger; it was left as it is").format(
                    path=path
                )
            )
        return 0
    if application != APPLICATION_ID:
        raise LedgerError(
            _("{path} is an SQLite database of another program, not a promise ledger; it was left as it is").format(
                path=path
            )
        )
    if version > SCHEMA_VERSION:
        raise LedgerError(
            _(
                "{path} was written by a newer phrasebook (ledger version {version}, this one knows up "
                "to {known}); update phrasebook to use it"
            ).format(path=path, version=version, known=SCHEMA_VERSION)
        )
    return version


def migrate(path: Path, db: sqlite3.Connection) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION`, one version at a time, in one transaction."""
    if _check(path, db) == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = _check(path, db)  # another command may have migrated it meanwhile
        for step in MIGRATIONS[version:]:
            for statement in step:
                db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
