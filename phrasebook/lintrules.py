"""Rules of the tone linter: loading, checking and combining the rule files.

Rules are data (``phrasebook/rules/<lang>.yaml``): each has an id, a severity, a
message, one or more suggestions and either a phrase list (``words``), a regular
expression (``regex``) or a built-in check (``check``, see :data:`CHECK_NAMES`).
A user's rules file adds rules, replaces built-in ones by id, or switches them off.
Applying the rules to a text is :mod:`phrasebook.lint`'s work.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidInput, PhrasebookError, SpecError, did_you_mean
from .messages import _

#: Severities, from the one that fails a check to the gentlest.
SEVERITIES = ("error", "warning", "suggestion")
#: Languages with a built-in rule file.
RULE_LANGUAGES = ("de", "en")
#: Rule files larger than this are refused before reading.
MAX_RULES_BYTES = 1_000_000
#: Most seconds one of the user's own rules may search one text: a regex that backtracks
#: without end (``(a+)+$`` on a long line) is stopped and named instead of hanging.
RULE_TIME_LIMIT = 2.0
#: The built-in checks a rule can name with ``check:`` (see :data:`phrasebook.lint.CHECKS`).
CHECK_NAMES = ("lowercase-polite", "mixed-address", "past-date", "weekday-date")

_RULE_KEYS = (
    "id", "severity", "message", "suggestions", "words", "regex", "check",
    "case_sensitive", "max", "examples",
)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


@dataclass(frozen=True)
class Rule:
    """A linting rule loaded from a rules file.

    Attributes:
        id: unique name within its rule set; used in output and in disable comments.
        severity: ``error``, ``warning`` or ``suggestion``.
        message: a one-line explanation; ``{match}`` is replaced by the matched text.
        suggestions: better wordings (for German: the formal ones).
        informal: better wordings for texts that use du; empty when the same as ``suggestions``.
        pattern: the compiled pattern (``re``, or ``regex`` for the user's rules), or None
            for a built-in check. A group named ``m``
            (or ``m2``, ``m3``, … in other alternatives) narrows the reported span to it.
        check: the name of a built-in check, or None.
        max: the number of matches tolerated before the rule reports (0: report every match).
        bad: examples the rule must flag; ``[[…]]`` marks the expected span.
        good: examples the rule must leave alone.
        source: the file the rule came from.
        time_limit: the most seconds the rule may search one text (the user's own rules,
            compiled with the ``regex`` package, whose searches can be stopped), or None.
    """

    id: str
    severity: str
    message: str
    suggestions: tuple[str, ...]
    informal: tuple[str, ...]
    pattern: Any
    check: str | None
    max: int
    bad: tuple[str, ...]
    good: tuple[str, ...]
    source: str
    time_limit: float | None = None


@dataclass(frozen=True)
class RuleSet:
    """The rules for one language, built-in ones first, then the user's.

    Attributes:
        lang: ``de`` or ``en``.
        rules: the rules in the order they are applied.
    """

    lang: str
    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def ids(self) -> list[str]:
        """Return the rule ids in order."""
        return [r.id for r in self.rules]

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule with this id, or None."""
        return next((r for r in self.rules if r.id == rule_id), None)


def rule_example(rule: Rule) -> tuple[str, str]:
    """Return the rule's first bad example on one line, with the flagged span in ``[[…]]``,
    and the flagged text alone (both empty when the rule has no example).

    >>> rule = load_rules("en").get("soon")
    >>> rule_example(rule) if rule else None
    ("You'll have it [[soon]].", 'soon')
    """
    if not rule.bad:
        return "", ""
    sentence = " ".join(rule.bad[0].split())
    flagged = re.search(r"\[\[(.*?)\]\]", sentence)
    return sentence, flagged.group(1) if flagged else ""


def rule_lines(rules: RuleSet) -> list[str]:
    """Return one line per rule for ``lint --list-rules``: id, severity and an example.

    >>> rule_lines(load_rules("en"))[0]
    "asap                    warning     I'll send the draft [[as soon as possible]]."
    """
    width = max((len(r.id) for r in rules), default=0)
    severity = max(len(s) for s in SEVERITIES)
    return [f"{r.id:<{width}}  {r.severity:<{severity}}  {rule_example(r)[0]}".rstrip() for r in rules]


def rule_records(rules: RuleSet) -> list[dict[str, Any]]:
    """Return the rules as JSON-ready mappings: id, severity, message, example, flagged text."""
    records = []
    for rule in rules:
        example, flagged = rule_example(rule)
        records.append({
            "id": rule.id, "severity": rule.severity, "language": rules.lang,
            "message": rule.message.replace("{match}", flagged), "example": example.replace("[[", "").replace("]]", ""),
            "flagged": flagged,
        })
    return records


def _rules_dir() -> Path:
    return Path(str(resources.files("phrasebook") / "rules"))


def builtin_rules_path(lang: str) -> Path:
    """Return the path of the built-in rules file for ``de`` or ``en``."""
    return _rules_dir() / f"{lang}.yaml"


def load_rules(lang: str, extra: Path | str | None = None) -> RuleSet:
    """Return the built-in rules for a language, plus the rules of a user file.

    A user rule with the id of a built-in rule replaces it; the user file's
    ``disable:`` list removes built-in rules. A user file with a ``language:``
    key only applies to texts in that language.

    Raises:
        InvalidInput: when the user file cannot be read or a rule in it is broken;
            the message names the file and the rule.
        UnknownLanguage: when ``lang`` is not a supported language.
    """
    from .l10n import resolve_language

    code = resolve_language(lang).code
    rules = list(_builtin(code).rules)
    if extra is not None:
        user = _load_user_file(Path(extra))
        if user.language in (None, code):
            rules = [r for r in rules if r.id not in user.disable]
            replaced = {r.id: r for r in user.rules}
            rules = [replaced.pop(r.id, r) for r in rules] + list(replaced.values())
    return RuleSet(code, tuple(rules))


@functools.cache
def _builtin(code: str) -> RuleSet:
    path = builtin_rules_path(code)
    parsed = _parse_file(_read_yaml(path, SpecError), str(path), SpecError)
    return RuleSet(code, parsed.rules)


@dataclass(frozen=True)
class _RuleFile:
    language: str | None
    disable: frozenset[str]
    rules: tuple[Rule, ...]


def _load_user_file(path: Path) -> _RuleFile:
    return _parse_file(_read_yaml(path, InvalidInput), str(path), InvalidInput, bounded=True)


def _read_yaml(path: Path, error: type[PhrasebookError]) -> Any:
    import yaml

    from .inputs import read_text

    name = str(path)
    text = read_text(path, limit=MAX_RULES_BYTES, kind=_("rules files"), error=error)
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or _("invalid YAML")
        raise error(f"{where}: {problem}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise error(
            f"{name}: " + _("invalid YAML ({error})").format(error=type(exc).__name__)
        ) from None


def _parse_file(
    data: Any, source: str, error: type[PhrasebookError], *, bounded: bool = False
) -> _RuleFile:
    if not isinstance(data, dict):
        raise error(f"{source}: " + _("expected a mapping with a 'rules:' list"))
    unknown = sorted(set(map(str, data)) - {"language", "rules", "disable"})
    if unknown:
        hint = did_you_mean(unknown[0], ["language", "rules", "disable"])
        raise error(f"{source}: " + _("unknown key {key!r}{hint}").format(key=unknown[0], hint=hint))
    language = data.get("language")
    if language is not None and language not in RULE_LANGUAGES:
        known = ", ".join(RULE_LANGUAGES)
        raise error(
            f"{source}: "
            + _("language must be one of {languages}, not {language!r}").format(
                languages=known, language=language
            )
        )
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise error(f"{source}: " + _("'disable' must be a list of rule ids"))
    raw_rules = data.get("rules", [])
    if raw_rules is None:
        raw_rules = []
    if not isinstance(raw_rules, list):
        raise error(f"{source}: " + _("'rules' must be a list"))
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules, 1):
        rule = _parse_rule(raw, index, source, error, bounded=bounded)
        if rule.id in seen:
            raise error(f"{source}: " + _("rule {rule!r} is defined twice").format(rule=rule.id))
        seen.add(rule.id)
        rules.append(rule)
    return _RuleFile(language, frozenset(disable), tuple(rules))


