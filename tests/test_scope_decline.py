"""scope-decline: the alternatives, their wording, and the rule that at least one is given."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import TODAY
from quality import hunspell_available, misspelled, problems
from samples import example

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams

ALTERNATIVES = ("extra_price", "extra_days", "later_phase", "referral")
VALUES = {
    "de": {"extra_price": "1.500", "extra_days": "3", "later_phase": "im Frühjahr", "referral": "Jonas Weber"},
    "en": {"extra_price": "1,500", "extra_days": "3", "later_phase": "in the spring", "referral": "Jonas Weber"},
}
#: Words a kind boundary never uses: no bare refusal, no regret, no apology.
BANNED = {
    "de": re.compile(r"\b(leider|nein|geht nicht|bedauer\w*|entschuldig\w*|sorry)\b", re.I),
    "en": re.compile(r"\b(unfortunately|no|sorry|apologi[sz]e\w*|regret\w*|can't|cannot)\b", re.I),
}


def params(lang: str, chosen: tuple[str, ...], formality: str = "formal", **extra) -> dict:
    base = {k: v for k, v in example("scope-decline", lang).items() if k not in (*ALTERNATIVES, "vat")}
    base.update({name: VALUES[lang][name] for name in chosen}, formality=formality, **extra)
    return base


def body(lang: str, chosen: tuple[str, ...], formality: str = "formal", **extra) -> str:
    return phrasebook.render("scope-decline", lang, params(lang, chosen, formality, **extra), today=TODAY).body


def paragraphs(text: str) -> list[str]:
    return text.strip().split("\n\n")


SUBSETS = [c for n in range(1, 5) for c in itertools.combinations(ALTERNATIVES, n)]


@pytest.mark.parametrize("formality", ["formal", "informal"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("chosen", SUBSETS, ids="+".join)
def test_every_combination_of_alternatives_reads_cleanly(chosen, lang, formality) -> None:
    text = body(lang, chosen, formality)
    assert problems(text, lang, formal=formality == "formal") == []
    assert not BANNED[lang].search(text), BANNED[lang].search(text)
    closing_question = paragraphs(text)[-2]
    assert "?" in closing_question
    assert ("€" in text) == ("extra_price" in chosen)
    assert ("Arbeitstag" in text or "working day" in text) == ("extra_days" in chosen)
    assert ("Jonas Weber" in text) == ("referral" in chosen)
    assert ("Frühjahr" in text or "spring" in text) == ("later_phase" in chosen)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_combination_of_alternatives_is_spelled_correctly(lang) -> None:
    if not hunspell_available():
        pytest.skip("hunspell with de_DE and en_GB dictionaries is not installed")
    texts = [body(lang, chosen, formality) for chosen in SUBSETS for formality in ("formal", "informal")]
    assert misspelled("\n\n".join(texts), lang) == []


@pytest.mark.parametrize(
    ("chosen", "count"),
    [(("extra_price", "extra_days"), None), (("extra_price", "later_phase"), "zwei"),
     (("extra_days", "later_phase", "referral"), "drei")],
)
def test_price_and_days_are_one_way_and_the_ways_are_counted(chosen, count) -> None:
    text = body("de", chosen)
    if count:
        assert f"Stattdessen sehe ich {count} gute Wege:" in text
        assert text.count("\n- ") == 3 + (3 if count == "drei" else 2)
    else:
        assert "gute Wege" not in text
        assert (
            "Stattdessen nehme ich ihn gern als Erweiterung in den bestehenden Auftrag auf. "
            "Ich berechne dafür zusätzlich 1.500,00\xa0€, und der Zeitplan verlängert sich um drei Arbeitstage.\n"
        ) in text


def test_key_sentences_in_german() -> None:
    text = body("de", ("extra_price", "extra_days", "later_phase", "referral"))
    assert text.startswith(
        "Sehr geehrte Frau Dr. Müller,\n\nvielen Dank für Ihre Nachricht. Sie möchten zusätzlich "
        "eine englische Version der Website, und ich freue mich, dass Sie schon an die nächsten Schritte denken.\n"
    )
    assert (
        "Dafür stehen Preis und Zeitplan fest. Ihr neuer Wunsch geht über diesen Rahmen hinaus. "
        "Damit er die Sorgfalt bekommt, die er verdient, und das Vereinbarte im Zeitplan bleibt, "
        "lasse ich ihn nicht einfach nebenbei mitlaufen.\n"
    ) in text
    assert "- Wir setzen den Wunsch als eigene Phase im Frühjahr um, mit eigenem Angebot und Zeitplan.\n" in text
    assert "- Ich empfehle Ihnen dafür Jonas Weber und stelle gern den Kontakt her.\n" in text
    assert "Unabhängig davon liefere ich die vereinbarten Leistungen wie geplant.\n" in text
    assert (
        "Welcher Weg ist Ihnen am liebsten? Sobald ich das weiß, kümmere ich mich um den nächsten Schritt.\n"
    ) in text


def test_key_sentences_in_english() -> None:
    text = body("en", ("extra_price", "extra_days", "later_phase"))
    assert (
        "The price and schedule for this are fixed. Your new request goes beyond that. To give it the "
        "attention it deserves and keep the agreed work on schedule, I would rather plan it separately than "
        "squeeze it in alongside.\n"
    ) in text
    assert (
        "- We add it to the current agreement now. The extra fee would be €1,500.00, "
        "and the schedule would be extended by three working days.\n"
    ) in text
    assert "Which would you prefer? Once I know, I will take care of the next step.\n" in text


@pytest.mark.parametrize(
    ("lang", "chosen", "formality", "proposal", "question"),
    [
        ("de", ("extra_price",), "formal",
         "Stattdessen nehme ich ihn gern als Erweiterung in den bestehenden Auftrag auf. "
         "Ich berechne dafür zusätzlich 1.500,00\xa0€.",
         "Sollen wir den Auftrag so erweitern? Dann schicke ich Ihnen ein kurzes Ergänzungsangebot zur Freigabe."),
        ("de", ("extra_days",), "informal",
         "Stattdessen nehme ich ihn gern als Erweiterung in den bestehenden Auftrag auf. "
         "Der Zeitplan verlängert sich dafür um drei Arbeitstage.",
         "Sollen wir den Auftrag so erweitern? Dann schicke ich dir ein kurzes Ergänzungsangebot zur Freigabe."),
        ("de", ("later_phase",), "formal",
         "Stattdessen schlage ich vor, ihn als eigene Phase im Frühjahr umzusetzen, mit eigenem Angebot und Zeitplan.",
         "Sollen wir es so festhalten? Dann nehme ich die neue Phase fest in meine Planung auf."),
        ("de", ("referral",), "informal",
         "Stattdessen empfehle ich dir dafür Jonas Weber.",
         "Soll ich den Kontakt herstellen? Dann schreibe ich euch beiden eine kurze E-Mail."),
        ("en", ("extra_price",), "formal",
         "Instead, I would be glad to add it to the current agreement. The extra fee would be €1,500.00.",
         "Shall we extend the agreement on this basis? If so, I will send you a short supplementary quote "
         "for approval."),
        ("en", ("later_phase",), "informal",
         "Instead, I suggest we plan it as a separate phase in the spring, with its own quote and schedule.",
         "Shall we plan it that way? If so, I will reserve time for the new phase in my schedule."),
        ("en", ("referral",), "formal",
         "Instead, I can recommend Jonas Weber for this kind of work.",
         "Shall I put you in touch? If so, I will send you both a short introductory email."),
    ],
)
def test_a_single_alternative_is_a_proposal_with_its_own_question(lang, chosen, formality, proposal, question) -> None:
    parts = paragraphs(body(lang, chosen, formality))
    assert proposal in parts
    assert parts[-2] == question


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("de", "ja", "als eigene Phase nach Abschluss des laufenden Projekts umzusetzen"),
        ("en", "yes", "as a separate phase once the current project is complete,"),
    ],
)
def test_later_phase_yes_needs_no_date(lang, value, expected) -> None:
    assert expected in body(lang, (), later_phase=value)


def test_one_working_day_is_singular() -> None:
    assert "um einen Arbeitstag." in body("de", (), extra_days="1")
    assert "by one working day." in body("en", (), extra_days="1")


def test_us_english_says_business_days_and_formats_other_currencies() -> None:
    text = phrasebook.render(
        "scope-decline", "en_US", params("en", ("extra_price", "extra_days"), currency="USD"), today=TODAY
    ).body
    assert "The extra fee would be $1,500.00, and the schedule would be extended by three business days." in text


def test_a_single_agreed_item_stays_in_the_sentence() -> None:
    text = body("de", ("referral",), agreed_scope=["die Neugestaltung der fünf Hauptseiten"])
    assert (
        "Unser Auftrag umfasst die Neugestaltung der fünf Hauptseiten, und dafür stehen Preis und Zeitplan fest. "
        "Ihr neuer Wunsch geht über diesen Rahmen hinaus."
    ) in text
    assert "\n- " not in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_without_any_alternative_the_parameters_are_refused(lang) -> None:
    raw = params(lang, (), later_phase="no")
    del raw["request"]
    with pytest.raises(InvalidParams) as exc:
        phrasebook.render("scope-decline", lang, raw, today=TODAY)
    assert exc.value.problems == (
        "request: missing; expected text",
        "extra_price / extra_days / later_phase / referral: none given; give at least one of them",
    )


def test_cli_names_the_alternatives_when_none_is_given(runner) -> None:
    result = runner.invoke(
        cli,
        ["render", "scope-decline", "--lang", "de", "--example", "--today", "2026-11-24",
         "--set", "extra_price=", "--set", "vat=", "--set", "extra_days=", "--set", "later_phase=nein"],
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: scope-decline: 1 problem with the parameters\n"
        "  extra_price / extra_days / later_phase / referral: none given; give at least one of them\n"
    )


def test_show_and_help_state_the_rule(runner) -> None:
    shown = runner.invoke(cli, ["show", "scope-decline", "--lang", "de"])
    assert shown.exit_code == 0
    assert (
        "  Mindestens einer dieser Parameter ist Pflicht: extra_price, extra_days, later_phase, referral\n"
    ) in shown.stdout
    helped = runner.invoke(cli, ["render", "scope-decline", "--help"])
    assert helped.exit_code == 0
    assert "Give at least one of: extra_price, extra_days, later_phase, referral" in " ".join(
        helped.stdout.split()
    )


@pytest.mark.parametrize(
    ("lang", "vat", "chosen", "sentence"),
    [
        ("de", "plus", ("extra_price",), "Ich berechne dafür zusätzlich 1.500,00\xa0€ zuzüglich Umsatzsteuer."),
        ("de", "included", ("extra_price", "extra_days"),
         "Ich berechne dafür zusätzlich 1.500,00\xa0€ einschließlich Umsatzsteuer, und der Zeitplan verlängert sich "
         "um drei Arbeitstage."),
        ("de", None, ("extra_price",), "Ich berechne dafür zusätzlich 1.500,00\xa0€."),
        ("en", "plus", ("extra_price",), "The extra fee would be €1,500.00 plus VAT."),
        ("en", "included", ("extra_price", "extra_days"),
         "The extra fee would be €1,500.00 including VAT, and the schedule would be extended by three working days."),
    ],
)
def test_the_extra_fee_says_whether_vat_is_included(lang, vat, chosen, sentence) -> None:
    text = body(lang, chosen, **({"vat": vat} if vat else {}))
    assert sentence in text
    assert ".." not in text


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("extra_days", [None, "3"])
def test_the_rehearsal_states_the_vat_like_the_letter(lang: str, extra_days) -> None:
    from phrasebook.render import render_companion

    chosen = ("extra_price", "extra_days") if extra_days else ("extra_price",)
    script = render_companion(
        "scope-decline", lang, params(lang, chosen, vat="plus"),
        template="rehearse/scope-decline.jinja", today=TODAY,
    )
    assert ("1.500,00\xa0€ zuzüglich Umsatzsteuer" if lang == "de" else "€1,500.00 plus VAT") in script
    assert ".." not in script
