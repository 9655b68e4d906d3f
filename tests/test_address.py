"""Forms of address for real recipients: titles, organisations, several people, name particles."""

from __future__ import annotations

import pytest
from conftest import TODAY

import phrasebook
from phrasebook.address import display_name, is_plural, salutation, spoken_name, title_rank
from phrasebook.l10n import resolve_language

DE, GB, US = (resolve_language(code) for code in ("de", "en", "en_US"))


def person(**fields: str) -> dict[str, str]:
    return fields


@pytest.mark.parametrize(
    ("title", "rank"),
    [
        ("Prof. Dr.", "professor"), ("Prof.", "professor"), ("Professorin", "professor"),
        ("Univ.-Prof. Dr.", "professor"), ("apl. Prof. Dr.", "professor"), ("Prof. Dr. med.", "professor"),
        ("Dr.", "doctor"), ("Dr. med.", "doctor"), ("Dr. Dr.", "doctor"), ("Dr. rer. nat.", "doctor"),
        ("Dr.-Ing.", "doctor"), ("Dr. h.c.", "doctor"), ("PhD", "doctor"), ("Ph.D.", "doctor"),
        ("PD Dr.", "doctor"), ("Dipl.-Ing.", None), ("M.A.", None), ("B.Sc.", None), ("MBA", None),
        ("Mag.", None), ("LL.M.", None), ("Dipl.-Kfm.", None), ("", None), (None, None),
    ],
)
def test_only_professorships_and_doctorates_count(title, rank) -> None:
    assert title_rank(title) == rank


@pytest.mark.parametrize(
    ("recipient", "formal", "expected"),
    [
        (person(title="Prof. Dr.", gender="female", last_name="Müller"), True, "Sehr geehrte Frau Professorin Müller,"),
        (person(title="Prof. Dr.", gender="male", last_name="Weber"), True, "Sehr geehrter Herr Professor Weber,"),
        (person(title="Dr. med.", gender="female", last_name="Müller"), True, "Sehr geehrte Frau Dr. Müller,"),
        (person(title="Dr. Dr.", gender="male", last_name="Weber"), True, "Sehr geehrter Herr Dr. Weber,"),
        (person(title="Dr. rer. nat.", gender="male", last_name="Weber"), True, "Sehr geehrter Herr Dr. Weber,"),
        (person(title="Dipl.-Ing.", gender="male", last_name="Weber"), True, "Sehr geehrter Herr Weber,"),
        (person(title="M.A.", gender="female", last_name="Müller"), True, "Sehr geehrte Frau Müller,"),
        (person(title="MBA", gender="female", last_name="Müller"), True, "Sehr geehrte Frau Müller,"),
        (person(title="Mag.", gender="female", last_name="Huber"), True, "Sehr geehrte Frau Huber,"),
        (person(title="Prof. Dr.", gender="neutral", first_name="Alex", last_name="Müller"), True,
         "Guten Tag Prof. Alex Müller,"),
        (person(title="Dr.", gender="neutral", first_name="Alex", last_name="Müller"), True,
         "Guten Tag Dr. Alex Müller,"),
        (person(title="Prof. Dr.", gender="female", first_name="Katrin", last_name="Müller"), False, "Liebe Katrin,"),
        (person(gender="male", last_name="von Weizsäcker"), True, "Sehr geehrter Herr von Weizsäcker,"),
        (person(gender="female", last_name="Müller-Lüdenscheidt"), True, "Sehr geehrte Frau Müller-Lüdenscheidt,"),
        (person(gender="male", last_name="van der Berg"), True, "Sehr geehrter Herr van der Berg,"),
        (person(organisation="Weber Digital"), True, "Sehr geehrte Damen und Herren,"),
        (person(organisation="Weber Digital"), False, "Liebes Team von Weber Digital,"),
        ([person(gender="female", last_name="Müller"), person(gender="male", last_name="Weber")], True,
         "Sehr geehrte Frau Müller, sehr geehrter Herr Weber,"),
        ([person(gender="female", first_name="Anna"), person(gender="male", first_name="Jonas")], False,
         "Liebe Anna, lieber Jonas,"),
        ([person(gender="female", first_name="Anna", last_name="Lang"),
          person(gender="neutral", first_name="Alex", last_name="Roth")], False, "Hallo Anna und Alex,"),
        ([person(gender="female", last_name="Müller"), person(gender="neutral", first_name="Alex", last_name="Roth"),
          person(gender="male", title="Prof.", last_name="Weber")], True,
         "Guten Tag Frau Müller, Alex Roth und Herr Professor Weber,"),
    ],
)
def test_german_salutations(recipient, formal, expected) -> None:
    assert salutation(recipient, formal, language=DE) == expected


