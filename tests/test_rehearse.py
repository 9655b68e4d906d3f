"""Rehearsal scripts: the cheat-sheet templates, their parsing and the step-by-step flow."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from conftest import TODAY
from quality import hunspell_available, misspelled, problems
from samples import CATALOG, example, group_call, variants

from phrasebook.errors import InvalidInput, InvalidParams, TemplateFailure
from phrasebook.l10n import resolve_language
from phrasebook.lint import Finding
from phrasebook.rehearse import (
    SECTIONS,
    Objection,
    Script,
    available,
    clean_answer,
    load_script,
    parse_script,
    plain,
    rehearse,
)
from phrasebook.render import build_context, tidy
from phrasebook.templating import environment

#: Every scenario that has a rehearsal script.
EXPECTED = (
    "deadline-offer", "farewell", "missed-appointment", "payment-reminder", "price-pressure", "progress-nudge",
    "reachability", "scope-decline", "terms-update",
)
LANGS = ("de", "en")


def fake_critic(text: str, lang: str) -> list[Finding]:
    """Flags "leider" and "zeitnah", like the tone linter would (in any language)."""
    found = []
    rules = (
        ("leider", "weakens the sentence", ()),
        ("zeitnah", "„zeitnah“ names no date", ("bis Freitag",)),
    )
    for word, message, tip in rules:
        at = text.lower().find(word)
        if at >= 0:
            found.append(
                Finding(
                    word,
                    "warning",
                    1,
                    at + 1,
                    at,
                    len(word),
                    text[at : at + len(word)],
                    message,
                    tip,
                )
            )
    return found


class Console:
    """Scripted input and recorded output, in place of a terminal."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.shown: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def show(self, text: str) -> None:
        self.shown.append(text)


SHEET = """\
# Title with a \\*star\\*

Intro line.

## Eins

- First question?
- Second question,
  continued?

## Zwei

Opening line one
continues here.

## Drei

- Key one.
- Key two.

## Vier

### „Zu spät.“

Answer one.

### „Zu teuer.“

Answer two.

## Fünf

Closing?
"""


def test_parse_reads_sections_by_position_not_by_title() -> None:
    script = parse_script(SHEET, lang="de")
    assert script.title == "Title with a *star*"
    assert script.intro == "Intro line."
    assert script.headings == ("Eins", "Zwei", "Drei", "Vier", "Fünf")
    assert script.checks == ("First question?", "Second question, continued?")
    assert script.opening == "Opening line one continues here."
    assert script.key_sentences == ("Key one.", "Key two.")
    assert script.objections == (
        Objection("„Zu spät.“", "Answer one."),
        Objection("„Zu teuer.“", "Answer two."),
    )
    assert script.closing == "Closing?"
    assert script.markdown == SHEET


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        (SHEET.replace("# Title with a \\*star\\*\n", ""), "the cheat sheet has no '# ' title"),
        (SHEET.replace("## Fünf\n\nClosing?\n", ""), "expected 5 '## ' sections .* found 4"),
        (
            SHEET.replace("- Key one.\n- Key two.", "Key one."),
            "the section 'Drei' must be a list \\('- ' items\\), found 'Key one.'",
        ),
        (SHEET.replace("Answer two.", ""), "the objection '„Zu teuer.“' has no prepared answer"),
        (
            SHEET.replace("### „Zu spät.“\n\n", ""),
            "the section 'Vier' must start with a '### ' objection, found 'Answer one.'",
        ),
        (SHEET.replace("Opening line one\ncontinues here.", ""), "the section 'Zwei' is empty"),
    ],
    ids=["title", "sections", "list", "answer", "objection", "empty"],
)
def test_parse_rejects_a_malformed_sheet_naming_the_source(sheet: str, message: str) -> None:
    with pytest.raises(TemplateFailure, match=f"^templates/de/rehearse/x.jinja: {message}"):
        parse_script(sheet, source="templates/de/rehearse/x.jinja")


def test_plain_removes_markdown_escapes() -> None:
    assert plain(r"Rechnung \#114 \[Entwurf\] 1\. Teil") == "Rechnung #114 [Entwurf] 1. Teil"


def test_typed_control_characters_are_shown_escaped() -> None:
    assert clean_answer(" \x1b]0;pwned\x07 ok\u202e ") == "\\x1b]0;pwned\\x07 ok\\u202e"


