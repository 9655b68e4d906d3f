"""Checking and scaffolding template packs (``phrasebook check`` and ``phrasebook new``).

A pack has the layout of the built-in catalogue::

    DIR/scenarios/<name>.yaml            the spec: title, summary, typed parameters
    DIR/templates/de/<name>.jinja        the German wording
    DIR/templates/en/<name>.jinja        the English wording
    DIR/examples/<name>.<lang>.yaml      optional sample parameters

:func:`check_pack` runs every check a pack must pass before it is used for
client letters; :func:`scaffold` writes a new scenario that passes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InvalidInput, PhrasebookError, did_you_mean
from .messages import _, ngettext

#: Variables every template sees besides its parameters.
CONTEXT_NAMES = frozenset({"today", "lang", "locale", "fmt", "layout", "formal", "client"})
#: Names a letter template may set for the frame ``_letter.jinja``.
FRAME_NAMES = frozenset({"subject", "subject_line"})
_SCENARIO_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_KNOWN_TOP = {"scenarios", "templates", "examples", "README.md", "README", "LICENSE", ".gitignore"}


@dataclass
class Check:
    """One line of a pack check: ``ok``, ``fail``, ``skip`` or ``warn`` and what was checked."""

    status: str
    text: str

    def __str__(self) -> str:
        return f"{self.status:<5} {self.text}"


@dataclass
class PackReport:
    """All checks of one pack."""

    root: Path
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many checks failed."""
        return sum(c.status == "fail" for c in self.checks)

    @property
    def passed(self) -> int:
        """How many checks passed."""
        return sum(c.status == "ok" for c in self.checks)

    def add(self, status: str, text: str) -> None:
        """Record a check."""
        self.checks.append(Check(status, text))


def sample_values(spec: Any, lang: str, today: dt.date) -> dict[str, Any]:
    """Return made-up values for every parameter of ``spec`` (for a sample render)."""
    names = {
        "recipient.last_name": "Berger",
        "recipient.first_name": "Jana",
        "recipient.gender": "female",
        "recipient.email": "jana.berger@example.com",
        "sender.name": "Alex Winter",
        "sender.email": "alex@example.com",
    }
    values: dict[str, Any] = {}
    for param in spec.params:
        if param.name in names:
            values[param.name] = names[param.name]
        elif param.default is not None or not (param.required or param.required_if):
            continue
        else:
            values[param.name] = _sample(param, lang, today)
    # Keep the spec's own rules: a partner for only_with, and dates in the declared order
    # (the same day satisfies every not_before / not_after between two parameters).
    for param in spec.params:
        if param.name in values and param.only_with and param.only_with not in values:
            values[param.only_with] = _sample(spec.param(param.only_with), lang, today)
    for group in _tied_dates(spec, values):
        # One day for the whole group: ahead of today, behind it, or today itself.
        ahead = any("today" in (spec.param(name).not_before, spec.param(name).after) for name in group)
        behind = any(spec.param(name).not_after == "today" for name in group)
        day = today + dt.timedelta(days=14 * (ahead - behind))
        for name in group:
            values[name] = day
        for name in group:  # ``after`` wants a later day than its bound
            if spec.param(name).after in group:
                values[name] = day + dt.timedelta(days=1)
    return values


def _tied_dates(spec: Any, values: Mapping[str, Any]) -> list[set[str]]:
    """Groups of sampled dates tied by ``not_before`` / ``not_after`` / ``after`` between parameters."""
    groups: list[set[str]] = []
    for param in spec.params:
        for other in (param.not_before, param.not_after, getattr(param, "after", None)):
            if other in (None, "today") or not isinstance(values.get(param.name), dt.date) \
                    or not isinstance(values.get(other), dt.date):
                continue
            joined = {param.name, other}
            for group in [g for g in groups if g & joined]:
                joined |= group
                groups.remove(group)
            groups.append(joined)
    return groups


def _sample(param: Any, lang: str, today: dt.date) -> Any:
    word = "Beispiel" if lang == "de" else "example"
    if param.type == "list":
        if param.fields:
            return [{f.name: _sample(f, lang, today) for f in param.fields if f.required}]
        count = int(param.min or 1)
        return [_sample_scalar(param.item, param, word, today) for _item in range(count)]
    return _sample_scalar(param.type, param, word, today)


