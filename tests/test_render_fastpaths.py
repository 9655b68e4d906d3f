"""The shortcuts that make large runs fast give exactly the results of the plain code."""

from __future__ import annotations

import re
from typing import Any

import yaml
from conftest import TODAY
from hypothesis import example, given, settings
from hypothesis import strategies as st

from phrasebook.l10n import resolve_language
from phrasebook.render import (
    _MD_LINE_START,
    _MD_SPECIAL,
    _escape_line_start,
    _plain_yaml_line,
    escape_markdown,
    front_matter,
    tidy,
)
from phrasebook.spec import _text

TRICKY = [
    "Termin: Mittwoch",
    "a #b",
    "a#b",
    "- x",
    "-x",
    "? x",
    ":x",
    "x:",
    "yes",
    "Null",
    "~",
    "1.5",
    "2026-12-02",
    "12:30",
    "0x1F",
    ".inf",
    "it's",
    "'q'",
    '"q"',
    "--- x",
    "...x",
    "@x",
    "%x",
    "`x",
    "[x]",
    "{a}",
    "&x",
    "*x",
    "!x",
    "|x",
    ">x",
    "=",
    "<<",
    "x\xa0y",
    "\xa0x",
    "€1,234.50",
    "a\u2028b",
    "a\tb",
    " x",
    "x ",
    "",
    "O'Neil: x",
    "ü" * 600,
]


def _reference_yaml(key: str, value: str) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1000)


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=80) | st.sampled_from(TRICKY))
def test_front_matter_lines_match_pyyaml(value):
    fast = _plain_yaml_line("title", value)
    assert fast is None or fast == _reference_yaml("title", value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=30) | st.none())
def test_front_matter_matches_a_full_yaml_dump(title, author):
    language = resolve_language("de")
    values = {"sender.name": author} if author and author.strip() else {}
    meta: dict[str, Any] = {"title": title}
    if values:
        meta["author"] = escape_markdown(author)
    meta["date"] = "24. November 2026"
    meta["lang"] = "de-DE"
    expected = (
        "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"
    )
    assert front_matter(title, values, language, TODAY) == expected


def _reference_tidy(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.rstrip()
        indent = len(stripped) - len(stripped.lstrip(" "))
        lines.append(stripped[:indent] + re.sub(r"(?<=\S) {2,}(?=\S)", " ", stripped[indent:]))
    joined = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined) + "\n"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \n\t\r\xa0ab.-\u2028")), max_size=60))
@example("  a  b \n\n\n\n c  ")
def test_tidy_matches_the_plain_version(text):
    assert tidy(text) == _reference_tidy(text)


def _reference_escape(value: str) -> str:
    return _MD_LINE_START.sub(_escape_line_start, _MD_SPECIAL.sub(r"\\\1", value))


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1.)*_[]<>#+-!@:=\n9\\` ")), max_size=40))
@example("1. Entwurf")
@example("Konzept\n 2) Umsetzung")
def test_markdown_escaping_shortcut_matches(value):
    assert escape_markdown(value) == _reference_escape(value)


def _reference_text(value: Any) -> str:
    import unicodedata

    from phrasebook.spec import _FORBIDDEN, _LINE_BREAK, Invalid

    text = unicodedata.normalize("NFC", str(value)).strip()
    if _LINE_BREAK.search(text):
        raise Invalid("a line break is not allowed here (expected a single line)")
    bad = _FORBIDDEN.search(text)
    if bad:
        raise Invalid(f"contains the control character U+{ord(bad.group()):04X}")
    return text


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=30))
@example("Mu\u0308ller")
@example("a\rb")
def test_single_line_text_shortcut_matches(value):
    from phrasebook.spec import Invalid

    try:
        expected: Any = _reference_text(value)
    except Invalid as exc:
        expected = str(exc)
    try:
        actual: Any = _text(value, multiline=False)
    except Invalid as exc:
        actual = str(exc)
    assert actual == expected