def test_the_built_in_scenarios_with_scripts() -> None:
    for lang in LANGS:
        names = available(lang)
        assert {"deadline-offer", "payment-reminder"} <= set(names)
        assert set(names) <= set(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_every_expected_scenario_has_a_script_in_both_languages(name: str) -> None:
    for lang in LANGS:
        assert (CATALOG.templates / lang / "rehearse" / f"{name}.jinja").is_file()


def _cases():
    for name in EXPECTED:
        for lang in LANGS:
            yield pytest.param(name, lang, id=f"{name}-{lang}")


@pytest.mark.parametrize(("name", "lang"), list(_cases()))
def test_scripts_pass_the_language_checks(name: str, lang: str) -> None:
    spell = hunspell_available()
    if not spell and os.environ.get("CI"):
        pytest.fail("hunspell with de_DE and en_GB is required in CI")
    for label, params in variants(name, lang):
        formal = params.get("formality", "formal") == "formal"
        script = load_script(name, lang, params, today=TODAY)
        texts = [script.markdown, _spoken(script)]
        for text in texts:
            assert problems(text, lang, formal=formal, plural=group_call(params)) == [], label
        assert len(script.objections) >= 2, label
        assert "?" in script.closing, label
        if spell:
            assert misspelled(script.markdown, lang) == [], label


#: Optional parts switched off one by one, so every branch of the scripts is read and checked.
REDUCED = {
    "scope-decline": [
        {"extra_days": None, "later_phase": None},
        {"extra_price": None, "vat": None, "later_phase": None},
        {"extra_price": None, "vat": None, "extra_days": None},
        {"extra_price": None, "vat": None, "extra_days": None, "later_phase": "yes"},
        {"extra_price": None, "vat": None, "extra_days": None, "later_phase": None, "referral": "Jonas Weber"},
        {"referral": "Jonas Weber", "agreed_scope": ["A", "B", "C", "D"]},
        {"agreed_scope": ["A"]},
    ],
    "farewell": [
        {
            "project": None,
            "reason": None,
            "open_items": None,
            "recommendation": None,
            "final_invoice": None,
            "final_amount": None,
        },
        {"open_items": ["A", "B", "C", "D"], "final_invoice": None},
        {"final_amount": None},
    ],
    "deadline-offer": [
        {"points": None, "reason": None},
        {"points": ["A"]},
        {"points": ["A", "B", "C", "D"]},
    ],
    "missed-appointment": [
        {"event": "cancelled_late", "next_dates": None, "appointment_time": None},
        {"no_show": "counts_as_held", "fee": None, "vat": None, "next_dates": [{"date": "2026-11-30"}]},
        {"fee": None, "vat": None, "cancellation_hours": 1},
    ],
    "price-pressure": [
        {"value": None, "smaller_scope": None, "smaller_price": None, "package": None, "package_price": None,
         "review_date": None, "asked_discount": None, "offer": None},
        {"package": None, "package_price": None, "ending": "farewell", "relationship": "existing"},
        {"smaller_scope": None, "smaller_price": None, "relationship": "existing", "vat": None},
        {"smaller_price": None, "package_price": None, "ending": "farewell"},
    ],
    "reachability": [
        {"emergency": None, "channels": None, "contact_date": None, "contact": None, "contact_time": None},
        {"response_hours": 1, "days": "mon_sat", "emergency": None},
        {"contact_time": None, "contact": "message", "days": "tue_fri"},
    ],
    "progress-nudge": [
        {"promised_date": "2026-12-10"},
        {"missing": "material", "deliver_by": None},
        {"missing": "access", "promised_date": "2026-12-10"},
    ],
    "terms-update": [
        {"old_rate": None, "new_rate": None, "vat": None, "reachable": None},
        {"old_rate": None, "new_rate": None, "vat": None, "reachable": None, "response_hours": None},
        {"payment_days": 0, "response_hours": 1, "cancellation_hours": 1, "no_show": "counts_as_held"},
        {"reachable": None, "rate_basis": "per_month", "vat": None, "no_show": None},
    ],
    "payment-reminder": [
        {"service": None, "reminder_level": "second"},
        {"reminder_level": "second", "previous_reminder": "2026-11-20", "currency": "CHF"},
        {"new_due_date": "2026-12-04"},
    ],
}


def _reduced():
    for name, changes in REDUCED.items():
        for lang in LANGS:
            for number, change in enumerate(changes, 1):
                yield pytest.param(name, lang, change, id=f"{name}-{lang}-{number}")


@pytest.mark.parametrize(("name", "lang", "change"), list(_reduced()))
def test_every_branch_of_the_scripts_reads_well(name: str, lang: str, change: dict) -> None:
    for formality in ("formal", "informal"):
        params = dict(example(name, lang), formality=formality)
        params.update({k: v for k, v in change.items() if v is not None})
        for key in [k for k, v in change.items() if v is None]:
            params.pop(key, None)
        script = load_script(name, lang, params, today=TODAY)
        assert problems(script.markdown, lang, formal=formality == "formal") == []
        assert problems(_spoken(script), lang, formal=formality == "formal") == []
        if hunspell_available():
            assert misspelled(script.markdown, lang) == []


def _spoken(script: Script) -> str:
    """The texts as they are read in the terminal, one per line."""
    parts = [script.title, script.intro, *script.checks, script.opening, *script.key_sentences]
    for objection in script.objections:
        parts += [objection.said, objection.answer]
    return "\n".join([*parts, script.closing]) + "\n"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_cheat_sheet_golden(name: str, lang: str, golden) -> None:
    script = load_script(name, lang, example(name, lang), today=TODAY)
    golden.check(f"{lang}/rehearse/{name}.md", script.markdown)


def test_the_sheet_is_one_page() -> None:
    for name in available("de"):
        for lang in LANGS:
            script = load_script(name, lang, example(name, lang), today=TODAY)
            words = len(script.markdown.split())
            assert words < 450, f"{name}/{lang}: {words} words do not fit on one page"


def test_the_script_uses_the_same_facts_as_the_letter() -> None:
    script = load_script("payment-reminder", "de", example("payment-reminder", "de"), today=TODAY)
    assert "Bitte überweisen Sie den Betrag bis Dienstag, 1. Dezember 2026." in script.key_sentences
    assert "2.380,00\xa0€" in script.key_sentences[0]
    assert script.closing == "Kann ich mit dem Zahlungseingang bis zum 1. Dezember rechnen?"
    second = dict(
        example("payment-reminder", "en"), reminder_level="second", previous_reminder="2026-11-24"
    )
    english = load_script("payment-reminder", "en", second, today=dt.date(2026, 12, 2))
    assert "On 24 November 2026 I sent you a written reminder." in english.key_sentences
    assert (
        "Please transfer the amount by Wednesday, 9 December 2026 at the latest."
        in english.key_sentences
    )


def test_user_values_are_escaped_in_the_sheet_and_plain_in_the_terminal() -> None:
    params = dict(example("payment-reminder", "de"), invoice_number="#114*")
    script = load_script("payment-reminder", "de", params, today=TODAY)
    assert "# Telefonat: offene Rechnung \\#114\\*\n" in script.markdown
    assert script.title == "Telefonat: offene Rechnung #114*"


def test_parameter_problems_are_reported_as_for_the_letter() -> None:
    with pytest.raises(InvalidParams, match="amount: missing"):
        load_script("payment-reminder", "de", {"recipient": {"last_name": "Weber"}}, today=TODAY)


def test_a_scenario_without_a_script_is_refused(tmp_path) -> None:
    from phrasebook.catalog import Catalog

    templates = tmp_path / "templates"
    for lang in LANGS:
        (templates / lang).mkdir(parents=True)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "plain.yaml").write_text(
        "title: {de: T, en: T}\nsummary: {de: S, en: S}\nparams: {}\n", encoding="utf-8"
    )
    catalog = Catalog(specs=tmp_path / "scenarios", templates=templates)
    with pytest.raises(
        InvalidInput, match=r"^plain has no rehearsal script in de; available: none$"
    ):
        load_script("plain", "de", {}, today=TODAY, catalog=catalog)


