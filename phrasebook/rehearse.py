"""Rehearsal: practise a difficult call step by step, or print it as a cheat sheet.

A rehearsal script is wording, so it is a template: ``templates/<lang>/rehearse/<scenario>.jinja``,
rendered with the scenario's own spec and parameters (the same context as its letter). It writes a
one-page Markdown cheat sheet: a ``# `` title, a short introduction, then five ``## `` sections in
a fixed order, whatever their localized titles say:

1. the state check before the call (a list of questions),
2. the opening (a paragraph),
3. the key sentences (a list),
4. the client's likely objections (each a ``### `` heading followed by the prepared answer),
5. the closing question (a paragraph).

:func:`load_script` renders and parses that sheet into a :class:`Script`; ``--print`` shows the
sheet itself, and :func:`rehearse` walks through the same script interactively. This module has
no Click: it talks to the user through the ``ask`` and ``show`` callables it is given, and it
judges the user's own phrasing with an injectable ``critic`` (by default the tone linter).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import textwrap
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import Catalog, load_catalog
from .errors import InvalidInput
from .l10n import Language, resolve_language
from .messages import N_, _, translator
from .rehearsescript import SECTIONS, Objection, Script, parse_script, plain

__all__ = ["SECTIONS", "Objection", "Script", "parse_script", "plain"]

#: The steps of a rehearsal: the five sections plus the summary.
STEP_COUNT = len(SECTIONS) + 1

Ask = Callable[[str], str]
Show = Callable[[str], None]
Critic = Callable[[str, str], Sequence[Any]]

#: The rehearsal's prompts and labels, in English; shown in the language of the script
#: (translated where shown, see :class:`_Session`).
_UI: Mapping[str, str] = {
    "welcome": N_(
        "Practise the call in six steps. An empty answer skips the step or shows "
        "the prepared wording; Ctrl+C quits."
    ),
    "opening_cue": N_("How shall I open the call?"),
    "key_cue": N_("Key sentence {number} of {total}:"),
    "key_prompt": N_("In my own words (Enter: next)"),
    "objection_cue": N_("Objection {number} of {total}: {objection}"),
    "objection_prompt": N_("My answer"),
    "closing_cue": N_("Which question shall I close with?"),
    "prepared": N_("Prepared:"),
    "mine": N_("Mine:"),
    "hint": N_("Hint:"),
    "instead": N_("Try:"),
    "clean": N_("No weak wording found."),
    "summary": N_("Summary"),
    "answers": N_("Before the call:"),
    "skipped": N_("(skipped)"),
    "practised": N_("Own phrasings: {own} of {total}."),
    "practised_hints": N_("Own phrasings: {own} of {total}; hints: {hints}."),
    "take_along": N_("For the call:"),
    "open_q": N_("“{text}”"),
    "stopped": N_("Rehearsal stopped at step {step} of {total}."),
    "again": N_("again? [y/N]"),
    "yes": N_("y"),
    "retried": N_("Tried again: {tried}; better: {better}."),
    "last_time": N_("Difficult last time:"),
    "not_saved": N_("The transcript was not saved: {problem}"),
}

#: Controls a user might type (arrow keys, pasted escape sequences); shown escaped, never sent raw.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>#+!|~^$@.)-])")
_ITEM = re.compile(r"^[-*] +")
#: A number stays on one line with the word after it ("13. November", "1 December").
_TIE = re.compile(r"(\d[.,]?) (?=\w)")
_GLUE = "\ue000"


@dataclass(frozen=True)
class Turn:
    """One answer given during a rehearsal.

    Attributes:
        step: the section it belongs to (one of :data:`SECTIONS`).
        cue: what the user was answering (a question, a key sentence or an objection).
        prepared: the prepared wording ("" for state-check questions).
        answer: what the user typed ("" when skipped).
        findings: the critic's findings on the answer.
        feedback: what the listener noticed (missing facts, giving in, register, …).
        attempt: 1 for the first answer at this step, 2 and more for tries again.
    """

    step: str
    cue: str
    prepared: str
    answer: str
    findings: tuple[Any, ...] = ()
    feedback: tuple[str, ...] = ()
    attempt: int = 1

    @property
    def problems(self) -> int:
        """How many things were pointed out about this answer."""
        return len(self.findings) + len(self.feedback)


@dataclass
class Rehearsal:
    """The outcome of a rehearsal: every turn and the full transcript.

    Attributes:
        script: the script that was rehearsed.
        turns: every answer, in order.
        transcript: everything shown and typed, as plain text.
        completed: false when the user stopped before the summary.
    """

    script: Script
    turns: list[Turn] = field(default_factory=list)
    transcript: str = ""
    completed: bool = True

    def improvements(self) -> tuple[int, int]:
        """Return how many steps were tried again, and how many of them got better."""
        tried = better = 0
        for index, turn in enumerate(self.turns):
            if turn.attempt != 2:
                continue
            tried += 1
            last = turn
            for later in self.turns[index + 1:]:
                if later.attempt <= 2:
                    break
                last = later
            if last.problems < self.turns[index - 1].problems:
                better += 1
        return tried, better

    def stumbled(self) -> list[str]:
        """Return the prepared lines of the steps whose last answer still drew feedback."""
        return self._final(lambda turn: turn.problems > 0)

    def practised(self) -> list[str]:
        """Return the prepared lines of the steps whose last answer drew no feedback."""
        return self._final(lambda turn: bool(turn.answer) and not turn.problems)

    def _final(self, keep: Callable[[Turn], bool]) -> list[str]:
        lines: list[str] = []
        for index, turn in enumerate(self.turns):
            final = index + 1 == len(self.turns) or self.turns[index + 1].attempt == 1
            if turn.step != "check" and final and keep(turn) and turn.prepared not in lines:
                lines.append(turn.prepared)
        return lines

    @property
    def checks(self) -> list[tuple[str, str]]:
        """Return the state-check questions with the user's answers."""
        return [(t.cue, t.answer) for t in self.turns if t.step == "check"]


