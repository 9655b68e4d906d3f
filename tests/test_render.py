"""Rendering failures name the template and never leak a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY

import phrasebook
from phrasebook.catalog import Catalog
from phrasebook.errors import TemplateFailure

SPEC = """
title: {de: Demo, en: Demo}
summary: {de: Demo, en: Demo}
kind: document
params:
  items:
    type: list
    required: false
    help: {de: Liste, en: list}
"""


def build(tmp_path: Path, template: str) -> Catalog:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "demo.yaml").write_text(SPEC, encoding="utf-8")
    for lang in ("de", "en"):
        folder = tmp_path / "templates" / lang
        folder.mkdir(parents=True)
        (folder / "demo.jinja").write_text(template, encoding="utf-8")
    return Catalog(specs=tmp_path / "scenarios", templates=tmp_path / "templates")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% set subject_line = 'T' %}{{ items | length }}", "TypeError: object of type 'NoneType' has no len()"),
        ("{% set subject_line = 'T' %}{{ nothing }}", "'nothing' is undefined"),
        ("{% set subject_line = 'T' %}{{ items }}", "a value is missing: the template tried to print None"),
        ("{% set subject_line = 'T' %}{{ ''.__class__.__mro__ }}", "refused by the sandbox"),
        ("{{ 1 }}", "the template sets no subject_line"),
        ("{% if %}", "Expected an expression"),
    ],
)
def test_template_failures_name_the_template(tmp_path: Path, template: str, message: str) -> None:
    catalog = build(tmp_path, template)
    with pytest.raises(TemplateFailure) as exc:
        phrasebook.render("demo", "de", {}, today=TODAY, fmt="md", catalog=catalog)
    assert re.match(r"templates/de/demo\.jinja(:\d+)?: ", str(exc.value))
    assert message in str(exc.value)


def test_a_document_pickles_with_its_calendar_entries() -> None:
    import pickle

    params = {"recipient.last_name": "Weber", "recipient.gender": "male", "sender.name": "Anna",
              "deliverable": "den Entwurf", "deadline": "2026-12-02"}
    document = phrasebook.render("deadline-offer", "de", params, today=TODAY)
    copy = pickle.loads(pickle.dumps(document))
    assert copy.text == document.text
    assert copy.events == document.events and len(copy.events) == 1


def test_today_may_be_given_as_a_datetime() -> None:
    import datetime as dt

    from phrasebook.errors import InvalidParams

    params = {"recipient.last_name": "Weber", "recipient.gender": "male", "sender.name": "Anna",
              "invoice_number": "1", "amount": "100", "invoice_date": "2026-11-01",
              "due_date": "2026-11-30"}
    with pytest.raises(InvalidParams, match="due_date: 2026-11-30 is in the future"):
        phrasebook.render("payment-reminder", "de", params, today=dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC))


def test_a_record_inside_a_printed_value_prints_as_itself() -> None:
    from phrasebook.errors import TemplateFailure
    from phrasebook.planning import Buffer
    from phrasebook.templating import refuse_undefined

    refuse_undefined([Buffer("2", days=2)])  # its percent is None, and that is its own business
    with pytest.raises(TemplateFailure, match="tried to print None"):
        refuse_undefined([("a", None)])


def test_problems_the_checks_find_are_reported_with_the_others() -> None:
    from samples import example

    from phrasebook.errors import InvalidParams

    params = example("deadline-offer", "de")
    params.update(deadline="2026-11-02", sender={**params["sender"], "email": "bad"})
    with pytest.raises(InvalidParams) as exc:
        phrasebook.render("deadline-offer", "de", params, today=TODAY)
    assert list(exc.value.problems) == [
        "sender.email: 'bad' expected an email address such as name@example.com",
        "deadline: 2026-11-02 is in the past (today is 2026-11-24)",
    ]
    # a parameter the validation already named is not named twice
    params = {**example("payment-reminder", "de"), "new_due_date": "29.11.2026x", "region": "XX"}
    with pytest.raises(InvalidParams) as exc:
        phrasebook.render("payment-reminder", "de", params, today=TODAY)
    assert [p.partition(":")[0] for p in exc.value.problems] == ["new_due_date", "region"]