# --- deadline-offer and the planner's computed plan ---------------------------------------


def _deadline_sheet(lang: str, plan: object) -> Script:
    spec = CATALOG.scenario("deadline-offer")
    language = resolve_language(lang)
    values = spec.validate(example("deadline-offer", lang), language)
    context = build_context(spec, values, language, TODAY, "md")
    context["plan"] = plan
    template = environment(CATALOG.templates, language).get_template(
        "rehearse/deadline-offer.jinja"
    )
    return parse_script(tidy(template.render(context)), lang=lang)


def test_too_late_is_answered_with_the_planned_fallback_date() -> None:
    plan = {
        "promised": dt.date(2026, 12, 4),
        "fallback": dt.date(2026, 12, 1),
        "internal": dt.date(2026, 11, 27),
    }
    german = _deadline_sheet("de", plan)
    assert (
        german.key_sentences[0]
        == "Sie bekommen das Kommunikationskonzept spätestens am Freitag, 4. Dezember 2026."
    )
    assert "kann ich Ihnen den 1. Dezember zusagen" in german.objections[0].answer
    english = _deadline_sheet("en", plan)
    assert "I can commit to 1 December" in english.objections[0].answer
    assert english.closing.startswith("Shall we agree on 4 December?")


@pytest.mark.parametrize(
    "plan", [None, {}, {"promised": dt.date(2026, 12, 2), "fallback": dt.date(2026, 12, 3)}]
)
def test_without_a_usable_fallback_a_first_part_is_offered_earlier(plan: object) -> None:
    german = _deadline_sheet("de", plan)
    assert german.objections[0].said == "„Das ist zu spät.“"
    assert (
        "Sie bekommen vorab einen ersten Teil, die Zielgruppen und ihre wichtigsten Fragen,"
        in german.objections[0].answer
    )
    assert "bleibt es beim 2. Dezember" in german.objections[0].answer
    assert "first part in advance" in _deadline_sheet("en", plan).objections[0].answer