@pytest.mark.parametrize(
    ("recipient", "formal", "language", "expected"),
    [
        (person(title="Dr.-Ing.", gender="male", last_name="Walker"), True, GB, "Dear Dr Walker,"),
        (person(title="Dr.-Ing.", gender="male", last_name="Walker"), True, US, "Dear Dr. Walker,"),
        (person(title="Prof. Dr.", gender="female", last_name="Miller"), True, US, "Dear Professor Miller,"),
        (person(title="MBA", gender="female", last_name="Miller"), True, GB, "Dear Ms Miller,"),
        (person(title="B.Sc.", gender="male", last_name="Miller"), True, US, "Dear Mr. Miller,"),
        (person(gender="neutral", first_name="Alex", last_name="Miller"), True, GB, "Dear Alex Miller,"),
        (person(gender="male", last_name="van der Berg"), True, GB, "Dear Mr van der Berg,"),
        (person(gender="male", last_name="de Vries"), True, US, "Dear Mr. de Vries,"),
        (person(organisation="Weber Digital"), True, GB, "Dear Sir or Madam,"),
        (person(organisation="Weber Digital"), False, GB, "Dear Weber Digital team,"),
        ([person(gender="female", last_name="Miller"), person(gender="male", last_name="Walker")], True, GB,
         "Dear Ms Miller and Mr Walker,"),
        ([person(gender="female", last_name="Miller"), person(gender="male", last_name="Walker"),
          person(gender="female", title="Dr", last_name="Khan")], True, US,
         "Dear Ms. Miller, Mr. Walker, and Dr. Khan,"),
        ([person(first_name="Anna"), person(first_name="Jonas")], False, GB, "Hi Anna and Jonas,"),
    ],
)
def test_english_salutations(recipient, formal, language, expected) -> None:
    assert salutation(recipient, formal, language=language) == expected


def test_spoken_names_and_the_dative() -> None:
    weber = person(title="Prof. Dr.", gender="male", last_name="Weber")
    assert spoken_name(weber, language=DE) == "Herr Professor Weber"
    assert spoken_name(weber, case="dative", language=DE) == "Herrn Professor Weber"
    assert spoken_name(person(organisation="Weber Digital"), language=DE) == "das Team von Weber Digital"
    assert spoken_name(weber, language=GB) == "Professor Weber"


def test_the_full_title_stays_where_an_address_belongs() -> None:
    assert display_name(person(title="Prof. Dr.", first_name="Katrin", last_name="Müller")) == (
        "Prof. Dr. Katrin Müller"
    )
    assert display_name(person(organisation="Weber Digital")) == "Weber Digital"


def test_plural() -> None:
    assert not is_plural([person(last_name="Müller")])
    assert is_plural([person(organisation="X")])
    assert is_plural([person(last_name="A"), person(last_name="B")])


BASE = {"sender": {"name": "Anna Schäfer"}, "deliverable": "das Konzept", "deadline": "2026-12-02"}


def _letter(recipient, lang="de", **more):  # type: ignore[no-untyped-def]
    return phrasebook.render("deadline-offer", lang, {**BASE, "recipient": recipient, **more}, today=TODAY)


def test_a_letter_to_an_organisation() -> None:
    doc = _letter({"organisation": "Weber Digital"})
    assert doc.body.startswith("Sehr geehrte Damen und Herren,\n\nvielen Dank")
    assert _letter({"organisation": "Weber Digital"}, "en").body.startswith("Dear Sir or Madam,\n\n")


def test_several_recipients_from_a_yaml_list() -> None:
    doc = _letter([
        {"gender": "female", "last_name": "Müller"}, {"gender": "male", "title": "Dr.", "last_name": "Weber"},
    ])
    assert doc.body.startswith("Sehr geehrte Frau Müller, sehr geehrter Herr Dr. Weber,\n")


def test_several_recipients_from_numbered_names() -> None:
    doc = phrasebook.render(
        "deadline-offer", "en",
        {**BASE, "recipient.last_name": "Miller", "recipient.gender": "female",
         "recipient2.last_name": "Walker", "recipient2.gender": "male"},
        today=TODAY,
    )
    assert doc.body.startswith("Dear Ms Miller and Mr Walker,\n")


def test_a_list_replaces_the_whole_first_person_of_a_lower_layer() -> None:
    """A profile's title must not stick to another person given as a list."""
    from phrasebook.catalog import load_catalog
    from phrasebook.layering import Layer, Layering

    spec = load_catalog().scenario("deadline-offer")
    layered = Layering(spec, [
        Layer("example", {"recipient": {"title": "Dr.", "gender": "female", "last_name": "Müller"}}, defaults=True),
        Layer("params", {"recipient": [
            {"gender": "male", "last_name": "Weber"}, {"gender": "female", "last_name": "Lang"},
        ]}),
    ]).resolve()
    assert layered.values["recipient.title"] is None
    assert layered.values["recipient.last_name"] == "Weber"


def test_informal_needs_first_names_of_everyone() -> None:
    with pytest.raises(phrasebook.PhrasebookError) as failure:
        _letter([
            {"gender": "female", "first_name": "Anna", "last_name": "Lang"}, {"gender": "male", "last_name": "Weber"},
        ], formality="informal")
    assert "recipient.others: item 1: first_name is missing, needed when formality is informal" in str(failure.value)


def test_an_organisation_without_a_person_cannot_come_first_in_a_list() -> None:
    with pytest.raises(phrasebook.PhrasebookError, match="first one needs a name too"):
        _letter([{"organisation": "Weber Digital"}, {"gender": "male", "last_name": "Weber"}])


def test_no_person_and_no_organisation_is_missing_the_last_name() -> None:
    with pytest.raises(phrasebook.PhrasebookError, match=r"recipient\.last_name: missing; expected text"):
        _letter({"gender": "female"})
