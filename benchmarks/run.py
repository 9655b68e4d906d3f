"""Measure phrasebook's start-up, single-render and batch speed against bare-Python baselines.

Run from a checkout::

    python benchmarks/run.py                      # full run, a few minutes
    python benchmarks/run.py --quick              # one-second smoke (what CI runs)
    python benchmarks/run.py --sizes 1k,100k,1M   # the linearity and memory targets at 1M rows

Every number is a ratio to a baseline measured in the same run on the same machine, so
results from a laptop and a CI runner are comparable. The baselines are bare Python and two
peers, when installed (``pip install -e ".[bench]"``): mailmerge ``--dry-run`` on an
equivalent template and CSV, and jinja2-cli rendering the same template with Babel filters.
A full run exits with status 1 when a target is missed; ``--quick`` judges nothing. Each timing is the median of
``--repeat`` runs. A table goes to standard output and the full results, including every
single run, to ``--json`` (default ``benchmarks/results/latest.json``).

The script measures the checkout it lives in: it puts the checkout first on ``sys.path``
and on ``PYTHONPATH`` for every subprocess, whatever ``phrasebook`` may be installed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHEMA = 1
SCENARIO = "deadline-offer"
LANG = "de"
LOCALE = "de_DE"
TODAY = dt.date(2026, 11, 24)
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (10, 20)
PARTS = ("startup", "inprocess", "batch", "log")
#: Rows of the batch that is run with and without ``--log`` (the promise ledger).
LOG_ROWS = 10_000

#: (name, comparison, limit): the targets from the README, as ratios.
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("help_vs_python", "<=", 3.5),
    ("render_vs_python", "<=", 12.0),
    ("render_vs_jinja2_cli", "<=", 0.8),
    ("inprocess_vs_bare", ">=", 0.8),
    ("validate_vs_template", "<=", 0.25),
    ("batch_vs_bare", "<=", 1.25),
    ("jobs1_vs_mailmerge_10k", ">=", 1.5),
    ("default_vs_mailmerge_100k", ">=", 2.5),
    ("jobs2_vs_jobs1_10k", ">=", 1.8),
    ("jobs2_vs_jobs1_100k", ">=", 1.8),
    ("default_vs_jobs1_time", "<=", 1.0),
    ("batch_linearity", "<=", 1.05),
    ("batch_1m_vs_100k_time", "<=", 10.5),
    ("batch_tree_rss_mib", "<=", 120.0),
    ("batch_rss_growth_mib", "<=", 10.0),
    ("batch_log_vs_plain_10k", "<=", 1.10),
)
#: Batch sizes up to this one are also run with --jobs 1, --jobs 2 and by mailmerge.
PEER_SIZE_LIMIT = 100_000

#: What ``pip`` writes as the ``phrasebook`` console script: timing it measures what users run.
CONSOLE_SCRIPT = """\
import re
import sys
from phrasebook.cli import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


# --- running and timing subprocesses ---------------------------------------------------------


#: Further directories on every subprocess's PYTHONPATH (the peers' filter module).
EXTRA_PATHS: list[str] = []


def child_env() -> dict[str, str]:
    """Return the environment for every timed subprocess: this checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), *EXTRA_PATHS, env.get("PYTHONPATH")]))
    env["PHRASEBOOK_LANG"] = "en"
    # Users run from installed bytecode: let the warm-up runs write __pycache__.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


class Run(NamedTuple):
    """One finished subprocess."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    tree_rss_mib: float = 0.0


#: How often the memory of a running command is looked at, in seconds: often during its
#: first :data:`POLL_FAST_FOR` seconds, rarely after that.
POLL_FAST_S, POLL_FAST_FOR, POLL_S = 0.005, 0.2, 0.05