def test_a_planned_deadline_offer_concedes_the_fallback_date() -> None:
    names = {p.name for p in CATALOG.scenario("deadline-offer").params}
    if "effort_days" not in names:
        pytest.skip("deadline planning (effort_days) is not in this build yet")
    import phrasebook

    params = {k: v for k, v in example("deadline-offer", "de").items() if k != "deadline"}
    params.update(effort_days="5", start="2026-11-23")
    plan = phrasebook.render("deadline-offer", "de", params, today=TODAY).plan
    assert plan.fallback < plan.promised
    script = load_script("deadline-offer", "de", params, today=TODAY)
    promised = resolve_language("de")
    from phrasebook.l10n import format_date

    assert format_date(plan.promised, "full", language=promised) in script.key_sentences[0]
    fallback = format_date(plan.fallback, "day_month", language=promised)
    assert f"kann ich Ihnen den {fallback} zusagen" in script.objections[0].answer


def test_without_the_planner_the_template_needs_no_plan() -> None:
    script = load_script("deadline-offer", "de", example("deadline-offer", "de"), today=TODAY)
    assert "Mittwoch, 2. Dezember 2026" in script.key_sentences[0]


# --- the flow -------------------------------------------------------------------------------


def _script() -> Script:
    return parse_script(SHEET.replace("# Title with a \\*star\\*", "# Probe"), lang="de")


ANSWERS = [
    "angespannt, aber klar",
    "",  # state check: the second one skipped
    "Guten Tag, ich rufe leider an",  # opening, with a weak word
    "",
    "Ich liefere zeitnah",  # key sentences: one skipped, one rephrased
    "Das geht schon",
    "",  # objections: one answered, one skipped
    "Passt das?",  # closing question
]

TRANSCRIPT = """\
Probe
Intro line.
Das Gespräch in sechs Schritten üben. Eine leere Eingabe überspringt oder
zeigt die vorbereitete Fassung; Strg+C beendet.

[1/6] Eins
First question?
> angespannt, aber klar
Second question, continued?
>

[2/6] Zwei
Wie eröffne ich das Gespräch?
> Guten Tag, ich rufe leider an
  Vorbereitet: Opening line one continues here.
  Eigene Fassung: Guten Tag, ich rufe leider an
  Hinweis: „leider“ – weakens the sentence

[3/6] Drei
Kernsatz 1 von 2:
  Key one.
In eigenen Worten (Enter: weiter) >
Kernsatz 2 von 2:
  Key two.
In eigenen Worten (Enter: weiter) > Ich liefere zeitnah
  Eigene Fassung: Ich liefere zeitnah
  Hinweis: „zeitnah“ names no date (Besser: „bis Freitag“)

[4/6] Vier
Einwand 1 von 2: „Zu spät.“
Meine Antwort > Das geht schon
  Vorbereitet: Answer one.
  Eigene Fassung: Das geht schon
  Keine schwachen Formulierungen gefunden.
Einwand 2 von 2: „Zu teuer.“
Meine Antwort >
  Vorbereitet: Answer two.

[5/6] Fünf
Mit welcher Frage schließe ich ab?
> Passt das?
  Vorbereitet: Closing?
  Eigene Fassung: Passt das?
  Keine schwachen Formulierungen gefunden.

[6/6] Zusammenfassung
Vor dem Gespräch:
  - First question?
    angespannt, aber klar
  - Second question, continued?
    (übersprungen)
Eigene Formulierungen: 4 von 6; Hinweise: 2.
Für das Gespräch:
  - Opening line one continues here.
  - Closing?
"""


