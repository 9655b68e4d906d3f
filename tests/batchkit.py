"""Builders for batch, profile and pack tests: rows files, pack trees, directory snapshots."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

#: One good row for deadline-offer, by column.
GOOD: dict[str, str] = {
    "recipient.last_name": "Müller",
    "recipient.first_name": "Katrin",
    "recipient.gender": "female",
    "recipient.email": "k.mueller@example.de",
    "sender.name": "Anna Schäfer",
    "deliverable": "das Konzept",
    "deadline": "2026-12-02",
}
COLUMNS = list(GOOD)


def row(**changes: str) -> dict[str, str]:
    """Return GOOD with some columns changed (use the dotted names with '__' for '.')."""
    values = dict(GOOD)
    for key, value in changes.items():
        values[key.replace("__", ".")] = value
    return values


def csv_text(
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    *,
    columns: Sequence[str] = COLUMNS,
    delimiter: str = ",",
    newline: str = "\r\n",
) -> str:
    """Return CSV text with a header; a row may be a mapping or a raw list of cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    for item in rows:
        if isinstance(item, Mapping):
            writer.writerow([item.get(c, "") for c in columns])
        else:
            writer.writerow(list(item))
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    **options: object,
) -> Path:
    """Write a CSV file (see :func:`csv_text`) in the given encoding."""
    data = csv_text(rows, **options).encode(encoding)  # type: ignore[arg-type]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def build_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Create files (relative path → text) under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path, skip: Path | None = None) -> dict[str, object]:
    """Every entry under ``root`` (except ``skip``): file bytes, link targets, directories."""
    state: dict[str, object] = {}
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(directory)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = here / name
            if skip is not None and path == skip:
                continue
            rel = str(path.relative_to(root))
            if path.is_symlink():
                state[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                state[rel] = ("dir",)
            else:
                state[rel] = ("file", path.read_bytes())
    return state


PACK_SPEC = """\
title:
  de: Rechnung erinnern
  en: Invoice reminder
summary:
  de: Freundlich an eine offene Rechnung erinnern.
  en: A friendly reminder of an open invoice.
kind: letter
params:
  amount:
    type: decimal
    help:
      de: Offener Betrag
      en: Amount due
"""

PACK_DE = """\
{% extends "_letter.jinja" %}
{% set subject_line %}Offener Betrag: {{ amount | money }}{% endset %}
{% block body %}
{% if formal %}ich erinnere Sie{% else %}ich erinnere dich{% endif %} an den offenen Betrag von {{ amount | money }}.
{% endblock %}
"""

PACK_EN = """\
{% extends "_letter.jinja" %}
{% set subject_line %}Amount due: {{ amount | money }}{% endset %}
{% block body %}
This is a reminder of the amount due: {{ amount | money }}.
{% endblock %}
"""


def invoice_pack(
    root: Path, *, de: str = PACK_DE, en: str = PACK_EN, spec: str = PACK_SPEC
) -> Path:
    """A small pack with one scenario, ``invoice-reminder``, that has an amount."""
    return build_tree(
        root,
        {
            "scenarios/invoice-reminder.yaml": spec,
            "templates/de/invoice-reminder.jinja": de,
            "templates/en/invoice-reminder.jinja": en,
        },
    )


def pack_batch(runner: Any, *extra: str) -> Any:
    """Run ``phrasebook batch invoice-reminder rows.csv --lang de -o out --pack pack``."""
    from conftest import TODAY

    from phrasebook.cli import cli

    args = ["batch", "invoice-reminder", "rows.csv", "--lang", "de", "-o", "out", "--pack", "pack"]
    return runner.invoke(cli, [*args, *extra, "--today", TODAY.isoformat()])
