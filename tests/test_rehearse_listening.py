"""A rehearsal that listens: facts, giving in, register, language, title, state, bare no, retries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from samples import fixture_path

from phrasebook.cli import cli
from phrasebook.lint import lint_text
from phrasebook.rehearse import Script, load_script, rehearse

TODAY = dt.date(2026, 11, 24)


def _script(scenario: str, lang: str, **overrides: Any) -> Script:
    params = yaml.safe_load(Path(fixture_path(scenario, lang)).read_text(encoding="utf-8"))
    params.update(overrides)
    return load_script(scenario, lang, params, today=TODAY)


def _hear(script: Script, step: str, answer: str, prepared: str) -> list[str]:
    assert script.listener is not None
    return script.listener.hear(step, answer, prepared)


def _run(script: Script, answers: Mapping[str, str], *, retry: bool = False) -> str:
    """Rehearse, answering each prompt by the last line shown before it (first match wins)."""
    shown: list[str] = []

    def ask(prompt: str) -> str:
        context = shown[-1] if shown else ""
        for cue, answer in answers.items():
            if cue in context or cue == prompt:
                return answer
        return ""

    result = rehearse(script, ask=ask, show=shown.append, retry=retry, width=200)
    return result.transcript


# --- facts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    ["Sie bekommen es am Mittwoch.", "Sie bekommen es am 2. Dezember.", "Sie bekommen es am 2.12.",
     "Sie bekommen es am zweiten Dezember.", "Sie bekommen es Mittwoch, den 2."],
)
def test_a_date_is_heard_in_the_forms_people_say_it_de(answer: str) -> None:
    script = _script("deadline-offer", "de")
    assert _hear(script, "key", answer, script.key_sentences[0]) == []


@pytest.mark.parametrize(
    "answer",
    ["You'll have it on Wednesday.", "You'll have it by 2 December.", "By December 2nd.",
     "By the second of December."],
)
def test_a_date_is_heard_in_the_forms_people_say_it_en(answer: str) -> None:
    script = _script("deadline-offer", "en")
    assert _hear(script, "key", answer, script.key_sentences[0]) == []


def test_a_missing_date_is_named() -> None:
    de, en = _script("deadline-offer", "de"), _script("deadline-offer", "en")
    assert _hear(de, "key", "Sie bekommen es bald.", de.key_sentences[0]) == [
        "Der Termin (2. Dezember) fehlt."
    ]
    assert _hear(en, "key", "You'll have it soon.", en.key_sentences[0]) == [
        "The date (2 December) is missing."
    ]


@pytest.mark.parametrize(
    "answer", ["Das kostet 2.400 Euro.", "Das kostet 2400 €.", "Das kostet zweitausendvierhundert Euro.",
               "Das kostet 2,4 Tausend."],
)
def test_a_price_is_heard_in_digits_and_words_de(answer: str) -> None:
    script = _script("scope-decline", "de")
    price = next(s for s in script.key_sentences if "2.400" in s)
    assert not any("Preis" in note for note in _hear(script, "key", answer, price))


def test_a_missing_price_is_named_in_both_languages() -> None:
    de, en = _script("scope-decline", "de"), _script("scope-decline", "en")
    price_de = next(s for s in de.key_sentences if "2.400" in s)
    price_en = next(s for s in en.key_sentences if "2,400" in s)
    assert "Der Preis (2.400,00\xa0€) fehlt." in _hear(de, "key", "Das kostet extra.", price_de)
    assert "The price (€2,400.00) is missing." in _hear(en, "key", "It costs extra.", price_en)
    assert not any(
        "price" in n for n in _hear(en, "key", "two thousand four hundred pounds", price_en)
    )


def test_the_new_scenarios_name_their_missing_facts() -> None:
    price = _script("price-pressure", "de")
    held = price.key_sentences[0]
    assert "Der Preis (4.800,00\xa0€) fehlt." in _hear(price, "key", "Ich bleibe beim Preis.", held)
    assert _hear(price, "key", "Ich bleibe bei viertausendachthundert Euro.", held) == []
    review = next(s for s in price.key_sentences if "April" in s)
    assert "Der Termin zur Überprüfung (1. April) fehlt." in _hear(price, "key", "Später gern wieder.", review)
    reach = _script("reachability", "en")
    hours = reach.key_sentences[1]
    assert "The response time (24 hours) is missing." in _hear(reach, "key", "I reply quickly.", hours)
    assert _hear(reach, "key", "I reply within twenty-four hours.", hours) == []
    urgent = reach.objections[0].answer
    assert any("emergency route" in n for n in _hear(reach, "objections", "Text me then.", urgent))


def test_a_step_without_the_fact_does_not_ask_for_it() -> None:
    script = _script("deadline-offer", "de")
    assert _hear(script, "opening", "Guten Tag, Frau Dr. Müller.", script.opening) == []


# --- giving in, bare no ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "lang", "answer", "start"),
    [
        ("scope-decline", "de", "Klar, mache ich eben schnell nebenbei.",
         "„mache ich eben schnell nebenbei“ gibt die Grenze auf. Vorbereitet: "),
        ("scope-decline", "de", "Kein Problem, das geht schon.", "„Kein Problem, das geht schon“ gibt die Grenze auf."),
        ("scope-decline", "de", "Dann ausnahmsweise umsonst.", "„ausnahmsweise“ gibt die Grenze auf."),
        ("deadline-offer", "de", "Na gut, früher geht auch.", "„früher geht auch“ gibt die Grenze auf."),
        ("scope-decline", "en", "Fine, I'll just squeeze it in.",
         "“I'll just squeeze it in” gives up the boundary. Prepared: "),
        ("payment-reminder", "en", "No rush, really.", "“No rush” gives up the boundary."),
        ("price-pressure", "de", "Na gut, da lässt sich was machen.", "„da lässt sich was machen“ gibt die Grenze"),
        ("price-pressure", "de", "Mit 3.900 Euro komme ich Ihnen etwas entgegen.", "„komme ich Ihnen etwas"),
        ("price-pressure", "en", "All right, I can meet you halfway.", "“meet you halfway” gives up the boundary."),
        ("price-pressure", "en", "Fine, I could do a discount.", "“I could do a discount” gives up"),
        ("reachability", "de", "Rufen Sie mich jederzeit an.", "„jederzeit“ gibt die Grenze auf."),
        ("reachability", "en", "Just call me any time.", "“any time” gives up the boundary."),
    ],
)
def test_giving_in_is_named_with_the_prepared_line(scenario: str, lang: str, answer: str, start: str) -> None:
    script = _script(scenario, lang)
    prepared = script.objections[1].answer
    notes = _hear(script, "objections", answer, prepared)
    assert notes[0].startswith(start)
    assert prepared in notes[0]


@pytest.mark.parametrize(
    ("lang", "answer"),
    [("de", "Nein."), ("de", "Das war nie mitgemeint."), ("en", "No."), ("en", "That was never included.")],
)
def test_a_bare_no_at_a_boundary_is_too_bare(lang: str, answer: str) -> None:
    script = _script("scope-decline", lang)
    prepared = script.objections[0].answer
    notes = _hear(script, "objections", answer, prepared)
    assert notes[0].startswith(("Zu knapp:", "Too bare:"))
    assert notes[0].endswith(prepared)
    assert not any(n.startswith(("Zu knapp", "Too bare")) for n in _hear(script, "closing", answer, "x"))


# --- register, language, title ---------------------------------------------------------------


def test_du_in_a_sie_call_and_sie_in_a_du_call() -> None:
    formal = _script("deadline-offer", "de")
    informal = _script("deadline-offer", "de", formality="informal")
    assert _hear(formal, "closing", "Passt dir das?", "x") == ["„dir“: Das Gespräch ist per Sie."]
    assert _hear(informal, "closing", "Passt Ihnen das?", "x") == ["„Ihnen“: Das Gespräch ist per du."]
    assert _hear(informal, "closing", "Passt dir das?", "x") == []


def test_an_answer_in_the_other_language() -> None:
    de, en = _script("deadline-offer", "de"), _script("deadline-offer", "en")
    assert _hear(de, "closing", "Can we agree on that, please?", "x") == [
        "Die Antwort ist auf Englisch; das Gespräch ist auf Deutsch."
    ]
    assert _hear(en, "closing", "Können wir das bitte so festhalten?", "x") == [
        "The answer is in German; the call is in English."
    ]


def test_a_dropped_title_is_named() -> None:
    de, en = _script("deadline-offer", "de"), _script("deadline-offer", "en")
    assert _hear(de, "opening", "Guten Tag, Frau Müller.", "x") == [
        "„Frau Müller“: Der Titel fehlt – „Frau Dr. Müller“."
    ]
    assert _hear(de, "opening", "Guten Tag, Frau Dr. Müller.", "x") == []
    assert _hear(en, "opening", "Hello Ms Miller.", "x") == ["“Ms Miller”: the title is missing – “Dr Miller”."]


# --- the state check -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "answer", "start"),
    [
        ("de", "ziemlich genervt", "Gönnen Sie sich vor dem Anruf eine kurze Pause"),
        ("de", "wütend", "Gönnen Sie sich"),
        ("de", "keine Ahnung", "Nehmen Sie sich einen Moment und lesen Sie das Ziel"),
        ("de", "asdfasdf", "Das war wohl ein Vertipper."),
        ("en", "really annoyed", "Take a short pause before you call"),
        ("en", "no idea", "Take a moment and reread the goal"),
        ("en", "jjjjjj", "That looks like a slip of the keyboard."),
    ],
)
def test_the_state_check_takes_the_answer_seriously(lang: str, answer: str, start: str) -> None:
    script = _script("payment-reminder", lang)
    notes = _hear(script, "check", answer, "")
    assert len(notes) == 1 and notes[0].startswith(start)
    assert _hear(script, "check", "ruhig" if lang == "de" else "calm", "") == []


# --- whole sessions --------------------------------------------------------------------------


def test_a_scripted_session_in_german_shows_the_feedback() -> None:
    script = _script("deadline-offer", "de")
    transcript = _run(script, {
        "Wie geht es mir": "genervt",
        "Wie eröffne ich": "Guten Tag, Frau Müller.",
        "Sie bekommen das Kommunikationskonzept": "Sie bekommen es bald.",
        "„Das ist zu spät.“": "Nein.",
        "Mit welcher Frage": "Passt dir der Mittwoch?",
    })
    for expected in (
        "  Hinweis: Gönnen Sie sich vor dem Anruf eine kurze Pause",
        "  Hinweis: „Frau Müller“: Der Titel fehlt – „Frau Dr. Müller“.",
        "  Hinweis: Der Termin (2. Dezember) fehlt.",
        "  Hinweis: Zu knapp: Ein bloßes Nein klingt abweisend. Vorbereitet: Ich verstehe",
        "  Hinweis: „dir“: Das Gespräch ist per Sie.",
    ):
        assert expected in transcript


def test_a_scripted_session_in_english_shows_the_feedback() -> None:
    script = _script("scope-decline", "en")
    transcript = _run(script, {
        "How am I feeling": "no idea",
        "But that was part of it": "No.",
        "The new request goes beyond": "Ich mache das nicht nebenbei, das ist zu viel.",
        "on the side": "OK, I'll just squeeze it in.",
    })
    for expected in (
        "  Hint: Take a moment and reread the goal above.",
        "  Hint: Too bare: a plain no sounds dismissive. Prepared: I can see why",
        "  Hint: “I'll just squeeze it in” gives up the boundary. Prepared: If I did it on the side",
        "  Hint: The answer is in German; the call is in English.",
    ):
        assert expected in transcript


@pytest.mark.parametrize(
    ("lang", "cue", "weak", "yes", "good", "summary"),
    [
        ("de", "Sie bekommen das Kommunikationskonzept", "Sie bekommen es bald.", "j",
         "Sie bekommen es am Mittwoch, 2. Dezember.", "Nochmal versucht: 1; besser geworden: 1."),
        ("en", "You will have the communication concept", "You'll have it soon.", "y",
         "You'll have it by Wednesday, 2 December.", "Tried again: 1; better: 1."),
    ],
)
def test_trying_a_step_again_is_counted(lang: str, cue: str, weak: str, yes: str, good: str, summary: str) -> None:
    script = _script("deadline-offer", lang)
    answers = iter([weak, yes, good])
    shown: list[str] = []

    def ask(prompt: str) -> str:
        if any(cue in line for line in shown[-3:]) or prompt.startswith(("nochmal", "again")):
            return next(answers, "")
        return ""

    result = rehearse(script, ask=ask, show=shown.append, retry=True, width=200)
    assert ("nochmal? [j/N]" if lang == "de" else "again? [y/N]") in result.transcript
    assert summary in result.transcript
    assert result.improvements() == (1, 1)
    assert result.stumbled() == []


# --- the same rules as lint --------------------------------------------------------------------


def test_the_rehearsal_judges_with_the_rules_of_lint(tmp_path: Path) -> None:
    answer = "Leider muss ich Sie auf nächste Woche vertrösten."
    assert [f.rule for f in lint_text(answer, "de")] == ["leider-grenze"]
    runner = CliRunner(env={"PHRASEBOOK_LANG": "en", "COLUMNS": "200"})
    result = runner.invoke(
        cli,
        ["rehearse", "deadline-offer", "-l", "de", "--params", fixture_path("deadline-offer", "de"),
         "--today", "2026-11-24"],
        input="\n\n\n" + answer + "\n" + "\n" * 20,
    )
    assert result.exit_code == 0, result.stderr
    assert "Hinweis: „Leider“ entschuldigt eine Grenze" in result.stdout


def test_the_deck_of_stumbled_lines_is_offered_next_time(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_DATA_DIR", str(tmp_path))
    runner = CliRunner(env={"PHRASEBOOK_LANG": "en", "COLUMNS": "200"})
    args = ["rehearse", "deadline-offer", "-l", "de", "--params", fixture_path("deadline-offer", "de"),
            "--today", "2026-11-24", "--no-retry"]
    first = runner.invoke(cli, args, input="\n\n\n\nSie bekommen es bald.\n" + "\n" * 20)
    assert first.exit_code == 0, first.stderr
    assert "Letztes Mal schwierig" not in first.stdout
    deck = json.loads((tmp_path / "rehearse" / "deadline-offer.de.json").read_text(encoding="utf-8"))
    assert deck["lines"] == ["Sie bekommen das Kommunikationskonzept spätestens am Mittwoch, 2. Dezember 2026."]
    second = runner.invoke(cli, args, input="\n\n\n\nSie bekommen es am Mittwoch.\n" + "\n" * 20)
    assert (
        "Letztes Mal schwierig:\n  - Sie bekommen das Kommunikationskonzept spätestens am Mittwoch, 2. Dezember 2026.\n"
        in second.stdout
    )
    deck = json.loads((tmp_path / "rehearse" / "deadline-offer.de.json").read_text(encoding="utf-8"))
    assert deck["lines"] == []


def test_the_transcript_carries_the_feedback_and_print_stays_the_sheet(tmp_path: Path) -> None:
    runner = CliRunner(env={"PHRASEBOOK_LANG": "en", "COLUMNS": "80"})
    base = ["rehearse", "payment-reminder", "-l", "en", "--params", fixture_path("payment-reminder", "en"),
            "--today", "2026-11-24"]
    kept = tmp_path / "t.txt"
    result = runner.invoke(cli, [*base, "--transcript", str(kept)], input="annoyed\n" + "\n" * 20)
    assert result.exit_code == 0, result.stderr
    assert "  Hint: Take a short pause before you call" in kept.read_text(encoding="utf-8")
    sheet = runner.invoke(cli, [*base, "--print"]).stdout
    assert "listen" not in sheet and sheet.startswith("# Phone call: outstanding invoice")


def test_end_of_input_says_so_in_the_rehearsal_language(tmp_path: Path) -> None:
    runner = CliRunner(env={"PHRASEBOOK_LANG": "en", "COLUMNS": "80"})
    result = runner.invoke(
        cli, ["rehearse", "payment-reminder", "-l", "de", "--example", "--today", "2026-11-24"], input="ruhig\n"
    )
    assert result.exit_code != 0
    assert "Probe in Schritt 1 von 6 beendet." in result.stdout


def test_an_alternative_is_a_fact_too() -> None:
    de = _script("scope-decline", "de")
    en = _script("scope-decline", "en", referral="Studio Nord")
    phase = next(s for s in de.key_sentences if "Phase" in s)
    assert _hear(de, "key", "Das machen wir gern getrennt.", phase) == [
        "Die eigene Phase (nach dem Relaunch im Januar) fehlt."
    ]
    assert _hear(de, "key", "Das machen wir gern später als eigenes Projekt.", phase) == []
    referral = next(s for s in en.key_sentences if "Studio Nord" in s)
    assert _hear(en, "key", "I know someone good for that.", referral) == [
        "The alternative (Studio Nord) is missing."
    ]
    assert _hear(en, "key", "Studio Nord does exactly this kind of work.", referral) == []


@pytest.mark.parametrize(
    ("lang", "weak", "yes", "good", "summary"),
    [
        ("de", "Bitte zahlen Sie bald.", "ja", "Bitte zahlen Sie bis zum 1. Dezember.",
         "Nochmal versucht: 1; besser geworden: 1."),
        ("en", "Please pay soon.", "yes", "Please pay by 1 December.", "Tried again: 1; better: 1."),
    ],
)
def test_retry_from_the_command_line(lang: str, weak: str, yes: str, good: str, summary: str) -> None:
    runner = CliRunner(env={"PHRASEBOOK_LANG": "en", "COLUMNS": "200"})
    args = ["rehearse", "payment-reminder", "-l", lang, "--params", fixture_path("payment-reminder", lang),
            "--today", "2026-11-24", "--retry"]
    # state check (3), opening, key sentence 1, key sentence 2 weak, again, better, then Enter.
    result = runner.invoke(cli, args, input="\n\n\n\n\n" + f"{weak}\n{yes}\n{good}\n" + "\n" * 20)
    assert result.exit_code == 0, result.stderr
    assert ("nochmal? [j/N]" if lang == "de" else "again? [y/N]") in result.stdout
    assert summary in result.stdout


def test_an_unwritable_data_directory_does_not_end_the_rehearsal(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PHRASEBOOK_DATA_DIR", str(blocker / "data"))
    runner = CliRunner(env={"PHRASEBOOK_LANG": "en"})
    result = runner.invoke(
        cli, ["rehearse", "payment-reminder", "-l", "en", "--example", "--today", "2026-11-24"],
        input="\n" * 5 + "Please pay soon.\n" + "\n" * 10,
    )
    assert result.exit_code == 0, result.stderr
    assert "The payment date (1 December) is missing." in result.stdout