def _status_kib(pid: int, key: bytes) -> int:
    """One ``kB`` field of /proc/PID/status (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (its workers), from /proc/PID/task/*/children."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", "rb") as handle:
                    kids = [int(k) for k in handle.read().split()]
            except (OSError, ValueError):
                continue
            found += kids
            todo += kids
    return found


def _poll_peak_rss(pid: int, stop: threading.Event, peak: list[float]) -> None:
    """Keep ``peak[0]`` at the child's VmHWM (its own peak RSS, in MiB) and ``peak[1]`` at the
    sum of the peaks of it and its worker processes (each process's VmHWM, the highest seen
    for it), until ``stop``.

    A process's VmHWM is its high-water mark, so looking every :data:`POLL_S` seconds misses
    no peak of a process that is still there when looked at; the sum of the peaks is at least
    the peak of the sum. The poller runs beside the measured command on the same cores: after
    the first :data:`POLL_FAST_FOR` seconds (where a short command must be caught before it
    ends) it looks rarely, so that it takes no noticeable time from a command that uses every
    core.
    """
    peaks: dict[int, int] = {}
    started = time.perf_counter()
    while True:
        own = _status_kib(pid, b"VmHWM:")
        if not own:
            return
        peaks[pid] = max(peaks.get(pid, 0), own)
        for kid in _descendants(pid):
            peaks[kid] = max(peaks.get(kid, 0), _status_kib(kid, b"VmHWM:"))
        peak[0] = max(peak[0], own / 1024)
        peak[1] = max(peak[1], sum(peaks.values()) / 1024)
        fast = time.perf_counter() - started < POLL_FAST_FOR
        if stop.wait(POLL_FAST_S if fast else POLL_S):
            return


def run_once(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` once and return its wall time, CPU time and peak RSS.

    The peak RSS is the child's VmHWM, polled from /proc: ``ru_maxrss`` of a child
    starts at the parent's own peak (the memory it was forked from), which would hide
    the child's. Where /proc is missing, ``ru_maxrss`` is used all the same.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**child_env(), **(env or {})},
    )
    # Popen returns once the child has exec'd, so /proc shows the command's own memory.
    peak = [0.0, 0.0]
    stop = threading.Event()
    poller = threading.Thread(target=_poll_peak_rss, args=(proc.pid, stop, peak), daemon=True)
    poller.start()
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    # Wait for the exit without reaping, so the pid cannot be reused while polling ends.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    elapsed = time.perf_counter() - start
    stop.set()
    poller.join()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if code != 0:
        raise SystemExit(
            f"benchmark command failed (exit {code}): {' '.join(cmd)}\n"
            + stderr.decode("utf-8", "replace")
        )
    if not peak[0]:
        peak[0] = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return Run(elapsed, usage.ru_utime + usage.ru_stime, peak[0], max(peak[1], peak[0]))


def summarize(cmd: Sequence[str], runs: Sequence[Run]) -> dict[str, Any]:
    """Return the median wall and CPU time and the peak RSS of several runs of one command."""
    return {
        "command": list(cmd),
        "median_s": statistics.median(r.wall_s for r in runs),
        "median_cpu_s": statistics.median(r.cpu_s for r in runs),
        "runs_s": [r.wall_s for r in runs],
        "peak_rss_mib": max(r.peak_rss_mib for r in runs),
        "tree_rss_mib": max(r.tree_rss_mib for r in runs),
    }


def paired_ratio(runs: Sequence[Run], base: Sequence[Run]) -> float:
    """Return the median of the per-round ratios ``runs[i] / base[i]`` (wall time)."""
    return statistics.median(r.wall_s / b.wall_s for r, b in zip(runs, base, strict=True))


def in_turns(commands: dict[str, list[str]], repeat: int) -> dict[str, list[Run]]:
    """Run every command ``repeat`` times, taking turns.

    Taking turns spreads any change in machine load evenly over the commands, and
    :func:`paired_ratio` then compares runs of the same round.
    """
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            runs[name].append(run_once(cmd))
    return runs


# --- start-up ---------------------------------------------------------------------------------


def installed_console_script() -> Path | None:
    """Return the ``phrasebook`` script installed beside this interpreter (venv bin/), if any."""
    candidate = Path(sys.executable).parent / "phrasebook"
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None


#: The packages a render cannot do without (the command line, templates, parameter files,
#: locale formatting), imported and nothing else: the floor under a single render's time.
FLOOR_IMPORTS = "import click, jinja2, yaml, babel.dates, babel.numbers"


def measure_startup(workdir: Path, repeat: int, *, quick: bool) -> dict[str, Any]:
    """Time fresh processes: the Python baselines, ``--help`` and one render."""
    py = sys.executable
    script = workdir / "phrasebook"
    script.write_text(CONSOLE_SCRIPT, encoding="utf-8")
    from phrasebook.catalog import load_catalog

    example = load_catalog().example_path(SCENARIO, LANG)
    assert example is not None, f"{SCENARIO} has no {LANG} example"
    render_args = ["render", SCENARIO, "--lang", LANG, "--params", str(example),
                   "--today", TODAY.isoformat()]
    commands: dict[str, list[str]] = {
        "python": [py, "-c", "pass"],
        "python_jinja2": [py, "-c", "import jinja2"],
        # what any render pays before its own work: the packages it is built on, loaded
        "python_floor": [py, "-c", FLOOR_IMPORTS],
        "help": [py, str(script), "--help"],
        "render": [py, str(script), *render_args],
    }
    jinja2_cli = peer("jinja2")
    if jinja2_cli is not None:
        commands["jinja2_cli"] = jinja2_cli_command(jinja2_cli, workdir, example)
    if not quick:
        commands["help_m"] = [py, "-m", "phrasebook", "--help"]
        commands["render_m"] = [py, "-m", "phrasebook", *render_args]
        installed = installed_console_script()
        if installed is not None:
            commands["help_installed"] = [str(installed), "--help"]
            commands["render_installed"] = [str(installed), *render_args]
        # Untimed first runs: they also write the bytecode cache, as an installation does.
        for cmd in commands.values():
            run_once(cmd)
    runs = in_turns(commands, repeat)
    results = {name: summarize(cmd, runs[name]) for name, cmd in commands.items()}
    for name, entry in results.items():
        entry["vs_python"] = paired_ratio(runs[name], runs["python"])
    results["render"]["vs_python_jinja2"] = paired_ratio(runs["render"], runs["python_jinja2"])
    if "jinja2_cli" in runs:
        results["render"]["vs_jinja2_cli"] = paired_ratio(runs["render"], runs["jinja2_cli"])
        results["python_floor"]["vs_jinja2_cli"] = paired_ratio(runs["python_floor"], runs["jinja2_cli"])
    return results


# --- peers ------------------------------------------------------------------------------------


def peer(name: str) -> str | None:
    """The peer's command installed beside this interpreter (the ``bench`` extra), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


#: For jinja2-cli: the Babel filters phrasebook's German templates use, on JSON values.
PEER_FILTERS = """\
import datetime as dt

from babel import Locale, dates, lists, numbers

LOCALE = Locale.parse("de_DE")


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def date(value, style="full"):
    if style == "weekday":
        return dates.format_date(_day(value), "EEEE", locale=LOCALE)
    if style == "day_month":
        return dates.format_skeleton("MMMMd", _day(value), locale=LOCALE)
    return dates.format_date(_day(value), style, locale=LOCALE)


def on_day(value, today, relative=False):
    return "am " + date(value)


def salutation(people, formal=True):
    person = people[0]
    if not formal:
        return f"Hallo {person['first_name']},"
    polite = "Sehr geehrte Frau" if person.get("gender") == "female" else "Sehr geehrter Herr"
    title = f"{person['title']} " if person.get("title") else ""
    return f"{polite} {title}{person['last_name']},"


#: The German words of the templates (phrasebook.variants.WORDS["de"]).
WORDS = {"closing_formal": "Mit freundlichen Grüßen", "closing_informal": "Viele Grüße",
         "closing_warm": "Herzliche Grüße", "plus": "zuzüglich", "including": "einschließlich"}


def filters():
    return {
        "word": WORDS.__getitem__,
        "date": date,
        "on_day": on_day,
        "salutation": salutation,
        "time": lambda v: dates.format_time(v, "HH:mm 'Uhr'", locale=LOCALE),
        "money": lambda v, c="EUR": numbers.format_currency(v, c, locale=LOCALE),
        "number": lambda v: numbers.format_decimal(v, locale=LOCALE),
        "listing": lambda v, s="standard": lists.format_list([str(i) for i in v], s, locale=LOCALE),
    }
"""


