"""The fast paths in rendering produce exactly what the straightforward code would."""

from __future__ import annotations

import importlib
import re

import yaml
from conftest import TODAY
from hypothesis import example, given, settings
from hypothesis import strategies as st

from phrasebook.l10n import format_date, resolve_language

render = importlib.import_module("phrasebook.render")

#: Text with the characters whitespace handling and Markdown escaping care about.
TRICKY = st.text(
    alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x85\u2028\xa0ab.1)#*_[]`\\é")),
    max_size=60,
)


def tidy_line_by_line(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.rstrip()
        indent = len(stripped) - len(stripped.lstrip(" "))
        lines.append(stripped[:indent] + re.sub(r"(?<=\S) {2,}(?=\S)", " ", stripped[indent:]))
    joined = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined) + "\n"


@settings(max_examples=300)
@given(TRICKY | st.text(max_size=60))
def test_tidy_matches_the_line_by_line_rules(text: str) -> None:
    assert render.tidy(text) == tidy_line_by_line(text)


@settings(max_examples=300)
@given(TRICKY | st.text(max_size=60))
@example("1. Entwurf")
@example("Konzept\n 2) Umsetzung")
def test_escape_markdown_skips_only_strings_without_markup(text: str) -> None:
    escaped = render._MD_LINE_START.sub(r"\1\2\\\3", render._MD_SPECIAL.sub(r"\\\1", text))
    assert render.escape_markdown(text) == escaped


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(min_size=1, max_size=80) | TRICKY.filter(bool),
    author=st.text(min_size=1, max_size=40),
    lang=st.sampled_from(["de", "en", "en_US"]),
)
def test_front_matter_matches_pyyaml_and_reads_back(title: str, author: str, lang: str) -> None:
    language = resolve_language(lang)
    meta = {
        "title": title,
        "author": render.escape_markdown(author),
        "date": format_date(TODAY, "long", language=language),
        "lang": language.tag,
    }
    expected = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    block = render.front_matter(title, {"sender.name": author}, language, TODAY)
    assert block == f"---\n{expected}---\n"
    if "\x85" not in title + author:  # PyYAML itself reads U+0085 back as a line break
        assert yaml.safe_load(block.removeprefix("---\n").removesuffix("---\n")) == meta
