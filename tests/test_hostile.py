"""Hostile or odd text: missing values and objects in pack templates, odd files in packs,
Markdown citations and entities, catastrophic lint rules, UTF-16 drafts, `-o`/`--ics`
mistakes, private files, and dates on regional holidays."""

from __future__ import annotations

import decimal
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batchkit import PACK_SPEC, invoice_pack
from conftest import TODAY

import phrasebook
from phrasebook.catalog import Pack, catalog_with_packs
from phrasebook.cli import cli
from phrasebook.errors import TemplateFailure

ROOT = Path(__file__).resolve().parent.parent
TODAY_ARG = ["--today", TODAY.isoformat()]
INVOICE = {
    "recipient": {"last_name": "Müller", "gender": "female"},
    "sender": {"name": "Anna Schäfer"},
    "amount": decimal.Decimal("1234.5"),
}
#: The invoice pack's spec with optional parameters that may be left out.
OPTIONAL_SPEC = PACK_SPEC + """\
  note:
    type: str
    required: false
    help:
      de: Notiz
      en: Note
  items:
    type: list
    required: false
    help:
      de: Posten
      en: Items
  paid_on:
    type: date
    required: false
    help:
      de: Bezahlt am
      en: Paid on
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


def body(expression: str) -> str:
    return (
        '{% extends "_letter.jinja" %}\n{% set subject_line %}Betreff{% endset %}\n'
        "{% block body %}\n" + expression + "\n{% endblock %}\n"
    )


def render_pack(pack: Path, params: dict | None = None, fmt: str = "text") -> phrasebook.Document:
    catalog = catalog_with_packs([pack.relative_to(Path.cwd())], user_packs=False)
    return phrasebook.render("invoice-reminder", "de", params or INVOICE, today=TODAY, fmt=fmt,
                             catalog=catalog)


def fails(tmp_path: Path, expression: str, params: dict | None = None) -> str:
    pack = invoice_pack(tmp_path / "pack", de=body(expression), spec=OPTIONAL_SPEC)
    with pytest.raises(TemplateFailure) as caught:
        render_pack(pack, params)
    return str(caught.value)


# --- missing values and objects in pack templates -------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "{{ note|string }}", "{{ note|e }}", "{{ note|title }}", "{{ note|pprint }}",
        "{{ note|upper }}", "{{ '%s'|format(note) }}", "{{ [note, 'x']|join(', ') }}",
        "{{ note|join(', ') }}", "{{ items|listing }}", "{{ ['a', note]|listing }}",
        "{{ paid_on|mid_sentence }}", "{{ paid_on|date('long') }}", "{{ note|escape|string }}",
        "{{ {'a': note}|pprint }}",
    ],
)
def test_none_through_a_filter_is_a_missing_value(tmp_path, expression):
    message = fails(tmp_path, expression)
    assert "a value is missing" in message, message
    assert "invoice-reminder.jinja:4" in message


def test_default_may_replace_a_missing_value(tmp_path):
    pack = invoice_pack(tmp_path / "pack", de=body("[{{ note|default('keine Notiz', true) }}]"),
                        spec=OPTIONAL_SPEC)
    assert "[keine Notiz]" in render_pack(pack).body


def test_an_undefined_variable_through_a_filter_names_the_variable(tmp_path):
    pack = invoice_pack(tmp_path / "pack", de=body("{{ notiz|upper }}"), spec=OPTIONAL_SPEC)
    catalog = catalog_with_packs([pack.relative_to(Path.cwd())], user_packs=False)
    with pytest.raises(TemplateFailure, match="'notiz' is undefined"):
        phrasebook.render("invoice-reminder", "de", INVOICE, today=TODAY, catalog=catalog)


@pytest.mark.parametrize(
    "expression",
    [
        "{{ range }}", "{{ recipient|attr('items') }}", "{{ range|string }}", "{{ range(3) }}",
        "{{ recipient.items }}", "{{ [range] }}", "{{ (recipient|attr('keys'))|e }}",
        "{{ loop }}", "{{ dict }}", "{{ ['a', 'b']|map('upper') }}", "{{ namespace() }}",
    ],
)
def test_objects_are_never_printed_as_their_python_repr(tmp_path, expression):
    message = fails(tmp_path, expression)
    assert "object" in message or "undefined" in message, message
    assert "<" not in message.partition(": ")[2].partition("object")[0]


def test_plain_values_still_print(tmp_path):
    pack = invoice_pack(
        tmp_path / "pack",
        de=body("{{ amount|money }} {{ ['a', 'b']|join('+') }} {{ ['a', 'b']|map('upper')|join }} "
                "{{ range(3)|list|join }} {{ recipient.last_name|upper }} {{ [1, 2] }}"),
        spec=OPTIONAL_SPEC,
    )
    assert "1.234,50\xa0€ a+b AB 012 MÜLLER [1, 2]" in render_pack(pack).body


def test_templates_see_the_plan_as_plain_data():
    from phrasebook.catalog import load_catalog
    from phrasebook.l10n import resolve_language
    from phrasebook.render import _prepare
    from phrasebook.sandbox import _PLAIN

    spec = load_catalog().scenario("deadline-offer")
    values = {"recipient": {"gender": "female", "last_name": "M"}, "sender": {"name": "A"},
              "deliverable": "x", "effort_days": "5", "region": "DE-BY"}
    context = _prepare(spec, resolve_language("de"), values, TODAY, "md", None).context
    plan = context["plan"]
    assert isinstance(plan, dict)
    document = phrasebook.render("deadline-offer", "de", values, today=TODAY)
    assert plan["promised"] == document.plan.promised and plan["fallback"] == document.plan.fallback
    assert plan["concede_days"] == document.plan.concede_days and plan["region"]["code"] == "DE-BY"
    stack = [plan]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            assert item is None or isinstance(item, (*_PLAIN, bool)), type(item)
    assert "debrief_slots" not in plan and "holiday" not in plan["calendar"]
    # the library user still gets the planner's own object
    assert callable(document.plan.debrief_slots)


# --- odd files in packs -------------------------------------------------------------------------


def _fifo_pack(tmp_path: Path) -> Path:
    pack = invoice_pack(tmp_path / "pack")
    os.mkfifo(pack / "scenarios" / "hang.yaml")
    os.mkfifo(pack / "templates" / "de" / "hang.jinja")
    (pack / "examples").mkdir()
    os.mkfifo(pack / "examples" / "invoice-reminder.de.yaml")
    return pack


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_fifos_in_a_pack_are_skipped_with_a_warning_not_read(tmp_path):
    _fifo_pack(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PHRASEBOOK_LANG="en",
               PHRASEBOOK_CONFIG_DIR=str(tmp_path / "config"))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "phrasebook", "--pack", "pack", "list", "--lang", "en"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 0, result.stderr
    assert "invoice-reminder" in result.stdout and "hang" not in result.stdout
    assert "Warning: pack/scenarios/hang.yaml: not a regular file (a FIFO, socket or device); skipped\n" in (
        result.stderr
    )
    assert "pack/templates/de/hang.jinja" in result.stderr
    assert Pack(tmp_path / "pack").example_path("invoice-reminder", "de") is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_check_lists_the_skipped_entries(runner, tmp_path):
    _fifo_pack(tmp_path)
    result = runner.invoke(cli, ["check", "pack", *TODAY_ARG])
    assert "warn  pack/scenarios/hang.yaml: not a regular file" in result.output


def test_a_spec_that_is_a_fifo_is_refused_not_read(tmp_path):
    from phrasebook.catalog import load_pack_yaml
    from phrasebook.errors import SpecError

    os.mkfifo(tmp_path / "x.yaml")
    with pytest.raises(SpecError, match="not a regular file"):
        load_pack_yaml(tmp_path / "x.yaml")


def test_oversized_templates_are_refused(tmp_path):
    from phrasebook.sandbox import TEMPLATE_LIMIT

    huge = body("{# " + "x" * TEMPLATE_LIMIT + " #}")
    pack = invoice_pack(tmp_path / "pack", de=huge)
    with pytest.raises(TemplateFailure, match="templates are limited to"):
        render_pack(pack)


def test_control_characters_in_pack_titles_and_help_never_reach_the_terminal(runner, tmp_path):
    spec = PACK_SPEC.replace(
        "de: Rechnung erinnern", 'de: "Rechnung\\e]0;pwned\\a erinnern\\x9b2J"'
    ).replace("de: Offener Betrag", 'de: "Offener \\e[31mBetrag"')
    invoice_pack(tmp_path / "pack", spec=spec)
    for args in (["list", "--lang", "de"], ["show", "invoice-reminder", "--lang", "de"],
                 ["render", "invoice-reminder", "--help"]):
        result = runner.invoke(cli, ["--pack", "pack", *args], env={"PHRASEBOOK_LANG": "de"})
        assert result.exit_code == 0, result.output
        assert not [c for c in result.output if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F]
    shown = runner.invoke(cli, ["--pack", "pack", "show", "invoice-reminder", "--lang", "de"]).output
    assert "Rechnung\\x1b]0;pwned\\x07 erinnern\\x9b2J" in shown
    assert "Offener \\x1b[31mBetrag" in shown


# --- Markdown output ----------------------------------------------------------------------------


def test_markdown_escapes_entities_and_citations_in_user_values(tmp_path):
    values = phrasebook.render(
        "deadline-offer", "de",
        {"recipient": {"gender": "female", "last_name": "Müller &amp; Co &#60;b&#62;"},
         "sender": {"name": "Anna"}, "deliverable": "das Konzept für @doe99 und [@key]",
         "deadline": "2026-12-02"},
        today=TODAY, fmt="md",
    ).text
    assert "Müller \\&amp; Co \\&#60;b\\&#62;" in values
    assert "für \\@doe99 und \\[\\@key\\]" in values
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    native = subprocess.run(["pandoc", "-f", "markdown", "-t", "native"], input=values,
                            capture_output=True, text=True, check=True).stdout
    assert "Cite" not in native and "RawInline" not in native
    assert '"&amp;"' in native and '"&#60;b&#62;,"' in native and '"@doe99"' in native


# --- lint ---------------------------------------------------------------------------------------

CATASTROPHIC = """\
rules:
  - id: backtrack
    severity: warning
    message: Zu viele a.
    suggestions: [weniger]
    regex: '(a+)+$'
