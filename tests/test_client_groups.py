"""The client group changes deadline-offer: warm and proactive for A, written for C."""

from __future__ import annotations

import os

import pytest
from conftest import TODAY
from quality import hunspell_available, misspelled, problems
from samples import example, plural, variants

import phrasebook

PROACTIVE = {
    ("de", "formal"): "Gern halte ich Sie mit einem kurzen Zwischenstand auf dem Laufenden, "
    "damit Sie früh sehen, wohin es geht.",
    ("de", "informal"): "Gern halte ich dich mit einem kurzen Zwischenstand auf dem Laufenden, "
    "damit du früh siehst, wohin es geht.",
    ("de", "informal-plural"): "Gern halte ich euch mit einem kurzen Zwischenstand auf dem Laufenden, "
    "damit ihr früh seht, wohin es geht.",
    ("en", "formal"): "I am happy to send you brief progress updates along the way, so that you "
    "can see early on how things are shaping up.",
    ("en", "informal"): "I’m happy to send you short progress updates along the way, so you can "
    "see early on how things are shaping up.",
}
WRITTEN = {
    ("de", "formal"): "Bitte bestätigen Sie mir den Termin kurz per E-Mail. Danach reserviere ich "
    "die Zeit dafür verbindlich in meinem Kalender.",
    ("de", "informal"): "Bitte bestätige mir den Termin kurz per E-Mail. Danach reserviere ich die "
    "Zeit dafür fest in meinem Kalender.",
    ("de", "informal-plural"): "Bitte bestätigt mir den Termin kurz per E-Mail. Danach reserviere ich "
    "die Zeit dafür fest in meinem Kalender.",
    ("en", "formal"): "Please confirm the date by email, and I will block out the time in my calendar.",
    (
        "en",
        "informal",
    ): "Just confirm the date by email, and I’ll block out the time for it.",
}
QUESTION = {"de": "Passt ", "en": "Does that work for you?"}


def _cases():
    for lang in ("de", "en"):
        for label, params in variants("deadline-offer", lang):
            for group in ("A", "B", "C"):
                yield pytest.param(lang, params, group, id=f"{lang}-{label}-{group}")


@pytest.mark.parametrize(("lang", "params", "group"), list(_cases()))
def test_group_wording_is_clean(lang, params, group):
    doc = phrasebook.render(
        "deadline-offer", lang, params, today=TODAY, fmt="text", client={"group": group}
    )
    formality = params.get("formality", "formal")
    assert problems(doc.text, lang, formal=formality == "formal", plural=plural(params)) == []
    # German speaks to several people or a team with ihr; English needs no other wording.
    key = (lang, formality + ("-plural" if lang == "de" and formality == "informal" and plural(params) else ""))
    assert (PROACTIVE[key] in doc.body) is (group == "A")
    assert (WRITTEN[key] in doc.body) is (group == "C")
    assert (QUESTION[lang] in doc.body) is (group != "C")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_group_b_and_no_group_read_the_same(lang):
    params = example("deadline-offer", lang)
    plain = phrasebook.render("deadline-offer", lang, params, today=TODAY)
    group_b = phrasebook.render("deadline-offer", lang, params, today=TODAY, client={"group": "B"})
    assert plain.text == group_b.text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_group_sentences_are_spelled_correctly(lang):
    if not hunspell_available():
        if os.environ.get("CI"):
            pytest.fail("hunspell with de_DE and en_GB is required in CI")
        pytest.skip("hunspell with de_DE and en_GB dictionaries is not installed")
    text = "\n".join(v for (code, _), v in {**PROACTIVE, **WRITTEN}.items() if code == lang)
    assert misspelled(text, lang) == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_group_c_is_offered_no_earlier_date_in_the_rehearsal(lang):
    import datetime as dt

    from samples import example

    from phrasebook.rehearse import load_script

    params = dict(example("deadline-offer", lang), deadline=None, effort_days="5", buffer="4")
    today = dt.date(2026, 11, 23)
    plain = load_script("deadline-offer", lang, params, today=today)
    firm = load_script("deadline-offer", lang, params, today=today, client={"group": "C"})
    fallback = "2 December" if lang == "en" else "2. Dezember"
    promised = "4 December" if lang == "en" else "4. Dezember"
    assert fallback in plain.objections[0].answer
    assert fallback not in firm.markdown
    assert promised in firm.objections[0].answer
    assert ("first part" if lang == "en" else "ersten Teil") not in firm.markdown