def script_template(scenario: str) -> str:
    """Return the path of a scenario's rehearsal template inside a language directory."""
    return f"rehearse/{scenario}.jinja"


def available(lang: str | Language = "de", catalog: Catalog | None = None) -> list[str]:
    """Return the scenarios that have a rehearsal script in ``lang``, sorted."""
    catalog = catalog or load_catalog()
    language = resolve_language(lang)
    folder = catalog.templates / language.code / "rehearse"
    scripts = {p.stem for p in folder.glob("*.jinja") if not p.name.startswith("_")}
    return sorted(scripts & set(catalog.names()))


def load_script(
    scenario: str,
    lang: str | Language,
    params: Mapping[str, Any],
    *,
    today: dt.date,
    catalog: Catalog | None = None,
    client: Mapping[str, Any] | None = None,
    allow_placeholders: bool = False,
) -> Script:
    """Render a scenario's rehearsal script with its parameters and parse it.

    ``client`` is the client's group and region (see :func:`phrasebook.render.render`);
    a group C client is offered no concessions in the script.

    Raises:
        UnknownScenario: the scenario is not in the catalogue.
        InvalidInput: the scenario has no rehearsal script in this language.
        InvalidParams: a parameter is missing, unknown or malformed.
        TemplateFailure: the template fails or does not have the five sections.
    """
    from .listening import listener
    from .render import companion_with_exports

    catalog = catalog or load_catalog()
    spec = catalog.scenario(scenario)
    language = resolve_language(lang)
    names = available(language, catalog)
    if spec.name not in names:
        if names:
            message = _("{name} has no rehearsal script in {language}; available: {names}")
        else:
            message = _("{name} has no rehearsal script in {language}; available: none")
        raise InvalidInput(
            message.format(name=spec.name, language=language.code, names=", ".join(names))
        )
    template = script_template(spec.name)
    markdown, exports = companion_with_exports(
        spec, language, params, template=template, today=today, fmt="md", catalog=catalog,
        client=client, allow_placeholders=allow_placeholders,
    )
    script = parse_script(
        markdown, source=f"templates/{language.code}/{template}", lang=language.code
    )
    listening = listener(
        catalog.templates / language.code / "rehearse", spec.name, language.code, language.locale,
        exports,
    )
    return dataclasses.replace(script, listener=listening)


def default_critic(text: str, lang: str) -> list[Any]:
    """Find weak wording with the tone linter (:func:`phrasebook.lint.lint_text`)."""
    from .lint import lint_text

    return list(lint_text(text, lang))


def linter_available() -> bool:
    """Whether the tone linter that :func:`default_critic` uses is installed."""
    import importlib.util

    return importlib.util.find_spec(f"{__package__}.lint") is not None


def clean_answer(text: str) -> str:
    r"""Return what the user typed, trimmed, NFC-normalised and with control characters escaped.

    >>> clean_answer("  Hallo\x1b[A ")
    'Hallo\\x1b[A'
    """
    text = unicodedata.normalize("NFC", text).strip()
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


