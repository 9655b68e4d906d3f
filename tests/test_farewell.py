"""farewell: optional parts appear and disappear cleanly, and the key sentences are exact."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import TODAY
from quality import hunspell_available, misspelled, problems
from samples import example

import phrasebook
from phrasebook.errors import InvalidParams

OPTIONAL = ("project", "reason", "open_items", "recommendation", "final_invoice", "final_amount")
#: A graceful farewell carries no blame, no regret and no apology.
BANNED = {
    "de": re.compile(r"\b(leider|bedauer\w*|entschuldig\w*|schade|Problem\w*|Schuld)\b", re.I),
    "en": re.compile(r"\b(unfortunately|sorry|apologi[sz]e\w*|regret\w*|problems?|fault)\b", re.I),
}


def params(lang: str, formality: str = "formal", drop: tuple[str, ...] = (), **extra) -> dict:
    base = {k: v for k, v in example("farewell", lang).items() if k not in drop}
    base.update(formality=formality, **extra)
    return base


def body(lang: str, formality: str = "formal", drop: tuple[str, ...] = (), **extra) -> str:
    return phrasebook.render("farewell", lang, params(lang, formality, drop, **extra), today=TODAY).body


def paragraphs(text: str) -> list[str]:
    return text.strip().split("\n\n")


def _combinations():
    for lang, formality in itertools.product(("de", "en"), ("formal", "informal")):
        for n in range(len(OPTIONAL) + 1):
            for drop in itertools.combinations(OPTIONAL, n):
                yield lang, formality, drop


CASES = list(_combinations())


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_combination_of_optional_parts_reads_cleanly(lang) -> None:
    texts = []
    for case_lang, formality, drop in CASES:
        if case_lang != lang:
            continue
        text = body(lang, formality, drop)
        texts.append(text)
        assert problems(text, lang, formal=formality == "formal") == [], (formality, drop)
        assert not BANNED[lang].search(text), (formality, drop)
        assert ("Relaunch 2026" in text) == ("project" not in drop)
        assert ("Markenstrategie" in text or "brand strategy" in text) == ("reason" not in drop)
        assert ("\n- " in text) == ("open_items" not in drop)
        assert ("Jonas Weber" in text) == ("recommendation" not in drop)
        invoice = "final_invoice" not in drop or "final_amount" not in drop
        assert ("Schlussrechnung" in text or "final invoice" in text) == invoice
        assert ("30" in text) == ("final_invoice" not in drop)
        assert ("1.840,00" in text or "1,840.00" in text) == ("final_amount" not in drop)
        assert "23" in paragraphs(text)[2]
        assert re.search(r"(wünsche ich|I wish you)", paragraphs(text)[-2])
    if hunspell_available():
        assert misspelled("\n\n".join(texts), lang) == []


def test_key_sentences_in_german() -> None:
    parts = paragraphs(body("de"))
    assert parts[1] == (
        "vielen Dank für die vertrauensvolle Zusammenarbeit im Projekt „Relaunch 2026“. "
        "Die Arbeit mit Ihnen hat mir viel Freude gemacht."
    )
    assert parts[2] == (
        "Heute möchte ich Ihnen persönlich sagen, dass unsere Zusammenarbeit am Mittwoch, 23. Dezember 2026 endet. "
        "Ab Januar konzentriere ich mich ganz auf Markenstrategie und übernehme keine laufende Betreuung mehr."
    )
    assert parts[3] == (
        "Bis zum 23. Dezember bin ich wie gewohnt für Sie da und schließe alles Laufende sorgfältig ab. "
        "Damit Sie danach nahtlos weiterarbeiten können, übergebe ich Ihnen:"
    )
    assert "Die Schlussrechnung über 1.840,00\xa0€ erhalten Sie spätestens am Mittwoch, 30. Dezember 2026." in parts
    assert parts[-2] == (
        "Für alles, was vor Ihnen liegt, wünsche ich Ihnen viel Erfolg und alles Gute. "
        "Ich würde mich freuen, wenn sich unsere Wege wieder kreuzen."
    )


def test_key_sentences_in_english_informal() -> None:
    parts = paragraphs(body("en", "informal"))
    assert parts[0] == "Hi Kate,"
    assert parts[1] == (
        "Thanks for all the great work together on the Relaunch 2026 project. I’ve really enjoyed it."
    )
    assert parts[2].startswith(
        "I wanted to let you know personally that our work together will come to an end on "
        "Wednesday, 23 December 2026. "
    )
    assert "If you need support after that, I can warmly recommend Jonas Weber of Weber Digital, " \
        "and I’d be happy to introduce you." in parts
    assert parts[-2] == (
        "I wish you all the best for whatever comes next, and I’d be really glad if our paths crossed again."
    )



@pytest.mark.parametrize(
    ("project", "phrase"),
    [
        ("Relaunch 2026", "on the Relaunch 2026 project and"),
        ("Website Project", "on the Website Project and"),
        ("intranet project", "on the intranet project and"),
        ("Projectile", "on the Projectile project and"),
    ],
)
def test_a_project_name_is_not_followed_by_project_twice(project: str, phrase: str) -> None:
    assert phrase in paragraphs(body("en", project=project))[1]


@pytest.mark.parametrize(
    ("lang", "formality", "drop", "expected"),
    [
        ("de", "formal", ("final_amount",),
         "Die Schlussrechnung erhalten Sie spätestens am Mittwoch, 30. Dezember 2026."),
        ("de", "informal", ("final_invoice",),
         "Die Schlussrechnung über 1.840,00\xa0€ bekommst du zum Ende unserer Zusammenarbeit."),
        ("en", "formal", ("final_amount",),
         "You will receive the final invoice by Wednesday, 30 December 2026 at the latest."),
        ("en", "informal", ("final_invoice",),
         "You will receive the final invoice for €1,840.00 when our work together ends."),
    ],
)
def test_final_invoice_with_date_or_amount(lang, formality, drop, expected) -> None:
    assert expected in paragraphs(body(lang, formality, drop))


def test_a_single_open_item_stays_in_the_sentence() -> None:
    de = body("de", "informal", open_items=["die Zugangsdaten für die Website"])
    assert (
        "Bis zum 23. Dezember bin ich wie gewohnt für dich da und schließe alles Laufende sorgfältig ab. "
        "Damit du danach nahtlos weiterarbeiten kannst, übergebe ich dir die Zugangsdaten für die Website.\n"
    ) in de
    en = body("en", open_items=["the logins for the website"])
    assert "So that you can carry on smoothly afterwards, I will also hand over the logins for the website.\n" in en
    assert "\n- " not in de + en


def test_without_open_items_the_handover_sentence_is_left_out() -> None:
    parts = paragraphs(body("de", drop=("open_items",)))
    assert parts[3] == "Bis zum 23. Dezember bin ich wie gewohnt für Sie da und schließe alles Laufende sorgfältig ab."


@pytest.mark.parametrize(
    ("lang", "drop", "subject"),
    [
        ("de", (), "Relaunch 2026: Unsere Zusammenarbeit endet am Mittwoch, 23. Dezember 2026"),
        ("de", ("project",), "Unsere Zusammenarbeit endet am Mittwoch, 23. Dezember 2026"),
        ("en", (), "Relaunch 2026: our work together ends on Wednesday, 23 December 2026"),
        ("en", ("project",), "Our work together ends on Wednesday, 23 December 2026"),
    ],
)
def test_subject(lang, drop, subject) -> None:
    assert phrasebook.render("farewell", lang, params(lang, drop=drop), today=TODAY).subject == subject


def test_us_english_dates_and_other_currencies() -> None:
    text = phrasebook.render("farewell", "en_US", params("en", currency="GBP"), today=TODAY).body
    assert "will come to an end on Wednesday, December 23, 2026." in text
    assert "You will receive the final invoice for £1,840.00 by Wednesday, December 30, 2026, at the latest." in text


def test_end_date_is_required() -> None:
    with pytest.raises(phrasebook.PhrasebookError, match="end_date: missing; expected a date such as 2026-12-02"):
        phrasebook.render("farewell", "de", params("de", drop=("end_date",)), today=TODAY)


def test_the_last_day_and_the_final_invoice_are_not_in_the_past() -> None:
    with pytest.raises(InvalidParams) as exc:
        phrasebook.render("farewell", "en", params("en", end_date="2026-11-23", final_invoice="2026-11-01"),
                          today=TODAY)
    assert exc.value.problems == (
        "end_date: 2026-11-23 is in the past (today is 2026-11-24)",
        "final_invoice: 2026-11-01 is in the past (today is 2026-11-24)",
    )
    assert phrasebook.render("farewell", "en", params("en", end_date="2026-11-24"), today=TODAY)


@pytest.mark.parametrize(
    ("lang", "vat", "sentence"),
    [
        ("de", "plus", "Die Schlussrechnung über 1.840,00\xa0€ zuzüglich Umsatzsteuer erhalten Sie spätestens am"),
        ("de", "included", "Die Schlussrechnung über 1.840,00\xa0€ einschließlich Umsatzsteuer erhalten Sie"),
        ("en", "plus", "You will receive the final invoice for €1,840.00 plus VAT by"),
        ("en", "included", "You will receive the final invoice for €1,840.00 including VAT by"),
        ("en_US", "plus", "You will receive the final invoice for €1,840.00 plus VAT by"),
    ],
)
def test_the_final_amount_says_whether_vat_is_included(lang: str, vat: str, sentence: str) -> None:
    params_lang = lang[:2]
    text = phrasebook.render("farewell", lang, params(params_lang, vat=vat), today=TODAY).body
    assert sentence in text


@pytest.mark.parametrize(
    ("project", "phrase"),
    [
        ("Relaunch 2026", "Zusammenarbeit im Projekt „Relaunch 2026“."),
        ("Projekt Phoenix", "Zusammenarbeit im „Projekt Phoenix“."),
        ("Projektplanung Nord", "Zusammenarbeit im Projekt „Projektplanung Nord“."),
    ],
)
def test_a_german_project_name_is_not_preceded_by_projekt_twice(project: str, phrase: str) -> None:
    assert phrase in paragraphs(body("de", project=project))[1]



def test_the_rehearsal_does_not_double_projekt_either() -> None:
    from phrasebook.render import render_companion

    script = render_companion("farewell", "de", params("de", project="Projekt Phoenix"),
                              template="rehearse/farewell.jinja", today=TODAY)
    assert "im „Projekt Phoenix“" in script and "Projekt „Projekt" not in script
