"""Realistic client emails: the linter finds the weak phrases and leaves the fine ones alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from phrasebook.lint import detect_language, lint_text

CORPUS = Path(__file__).parent / "lint" / "emails.yaml"
EMAILS = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("email", EMAILS, ids=[e["name"] for e in EMAILS])
def test_findings(email: dict) -> None:
    found = [f"{f.rule}: {f.match}" for f in lint_text(email["text"], email["lang"])]
    assert found == email.get("findings", [])


@pytest.mark.parametrize("email", EMAILS, ids=[e["name"] for e in EMAILS])
def test_language_is_detected(email: dict) -> None:
    assert detect_language(email["text"]) == email["lang"]
    assert [f.rule for f in lint_text(email["text"])] == [
        f.rule for f in lint_text(email["text"], email["lang"])
    ]


def test_the_corpus_has_weak_and_fine_emails_in_both_languages() -> None:
    for lang in ("de", "en"):
        mine = [e for e in EMAILS if e["lang"] == lang]
        assert any(e.get("findings") for e in mine)
        assert any(not e.get("findings") for e in mine)
