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
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~^$])")
#: Characters that only mean something at the start of a line (lists, headings, rules).
_MD_LINE_START = re.compile(r"^(\s*)([#+\-!@:=]|\d+[.)])", re.MULTILINE)


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
        plan: the deadline plan, for scenarios that compute one (else None).
        events: calendar entries for ``--ics`` (see :mod:`phrasebook.ics`).
    """

    scenario: str
    language: Language
    format: str
    subject: str
    body: str
    text: str
    plan: Any = None
    events: tuple[Any, ...] = ()


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
    """
    if isinstance(value, str):
        return _MD_LINE_START.sub(_escape_line_start, _MD_SPECIAL.sub(r"\\\1", value))
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
    lines = []
    for line in text.splitlines():
        stripped = line.rstrip()
        indent = len(stripped) - len(stripped.lstrip(" "))
        lines.append(stripped[:indent] + re.sub(r"(?<=\S) {2,}(?=\S)", " ", stripped[indent:]))
    joined = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined) + "\n"


def build_context(
    scenario: Scenario, values: Mapping[str, Any], language: Language, today: dt.date, fmt: str
) -> dict[str, Any]:
    """Return the template context: nested parameters plus ``today``, ``lang``, ``fmt``, ``formal``."""
    if fmt == "md":
        # Choice values are the spec's own identifiers that templates compare; they are not user text.
        choices = {p.name for p in scenario.params if p.type == "choice"}
        values = {k: v if k in choices else escape_markdown(v) for k, v in values.items()}
    data = nest(values)
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
    plan, events = None, ()
    if spec.checks:
        from .checks import run_checks

        derived = run_checks(spec, values, language=language, today=today, fmt=fmt)
        values, plan, events = derived.values, derived.plan, derived.events
    context = build_context(spec, values, language, today, fmt)
    context["plan"] = plan
    subject, label, body = _render_template(catalog, spec, language, context)
    if values.get("subject"):
        subject = context["subject"]
    return Document(
        scenario=spec.name,
        language=language,
        format=fmt,
        subject=subject,
        body=body,
        text=_serialize(fmt, subject, label, body, values, language, today),
        plan=plan,
        events=tuple(events),
    )


def _render_template(
    catalog: Catalog, spec: Scenario, language: Language, context: dict[str, Any]
) -> tuple[str, str | None, str]:
    """Return (subject, subject label or None, body) from one template run."""
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
        label = getattr(module, "subject_label", None)
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
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise TemplateFailure(f"{where}: {type(exc).__name__}: {exc}") from None
    if not subject:
        raise TemplateFailure(f"{where}: the template sets no subject_line")
    return subject, label, body


def _serialize(
    fmt: str, subject: str, label: str | None, body: str, values: Mapping[str, Any], language: Language, today: dt.date
) -> str:
    if fmt == "md":
        return front_matter(subject, values, language, today) + "\n" + body
    if fmt == "eml":
        from .mail import build_message

        return build_message(subject, body, values, language)
    return f"{label}: {subject}\n\n{body}" if label else body


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
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n"


def render_companion(
    scenario: str | Scenario,
    lang: str | Language,
    params: Mapping[str, Any],
    *,
    template: str,
    today: dt.date,
    fmt: str = "md",
    catalog: Catalog | None = None,
) -> str:
    """Render another template of a scenario with exactly the context its letter gets.

    Companion texts such as the rehearsal script ``rehearse/<scenario>.jinja`` use the
    same spec, validation and context as :func:`render`, so they can never disagree
    with the letter about a name, a date or an amount.

    Args:
        scenario: the scenario's name or a loaded :class:`Scenario`.
        lang: ``de``, ``en``, ``en_US`` or a :class:`Language`.
        params: raw values, as for :func:`render`.
        template: the template's path inside the language directory.
        today: the date the text is written on.
        fmt: the format the context is prepared for (``md`` escapes user values).
        catalog: where to find specs and templates; the built-in catalogue by default.

    Returns:
        The rendered, tidied text.

    Raises:
        InvalidParams: when any parameter is missing, unknown or malformed.
        SpecError: when the template does not exist.
        TemplateFailure: when the template fails; the message names the template.
    """
    from jinja2 import TemplateError, TemplateNotFound, UndefinedError
    from jinja2.sandbox import SecurityError

    catalog = catalog or load_catalog()
    spec = scenario if isinstance(scenario, Scenario) else catalog.scenario(scenario)
    language = resolve_language(lang)
    values = spec.validate(params, language)
    plan = None
    if getattr(spec, "checks", ()):
        # Scenarios with semantic checks (deadline planning) get completed values and a
        # ``plan`` exactly as their letter does in render().
        from .checks import run_checks  # type: ignore[import-not-found]

        derived = run_checks(spec, values, language=language, today=today, fmt=fmt)
        values, plan = derived.values, derived.plan
    context = build_context(spec, values, language, today, fmt)
    context.setdefault("plan", plan)
    where = f"templates/{language.code}/{template}"
    try:
        text = environment(catalog.templates, language).get_template(template).render(context)
    except TemplateNotFound as exc:
        missing = "template missing" if exc.name == template else f"uses {exc.name}, which is missing"
        raise SpecError(f"{where}: {missing}") from None
    except TemplateFailure as exc:
        raise TemplateFailure(f"{where}: {exc}") from None
    except UndefinedError as exc:
        raise TemplateFailure(f"{where}: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateFailure(f"{where}: refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise TemplateFailure(f"{where}: {exc.message or exc}") from None
    return tidy(text)
