"""The tone linter: weak, vague or hostile phrasing in client texts, with better wording.

Rules are data (``phrasebook/rules/<lang>.yaml``): each has an id, a severity, a
message, one or more suggestions and either a phrase list (``words``), a regular
expression (``regex``) or a built-in check (``check``) for what a pattern cannot
see, such as du and Sie mixed in one text. Users may add a rules file of their
own and switch rules off inline with ``<!-- phrasebook: disable=id -->``.

Library use::

    from phrasebook.lint import lint_text

    for finding in lint_text("Ich melde mich zeitnah.", "de"):
        print(finding.line, finding.column, finding.rule, finding.suggestions)
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput
from .lintdates import past_dates, weekday_mismatches
from .lintinput import MAX_LINT_BYTES, decode_text, read_limited, read_text_file, utf16_encoding
from .lintrules import SEVERITIES, Rule, RuleSet, load_rules
from .messages import _

__all__ = [
    "MAX_LINT_BYTES", "Finding", "decode_text", "detect_language", "finding_record", "format_finding",
    "has_errors", "is_markdown_name", "lint_text", "read_limited", "read_text_file", "register",
    "resolve_lint_language", "utf16_encoding",
]

_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdtext")


@dataclass(frozen=True)
class Finding:
    """One place where a rule fired.

    Attributes:
        rule: the rule's id, e.g. ``zeitnah``.
        severity: ``error``, ``warning`` or ``suggestion``.
        line: 1-based line of the first matched character.
        column: 1-based column (in characters) of the first matched character.
        offset: 0-based character offset into the linted text.
        length: number of characters matched; ``text[offset:offset + length] == match``.
        match: the matched text.
        message: why the wording is weak, in the language of the rules.
        suggestions: one or more better wordings.
    """

    rule: str
    severity: str
    line: int
    column: int
    offset: int
    length: int
    match: str
    message: str
    suggestions: tuple[str, ...]


# --------------------------------------------------------------------------- language


_DE_WORDS = frozenset(
    """der die das und ist nicht ich sie mit für auf ein eine einen zu den dem des sich es wir
    auch bei von wie dass haben habe hat werden wird bitte ihnen ihr ihre vielen dank grüße
    grüßen sehr geehrte geehrter liebe lieber hallo gern gerne noch schon oder aber wenn mir
    mich dir du dein deine uns unser im am vom zum zur bis über nach kann können möchte würde
    ob als so nur mal heute morgen woche termin""".split()  # noqa: SIM905
)
_EN_WORDS = frozenset(
    """the and is are to of a an i you your for with that it be this will have has on we our
    please regards thanks thank dear hi best kind would could can not if as at by from me my
    us so but or just about what when which there their they he she do does did been was were
    am week today tomorrow""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Return ``de`` or ``en``: the language whose common words the text uses more.

    Umlauts and ß count for German. A text with no signal at all is taken as German.

    >>> detect_language("Vielen Dank für Ihre Nachricht.")
    'de'
    >>> detect_language("Thank you for your message.")
    'en'
    """
    de = en = 0
    for word in _WORD.findall(text.lower()):
        if word in _DE_WORDS:
            de += 2
        if word in _EN_WORDS:
            en += 2
        if any(c in word for c in "äöüß"):
            de += 1
    return "en" if en > de else "de"


def resolve_lint_language(lang: str) -> str:
    """Return ``de`` or ``en`` for a ``--lang`` value (``de``, ``en``, ``en_US``, …)."""
    from .l10n import resolve_language

    return resolve_language(lang).code


# --------------------------------------------------------------------------- masking


_DIRECTIVE = re.compile(
    r"<!--[ \t]*phrasebook:[ \t]*(disable|enable)[ \t]*=[ \t]*([a-z0-9, \t-]*?)[ \t]*-->"
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)[^`\n]+?\1")


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _markdown_ignored(text: str) -> list[tuple[int, int]]:
    """Spans of YAML front matter, fenced code blocks, code spans and HTML comments."""
    spans: list[tuple[int, int]] = []
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    index = 0
    if lines and lines[0].rstrip("\r\n") == "---":
        for number in range(1, len(lines)):
            if lines[number].rstrip("\r\n") in ("---", "..."):
                spans.append((0, starts[number + 1]))
                index = number + 1
                break
    prose_start = starts[index]
    fence: str | None = None
    fence_start = 0
    for number in range(index, len(lines)):
        match = _FENCE.match(lines[number])
        if fence is None and match:
            spans.extend(_inline_ignored(text, prose_start, starts[number]))
            fence, fence_start = match.group(1), starts[number]
        elif fence is not None and match and match.group(1)[0] == fence[0] and len(
            match.group(1)
        ) >= len(fence) and not lines[number][match.end():].strip():
            spans.append((fence_start, starts[number + 1]))
            fence = None
            prose_start = starts[number + 1]
    if fence is not None:
        spans.append((fence_start, len(text)))
    else:
        spans.extend(_inline_ignored(text, prose_start, len(text)))
    return spans


def _inline_ignored(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    yield from _html_comments(text, start, end)
    for match in _CODE_SPAN.finditer(text, start, end):
        yield match.span()


def _html_comments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of ``<!-- … -->`` (found with str.find: an unclosed comment costs one scan)."""
    while True:
        opening = text.find("<!--", start, end)
        if opening < 0:
            return
        closing = text.find("-->", opening + 4, end)
        if closing < 0:
            return
        yield opening, closing + 3
        start = closing + 3