def jinja2_cli_command(jinja2_cli: str, workdir: Path, example: Path) -> list[str]:
    """jinja2-cli rendering the scenario's template from a JSON file of the example's values,
    with Babel filters: the same letter, without phrasebook's validation and planning."""
    import yaml

    from phrasebook.catalog import load_catalog

    (workdir / "bench_filters.py").write_text(PEER_FILTERS, encoding="utf-8")
    if str(workdir) not in EXTRA_PATHS:
        EXTRA_PATHS.append(str(workdir))
    values = yaml.safe_load(example.read_text(encoding="utf-8"))
    deadline = (TODAY + dt.timedelta(days=9)).isoformat()  # what the example's effort plans to
    context = {
        **{k: v for k, v in values.items() if k != "effort_days"},
        "deadline": deadline, "recipients": [values["recipient"]], "today": TODAY.isoformat(),
        "lang": LANG, "locale": LOCALE, "fmt": "text", "layout": "text",
        "formal": values.get("formality", "formal") == "formal", "plural": False,
        "relative": False, "deadline_time": None, "subject": None, "client": {},
    }
    data = workdir / "jinja2-cli.json"
    data.write_text(json.dumps(context, ensure_ascii=False), encoding="utf-8")
    template = load_catalog().templates / LANG / f"{SCENARIO}.jinja"
    return [jinja2_cli, str(template), str(data), "--format", "json", "-F", "bench_filters.filters",
            "--trim-blocks", "--lstrip-blocks"]


#: For mailmerge: the German letter of the benchmark scenario, as a mailmerge template.
MAILMERGE_TEMPLATE = """\
TO: {{recipient_email}}
FROM: {{sender_name}} <{{sender_email}}>
SUBJECT: Termin für {{deliverable}}: {{deadline}}

{% if formality == "formal" %}{% if recipient_gender == "female" %}Sehr geehrte Frau{% else %}\
Sehr geehrter Herr{% endif %} {% if recipient_title %}{{recipient_title}} {% endif %}\
{{recipient_last_name}},{% else %}Hallo {{recipient_first_name}},{% endif %}

{% if formality == "formal" %}vielen Dank für Ihre Anfrage und das Vertrauen, das Sie mir damit \
schenken. Ich habe mir angesehen, was Sie brauchen, und kann Ihnen einen verbindlichen Termin nennen:

Sie erhalten {{deliverable}} spätestens am {{deadline}}.
{% else %}danke für deine Anfrage und dein Vertrauen. Ich habe mir angesehen, was du brauchst, \
und kann dir einen festen Termin nennen:

Du bekommst {{deliverable}} spätestens am {{deadline}}.
{% endif %}
{% if reason %}
{{reason}}
{% endif %}
{% if formality == "formal" %}So haben Sie ein durchdachtes Ergebnis in der Hand statt einer \
schnellen Skizze, und Sie können fest mit diesem Datum planen.

Passt Ihnen das so? Dann reserviere ich die Zeit dafür verbindlich in meinem Kalender.

Mit freundlichen Grüßen{% else %}So hast du ein durchdachtes Ergebnis in der Hand statt einer \
schnellen Skizze, und du kannst fest mit diesem Datum planen.

Passt dir das so? Dann reserviere ich die Zeit dafür fest in meinem Kalender.

Viele Grüße{% endif %}
{{sender_name}}
{{sender_company}}
"""

#: mailmerge reads a server configuration even for a dry run; nothing is sent.
MAILMERGE_SERVER = "[smtp_server]\nhost = localhost\nport = 25\nsecurity = Never\nusername = None\n"


def mailmerge_command(mailmerge: str, workdir: Path, size: int) -> list[str]:
    """mailmerge ``--dry-run`` over the same rows (its columns without dots), every message
    rendered and printed, none sent."""
    template = workdir / "mailmerge_template.txt"
    template.write_text(MAILMERGE_TEMPLATE, encoding="utf-8")
    server = workdir / "mailmerge_server.conf"
    server.write_text(MAILMERGE_SERVER, encoding="utf-8")
    database = workdir / f"mailmerge-{size}.csv"
    names = columns()
    with database.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name.replace(".", "_") for name in names])
        for i in range(size):
            values = row_values(i)
            writer.writerow([values[n] for n in names])
    return [mailmerge, "--dry-run", "--no-limit", "--template", str(template), "--database",
            str(database), "--config", str(server), "--output-format", "raw"]


# --- rows -------------------------------------------------------------------------------------

_LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf"]
_FIRST = ["Katrin", "Jonas", "Sabine", "Lukas", "Miriam", "Felix", "Petra", "Tobias", "Anja"]
_TITLES = ["", "", "", "Dr."]
_DELIVERABLES = ["das Kommunikationskonzept", "den Entwurf der Startseite", "die Marktanalyse",
                 "das Angebot für den Relaunch", "die überarbeiteten Texte", "den Projektplan"]
_REASONS = ["", "So bleibt vor der Freigabe genug Zeit für Rückmeldungen.",
            "Damit hat das Team vor der Vorstandssitzung genug Zeit, alles in Ruhe zu lesen."]


#: Working days (nationwide) from a week after TODAY: deadlines phrasebook accepts.
_WORKDAYS = [
    day
    for day in (TODAY + dt.timedelta(days=n) for n in range(7, 130))
    if day.weekday() < 5 and (day.month, day.day) not in {(12, 25), (12, 26), (1, 1)}
    and day not in {dt.date(2027, 3, 26), dt.date(2027, 3, 29)}  # Good Friday, Easter Monday
][:90]