class _Session:
    """The running rehearsal: writes to ``show``, reads from ``ask``, keeps the transcript."""

    def __init__(
        self,
        script: Script,
        ask: Ask,
        show: Show,
        critic: Critic | None,
        width: int,
        on_stop: Callable[[Rehearsal], None] | None = None,
    ) -> None:
        self.script = script
        self.on_stop = on_stop
        self.current = 0
        gettext = translator(script.lang).gettext
        self.ui = {key: gettext(text) for key, text in _UI.items()}
        self._ask = ask
        self._show = show
        self.critic = critic
        self.width = max(width, 30)
        self.result = Rehearsal(script)
        self.retry = False
        self.deck: Sequence[str] = ()
        self.log: list[str] = []

    def show(self, text: str = "", indent: str = "", label: str = "") -> None:
        lines: list[str] = []
        for paragraph in text.split("\n") if text else [""]:
            first = indent + (f"{label} " if label else "")
            rest = indent + " " * (len(label) + 1 if label else 0)
            tied = _TIE.sub("\\1" + _GLUE, paragraph)
            wrapped = textwrap.wrap(
                tied,
                self.width,
                initial_indent=first,
                subsequent_indent=rest,
                break_on_hyphens=False,
            ) or [first.rstrip()]
            lines.extend(line.replace(_GLUE, " ") for line in wrapped)
            label = ""
        out = "\n".join(lines)
        self.log.append(out)
        self._show(out)

    def ask(self, prompt: str) -> str:
        answer = clean_answer(self._ask(prompt))
        self.log.append(f"{prompt} {answer}".rstrip())
        return answer

    def step(self, number: int, heading: str) -> None:
        self.current = number
        self.show()
        self.show(f"[{number}/{STEP_COUNT}] {heading}")

    def compare(
        self, step: str, cue: str, prepared: str, answer: str, *, show_prepared: bool,
        prompt: str = ">",
    ) -> None:
        if show_prepared:
            self.show(prepared, indent="  ", label=self.ui["prepared"])
        attempt = 1
        while True:
            turn = self.judge(step, cue, prepared, answer, attempt)
            self.result.turns.append(turn)
            if not (turn.problems and self.retry and answer):
                return
            if not self.ask(self.ui["again"]).casefold().startswith(self.ui["yes"].casefold()):
                return
            attempt += 1
            answer = self.ask(prompt)

    def judge(self, step: str, cue: str, prepared: str, answer: str, attempt: int) -> Turn:
        findings: tuple[Any, ...] = ()
        feedback: tuple[str, ...] = ()
        if answer:
            self.show(answer, indent="  ", label=self.ui["mine"])
            if self.critic is not None:
                findings = tuple(self.critic(answer, self.script.lang))
                for finding in findings:
                    self.show(self.describe(finding), indent="  ", label=self.ui["hint"])
            if self.script.listener is not None:
                feedback = tuple(self.script.listener.hear(step, answer, prepared))
                for note in feedback:
                    self.show(clean_answer(note), indent="  ", label=self.ui["hint"])
            if self.critic is not None and not findings and not feedback:
                self.show(self.ui["clean"], indent="  ")
        return Turn(step, cue, prepared, answer, findings, feedback, attempt)

    def describe(self, finding: Any) -> str:
        match = str(getattr(finding, "match", "") or "")
        message = str(getattr(finding, "message", "") or "")
        suggestions = tuple(getattr(finding, "suggestions", ()) or ())
        quoted = self.ui["open_q"].format(text=match) if match and match not in message else ""
        text = " – ".join(part for part in (quoted, message) if part)
        if suggestions:
            text += f" ({self.ui['instead']} " + self.ui["open_q"].format(text=suggestions[0]) + ")"
        return clean_answer(text)

    def run(self) -> Rehearsal:
        try:
            self.steps()
        except BaseException:
            # Ctrl-C, end of input or a failing prompt: keep what was said so far.
            stopped = self.ui["stopped"].format(step=max(self.current, 1), total=STEP_COUNT)
            self.log.extend(["", stopped])
            self._show("\n" + stopped)
            self.result.transcript = "\n".join(self.log) + "\n"
            self.result.completed = False
            if self.on_stop is not None:
                try:
                    self.on_stop(self.result)
                except Exception as problem:  # the interruption is what the caller must see
                    self._show(self.ui["not_saved"].format(problem=problem))
            raise
        self.result.transcript = "\n".join(self.log) + "\n"
        return self.result

    def steps(self) -> None:
        script, ui = self.script, self.ui
        self.show(script.title)
        if script.intro:
            self.show(script.intro)
        self.show(ui["welcome"])
        if self.deck:
            self.show(ui["last_time"])
            for line in self.deck:
                self.show(line, indent="  ", label="-")

        self.step(1, script.headings[0])
        for question in script.checks:
            self.show(question)
            answer = self.ask(">")
            feedback: tuple[str, ...] = ()
            if self.script.listener is not None:
                feedback = tuple(self.script.listener.hear("check", answer, ""))
                for note in feedback:
                    self.show(note, indent="  ", label=self.ui["hint"])
            self.result.turns.append(Turn("check", question, "", answer, (), feedback))

        self.step(2, script.headings[1])
        self.show(ui["opening_cue"])
        answer = self.ask(">")
        self.compare("opening", ui["opening_cue"], script.opening, answer, show_prepared=True)

        self.step(3, script.headings[2])
        total = len(script.key_sentences)
        for n, sentence in enumerate(script.key_sentences, 1):
            self.show(ui["key_cue"].format(number=n, total=total))
            self.show(sentence, indent="  ")
            answer = self.ask(ui["key_prompt"] + " >")
            self.compare(
                "key", sentence, sentence, answer, show_prepared=False,
                prompt=ui["key_prompt"] + " >",
            )

        self.step(4, script.headings[3])
        total = len(script.objections)
        for n, objection in enumerate(script.objections, 1):
            self.show(ui["objection_cue"].format(number=n, total=total, objection=objection.said))
            answer = self.ask(ui["objection_prompt"] + " >")
            self.compare(
                "objections", objection.said, objection.answer, answer, show_prepared=True,
                prompt=ui["objection_prompt"] + " >",
            )

        self.step(5, script.headings[4])
        self.show(ui["closing_cue"])
        answer = self.ask(">")
        self.compare("closing", ui["closing_cue"], script.closing, answer, show_prepared=True)

        self.summary()

    def summary(self) -> None:
        ui = self.ui
        self.step(STEP_COUNT, ui["summary"])
        self.show(ui["answers"])
        for question, answer in self.result.checks:
            self.show(question, indent="  ", label="-")
            self.show(answer or ui["skipped"], indent="    ")
        firsts = [t for t in self.result.turns if t.step != "check" and t.attempt == 1]
        own = sum(1 for t in firsts if t.answer)
        hints = sum(t.problems for t in firsts)
        key = "practised" if self.critic is None and self.script.listener is None else "practised_hints"
        self.show(ui[key].format(own=own, total=len(firsts), hints=hints))
        tried, better = self.result.improvements()
        if tried:
            self.show(ui["retried"].format(tried=tried, better=better))
        self.show(ui["take_along"])
        self.show(self.script.opening, indent="  ", label="-")
        self.show(self.script.closing, indent="  ", label="-")