@dataclass(frozen=True)
class _Switch:
    """The state of the disable comments from ``position`` on."""

    position: int
    all_off: bool
    off: frozenset[str]
    on: frozenset[str]

    def disables(self, rule_id: str) -> bool:
        return (self.all_off and rule_id not in self.on) or rule_id in self.off


@dataclass(frozen=True)
class _Prepared:
    masked: str
    switches: tuple[_Switch, ...]
    positions: tuple[int, ...]

    def disabled(self, rule_id: str, offset: int) -> bool:
        index = bisect.bisect_right(self.positions, offset) - 1
        return index >= 0 and self.switches[index].disables(rule_id)


def _prepare(text: str, markdown: bool) -> _Prepared:
    """Blank what is not prose (keeping every offset) and read the disable comments.

    ``<!-- phrasebook: disable=a,b -->`` switches rules off from there on,
    ``<!-- phrasebook: enable=a -->`` back on; ``all`` stands for every rule.
    """
    ignored = _markdown_ignored(text) if markdown else []
    code = sorted((a, b) for a, b in ignored if not text.startswith("<!--", a))
    code_starts = [a for a, _end in code]
    switches = []
    all_off = False
    off: set[str] = set()
    on: set[str] = set()
    for match in _DIRECTIVE.finditer(text):
        index = bisect.bisect_right(code_starts, match.start()) - 1
        if index >= 0 and match.start() < code[index][1]:
            continue  # a directive shown inside code is an example, not an instruction
        ignored.append(match.span())
        disable = match.group(1) == "disable"
        for rule_id in (i.strip() for i in match.group(2).split(",")):
            if rule_id == "all":
                all_off, off, on = disable, set(), set()
            elif all_off:
                (on.discard if disable else on.add)(rule_id)
            else:
                (off.add if disable else off.discard)(rule_id)
        switches.append(_Switch(match.end(), all_off, frozenset(off), frozenset(on)))
    pieces = []
    position = 0
    for start, end in sorted(ignored):
        start = max(start, position)
        if end <= start:
            continue
        pieces.append(text[position:start])
        pieces.append(_blank(text[start:end]))
        position = end
    pieces.append(text[position:])
    return _Prepared("".join(pieces), tuple(switches), tuple(s.position for s in switches))