def _parse_rule(
    raw: Any, index: int, source: str, error: type[PhrasebookError], *, bounded: bool = False
) -> Rule:
    """Parse one rule; ``bounded`` rules (the user's) compile with the ``regex`` package, so
    that their searches can be given a time limit."""
    if not isinstance(raw, dict):
        raise error(f"{source}: " + _("rule #{number} must be a mapping").format(number=index))
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise error(
            f"{source}: "
            + _(
                "rule #{number}: 'id' must be lowercase letters, digits and hyphens, got {value!r}"
            ).format(number=index, value=rule_id)
        )

    def fail(problem: str) -> PhrasebookError:
        return error(f"{source}: " + _("rule {rule!r}: {problem}").format(rule=rule_id, problem=problem))

    for key in raw:
        if key not in _RULE_KEYS:
            hint = did_you_mean(str(key), _RULE_KEYS)
            raise fail(_("unknown key {key!r}{hint}").format(key=key, hint=hint))
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise fail(
            _("severity must be one of {severities}, not {severity!r}").format(
                severities=", ".join(SEVERITIES), severity=severity
            )
        )
    message = raw.get("message")
    if not isinstance(message, str) or not message.strip():
        raise fail(_("'message' must be a non-empty string"))
    formal, informal = _parse_suggestions(raw.get("suggestions"), fail)
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise fail(_("'case_sensitive' must be true or false"))
    limit = raw.get("max", 0)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise fail(_("'max' must be a whole number of 0 or more"))
    kinds = [k for k in ("words", "regex", "check") if k in raw]
    if len(kinds) != 1:
        raise fail(_("needs exactly one of 'words', 'regex' or 'check'"))
    pattern: Any = None
    check: str | None = None
    if kinds[0] == "check":
        check = raw["check"]
        if check not in CHECK_NAMES:
            raise fail(
                _("unknown check {name!r}; available: {checks}").format(
                    name=check, checks=", ".join(sorted(CHECK_NAMES))
                )
            )
    else:
        if kinds[0] == "words":
            words = raw["words"]
            if not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w.strip() for w in words
            ):
                raise fail(_("'words' must be a list of non-empty strings (quote words like 'no')"))
            expression = words_pattern(words)
        else:
            expression = raw["regex"]
            if isinstance(expression, list) and expression and all(
                isinstance(e, str) and e for e in expression
            ):
                expression = "|".join(f"(?:{e})" for e in expression)
            if not isinstance(expression, str) or not expression:
                raise fail(_("'regex' must be a non-empty string or a list of them"))
        flags = re.MULTILINE | (0 if case_sensitive else re.IGNORECASE)
        try:
            pattern = re.compile(expression, flags)
        except re.error as exc:
            raise fail(_("invalid regex: {error}").format(error=exc)) from None
        if bounded:
            import regex

            try:
                pattern = regex.compile(expression, int(flags) | regex.VERSION0)
            except regex.error as exc:
                raise fail(_("invalid regex: {error}").format(error=exc)) from None
    bad, good = _parse_examples(raw.get("examples"), fail)
    return Rule(
        id=rule_id,
        severity=severity,
        message=" ".join(message.split()),
        suggestions=formal,
        informal=informal,
        pattern=pattern,
        check=check,
        max=limit,
        bad=bad,
        good=good,
        source=source,
        time_limit=RULE_TIME_LIMIT if bounded and pattern is not None else None,
    )


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(" ".join(v.split()) for v in value)
    return None


