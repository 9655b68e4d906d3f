"""The shortcuts that make large runs fast give exactly the results of the plain code."""

from __future__ import annotations

import re
from typing import Any

import yaml
from conftest import TODAY
from hypothesis import example, given, settings
from hypothesis import strategies as st

from phrasebook.l10n import resolve_language
from phrasebook.markup import (
    _MD_CITATION,
    _MD_ENTITY,
    _MD_LINE_START,
    _MD_SPECIAL,
    _escape_line_start,
    _plain_yaml_line,
    escape_markdown,
    front_matter,
)
from phrasebook.paramtypes import _text
from phrasebook.render import tidy

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
    escaped = _MD_CITATION.sub(r"\\@", _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", value)))
    return _MD_LINE_START.sub(_escape_line_start, escaped)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1.)*_[]<>#+-!@:=\n9\\` &;{")), max_size=40))
@example("1. Entwurf")
@example("Konzept\n 2) Umsetzung")
def test_markdown_escaping_shortcut_matches(value):
    assert escape_markdown(value) == _reference_escape(value)


def _reference_text(value: Any) -> str:
    import unicodedata

    from phrasebook.paramtypes import _FORBIDDEN, _LINE_BREAK, Invalid

    text = unicodedata.normalize("NFC", str(value)).strip()
    if _LINE_BREAK.search(text):
        raise Invalid("a line break is not allowed here (expected a single line)")
    bad = _FORBIDDEN.search(text)
    if bad:
        kind = "invisible" if unicodedata.category(bad.group()) == "Cf" else "control"
        raise Invalid(f"contains the {kind} character U+{ord(bad.group()):04X}")
    return text


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=30))
@example("Mu\u0308ller")
@example("a\rb")
def test_single_line_text_shortcut_matches(value):
    from phrasebook.paramtypes import Invalid

    try:
        expected: Any = _reference_text(value)
    except Invalid as exc:
        expected = str(exc)
    try:
        actual: Any = _text(value, multiline=False)
    except Invalid as exc:
        actual = str(exc)
    assert actual == expected


# --- validation shortcuts ----------------------------------------------------------------


_VALUE_TEXT = st.sampled_from(
    ["", " ", "Müller", "Mu\u0308ller", " x ", "a\nb", "a\x07b", "a\u200bb", "2026-12-02",
     "02.12.2026", "31.02.2026", "2026-02-31", "16:00", "25:00", "yes", "nein", "maybe",
     "formal", "informal", "formel", "female", "anna@example.de", "anna@bücher.de", "a..b@x.de",
     "3", "-1", "1.234,50", "x@y", "DE-BY", "\t"]
) | st.text(max_size=12)
_VALUES = _VALUE_TEXT | st.none() | st.lists(_VALUE_TEXT, max_size=3) | st.booleans() | st.integers()


@st.composite
def _raw_params(draw):
    from phrasebook.catalog import load_catalog

    catalog = load_catalog()
    name = draw(st.sampled_from(sorted(catalog.names())))
    scenario = catalog.scenario(name)
    param_names = [p.name for p in scenario.params]
    chosen = draw(st.lists(st.sampled_from([*param_names, "unknwn", "recipient.lastname"]),
                           unique=True, max_size=len(param_names) + 2))
    raw = {key: draw(_VALUES) for key in chosen}
    if draw(st.booleans()):
        from phrasebook.paramnames import nest

        raw = nest(raw)
    return scenario, raw


def _outcome(scenario, raw, language):
    from phrasebook.errors import InvalidParams

    try:
        return scenario.validate(raw, language)
    except InvalidParams as exc:
        return ("error", str(exc), tuple(exc.problems))


