"""Rendering: validated parameters + a language's templates → a finished document."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .address import is_person, is_plural
from .catalog import ScenarioSource, load_catalog
from .checkrunner import run_checks
from .dateexpr import with_relative_hint
from .errors import InvalidParams, SpecError, TemplateFailure, UnsupportedFormat
from .l10n import Language, resolve_language
from .markup import escape_markdown, front_matter
from .messages import _
from .paramnames import nest
from .phrases import notes as phrase_notes
from .profiles import client_context
from .sandbox import plain_data  # templates see plain data, never the planner's objects
from .spec import Scenario
from .variants import finish

if TYPE_CHECKING:
    from .reply import Incoming

FORMATS = ("text", "md", "eml", "html", "pdf")
#: Formats laid out for print from a scenario's Markdown (see :mod:`phrasebook.printing`).
PRINT_FORMATS = ("html", "pdf")

_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_BLANK_LINES = re.compile(r"\n\n\n+")
#: Python errors a template can provoke; reported as a template failure with its name.
_RUNTIME_ERRORS = (
    ArithmeticError, ValueError, TypeError, LookupError, AttributeError, RecursionError,
    MemoryError,
)


@dataclass(frozen=True)
class Document:
    """A rendered text.

    Attributes:
        scenario: the scenario's name.
        language: the language and locale it was written in.
        format: ``text``, ``md``, ``eml``, ``html`` or ``pdf``.
        subject: the subject line (letters) or title (documents).
        body: the text itself, without front matter or headers.
        text: the complete output for ``format`` (front matter + body, the whole email, or
            the HTML document; for ``pdf``, the HTML it was laid out from).
        plan: the deadline plan, for scenarios that compute one (else None).
        event_recipes: how to build :attr:`events` (see :class:`phrasebook.checks.Derived`).
        events: calendar entries for ``--ics`` (see :mod:`phrasebook.ics`), built on
            first use.
        notes: hints for the writer that did not stop the text (a missing reason, a
            holiday checked only nationwide), in the message language.
        data: the bytes of a ``pdf``; None for the other formats.
        values: the values it was written with, after the spec's checks (a planned
            ``deadline``, a callback day …).
    """

    scenario: str
    language: Language
    format: str
    subject: str
    body: str
    text: str
    data: bytes | None = None
    plan: Any = None
    event_recipes: tuple[Callable[[], Iterable[Any]], ...] = field(
        default=(), repr=False, compare=False
    )
    notes: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def events(self) -> tuple[Any, ...]:
        """The calendar entries for ``--ics`` (see :mod:`phrasebook.ics`)."""
        from .checks import build_events

        return build_events(self.event_recipes)


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


#: Types of values that hold no Markdown to escape (escape_markdown returns them as they are).
_NOT_MARKUP = frozenset({bool, int, float, decimal.Decimal, dt.date, dt.time, dt.datetime})

#: :func:`escape_markdown` of a plain string; batches repeat the same values row after row.
_escaped_text = functools.lru_cache(maxsize=4096)(escape_markdown)


def build_context(
    scenario: Scenario,
    values: Mapping[str, Any],
    language: Language,
    today: dt.date,
    fmt: str,
    client: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the template context: nested parameters plus ``today``, ``lang``, ``fmt``, ``layout``
    (the format asked for: ``html`` or ``pdf`` where ``fmt`` is ``md``), ``formal``
    and ``client`` (the client group and what it implies, see :mod:`phrasebook.profiles`).

    Scenarios with recipients also get ``recipients`` (every person, the first one being
    ``recipient``), ``plural`` (the letter speaks to several people or to a group: German
    *ihr* rather than *du*) and ``group_call`` (no named person: a call with a team).
    """
    if fmt == "md":
        # Choice values are the spec's own identifiers that templates compare; not user text.
        choices = scenario.choice_names
        values = {
            name: value
            if value is None or name in choices
            else _escaped_text(value) if type(value) is str
            else value if type(value) in _NOT_MARKUP
            else escape_markdown(value)
            for name, value in values.items()
        }
    data = nest(values)
    recipient = data.get("recipient")
    if isinstance(recipient, dict):
        people = [{k: v for k, v in recipient.items() if k != "others"}, *(recipient.get("others") or [])]
        data["recipients"] = people
        data["plural"] = is_plural(people)
        data["group_call"] = not is_person(people[0])
    given = data.get("client")
    if given is None or isinstance(given, dict):
        data["client"] = {**client_context(client), **(given or {})}
    data.update(
        today=today,
        lang=language.code,
        locale=language.locale,
        fmt=fmt,
        layout=fmt,
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
    catalog: ScenarioSource | None = None,
    client: Mapping[str, Any] | None = None,
    numbers: str | Language | None = None,
    reply: Incoming | None = None,
    allow_placeholders: bool = False,
) -> Document:
    """Render a scenario in one language from raw parameters.

    Args:
        scenario: the scenario's name (e.g. ``"deadline-offer"``) or a loaded :class:`Scenario`.
        lang: ``de``, ``en`` (British English), ``en_US`` or a :class:`Language`.
        params: raw values by dotted or nested name; strings are converted per the spec.
        today: the date the text is written on; it is never read from the clock here.
        fmt: ``text``, ``md`` (with pandoc front matter), ``eml`` (an RFC 5322 message),
            ``html`` (one self-contained file laid out for print) or ``pdf`` (needs the
            ``pdf`` extra); a scenario written as ``md`` can be written as ``html`` and ``pdf``.
        catalog: where to find specs and templates; the built-in catalogue by default
            (a :class:`~phrasebook.catalog.LayeredCatalog` adds template packs).
        client: the client's group and region (see :func:`phrasebook.profiles.client_context`);
            templates see it as ``client``.
        numbers: the notation amounts are written in, when it is not that of ``lang``.
        reply: the message the text answers (see :mod:`phrasebook.reply`): the subject
            becomes „AW: …“/"Re: …" (unless ``subject`` is given), the original is quoted
            below the text, and an ``.eml`` stays in its thread.
        allow_placeholders: accept values that look unfilled (``[Name]``, ``TODO``).

    Raises:
        InvalidParams: when any parameter is missing, unknown or malformed (all listed).
        UnsupportedFormat: when the scenario cannot be written in ``fmt``.
        TemplateFailure: when a template fails; the message names the template.
    """
    catalog = catalog or load_catalog()
    spec = scenario if isinstance(scenario, Scenario) else catalog.scenario(scenario)
    language = resolve_language(lang)
    today = _day(today)
    if fmt not in FORMATS:
        raise UnsupportedFormat(
            _("unknown format {name!r}; expected one of: {formats}").format(name=fmt, formats=", ".join(FORMATS))
        )
    if fmt not in spec.output_formats:
        raise UnsupportedFormat(
            _("{scenario} cannot be written as {format}; choose one of: {formats}").format(
                scenario=spec.name, format=fmt, formats=", ".join(spec.output_formats)
            )
        )
    notation = resolve_language(numbers) if numbers is not None else None
    written = "md" if fmt in PRINT_FORMATS else fmt  # the form the templates write
    prepared = _prepare(spec, language, params, today, written, client, notation, allow_placeholders)
    values, context = prepared.values, prepared.context
    context["layout"] = fmt
    subject, label, body = _render_template(catalog, spec, language, context)
    if values.get("subject"):
        subject = context["subject"]
    if reply is not None:
        from .reply import quote, reply_subject

        if not values.get("subject"):
            subject = reply_subject(reply.subject, language)
        quoted = quote(reply, language)
        body = f"{body.rstrip()}\n\n{_markdown_quote(quoted) if written == 'md' else quoted}\n"
    data = None
    if fmt in PRINT_FORMATS:
        from .printing import html_document, pdf_bytes

        text = html_document(
            title=subject, body=body, values=values, language=language, today=today, letter=spec.kind == "letter"
        )
        data = pdf_bytes(text, title=subject, today=today) if fmt == "pdf" else None
    else:
        text = _serialize(fmt, subject, label, body, values, language, today, reply.reply if reply else None)
    return Document(
        scenario=spec.name,
        language=language,
        format=fmt,
        subject=subject,
        body=body,
        text=text,
        data=data,
        plan=prepared.plan,
        event_recipes=prepared.events,
        notes=prepared.notes,
        values=values,
    )