def _parse_suggestions(
    value: Any, fail: Callable[[str], PhrasebookError]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(value, dict):
        unknown = set(value) - {"formal", "informal"}
        if unknown:
            first = sorted(map(str, unknown))[0]
            raise fail(
                _("'suggestions' may only have 'formal' and 'informal', not {key!r}").format(key=first)
            )
        formal = _strings(value.get("formal"))
        informal = _strings(value.get("informal"))
        if formal is None or informal is None:
            raise fail(_("'suggestions.formal' and 'suggestions.informal' must be lists of strings"))
        return formal, informal
    plain = _strings(value)
    if plain is None:
        raise fail(_("'suggestions' must be a non-empty list of strings"))
    return plain, ()


def _parse_examples(
    value: Any, fail: Callable[[str], PhrasebookError]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, dict) or set(value) - {"bad", "good"}:
        raise fail(_("'examples' must be a mapping with 'bad' and 'good' lists"))
    result = []
    for key in ("bad", "good"):
        items = value.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise fail(_("'examples.{key}' must be a list of strings").format(key=key))
        result.append(tuple(items))
    return result[0], result[1]


def words_pattern(words: Sequence[str]) -> str:
    r"""Return a regular expression matching any of the phrases as whole words.

    Spaces in a phrase match any run of whitespace, so a phrase may wrap lines.
    A word ending in ``*`` matches any ending, for inflections: ``zeitnah*``
    finds zeitnah, zeitnahe and zeitnahen.

    >>> words_pattern(["so schnell wie möglich", "zeitnah*"])
    '(?:\\bso\\s+schnell\\s+wie\\s+möglich\\b|\\bzeitnah\\w*)'
    """
    alternatives = []
    for phrase in sorted(words, key=len, reverse=True):
        parts = []
        for word in phrase.split():
            stem = word[:-1] if word.endswith("*") and len(word) > 1 else word
            parts.append(re.escape(stem) + (r"\w*" if stem != word else ""))
        first, last = phrase.split()[0], phrase.split()[-1]
        start = r"\b" if re.match(r"\w", first) else ""
        end = r"\b" if re.search(r"\w\Z", last) else ""
        alternatives.append(start + r"\s+".join(parts) + end)
    return "(?:" + "|".join(alternatives) + ")"
