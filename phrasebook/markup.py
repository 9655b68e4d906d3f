"""Markdown as phrasebook writes it: user values escaped for pandoc, and the YAML front
matter (title, author, date, lang) of ``md`` documents."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from .l10n import Language

#: Characters with a meaning in pandoc Markdown; user values are escaped in ``md`` output.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~^$])")
#: Characters that only mean something at the start of a line (lists, headings, rules).
_MD_LINE_START = re.compile(r"^(\s*)([#+\-!@:=]|\d+[.)])", re.MULTILINE)
#: An HTML entity (``&amp;``, ``&#60;``, ``&#x3c;``) that pandoc would decode.
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
#: A citation (``@doe99``, ``@{key}``): an ``@`` that does not follow a letter, as in an address.
_MD_CITATION = re.compile(r"(?<!\w)@(?=[\w{])")
#: Anything the patterns above could match; text without it needs no escaping.
MD_ANY = re.compile(
    r"[\\`*_{}\[\]<>|~^$]|^\s*(?:[#+\-!@:=]|\d+[.)])|&#?\w+;|(?<!\w)@[\w{]", re.MULTILINE
)

def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker[:-1]}\\{marker[-1]}"


def escape_markdown(value: Any) -> Any:
    r"""Escape Markdown syntax in user-supplied strings (recursively through lists and dicts).

    >>> escape_markdown("**x** [a](b)")
    '\\*\\*x\\*\\* \\[a\\](b)'
    >>> escape_markdown("anna@example.de, +49 30 1234")
    'anna@example.de, +49 30 1234'
    >>> escape_markdown("- eins\n1. zwei")
    '\\- eins\n1\\. zwei'
    >>> escape_markdown("Müller &amp; Söhne &#60;b&#62; @doe99")
    'Müller \\&amp; Söhne \\&#60;b\\&#62; \\@doe99'
    """
    if isinstance(value, str):
        if not MD_ANY.search(value):
            return value
        escaped = _MD_SPECIAL.sub(r"\\\1", value)
        if "&" in escaped:
            escaped = _MD_ENTITY.sub(r"\\&", escaped)
        if "@" in escaped:
            escaped = _MD_CITATION.sub(r"\\@", escaped)
        return _MD_LINE_START.sub(_escape_line_start, escaped)
    if isinstance(value, list):
        return [escape_markdown(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_markdown(v) for k, v in value.items()}
    return value


def front_matter(
    title: str, values: Mapping[str, Any], language: Language, today: dt.date
) -> str:
    """Return a pandoc YAML metadata block (title, author, date, lang)."""
    author = values.get("sender.name")
    company = values.get("sender.company")
    meta: dict[str, Any] = {"title": title}
    if author:
        meta["author"] = escape_markdown(f"{author}, {company}" if company else author)
    meta["date"] = _long_date(today, language)
    meta["lang"] = language.tag
    lines = [_plain_yaml_line(key, value) for key, value in meta.items()]
    if all(lines):
        return "---\n" + "".join(lines) + "---\n"  # type: ignore[arg-type]
    import yaml

    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n"


#: Single-line text that PyYAML writes either plain or in single quotes (printable, no
#: surrounding spaces); anything else goes through ``yaml.safe_dump`` itself.
_SIMPLE_SCALAR = re.compile(  # PyYAML quotes U+10FFFF too
    "^[^\\s\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\U0010ffff]"
    "(?:[^\\t\n\r\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff\U0010ffff]{0,498}"
    "[^\\s\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\U0010ffff])?\\Z"
)
_BLOCK_INDICATOR = re.compile(r"^(?:---|\.\.\.|[#,\[\]{}&*!|>'\"%@`]|[?:-](?: |\Z))|: | #|:\Z")


@functools.lru_cache(maxsize=64)
def _long_date(day: dt.date, language: Language) -> str:
    from .l10n import format_date

    return format_date(day, "long", language=language)


@functools.lru_cache(maxsize=1)
def _yaml_resolver() -> Any:
    import yaml

    return yaml.resolver.Resolver()


@functools.lru_cache(maxsize=4096)
def _plain_yaml_line(key: str, value: Any) -> str | None:
    r"""Return ``key: value`` exactly as ``yaml.safe_dump`` writes it, or None if unsure.

    A fast path for the front matter of every Markdown document: PyYAML's emitter
    costs more than rendering the letter itself.

    >>> _plain_yaml_line("title", "Termin: Mittwoch")
    "title: 'Termin: Mittwoch'\n"
    >>> _plain_yaml_line("lang", "de-DE")
    'lang: de-DE\n'
    """
    import yaml

    if not isinstance(value, str) or not _SIMPLE_SCALAR.match(value):
        return None
    if not _BLOCK_INDICATOR.search(value):
        tag = _yaml_resolver().resolve(yaml.ScalarNode, value, (True, False))
        if tag == "tag:yaml.org,2002:str":
            return f"{key}: {value}\n"
    quoted = value.replace("'", "''")
    return f"{key}: '{quoted}'\n"
