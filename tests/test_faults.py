"""A batch when the world misbehaves: signals, killed runs, full disks, two runs at once,
resumed runs, and a template that fails every row. Real processes and real signals."""

from __future__ import annotations

import csv
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from batchkit import COLUMNS, invoice_pack, row, write_csv
from conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
TODAY_ARG = ["--today", TODAY.isoformat()]
SIGNOFF = "Mit freundlichen Grüßen\\\nAnna Schäfer\n"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


# --- helpers ------------------------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ, PYTHONPATH=str(ROOT), PHRASEBOOK_LANG="en",
        PHRASEBOOK_CONFIG_DIR=str(tmp_path / "config"),
    )


def start(
    tmp_path: Path, *args: str, rows: str = "rows.csv", out: str = "out",
    preexec: Callable[[], None] | None = None, scenario: str = "deadline-offer",
) -> subprocess.Popen[str]:
    """Start `phrasebook batch` as its own process (as a person would from a shell)."""
    command = [sys.executable, "-m", "phrasebook", "batch", scenario, rows, "-l", "de", "-o", out,
               *args, *TODAY_ARG]
    return subprocess.Popen(
        command, cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=preexec,
    )


def run(tmp_path: Path, *args: str, **options: object) -> subprocess.CompletedProcess[str]:
    process = start(tmp_path, *args, **options)  # type: ignore[arg-type]
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def many_rows(tmp_path: Path, count: int, name: str = "rows.csv") -> Path:
    return write_csv(tmp_path / name, [row(recipient__last_name=f"K{i}") for i in range(count)])


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before the condition was met"
    assert condition(), "timed out"