"""


def test_a_catastrophic_user_regex_is_stopped_and_named(tmp_path):
    (tmp_path / "rules.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    (tmp_path / "long.txt").write_text("a" * 5000 + "!\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PHRASEBOOK_LANG="en")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "phrasebook", "lint", "--rules", "rules.yaml", "long.txt"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert time.monotonic() - started < 20
    assert result.returncode == 2
    assert "rules.yaml: rule 'backtrack' was stopped after 2 s" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_harmless_user_regex_still_finds_its_matches(runner, tmp_path):
    (tmp_path / "rules.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    (tmp_path / "short.txt").write_text("Ja aaa\n", encoding="utf-8")
    result = runner.invoke(cli, ["lint", "--rules", "rules.yaml", "short.txt"])
    assert result.exit_code == 0
    assert "short.txt:1:4 backtrack Zu viele a. → weniger" in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_lint_reads_utf16_with_or_without_bom(runner, tmp_path, encoding):
    (tmp_path / "draft.txt").write_bytes("Ich melde mich zeitnah bei Ihnen.\n".encode(encoding))
    result = runner.invoke(cli, ["lint", "draft.txt"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("draft.txt:1:16 zeitnah ")
    piped = runner.invoke(cli, ["lint", "-"], input="Ich melde mich zeitnah.\n".encode(encoding))
    assert piped.output.startswith("<stdin>:1:16 zeitnah ")


def test_broken_utf16_is_refused_clearly(runner, tmp_path):
    (tmp_path / "draft.txt").write_bytes(b"\xff\xfeH\x00i\x00\x00\xd8")  # a lone surrogate at the end
    result = runner.invoke(cli, ["lint", "draft.txt"])
    assert result.exit_code == 2
    assert "draft.txt: looks like UTF-16, but byte 6 cannot be read as UTF-16" in result.stderr


def test_lint_input_has_a_size_limit(runner, tmp_path, monkeypatch):
    import phrasebook.lintinput

    monkeypatch.setattr(phrasebook.lintinput, "MAX_LINT_BYTES", 100)
    (tmp_path / "big.txt").write_text("x" * 101, encoding="utf-8")
    result = runner.invoke(cli, ["lint", "big.txt"])
    assert result.exit_code == 2
    assert "big.txt: file is 101 bytes; texts to lint are limited to 100" in result.stderr
    piped = runner.invoke(cli, ["lint", "-"], input="y" * 101)
    assert piped.exit_code == 2
    assert "<stdin>: more than 100 bytes; texts to lint are limited to 100" in piped.stderr


# --- render -o and --ics ------------------------------------------------------------------------

RENDER = ["render", "callback-promise", "--example", "--lang", "de", *TODAY_ARG]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", ""], "Error: -o: the file name is empty"),
        (["-o", " "], "Error: -o: the file name is empty"),
        (["--ics", ""], "Error: --ics: the file name is empty"),
        (["--ics", "x.ics", "-o", "x.ics"], "Error: --ics: x.ics is also the -o file"),
        (["--ics", "x.ics", "-o", "./sub/../x.ics"], "Error: --ics: x.ics is also the -o file"),
    ],
)
def test_impossible_output_targets_are_refused(runner, tmp_path, args, message):
    (tmp_path / "sub").mkdir()
    result = runner.invoke(cli, [*RENDER, *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "x.ics").exists()


def test_the_calendar_is_not_written_when_the_letter_is_not(runner, tmp_path):
    (tmp_path / "letter.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, [*RENDER, "-o", "letter.txt", "--ics", "cal.ics"])
    assert result.exit_code == 1
    assert "letter.txt already exists" in result.stderr
    assert not (tmp_path / "cal.ics").exists()
    missing_dir = runner.invoke(cli, [*RENDER, "-o", "nowhere/letter.txt", "--ics", "cal.ics"])
    assert missing_dir.exit_code == 1
    assert not (tmp_path / "cal.ics").exists()
    (tmp_path / "cal.ics").write_text("old", encoding="utf-8")
    existing = runner.invoke(cli, [*RENDER, "-o", "new.txt", "--ics", "cal.ics"])
    assert existing.exit_code == 1 and "cal.ics already exists" in existing.stderr
    assert not (tmp_path / "new.txt").exists()


def test_render_output_is_private_and_force_keeps_the_mode(runner, tmp_path):
    old = os.umask(0o022)
    try:
        assert runner.invoke(cli, [*RENDER, "-o", "letter.txt", "--ics", "cal.ics"]).exit_code == 0
        assert (tmp_path / "letter.txt").stat().st_mode & 0o777 == 0o600
        (tmp_path / "letter.txt").chmod(0o640)
        (tmp_path / "letter.txt").write_text("old", encoding="utf-8")
        forced = runner.invoke(cli, [*RENDER, "-o", "letter.txt", "--force"])
        assert forced.exit_code == 0
        assert (tmp_path / "letter.txt").stat().st_mode & 0o777 == 0o640
        assert (tmp_path / "letter.txt").read_text("utf-8") != "old"
    finally:
        os.umask(old)


# --- dates on regional holidays -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_date_on_a_regional_holiday_without_region_gets_a_hint(runner, lang):
    args = ["render", "deadline-offer", "--example", "--lang", lang, "--today", "2026-05-20",
            "--set", "deadline=2026-06-04"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Note: deadline: 2026-06-04 is a public holiday in some German states: Corpus Christi "
        "(DE-BW, DE-BY, DE-HE, DE-NW, DE-RP, DE-SL). Only the nationwide holidays were checked; "
        "give the client's state as region, e.g. region=DE-BW\n"
    )
    german = runner.invoke(cli, args, env={"PHRASEBOOK_LANG": "de"})
    assert german.stderr.startswith(
        "Hinweis: deadline: 2026-06-04 ist in einigen Bundesländern ein Feiertag: Fronleichnam (DE-BW, "
    )
    explicit = runner.invoke(cli, [*args, "--set", "region=DE"])
    assert explicit.stderr == result.stderr  # DE checks the nationwide holidays only, too
    with_state = runner.invoke(cli, [*args, "--set", "region=DE-BE"])
    assert with_state.exit_code == 0 and with_state.stderr == ""
    in_that_state = runner.invoke(cli, [*args, "--set", "region=DE-BY"])
    assert in_that_state.exit_code == 2 and "Fronleichnam" in in_that_state.stderr


def test_an_ordinary_working_day_gets_no_hint(runner):
    args = ["render", "deadline-offer", "--example", "--lang", "en", *TODAY_ARG]
    assert runner.invoke(cli, args).stderr == ""


def test_the_payment_reminder_date_gets_the_hint_too(runner):
    result = runner.invoke(
        cli, ["render", "payment-reminder", "--example", "--lang", "en", "--today", "2026-10-20",
              "--set", "new_due_date=2026-10-30", "--set", "invoice_date=2026-09-01",
              "--set", "due_date=2026-10-01"],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    reformation = runner.invoke(
        cli, ["render", "payment-reminder", "--example", "--lang", "en", "--today", "2026-10-20",
              "--set", "new_due_date=2026-11-18", "--set", "invoice_date=2026-09-01",
              "--set", "due_date=2026-10-01"],
    )
    assert reformation.exit_code == 0, reformation.stderr
    assert "Note: new_due_date: 2026-11-18 is a public holiday in some German states: " in reformation.stderr
    assert "(DE-SN)" in reformation.stderr