# --------------------------------------------------------------------------- checks

#: A hit from a check: (start, end, suggestions or None for the rule's own).
Hit = tuple[int, int, "tuple[str, ...] | None"]

_DU_FORMS = re.compile(
    r"\b(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure|euren|eurem|eurer"
    r"|Du|Dich|Dir|Dein|Deine|Deinen|Deinem|Deiner|Deines|Euch|Euer|Eure|Euren|Eurem|Eurer)\b"
)
_SIE_FORMS = re.compile(r"\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")
#: Lowercase words after the nominative "Ihr" that show the informal plural ("Ihr habt").
_IHR_PLURAL_VERB = re.compile(
    r"\s+(?:habt|seid|könnt|wollt|müsst|dürft|solltet|würdet|werdet|hättet|wärt|wäret|macht|"
    r"bekommt|braucht|wisst|kennt)\b"
)
#: Characters after which a capitalised word may open a sentence, quote or list item.
_OPENERS = frozenset(".!?:;\n\"'()[]*>-\u201e\u201c\u00bb\u00ab\u201a\u2018\u2013\u2014\u2022")

_TO_SIE = {
    "du": "Sie", "dich": "Sie", "dir": "Ihnen", "dein": "Ihr", "deine": "Ihre",
    "deinen": "Ihren", "deinem": "Ihrem", "deiner": "Ihrer", "deines": "Ihres",
    "euch": "Ihnen", "euer": "Ihr", "eure": "Ihre", "euren": "Ihren", "eurem": "Ihrem",
    "eurer": "Ihrer",
}
_TO_DU = {
    "Sie": "du / dich", "Ihnen": "dir", "Ihr": "dein", "Ihre": "deine", "Ihren": "deinen",
    "Ihrem": "deinem", "Ihrer": "deiner", "Ihres": "deines",
}


def _sentence_start(text: str, offset: int) -> bool:
    """Whether a word at ``offset`` opens a sentence, a line, a quote or a list item."""
    index = offset - 1
    while index >= 0 and text[index] in " \t\r\xa0":
        index -= 1
    return index < 0 or text[index] in _OPENERS


#: Quoted words on one line (a slogan, a client's own words): not the writer's address.
#: Each opening mark needs its own closing mark before any other quotation mark.
_QUOTED = re.compile(
    r"„[^„“”\"\n]{1,200}[“”]|“[^„“”\"\n]{1,200}”"
    r"|»[^»«\"\n]{1,200}«|«[^»«\"\n]{1,200}»|\"[^„“”»«\"\n]{1,200}\""
)
_QUOTE_MARKS = re.compile("[„“»«\"]")


def _outside_quotes(matches: Iterable[re.Match[str]], text: str) -> list[re.Match[str]]:
    """Drop the matches that lie inside a quotation."""
    spans = [m.span() for m in _QUOTED.finditer(text)] if _QUOTE_MARKS.search(text) else []
    if not spans:
        return list(matches)
    starts = [a for a, _end in spans]
    kept = []
    for match in matches:
        # The spans do not overlap: only the last one opening before the match can hold it.
        index = bisect.bisect_left(starts, match.start()) - 1
        if index < 0 or not match.end() < spans[index][1]:
            kept.append(match)
    return kept


def _address_forms(text: str) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """Return (du-forms, unambiguous Sie-forms) in a German text, outside quotations."""
    du = _outside_quotes(_DU_FORMS.finditer(text), text)
    sie = []
    for match in _outside_quotes(_SIE_FORMS.finditer(text), text):
        word = match.group()
        if word != "Ihnen" and _sentence_start(text, match.start()):
            continue  # "Sie kommt", "Ihre Kollegin": she, they, her, their
        if word == "Ihr" and _IHR_PLURAL_VERB.match(text, match.end()):
            continue
        sie.append(match)
    return du, sie