def documents(out: Path) -> int:
    return sum(1 for _name in out.glob("*.md")) if out.is_dir() else 0


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, which only waits to be reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def gone(pids: Sequence[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def hidden(out: Path) -> list[str]:
    """Temporary files, lock files: everything phrasebook keeps out of sight."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def report(out: Path) -> dict[str, object]:
    return json.loads((out / "report.json").read_text("utf-8"))  # type: ignore[no-any-return]


def dead_pid() -> int:
    """The id of a process that has ended (and was reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- signals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"), [("SIGTERM", 143), ("SIGHUP", 129)], ids=["sigterm", "sighup"]
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_and_sighup_stop_like_ctrl_c(tmp_path, name, status, jobs):
    many_rows(tmp_path, 20_000)
    process = start(tmp_path, "--jobs", jobs)
    out = tmp_path / "out"
    wait_for(lambda: documents(out) >= 20, process)
    workers = children(process.pid)
    if jobs == "2":
        wait_for(lambda: len(children(process.pid)) >= 2, process)
        workers = children(process.pid)
    process.send_signal(getattr(signal, name))
    _stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert "\ninterrupted after " in stderr
    assert hidden(out) == []  # no temporary file, no lock left
    summary = report(out)
    done = {r["file"] for r in summary["rows"] if r["status"] == "written"}  # type: ignore[index, union-attr]
    assert 0 < len(done) < 20_000
    assert {p.name for p in out.glob("*.md")} == done  # every file written is reported
    assert summary["summary"]["interrupted"] is True  # type: ignore[index]
    for path in out.glob("*.md"):
        assert path.read_text("utf-8").endswith(SIGNOFF), path
    assert gone(workers), "a worker process outlived the run"


def test_workers_never_outlive_a_parent_killed_with_sigkill(tmp_path):
    many_rows(tmp_path, 20_000)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.json").write_text(
        '{"rows": [], "summary": {"rows": 1, "written": 1}}\n', encoding="utf-8"
    )
    process = start(tmp_path, "--jobs", "2")
    out = tmp_path / "out"
    wait_for(lambda: len(children(process.pid)) >= 2 and documents(out) >= 50, process)
    workers = children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert gone(workers, seconds=15), "workers kept running after their parent was killed"
    written_then = documents(out)
    time.sleep(0.3)
    assert documents(out) == written_then  # nobody writes unreported letters any more

    # The report left behind says the run did not finish: never the earlier run's report.
    shell = report(out)
    assert shell["summary"]["complete"] is False  # type: ignore[index]
    assert shell["rows"] == []
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[1][1] == "unfinished"

    # The next run removes what the killed one left, says so, and is not locked out.
    stale = [n for n in hidden(out) if n.endswith(".tmp")]
    assert stale, "a killed run leaves its report's temporary files"
    assert {n.split("-")[1] for n in stale} == {str(process.pid)}, (stale, workers)
    again = run(tmp_path, "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert (
        f"Warning: removed {len(stale)} temporary file{'s' if len(stale) > 1 else ''} "
        f"that an interrupted run left in out\n"
    ) in again.stderr
    assert hidden(out) == []
    summary = report(out)["summary"]
    assert summary["unchanged"] >= written_then - 2 * 128 * 5 and summary["failed"] == 0  # type: ignore[index]
    assert summary["written"] + summary["unchanged"] == 20_000  # type: ignore[index]


def test_a_stale_temporary_file_and_lock_of_a_dead_run_do_not_block(tmp_path):
    many_rows(tmp_path, 3)
    out = tmp_path / "out"
    out.mkdir()
    pid = dead_pid()
    (out / f".phrasebook-{pid}-0.tmp").write_text("half a lett", encoding="utf-8")
    (out / ".phrasebook.lock").write_text(f"{pid}\n", encoding="utf-8")
    living = out / f".phrasebook-{os.getpid()}-0.tmp"  # someone else's write, under way
    living.write_text("", encoding="utf-8")

    result = run(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(
        "Warning: removed 1 temporary file that an interrupted run left in out\n"
    )
    assert hidden(out) == [living.name]


# --- two runs, one directory --------------------------------------------------------------------


def test_a_second_run_into_the_same_directory_is_refused(tmp_path):
    many_rows(tmp_path, 6_000)
    many_rows(tmp_path, 2, name="other.csv")
    first = start(tmp_path)
    out = tmp_path / "out"
    wait_for(lambda: documents(out) >= 5, first)

    second = run(tmp_path, rows="other.csv")

    assert second.returncode == 1
    assert second.stderr == (
        f"Error: out: another phrasebook batch (process {first.pid}) is writing into this "
        "directory; wait until it has finished, or choose another output directory\n"
    )
    _stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    summary = report(out)["summary"]
    assert summary["written"] == 6_000 and summary["failed"] == 0  # type: ignore[index]
    assert hidden(out) == []
    # once the first run is over the directory is free again
    assert run(tmp_path, rows="other.csv").returncode == 0


# --- resuming -----------------------------------------------------------------------------------


def test_running_again_counts_identical_documents_as_unchanged(tmp_path):
    many_rows(tmp_path, 5)
    assert run(tmp_path).returncode == 0
    out = tmp_path / "out"
    (out / "k3-katrin.md").write_text("my own edits\n", encoding="utf-8")
    (out / "k4-katrin.md").unlink()

    again = run(tmp_path)

    assert again.returncode == 1
    assert again.stderr == (
        "rows.csv:5: out/k3-katrin.md already exists; use --force to replace it\n"
        "1 written, 3 unchanged, 1 failed, 0 skipped (5 rows); "
        "report: out/report.csv and out/report.json\n"
        "Error: 1 row failed\n"
    )
    rows = report(out)["rows"]
    assert [r["status"] for r in rows] == ["unchanged", "unchanged", "unchanged", "failed", "written"]  # type: ignore[union-attr, index]
    assert (out / "k3-katrin.md").read_text("utf-8") == "my own edits\n"
    dry = run(tmp_path, "--dry-run")
    assert "dry run: 0 to write, 4 unchanged, 1 failed, 0 skipped (5 rows)" in dry.stderr


# --- full disk, file too large ------------------------------------------------------------------


def _file_size_limit(size: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_a_document_too_large_for_the_disk_fails_its_row_without_a_partial_file(tmp_path):
    long_reason = "Das gibt Ihnen einen verlässlichen Stand. " * 600  # about 25 kB
    write_csv(
        tmp_path / "rows.csv",
        [row(recipient__last_name="Erst"), row(recipient__last_name="Lang", reason=long_reason),
         row(recipient__last_name="Letzt")],
        columns=[*COLUMNS, "reason"],
    )
    result = run(tmp_path, preexec=_file_size_limit(16_384))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rows.csv:3: out/lang-katrin.md: cannot write (File too large)\n" in result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "erst-katrin.md", "letzt-katrin.md", "report.csv", "report.json"
    ]
    for path in out.glob("*.md"):
        assert path.read_text("utf-8").endswith(SIGNOFF)
    assert report(out)["summary"]["complete"] is True  # type: ignore[index]


def test_when_the_report_does_not_fit_a_small_one_takes_its_place(tmp_path):
    many_rows(tmp_path, 400)
    with (tmp_path / "rows.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("Bad,Katrin,female,k@example.de,Anna,das Konzept,2026-02-31\r\n")
    old = tmp_path / "out"
    old.mkdir()

    result = run(tmp_path, preexec=_file_size_limit(24_000))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "Warning: the full report could not be written (File too large); "
        "out/report.json lists only the first failed rows\n"
    ) in result.stderr
    assert result.stderr.endswith(
        "400 written, 1 failed, 0 skipped (401 rows); report: out/report.csv and out/report.json\n"
        "Error: 1 row failed\n"
    )
    small = report(old)
    assert small["summary"]["complete"] is False and small["summary"]["written"] == 400  # type: ignore[index]
    assert [r["line"] for r in small["rows"]] == [402]  # type: ignore[union-attr, index]
    assert hidden(old) == []
    assert documents(old) == 400


def test_a_full_disk_is_a_row_error_and_a_report_is_still_written(tmp_path, monkeypatch):
    """ENOSPC and EDQUOT (injected: no small file system can be mounted in a test)."""
    from phrasebook.batch import run_batch

    many_rows(tmp_path, 4)
    real_write = os.write
    state = {"documents": 0}

    def full_after_two(fd: int, data: bytes) -> int:
        if bytes(data[:8]) == b"---\ntitl":
            state["documents"] += 1
            if state["documents"] == 2:
                raise OSError(28, os.strerror(28))
            if state["documents"] == 3:
                raise OSError(122, os.strerror(122))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_after_two)
    summary = run_batch("deadline-offer", tmp_path / "rows.csv", tmp_path / "out", today=TODAY,
                        lang="de", jobs=1)
    assert [f.message for f in summary.failures] == [
        f"{tmp_path / 'out' / 'k1-katrin.md'}: cannot write (No space left on device)",
        f"{tmp_path / 'out' / 'k2-katrin.md'}: cannot write (Disk quota exceeded)",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "k0-katrin.md", "k3-katrin.md", "report.csv", "report.json"
    ]


# --- a template that fails every row ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
        ("{{ recipient['nmae'] }}", "has no attribute 'nmae'"),
    ],
    ids=["division-by-zero", "missing-attribute"],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_template_error_that_hits_every_row_stops_after_a_few(tmp_path, body, message, jobs):
    de = (
        '{% extends "_letter.jinja" %}\n{% set subject_line %}Betrag{% endset %}\n'
        "{% block body %}\nBetrag " + body + "\n{% endblock %}\n"
    )
    invoice_pack(tmp_path / "pack", de=de)
    write_csv(
        tmp_path / "rows.csv",
        [{"recipient.last_name": f"K{i}", "recipient.gender": "female", "sender.name": "A",
          "amount": "10"} for i in range(500)],
        columns=["recipient.last_name", "recipient.gender", "sender.name", "amount"],
    )
    result = run(tmp_path, "--pack", "pack", "--jobs", jobs, scenario="invoice-reminder")

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 6, result.stderr
    assert all(message in line for line in lines[:3])
    assert lines[3:] == [
        "stopped at line 4: the first rows all failed with the same template error, so every "
        "row would; fix the template and run again",
        "0 written, 3 failed, 0 skipped (3 rows); report: out/report.csv and out/report.json",
        "Error: 3 rows failed",
    ]
    summary = report(tmp_path / "out")
    assert len(summary["rows"]) == 3  # type: ignore[arg-type]
    assert message in summary["summary"]["same_failure"]  # type: ignore[index]


def test_rows_that_fail_differently_are_all_processed(tmp_path):
    """Bad values in every row are row errors, not a template error: all rows are reported."""
    write_csv(tmp_path / "rows.csv", [row(deadline=f"soon {i}") for i in range(6)])
    result = run(tmp_path)
    assert result.returncode == 1
    assert "0 written, 6 failed, 0 skipped (6 rows)" in result.stderr
    assert "stopped" not in result.stderr


# --- private documents ----------------------------------------------------------------------------


def _umask(mask: int) -> Callable[[], None]:
    return lambda: os.umask(mask) and None


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o600), (0o077, 0o600), (0o277, 0o400)])
def test_documents_are_private_or_stricter_with_the_umask(tmp_path, mask, mode):
    many_rows(tmp_path, 1)
    assert run(tmp_path, preexec=_umask(mask)).returncode == 0
    assert (tmp_path / "out" / "k0-katrin.md").stat().st_mode & 0o777 == mode


