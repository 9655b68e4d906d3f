"""Every built-in lint rule: bad examples are flagged exactly where marked, good ones are not."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from phrasebook.lint import CHECKS, lint_text
from phrasebook.lintrules import CHECK_NAMES, RULE_LANGUAGES, SEVERITIES, load_rules

#: The day the examples are read on (dates before it are in the past; without a year, its year).
EXAMPLE_TODAY = dt.date(2026, 12, 4)
_MARK = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


def unmark(example: str) -> tuple[str, list[tuple[int, str]]]:
    """Strip [[...]] markers; return the text and the (offset, text) of each marked span."""
    spans = []
    pieces = []
    position = 0
    length = 0
    for match in _MARK.finditer(example):
        before = example[position:match.start()]
        pieces.append(before)
        length += len(before)
        spans.append((length, match.group(1)))
        pieces.append(match.group(1))
        length += len(match.group(1))
        position = match.end()
    pieces.append(example[position:])
    return "".join(pieces), spans


def _rules():
    for lang in RULE_LANGUAGES:
        for rule in load_rules(lang):
            yield pytest.param(lang, rule, id=f"{lang}-{rule.id}")


RULES = list(_rules())


def test_unmark() -> None:
    assert unmark("a [[bc]] d [[e]]") == ("a bc d e", [(2, "bc"), (7, "e")])


@pytest.mark.parametrize("lang", RULE_LANGUAGES)
def test_enough_rules(lang: str) -> None:
    assert len(load_rules(lang)) >= {"de": 25, "en": 15}[lang]


@pytest.mark.parametrize(("lang", "rule"), RULES)
def test_rule_is_complete(lang: str, rule) -> None:
    assert rule.severity in SEVERITIES
    assert rule.suggestions
    assert rule.bad, f"{rule.id} has no bad example"
    assert rule.good, f"{rule.id} has no good example"
    for example in rule.bad:
        assert _MARK.search(example), f"{rule.id}: mark the expected span in {example!r}"


@pytest.mark.parametrize(("lang", "rule"), RULES)
def test_bad_examples_are_flagged_exactly(lang: str, rule) -> None:
    rules = load_rules(lang)
    for example in rule.bad:
        text, expected = unmark(example)
        found = [(f.offset, f.match) for f in lint_text(text, rules=rules, today=EXAMPLE_TODAY) if f.rule == rule.id]
        assert found == expected, f"{rule.id} on {text!r}"


@pytest.mark.parametrize(("lang", "rule"), RULES)
def test_good_examples_pass(lang: str, rule) -> None:
    rules = load_rules(lang)
    for text in rule.good:
        found = [f.match for f in lint_text(text, rules=rules, today=EXAMPLE_TODAY) if f.rule == rule.id]
        assert found == [], f"{rule.id} on {text!r}"


@pytest.mark.parametrize(("lang", "rule"), RULES)
def test_examples_are_in_their_language(lang: str, rule) -> None:
    from phrasebook.lint import detect_language

    long_examples = [unmark(e)[0] for e in rule.bad + rule.good if len(e.split()) >= 5]
    for text in long_examples:
        assert detect_language(text) == lang, text


@pytest.mark.parametrize("lang", RULE_LANGUAGES)
def test_messages_and_suggestions_are_spelled_correctly(lang: str) -> None:
    import os

    from quality import hunspell_available, misspelled

    if not hunspell_available():
        if os.environ.get("CI"):
            pytest.fail("hunspell with de_DE and en_GB is required in CI")
        pytest.skip("hunspell with de_DE and en_GB dictionaries is not installed")
    texts = []
    for rule in load_rules(lang):
        texts.append(rule.message.replace("{match}", ""))
        texts.extend(rule.suggestions + rule.informal)
    assert misspelled("\n".join(texts), lang) == []


def test_every_check_a_rule_may_name_exists() -> None:
    assert set(CHECK_NAMES) == set(CHECKS)
