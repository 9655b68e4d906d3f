"""Regional variants (en_US, de_AT, de_CH): rehearsal scripts, the wording table, tax notes,
quotes and Swiss spelling. Their golden files, language checks and spelling run with the base
languages' in tests/test_templates.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import TODAY
from quality import hunspell_for, misspelled, problems, variant_problems
from samples import VARIANTS, example, group_call, variants

import phrasebook
from phrasebook import rehearse
from phrasebook.errors import InvalidParams, TemplateFailure, UnknownLanguage
from phrasebook.l10n import LANGUAGES, format_date, format_money, parse_number, resolve_language
from phrasebook.variants import AVOID, WORDS, finish, quoted, tax_note, word, words_for


@pytest.mark.parametrize("lang", VARIANTS)
def test_rehearsal_scripts(lang: str) -> None:
    for name in rehearse.available(lang):
        for label, params in variants(name, lang):
            formal = params.get("formality", "formal") == "formal"
            script = rehearse.load_script(name, lang, params, today=TODAY)
            assert problems(script.markdown, lang, formal=formal, plural=group_call(params)) == [], (name, label)
            if hunspell_for(lang):
                assert misspelled(script.markdown, lang) == [], (name, label)


def test_every_variant_word_exists_in_its_language() -> None:
    for locale, table in WORDS.items():
        base = WORDS[locale[:2]]
        assert set(table) <= set(base), locale


def test_unknown_word_is_a_template_error_naming_the_words() -> None:
    with pytest.raises(TemplateFailure, match=r"unknown word 'working_dys' \(did you mean 'working_days'\?\)"):
        word("working_dys", language=LANGUAGES["en_US"])


@pytest.mark.parametrize(
    ("lang", "vat", "currency", "expected"),
    [
        ("de", "plus", "EUR", " zuzüglich Umsatzsteuer"),
        ("de_AT", "included", "EUR", " einschließlich Umsatzsteuer"),
        ("de", "plus", "CHF", " zuzüglich MWST"),
        ("de_CH", "plus", "EUR", " zuzüglich MWST"),
        ("en", "plus", "GBP", " plus VAT"),
        ("en_US", "plus", "USD", " plus sales tax"),
        ("en_US", None, "USD", ""),
        ("de_CH", None, "CHF", ""),
    ],
)
def test_tax_wording_follows_currency_and_variant(lang: str, vat: str | None, currency: str, expected: str) -> None:
    assert tax_note(vat, currency, language=resolve_language(lang)) == expected


def test_swiss_german_has_no_sharp_s_and_its_own_closing() -> None:
    params = dict(example("scope-decline", "de_CH"))
    body = phrasebook.render("scope-decline", "de_CH", params, today=TODAY).body
    assert "ß" not in body
    assert "Sobald ich das weiss," in body
    assert body.rstrip().splitlines()[-3] == "Freundliche Grüsse"
    assert "CHF\xa02’400.00 zuzüglich MWST" in body
    assert finish("Grüße", LANGUAGES["de"]) == "Grüße"


def test_swiss_german_from_german_values_converts_sharp_s_everywhere() -> None:
    params = {**example("farewell", "de"), "final_amount": "1840", "reason": "Ich konzentriere mich auf Großprojekte."}
    doc = phrasebook.render("farewell", "de_CH", params, today=TODAY)
    assert "ß" not in doc.text and "Grossprojekte" in doc.body


def test_austrian_german_month_names_and_money() -> None:
    de_at = LANGUAGES["de_AT"]
    assert format_date(dt.date(2027, 1, 12), "long", language=de_at) == "12. Jänner 2027"
    assert format_money(Decimal("1234.5"), "EUR", language=de_at) == "€\xa01.234,50"
    assert format_money(Decimal("1234.5"), "CHF", language=LANGUAGES["de_CH"]) == "CHF\xa01’234.50"


def test_holidays_follow_the_language_unless_a_region_is_given() -> None:
    # 8 December is a public holiday in Austria (Mariä Empfängnis), not in Germany.
    params = {**example("deadline-offer", "de"), "deadline": "2026-12-08"}
    with pytest.raises(InvalidParams, match="deadline"):
        phrasebook.render("deadline-offer", "de_AT", params, today=TODAY)
    phrasebook.render("deadline-offer", "de", params, today=TODAY)
    phrasebook.render("deadline-offer", "de_AT", {**params, "region": "DE"}, today=TODAY)


def test_american_english_wording() -> None:
    body = phrasebook.render("onboarding-pack", "en_US", example("onboarding-pack", "en_US"), today=TODAY).body
    assert "business days" in body and "working day" not in body
    assert "Best regards," in body
    assert variant_problems("We start straight away on 2 December.", "en_US") == [
        "en_US: 'straight away' (write 'right away')", "en_US: British date '2 December'",
    ]


def test_quotes_nest_per_language() -> None:
    assert quoted("Relaunch „Nord“ 2026", language=LANGUAGES["de_CH"]) == "„Relaunch ‚Nord‘ 2026“"
    body = phrasebook.render(
        "onboarding-pack", "de", {**example("onboarding-pack", "de"), "project": "Relaunch „Nord“ 2026"}, today=TODAY
    ).body
    assert "im Projekt „Relaunch ‚Nord‘ 2026“" in body


def test_every_language_is_named_when_one_is_unknown() -> None:
    with pytest.raises(UnknownLanguage) as caught:
        resolve_language("de_LU")
    for code in ("de", "de_AT", "de_CH", "en", "en_GB", "en_US"):
        assert code in str(caught.value)


def test_variant_tables_are_complete() -> None:
    assert set(AVOID) <= {lang.locale for lang in LANGUAGES.values()}
    assert words_for(LANGUAGES["de_AT"]) == words_for(LANGUAGES["de"])


@pytest.mark.parametrize(
    ("amount", "written"),
    [("1000000000.00", "CHF\xa01’000’000’000.00"), ("1000000", "CHF\xa01’000’000.00"), ("2380", "CHF\xa02’380.00")],
)
def test_swiss_amounts_are_grouped_in_threes_and_read_back(amount: str, written: str) -> None:
    de_ch = LANGUAGES["de_CH"]
    assert format_money(Decimal(amount), "CHF", language=de_ch) == written
    assert parse_number(written.split("\xa0")[1], language=de_ch) == Decimal(amount)
