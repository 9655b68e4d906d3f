"""The tone linter as a library: positions, Markdown, disable comments, user rules, robustness."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_lint_rules import unmark

from phrasebook.errors import InvalidInput, UnknownLanguage
from phrasebook.lint import Finding, detect_language, format_finding, lint_text, register
from phrasebook.lintrules import SEVERITIES, load_rules

ROOT = Path(__file__).resolve().parent.parent


def rules_and_matches(text: str, lang: str = "de", **kwargs) -> list[tuple[str, str]]:
    return [(f.rule, f.match) for f in lint_text(text, lang, **kwargs)]


def check_positions(text: str, findings: list[Finding]) -> None:
    """Every finding points exactly at its match, with 1-based line and column."""
    for f in findings:
        assert f.length > 0
        assert text[f.offset:f.offset + f.length] == f.match
        assert f.line == text.count("\n", 0, f.offset) + 1
        assert f.column == f.offset - (text.rfind("\n", 0, f.offset) + 1) + 1
        assert f.severity in SEVERITIES
        assert f.suggestions and all(isinstance(s, str) and s for s in f.suggestions)
        assert "\n" not in f.message
    assert [f.offset for f in findings] == sorted(f.offset for f in findings)


# --------------------------------------------------------------------------- basics


def test_finding_fields() -> None:
    text = "Guten Tag,\n\nich melde mich zeitnah."
    [finding] = lint_text(text, "de")
    assert finding == Finding(
        rule="zeitnah",
        severity="warning",
        line=3,
        column=16,
        offset=27,
        length=7,
        match="zeitnah",
        message=finding.message,
        suggestions=("bis spätestens …", "Sie hören bis … von mir."),
    )
    assert finding.message.startswith("„zeitnah“ klingt verbindlich")


def test_suggestions_follow_the_register() -> None:
    formal = "Sehr geehrte Frau Roth,\n\nich hoffe, das ist okay für Sie."
    informal = "Liebe Jana,\n\nich hoffe, das ist okay für dich."
    assert lint_text(formal, "de")[0].suggestions[0] == "Passt Ihnen das so?"
    assert lint_text(informal, "de")[0].suggestions[0] == "Passt dir das so?"


def test_a_more_severe_finding_swallows_the_one_inside_it() -> None:
    expected = [("nein-geht-nicht", "Nein, das geht nicht")]
    assert rules_and_matches("Nein, das geht nicht.") == expected
    assert rules_and_matches("Das geht nicht.") == [("geht-nicht", "Das geht nicht")]


def test_phrases_may_wrap_lines() -> None:
    text = "Ich schicke es so\nschnell wie\n  möglich."
    [finding] = lint_text(text, "de")
    assert (finding.line, finding.column, finding.match) == (1, 16, "so\nschnell wie\n  möglich")
    assert finding.message.startswith("„so schnell wie möglich“ ist die")


def test_max_reports_only_after_the_allowed_count() -> None:
    text = "Danke! Super! Toll! Bis dann!"
    found = [(f.rule, f.column) for f in lint_text(text, "de")]
    assert found == [("viele-ausrufezeichen", 19), ("viele-ausrufezeichen", 29)]


def test_unknown_language() -> None:
    with pytest.raises(UnknownLanguage):
        lint_text("x", "fr")


def test_locales_select_the_language_rules() -> None:
    assert lint_text("I'll do it ASAP.", "en_US")[0].message.startswith('"ASAP" is the')


def test_format_finding() -> None:
    [finding] = lint_text("Ich melde mich zeitnah.", "de")
    assert format_finding("mail.txt", finding) == (
        "mail.txt:1:16 zeitnah „zeitnah“ klingt verbindlich, sagt aber nichts: Jede Seite "
        "versteht darunter eine andere Frist. Nennen Sie ein Datum. → bis spätestens … | "
        "Sie hören bis … von mir."
    )


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Vielen Dank für Ihre Nachricht.", "de"),
        ("Thank you for your message.", "en"),
        ("Grüße", "de"),
        ("ASAP!!", "de"),
        ("", "de"),
        ("Hi Sam, the draft is ready. Viele Grüße", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_auto_uses_the_detected_language() -> None:
    assert rules_and_matches("I will send it as soon as possible.", "auto") == [
        ("asap", "as soon as possible")
    ]
    assert rules_and_matches("Ich schicke es so schnell wie möglich.", "auto") == [
        ("so-schnell-wie-moeglich", "so schnell wie möglich")
    ]


# --------------------------------------------------------------------------- register


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sehr geehrte Frau Roth,\n\nvielen Dank für Ihre Nachricht.", "formal"),
        ("Liebe Jana,\n\ndanke für deine Nachricht.", "informal"),
        ("Liebe Jana,\n\nSie hat angerufen.", "formal"),
        ("Hallo Team,\n\nIhr habt das toll gemacht, danke euch.", "informal"),
    ],
)
def test_register(text: str, expected: str) -> None:
    assert register(text) == expected


def test_mixed_address_reports_the_minority() -> None:
    text = "Liebe Jana,\n\ndanke dir für deine Nachricht. Kannst du mir Ihre Datei schicken?"
    assert rules_and_matches(text) == [("du-sie-mix", "Ihre")]
    [finding] = lint_text(text, "de")
    assert finding.suggestions == ("deine",)


def test_capitalised_du_is_fine_in_letters() -> None:
    text = "Hallo Jonas,\n\nhast Du meine Datei? Dein Feedback hilft. Danke Dir!"
    assert rules_and_matches(text) == []


def test_lowercase_polite_forms_are_not_checked_in_informal_texts() -> None:
    text = (
        "Hallo Jonas,\n\ndeine Kolleginnen haben angerufen; "
        "ich habe ihnen gesagt, dass sie dich fragen."
    )
    assert rules_and_matches(text) == []


# --------------------------------------------------------------------------- Markdown


MARKDOWN = textwrap.dedent(
    """\
    ---
    title: Ich melde mich zeitnah
    ---

    Ich melde mich `zeitnah` und zeitnah.

    ```text
    zeitnah
    ```

    ~~~~
    zeitnah
    ~~~~

    <!-- zeitnah -->
    Ende: zeitnah.
    """
)


def test_markdown_skips_front_matter_code_and_comments() -> None:
    findings = lint_text(MARKDOWN, "de", markdown=True)
    found = [(f.line, f.column, f.match) for f in findings]
    assert found == [(5, 30, "zeitnah"), (16, 7, "zeitnah")]
    check_positions(MARKDOWN, findings)


def test_plain_text_checks_everything() -> None:
    assert len(lint_text(MARKDOWN, "de")) == 7


def test_unclosed_fence_runs_to_the_end() -> None:
    assert lint_text("zeitnah\n\n```\nzeitnah\n", "de", markdown=True)[0].line == 1
    assert len(lint_text("zeitnah\n\n```\nzeitnah\n", "de", markdown=True)) == 1


def test_front_matter_needs_a_closing_line() -> None:
    assert len(lint_text("---\nzeitnah\n", "de", markdown=True)) == 1


# --------------------------------------------------------------------------- disable comments


def test_disable_and_enable() -> None:
    text = textwrap.dedent(
        """\
        Eins: zeitnah.
        <!-- phrasebook: disable=zeitnah, eigentlich -->
        Zwei: zeitnah, eigentlich.
        <!-- phrasebook: enable=zeitnah -->
        Drei: zeitnah, eigentlich.
        """
    )
    assert [(f.line, f.rule) for f in lint_text(text, "de")] == [
        (1, "zeitnah"),
        (5, "zeitnah"),
    ]


def test_disable_all_with_exceptions() -> None:
    text = textwrap.dedent(
        """\
        <!-- phrasebook: disable=all -->
        Eins: zeitnah, eigentlich.
        <!-- phrasebook: enable=eigentlich -->
        Zwei: zeitnah, eigentlich.
        <!-- phrasebook:enable=all-->
        Drei: zeitnah.
        """
    )
    assert [(f.line, f.rule) for f in lint_text(text, "de")] == [(4, "eigentlich"), (6, "zeitnah")]


def test_directive_inside_code_is_not_obeyed() -> None:
    text = "```\n<!-- phrasebook: disable=zeitnah -->\n```\nzeitnah\n"
    assert rules_and_matches(text, markdown=True) == [("zeitnah", "zeitnah")]


def test_directive_text_is_not_linted() -> None:
    assert rules_and_matches("<!-- phrasebook: disable=eigentlich -->", "de") == []


# --------------------------------------------------------------------------- user rules


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


USER_RULES = """\
    language: de
    disable: [eigentlich]
    rules:
      - id: zeitnah
        severity: error
        message: Bei uns heißt das anders.
        words: [zeitnah]
        suggestions: [bis Freitag]
      - id: kunde-ist-koenig
        severity: warning
        message: „{match}“ gehört nicht in eine E-Mail.
        words: ["der Kunde ist König"]
        suggestions: ["(streichen)"]
        examples:
          bad: ["[[Der Kunde ist König]]."]
    """


def test_user_rules_add_replace_and_disable(tmp_path: Path) -> None:
    rules = load_rules("de", write(tmp_path, USER_RULES))
    text = "Der Kunde ist König, eigentlich. Ich melde mich zeitnah."
    found = [(f.rule, f.severity, f.message) for f in lint_text(text, rules=rules)]
    assert found == [
        ("kunde-ist-koenig", "warning", "„Der Kunde ist König“ gehört nicht in eine E-Mail."),
        ("zeitnah", "error", "Bei uns heißt das anders."),
    ]
    assert rules.ids().index("zeitnah") == load_rules("de").ids().index("zeitnah")
    assert rules.ids()[-1] == "kunde-ist-koenig"


def test_user_rules_for_another_language_do_not_apply(tmp_path: Path) -> None:
    assert load_rules("en", write(tmp_path, USER_RULES)) == load_rules("en")


def test_user_rules_without_language_apply_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path, USER_RULES.replace("    language: de\n", ""))
    assert load_rules("en", path).get("kunde-ist-koenig") is not None


def test_words_are_case_insensitive_by_default_unless_asked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rules:
          - id: acme
            severity: warning
            message: Name the product properly.
            words: [ACME]
            case_sensitive: true
            suggestions: [Acme Cloud]
        """,
    )
    rules = load_rules("en", path)
    found = [f.match for f in lint_text("ACME and acme", rules=rules) if f.rule == "acme"]
    assert found == ["ACME"]