def _markdown_quote(text: str) -> str:
    """A quoted message as Markdown: the quote marks stay, the quoted text is escaped."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("> "):
            lines.append("> " + escape_markdown(line[2:]))
        else:
            lines.append(line if line == ">" else escape_markdown(line))
    return "\n".join(lines)


def _working_days(values: Mapping[str, Any]) -> Callable[[dt.date], bool] | None:
    """The test of a working day in the values' region (for relative dates)."""
    from .checks import working_days

    return working_days(values)


def with_region(values: Mapping[str, Any], region: str) -> dict[str, Any]:
    """``values`` with ``region`` as the holiday region unless they name one themselves."""
    return dict(values) if values.get("region") else {**values, "region": region}


def _day(today: dt.date) -> dt.date:
    """The calendar day of ``today`` (a datetime counts as its date)."""
    return today.date() if isinstance(today, dt.datetime) else today


def _prepare(
    spec: Scenario,
    language: Language,
    params: Mapping[str, Any],
    today: dt.date,
    fmt: str,
    client: Mapping[str, Any] | None,
    numbers: Language | None = None,
    placeholders: bool = False,
) -> _Prepared:
    """Validate, run the spec's checks and build the template context.

    The language's region (de_AT: AT, de_CH: CH) is the holiday region wherever the values
    give none.
    """
    working_days = _working_days
    if language.region:
        region = language.region
        if not params.get("region") and any(param.name == "region" for param in spec.params):
            params = {**params, "region": region}  # before the spec's own default

        def working_days(values: Mapping[str, Any]) -> Callable[[dt.date], bool] | None:
            return _working_days(with_region(values, region))

    try:
        values = spec.validate(
            params, language, today=today, numbers=numbers, placeholders=placeholders, working_days=working_days
        )
    except InvalidParams as exc:
        raise with_relative_hint(_with_check_problems(spec, exc, language, today, fmt)) from None
    plan: Any = None
    events: tuple[Callable[[], Iterable[Any]], ...] = ()
    notes: tuple[str, ...] = ()
    if spec.checks:
        try:
            checked = with_region(values, language.region) if language.region else values
            derived = run_checks(spec, checked, language=language, today=today, fmt=fmt)
        except InvalidParams as exc:
            raise with_relative_hint(exc) from None
        values, plan, events, notes = derived.values, derived.plan, derived.events, derived.notes
    context = build_context(spec, values, language, today, fmt, client)
    context["plan"] = plain_data(plan)
    notes = (*notes, *phrase_notes(spec.params, values, language))
    return _Prepared(values, context, plan, events, notes)