def address_forms(text: str) -> tuple[list[str], list[str]]:
    """Return the du-forms and the Sie-forms a German text uses, as the linter counts them."""
    du, sie = _address_forms(text)
    return [m.group() for m in du], [m.group() for m in sie]


def register(text: str) -> str:
    """Return ``informal`` when a German text uses more du-forms than Sie-forms, else ``formal``."""
    du, sie = _address_forms(text)
    return "informal" if len(du) > len(sie) else "formal"


def _check_mixed_address(text: str) -> list[Hit]:
    du, sie = _address_forms(text)
    if not du or not sie:
        return []
    if len(du) < len(sie) or (len(du) == len(sie) and du[0].start() > sie[0].start()):
        return [(m.start(), m.end(), (_TO_SIE[m.group().lower()],)) for m in du]
    return [(m.start(), m.end(), (_TO_DU[m.group()],)) for m in sie]


_REQUEST_VERBS = (
    "Können|Könnten|Würden|Möchten|Haben|Hätten|Sind|Wären|Wollen|Dürfen|Werden|Wissen"
    "|Kennen|Brauchen|Benötigen|Bräuchten|Melden|Rufen|Schicken|Senden|Geben|Lassen|Nehmen"
    "|Schauen|Beachten|Teilen|Wünschen|Erhalten|Bekommen"
)
_LOWER_SIE_STRONG = re.compile(
    # A verb at the start of a question or request: "Können sie", "Melden sie sich";
    # lowercase at the start of a line, as the first word after a salutation is.
    rf"\b(?:{_REQUEST_VERBS})\s+(?P<m>sie)\b"
    rf"|(?m:^)(?:{_REQUEST_VERBS.lower()})\s+(?P<m6>sie)\b"
    r"|\b[Bb]itte\s+(?:melden|rufen|schicken|senden|geben|teilen|beachten|lassen|prüfen"
    r"|bestätigen|antworten|nehmen|schauen)\s+(?P<m2>sie)\b"
    r"|\b(?:[Ww]enn|[Ff]alls|[Ss]obald|[Oo]b)\s+(?P<m3>sie)\s+(?:noch\s+|weitere\s+)?"
    r"(?:Fragen|möchten|wünschen|mögen|einverstanden|Zeit|Lust|Interesse|magst)\b"
    # A thank-you or an offer to the reader: "danke ihnen", "melde mich bei ihnen".
    r"|\b(?:danke|danken|bedanke\s+mich\s+bei|wünsche|wünschen|schicke|sende|schreibe|gebe"
    r"|biete|empfehle|bestätige|versichere|melde\s+mich\s+bei|helfe|zeige|erkläre"
    r"|freue\s+mich,)\s+(?P<m4>ihnen)\b"
    # The reader's own things: "für ihre Anfrage", "auf ihre Rückmeldung".
    r"|\b(?:[Ff]ür|[Aa]uf|über|zu|nach|mit|an|von|bei|um)\s+(?P<m5>ihre|ihr|ihren|ihrem|ihrer|ihres)"
    r"\s+(?:(?:freundliche[nr]?|schnelle[nr]?|rasche[nr]?|ausführliche[nr]?|kurze[nr]?|nette[nr]?"
    r"|baldige[nr]?)\s+)?(?:Anfrage|Nachricht|E-Mail|Mail|Rückmeldung|Interesse|Vertrauen|Auftrag"
    r"|Geduld|Verständnis|Feedback|Antwort|Unterstützung|Bestellung|Anruf|Rückruf|Zusage|Mühe"
    r"|Einladung|Hinweis|Hinweise|Unterlagen|Entscheidung|Freigabe|Zeit)\b"
)
_LOWER_IHNEN = re.compile(r"\bihnen\b")
_CAPITAL = {"sie": "Sie", "ihnen": "Ihnen", "ihr": "Ihr", "ihre": "Ihre", "ihren": "Ihren",
            "ihrem": "Ihrem", "ihrer": "Ihrer", "ihres": "Ihres"}


