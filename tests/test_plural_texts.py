"""Letters to several people or a team (German ihr), and lists of one item that agree.

The matrix of ``samples.variants`` spells and lints every plural text; this file keeps golden
renders to read and review, and pins the sentences that depend on the number of people or items.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import TODAY
from quality import problems
from samples import CATALOG, ORGANISATION, SCENARIOS, example, several, variants

import phrasebook
from phrasebook.rehearse import available, load_script

GERMAN = [name for name in SCENARIOS if "recipient" in example(name, "de")]
#: Informal German words for one person, never right in a text to several people.
DU = ("du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "deines")


def _variant(name: str, lang: str, label: str) -> dict[str, Any]:
    return dict(variants(name, lang))[label]


def _render(name: str, lang: str, params: dict[str, Any], fmt: str = "text") -> str:
    return phrasebook.render(name, lang, params, today=TODAY, fmt=fmt).text


def _one_of_each(lang: str, **extra: Any) -> dict[str, Any]:
    """The onboarding example with every list cut to its first item."""
    params = example("onboarding-pack", lang)
    for key in ("phases", "included", "not_included", "channels", "client_contribution", "contacts"):
        params[key] = params[key][:1]
    return {**params, **extra}


# --- golden renders ---------------------------------------------------------------------


@pytest.mark.parametrize("name", GERMAN)
def test_golden_german_to_several_people(name: str, golden) -> None:
    golden.check(f"de/plural/{name}.txt", _render(name, "de", _variant(name, "de", "informal-several")))


@pytest.mark.parametrize("name", GERMAN)
def test_golden_german_to_an_organisation(name: str, golden) -> None:
    golden.check(f"de/organisation/{name}.txt", _render(name, "de", _variant(name, "de", "informal-organisation")))


def test_golden_german_phone_call_with_several_people(golden) -> None:
    params = dict(_variant("callback-promise", "de", "informal-several"), channel="phone")
    golden.check("de/plural/callback-promise-phone.txt", _render("callback-promise", "de", params))


@pytest.mark.parametrize("name", available("de"))
def test_golden_german_rehearsal_with_a_team(name: str, golden) -> None:
    script = load_script(name, "de", _variant(name, "de", "informal-organisation"), today=TODAY)
    golden.check(f"de/rehearse/organisation/{name}.md", script.markdown)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_golden_onboarding_with_one_item_in_every_list(lang: str, golden) -> None:
    params = _one_of_each(lang)
    for fmt in CATALOG.scenario("onboarding-pack").formats:
        golden.check(f"{lang}/onboarding-pack-one-item.{'txt' if fmt == 'text' else fmt}",
                     _render("onboarding-pack", lang, params, fmt))


# --- German: ihr, euch, euer ------------------------------------------------------------


@pytest.mark.parametrize("label", ["informal-several", "informal-three", "informal-organisation"])
@pytest.mark.parametrize("name", GERMAN)
def test_german_informal_text_to_several_people_says_ihr(name: str, label: str) -> None:
    params = _variant(name, "de", label)
    doc = phrasebook.render(name, "de", params, today=TODAY)
    words = {w.strip(".,:;!?„“()").lower() for w in f"{doc.subject} {doc.body}".split()}
    assert not words & set(DU), label
    assert words & {"ihr", "euch", "euer", "eure", "euren", "eurem", "eurer"}, label
    assert problems(doc.text, "de", formal=False, plural=True) == [], label


@pytest.mark.parametrize("name", GERMAN)
def test_german_formal_text_is_the_same_for_one_person_or_several(name: str) -> None:
    one = example(name, "de")
    many = dict(one, recipient=several(one, "de"))
    first, second = (phrasebook.render(name, "de", p, today=TODAY).body for p in (one, many))
    salutations = ("Sehr geehrte", "Guten Tag")
    first_lines = [line for line in first.splitlines() if not line.startswith(salutations)]
    second_lines = [line for line in second.splitlines() if not line.startswith(salutations)]
    # Only the salutation differs, and where a sentence counts the people ("uns beiden").
    assert [line.replace("uns beiden", "uns allen") for line in first_lines] == second_lines
    assert "Ihnen" in second or "Sie " in second


@pytest.mark.parametrize(
    ("name", "changes", "sentence"),
    [
        ("callback-promise", {}, "danke für eure Nachricht."),
        ("callback-promise", {"promise": "answer"}, "Meine Antwort bekommt ihr heute bis 16:00 Uhr."),
        ("callback-promise", {"channel": "phone"}, "Danke für euren Anruf. Ich habe mir"),
        ("callback-promise", {"channel": "phone", "phone": None},
         "Ich rufe euch heute bis 16:00 Uhr zurück. Unter welcher Nummer erreiche ich euch am besten?"),
        ("callback-promise", {"channel": "phone", "promise": "answer"}, "per E-Mail. Passt euch das?"),
        ("deadline-offer", {}, "Ihr bekommt das Kommunikationskonzept spätestens am"),
        ("deadline-offer", {"points": ["die Gliederung"]},
         "Bis dahin arbeite ich die Gliederung gründlich für euch aus."),
        ("farewell", {"end_date": "2026-11-24", "final_invoice": None},
         "Damit ihr nahtlos weiterarbeiten könnt, übergebe ich euch:"),
        ("farewell", {"open_items": ["die Zugangsdaten"]}, "übergebe ich euch die Zugangsdaten."),
        ("payment-reminder", {"reminder_level": "second", "previous_reminder": "2026-11-17"},
         "am 17. November 2026 habe ich euch an die folgende Rechnung erinnert:"),
        ("payment-reminder", {"reminder_level": "second"}, "sprecht mich bitte vorher an."),
        ("scope-decline", {}, "Ihr möchtet zusätzlich eine englische Version der Website"),
        ("scope-decline", {"extra_price": None, "vat": None, "extra_days": None, "later_phase": None,
                           "referral": "Jonas Weber"},
         "Soll ich den Kontakt herstellen? Dann schreibe ich allen Beteiligten eine kurze E-Mail."),
        ("onboarding-pack", {}, "Das spart uns allen Zeit"),
        ("onboarding-pack", {},
         "Könnt ihr einen Termin nicht wahrnehmen, sagt ihn bitte spätestens 48 Stunden vorher ab"),
    ],
)
def test_german_sentences_to_several_people(name: str, changes: dict[str, Any], sentence: str) -> None:
    for label in ("informal-several", "informal-organisation"):
        params = {**_variant(name, "de", label), **changes}
        text = _render(name, "de", params)
        assert sentence in text, label
        assert problems(text, "de", formal=False, plural=True) == [], label


def test_german_subject_lines_to_several_people() -> None:
    params = _variant("callback-promise", "de", "informal-several")
    assert phrasebook.render("callback-promise", "de", params, today=TODAY).subject.startswith("Eure Anfrage: ")
    params = _variant("scope-decline", "de", "informal-organisation")
    assert phrasebook.render("scope-decline", "de", params, today=TODAY).subject.startswith("Eure Idee für ")


def test_a_phone_call_with_several_people_names_no_one() -> None:
    for lang, label in (("de", "formal-several"), ("en", "formal-several"), ("en", "informal-organisation")):
        params = dict(_variant("callback-promise", lang, label), channel="phone")
        first_line = _render("callback-promise", lang, params).splitlines()[0]
        openings = ("Danke für Ihren Anruf. ", "Thank you for calling. ", "Thanks for calling. ")
        assert first_line.startswith(openings), first_line


@pytest.mark.parametrize("name", available("de"))
def test_a_rehearsed_call_with_the_first_of_several_people_says_du(name: str) -> None:
    params = _variant(name, "de", "informal-several")
    script = load_script(name, "de", params, today=TODAY)
    first = params["recipient"][0]["first_name"]
    assert f"Hallo {first}, schön, dass ich dich erreiche." in script.markdown
    assert problems(script.markdown, "de", formal=False, plural=False) == []


@pytest.mark.parametrize("name", available("de"))
def test_a_rehearsed_call_with_a_team_says_ihr(name: str) -> None:
    script = load_script(name, "de", _variant(name, "de", "informal-organisation"), today=TODAY)
    assert "Hallo zusammen, schön, dass ich euch erreiche." in script.markdown
    assert problems(script.markdown, "de", formal=False, plural=True) == []


# --- the check itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Liebe Anna, lieber Jonas,\n\ndanke für eure Nachricht. Ich rufe dich morgen an.", "'dich'"),
        ("Liebes Team von Weber Digital,\n\ndanke für deine Nachricht.", "'deine'"),
        ("Hallo Anna und Jonas,\n\nIhr bekommt das Konzept. Passt dir das?", "'dir'"),
        ("Liebe Anna, lieber Jonas,\n\ndanke für Ihr Vertrauen.", "'Ihr'"),
        ("Liebe Anna, lieber Jonas,\n\nbitte überweist den Betrag oder sprich mich an.", "'sprich'"),
        ("Hallo Anna und Jonas,\n\nwenn der Betrag gerade schwierig ist, lass uns über Raten sprechen.", "'lass uns'"),
    ],
)
def test_the_check_finds_du_or_sie_left_in_a_text_to_several_people(text: str, found: str) -> None:
    assert any(found in problem for problem in problems(text, "de", formal=False))
    assert any(found in problem for problem in problems(text.split("\n\n", 1)[1], "de", formal=False, plural=True))


def test_the_check_accepts_ihr_and_the_clients_own_words() -> None:
    text = ("Ihr bekommt das Konzept am Freitag. Mein Vorschlag: Ihr prüft es in Ruhe.\n\n"
            "### „Kannst du das nicht früher liefern?“")
    assert problems(text, "de", formal=False, plural=True) == []
    assert problems("Liebe Anna,\n\nich schicke dir und Jonas das Konzept.", "de", formal=False) == []
    own = "Ich bestätige euch den Termin. Ist nichts eingegangen, melde ich mich. Ich antworte an Werktagen."
    assert problems(own, "de", formal=False, plural=True) == []


# --- lists of one item ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "extra", "sentences", "absent"),
    [
        ("de", {}, ["Geplant ist dieser Schritt:\n\n- Auftaktworkshop – Dienstag, 1. Dezember 2026\n",
                    "Auf diesen Termin können Sie sich verlassen.", "zusammen mit dem neuen Termin.",
                    "Für Ihre Fragen bin ich auf diesem Weg da:"],
         ["diesen Schritten", "diese Termine", "diesen Wegen", "1. Auftaktworkshop"]),
        ("de", {"formality": "informal"}, ["Auf diesen Termin kannst du dich verlassen.",
                                           "Für deine Fragen bin ich auf diesem Weg da:"], ["diese Termine"]),
        ("de", {"formality": "informal", "recipient": ORGANISATION["de"]},
         ["Auf diesen Termin könnt ihr euch verlassen.", "Für eure Fragen bin ich auf diesem Weg da:"],
         ["diese Termine"]),
        ("en", {}, ["Here is the step we have planned:\n\n- Kick-off workshop – Tuesday, 1 December 2026\n",
                    "You can rely on this date. Should it ever need to change", "and give you a new one."],
         ["these steps", "these dates", "1. Kick-off"]),
        ("en", {"formality": "informal"}, ["You can count on this date."], ["these dates"]),
    ],
)
def test_onboarding_lists_of_one_item_agree(
    lang: str, extra: dict[str, Any], sentences: list[str], absent: list[str]
) -> None:
    text = _render("onboarding-pack", lang, _one_of_each(lang, **extra))
    for sentence in sentences:
        assert sentence in text
    for words in absent:
        assert words not in text
    formal = extra.get("formality", "formal") == "formal"
    assert problems(text, lang, formal=formal) == []


def test_onboarding_phases_of_one_item_in_markdown_break_the_line() -> None:
    text = _render("onboarding-pack", "de", _one_of_each("de"), "md")
    assert "- Auftaktworkshop – Dienstag, 1. Dezember 2026\\\n  Gemeinsam klären wir" in text


@pytest.mark.parametrize(
    ("lang", "label", "sentence"),
    [
        ("en", "formal-several", "It saves us all time"),
        ("en", "informal-organisation", "It saves us all time"),
        ("en", "formal-organisation", "Either side can end the collaboration in writing"),
        ("de", "formal-several", "Das spart uns allen Zeit"),
    ],
)
def test_onboarding_counts_everyone_involved(lang: str, label: str, sentence: str) -> None:
    assert sentence in _render("onboarding-pack", lang, _variant("onboarding-pack", lang, label))


def test_english_referral_to_several_people_is_sent_to_everyone_involved() -> None:
    changes = {"extra_price": None, "vat": None, "extra_days": None, "later_phase": None, "referral": "Jonas Weber"}
    one = _render("scope-decline", "en", {**example("scope-decline", "en"), **changes})
    many = _render("scope-decline", "en", {**_variant("scope-decline", "en", "formal-several"), **changes})
    assert "If so, I will send you both a short introductory email." in one
    assert "If so, I will send everyone involved a short introductory email." in many
    script = load_script("scope-decline", "en", {**_variant("scope-decline", "en", "formal-organisation"), **changes},
                         today=TODAY)
    assert "If so, I will email everyone involved today." in script.markdown