def _sample_scalar(kind: str, param: Any, word: str, today: dt.date) -> Any:
    if kind == "int":
        return int(param.min) if param.min is not None else 1
    if kind == "decimal":
        return param.min if param.min is not None else Decimal("1234.50")
    if kind == "bool":
        return True
    if kind == "date":
        past = getattr(param, "not_after", None) == "today"
        return today + dt.timedelta(days=-14 if past else 14)
    if kind == "time":
        return dt.time(10, 0)
    if kind == "choice":
        return param.choices[0]
    if kind == "email":
        return "name@example.com"
    return word


def undeclared_variables(
    env: Any, source: str, allowed: set[str], groups: dict[str, set[str]]
) -> list[str]:
    """Return "N: ..." (line, problem) for each variable the template uses but nobody declares."""
    from jinja2 import meta, nodes

    ast = env.parse(source)
    assigned = {
        name.name
        for node in ast.find_all((nodes.Assign, nodes.AssignBlock))
        for name in (node.target, *node.target.find_all(nodes.Name))
        if isinstance(name, nodes.Name)
    }
    free = meta.find_undeclared_variables(ast) - assigned
    problems = []
    for name in sorted(free - allowed - set(env.globals)):
        line = next((n.lineno for n in ast.find_all(nodes.Name) if n.name == name), 0)
        hint = did_you_mean(name, sorted(allowed))
        problems.append(f"{line}: " + _("{name!r} is not a parameter{hint}").format(name=name, hint=hint))
    for node in ast.find_all(nodes.Getattr):
        if not isinstance(node.node, nodes.Name) or node.node.name not in free:
            continue
        members = groups.get(node.node.name)
        if members is None or node.attr in members:
            continue
        dotted = f"{node.node.name}.{node.attr}"
        hint = did_you_mean(dotted, sorted(f"{node.node.name}.{m}" for m in members))
        problems.append(
            f"{node.lineno}: " + _("{name!r} is not a parameter{hint}").format(name=dotted, hint=hint)
        )
    return problems


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _invisible(source: str) -> list[str]:
    """Return "N: ..." for each line with a bidi or zero-width control ("Trojan Source")."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _INVISIBLE.search(line)
        if match:
            found.append(
                f"{number}: "
                + _(
                    "contains the invisible control character {code}; "
                    "it can make the template read differently from what it does"
                ).format(code=f"U+{ord(match.group()):04X}")
            )
    return found


def declared_names(spec: Any) -> tuple[set[str], dict[str, set[str]]]:
    from .profiles import client_context

    tops = {p.name.split(".")[0] for p in spec.params} | CONTEXT_NAMES | FRAME_NAMES
    groups: dict[str, set[str]] = {"client": set(client_context())}
    for param in spec.params:
        if "." in param.name:
            head, rest = param.name.split(".", 1)
            groups.setdefault(head, set()).add(rest.split(".")[0])
    return tops, groups


def check_pack(root: str | Path, *, today: dt.date) -> PackReport:
    """Check a template pack: links, spec schema, templates in both languages,
    declared variables, sample renders in every language, register and format,
    and the tone linter (errors fail the check, warnings are listed).
    """
    from .catalog import LayeredCatalog, Pack, load_catalog
    from .errors import SpecError
    from .l10n import TEMPLATE_LANGUAGES

    report = PackReport(Path(root))
    try:
        pack = Pack(root)
    except SpecError as exc:
        report.add("fail", str(exc))
        return report
    report.add("ok", _("files: no links lead outside the pack"))
    for warning in pack.warnings:
        report.add("warn", warning)
    for entry in sorted(p.name for p in pack.root.iterdir()):
        if entry not in _KNOWN_TOP:
            report.add(
                "warn", f"{entry}: " + _("not part of a pack; ignored (nothing in a pack is run)")
            )
    spec_files = sorted(pack.specs.glob("*.yaml")) if pack.specs.is_dir() else []
    for path in spec_files:
        if not path.name.startswith("_") and not _SCENARIO_NAME.match(path.stem):
            report.add("fail", f"scenarios/{path.name}: " + _("names are lowercase words joined by '-'"))
    names = pack.names()
    if not names:
        report.add("fail", "scenarios/: " + _("no scenario specs found (scenarios/<name>.yaml)"))
        return report
    catalog = LayeredCatalog(load_catalog(), [pack])
    for name in names:
        _check_scenario(report, pack, catalog, name, today, TEMPLATE_LANGUAGES)
    for lang in TEMPLATE_LANGUAGES:
        folder = pack.templates / lang
        for path in sorted(folder.glob("*.jinja")) if folder.is_dir() else []:
            stem = path.name.removesuffix(".jinja")
            if not stem.startswith("_") and stem not in names:
                report.add(
                    "warn",
                    f"templates/{lang}/{path.name}: "
                    + _("no spec scenarios/{name}.yaml; unused").format(name=stem),
                )
    return report


def _check_scenario(
    report: PackReport,
    pack: Any,
    catalog: Any,
    name: str,
    today: dt.date,
    languages: tuple[str, ...],
) -> None:
    from .l10n import resolve_language
    from .lint import lint_text
    from .render import render

    try:
        spec = pack.scenario(name)
    except PhrasebookError as exc:
        report.add("fail", f"{name}: " + _("spec: {problem}").format(problem=exc))
        return
    report.add("ok", _("{name}: spec scenarios/{name}.yaml").format(name=name))
    missing = [
        lang for lang in languages if not (pack.templates / lang / f"{name}.jinja").is_file()
    ]
    if missing:
        for lang in missing:
            report.add(
                "fail", _("{name}: templates/{lang}/{name}.jinja is missing").format(name=name, lang=lang)
            )
        return
    report.add("ok", _("{name}: templates in {languages}").format(name=name, languages=", ".join(languages)))
    allowed, groups = declared_names(spec)
    problems = []
    for lang in languages:
        env = pack.environment(resolve_language(lang))
        path = pack.templates / lang / f"{name}.jinja"
        try:
            source = env.loader.get_source(env, f"{name}.jinja")[0]
            problems += [f"templates/{lang}/{name}.jinja:{p}" for p in _invisible(source)]
            problems += [
                f"templates/{lang}/{name}.jinja:{p}"
                for p in undeclared_variables(env, source, allowed, groups)
            ]
        except PhrasebookError as exc:
            problems.append(f"templates/{lang}/{name}.jinja: {exc}")
        except Exception as exc:  # a syntax error, reported with its line
            line = getattr(exc, "lineno", None)
            where = f"templates/{lang}/{name}.jinja" + (f":{line}" if line else "")
            problems.append(f"{where}: {getattr(exc, 'message', None) or exc}")
        del path
    if problems:
        for problem in problems:
            report.add("fail", f"{name}: {problem}")
        return
    report.add("ok", _("{name}: every template variable is declared").format(name=name))
    rendered = 0
    findings: list[tuple[str, str]] = []
    failures: dict[str, list[str]] = {}  # one report per problem, with every sample it spoils
    for lang in languages:
        for label, values in _samples(pack, spec, lang, today):
            for fmt in spec.formats:
                try:
                    document = render(spec, lang, values, today=today, fmt=fmt, catalog=catalog)
                except PhrasebookError as exc:
                    failures.setdefault(str(exc), []).append(f"{lang} {label} {fmt}")
                    continue
                rendered += 1
                if fmt == "text":
                    findings += [
                        (
                            "fail" if f.severity == "error" else "warn",
                            _("{name}: lint {lang} {label}: line {line}: {rule} {message}").format(
                                name=name, lang=lang, label=label, line=f.line, rule=f.rule,
                                message=f.message,
                            ),
                        )
                        for f in lint_text(document.text, lang)
                    ]
    for problem, samples in failures.items():
        if len(samples) == 1:
            text = _("{name}: sample {sample}: {problem}").format(name=name, sample=samples[0], problem=problem)
        else:
            text = ngettext(
                "{name}: {count} sample ({samples}): {problem}",
                "{name}: {count} samples ({samples}): {problem}",
                len(samples),
            ).format(name=name, count=len(samples), samples=", ".join(samples), problem=problem)
        report.add("fail", text)
    if not failures:
        report.add(
            "ok",
            ngettext("{name}: {count} sample render", "{name}: {count} sample renders", rendered).format(
                name=name, count=rendered
            ),
        )
    for status, finding in findings:
        report.add(status, finding)
    if not findings:
        report.add("ok", _("{name}: lint clean").format(name=name))


def _samples(
    pack: Any, spec: Any, lang: str, today: dt.date
) -> Iterator[tuple[str, dict[str, Any]]]:
    from .inputs import read_params_file

    example = pack.example_path(spec.name, lang)
    base = read_params_file(example) if example else sample_values(spec, lang, today)
    source = _("example") if example else _("sample")
    if spec.kind != "letter":
        yield source, base
        return
    for formality in ("formal", "informal"):
        values = dict(base)
        values["formality"] = formality
        yield f"{source} {formality}", values


# --- scaffolding ------------------------------------------------------------------

_SPEC = """\
# A phrasebook scenario: its title and summary in German and English, and the
# parameters its templates use. Check the pack with: phrasebook check {root}
title:
  de: Anfrage bestätigen
  en: Acknowledge an enquiry
