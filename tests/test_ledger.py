"""The promise ledger as a library: schema and migrations, faults, concurrent writers."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasebook.errors import InvalidInput
from phrasebook.ledger import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    LedgerError,
    Promise,
    UnknownPromise,
    open_ledger,
)

TODAY = dt.date(2026, 11, 24)


def promise(doc: str = "deadline-offer|Müller|file:/x.md", slot: str = "0", **changes: object) -> Promise:
    base = Promise(doc, slot, "Müller", "deadline-offer", "delivery", "das Konzept", dt.date(2026, 12, 2),
                   lang="de", file="/x.md", written=TODAY)
    return base._replace(**changes)  # type: ignore[arg-type]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "promises.sqlite3"


def test_a_new_ledger_is_private_in_wal_mode_and_of_the_current_version(path: Path) -> None:
    ledger = open_ledger(path)
    assert ledger is not None
    ledger.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reading_makes_no_ledger(path: Path) -> None:
    assert open_ledger(path, create=False) is None
    assert not path.exists()


def test_an_empty_version_1_ledger_is_migrated_forwards(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO promises (key, client, scenario, what, due, lang, written) "
            "VALUES ('d#0', 'Müller', 'deadline-offer', 'das Konzept', '2026-12-02', 'de', '2026-11-24')"
        )
    db.close()
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        [entry] = ledger.entries()
        assert entry.id == 1 and entry.status == "open"
        assert entry.promise.kind == "promise" and entry.promise.internal is None
        assert entry.promise.due == dt.date(2026, 12, 2) and entry.promise.slot == "0"
        ledger.move(1, dt.date(2026, 12, 4), today=TODAY)  # the history table of version 2
        assert [e[:3] for e in ledger.history(1)] == [
            (TODAY, "written", dt.date(2026, 12, 2)), (TODAY, "moved", dt.date(2026, 12, 4)),
        ]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_ledger_of_a_newer_version_is_refused_and_left_alone(path: Path) -> None:
    open_ledger(path).close()  # type: ignore[union-attr]
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError, match=r"newer phrasebook \(ledger version 3, this one knows up to 2\)"):
        open_ledger(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"not a database at all\n" * 200, b"SQLite format 3\x00" + b"\xff" * 2000])
def test_a_damaged_file_is_reported_and_never_overwritten(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(LedgerError, match="not a phrasebook promise ledger or is damaged"):
        open_ledger(path)
    assert path.read_bytes() == content


def test_another_programs_database_is_refused(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError, match="database of another program"):
        open_ledger(path)
    assert path.read_bytes() == before


def test_writing_a_document_again_updates_its_entries(path: Path) -> None:
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        first = ledger.record([promise(), promise(slot="1", what="die Folien")], today=TODAY)
        assert (first.added, first.updated) == (2, 0)
        ledger.set_status(first.ids[promise().key], "done", today=TODAY)
        again = ledger.record([promise()], today=TODAY + dt.timedelta(days=1))
        assert again.ids == {promise().key: 1}
        assert (again.added, again.updated, again.dropped) == (0, 0, 1)  # slot 1 is no longer written
        assert ledger.entry(1).status == "done"  # the same date: still done
        assert ledger.entry(2).status == "cancelled"
        moved = ledger.record([promise(due=dt.date(2026, 12, 9))], today=TODAY + dt.timedelta(days=2))
        assert moved.updated == 1
        entry = ledger.entry(1)
        assert entry.status == "open" and entry.promise.due == dt.date(2026, 12, 9)  # promised again
        assert [(e[1], e[2], e[3]) for e in ledger.history(1)] == [
            ("written", dt.date(2026, 12, 2), None),
            ("done", dt.date(2026, 12, 2), None),
            ("rewritten", dt.date(2026, 12, 9), dt.date(2026, 12, 2)),
        ]
        assert [e.id for e in ledger.entries()] == [1]


def test_done_cancel_and_move_keep_the_history(path: Path) -> None:
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        ledger.record([promise(), promise(slot="1"), promise(slot="2")], today=TODAY)
        ledger.move(1, dt.date(2026, 12, 7), today=TODAY)
        ledger.set_status(1, "done", today=TODAY)
        ledger.set_status(2, "cancelled", today=TODAY)
        assert [e.id for e in ledger.entries()] == [3]
        assert [e.id for e in ledger.entries(status=None)] == [2, 3, 1]  # by date
        assert [(e[1], e[2], e[3]) for e in ledger.history(1)] == [
            ("written", dt.date(2026, 12, 2), None),
            ("moved", dt.date(2026, 12, 7), dt.date(2026, 12, 2)),
            ("done", dt.date(2026, 12, 7), None),
        ]
        with pytest.raises(InvalidInput, match="#1 is already done"):
            ledger.set_status(1, "done", today=TODAY)
        with pytest.raises(InvalidInput, match="#2 is cancelled"):
            ledger.move(2, TODAY, today=TODAY)
        with pytest.raises(UnknownPromise, match="no promise has the id 9"):
            ledger.entry(9)


def test_ids_are_never_reused(path: Path) -> None:
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        ledger.record([promise(doc="a"), promise(doc="b")], today=TODAY)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM history")
        db.execute("DELETE FROM promises WHERE id = 2")
    db.close()
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        assert ledger.record([promise(doc="c"), promise(doc="d")], today=TODAY).ids == {"c#0": 3, "d#0": 4}
        assert [e[1:3] for e in ledger.history(4)] == [("written", dt.date(2026, 12, 2))]


def _write_many(args: tuple[str, int]) -> None:
    where, worker = args
    for number in range(40):  # one transaction each: the most contention
        with open_ledger(Path(where)) as ledger:  # type: ignore[union-attr]
            ledger.record([promise(doc=f"w{worker}-{number}")], today=TODAY)


def test_concurrent_writers_lose_nothing(path: Path) -> None:
    open_ledger(path).close()  # type: ignore[union-attr]
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.map(_write_many, [(str(path), worker) for worker in range(4)])
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        entries = ledger.entries()
    assert len(entries) == 160
    assert sorted(e.id for e in entries) == list(range(1, 161))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_processes_creating_the_ledger_at_once_agree(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "promises.sqlite3"
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        pool.map(_write_many, [(str(path), worker) for worker in range(3)])
    with open_ledger(path) as ledger:  # type: ignore[union-attr]
        assert len(ledger.entries()) == 120


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2), st.integers(0, 30)), max_size=30),
       st.integers(1, 8))
def test_recording_in_any_chunks_keeps_one_entry_per_key_with_the_last_date(
    writes: list[tuple[int, int, int]], chunk: int
) -> None:
    import tempfile

    promises = [promise(doc=f"d{d}", slot=str(s), due=dt.date(2026, 12, 1) + dt.timedelta(days=o))
                for d, s, o in writes]
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "p.sqlite3") as ledger:  # type: ignore[union-attr]
        for start in range(0, len(promises), chunk):
            ledger.record(promises[start:start + chunk], today=TODAY)
        entries = {e.promise.key: e for e in ledger.entries(status=None)}
        last = {p.key: p.due for p in promises}
        # every key once; a document written again without some slot drops it (cancelled)
        assert set(entries) == set(last)
        assert {key: entry.promise.due for key, entry in entries.items()} == last
        assert sorted(e.id for e in entries.values()) == list(range(1, len(entries) + 1))
