"""The onboarding-pack document: sections that come and go, both registers, safe Markdown."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from typing import Any

import pytest
from conftest import GOLDEN, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quality import hunspell_available, misspelled, problems
from samples import example, fixture_path

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams, UnsupportedFormat

NAME = "onboarding-pack"
HOSTILE = "**x** [Klick](javascript:alert(1)) <img src=x>"

#: The sections and the parameters that make each appear.
TRIGGERS: list[tuple[str, ...]] = [
    ("phases",),
    ("included", "not_included"),
    ("channels", "email_rhythm", "response_hours"),
    ("cancellation_hours", "no_show"),
    ("fee", "invoicing", "payment_days", "late_payment"),
    ("client_contribution",),
    ("start_date", "end_date", "duration", "notice"),
    ("contacts", "sender.email"),
]
#: How each section's heading starts, in the order of TRIGGERS, per language and register.
HEADINGS: dict[tuple[str, str], list[str]] = {
    ("de", "formal"): [
        "So gehen wir vor",
        "Was der Auftrag",
        "So erreichen Sie mich",
        "Termine und Absagen",
        "Honorar und Zahlung",
        "Ihr Beitrag",
        "Dauer der Zusammenarbeit",
        "Kontakt",
    ],
    ("de", "informal"): [
        "So gehen wir vor",
        "Was der Auftrag",
        "So erreichst du mich",
        "Termine und Absagen",
        "Honorar und Zahlung",
        "Dein Beitrag",
        "Dauer der Zusammenarbeit",
        "Kontakt",
    ],
    ("en", "formal"): [
        "Steps and dates",
        "What is",
        "How to reach me",
        "Appointments and cancellations",
        "Fees and payment",
        "Your part",
        "How long we will work together",
        "Contact",
    ],
}
HEADINGS["en", "informal"] = HEADINGS["en", "formal"]

#: Every optional parameter of the scenario that switches text on or off.
OPTIONAL = sorted(
    {p for triggers in TRIGGERS for p in triggers}
    | {"project", "welcome_note", "fee_basis", "currency", "vat"}
)


#: A register-neutral late-payment rule (the examples use the built-in sentence).
LATE = {
    "de": "Nach der zweiten Erinnerung ruht die Arbeit, bis die Zahlung eingegangen ist.",
    "en": "After a second reminder, work pauses until the payment has arrived.",
}


def minimal(lang: str = "de", **extra: Any) -> dict[str, Any]:
    """The shared required parameters only, plus ``extra`` (dotted names allowed)."""
    params: dict[str, Any] = {
        "recipient.last_name": "Weber" if lang == "de" else "Walker",
        "recipient.gender": "male",
        "sender.name": "Anna Schäfer",
    }
    params.update(extra)
    return params


def render(lang: str, params: dict[str, Any], fmt: str = "text", *, hostile: bool = False) -> str:
    """Render the pack; ``hostile`` values look like placeholders ([Klick]) and are let through."""
    return phrasebook.render(NAME, lang, params, today=TODAY, fmt=fmt, allow_placeholders=hostile).text


def flat_example(lang: str) -> dict[str, Any]:
    data = example(NAME, lang)
    flat = {k: v for k, v in data.items() if not isinstance(v, dict)}
    for group in ("recipient", "sender"):
        flat.update({f"{group}.{k}": v for k, v in data[group].items()})
    return flat


def need_pandoc() -> None:
    if not shutil.which("pandoc"):
        if os.environ.get("CI"):
            pytest.fail("pandoc is required in CI")
        pytest.skip("pandoc is not installed")


def pandoc_native(markdown: str, tmp_path) -> str:
    source = tmp_path / "doc.md"
    source.write_text(markdown, encoding="utf-8")
    result = subprocess.run(
        ["pandoc", "-s", "-f", "markdown", "-t", "native", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- safe Markdown --------------------------------------------------------------

HOSTILE_PARAMS = {
    "recipient.last_name": HOSTILE,
    "recipient.first_name": HOSTILE,
    "recipient.title": "<b>Dr.</b>",
    "sender.name": HOSTILE,
    "sender.company": "[ACME](http://evil.example)",
    "project": HOSTILE,
    "welcome_note": f"{HOSTILE}\n<script>alert(1)</script> `code` $x$ \\input{{/etc/passwd}}",
    "phases": [{"name": HOSTILE, "date": "2026-12-01", "description": HOSTILE}],
    "included": [HOSTILE],
    "not_included": ["_y_ ~~z~~"],
    "channels": ["<https://evil.example>"],
    "client_contribution": [HOSTILE],
    "duration": HOSTILE,
    "notice": HOSTILE,
    "late_payment": HOSTILE,
    "contacts": [{"name": HOSTILE, "role": HOSTILE, "phone": "![i](x.png)"}],
}
FORBIDDEN = (
    "Link",
    "Image",
    "RawInline",
    "RawBlock",
    "Strong",
    "Emph",
    "Strikeout",
    "Code",
    "Math",
)


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("formality", ["formal", "informal"])
def test_hostile_values_stay_literal_text_in_pandoc(lang: str, formality: str, tmp_path) -> None:
    need_pandoc()
    params = minimal(lang, formality=formality, **HOSTILE_PARAMS)
    native = pandoc_native(render(lang, params, fmt="md", hostile=True), tmp_path)
    found = sorted({word for word in FORBIDDEN if re.search(rf"\b{word}\b", native)})
    assert found == [], native
    assert 'Str "[Klick](javascript:alert(1))"' in native
    assert 'Str "**x**"' in native


def test_the_hostile_check_would_see_markup_if_values_were_not_escaped(tmp_path) -> None:
    need_pandoc()
    native = pandoc_native(render("de", minimal(**HOSTILE_PARAMS), fmt="text", hostile=True), tmp_path)
    assert "Strong" in native and "Link" in native and "RawInline" in native


def test_own_title_is_escaped_in_the_front_matter(tmp_path) -> None:
    need_pandoc()
    doc = phrasebook.render(NAME, "de", minimal(subject=HOSTILE), today=TODAY, fmt="md", allow_placeholders=True)
    assert doc.text.startswith(
        "---\ntitle: \\*\\*x\\*\\* \\[Klick\\](javascript:alert(1)) \\<img src=x\\>\n"
    )
    native = pandoc_native(doc.text, tmp_path)
    assert not re.search(r"\b(Strong|Link|RawInline)\b", native), native


def test_choice_values_reach_markdown_templates_unescaped() -> None:
    text = render(
        "de",
        minimal(email_rhythm="twice_daily", invoicing="per_phase", fee="120", fee_basis="per_hour"),
        fmt="md",
    )
    assert "E-Mails lese und beantworte ich zweimal am Tag, gebündelt zu festen Zeiten." in text
    assert (
        "120,00\xa0€ pro Stunde. Ich rechne jeweils nach Abschluss einer Projektphase ab." in text
    )


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("formality", ["formal", "informal"])
def test_markdown_converts_in_both_registers(lang: str, formality: str, tmp_path) -> None:
    need_pandoc()
    params = dict(flat_example(lang), formality=formality)
    native = pandoc_native(render(lang, params, fmt="md"), tmp_path)
    assert len(re.findall(r"\bHeader\s+2\b", native)) == 8
    assert len(re.findall(r"\bOrderedList\b", native)) == 1
    assert len(re.findall(r"\bBulletList\b", native)) == 5


# --- wording --------------------------------------------------------------------

SALUTATIONS = {
    ("de", "formal", "female"): "Sehr geehrte Frau Dr. Müller,",
    ("de", "formal", "male"): "Sehr geehrter Herr Dr. Müller,",
    ("de", "formal", "neutral"): "Guten Tag Dr. Katrin Müller,",
    ("de", "informal", "female"): "Liebe Katrin,",
    ("de", "informal", "male"): "Lieber Jonas,",
    ("de", "informal", "neutral"): "Hallo Katrin,",
    ("en", "formal", "female"): "Dear Dr Miller,",
    ("en", "formal", "neutral"): "Dear Dr Miller,",
    ("en_US", "formal", "female"): "Dear Dr. Miller,",
    ("en", "informal", "male"): "Hi Jonas,",
}


@pytest.mark.parametrize(("key", "line"), SALUTATIONS.items(), ids="-".join)
def test_the_document_greets_the_client_like_a_letter(key: tuple[str, str, str], line: str) -> None:
    lang, formality, gender = key
    params = dict(flat_example(lang[:2]), formality=formality)
    params["recipient.gender"] = gender
    if gender == "male":
        params["recipient.first_name"] = "Jonas"
    text = render(lang, params, fmt="md")
    assert text.split("---\n", 2)[2].startswith(f"\n{line}\n\n")


@pytest.mark.parametrize(
    ("lang", "formality"), list(itertools.product(["de", "en"], ["formal", "informal"]))
)
def test_both_registers_read_cleanly(lang: str, formality: str) -> None:
    for gender in ("female", "male", "neutral"):
        params = dict(flat_example(lang), formality=formality)
        params["recipient.gender"] = gender
        doc = phrasebook.render(NAME, lang, params, today=TODAY, fmt="text")
        assert problems(doc.text, lang, formal=formality == "formal") == []
        if hunspell_available():
            assert misspelled(doc.subject + "\n" + doc.body, lang) == []


def test_informal_german_says_du_throughout() -> None:
    text = render("de", dict(flat_example("de"), formality="informal"))
    for sentence in (
        "herzlich willkommen und danke für dein Vertrauen!",
        "Damit du von Anfang an weißt, woran du bist,",
        "Auf diese Termine kannst du dich verlassen.",
        "Brauchst du darüber hinaus etwas, sprich mich gern an.",
        "So erreichst du mich\n--------------------\n",
        "Kannst du einen Termin nicht wahrnehmen, sag ihn bitte spätestens 48 Stunden vorher ab;",
        "Die Zeit ist fest für dich reserviert",
        "erinnere ich dich einmal freundlich daran.",
        "Dein Beitrag\n------------\n",
        "brauche ich von dir:",
        "Hast du Fragen zu diesen Absprachen? Dann sprich mich gern an.",
    ):
        assert sentence in text
    assert problems(text, "de", formal=False) == []


def test_minimal_document_has_only_the_welcome() -> None:
    assert render("de", minimal(), fmt="md") == (
        "---\n"
        "title: 'Unsere Zusammenarbeit: alles Wichtige auf einen Blick'\n"
        "author: Anna Schäfer\n"
        "date: 24. November 2026\n"
        "lang: de-DE\n"
        "---\n"
        "\n"
        "Sehr geehrter Herr Weber,\n"
        "\n"
        "herzlich willkommen und vielen Dank für Ihr Vertrauen! Ich freue mich auf unsere "
        "Zusammenarbeit.\n"
        "\n"
        "Haben Sie Fragen? Dann sprechen Sie mich gern an. Auf eine gute Zusammenarbeit!\n"
        "\n"
        "Herzliche Grüße\\\n"
        "Anna Schäfer\n"
    )
    assert render("en", minimal("en", formality="informal", **{"recipient.first_name": "Sam"})) == (
        "Working together: everything at a glance\n"
        "========================================\n"
        "\n"
        "As of 24 November 2026\n"
        "\n"
        "Hi Sam,\n"
        "\n"
        "Welcome aboard, and thanks for choosing to work with me! I’m really looking forward to working with you.\n"
        "\n"
        "Any questions? Just get in touch. I’m looking forward to getting started!\n"
        "\n"
        "Best wishes\n"
        "Anna Schäfer\n"
    )


@pytest.mark.parametrize(
    ("lang", "extra", "sentence"),
    [
        ("de", {"payment_days": "0"}, "Rechnungen sind sofort nach Erhalt ohne Abzug zahlbar."),
        (
            "de",
            {"payment_days": "1"},
            "Rechnungen sind innerhalb eines Tages nach Erhalt ohne Abzug zahlbar.",
        ),
        ("en", {"payment_days": "0"}, "Invoices are due on receipt."),
        ("en", {"payment_days": "30"}, "Invoices are due within 30 days of receipt."),
        (
            "de",
            {"response_hours": "1"},
            "Auf Ihre Nachrichten antworte ich an Arbeitstagen innerhalb einer Stunde.",
        ),
        ("en", {"response_hours": "1"}, "I reply to messages within an hour on working days."),
        (
            "de",
            {"email_rhythm": "once_daily"},
            "E-Mails lese und beantworte ich einmal am Tag, gebündelt "
            "zu einer festen Zeit. Die übrige Zeit",
        ),
        (
            "de",
            {"cancellation_hours": "1"},
            "sagen Sie ihn bitte spätestens eine Stunde vorher ab;",
        ),
        (
            "de",
            {"no_show": "counts_as_held"},
            "Versäumte Termine gelten als durchgeführt. Die Zeit ist fest für Sie reserviert",
        ),
        (
            "de",
            {"cancellation_hours": "24", "no_show": "counts_as_held"},
            "vorher ab; dann vereinbaren wir gemeinsam einen neuen. "
            "Später abgesagte oder versäumte Termine "
            "gelten als durchgeführt.",
        ),
        (
            "en",
            {"no_show": "charged"},
            "Missed appointments are charged in full. That time is set aside",
        ),
        (
            "de",
            {"fee": "1.234,5", "fee_basis": "per_session", "vat": "included", "currency": "CHF"},
            "Das vereinbarte Honorar beträgt 1.234,50\xa0CHF pro "
            "Sitzung einschließlich MWST.",
        ),
        (
            "en",
            {"fee": "950", "fee_basis": "per_day", "vat": "plus", "currency": "GBP"},
            "The agreed fee is £950.00 per day plus VAT.",
        ),
        (
            "en_US",
            {"fee": "150", "fee_basis": "per_hour", "vat": "plus", "currency": "USD"},
            "The agreed fee is $150.00 per hour plus sales tax.",
        ),
        (
            "de",
            {"invoicing": "upfront"},
            "Ich stelle das Honorar vor Beginn der Arbeit in Rechnung.",
        ),
        (
            "de",
            {"late_payment": "Ab dem 15. Tag nach Fälligkeit ruht die Arbeit."},
            "Honorar und Zahlung\n-------------------\n\nAb dem 15. "
            "Tag nach Fälligkeit ruht die Arbeit.\n\n",
        ),
        (
            "de",
            {"duration": "sechs Monate"},
            "Unsere Zusammenarbeit ist auf sechs Monate angelegt.\n",
        ),
        (
            "de",
            {"end_date": "30.06.2027"},
            "Unsere Zusammenarbeit endet am Mittwoch, 30. Juni 2027.\n",
        ),
        (
            "de",
            {"start_date": "2027-01-04", "end_date": "2027-06-30"},
            "Unsere Zusammenarbeit beginnt am Montag, 4. Januar 2027 "
            "und endet am Mittwoch, 30. Juni 2027.",
        ),
        (
            "en_US",
            {"start_date": "2027-01-04", "duration": "six months", "end_date": "2027-06-30"},
            "Our collaboration begins on Monday, January 4, 2027, runs for six months, "
            "and ends on Wednesday, June 30, 2027.",
        ),
        (
            "de",
            {"notice": "zwei Wochen"},
            "Dauer der Zusammenarbeit\n---------------------"
            "---\n\nBeide Seiten können die Zusammenarbeit "
            "schriftlich kündigen; die Kündigungsfrist beträgt zwei Wochen.\n",
        ),
        (
            "de",
            {"included": ["ein Workshop"]},
            "Was der Auftrag umfasst\n-----------------------\n\nIm "
            "Auftrag enthalten:\n\n- ein Workshop\n\n",
        ),
        (
            "en",
            {"not_included": ["printing"]},
            "What is not included\n--------------------\n\nNot "
            "included:\n\n- printing\n\nIf you need",
        ),
        (
            "de",
            {"sender.email": "anna@example.de", "sender.company": "Schäfer Kommunikation"},
            "Kontakt\n-------\n\n- Anna Schäfer, Schäfer "
            "Kommunikation\n  E-Mail: anna@example.de\n\n",
        ),
        (
            "en",
            {
                "contacts": [{"name": "Jo Park", "phone": "+44 20 7946 0000"}],
                "sender.email": "a@b.example",
            },
            "Contact\n-------\n\n- Jo Park\n  Phone: +44 20 7946 0000\n\n",
        ),
        (
            "de",
            {"phases": [{"name": "Start", "date": "2026-12-01"}]},
            "Geplant ist dieser Schritt:\n\n- Start – "
            "Dienstag, 1. Dezember 2026\n\nAuf diesen Termin",
        ),
    ],
)
def test_sentences(lang: str, extra: dict[str, Any], sentence: str) -> None:
    assert sentence in render(lang, minimal(lang[:2], **extra))


def test_contact_lines_break_in_markdown() -> None:
    text = render(
        "en",
        minimal(
            "en",
            contacts=[
                {
                    "name": "Jo Park",
                    "role": "design",
                    "email": "jo@example.com",
                    "phone": "+44 20 7946 0000",
                },
            ],
        ),
        fmt="md",
    )
    assert "- Jo Park, design\\\n  Email: jo@example.com\\\n  Phone: \\+44 20 7946 0000\n" in text


def test_without_sender_email_or_contacts_there_is_no_contact_section() -> None:
    text = render("de", minimal(fee="100"))
    assert "Kontakt" not in text


def test_plain_text_headings_are_underlined_to_their_length() -> None:
    lines = render("de", flat_example("de")).splitlines()
    underlined = [
        (lines[i - 1], line) for i, line in enumerate(lines) if re.fullmatch(r"[=-]+", line)
    ]
    assert len(underlined) == 9
    for title, rule in underlined:
        assert len(rule) == len(title), title


def test_phase_record_problems_are_named() -> None:
    with pytest.raises(InvalidParams) as info:
        phrasebook.render(
            NAME,
            "de",
            minimal(
                phases=[{"name": "Start", "datum": "2026-12-01"}], contacts=[{"role": "Design"}]
            ),
            today=TODAY,
        )
    assert str(info.value).splitlines()[1:] == [
        "  phases: item 1: unknown field 'datum' (did you mean 'date'?)",
        "  contacts: item 1: name is missing",
    ]


def test_eml_is_refused() -> None:
    with pytest.raises(
        UnsupportedFormat, match="onboarding-pack cannot be written as eml; choose one of: md, text"
    ):
        phrasebook.render(NAME, "de", minimal(), today=TODAY, fmt="eml")


def test_cli_writes_markdown_by_default(runner) -> None:
    result = runner.invoke(
        cli, ["render", NAME, "--lang", "de", "--params", fixture_path(NAME, "de"), "--today", "2026-11-24"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "de" / f"{NAME}.md").read_text(encoding="utf-8")
    assert result.stderr == ""


def test_cli_refuses_eml(runner) -> None:
    result = runner.invoke(cli, ["render", NAME, "--lang", "en", "--example", "--format", "eml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: onboarding-pack cannot be written as eml; choose one of: md, text, html, pdf\n"
    )


# --- every combination of sections ----------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lang=st.sampled_from(["de", "en"]),
    formality=st.sampled_from(["formal", "informal"]),
    gender=st.sampled_from(["female", "male", "neutral"]),
    keep=st.sets(st.sampled_from(OPTIONAL)),
)
def test_sections_appear_exactly_when_their_parameters_are_given(
    lang: str, formality: str, gender: str, keep: set[str]
) -> None:
    full = dict(flat_example(lang), late_payment=LATE[lang])
    params = {k: v for k, v in full.items() if k not in OPTIONAL or k in keep}
    if "fee" not in keep:
        params.pop("vat", None)  # only_with: fee
    params.update(formality=formality)
    params["recipient.gender"] = gender
    doc_text = render(lang, params)
    assert problems(doc_text, lang, formal=formality == "formal") == []
    markdown = render(lang, params, fmt="md")
    lines = markdown.splitlines()
    headings = [line[3:] for line in lines if line.startswith("## ")]
    expected = [
        heading
        for heading, triggers in zip(HEADINGS[lang, formality], TRIGGERS, strict=True)
        if any(t in keep for t in triggers)
    ]
    assert len(headings) == len(expected)
    for heading, start in zip(headings, expected, strict=True):
        assert heading.startswith(start)
    for number, line in enumerate(lines):
        if line.startswith(("## ", "- ", "1. ")) and not lines[number - 1].startswith(("- ", "  ")):
            assert lines[number - 1] == "", f"no blank line before {line!r}"
    rules = {p for triggers in TRIGGERS[:-1] for p in triggers}
    intro = "Absprachen" if lang == "de" else "what to expect"
    assert (intro in markdown) == bool(keep & rules)


@pytest.mark.parametrize(
    ("project", "phrase"),
    [
        ("Relaunch", "working with you on the “Relaunch” project."),
        ("Website Project", "working with you on the “Website Project”."),
    ],
)
def test_a_project_name_is_not_followed_by_project_twice(project: str, phrase: str) -> None:
    assert phrase in render("en", minimal("en", project=project))


def test_the_end_does_not_come_before_the_start() -> None:
    with pytest.raises(InvalidParams, match=r"end_date: 2026-11-30 is before start_date \(2026-12-01\)"):
        render("de", minimal("de", start_date="2026-12-01", end_date="2026-11-30"))
    assert "1. Dezember 2026" in render("de", minimal("de", start_date="2026-12-01", end_date="2026-12-01"))


def test_a_german_project_name_is_not_preceded_by_projekt_twice() -> None:
    text = render("de", minimal("de", project="Projekt Phoenix"))
    assert "Ich freue mich auf unsere Zusammenarbeit im „Projekt Phoenix“." in text



def test_phases_follow_each_other_within_the_collaboration() -> None:
    steps = [
        {"name": "Start", "date": "2026-12-03"},
        {"name": "Entwurf", "date": "2026-12-01"},
        {"name": "Abschluss", "date": "2027-03-01"},
    ]
    with pytest.raises(InvalidParams) as exc:
        render("de", minimal("de", phases=steps, start_date="2026-12-02", end_date="2027-02-26"))
    assert exc.value.problems == (
        "phases: item 2 (2026-12-01) comes before item 1 (2026-12-03); list the steps in date order",
        "phases: item 2 (2026-12-01) is before start_date (2026-12-02)",
        "phases: item 3 (2027-03-01) is after end_date (2027-02-26)",
    )
    ordered = [steps[1], steps[0], {"name": "Abschluss", "date": "2027-02-26"}]
    assert "1. Entwurf – Dienstag, 1. Dezember 2026" in render(
        "de", minimal("de", phases=ordered, start_date="2026-12-01", end_date="2027-02-26")
    )


def test_phases_can_be_given_on_the_command_line(runner) -> None:
    result = runner.invoke(cli, [
        "render", "onboarding-pack", "--lang", "de", "--today", "2026-11-24", "--format", "text",
        "--set", "recipient.last_name=Weber", "--set", "recipient.gender=male", "--set", "sender.name=Anna",
        "--set", "phases={name: Auftakt, date: 2026-12-01}",
        "--set", "phases={name: Abschluss, date: 15.01.2027, description: Wir übergeben alles.}",
    ])
    assert result.exit_code == 0, result.output
    assert "1. Auftakt – Dienstag, 1. Dezember 2026\n2. Abschluss – Freitag, 15. Januar 2027\n" in result.stdout
    assert "   Wir übergeben alles.\n" in result.stdout