class _Prepared(NamedTuple):
    """What a template run needs, and what the document keeps besides its text."""

    values: dict[str, Any]
    context: dict[str, Any]
    plan: Any
    events: tuple[Callable[[], Iterable[Any]], ...]
    notes: tuple[str, ...]


def _with_check_problems(
    spec: Scenario, error: InvalidParams, language: Language, today: dt.date, fmt: str
) -> InvalidParams:
    """``error``, plus what the spec's checks find in the values that were valid.

    So that every problem is reported at once: a deadline in the past is named together
    with a malformed email address, not only after it is fixed. Problems with a
    parameter already named, and checks that cannot work on the incomplete values,
    add nothing.
    """
    if not spec.checks or error.values is None:
        return error
    try:
        run_checks(spec, dict(error.values), language=language, today=today, fmt=fmt)
    except InvalidParams as found:
        named = {problem.partition(":")[0] for problem in error.problems}
        extra = [p for p in found.problems if p.partition(":")[0] not in named]
        if extra:
            return InvalidParams(spec.name, [*error.problems, *extra], error.hint, error.values)
    except Exception:  # a check that needs a value that was not valid: nothing to add
        pass
    return error


def _render_template(
    catalog: ScenarioSource, spec: Scenario, language: Language, context: dict[str, Any]
) -> tuple[str, str | None, str]:
    """Return (subject, subject label or None, body) from one template run."""
    name = catalog.template_name(spec.name)
    body, exported, where, limit = _run_template(catalog, spec, language, name, context)
    subject = finish(" ".join(str(exported.get("subject_line", "")).split()), language)
    if not subject:
        raise TemplateFailure(f"{where}: " + _("the template sets no subject_line"))
    if limit is not None and len(subject) > 1000:
        raise TemplateFailure(f"{where}: " + _("the subject line is longer than 1,000 characters"))
    return subject, exported.get("subject_label"), body


def _run_template(
    catalog: ScenarioSource, spec: Scenario, language: Language, name: str, context: dict[str, Any]
) -> tuple[str, dict[str, Any], str, int | None]:
    """Render template ``name`` of a scenario; return (tidied text, exports, label, size limit).

    Every failure becomes a :class:`TemplateFailure` (or a :class:`SpecError` when the
    template itself is missing) that names the template, and for packs the line.
    """
    env = catalog.environment_for(spec.name, language)
    main = catalog.template_label(spec.name, language.code)
    where = main[: -len(catalog.template_name(spec.name))] + name
    limit = getattr(env, "output_limit", None)
    try:
        template = env.get_template(name)
        if limit is None:
            body, exported = _generate(template, context, None)
        else:
            from .sandbox import time_limit

            with time_limit(getattr(env, "time_limit", None)):
                body, exported = _generate(template, context, limit)
    except Exception as exc:
        failure = _template_failure(exc, env, name, where, limit)
        if failure is exc:
            raise
        raise failure from None
    return finish(tidy(body), language), exported, where, limit


