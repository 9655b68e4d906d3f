"""The benchmark script: its one-second smoke runs end to end and writes well-formed JSON.

No timing is asserted here; the targets are checked by people reading the table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
TARGETS = [
    "help_vs_python",
    "render_vs_python",
    "render_vs_jinja2_cli",
    "inprocess_vs_bare",
    "validate_vs_template",
    "batch_vs_bare",
    "jobs1_vs_mailmerge_10k",
    "default_vs_mailmerge_100k",
    "jobs2_vs_jobs1_10k",
    "jobs2_vs_jobs1_100k",
    "default_vs_jobs1_time",
    "batch_linearity",
    "batch_1m_vs_100k_time",
    "batch_tree_rss_mib",
    "batch_rss_growth_mib",
    "batch_log_vs_plain_10k",
]


def _load_script():
    spec = importlib.util.spec_from_file_location("bench_run", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _positive(value: object) -> bool:
    return isinstance(value, float) and value > 0


def test_quick_run_writes_the_results_json(tmp_path: Path) -> None:
    out = tmp_path / "results" / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "phrasebook --help" in proc.stdout
    assert f"results written to {out}" in proc.stdout
    assert "MISS" not in proc.stdout  # a smoke run judges no target
    assert "quick run: a smoke test" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(check["met"] is None for check in data["targets"])

    assert data["schema"] == 1
    assert data["quick"] is True
    assert data["repeat"] == 1
    for name in ("python", "python_jinja2", "python_floor", "help", "render"):
        entry = data["startup"][name]
        assert len(entry["runs_s"]) == 1
        assert _positive(entry["median_s"])
        assert _positive(entry["vs_python"])
        assert _positive(entry["peak_rss_mib"])
    assert _positive(data["startup"]["render"]["vs_python_jinja2"])

    inprocess = data["inprocess"]
    assert inprocess["format"] == "text"
    assert _positive(inprocess["phrasebook"]["median_per_s"])
    assert _positive(inprocess["bare"]["median_per_s"])
    assert _positive(inprocess["ratio"])
    assert _positive(inprocess["validation"]["ratio"])
    assert _positive(inprocess["validation"]["validate"]["median_s_per_row"])

    batch = data["batch"]
    if batch["available"]:
        assert [entry["rows"] for entry in batch["sizes"]] == [10, 20]
        for entry in batch["sizes"]:
            for side in ("phrasebook", "bare"):
                assert _positive(entry[side]["median_s"])
                assert _positive(entry[side]["rows_per_s"])
                assert _positive(entry[side]["peak_rss_mib"])
            assert entry["phrasebook"]["tree_rss_mib"] >= entry["phrasebook"]["peak_rss_mib"]
            assert _positive(entry["ratio"])
            assert _positive(entry["jobs2_vs_jobs1"])
            assert entry["default_workers"] >= 1
        assert _positive(batch["linearity"])
        assert _positive(batch["bare_linearity"])
        assert batch["own_linearity"] == pytest.approx(batch["linearity"] / batch["bare_linearity"])
        assert isinstance(batch["rss_growth_mib"], float)
    else:
        assert batch["reason"].startswith("batch command not available")
        assert batch["sizes"] == []
        assert "batch: skipped, batch command not available" in proc.stdout

    log = data["log"]
    assert log["available"] and log["rows"] == 20
    assert _positive(log["ratio"]) and _positive(log["log"]["median_s"])

    assert [t["name"] for t in data["targets"]] == TARGETS
    for target in data["targets"]:
        assert target["op"] in ("<=", ">=")
        assert target["met"] is None  # measured, never judged in a quick run
    assert len(data["load_average_before"]) == 3
    measured = {t["name"] for t in data["targets"] if t["value"] is not None}
    assert {"help_vs_python", "render_vs_python", "inprocess_vs_bare"} <= measured


def test_sizes_accept_k_and_m_suffixes() -> None:
    run = _load_script()
    assert run.parse_sizes("1k, 10k,100000,1M") == (1_000, 10_000, 100_000, 1_000_000)


@pytest.mark.parametrize("text", ["0", "ten", "-5", "1k,,2k"])
def test_sizes_refuse_what_is_not_a_row_count(text: str) -> None:
    run = _load_script()
    with pytest.raises(argparse.ArgumentTypeError):
        run.parse_sizes(text)
