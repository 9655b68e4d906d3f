"""Every shipped scenario, in every language and variant: golden files and language checks."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import TODAY
from quality import hunspell_for, misspelled, problems
from samples import CATALOG, LANGS, SCENARIOS, VARIANTS, example, plural, variants

import phrasebook

EXTENSIONS = {"text": "txt", "md": "md", "eml": "eml"}
#: The template languages and their regional variants (en_US, de_AT, de_CH).
EVERY_LANGUAGE = [*LANGS, *VARIANTS]


def test_every_scenario_has_a_template_and_example_in_every_language() -> None:
    for name in SCENARIOS:
        for lang in LANGS:
            assert (CATALOG.templates / lang / CATALOG.template_name(name)).is_file()
            assert CATALOG.example_path(name, lang) is not None


def test_no_template_lacks_a_spec() -> None:
    for lang in LANGS:
        for path in (CATALOG.templates / lang).glob("*.jinja"):
            if not path.name.startswith("_"):
                assert path.name.removesuffix(".jinja") in SCENARIOS, path


@pytest.mark.parametrize("lang", EVERY_LANGUAGE)
@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(name: str, lang: str, golden) -> None:
    spec = CATALOG.scenario(name)
    for fmt in spec.formats:
        doc = phrasebook.render(name, lang, example(name, lang), today=TODAY, fmt=fmt)
        golden.check(f"{lang}/{name}.{EXTENSIONS[fmt]}", doc.text)


def _cases():
    for name in SCENARIOS:
        for lang in EVERY_LANGUAGE:
            for label, params in variants(name, lang):
                yield pytest.param(name, lang, params, id=f"{name}-{lang}-{label}")


@pytest.mark.parametrize(("name", "lang", "params"), list(_cases()))
def test_language_quality(name: str, lang: str, params: dict) -> None:
    doc = phrasebook.render(name, lang, params, today=TODAY, fmt="text")
    formal = params.get("formality", "formal") == "formal"
    assert problems(doc.text, lang, formal=formal, plural=plural(params)) == []
    assert problems(doc.subject, lang, formal=formal, plural=plural(params)) == []


@pytest.mark.parametrize(("name", "lang", "params"), list(_cases()))
def test_spelling(name: str, lang: str, params: dict) -> None:
    if not hunspell_for(lang):
        if os.environ.get("CI"):
            pytest.fail(f"hunspell with {lang} is required in CI")
        pytest.skip(f"hunspell with the {lang} dictionary is not installed")
    doc = phrasebook.render(name, lang, params, today=TODAY, fmt="text")
    assert misspelled(doc.subject + "\n" + doc.body, lang) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_markdown_converts_with_pandoc(name: str, lang: str, tmp_path) -> None:
    if not shutil.which("pandoc"):
        if os.environ.get("CI"):
            pytest.fail("pandoc is required in CI")
        pytest.skip("pandoc is not installed")
    if "md" not in CATALOG.scenario(name).formats:
        pytest.skip(f"{name} has no Markdown output")
    doc = phrasebook.render(name, lang, example(name, lang), today=TODAY, fmt="md")
    source = tmp_path / "doc.md"
    source.write_text(doc.text, encoding="utf-8")
    result = subprocess.run(
        ["pandoc", "-s", "-f", "markdown", "-t", "html", str(source)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f'lang="{doc.language.tag}"' in result.stdout
    assert "<title>" in result.stdout


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "Bis dahin arbeite ich die Gliederung gründlich für Sie aus.\n"),
     ("en", "It will cover the outline in detail.\n")],
)
def test_a_single_point_is_named_in_the_sentence(lang: str, expected: str) -> None:
    from samples import example

    point = "die Gliederung" if lang == "de" else "the outline"
    params = {**example("deadline-offer", lang), "points": [point]}
    body = phrasebook.render("deadline-offer", lang, params, today=TODAY).body
    assert expected in body
    assert "\n- " not in body


@pytest.mark.parametrize(
    ("scenario", "changes", "british", "american"),
    [
        ("payment-reminder", {"reminder_level": "second"}, "two instalments", "two installments"),
        ("onboarding-pack", {"response_hours": "24"}, "24 hours on working days.", "24 hours on business days."),
        ("callback-promise", {"channel": "email"}, "call you back on +", "call you back at +"),
    ],
)
def test_british_and_american_wording(scenario: str, changes: dict, british: str, american: str) -> None:
    from samples import example

    params = {**example(scenario, "en"), **changes}
    texts = {lang: phrasebook.render(scenario, lang, params, today=TODAY).body for lang in ("en", "en_US")}
    assert british in texts["en"] and american not in texts["en"]
    assert american in texts["en_US"] and british not in texts["en_US"]
