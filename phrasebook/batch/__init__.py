"""Batch runs: one document per row of a CSV, YAML or JSON Lines file.

:func:`run_batch` checks everything that concerns all rows once (scenario,
format, templates, the CSV header, shared values, the output directory), then
streams the rows: each is layered, validated, rendered and written on its own, so
a bad row is reported and the others are still written. Memory stays flat however
many rows there are: rows are read one at a time, the report is written as the
run goes, and output names are tracked in a fixed-size filter.

The parts: :mod:`~phrasebook.batch.rows` reads the rows file,
:mod:`~phrasebook.batch.naming` names the documents, :mod:`~phrasebook.batch.report`
keeps the report, :mod:`~phrasebook.batch.preflight` checks what concerns every row,
and :mod:`~phrasebook.batch.runner` runs it all. Documents and reports are written
with :meth:`phrasebook.output.OutputDirectory.publish` (atomic, never over an existing
file without ``force``).
"""

from __future__ import annotations

from .naming import EXTENSIONS, NameRegistry, recipient_label, slugify
from .report import BatchSummary, RowResult, formula_safe, one_line
from .rows import Row, RowsFileError, open_rows
from .runner import BatchInterrupted, auto_jobs, run_batch

__all__ = [
    "EXTENSIONS",
    "BatchInterrupted",
    "BatchSummary",
    "NameRegistry",
    "Row",
    "RowResult",
    "RowsFileError",
    "auto_jobs",
    "formula_safe",
    "one_line",
    "open_rows",
    "recipient_label",
    "run_batch",
    "slugify",
]
