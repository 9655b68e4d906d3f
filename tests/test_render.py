"""Rendering failures name the template and never leak a traceback."""

from __future__ import annotations

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
    assert str(exc.value).startswith("templates/de/demo.jinja: ")
    assert message in str(exc.value)