@given(_raw_params(), st.sampled_from(["de", "en", "en_US"]))
@settings(max_examples=300, deadline=None)
def test_validation_shortcuts_match_the_plain_path(case, lang):
    """Flat or nested input, a cold or a warm converter cache: the same values or problems."""
    from phrasebook.paramnames import flatten, nest
    from phrasebook.paramtypes import _convert_str

    scenario, raw = case
    language = resolve_language(lang)
    _convert_str.cache_clear()
    cold = _outcome(scenario, raw, language)
    assert _outcome(scenario, raw, language) == cold  # answered from the converter cache
    known = {p.name for p in scenario.params}
    try:
        flat = flatten(raw, known)
    except Exception:
        return
    assert _outcome(scenario, flat, language) == cold
    assert _unordered(_outcome(scenario, nest(flat), language)) == _unordered(cold)


def _unordered(outcome):
    """Nesting groups names by their head, so unknown names may be listed in another order."""
    if isinstance(outcome, tuple):
        return ("error", sorted(outcome[2]))
    return outcome


# --- sandbox shortcuts -------------------------------------------------------------------


def _two_sandboxes():
    """The shipped templates' sandbox and the stock one, over the same small templates."""
    from jinja2 import DictLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from phrasebook.templating import _sandbox_class

    templates = {
        "lib.jinja": "{% set motto = 'ruhig bleiben' %}{% macro hello(n) %}Hallo {{ n }}{% endmacro %}",
    }
    return [
        cls(loader=DictLoader(templates), undefined=StrictUndefined)
        for cls in (_sandbox_class(), ImmutableSandboxedEnvironment)
    ]


def _answer(env, obj, name):
    from jinja2 import Undefined

    value = env.getattr(obj, name)
    if isinstance(value, Undefined):
        return ("undefined", type(value).__name__, value._undefined_hint)
    return ("value", value)


@given(st.sampled_from(["hello", "motto", "missing", "_body_stream", "__class__", "__dict__",
                        "__init__", "__name__", "__html__"]) | st.text(max_size=8))
@settings(max_examples=100, deadline=None)
def test_sandbox_shortcuts_answer_like_the_sandbox(name):
    ours, stock = _two_sandboxes()
    module = ours.get_template("lib.jinja").module
    assert _answer(ours, module, name) == _answer(stock, module, name)
    data = {name: 1, "items": 2}
    assert _answer(ours, data, name) == _answer(stock, data, name)


def test_sandbox_calls_macros_and_still_refuses_unsafe_callables():
    import pytest
    from jinja2.sandbox import SecurityError, unsafe

    ours, stock = _two_sandboxes()
    module = ours.get_template("lib.jinja").module
    for env in (ours, stock):
        context = env.get_template("lib.jinja").new_context({})
        assert str(env.call(context, module.hello, "Anna")) == "Hallo Anna"
        with pytest.raises(SecurityError):
            env.call(context, unsafe(lambda: "x"))


@given(st.from_regex(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,8}@[A-Za-z0-9.-]{0,80}\.[a-z]{1,5}", fullmatch=True)
       | st.sampled_from(["a@.b.de", "a@b..de", "a@" + "x" * 64 + ".de", "a@" + "x" * 63 + ".de",
                          "a@b.de.", "a@-b.de", "a@b-.de"]))
@settings(max_examples=300, deadline=None)
def test_ascii_email_domains_are_checked_as_idna_and_host_name_rules_would(address: str) -> None:
    import re

    from phrasebook.paramtypes import _EMAIL, Invalid, _text, _to_email

    def plain(value: str) -> str:
        """The conversion with every domain encoded by the idna codec, then held to the
        host name rules (letters, digits, inner hyphens)."""
        text = _text(value, multiline=False)
        if "=?" in text or not _EMAIL.match(text) or ".." in text or text.startswith("."):
            return "invalid"
        local, _, domain = text.rpartition("@")
        atom = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
        if len(local) > 64 or not re.fullmatch(rf"{atom}(\.{atom})*", local):
            return "invalid"
        try:
            encoded = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return "invalid"
        if not all(re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", label) for label in encoded.split(".")):
            return "invalid"
        return f"{local}@{encoded}"

    try:
        ours = _to_email(address, None, None)  # type: ignore[arg-type]
    except Invalid:
        ours = "invalid"
    assert ours == plain(address)