def row_values(i: int) -> dict[str, str]:
    """Return the raw (string) parameters of row ``i``: deterministic and varied."""
    last = _LAST[i % len(_LAST)]
    first = _FIRST[(i // 3) % len(_FIRST)]
    return {
        "recipient.last_name": last,
        "recipient.first_name": first,
        "recipient.title": _TITLES[i % len(_TITLES)],
        "recipient.gender": ("female", "male", "neutral")[i % 3],
        "recipient.email": f"{first.lower()}.{i}@example.de",
        "formality": "informal" if i % 5 == 4 else "formal",
        "sender.name": "Anna Schäfer",
        "sender.company": "Schäfer Kommunikation",
        "sender.email": "anna@schaefer-kommunikation.example",
        "deliverable": _DELIVERABLES[i % len(_DELIVERABLES)],
        "deadline": _WORKDAYS[i % len(_WORKDAYS)].isoformat(),
        "reason": _REASONS[i % len(_REASONS)],
    }


def columns() -> list[str]:
    """Return the CSV columns: the dotted parameter names that :func:`row_values` fills."""
    from phrasebook.catalog import load_catalog

    known = {p.name for p in load_catalog().scenario(SCENARIO).params}
    return [name for name in row_values(0) if name in known]


def write_rows(path: Path, count: int) -> None:
    """Write ``count`` rows to a UTF-8 CSV file with a header of dotted parameter names."""
    names = columns()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for i in range(count):
            values = row_values(i)
            writer.writerow([values[n] for n in names])


# --- the bare Jinja2 + Babel loop (the one-core limit) ----------------------------------------


class BareRenderer:
    """A precompiled plain Jinja2 template with the same Babel formatting phrasebook uses.

    No validation, no sandbox, no whitespace tidying: what is left when everything but
    the template and the locale-aware formatting is taken away.
    """

    def __init__(self, templates: Path, lang: str, locale: str) -> None:
        import jinja2
        from babel import Locale, dates, lists, numbers

        loc = Locale.parse(locale)
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates / lang)),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        )

        def date(value: dt.date, style: str = "full") -> str:
            if style == "weekday":
                return dates.format_date(value, "EEEE", locale=loc)
            if style == "day_month":
                return dates.format_skeleton("MMMMd", value, locale=loc)
            return dates.format_date(value, style, locale=loc)

        env.filters.update(
            date=date,
            time=lambda v: dates.format_time(v, "HH:mm 'Uhr'" if lang == "de" else "h:mm a",
                                             locale=loc),
            money=lambda v, c="EUR": numbers.format_currency(v, c, locale=loc),
            number=lambda v: numbers.format_decimal(v, locale=loc),
            percent=lambda v: numbers.format_percent(v, locale=loc),
            listing=lambda v, s="standard": lists.format_list([str(i) for i in v], s, locale=loc),
            on_day=lambda v, today, relative=False: ("am " if lang == "de" else "on ") + date(v),
            salutation=lambda people, formal=True: self.salutation(people[0]),
        )
        from phrasebook.l10n import resolve_language
        from phrasebook.variants import filters_for as variant_filters

        env.filters.update(variant_filters(resolve_language(locale)))
        self.date = date
        self.lang = lang
        self.locale = locale
        self.template = env.get_template(f"{SCENARIO}.jinja")

    def salutation(self, person: dict[str, Any]) -> str:
        """The simplest salutation a letter can have (the bare loop knows no titles)."""
        if self.lang == "de":
            polite = "Sehr geehrte Frau" if person.get("gender") == "female" else "Sehr geehrter Herr"
            return f"{polite} {person['last_name']},"
        return f"Dear {person['last_name']},"

    def context(self, row: dict[str, str], fmt: str) -> dict[str, Any]:
        """Nest the dotted names and parse the date: the least any renderer must do."""
        nested: dict[str, Any] = {"points": None, "subject": None}
        for name, value in row.items():
            head, _, tail = name.partition(".")
            if tail:
                nested.setdefault(head, {})[tail] = value or None
            else:
                nested[name] = value or None
        nested["deadline"] = dt.date.fromisoformat(row["deadline"])
        nested["recipients"] = [nested["recipient"]]
        nested.update(today=TODAY, lang=self.lang, locale=self.locale, fmt=fmt,
                      formal=row.get("formality", "formal") == "formal",
                      relative=False, deadline_time=None, plan=None, client={})
        return nested

    def render(self, row: dict[str, str], fmt: str = "text") -> str:
        """Render one row."""
        return self.template.render(self.context(row, fmt))

    def render_md(self, row: dict[str, str]) -> str:
        """Render one row as Markdown with a minimal pandoc front matter."""
        body = self.render(row, "md")
        date = self.date(TODAY, "long")
        return f"---\ntitle: {row['deliverable']}\nauthor: {row['sender.name']}\ndate: {date}\n" \
               f"lang: {self.locale.replace('_', '-')}\n---\n\n{body}"


def bare_batch(csv_path: Path, outdir: Path, templates: Path) -> None:
    """The batch baseline: stream the CSV, render each row, write one file per row."""
    renderer = BareRenderer(templates, LANG, LOCALE)
    outdir.mkdir(parents=True, exist_ok=True)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle), start=1):
            with open(outdir / f"{i:07d}.md", "w", encoding="utf-8") as out:
                out.write(renderer.render_md(row))


# --- in-process rendering ---------------------------------------------------------------------


def rows_per_s(func: Callable[[dict[str, str]], Any], rows: list[dict[str, str]]) -> float:
    """Call ``func`` on every row once; return rows per second."""
    start = time.perf_counter()
    for row in rows:
        func(row)
    return len(rows) / (time.perf_counter() - start)


