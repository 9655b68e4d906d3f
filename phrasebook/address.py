"""Forms of address: salutations and names, by the rules of German and English business letters.

Grammar is code: templates call the filters of :func:`filters_for` and never assemble a
salutation themselves.

* **Titles.** A salutation carries only the highest academic title: any professorship is
  written out (German „Frau Professorin Müller“, „Herr Professor Weber“; English
  "Professor Miller"), any doctorate is „Dr.“ (British "Dr", American "Dr."), and
  degrees such as Dipl.-Ing., M.A., B.Sc., MBA or Mag. never appear. The title as given
  stays where an address belongs (:func:`display_name`).
* **Organisations.** A letter to a company with no named person: „Sehr geehrte Damen und
  Herren,“ / „Liebes Team von Weber Digital,“, "Dear Sir or Madam," / "Dear Weber
  Digital team,".
* **Several people** get one salutation line in the order given (DIN 5008): „Sehr geehrte
  Frau Müller, sehr geehrter Herr Weber,“, „Liebe Anna, lieber Jonas,“, "Dear Ms Miller
  and Mr Walker,". The German informal body then speaks to *ihr* (:func:`is_plural`).
* Names are used as written: particles and double names keep their spelling
  („Herr von Weizsäcker“, "Mr van der Berg", „Frau Müller-Lüdenscheidt“).

A person is a mapping with ``title``, ``first_name``, ``last_name``, ``gender``
(``female``, ``male`` or ``neutral``), ``email`` and ``organisation``; missing keys
and None mean "not given".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .l10n import Language, format_listing

Person = Mapping[str, Any]

#: Pieces of a title (between spaces, dots and hyphens, lower case) that mean a professorship.
_PROFESSOR = frozenset({"prof", "professor", "professorin", "juniorprof", "juniorprofessor", "juniorprofessorin"})
#: Pieces of a title that mean a doctorate (``Dr. med.``, ``Dr.-Ing.`` are doctorates too).
_DOCTOR = frozenset({"dr", "drs", "phd", "dphil", "doktor", "doctor", "md", "edd", "dba", "dsc"})
#: Doctorates abbreviated letter by letter: ``Ph.D.``, ``D.Phil.``, ``M.D.``.
_DOCTOR_SPELLED = (("ph", "d"), ("d", "phil"), ("m", "d"))
_PIECE = re.compile(r"[^\s.\-]+")


def _pieces(title: str | None) -> list[str]:
    """The pieces of a title, lower case (``Prof. Dr.-Ing.`` → ``prof``, ``dr``, ``ing``)."""
    return [p.lower() for p in _PIECE.findall(title or "")]


def title_rank(title: str | None) -> str | None:
    """``professor``, ``doctor`` or None: the highest title a salutation may carry.

    >>> title_rank("Prof. Dr. med."), title_rank("Dr. rer. nat."), title_rank("Dipl.-Ing.")
    ('professor', 'doctor', None)
    >>> title_rank("Dr.-Ing."), title_rank("PhD"), title_rank("MBA")
    ('doctor', 'doctor', None)
    """
    pieces = _pieces(title)
    if any(p in _PROFESSOR for p in pieces):
        return "professor"
    pairs = set(itertools.pairwise(pieces))
    if any(p in _DOCTOR for p in pieces) or pairs.intersection(_DOCTOR_SPELLED):
        return "doctor"
    return None


def _given(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_person(person: Person) -> bool:
    """Whether a named person is meant (a last name), not an organisation alone."""
    return _given(person.get("last_name"))


def is_plural(people: Sequence[Person]) -> bool:
    """Whether a letter speaks to more than one person: several people, or an
    organisation with no named person (German *ihr* rather than *du*).

    >>> is_plural([{"last_name": "Müller"}]), is_plural([{"organisation": "Weber Digital"}])
    (False, True)
    """
    return len(people) > 1 or (len(people) == 1 and not is_person(people[0]))


# --- German -----------------------------------------------------------------------------


def _title_de(person: Person) -> str:
    """The title in a German salutation: „Professorin“/„Professor“ (written out), „Prof.“
    for the gender-neutral form, „Dr.“, or nothing."""
    rank = title_rank(person.get("title"))
    if rank == "professor":
        gender = str(person.get("gender"))
        return {"female": "Professorin", "male": "Professor"}.get(gender, "Prof.")
    return "Dr." if rank == "doctor" else ""


def _name_de(person: Person, *, dative: bool = False) -> str:
    """„Frau Professorin Müller“, „Herr Dr. Weber“ (dative „Herrn Dr. Weber“), „Alex Müller“."""
    title = _title_de(person)
    gender = person.get("gender")
    parts: list[str] = []
    if gender == "female":
        parts.append("Frau")
    elif gender == "male":
        parts.append("Herrn" if dative else "Herr")
    if title:
        parts.append(title)
    if gender not in ("female", "male") and _given(person.get("first_name")):
        parts.append(str(person["first_name"]).strip())
    parts.append(str(person.get("last_name") or "").strip())
    return " ".join(p for p in parts if p)


def _salutation_de(people: Sequence[Person], formal: bool) -> str:
    if len(people) == 1 and not is_person(people[0]):
        organisation = str(people[0].get("organisation") or "").strip()
        if formal or not organisation:
            return "Sehr geehrte Damen und Herren,"
        return f"Liebes Team von {organisation},"
    de = Language("de", "de_DE")
    if not formal:
        if any(p.get("gender") not in ("female", "male") for p in people):
            names = [str(p.get("first_name") or "").strip() for p in people]
            return f"Hallo {format_listing(names, language=de)},"
        parts = [
            ("Liebe " if p.get("gender") == "female" else "Lieber ") + str(p.get("first_name") or "").strip()
            for p in people
        ]
        return _lower_after_first(parts) + ","
    if any(p.get("gender") not in ("female", "male") for p in people):
        return f"Guten Tag {format_listing([_name_de(p) for p in people], language=de)},"
    parts = [
        ("Sehr geehrte " if p.get("gender") == "female" else "Sehr geehrter ") + _name_de(p)
        for p in people
    ]
    return _lower_after_first(parts) + ","


def _lower_after_first(parts: Sequence[str]) -> str:
    """Join salutations of several people: the later ones begin in lower case."""
    return ", ".join([parts[0], *(p[:1].lower() + p[1:] for p in parts[1:])])


# --- English ----------------------------------------------------------------------------


def _honorific_en(person: Person, language: Language) -> str:
    """"Professor", "Dr"/"Dr.", "Ms"/"Ms.", "Mr"/"Mr." or nothing (neutral, no title)."""
    us = language.locale == "en_US"
    rank = title_rank(person.get("title"))
    if rank == "professor":
        return "Professor"
    if rank == "doctor":
        return "Dr." if us else "Dr"
    gender = person.get("gender")
    if gender == "female":
        return "Ms." if us else "Ms"
    if gender == "male":
        return "Mr." if us else "Mr"
    return ""


def _name_en(person: Person, language: Language) -> str:
    """"Dr Miller", "Ms. Walker", "Professor Khan", or "Alex Miller" (neutral, no title)."""
    honorific = _honorific_en(person, language)
    last = str(person.get("last_name") or "").strip()
    if honorific:
        return f"{honorific} {last}"
    first = str(person.get("first_name") or "").strip()
    return f"{first} {last}".strip()


def _salutation_en(people: Sequence[Person], formal: bool, language: Language) -> str:
    if len(people) == 1 and not is_person(people[0]):
        organisation = str(people[0].get("organisation") or "").strip()
        if formal or not organisation:
            return "Dear Sir or Madam,"
        return f"Dear {organisation} team,"
    if not formal:
        names = [str(p.get("first_name") or "").strip() for p in people]
        return f"Hi {format_listing(names, language=language)},"
    return f"Dear {format_listing([_name_en(p, language) for p in people], language=language)},"


# --- what templates use -----------------------------------------------------------------


def salutation(people: Sequence[Person] | Person, formal: bool = True, *, language: Language) -> str:
    """The salutation line of a letter, ending with a comma.

    >>> de, gb = Language("de", "de_DE"), Language("en", "en_GB")
    >>> salutation({"title": "Prof. Dr.", "gender": "female", "last_name": "Müller"}, language=de)
    'Sehr geehrte Frau Professorin Müller,'
    >>> salutation([{"gender": "female", "last_name": "Müller"},
    ...             {"gender": "male", "title": "Dr. med.", "last_name": "Weber"}], language=de)
    'Sehr geehrte Frau Müller, sehr geehrter Herr Dr. Weber,'
    >>> salutation({"organisation": "Weber Digital"}, False, language=de)
    'Liebes Team von Weber Digital,'
    >>> salutation({"gender": "male", "title": "Dr.-Ing.", "last_name": "Walker"}, language=gb)
    'Dear Dr Walker,'
    """
    group = _people(people)
    if language.code == "de":
        return _salutation_de(group, formal)
    return _salutation_en(group, formal, language)


def spoken_name(person: Person, formal: bool = True, case: str = "nominative", *, language: Language) -> str:
    """How the person is named in speech: „Frau Professorin Müller“ (or „Herrn Weber“ in
    the dative), "Dr Miller", the first name in the informal register; for an
    organisation alone „das Team von Weber Digital“ / "the Weber Digital team".

    >>> de = Language("de", "de_DE")
    >>> spoken_name({"gender": "male", "title": "Dr. Dr.", "last_name": "Weber"}, case="dative", language=de)
    'Herrn Dr. Weber'
    """
    if not is_person(person):
        organisation = str(person.get("organisation") or "").strip()
        if language.code == "de":
            article = "dem" if case == "dative" else "das"
            return f"{article} Team von {organisation}"
        return f"the {organisation} team"
    if not formal:
        return str(person.get("first_name") or "").strip()
    if language.code == "de":
        return _name_de(person, dative=case == "dative")
    return _name_en(person, language)


def display_name(person: Person) -> str:
    """The name where an address belongs (an email's To:, a document's recipient): the
    title as given, first and last name, and the organisation.

    >>> display_name({"title": "Prof. Dr.", "first_name": "Katrin", "last_name": "Müller",
    ...               "organisation": "Weber Digital"})
    'Prof. Dr. Katrin Müller (Weber Digital)'
    """
    name = " ".join(
        str(person[key]).strip() for key in ("title", "first_name", "last_name") if _given(person.get(key))
    )
    organisation = str(person.get("organisation") or "").strip()
    if name and organisation:
        return f"{name} ({organisation})"
    return name or organisation


def _people(people: Sequence[Person] | Person) -> list[Person]:
    if isinstance(people, Mapping):
        return [people]
    return list(people)


def filters_for(language: Language) -> dict[str, Callable[..., Any]]:
    """The Jinja filters of this module, bound to one language."""
    return {
        "salutation": lambda people, formal=True: salutation(people, formal, language=language),
        "spoken_name": lambda person, formal=True, case="nominative": spoken_name(
            person, formal, case, language=language
        ),
        "display_name": display_name,
    }