def _check_lowercase_polite(text: str) -> list[Hit]:
    du, sie = _address_forms(text)
    if len(du) > len(sie):
        return []  # an informal text: lowercase sie and ihnen mean she and them
    hits: dict[int, Hit] = {}
    for match in _LOWER_SIE_STRONG.finditer(text):
        group = next(g for g in ("m", "m2", "m3", "m4", "m5", "m6") if match.group(g))
        start, end = match.span(group)
        hits[start] = (start, end, (_CAPITAL[match.group(group)],))
    if not sie:
        # A writer who capitalises the polite forms elsewhere means "them" by "ihnen".
        for match in _LOWER_IHNEN.finditer(text):
            hits.setdefault(match.start(), (match.start(), match.end(), ("Ihnen",)))
    return [hits[k] for k in sorted(hits)]


#: Built-in checks a rule can name with ``check:``; each returns hits in the masked text.
#: Each takes the text and the day of writing (None: dates are not compared with it).
CHECKS: Mapping[str, Callable[[str, dt.date | None], list[Hit]]] = {
    "mixed-address": lambda text, _today: _check_mixed_address(text),
    "lowercase-polite": lambda text, _today: _check_lowercase_polite(text),
    "weekday-date": weekday_mismatches,
    "past-date": past_dates,
}


# --------------------------------------------------------------------------- linting


@functools.lru_cache(maxsize=256)
def _span_groups(pattern: Any) -> tuple[str, ...]:
    """The groups that narrow a match to the reported span: ``m``, ``m2``, ``m3``, …"""
    return tuple(g for g in pattern.groupindex if re.fullmatch(r"m\d*", g))


def _spans(rule: Rule, text: str, today: dt.date | None = None) -> Iterator[Hit]:
    if rule.check is not None:
        yield from CHECKS[rule.check](text, today)
        return
    assert rule.pattern is not None
    if rule.time_limit is not None:
        yield from _bounded_spans(rule, text)
        return
    for match in rule.pattern.finditer(text):
        group = next((g for g in _span_groups(rule.pattern) if match.group(g) is not None), 0)
        start, end = match.span(group)
        if end > start:
            yield start, end, None


def _bounded_spans(rule: Rule, text: str) -> Iterator[Hit]:
    """The spans of one of the user's rules, searched for at most ``rule.time_limit`` seconds.

    Raises:
        InvalidInput: naming the rule, when its search took too long.
    """
    groups = _span_groups(rule.pattern)
    hits = []
    try:
        for match in rule.pattern.finditer(text, timeout=rule.time_limit):
            group = next((g for g in groups if match.group(g) is not None), 0)
            start, end = match.span(group)
            if end > start:
                hits.append((start, end, None))
    except TimeoutError:
        raise InvalidInput(
            f"{rule.source}: "
            + _(
                "rule {rule!r} was stopped after {seconds:g} s: its regex backtracks without end on "
                "this text; simplify it (nested repetition such as (a+)+ is the usual cause)"
            ).format(rule=rule.id, seconds=rule.time_limit)
        ) from None
    yield from hits


