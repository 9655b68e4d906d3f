"""Any valid recipient, in any scenario, language and register, gets a correct salutation
and a text without stray values ("null", "None", "~", "True") or doubled words."""

from __future__ import annotations

import re

from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import SCENARIOS, example

import phrasebook
from phrasebook.address import title_rank

TITLES = ["", "Dr.", "Prof. Dr.", "Prof.", "Dr. med.", "Dr. Dr.", "Dr. rer. nat.", "Dr.-Ing.", "PhD",
          "Dipl.-Ing.", "M.A.", "B.Sc.", "MBA", "Mag.", "LL.M.", "Univ.-Prof. Dr."]
LAST = ["Müller", "von Weizsäcker", "van der Berg", "de Vries", "Müller-Lüdenscheidt", "O'Neill",
        "Nguyen", "Null", "True", "Schmidt"]
FIRST = ["Anna", "Jonas", "Alex", "Zoë", "Jean-Luc", "Ümit"]
ORGS = ["Weber Digital", "Müller & Söhne GmbH", "ACME Ltd"]

person = st.fixed_dictionaries({
    "title": st.sampled_from(TITLES),
    "first_name": st.sampled_from(FIRST),
    "last_name": st.sampled_from(LAST),
    "gender": st.sampled_from(["female", "male", "neutral"]),
    "organisation": st.sampled_from(["", *ORGS]),
})
recipients = st.one_of(
    person,
    st.lists(person, min_size=2, max_size=3),
    st.sampled_from(ORGS).map(lambda org: {"organisation": org}),
)

_STRAY = re.compile(r"\b(?:null|None|True|False)\b|(?<!\w)~(?!\w)")
_DOUBLED = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)


def _people(value):  # type: ignore[no-untyped-def]
    return value if isinstance(value, list) else [value]


def _expected_name(p, lang: str, formal: bool) -> str:  # type: ignore[no-untyped-def]
    """What must stand for one person in the salutation."""
    if not formal:
        return str(p["first_name"])
    rank = title_rank(p["title"])
    neutral = p["gender"] not in ("female", "male")
    if lang == "de":
        title = {"professor": {"female": "Professorin", "male": "Professor"}.get(p["gender"], "Prof."),
                 "doctor": "Dr."}.get(rank or "", "")
        return f"{title} {p['first_name'] if neutral else ''} {p['last_name']}".replace("  ", " ").strip()
    title = {"professor": "Professor", "doctor": "Dr."}.get(rank or "", "")
    if neutral and not title:
        return f"{p['first_name']} {p['last_name']}"
    return f"{title} {p['last_name']}".strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=st.sampled_from(SCENARIOS),
    lang=st.sampled_from(["de", "en", "en_US"]),
    formal=st.booleans(),
    recipient=recipients,
)
def test_any_recipient_gets_a_correct_salutation(scenario: str, lang: str, formal: bool, recipient) -> None:
    params = example(scenario, "de" if lang == "de" else "en")
    params = {k: v for k, v in params.items() if k != "recipient"}
    params["recipient"] = recipient
    params["formality"] = "formal" if formal else "informal"
    doc = phrasebook.render(scenario, lang, params, today=TODAY)
    body = doc.body
    lines = [line for line in body.splitlines() if line.strip()]
    salutation = next(line for line in lines if line.endswith(","))
    people = _people(recipient)
    if "last_name" not in people[0]:
        org = people[0]["organisation"]
        expected = {
            ("de", True): "Sehr geehrte Damen und Herren,", ("de", False): f"Liebes Team von {org},",
        }.get((lang, formal)) if lang == "de" else ("Dear Sir or Madam," if formal else f"Dear {org} team,")
        assert salutation == expected
    else:
        for p in people:
            assert _expected_name(p, lang if lang == "de" else "en", formal).replace("Dr.", "Dr") in (
                salutation.replace("Dr.", "Dr")
            )
            for degree in ("Dipl", "M.A.", "B.Sc.", "MBA", "Mag.", "LL.M", "Dr. med", "rer. nat", "Dr.-Ing", "PhD"):
                assert degree not in salutation
    text = doc.text.replace("Null", "").replace("True", "")  # surnames from the strategy
    assert not _STRAY.search(text), _STRAY.search(text)
    assert not _DOUBLED.search(body.replace("Müller-Lüdenscheidt", "")), _DOUBLED.search(body)
