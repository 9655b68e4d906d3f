"""The parameter type table, validation messages and spec checking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phrasebook.errors import InvalidParams, SpecError
from phrasebook.l10n import resolve_language
from phrasebook.paramtypes import Invalid, Param
from phrasebook.specfile import parse_param, parse_scenario

DE = resolve_language("de")
EN = resolve_language("en")
HELP = {"de": "Hilfe", "en": "help"}


def param(type_name: str, **extra) -> Param:
    return Param(name="x", type=type_name, help=HELP, **extra)


@pytest.mark.parametrize(
    ("type_name", "raw", "language", "expected"),
    [
        ("str", "  Müller  ", DE, "Müller"),
        ("str", "Mu\u0308ller", DE, "Müller"),
        ("str", "01067", DE, "01067"),
        ("str", "NO", DE, "NO"),
        ("text", "Zeile eins\r\nZeile zwei", DE, "Zeile eins\nZeile zwei"),
        ("int", "3", DE, 3),
        ("int", 7, DE, 7),
        ("decimal", "1.234,50", DE, Decimal("1234.50")),
        ("decimal", "1,234.50", EN, Decimal("1234.50")),
        ("decimal", "1500", DE, Decimal("1500")),
        ("decimal", 99.5, DE, Decimal("99.5")),
        ("bool", "ja", DE, True),
        ("bool", "no", EN, False),
        ("date", "2026-12-02", DE, dt.date(2026, 12, 2)),
        ("date", "02.12.2026", DE, dt.date(2026, 12, 2)),
        ("date", dt.date(2026, 12, 2), EN, dt.date(2026, 12, 2)),
        ("time", "16:00", DE, dt.time(16, 0)),
        ("email", "info@bücher.de", DE, "info@xn--bcher-kva.de"),
    ],
)
def test_coercion(type_name, raw, language, expected) -> None:
    assert param(type_name).coerce(raw, language) == expected


@pytest.mark.parametrize(
    ("type_name", "raw", "language", "message"),
    [
        ("str", "ACME\n---\nheader-includes: x", DE, "a line break is not allowed here"),
        ("str", "Mül\x00ler", DE, r"contains the control character U\+0000"),
        ("str", "evil\u202etxt", DE, r"contains the invisible character U\+202E"),
        ("str", "Mül\u00adler", DE, r"contains the invisible character U\+00AD"),
        ("str", "A\u061cB", DE, r"contains the invisible character U\+061C"),
        ("str", "A\u2060B", DE, r"contains the invisible character U\+2060"),
        ("str", "A\u180eB", DE, r"contains the invisible character U\+180E"),
        ("str", "A\U000e0041B", DE, r"contains the invisible character U\+E0041"),
        ("int", "ten", DE, "expected a whole number"),
        ("int", "1e9", DE, "expected a whole number"),
        ("decimal", "1,234.50", DE, "expected an amount written like 1.234,50"),
        ("decimal", "1.2345", DE, "expected an amount written like 1.234,50"),
        ("decimal", "1.234", EN, "has more than two decimal places"),
        ("decimal", "1.234,50", EN, "expected an amount written like 1,234.50"),
        ("date", "31.02.2026", DE, "is not a calendar date"),
        ("date", "2026-3-31", DE, "expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative"),
        ("date", "03/04/2025", DE, "expected a date as YYYY-MM-DD or DD.MM.YYYY, or relative"),
        ("date", "+5 Werktage", DE, "Werktage include Saturdays"),
        ("date", "+9999 weeks", DE, "reaches too far"),
        ("time", "25:00", DE, "expected a time as HH:MM"),
        ("email", "kunde@@example.de", DE, "expected an email address"),
        ("email", "kunde@example", DE, "expected an email address"),
        ("email", "not an email", DE, "expected an email address"),
        ("bool", "vielleicht", DE, "expected yes or no"),
    ],
)
def test_rejection_messages(type_name, raw, language, message) -> None:
    with pytest.raises(Invalid, match=message):
        param(type_name).coerce(raw, language)


def test_bounds_and_choices() -> None:
    with pytest.raises(Invalid, match="must be at least 1"):
        param("int", min=Decimal(1)).coerce("0", DE)
    with pytest.raises(Invalid, match=r"expected one of: formal, informal \(did you mean 'formal'\?\)"):
        param("choice", choices=("formal", "informal")).coerce("formel", DE)
    with pytest.raises(Invalid, match="expected at most 2 item"):
        param("list", max=Decimal(2)).coerce(["a", "b", "c"], DE)


def test_list_of_records() -> None:
    phases = Param(
        name="phases", type="list", help=HELP,
        fields=(Param("name", "str", HELP), Param("date", "date", HELP)),
    )
    assert phases.coerce([{"name": "Kick-off", "date": "2026-12-01"}], DE) == [
        {"name": "Kick-off", "date": dt.date(2026, 12, 1)}
    ]
    with pytest.raises(Invalid, match="item 1: date is not a calendar date"):
        phases.coerce([{"name": "Kick-off", "date": "2026-02-30"}], DE)
    with pytest.raises(Invalid, match="item 1: unknown field 'nmae' \\(did you mean 'name'\\?\\)"):
        phases.coerce([{"nmae": "Kick-off", "date": "2026-12-01"}], DE)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_date_round_trip(day: dt.date) -> None:
    p = param("date")
    assert p.coerce(day.isoformat(), DE) == day
    assert p.coerce(day.strftime("%d.%m.%Y"), DE) == day


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_amount_round_trip_through_babel(amount: Decimal) -> None:
    from babel.numbers import format_decimal

    p = param("decimal")
    for language in (DE, EN):
        written = format_decimal(amount, format="#,##0.00", locale=language.locale)
        assert p.coerce(written, language) == amount


@given(st.integers(min_value=-(10**8), max_value=10**8))
def test_int_round_trip(number: int) -> None:
    assert param("int").coerce(str(number), DE) == number


def _scenario(params: dict, shared: dict | None = None):
    data = {"title": HELP, "summary": HELP, "kind": "letter", "params": params}
    return parse_scenario("demo", data, "demo.yaml", ("de", "en"), shared)


def test_validate_reports_all_problems_at_once() -> None:
    scenario = _scenario(
        {
            "deadline": {"type": "date", "help": HELP},
            "points": {"type": "list", "required": False, "help": HELP},
            "days": {"type": "int", "min": 1, "help": HELP},
        }
    )
    with pytest.raises(InvalidParams) as exc:
        scenario.validate({"dedline": "x", "days": "0", "points": ["ok", "bad\x07"]}, DE)
    assert exc.value.problems == (
        "dedline: unknown parameter (did you mean 'deadline'?)",
        "points: item 2: contains the control character U+0007",
        "days: '0' must be at least 1",
        "deadline: missing; expected a date such as 2026-12-02 or +7 working days",
    )


def test_nested_and_dotted_names_are_equivalent() -> None:
    scenario = _scenario({"recipient.last_name": {"type": "str", "help": HELP}})
    assert scenario.validate({"recipient": {"last_name": "Müller"}}, DE) == {"recipient.last_name": "Müller"}
    assert scenario.validate({"recipient.last_name": "Müller"}, DE) == {"recipient.last_name": "Müller"}


def test_required_if() -> None:
    scenario = _scenario(
        {
            "formality": {"type": "choice", "choices": ["formal", "informal"], "default": "formal", "help": HELP},
            "first_name": {"type": "str", "required": False, "required_if": [{"formality": "informal"}], "help": HELP},
        }
    )
    assert scenario.validate({}, DE) == {"formality": "formal", "first_name": None}
    with pytest.raises(InvalidParams, match="first_name: missing, needed when formality is informal"):
        scenario.validate({"formality": "informal"}, DE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "strr", "help": HELP}, "unknown type 'strr' \\(did you mean 'str'\\?\\)"),
        ({"type": "str", "help": {"de": "nur deutsch"}}, "help text missing for en"),
        ({"type": "choice", "help": HELP}, "a choice needs choices"),
        ({"type": "str", "hepl": HELP}, "unknown key 'hepl'"),
        ({"type": "int", "default": "many", "help": HELP}, "default 'many' expected a whole number"),
    ],
)
def test_broken_specs_are_spec_errors(data, message) -> None:
    with pytest.raises(SpecError, match=message):
        parse_param("x", data, "demo.yaml", ("de", "en"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x", "summary": HELP}, r"^demo.yaml: title must give the text per language \(de: …, en: …\)$"),
        ({"title": HELP, "summary": HELP, "params": ["x"]},
         r"^demo.yaml: params must map each parameter name to its declaration$"),
    ],
)
def test_a_spec_of_the_wrong_shape_says_what_is_expected(data, message) -> None:
    from phrasebook.specfile import parse_scenario

    with pytest.raises(SpecError, match=message):
        parse_scenario("demo", data, "demo.yaml", ("de", "en"))


def test_every_shipped_spec_loads() -> None:
    from phrasebook import load_catalog

    catalog = load_catalog()
    for scenario in catalog.scenarios():
        assert scenario.title["de"] and scenario.title["en"]
        assert scenario.summary["de"] and scenario.summary["en"]


@pytest.mark.parametrize("address", ["kunde@example.de>", 'k@exa"mple.de', "kunde@a.de>,<x.de", "a@x_y.de"])
def test_an_email_domain_that_would_change_the_header_is_refused(address: str) -> None:
    from phrasebook.paramtypes import Invalid, _to_email

    with pytest.raises(Invalid, match="the domain of the email address is not valid"):
        _to_email(address, None, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "lang", "expected"),
    [("1234.5", "de", "1234.50"), ("1234,50", "de", "1234.50"), ("1234.5", "en", "1234.50"),
     ("1234,50", "en_US", "1234.50"), ("1.5", "de", "1.50"), ("12,5", "en", "12.50"),
     ("1.234,50", "de", "1234.50"), ("1,234.50", "en", "1234.50")],
)
def test_unambiguous_machine_numbers_are_read_in_every_language(written, lang, expected) -> None:
    from decimal import Decimal

    from phrasebook.l10n import resolve_language

    param = Param("fee", "decimal", {"de": "x", "en": "x"})
    assert param.coerce(written, resolve_language(lang)) == Decimal(expected)


@pytest.mark.parametrize("value", [True, False, 12, Decimal("1.5")])
def test_text_refuses_json_yes_no_and_numbers(value) -> None:
    from phrasebook.l10n import resolve_language

    param = Param("topic", "str", {"de": "x", "en": "x"})
    with pytest.raises(Invalid, match="expected text, got"):
        param.coerce(value, resolve_language("de"))


def test_yaml_null_means_not_given_and_a_quoted_null_is_text(tmp_path) -> None:
    from phrasebook.inputs import read_params_file

    path = tmp_path / "p.yaml"
    path.write_text('a: null\nb: ~\nc:\nd: "null"\ne: Null\nf: [~, x]\n', encoding="utf-8")
    assert read_params_file(path) == {"a": None, "b": None, "c": None, "d": "null", "e": "Null", "f": [None, "x"]}


def test_a_null_title_never_prints(tmp_path) -> None:
    from conftest import TODAY

    import phrasebook

    doc = phrasebook.render(
        "deadline-offer", "de",
        {"recipient": {"title": None, "gender": "female", "last_name": "Müller"}, "sender": {"name": "A"},
         "deliverable": "das Konzept", "deadline": "2026-12-02", "points": [None, "die Texte"]},
        today=TODAY,
    )
    assert "Sehr geehrte Frau Müller," in doc.text
    assert "None" not in doc.text and "null" not in doc.text


def test_every_invisible_format_character_is_refused() -> None:
    """Every Unicode format character (category Cf) this Python knows, and every control."""
    import sys
    import unicodedata

    from phrasebook.paramtypes import _FORBIDDEN

    allowed = [
        f"U+{code:04X}" for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cf", "Cc") and chr(code) not in "\t\n\r"
        and not _FORBIDDEN.match(chr(code))
    ]
    assert allowed == []