def rehearse(
    script: Script,
    *,
    ask: Ask,
    show: Show,
    critic: Critic | None = None,
    width: int = 78,
    on_stop: Callable[[Rehearsal], None] | None = None,
    retry: bool = False,
    deck: Sequence[str] = (),
) -> Rehearsal:
    """Walk through a script step by step and return the answers and the transcript.

    The steps: (1) the state check, whose answers are kept; (2) the opening; (3) the key
    sentences, one at a time; (4) the objections, each answered by the user before the
    prepared answer is shown; (5) the closing question; (6) a summary. Wherever the user
    types their own phrasing, the prepared phrasing is shown beside it and ``critic``
    points out weak wording. An empty answer skips, or just shows the prepared phrasing.

    Args:
        script: the script from :func:`load_script`.
        ask: called with a prompt; returns what the user typed. It may raise (for
            example on end of input or Ctrl-C); the rehearsal then stops.
        show: called with text to display (one or more lines, no trailing newline).
        critic: ``critic(text, lang)`` returns findings with ``match``, ``message`` and
            ``suggestions``; by default the tone linter, when it is installed (without
            it, the user's phrasing is shown beside the prepared one, unjudged).
        width: the width to wrap text to.
        on_stop: called with the rehearsal so far (``completed`` false, the transcript
            ending with the step it stopped at) when ``ask`` raises; the exception
            then propagates.
        retry: after feedback, ask whether to try the step again ("again? [y/N]");
            the summary counts the tries and how many got better.
        deck: lines the user found difficult last time, shown at the start.

    Beside the critic, the script's listener (see :mod:`phrasebook.listening`) points
    out missing facts, giving in, the wrong register or language, a dropped title, a
    bare no at a boundary, and a state check that does not sound ready.
    """
    if critic is None and linter_available():
        critic = default_critic
    session = _Session(script, ask, show, critic, width, on_stop)
    session.retry = retry
    session.deck = tuple(deck)
    return session.run()
