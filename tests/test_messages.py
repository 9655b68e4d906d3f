"""Messages for people are translated: every marked message has a German translation,
the catalogs are up to date, placeholders survive translation, and commands speak the
language of --lang or the environment."""

from __future__ import annotations

import ast
import io
import string
from pathlib import Path

import pytest

from phrasebook.messages import LOCALE_DIR, _, environment_language, message_language, speaking

ROOT = Path(__file__).resolve().parent.parent
PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "phrasebook.po"
MO = PO.with_suffix(".mo")
POT = LOCALE_DIR / "phrasebook.pot"


def _extracted() -> set[str | tuple[str, ...]]:
    """Every message marked in the package, as Babel's extractor finds it (babel.cfg)."""
    from babel.messages.extract import extract_from_dir

    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(config)
    found: set[str | tuple[str, ...]] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found.add(message)
    return found


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def _key(message) -> str | tuple[str, ...]:  # type: ignore[no-untyped-def]
    return message.id if isinstance(message.id, str) else tuple(message.id)


def test_every_marked_message_has_a_german_translation() -> None:
    catalog = _catalog(PO)
    translated = {
        _key(m): m.string for m in catalog if m.id and not m.fuzzy
        and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(str(m) for m in _extracted() if m not in translated)
    assert missing == [], "translate these in phrasebook/locale/de/LC_MESSAGES/phrasebook.po"


def test_the_template_and_the_catalog_hold_no_stale_messages() -> None:
    extracted = _extracted()
    for path in (POT, PO):
        stale = sorted(str(_key(m)) for m in _catalog(path) if m.id and _key(m) not in extracted)
        assert stale == [], f"run the Babel commands of ARCHITECTURE.md to update {path.name}"


def _fields(text: str) -> list[str]:
    return sorted(field for _text, field, _spec, _conv in string.Formatter().parse(text) if field is not None)


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for message in _catalog(PO):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = _fields(ids[-1])
        for translation in strings:
            if _fields(translation) != expected:
                wrong.append((ids[0], translation))
    assert wrong == []


def test_translations_keep_leading_and_trailing_spaces() -> None:
    wrong = []
    for message in _catalog(PO):
        if message.id and isinstance(message.id, str) and isinstance(message.string, str):
            for a, b in ((message.id, message.string),):
                if (a[:1] == " ") != (b[:1] == " ") or (a[-1:] == " ") != (b[-1:] == " "):
                    wrong.append(message.id)
    assert wrong == []


def test_the_compiled_catalog_is_up_to_date() -> None:
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, _catalog(PO))
    assert MO.read_bytes() == compiled.getvalue(), "run pybabel compile (see ARCHITECTURE.md)"


def test_no_module_names_a_variable_underscore() -> None:
    """``_`` is the translation function in every module; a local ``_`` would hide it."""
    found = []
    for path in (ROOT / "phrasebook").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_messages_follow_the_language_asked_for() -> None:
    assert _("expected a whole number") == "expected a whole number"
    with speaking("de_CH"):
        assert _("expected a whole number") == "ist keine ganze Zahl"
        with speaking("en_US"):
            assert _("expected a whole number") == "expected a whole number"
    assert _("expected a whole number") == "expected a whole number"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "C"}, "en"),
        ({"LANGUAGE": "de:en", "LANG": "en_GB.UTF-8"}, "de"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
        ({"PHRASEBOOK_LANG": "en", "LANG": "de_AT.UTF-8"}, "en"),
    ],
)
def test_the_environment_chooses_the_message_language(monkeypatch, env, expected) -> None:
    for var in ("PHRASEBOOK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert environment_language() == expected


def test_message_language_of_a_locale() -> None:
    assert [message_language(v) for v in ("de", "DE_at", "en_GB", "", None, "fr")] == [
        "de", "de", "en", "en", "en", "en"
    ]


def test_errors_speak_the_language_of_lang(runner) -> None:
    from phrasebook.cli import cli

    args = ["render", "deadline-offer", "--example", "--today", "2026-11-24", "--set", "deadline=x"]
    unset = {"PHRASEBOOK_LANG": None, "LANG": "C.UTF-8"}
    german = runner.invoke(cli, [*args, "--lang", "de"], env=unset)
    english = runner.invoke(cli, [*args, "--lang", "en"], env={**unset, "LANG": "de_DE.UTF-8"})
    assert german.exit_code == english.exit_code == 2
    assert "deadline-offer: 1 Problem mit den Parametern" in german.stderr
    assert "deadline: 'x' ist kein Datum der Form JJJJ-MM-TT oder TT.MM.JJJJ" in german.stderr
    assert "deadline-offer: 1 problem with the parameters" in english.stderr


def test_without_lang_errors_follow_the_environment(runner, monkeypatch) -> None:
    from phrasebook.cli import cli

    monkeypatch.setenv("PHRASEBOOK_LANG", "de")
    result = runner.invoke(cli, ["show", "no-such-scenario"], env={"PHRASEBOOK_LANG": "de"})
    assert result.exit_code == 2
    assert "unbekanntes Szenario 'no-such-scenario'" in result.stderr


def test_phrasebook_lang_chooses_the_message_language_over_lang(runner) -> None:
    from phrasebook.cli import cli

    args = ["render", "deadline-offer", "--example", "--today", "2026-11-24", "--set", "deadline=x"]
    result = runner.invoke(cli, [*args, "--lang", "de"], env={"PHRASEBOOK_LANG": "en"})
    assert "deadline-offer: 1 problem with the parameters" in result.stderr
    result = runner.invoke(cli, [*args, "--lang", "en"], env={"PHRASEBOOK_LANG": "de"})
    assert "deadline-offer: 1 Problem mit den Parametern" in result.stderr