def test_words_with_a_star_match_inflections(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rules:
          - id: kurzfristig
            severity: suggestion
            message: Nennen Sie ein Datum.
            words: ["kurzfristig*", "auf den letzten Drücker"]
            suggestions: [bis Freitag]
        """,
    )
    rules = load_rules("de", path)
    text = "Eine kurzfristige Lösung, kurzfristig und auf den letzten\nDrücker; kein Kurzfristplan."
    found = [f.match for f in lint_text(text, rules=rules) if f.rule == "kurzfristig"]
    assert found == ["kurzfristige", "kurzfristig", "auf den letzten\nDrücker"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rules: [", "rules.yaml:1:9: expected the node content, but found '<stream end>'"),
        ("- a\n", "rules.yaml: expected a mapping with a 'rules:' list"),
        ("rule: []\n", "rules.yaml: unknown key 'rule' (did you mean 'rules'?)"),
        ("language: fr\n", "rules.yaml: language must be one of de, en, not 'fr'"),
        ("rules: {}\n", "rules.yaml: 'rules' must be a list"),
        ("rules: [x]\n", "rules.yaml: rule #1 must be a mapping"),
        (
            "rules: [{severity: error}]\n",
            "rules.yaml: rule #1: 'id' must be lowercase letters, digits and hyphens, got None",
        ),
        (
            "rules: [{id: a, severity: fatal}]\n",
            "rules.yaml: rule 'a': severity must be one of error, warning, suggestion, not 'fatal'",
        ),
        (
            "rules: [{id: a, severity: error, message: m, words: [x], sugestions: [y]}]\n",
            "rules.yaml: rule 'a': unknown key 'sugestions' (did you mean 'suggestions'?)",
        ),
        (
            "rules: [{id: a, severity: error, message: m, words: [x]}]\n",
            "rules.yaml: rule 'a': 'suggestions' must be a non-empty list of strings",
        ),
        (
            "rules: [{id: a, severity: error, message: m, suggestions: [y]}]\n",
            "rules.yaml: rule 'a': needs exactly one of 'words', 'regex' or 'check'",
        ),
        (
            "rules: [{id: a, severity: error, message: m, words: [no], suggestions: [y]}]\n",
            "rules.yaml: rule 'a': 'words' must be a list of non-empty strings "
            "(quote words like 'no')",
        ),
        (
            "rules: [{id: a, severity: error, message: m, regex: '(x', suggestions: [y]}]\n",
            "rules.yaml: rule 'a': invalid regex: missing ), unterminated subpattern at position 0",
        ),
        (
            "rules: [{id: a, severity: error, message: m, check: magic, suggestions: [y]}]\n",
            "rules.yaml: rule 'a': unknown check 'magic'; "
            "available: lowercase-polite, mixed-address, past-date, weekday-date",
        ),
        (
            "rules: [{id: a, severity: error, message: m, words: [x], suggestions: [y],"
            " max: -1}]\n",
            "rules.yaml: rule 'a': 'max' must be a whole number of 0 or more",
        ),
        (
            "rules:\n- {id: a, severity: error, message: m, words: [x], suggestions: [y]}\n"
            "- {id: a, severity: error, message: m, words: [x], suggestions: [y]}\n",
            "rules.yaml: rule 'a' is defined twice",
        ),
    ],
)
def test_broken_user_rules(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InvalidInput) as info:
        load_rules("de", path)
    assert str(info.value) == message.replace("rules.yaml", str(path))


def test_missing_user_rules_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"nope\.yaml: no such file$"):
        load_rules("de", tmp_path / "nope.yaml")


def test_user_rules_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes("rules: []\n# Grüße\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match=r"rules.yaml:2: byte 14 \(0xfc\) is not UTF-8"):
        load_rules("de", path)


# --------------------------------------------------------------------------- robustness


def _bad_examples(lang: str) -> list[str]:
    return [unmark(example)[0] for rule in load_rules(lang) for example in rule.bad]


@settings(max_examples=150, deadline=None)
@given(text=st.text(), lang=st.sampled_from(["auto", "de", "en"]), markdown=st.booleans())
def test_never_crashes_and_positions_are_exact(text: str, lang: str, markdown: bool) -> None:
    check_positions(text, lint_text(text, lang, markdown=markdown))


_FRAGMENTS = _bad_examples("de") + _bad_examples("en") + [
    "\n", "\r\n", " ", "  ", "`", "```\n", "---\n", "<!-- ", " -->",
    "<!-- phrasebook: disable=all -->",
    "<!-- phrasebook: enable=zeitnah -->", "Sie ", "sie ", "du ", "Ihnen ", "ä", "\u00a0", "!", "?",
]


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5)), max_size=30),
    lang=st.sampled_from(["de", "en"]),
    markdown=st.booleans(),
)
def test_positions_are_exact_in_texts_full_of_findings(
    parts: list[str], lang: str, markdown: bool
) -> None:
    text = "".join(parts)
    check_positions(text, lint_text(text, lang, markdown=markdown))


@settings(max_examples=60, deadline=None)
@given(prefix=st.text(alphabet=" \n.,;:abc", max_size=20), lang=st.sampled_from(["de", "en"]))
def test_every_bad_example_is_found_after_any_prefix(prefix: str, lang: str) -> None:
    rules = load_rules(lang)
    for rule in rules:
        if rule.check or rule.max:
            continue  # whole-text checks depend on the rest of the text
        for example in rule.bad:
            text, marks = unmark(example)
            shift = len(prefix) + 1
            found = [
                (f.offset - shift, f.match)
                for f in lint_text(prefix + "\n" + text, rules=rules)
                if f.rule == rule.id
            ]
            assert found == marks, (rule.id, prefix, text)


#: Fragments that, repeated to 100 kB, probe the patterns' repeats and the Markdown scanner.
_ADVERSARIAL = {
    "de": [" ", "\n", "!?", "<!-- ", "<!-- phrasebook: disable=zeitnah ", "`", "a`", "Sie haben ",
           "leider ", "nein, ", "ich würde vielleicht "],
    "en": [" ", "I'll ", "unfortunately ", "when do you need ", "no, ", "hope "],
}


def test_linear_time_on_100_kb_texts() -> None:
    """Long adversarial inputs finish: no rule backtracks catastrophically.

    Each input is 100 kB of one repeated fragment (or of all bad examples); a
    quadratic pattern would take hours on them, linear ones take well under a
    second. The generous timeout only stops a runaway run.
    """
    script = textwrap.dedent(
        """
        import sys
        from phrasebook.lint import lint_text
        runs = [line.split("\\x00") for line in sys.stdin.read().split("\\x01")]
        for lang, piece in runs:
            text = (piece * (100_000 // len(piece) + 1))[:100_000]
            lint_text(text, lang, markdown=True)
        print(len(runs))
        """
    )
    runs = [(lang, piece) for lang, pieces in _ADVERSARIAL.items() for piece in pieces]
    runs += [(lang, " ".join(_bad_examples(lang))) for lang in ("de", "en")]
    result = subprocess.run(
        [sys.executable, "-c", script],
        input="\x01".join(f"{lang}\x00{piece}" for lang, piece in runs),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(runs))


def test_every_builtin_regex_compiles_without_nested_unbounded_repeats() -> None:
    """A cheap structural guard: no ``(...+)+`` or ``(...*)*`` shapes in the rule files."""
    nested = re.compile(r"\((?:[^()]|\([^()]*\))*[+*]\)[+*]")
    for lang in ("de", "en"):
        for rule in load_rules(lang):
            if rule.pattern is not None:
                assert not nested.search(rule.pattern.pattern), rule.id


@given(st.lists(st.sampled_from(["„", "“", "”", "»", "«", '"', "dir", "Ihnen", "du", " ", "x", "\n", "Sie "]),
                max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_the_quotation_shortcut_matches_the_plain_check(text: str) -> None:
    from phrasebook.lint import _DU_FORMS, _QUOTED, _outside_quotes

    spans = [m.span() for m in _QUOTED.finditer(text)]
    plain = [m.span() for m in _DU_FORMS.finditer(text)
             if not any(a < m.start() and m.end() < b for a, b in spans)]
    assert [m.span() for m in _outside_quotes(_DU_FORMS.finditer(text), text)] == plain