def test_every_step_in_order_with_answers_kept() -> None:
    console = Console(ANSWERS)
    result = rehearse(_script(), ask=console.ask, show=console.show, critic=fake_critic, width=78)
    assert result.transcript == TRANSCRIPT
    assert result.checks == [
        ("First question?", "angespannt, aber klar"),
        ("Second question, continued?", ""),
    ]
    assert [t.step for t in result.turns] == [
        "check",
        "check",
        "opening",
        "key",
        "key",
        "objections",
        "objections",
        "closing",
    ]
    assert [len(t.findings) for t in result.turns] == [0, 0, 1, 0, 1, 0, 0, 0]
    assert console.answers == []
    key, objection = "In eigenen Worten (Enter: weiter) >", "Meine Antwort >"
    assert console.prompts == [">", ">", ">", key, key, objection, objection, ">"]
    prompts = [line for line in TRANSCRIPT.splitlines() if line.startswith((">", key, objection))]
    assert len(prompts) == 8
    assert "\n".join(console.shown) + "\n" == "".join(
        line + "\n" for line in TRANSCRIPT.splitlines() if line not in prompts
    )


def test_the_critic_judges_only_what_the_user_said() -> None:
    seen: list[tuple[str, str]] = []

    def critic(text: str, lang: str) -> list[Finding]:
        seen.append((text, lang))
        return []

    rehearse(_script(), ask=Console(ANSWERS).ask, show=lambda text: None, critic=critic)
    assert seen == [
        ("Guten Tag, ich rufe leider an", "de"),
        ("Ich liefere zeitnah", "de"),
        ("Das geht schon", "de"),
        ("Passt das?", "de"),
    ]


def test_blank_answers_show_only_the_prepared_wording() -> None:
    console = Console([""] * 9)
    result = rehearse(_script(), ask=console.ask, show=console.show, critic=fake_critic)
    assert "Eigene Fassung" not in result.transcript
    assert "Hinweis:" not in result.transcript
    assert "Eigene Formulierungen: 0 von 6; Hinweise: 0." in result.transcript
    assert result.transcript.count("Vorbereitet:") == 4


def test_without_a_critic_the_phrasing_is_shown_unjudged(monkeypatch) -> None:
    monkeypatch.setattr("phrasebook.rehearse.linter_available", lambda: False)
    result = rehearse(_script(), ask=Console(ANSWERS).ask, show=lambda text: None)
    assert "Eigene Fassung: Guten Tag, ich rufe leider an\n" in result.transcript
    assert "Hinweis" not in result.transcript
    assert "Keine schwachen Formulierungen" not in result.transcript
    assert "Eigene Formulierungen: 4 von 6.\n" in result.transcript