def _template_failure(
    exc: Exception, env: Any, name: str, where: str, limit: int | None
) -> Exception:
    """Return the error to raise for ``exc`` from template ``name`` (``exc`` itself if foreign)."""
    from jinja2 import TemplateError, TemplateNotFound, UndefinedError
    from jinja2.exceptions import SecurityError

    from .sandbox import RenderTimeout

    at = f"{where}{_line(exc, limit)}"
    if isinstance(exc, TemplateNotFound):
        if exc.name in (None, name):
            return SpecError(f"{where}: " + _("template missing"))
        detail = _("template {name!r} not found").format(name=exc.name)
    elif isinstance(exc, TemplateFailure):
        detail = str(exc)
    elif isinstance(exc, UndefinedError):
        detail = exc.message or str(exc)
    elif isinstance(exc, SecurityError):
        detail = _("refused by the sandbox: {reason}").format(reason=exc)
    elif isinstance(exc, TemplateError):
        lineno = getattr(exc, "lineno", None)  # a syntax error knows its line
        place = f"{where}:{lineno}" if lineno and getattr(exc, "name", None) in (None, name) else where
        return TemplateFailure(f"{place}: {exc.message or exc}")
    elif isinstance(exc, RenderTimeout):
        seconds = env.time_limit
        return TemplateFailure(f"{where}: " + _("took longer than {seconds:g} s to render").format(seconds=seconds))
    elif isinstance(exc, _RUNTIME_ERRORS):
        detail = f"{type(exc).__name__}: {exc}"
    else:
        return exc
    return TemplateFailure(f"{at}: {detail}")


def _generate(
    template: Any, context: dict[str, Any], limit: int | None
) -> tuple[str, dict[str, Any]]:
    """Render ``template`` as a module would, stopping once the output passes ``limit``.

    ``context`` is the render's own fresh dict: without globals to merge in, the
    template reads it directly instead of a copy.
    """
    ctx = template.new_context(context, shared=not template.globals)
    try:
        if limit is None:
            body = "".join(template.root_render_func(ctx))
            return body, ctx.get_exported()
        parts: list[str] = []
        size = 0
        for piece in template.root_render_func(ctx):
            size += len(piece)
            if size > limit:
                raise TemplateFailure(_("output limit of {limit:,} characters exceeded").format(limit=limit))
            parts.append(piece)
    except Exception:
        template.environment.handle_exception()  # re-raises with template lines in the traceback
    return "".join(parts), ctx.get_exported()


def _line(exc: BaseException, limit: int | None) -> str:
    """Return ``:N`` with the template line an error came from (pack templates only)."""
    import traceback

    if limit is None:
        return ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".jinja"):
            return f":{frame.lineno}"
    return ""


def _serialize(
    fmt: str,
    subject: str,
    label: str | None,
    body: str,
    values: Mapping[str, Any],
    language: Language,
    today: dt.date,
    reply: Any = None,
) -> str:
    if fmt == "md":
        return front_matter(subject, values, language, today) + "\n" + body
    if fmt == "eml":
        from .mail import build_message

        return build_message(subject, body, values, language, today=today, reply=reply)
    return f"{label}: {subject}\n\n{body}" if label else body


def render_companion(
    scenario: str | Scenario,
    lang: str | Language,
    params: Mapping[str, Any],
    *,
    template: str,
    today: dt.date,
    fmt: str = "md",
    catalog: ScenarioSource | None = None,
    client: Mapping[str, Any] | None = None,
    allow_placeholders: bool = False,
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
        client: the client's group and region, as for :func:`render`.
        allow_placeholders: accept values that look unfilled, as for :func:`render`.

    Returns:
        The rendered, tidied text.

    Raises:
        InvalidParams: when any parameter is missing, unknown or malformed.
        SpecError: when the template does not exist.
        TemplateFailure: when the template fails; the message names the template.
    """
    return companion_with_exports(
        scenario, lang, params, template=template, today=today, fmt=fmt, catalog=catalog,
        client=client, allow_placeholders=allow_placeholders,
    )[0]


def companion_with_exports(
    scenario: str | Scenario,
    lang: str | Language,
    params: Mapping[str, Any],
    *,
    template: str,
    today: dt.date,
    fmt: str = "md",
    catalog: ScenarioSource | None = None,
    client: Mapping[str, Any] | None = None,
    allow_placeholders: bool = False,
) -> tuple[str, dict[str, Any]]:
    """Like :func:`render_companion`, and also return the template's top-level ``set`` values."""
    catalog = catalog or load_catalog()
    spec = scenario if isinstance(scenario, Scenario) else catalog.scenario(scenario)
    language = resolve_language(lang)
    context = _prepare(spec, language, params, _day(today), fmt, client, None, allow_placeholders).context
    text, exports, _where, _limit = _run_template(catalog, spec, language, template, context)
    return text, exports
