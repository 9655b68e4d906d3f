"""price-pressure: the price held with its reason, other ways, a later review, a calm farewell."""

from __future__ import annotations

import pytest
from conftest import TODAY
from samples import assert_every_variant_reads_cleanly, changed, example, variants

import phrasebook
from phrasebook.errors import InvalidParams

#: Every branch of the letter: the relationship, the ending, the reason and each other way.
BRANCHES = [
    {},
    {"value": None, "asked_discount": None, "offer": None, "vat": None},
    {"package": None, "package_price": None},
    {"smaller_scope": None, "smaller_price": None, "review_date": None},
    {"smaller_scope": None, "smaller_price": None, "package": None, "package_price": None},
    {"ending": "farewell"},
    {"ending": "farewell", "relationship": "existing", "package": None, "package_price": None},
    {"ending": "farewell", "smaller_scope": None, "smaller_price": None, "package": None, "package_price": None},
    {"relationship": "existing", "smaller_price": None, "package_price": None, "currency": "CHF"},
    {"relationship": "existing", "smaller_scope": None, "smaller_price": None, "package": None,
     "package_price": None},
]


@pytest.mark.parametrize("lang", ["de", "en", "en_US"])
@pytest.mark.parametrize("number", range(len(BRANCHES)))
def test_every_branch_and_variant_reads_cleanly(lang: str, number: int) -> None:
    assert_every_variant_reads_cleanly("price-pressure", lang, BRANCHES[number], today=TODAY)


@pytest.mark.parametrize(
    ("lang", "change", "sentence"),
    [
        ("de", {}, "vielen Dank für Ihre Rückmeldung zu meinem Angebot für den Relaunch der Website und für die "
         "offene Frage nach einem Nachlass von 15\xa0%. Ich möchte Ihnen darauf eine klare Antwort geben."),
        ("de", {"relationship": "existing", "asked_discount": None, "formality": "informal"},
         "vielen Dank für deine offene Frage nach einem Nachlass für den Relaunch der Website."),
        ("de", {}, "Ich bleibe beim Preis von 4.800,00\xa0€ zuzüglich Umsatzsteuer. Darin steckt, was Sie am Ende "
         "in der Hand haben: ein Konzept"),
        ("de", {"value": None}, "Er richtet sich nach dem Wert des Ergebnisses für Sie, nicht nach einzelnen "
         "Arbeitsstunden. Nachlässe gebe ich grundsätzlich nicht"),
        ("de", {}, "Wenn Ihr Budget feststeht, gibt es zwei andere Wege:\n\n- ein kleinerer Umfang: ohne die "
         "Bildrecherche und mit einer Korrekturschleife, zum Preis von 3.900,00\xa0€ zuzüglich Umsatzsteuer\n"),
        ("de", {"package": None, "package_price": None, "smaller_price": None},
         "können wir den Umfang anpassen: ohne die Bildrecherche und mit einer Korrekturschleife.\n"),
        ("de", {"smaller_scope": None, "smaller_price": None, "package_price": None},
         "ist vielleicht mein Basispaket mit fünf Seiten das Richtige."),
        ("de", {"smaller_scope": None, "smaller_price": None},
         "ist vielleicht mein Basispaket mit fünf Seiten, zum Preis von 2.900,00\xa0€ zuzüglich Umsatzsteuer, "
         "das Richtige."),
        ("de", {}, "Umfang und Preis sehe ich mir gern ab dem 1. April 2027 gemeinsam mit Ihnen noch einmal an; bis "
         "dahin gilt dieser Preis."),
        ("de", {}, "Welcher Weg passt Ihnen am besten?"),
        ("de", {"ending": "farewell", "formality": "informal"},
         "Wenn für dich am Ende vor allem der Preis zählt, passen wir an dieser Stelle nicht zusammen, und das ist in "
         "Ordnung. Danke für dein Interesse; ich wünsche dir, dass du eine Lösung findest, die gut zu deinem Budget "
         "passt. Solltest du dich doch für einen der genannten Wege entscheiden, bin ich gern für dich da."),
        ("de", {"ending": "farewell", "relationship": "existing", "smaller_scope": None, "smaller_price": None,
                "package": None, "package_price": None},
         "Danke für die bisherige Zusammenarbeit; ich wünsche Ihnen für alles Weitere viel Erfolg. Sollten Sie sich "
         "doch für diesen Preis entscheiden"),
        ("en", {}, "Thank you for your feedback on my quote for the relaunch of your website, and for asking me "
         "directly about a discount of 15%. I would like to give you a clear answer."),
        ("en", {}, "My price remains £4,800.00 plus VAT. It reflects what you get: a concept tailored to your "
         "audience, two rounds of revisions and a briefing for your team. I do not offer discounts"),
        ("en", {"smaller_scope": None, "smaller_price": None, "formality": "informal"},
         "If your budget is fixed, my starter package with five pages, for £2,900.00 plus VAT, may be the better fit."),
        ("en", {"ending": "farewell", "formality": "informal", "package": None, "package_price": None},
         "we are not the right fit this time, and that’s fine. Thank you for your interest, and I hope you find an "
         "offer that suits your budget. Should you decide on this option after all, I’d be glad to help."),
        ("en", {}, "I am happy to look at scope and price with you again from 1 April 2027; until then, this price "
         "stands."),
        ("en", {"value": None}, "It reflects the value of the result to you, not the number of hours it takes."),
    ],
)
def test_what_the_letter_says(lang: str, change: dict, sentence: str) -> None:
    params = changed(example("price-pressure", lang), change)
    assert sentence in phrasebook.render("price-pressure", lang, params, today=TODAY).body


@pytest.mark.parametrize(
    ("lang", "change", "subject"),
    [
        ("de", {}, "Ihre Frage zum Preis für den Relaunch der Website"),
        ("de", {"offer": None, "formality": "informal"}, "Deine Frage zum Preis"),
        ("en", {}, "Your question about the price for the relaunch of your website"),
        ("en", {"offer": None}, "Your question about the price"),
    ],
)
def test_subject(lang: str, change: dict, subject: str) -> None:
    params = changed(example("price-pressure", lang), change)
    assert phrasebook.render("price-pressure", lang, params, today=TODAY).subject == subject


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_letter_neither_apologises_nor_gives_in(lang: str) -> None:
    for _label, params in variants("price-pressure", lang):
        for change in BRANCHES:
            body = phrasebook.render("price-pressure", lang, changed(params, change), today=TODAY).body.lower()
            for word in ("leider", "entschuldig", "ausnahmsweise", "nein", "sorry", "apolog", "unfortunately",
                         "exception"):
                assert word not in body


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"review_date": "2026-11-24"}, "review_date: 2026-11-24 is not after today (2026-11-24)"),
        ({"smaller_scope": None}, "smaller_price: only used together with smaller_scope"),
        ({"package": None}, "package_price: only used together with package"),
        ({"asked_discount": "95"}, "asked_discount: '95' "),
    ],
)
def test_what_makes_no_sense_is_refused(change: dict, problem: str) -> None:
    params = changed(example("price-pressure", "en"), change)
    with pytest.raises(InvalidParams) as caught:
        phrasebook.render("price-pressure", "en", params, today=TODAY)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
