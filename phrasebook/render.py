"""Rendering: validated parameters + a language's templates → a finished document."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import Catalog, load_catalog
from .errors import SpecError, TemplateFailure, UnsupportedFormat
from .l10n import Language, filters_for, resolve_language
from .spec import Scenario, nest

FORMATS = ("text", "md", "eml")

#: Characters with a meaning in pandoc Markdown; user values are escaped in ``md`` output.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~^$@])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_BLANK_LINES = re.compile(r"\n\n\n+")


@dataclass(frozen=True)
class Document:
    """A rendered text.

    Attributes:
        scenario: the scenario's name.
        language: the language and locale it was written in.
        format: ``text``, ``md`` or ``eml``.
        subject: the subject line (letters) or title (documents).
        body: the text itself, without front matter or headers.
        text: the complete output for ``format`` (front matter + body, or the whole email).
    """

    scenario: str
    language: Language
    format: str
    subject: str
    body: str
    text: str


class _Guard:
    """Finalizer that refuses to print ``None``: a missing value must never become text."""

    def __call__(self, value: Any) -> Any:
        if value is None:
            raise TemplateFailure("a value is missing: the template tried to print None")
        return value


@functools.lru_cache(maxsize=16)
def environment(templates: Path, language: Language) -> Any:
    """Return the cached sandboxed Jinja environment for one language's templates."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates / language.code)),
        undefined=StrictUndefined,
        finalize=_Guard(),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(filters_for(language))
    return env


def escape_markdown(value: Any) -> Any:
    r"""Escape Markdown syntax in user-supplied strings (recursively through lists and dicts).

    >>> escape_markdown("**x** [a](b)")
    '\\*\\*x\\*\\* \\[a\\](b)'
    """
    if isinstance(value, str):
        if _MD_SPECIAL.search(value) or _MD_LINE_START.search(value):
            return _MD_LINE_START.sub(r"\1\2\\\3", _MD_SPECIAL.sub(r"\\\1", value))
        return value
    if isinstance(value, list):
        return [escape_markdown(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_markdown(v) for k, v in value.items()}
    return value


def tidy(text: str) -> str:
    """Normalise whitespace: no trailing spaces, no double spaces, at most one blank line.

    >>> tidy("a  b \\n\\n\\n\\nc")
    'a b\\n\\nc\\n'
    """
    # One pass over the whole text: a run of inner spaces never spans a line break.
    joined = "\n".join([line.rstrip() for line in text.splitlines()]).strip("\n")
    if "  " in joined:
        joined = _INNER_SPACES.sub(" ", joined)
    return _BLANK_LINES.sub("\n\n", joined) + "\n"


def build_context(
    scenario: Scenario, values: Mapping[str, Any], language: Language, today: dt.date, fmt: str
) -> dict[str, Any]:
    """Return the template context: nested parameters plus ``today``, ``lang``, ``fmt``, ``formal``."""
    data = nest(values)
    if fmt == "md":
        data = escape_markdown(data)
    data.update(
        today=today,
        lang=language.code,
        locale=language.locale,
        fmt=fmt,
        formal=values.get("formality", "formal") == "formal",
    )
    return data


def render(
    scenario: str | Scenario,
    lang: str | Language,
    params: Mapping[str, Any],
    *,
    today: dt.date,
    fmt: str = "text",
    catalog: Catalog | None = None,
) -> Document:
    """Render a scenario in one language from raw parameters.

    Args:
        scenario: the scenario's name (e.g. ``"deadline-offer"``) or a loaded :class:`Scenario`.
        lang: ``de``, ``en`` (British English), ``en_US`` or a :class:`Language`.
        params: raw values by dotted or nested name; strings are converted per the spec.
        today: the date the text is written on; it is never read from the clock here.
        fmt: ``text``, ``md`` (with pandoc front matter) or ``eml`` (an RFC 5322 message).
        catalog: where to find specs and templates; the built-in catalogue by default.

    Raises:
        InvalidParams: when any parameter is missing, unknown or malformed (all listed).
        UnsupportedFormat: when the scenario cannot be written in ``fmt``.
        TemplateFailure: when a template fails; the message names the template.
    """
    catalog = catalog or load_catalog()
    spec = scenario if isinstance(scenario, Scenario) else catalog.scenario(scenario)
    language = resolve_language(lang)
    if fmt not in FORMATS:
        raise UnsupportedFormat(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    if fmt not in spec.formats:
        raise UnsupportedFormat(
            f"{spec.name} cannot be written as {fmt}; choose one of: {', '.join(spec.formats)}"
        )
    values = spec.validate(params, language)
    context = build_context(spec, values, language, today, fmt)
    subject, body = _render_template(catalog, spec, language, context)
    if values.get("subject"):
        subject = values["subject"]
    return Document(
        scenario=spec.name,
        language=language,
        format=fmt,
        subject=subject,
        body=body,
        text=_serialize(fmt, subject, body, values, language, today),
    )


def _render_template(
    catalog: Catalog, spec: Scenario, language: Language, context: dict[str, Any]
) -> tuple[str, str]:
    from jinja2 import TemplateError, TemplateNotFound, UndefinedError
    from jinja2.sandbox import SecurityError

    name = catalog.template_name(spec.name)
    where = f"templates/{language.code}/{name}"
    env = environment(catalog.templates, language)
    try:
        template = env.get_template(name)
        module = template.make_module(vars=context)
        body = tidy(str(module))
        subject = " ".join(str(getattr(module, "subject_line", "")).split())
    except TemplateNotFound:
        raise SpecError(f"{where}: template missing") from None
    except TemplateFailure as exc:
        raise TemplateFailure(f"{where}: {exc}") from None
    except UndefinedError as exc:
        raise TemplateFailure(f"{where}: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateFailure(f"{where}: refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise TemplateFailure(f"{where}: {exc.message or exc}") from None
    if not subject:
        raise TemplateFailure(f"{where}: the template sets no subject_line")
    return subject, body


def _serialize(
    fmt: str, subject: str, body: str, values: Mapping[str, Any], language: Language, today: dt.date
) -> str:
    if fmt == "md":
        return front_matter(subject, values, language, today) + "\n" + body
    if fmt == "eml":
        from .mail import build_message

        return build_message(subject, body, values, language)
    return body


def front_matter(
    title: str, values: Mapping[str, Any], language: Language, today: dt.date
) -> str:
    """Return a pandoc YAML metadata block (title, author, date, lang)."""
    import yaml

    from .l10n import format_date

    author = values.get("sender.name")
    company = values.get("sender.company")
    meta: dict[str, Any] = {"title": title}
    if author:
        meta["author"] = escape_markdown(f"{author}, {company}" if company else author)
    meta["date"] = format_date(today, "long", language=language)
    meta["lang"] = language.tag
    # libyaml writes the same text five times faster, except that it escapes U+0085 and
    # characters beyond U+FFFF (emoji): PyYAML's own emitter keeps those readable.
    text = "".join(meta.values())
    fast = "\x85" not in text and max(text) < "\U00010000"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if fast else yaml.SafeDumper
    dumped = yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n"