def lint_text(
    text: str,
    lang: str = "auto",
    *,
    rules: RuleSet | None = None,
    markdown: bool = False,
    today: dt.date | None = None,
    variant: str | None = None,
) -> list[Finding]:
    """Return the findings for a text, sorted by position.

    Args:
        text: the text to check.
        lang: ``auto`` (detect), ``de``, ``en`` or a locale such as ``en_US``.
            Ignored when ``rules`` is given.
        rules: the rules to apply; the built-in ones for the language by default.
        markdown: skip YAML front matter, fenced code, code spans and HTML comments.
        today: the day of writing: dates before it are pointed out, and dates written
            without a year are read in the year around it. None: neither.
        variant: a regional variant (``en_US``, ``de_CH``) whose avoided words are findings
            (rule ``variant``); by default the variant ``lang`` names with its region.

    Raises:
        UnknownLanguage: when ``lang`` is not supported.
    """
    if rules is None:
        code = detect_language(text) if lang == "auto" else resolve_lint_language(lang)
        rules = load_rules(code)
    prepared = _prepare(text, markdown)
    informal = rules.lang == "de" and register(prepared.masked) == "informal"
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    findings: list[Finding] = []

    def add(rule: str, severity: str, start: int, end: int, message: str, suggestions: tuple[str, ...]) -> None:
        line = bisect.bisect_right(line_starts, start)
        match = text[start:end]
        message = message.replace("{match}", " ".join(match.split()))
        column = start - line_starts[line - 1] + 1
        findings.append(Finding(rule, severity, line, column, start, end - start, match, message, suggestions))

    for rule in rules:
        suggestions = rule.informal if informal and rule.informal else rule.suggestions
        for seen, (start, end, own) in enumerate(_spans(rule, prepared.masked, today), 1):
            if seen > rule.max and not prepared.disabled(rule.id, start):
                add(rule.id, rule.severity, start, end, rule.message, own or suggestions)
    if variant is None and "_" in lang.replace("-", "_"):
        from .l10n import resolve_language

        variant = resolve_language(lang).locale
    if variant:  # the words the variant does not write (phrasebook.variants.AVOID)
        from .messages import translator
        from .variants import avoided

        said = translator(rules.lang).gettext("“{match}”: {variant} writes this differently.")
        for start, end, right in avoided(prepared.masked, variant):
            if not prepared.disabled("variant", start):
                add("variant", "warning", start, end, said.replace("{variant}", variant), (right,))
    findings.sort(key=lambda f: (f.offset, SEVERITIES.index(f.severity), f.rule))
    return _drop_covered(findings)


def _drop_covered(findings: list[Finding]) -> list[Finding]:
    """Drop findings inside the span of a more severe one: the stronger finding says it.

    ``findings`` must be sorted by offset, then severity (most severe first).
    """
    reach = [-1] * len(SEVERITIES)  # furthest end seen so far, per severity
    kept = []
    for finding in findings:
        rank = SEVERITIES.index(finding.severity)
        end = finding.offset + finding.length
        if max(reach[:rank], default=-1) < end:
            kept.append(finding)
        reach[rank] = max(reach[rank], end)
    return kept


def has_errors(findings: Sequence[Finding], fail_on: str = "error") -> bool:
    """Whether any finding is at least as severe as ``fail_on`` (``error`` by default;
    ``warning`` counts errors and warnings, ``suggestion`` every finding)."""
    limit = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(f.severity) <= limit for f in findings)


def is_markdown_name(name: str) -> bool:
    """Whether a file name says Markdown (``.md``, ``.markdown``, …)."""
    return name.lower().endswith(_MARKDOWN_SUFFIXES)


def format_finding(name: str, finding: Finding) -> str:
    """Return the one-line, Vale-like report: ``file:line:col rule message → suggestions``.

    >>> f = Finding("zeitnah", "warning", 2, 17, 30, 7, "zeitnah", "Vage.", ("bis Freitag",))
    >>> format_finding("mail.txt", f)
    'mail.txt:2:17 zeitnah Vage. → bis Freitag'
    """
    where = f"{name}:{finding.line}:{finding.column}"
    return f"{where} {finding.rule} {finding.message} → {' | '.join(finding.suggestions)}"


def finding_record(name: str, finding: Finding) -> dict[str, Any]:
    """Return a finding as a JSON-ready mapping, including the file name."""
    return {
        "file": name,
        "line": finding.line,
        "column": finding.column,
        "offset": finding.offset,
        "length": finding.length,
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "match": finding.match,
        "suggestions": list(finding.suggestions),
    }