summary:
  de: Eine Anfrage bestätigen und einen festen Termin für die ausführliche Antwort nennen.
  en: Acknowledge an enquiry and name a firm date for the full answer.
kind: letter
params:
  topic:
    type: str
    help:
      de: Worum es in der Anfrage geht, z. B. Angebot für den Relaunch
      en: What the enquiry is about, e.g. quote for the relaunch
  reply_by:
    type: date
    not_before: today
    help:
      de: Bis wann die ausführliche Antwort kommt, z. B. 2026-12-02
      en: When the full answer will follow, e.g. 2026-12-02
"""

_TEMPLATE_HEADER = """\
{{#- {name}: the wording in {language}. The frame _letter.jinja adds salutation and closing.
    Context: the parameters (topic, reply_by, recipient.*, sender.*), formal (bool),
    today, lang, fmt, and client: client.group (A, B, C or none), client.tone,
    client.proactive, client.concessions (false for group C: offer nothing extra). -#}}
"""

_TEMPLATE_DE = """\
{% extends "_letter.jinja" %}
{% set when = reply_by | date("full") %}
{% set subject_line %}{% if formal %}Ihre{% else %}Deine{% endif %} Anfrage: {{ topic }}{% endset %}
{% block body %}
{% if formal %}
vielen Dank für Ihre Anfrage zum Thema „{{ topic }}“. Ich kümmere mich darum: Eine ausführliche Antwort erhalten Sie spätestens am {{ when }}.
{% if client.proactive %}

Wenn Sie vorher Fragen haben, rufen Sie mich gern an.
{% endif %}
{% else %}
danke für deine Anfrage zum Thema „{{ topic }}“. Ich kümmere mich darum: Eine ausführliche Antwort bekommst du spätestens am {{ when }}.
{% if client.proactive %}

Wenn du vorher Fragen hast, ruf mich gern an.
{% endif %}
{% endif %}
{% endblock %}
"""

_TEMPLATE_EN = """\
{% extends "_letter.jinja" %}
{% set when = reply_by | date("full") %}
{% set subject_line %}Your enquiry: {{ topic }}{% endset %}
{% block body %}
{% if formal %}Thank you{% else %}Thanks{% endif %} for your enquiry about “{{ topic }}”. I am looking into it and will send you a full answer by {{ when }}.
{% if client.proactive %}

If any questions come up before then, please call me.
{% endif %}
{% endblock %}
"""

#: Who the scaffold's example parameters write to, per language.
_EXAMPLE_PEOPLE = {
    "de": {"gender": "female", "first": "Katrin", "last": "Müller", "topic": "Angebot für den Relaunch"},
    "en": {"gender": "male", "first": "James", "last": "Miller", "topic": "quote for the relaunch"},
}

_EXAMPLE = """\
# phrasebook --pack {root} render {name} --lang {lang} --example
recipient:
  gender: {gender}
  first_name: {first}
  last_name: {last}
formality: formal
sender:
  name: {sender}
topic: {topic}
reply_by: +3 working days
"""


def scaffold(scenario: str, root: str | Path, *, force: bool = False) -> list[Path]:
    """Write a new scenario into the pack at ``root`` (created if missing).

    Returns the files written. The scenario passes :func:`check_pack` as it is;
    edit its wording and parameters from there.

    Raises:
        InvalidInput: for a name that is not lowercase words joined by ``-``.
        OutputExists: when a file exists and ``force`` is false (nothing is written).
    """
    from .errors import OutputExists
    from .output import write_atomic

    if not _SCENARIO_NAME.match(scenario):
        raise InvalidInput(
            _("scenario name {name!r}: use lowercase words joined by '-', e.g. status-update").format(
                name=scenario
            )
        )
    base = Path(root)
    files = {
        base / "scenarios" / f"{scenario}.yaml": _SPEC.format(root=base),
        base / "templates" / "de" / f"{scenario}.jinja": _TEMPLATE_HEADER.format(
            name=scenario, language="German"
        )
        + _TEMPLATE_DE,
        base / "templates" / "en" / f"{scenario}.jinja": _TEMPLATE_HEADER.format(
            name=scenario, language="English"
        )
        + _TEMPLATE_EN,
    }
    for lang, person in _EXAMPLE_PEOPLE.items():
        files[base / "examples" / f"{scenario}.{lang}.yaml"] = _EXAMPLE.format(
            name=scenario, lang=lang, root=base, sender="Anna Schäfer", **person
        )
    if not force:
        for path in files:
            if path.exists() or path.is_symlink():
                raise OutputExists(str(path))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, force=force)
    return list(files)
