"""Every shipped template lints clean, in every language, variant and format."""

from __future__ import annotations

import pytest
from conftest import TODAY
from samples import CATALOG, LANGS, SCENARIOS, VARIANTS, variants

import phrasebook
from phrasebook.cli import cli
from phrasebook.lint import format_finding, lint_text


def _cases():
    for name in SCENARIOS:
        for lang in LANGS:
            for label, params in variants(name, lang):
                yield pytest.param(name, lang, params, id=f"{name}-{lang}-{label}")


@pytest.mark.parametrize(("name", "lang", "params"), list(_cases()))
def test_shipped_texts_lint_clean(name: str, lang: str, params: dict) -> None:
    for fmt in CATALOG.scenario(name).formats:
        doc = phrasebook.render(name, lang, params, today=TODAY, fmt=fmt)
        if fmt == "eml":
            text, markdown = f"{doc.subject}\n\n{doc.body}", False
        else:
            text, markdown = doc.text, fmt == "md"
        findings = lint_text(text, lang, markdown=markdown)
        assert [format_finding(fmt, f) for f in findings] == []


@pytest.mark.parametrize("lang", [*LANGS, *VARIANTS])
@pytest.mark.parametrize("name", SCENARIOS)
def test_the_shipped_example_renders_today_and_lints_clean(name: str, lang: str, runner, tmp_path) -> None:
    """The example a user starts from, on the real today (its dates are relative), through the
    command line, and the text it writes passes `lint` in the same language."""
    letter = tmp_path / "letter.txt"
    rendered = runner.invoke(cli, ["render", name, "--lang", lang, "--example", "-f", "text"])
    assert rendered.exit_code == 0, rendered.output
    letter.write_text(rendered.stdout, encoding="utf-8")
    linted = runner.invoke(cli, ["lint", "--lang", lang, str(letter)])
    assert linted.exit_code == 0, linted.output
    assert linted.stdout == ""