def test_the_default_critic_is_the_tone_linter_when_installed(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr("phrasebook.rehearse.linter_available", lambda: True)
    monkeypatch.setattr(
        "phrasebook.rehearse.default_critic",
        lambda text, lang: calls.append(text) or fake_critic(text, lang),
    )
    result = rehearse(_script(), ask=Console(ANSWERS).ask, show=lambda text: None)
    assert len(calls) == 4
    assert "Hinweis: „leider“" in result.transcript


@pytest.mark.parametrize("stop", [KeyboardInterrupt, EOFError])
def test_an_interrupt_ends_the_rehearsal(stop: type[BaseException]) -> None:
    shown: list[str] = []

    def ask(prompt: str) -> str:
        raise stop

    kept = []
    with pytest.raises(stop):
        rehearse(_script(), ask=ask, show=shown.append, critic=fake_critic, on_stop=kept.append)
    # The rehearsal says where it stopped, in its own language.
    assert shown[-2:] == ["First question?", "\nProbe in Schritt 1 von 6 beendet."]
    assert len(kept) == 1 and not kept[0].completed
    assert kept[0].transcript.endswith("First question?\n\nProbe in Schritt 1 von 6 beendet.\n")


def test_english_interface() -> None:
    script = parse_script(SHEET, lang="en")
    result = rehearse(script, ask=Console(ANSWERS).ask, show=lambda text: None, critic=fake_critic)
    assert "How shall I open the call?" in result.transcript
    assert "  Hint: „zeitnah“ names no date (Try: “bis Freitag”)" in result.transcript
    assert "Own phrasings: 4 of 6; hints: 2." in result.transcript


def test_long_lines_wrap_without_splitting_a_date() -> None:
    script = load_script("payment-reminder", "de", example("payment-reminder", "de"), today=TODAY)
    result = rehearse(
        script, ask=Console([""] * 20).ask, show=lambda text: None, critic=fake_critic, width=40
    )
    lines = result.transcript.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert not any(line.rstrip().endswith(("13.", "1.", "2.380,00")) for line in lines)


@pytest.mark.parametrize(("name", "lang"), list(_cases()))
def test_the_whole_session_text_passes_the_language_checks(name: str, lang: str) -> None:
    for formality in ("formal", "informal"):
        params = dict(example(name, lang), formality=formality)
        script = load_script(name, lang, params, today=TODAY)
        result = rehearse(
            script, ask=Console([""] * 20).ask, show=lambda text: None, critic=fake_critic
        )
        assert problems(result.transcript, lang, formal=formality == "formal") == []
        if hunspell_available():
            assert misspelled(result.transcript, lang) == []


def test_the_real_linter_points_out_weak_wording() -> None:
    from phrasebook import lint
    from phrasebook.rehearse import default_critic

    weak = "Leider kann ich das nicht so schnell wie möglich liefern, ich melde mich zeitnah."
    findings = default_critic(weak, "de")
    assert findings and all(isinstance(f, lint.Finding) for f in findings)
    matched = " ".join(f.match.lower() for f in findings)
    assert "leider" in matched and "zeitnah" in matched
    result = rehearse(
        _script(), ask=Console(["", "", weak] + [""] * 10).ask, show=lambda text: None
    )
    assert "Hinweis: „Leider“" in result.transcript


@pytest.mark.parametrize(("name", "lang"), list(_cases()))
def test_the_prepared_wording_passes_the_tone_linter(name: str, lang: str) -> None:
    from phrasebook import lint
    for label, params in variants(name, lang):
        script = load_script(name, lang, params, today=TODAY)
        findings = lint.lint_text(script.markdown, lang, markdown=True)
        assert [(f.rule, f.match, f.line) for f in findings] == [], label


@pytest.mark.parametrize("lang", LANGS)
def test_the_cheat_sheet_converts_with_pandoc(lang: str) -> None:
    import shutil
    import subprocess

    if not shutil.which("pandoc"):
        if os.environ.get("CI"):
            pytest.fail("pandoc is required in CI")
        pytest.skip("pandoc is not installed")
    for name in available(lang):
        script = load_script(name, lang, example(name, lang), today=TODAY)
        html = subprocess.run(
            ["pandoc", "-f", "markdown", "-t", "html"],
            input=script.markdown,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert html.count("<h1") == 1 and html.count("<h2") == len(SECTIONS), name
        assert html.count("<h3") == len(script.objections), name
        assert html.count("<li>") == len(script.checks) + len(script.key_sentences), name



def test_a_failing_on_stop_does_not_hide_the_interruption() -> None:
    shown: list[str] = []

    def ask(prompt: str) -> str:
        raise KeyboardInterrupt

    def on_stop(partial) -> None:
        raise OSError("disk full")

    with pytest.raises(KeyboardInterrupt):
        rehearse(_script(), ask=ask, show=shown.append, critic=fake_critic, on_stop=on_stop)
    assert shown[-1] == "Die Mitschrift wurde nicht gespeichert: disk full"


def test_german_sentences_that_depend_on_one_value() -> None:
    params = {**example("scope-decline", "de"), "extra_days": "1"}
    params.pop("extra_price", None)
    params.pop("vat", None)
    assert "Den einen Arbeitstag brauche ich," in load_script("scope-decline", "de", params, today=TODAY).markdown
    params = {**example("deadline-offer", "de")}
    params.pop("points", None)
    sheet = load_script("deadline-offer", "de", params, today=TODAY).markdown
    assert "einen ersten Teil, damit Sie schon weiterarbeiten können." in sheet