def measure_inprocess(count: int, repeat: int) -> dict[str, Any]:
    """Renders per second in one process: ``phrasebook.render`` vs the bare loop."""
    import phrasebook
    from phrasebook.catalog import load_catalog

    rows = [row_values(i) for i in range(count)]
    bare = BareRenderer(load_catalog().templates, LANG, LOCALE)
    render = phrasebook.render

    def ours(row: dict[str, str]) -> Any:
        return render(SCENARIO, LANG, row, today=TODAY, fmt="text")

    funcs = {"phrasebook": ours, "bare": bare.render}
    per_s: dict[str, list[float]] = {name: [] for name in funcs}
    for func in funcs.values():
        func(rows[0])
    for _ in range(repeat):
        for name, func in funcs.items():
            per_s[name].append(rows_per_s(func, rows))
    result: dict[str, Any] = {"rows": count, "format": "text"}
    for name, runs in per_s.items():
        result[name] = {"median_per_s": statistics.median(runs), "runs_per_s": runs}
    pairs = zip(per_s["phrasebook"], per_s["bare"], strict=True)
    result["ratio"] = statistics.median(ours / bare for ours, bare in pairs)
    result["validation"] = measure_validation(rows, repeat)
    return result


def measure_validation(rows: list[dict[str, str]], repeat: int) -> dict[str, Any]:
    """Seconds per row: validating a row (``Scenario.validate``) and running its template on
    the finished context; the ratio is what validation costs beside the template."""
    import importlib

    from phrasebook.catalog import load_catalog
    from phrasebook.l10n import resolve_language

    render = importlib.import_module("phrasebook.render")
    catalog = load_catalog()
    spec = catalog.scenario(SCENARIO)
    language = resolve_language(LANG)
    contexts = [render._prepare(spec, language, row, TODAY, "md", None).context for row in rows]
    template = catalog.environment_for(SCENARIO, language).get_template(catalog.template_name(SCENARIO))

    def validate() -> None:
        for row in rows:
            spec.validate(row, language, today=TODAY, working_days=render._working_days)

    def run_template() -> None:
        for context in contexts:
            render._generate(template, context, None)

    funcs = {"validate": validate, "template": run_template}
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for func in funcs.values():
        func()
    for _ in range(repeat):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            times[name].append((time.perf_counter() - start) / len(rows))
    ratio = statistics.median(v / t for v, t in zip(times["validate"], times["template"], strict=True))
    return {name: {"median_s_per_row": statistics.median(runs), "runs_s_per_row": runs}
            for name, runs in times.items()} | {"ratio": ratio}


# --- batch ------------------------------------------------------------------------------------