def test_calendar_files_are_private_too(tmp_path):
    """An .ics names the client and the dates promised: as private as the letter."""
    env = {**os.environ, "PHRASEBOOK_LANG": "en"}
    command = [sys.executable, "-m", "phrasebook", "render", "deadline-offer", "--lang", "de", "--example",
               "--today", TODAY.isoformat(), "-o", "offer.txt", "--ics", "offer.ics"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          preexec_fn=_umask(0o022), timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "offer.ics").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "offer.txt").stat().st_mode & 0o777 == 0o600


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    many_rows(tmp_path, 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "k0-katrin.md").write_text("old", encoding="utf-8")
    (out / "k0-katrin.md").chmod(0o644)
    assert run(tmp_path, "--force", preexec=_umask(0o022)).returncode == 0
    assert (out / "k0-katrin.md").read_text("utf-8").endswith(SIGNOFF)
    assert (out / "k0-katrin.md").stat().st_mode & 0o777 == 0o644
    assert (out / "k1-katrin.md").stat().st_mode & 0o777 == 0o600


# --- hostile text in the report -------------------------------------------------------------------


def test_control_characters_never_reach_report_csv_raw(tmp_path):
    write_csv(
        tmp_path / "rows.csv",
        [row(recipient__last_name="Evil\x1b]0;pwned\x07", deadline="x\x1b[2J"),
         row(recipient__last_name="Spoof\u202egpj.exe", deadline="nope")],
    )
    result = run(tmp_path)
    assert result.returncode == 1
    raw = (tmp_path / "out" / "report.csv").read_text("utf-8-sig")
    assert not [c for c in raw if (ord(c) < 32 and c not in "\r\n") or 0x7F <= ord(c) <= 0x9F
                or c == "\u202e"]
    with (tmp_path / "out" / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = list(csv.reader(handle))
    assert cells[1][4] == "Katrin Evil\\x1b]0;pwned\\x07"
    assert cells[2][4] == "Katrin Spoof\\u202egpj.exe"
    assert "\\x1b[2J" in cells[1][5]
    assert report(tmp_path / "out")["rows"][0]["recipient"] == "Katrin Evil\x1b]0;pwned\x07"  # type: ignore[index]