def batch_command() -> tuple[list[str] | None, str]:
    """Return the base ``phrasebook batch`` command, or None and why it cannot run."""
    py = sys.executable
    try:
        proc = subprocess.run(
            [py, "-m", "phrasebook", "batch", "--help"], capture_output=True, text=True,
            env=child_env(), timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"batch command not available ({exc})"
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        return None, "batch command not available" + (f" ({lines[-1]})" if lines else "")
    cmd = [py, "-m", "phrasebook"]
    return cmd, proc.stdout


def measure_batch(
    workdir: Path, sizes: Sequence[int], repeat: int, jobs: int | None
) -> dict[str, Any]:
    """Batch wall time and peak RSS per size, for ``phrasebook batch`` and the bare loop."""
    from phrasebook.catalog import load_catalog

    base, help_text = batch_command()
    if base is None:
        return {"available": False, "reason": help_text, "sizes": []}
    extra = ["--today", TODAY.isoformat()] if "--today" in help_text else []
    if jobs:
        extra += ["--jobs", str(jobs)]
    templates = load_catalog().templates
    results = []
    for size in sizes:
        rows = workdir / f"rows-{size}.csv"
        write_rows(rows, size)
        out = workdir / "out"
        ours = [*base, "batch", SCENARIO, str(rows), "--lang", LANG, "-o", str(out),
                "--format", "md", *extra]
        bare = [sys.executable, str(Path(__file__).resolve()), "--bare-batch", str(rows),
                str(out), "--templates", str(templates)]
        # --dry-run reads and renders every row and writes nothing: phrasebook's own work
        # without the file system's.
        commands = {"phrasebook": ours, "bare": bare, "dry_run": [*ours, "--dry-run"]}
        workers = None
        if size <= PEER_SIZE_LIMIT and not jobs:
            from phrasebook.batch import auto_jobs

            workers = auto_jobs(rows)
            # the default with one or two workers is the same run as --jobs 1 or 2: timed once
            for count in (1, 2):
                if workers != count:
                    commands[f"jobs{count}"] = [*ours, "--jobs", str(count)]
            mailmerge = peer("mailmerge")
            if mailmerge is not None:
                commands["mailmerge"] = mailmerge_command(mailmerge, workdir, size)
        runs: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, cmd in commands.items():
                shutil.rmtree(out, ignore_errors=True)
                os.sync()  # do not make this run pay for writing back the last one's files
                runs[name].append(run_once(cmd))
                written = sum(1 for _ in out.iterdir()) if out.is_dir() else 0
                if written < size and name not in ("dry_run", "mailmerge"):
                    raise SystemExit(f"{name} batch wrote {written} files for {size} rows")
        shutil.rmtree(out, ignore_errors=True)
        if workers in (1, 2):
            commands[f"jobs{workers}"] = commands["phrasebook"]
            runs[f"jobs{workers}"] = runs["phrasebook"]
        entry: dict[str, Any] = {"rows": size, "default_workers": workers}
        for name, cmd in commands.items():
            entry[name] = summarize(cmd, runs[name])
            entry[name]["rows_per_s"] = size / entry[name]["median_s"]
        entry["ratio"] = paired_ratio(runs["phrasebook"], runs["bare"])
        if "jobs1" in runs:
            entry["jobs2_vs_jobs1"] = paired_ratio(runs["jobs1"], runs["jobs2"])  # a speed-up
            entry["default_vs_jobs1_time"] = paired_ratio(runs["phrasebook"], runs["jobs1"])
        if "mailmerge" in runs:
            # rows/s of phrasebook over rows/s of mailmerge: mailmerge's time over ours
            entry["jobs1_vs_mailmerge"] = paired_ratio(runs["mailmerge"], runs["jobs1"])
            entry["default_vs_mailmerge"] = paired_ratio(runs["mailmerge"], runs["phrasebook"])
        rows.unlink()
        results.append(entry)
    summary: dict[str, Any] = {"available": True, "reason": None, "jobs": jobs, "sizes": results}
    if len(results) >= 2:
        first, prev, last = results[0], results[-2], results[-1]
        factor = last["rows"] / prev["rows"]
        for name, key in (("phrasebook", "linearity"), ("bare", "bare_linearity"),
                          ("dry_run", "dry_run_linearity")):
            summary[key] = last[name]["median_s"] / prev[name]["median_s"] / factor
        # One file per row in one directory: the file system itself slows down as the
        # directory fills, for the bare loop as much as for phrasebook. What phrasebook
        # adds is its growth beyond the bare loop's.
        summary["own_linearity"] = summary["linearity"] / summary["bare_linearity"]
        growth_mib = last["phrasebook"]["peak_rss_mib"] - first["phrasebook"]["peak_rss_mib"]
        summary["rss_growth_mib"] = round(growth_mib, 2) or 0.0
    if results:
        summary["tree_rss_mib"] = max(e["phrasebook"]["tree_rss_mib"] for e in results)
    by_rows = {e["rows"]: e for e in results}
    if 100_000 in by_rows and 1_000_000 in by_rows:
        summary["time_1m_vs_100k"] = (
            by_rows[1_000_000]["phrasebook"]["median_s"] / by_rows[100_000]["phrasebook"]["median_s"]
        )
    return summary


def measure_log(workdir: Path, repeat: int, *, quick: bool) -> dict[str, Any]:
    """``batch --log`` against the same batch without it, at :data:`LOG_ROWS` rows: what
    recording every row's promise in the ledger costs (a new ledger each run)."""
    base, help_text = batch_command()
    if base is None or "--log" not in help_text:
        return {"available": False, "reason": help_text or "batch has no --log"}
    size = QUICK_SIZES[-1] if quick else LOG_ROWS
    rows = workdir / f"log-rows-{size}.csv"
    write_rows(rows, size)
    out, data = workdir / "log-out", workdir / "log-data"
    command = [*base, "batch", SCENARIO, str(rows), "--lang", LANG, "-o", str(out), "--format", "md",
               "--today", TODAY.isoformat()]
    commands = {"plain": command, "log": [*command, "--log"]}
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(data, ignore_errors=True)
            os.sync()
            runs[name].append(run_once(cmd, env={"PHRASEBOOK_DATA_DIR": str(data)}))
    shutil.rmtree(out, ignore_errors=True)
    rows.unlink()
    result: dict[str, Any] = {"available": True, "rows": size}
    for name, cmd in commands.items():
        result[name] = summarize(cmd, runs[name])
    result["ratio"] = paired_ratio(runs["log"], runs["plain"])
    # CPU time of the whole process tree: less moved by other load on a shared machine
    result["cpu_ratio"] = statistics.median(
        r.cpu_s / b.cpu_s for r, b in zip(runs["log"], runs["plain"], strict=True)
    )
    return result


# --- report -----------------------------------------------------------------------------------


def target_values(results: dict[str, Any]) -> dict[str, float | None]:
    """Return the value of every target measured in this run (None when not measured)."""
    startup = results["startup"] or {}
    inproc = results["inprocess"] or {}
    batch = results["batch"] or {}
    sizes = batch.get("sizes") or []
    by_rows = {e["rows"]: e for e in sizes}
    at_10k, at_100k = by_rows.get(10_000, {}), by_rows.get(100_000, {})
    defaults = [e["default_vs_jobs1_time"] for e in sizes if "default_vs_jobs1_time" in e]
    return {
        "help_vs_python": startup["help"]["vs_python"] if startup else None,
        "render_vs_python": startup["render"]["vs_python"] if startup else None,
        "render_vs_jinja2_cli": startup["render"].get("vs_jinja2_cli") if startup else None,
        "inprocess_vs_bare": inproc.get("ratio"),
        "validate_vs_template": (inproc.get("validation") or {}).get("ratio"),
        "batch_vs_bare": _at_100k(sizes)["ratio"] if sizes else None,
        "jobs1_vs_mailmerge_10k": at_10k.get("jobs1_vs_mailmerge"),
        "default_vs_mailmerge_100k": at_100k.get("default_vs_mailmerge"),
        "jobs2_vs_jobs1_10k": at_10k.get("jobs2_vs_jobs1"),
        "jobs2_vs_jobs1_100k": at_100k.get("jobs2_vs_jobs1"),
        "default_vs_jobs1_time": max(defaults) if defaults else None,
        "batch_linearity": batch.get("own_linearity"),
        "batch_1m_vs_100k_time": batch.get("time_1m_vs_100k"),
        "batch_tree_rss_mib": batch.get("tree_rss_mib"),
        "batch_rss_growth_mib": batch.get("rss_growth_mib"),
        "batch_log_vs_plain_10k": (results.get("log") or {}).get("ratio"),
    }


def _at_100k(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the batch entry the throughput target is about: 100k rows, else the largest."""
    return next((e for e in sizes if e["rows"] == 100_000), sizes[-1])


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Compare each measured value with its target."""
    values = target_values(results)
    checks = []
    for name, op, limit in TARGETS:
        value = values[name]
        # A quick run is a smoke test: its tiny sizes say nothing about the targets.
        judged = value is not None and not results.get("quick")
        met = None if not judged else (value <= limit if op == "<=" else value >= limit)
        checks.append({"name": name, "value": value, "op": op, "limit": limit, "met": met})
    return checks


Row = tuple[str, str, str, str, str]
Verdict = Callable[[str], tuple[str, str]]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def table(results: dict[str, Any]) -> str:
    """Return the human-readable table."""
    startup, inproc, batch = results["startup"], results["inprocess"], results["batch"]
    checks = {c["name"]: c for c in results["targets"]}
    rows: list[Row] = []

    def verdict(name: str) -> tuple[str, str]:
        check = checks[name]
        mark = "-" if check["met"] is None else ("ok" if check["met"] else "MISS")
        return f"{check['op']} {check['limit']:g}", mark

    if startup:
        rows.extend(_startup_rows(startup, verdict))
    if inproc:
        limit, mark = verdict("inprocess_vs_bare")
        rows.append(("in-process renders/s", f"{inproc['phrasebook']['median_per_s']:,.0f}/s",
                     f"bare {inproc['bare']['median_per_s']:,.0f}/s", f"{inproc['ratio']:.2f}x",
                     f"{limit} {mark}"))
        check = inproc.get("validation")
        if check:
            limit, mark = verdict("validate_vs_template")
            rows.append(("validation of a row", f"{check['validate']['median_s_per_row'] * 1e6:.1f} us",
                         f"template {check['template']['median_s_per_row'] * 1e6:.1f} us",
                         f"{check['ratio']:.2f}x", f"{limit} {mark}"))
    if batch:
        rows.extend(_batch_rows(batch, verdict))
    log = results.get("log")
    if log and log["available"]:
        limit, mark = verdict("batch_log_vs_plain_10k")
        rows.append((f"batch {log['rows']:,} rows --log / without", f"{log['log']['median_s']:.2f} s",
                     f"without {log['plain']['median_s']:.2f} s", f"{log['ratio']:.2f}x", f"{limit} {mark}"))
        rows.append(("  CPU time --log / without", f"{log['log']['median_cpu_s']:.2f} s",
                     f"without {log['plain']['median_cpu_s']:.2f} s", f"{log['cpu_ratio']:.2f}x", ""))
    header = ("measure", "value", "baseline / memory", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if batch and not batch["available"]:
        lines.append(f"batch: skipped, {batch['reason']}")
    if results.get("quick"):
        lines.append("quick run: a smoke test; the targets are judged only in a full run")
    return "\n".join(lines)


def _startup_rows(startup: dict[str, Any], verdict: Verdict) -> list[Row]:
    base = startup["python"]["median_s"]
    rows: list[Row] = [("python -c pass", _ms(base), "", "1.00x", "")]
    rows.append(("python -c 'import jinja2'", _ms(startup["python_jinja2"]["median_s"]), "",
                 f"{startup['python_jinja2']['vs_python']:.2f}x", ""))
    if "python_floor" in startup:
        rows.append(("python -c 'import click, jinja2, yaml, babel'",
                     _ms(startup["python_floor"]["median_s"]), "",
                     f"{startup['python_floor']['vs_python']:.2f}x", ""))
    for key, label, target in (
        ("help", "phrasebook --help", "help_vs_python"),
        ("help_m", "python -m phrasebook --help", None),
        ("help_installed", "installed phrasebook --help", None),
        ("render", f"phrasebook render {SCENARIO}", "render_vs_python"),
        ("render_m", f"python -m phrasebook render {SCENARIO}", None),
        ("render_installed", f"installed phrasebook render {SCENARIO}", None),
        ("jinja2_cli", "jinja2-cli, same template, Babel filters", None),
    ):
        if key in startup:
            entry = startup[key]
            limit, mark = verdict(target) if target else ("", "")
            rows.append((label, _ms(entry["median_s"]), f"{entry['peak_rss_mib']:.0f} MiB",
                         f"{entry['vs_python']:.2f}x", f"{limit} {mark}".strip()))
    if "vs_jinja2_cli" in startup["render"]:
        limit, mark = verdict("render_vs_jinja2_cli")
        rows.append((f"  render {SCENARIO} / jinja2-cli", "", "",
                     f"{startup['render']['vs_jinja2_cli']:.2f}x", f"{limit} {mark}"))
        if "vs_jinja2_cli" in startup.get("python_floor", {}):
            rows.append(("  those imports alone / jinja2-cli", "", "",
                         f"{startup['python_floor']['vs_jinja2_cli']:.2f}x", ""))
    return rows


def _batch_rows(batch: dict[str, Any], verdict: Verdict) -> list[Row]:
    rows: list[Row] = []
    for entry in batch["sizes"]:
        ours, bare = entry["phrasebook"], entry["bare"]
        target = entry is _at_100k(batch["sizes"])
        limit, mark = verdict("batch_vs_bare") if target else ("", "")
        rows.append((f"batch {entry['rows']:,} rows", f"{ours['rows_per_s']:,.0f} rows/s",
                     f"bare {bare['rows_per_s']:,.0f} rows/s", f"{entry['ratio']:.2f}x",
                     f"{limit} {mark}".strip()))
        rows.append(("  time, peak RSS (all processes)", f"{ours['median_s']:.2f} s",
                     f"{ours['peak_rss_mib']:.0f} MiB ({ours['tree_rss_mib']:.0f}; "
                     f"bare {bare['peak_rss_mib']:.0f})", "", ""))
        rows.extend(_variant_rows(entry, verdict))
    if "linearity" in batch:
        rows.append(("batch time growth / row growth", "",
                     f"bare {batch['bare_linearity']:.3f}", f"{batch['linearity']:.3f}", ""))
        limit, mark = verdict("batch_linearity")
        rows.append(("  growth beyond the bare loop's", "", "",
                     f"{batch['own_linearity']:.3f}", f"{limit} {mark}"))
        rows.append(("  --dry-run (no files written)", "", "",
                     f"{batch['dry_run_linearity']:.3f}", ""))
        limit, mark = verdict("batch_rss_growth_mib")
        rows.append(("batch peak RSS growth", f"{batch['rss_growth_mib']:+.1f} MiB", "", "",
                     f"{limit} {mark}"))
    if "time_1m_vs_100k" in batch:
        limit, mark = verdict("batch_1m_vs_100k_time")
        rows.append(("batch time 1M rows / 100k rows", "", "", f"{batch['time_1m_vs_100k']:.2f}x",
                     f"{limit} {mark}"))
    if "tree_rss_mib" in batch:
        limit, mark = verdict("batch_tree_rss_mib")
        rows.append(("batch peak RSS, all processes", f"{batch['tree_rss_mib']:.0f} MiB", "", "",
                     f"{limit} {mark}"))
    if any("default_vs_jobs1_time" in e for e in batch["sizes"]):
        limit, mark = verdict("default_vs_jobs1_time")
        worst = max(e["default_vs_jobs1_time"] for e in batch["sizes"] if "default_vs_jobs1_time" in e)
        rows.append(("batch time, default / --jobs 1 (worst size)", "", "", f"{worst:.2f}x",
                     f"{limit} {mark}"))
    return rows


def _variant_rows(entry: dict[str, Any], verdict: Verdict) -> list[Row]:
    """--jobs 1, --jobs 2 and mailmerge at one size, with the targets measured there."""
    rows: list[Row] = []
    size = entry["rows"]
    if "jobs1" not in entry:
        return rows
    rows.append((f"  default workers: {entry['default_workers']}",
                 f"{entry['phrasebook']['rows_per_s']:,.0f} rows/s", "", "", ""))
    target = {10_000: "jobs2_vs_jobs1_10k", 100_000: "jobs2_vs_jobs1_100k"}.get(size)
    limit, mark = verdict(target) if target else ("", "")
    rows.append(("  --jobs 2 / --jobs 1 (speed-up)", f"{entry['jobs2']['rows_per_s']:,.0f} rows/s",
                 f"--jobs 1 {entry['jobs1']['rows_per_s']:,.0f} rows/s",
                 f"{entry['jobs2_vs_jobs1']:.2f}x", f"{limit} {mark}".strip()))
    if "mailmerge" in entry:
        mm = f"mailmerge {entry['mailmerge']['rows_per_s']:,.0f} rows/s"
        limit, mark = verdict("jobs1_vs_mailmerge_10k") if size == 10_000 else ("", "")
        rows.append(("  --jobs 1 / mailmerge --dry-run", "", mm,
                     f"{entry['jobs1_vs_mailmerge']:.2f}x", f"{limit} {mark}".strip()))
        limit, mark = verdict("default_vs_mailmerge_100k") if size == 100_000 else ("", "")
        rows.append(("  default / mailmerge --dry-run", "", "",
                     f"{entry['default_vs_mailmerge']:.2f}x", f"{limit} {mark}".strip()))
    return rows


# --- command line -----------------------------------------------------------------------------


def parse_sizes(text: str) -> tuple[int, ...]:
    """Parse ``1k,10k,100000,1M`` into row counts."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        number = part[:-1] if factor > 1 else part
        try:
            value = int(float(number) * factor)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not a row count such as 10k") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{part!r}: a size must be at least 1 row")
        sizes.append(value)
    return tuple(sizes)


def parse_parts(text: str) -> tuple[str, ...]:
    """Parse ``startup,batch`` into known part names."""
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"expected some of: {', '.join(PARTS)}")
    return parts


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure phrasebook's start-up, rendering and batch speed as ratios "
        "to bare-Python baselines.",
    )
    parser.add_argument("--quick", action="store_true",
                        help="one-second smoke: tiny sizes, one repetition, no warm-up")
    default_json = ROOT / "benchmarks" / "results" / "latest.json"
    parser.add_argument("--json", type=Path, default=default_json,
                        metavar="PATH", help="where to write the results (default: %(default)s)")
    parser.add_argument("--sizes", type=parse_sizes, default=None, metavar="N,N,...",
                        help="batch sizes in rows, e.g. 1k,10k,100k,1M (default: 1k,10k,100k)")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="repetitions per timing; the median is reported (default: 9)")
    parser.add_argument("--batch-repeat", type=int, default=None, metavar="N",
                        help="repetitions per batch size (default: 3)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="pass --jobs N to phrasebook batch")
    parser.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                        help="where the batch CSV and output files go (default: the system's "
                        "temporary directory); its file system's cost per file counts for both "
                        "phrasebook and the bare loop")
    parser.add_argument("--only", type=parse_parts, default=None, metavar="PART,...",
                        help="measure only these parts: startup, inprocess, batch, log (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="(what a full run always does) exit with status 1 when a measured "
                        "target is missed")
    parser.add_argument("--bare-batch", nargs=2, type=Path, metavar=("CSV", "OUTDIR"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--templates", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.batch_repeat is not None and args.batch_repeat < 1:
        parser.error("--batch-repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.bare_batch:
        bare_batch(*args.bare_batch, templates=args.templates)
        return 0
    repeat = args.repeat or (1 if args.quick else 9)
    batch_repeat = args.batch_repeat or (1 if args.quick else 3)
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    parts = args.only or PARTS
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="phrasebook-bench-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        results: dict[str, Any] = {
            "schema": SCHEMA,
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "quick": args.quick,
            "repeat": repeat,
            "batch_repeat": batch_repeat,
            "scenario": SCENARIO,
            "lang": LANG,
            "workdir": str(workdir),
            "load_average_before": list(os.getloadavg()),
            "peers": {name: peer(name) for name in ("mailmerge", "jinja2")},
        }
        results["startup"] = (
            measure_startup(workdir, repeat, quick=args.quick) if "startup" in parts else None
        )
        results["inprocess"] = (
            measure_inprocess(50 if args.quick else 2000, repeat) if "inprocess" in parts else None
        )
        results["batch"] = (
            measure_batch(workdir, sizes, batch_repeat, args.jobs) if "batch" in parts else None
        )
        results["log"] = measure_log(workdir, batch_repeat, quick=args.quick) if "log" in parts else None
    results["targets"] = evaluate(results)
    results["elapsed_s"] = time.perf_counter() - started
    results["load_average_after"] = list(os.getloadavg())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    loads = " / ".join(
        ", ".join(f"{x:.2f}" for x in results[key]) for key in ("load_average_before", "load_average_after")
    )
    print(f"\n{results['elapsed_s']:.1f} s; load averages before / after: {loads}; "
          f"results written to {args.json}")
    missed = [c["name"] for c in results["targets"] if c["met"] is False]
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
