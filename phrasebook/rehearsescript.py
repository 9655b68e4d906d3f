"""Reading a rehearsal cheat sheet: its Markdown parsed into the five sections of a call."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import TemplateFailure
from .messages import _

#: The five sections of a script, in the order the template writes them.
SECTIONS = ("check", "opening", "key", "objections", "closing")

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>#+!|~^$@.)-])")
_ITEM = re.compile(r"^[-*] +")


@dataclass(frozen=True)
class Objection:
    """Something the client is likely to say, and the prepared answer.

    Attributes:
        said: the objection as the client might phrase it, with its quotation marks.
        answer: the prepared answer.
    """

    said: str
    answer: str


@dataclass(frozen=True)
class Script:
    """A rehearsal script, parsed from its Markdown cheat sheet.

    Attributes:
        title: the sheet's title.
        intro: the lines under the title (who is called, the key facts).
        headings: the five localized section titles, in order.
        checks: the state-check questions to answer before the call.
        opening: the prepared opening.
        key_sentences: the sentences that carry the message.
        objections: likely objections with prepared answers.
        closing: the closing question.
        markdown: the cheat sheet itself, as rendered.
        lang: the language code of the script (``de`` or ``en``).
        listener: what the rehearsal listens for beyond wording
            (:class:`phrasebook.listening.Listener`), or None.
    """

    title: str
    intro: str
    headings: tuple[str, ...]
    checks: tuple[str, ...]
    opening: str
    key_sentences: tuple[str, ...]
    objections: tuple[Objection, ...]
    closing: str
    markdown: str
    lang: str = "en"
    listener: Any = field(default=None, compare=False, repr=False)


def parse_script(markdown: str, *, source: str = "<script>", lang: str = "en") -> Script:
    """Parse a rehearsal cheat sheet into a :class:`Script`.

    Sections are recognised by their order, never by their titles, so a translation can
    name them freely.

    Raises:
        TemplateFailure: the sheet lacks the title, a section, or a section's content.
    """
    lines = markdown.splitlines()
    title = ""
    head: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        elif line.startswith("# ") and not title:
            title = line[2:].strip()
        else:
            head.append(line)
    if not title:
        raise TemplateFailure(f"{source}: " + _("the cheat sheet has no '# ' title"))
    if len(sections) != len(SECTIONS):
        raise TemplateFailure(
            f"{source}: "
            + _(
                "expected {expected} '## ' sections (state check, opening, key "
                "sentences, objections, closing question), found {found}"
            ).format(expected=len(SECTIONS), found=len(sections))
        )
    body = dict(zip(SECTIONS, (content for _heading, content in sections), strict=True))
    headings = tuple(plain(name) for name, _content in sections)
    return Script(
        title=plain(title),
        intro=_paragraphs(head),
        headings=headings,
        checks=_items(body["check"], source, headings[0]),
        opening=_required(_paragraphs(body["opening"]), source, headings[1]),
        key_sentences=_items(body["key"], source, headings[2]),
        objections=_objections(body["objections"], source, headings[3]),
        closing=_required(_paragraphs(body["closing"]), source, headings[4]),
        markdown=markdown,
        lang=lang,
    )


def plain(text: str) -> str:
    r"""Return Markdown text as it should be read aloud: without backslash escapes.

    >>> plain(r"Rechnung \#114 für \*Müller\*")
    'Rechnung #114 für *Müller*'
    """
    return _MD_ESCAPE.sub(r"\1", text).strip()


def _paragraphs(lines: Sequence[str]) -> str:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n".join(plain(" ".join(p)) for p in paragraphs if p)


def _required(text: str, source: str, heading: str) -> str:
    if not text:
        raise TemplateFailure(f"{source}: " + _("the section '{heading}' is empty").format(heading=heading))
    return text


def _items(lines: Sequence[str], source: str, heading: str) -> tuple[str, ...]:
    items: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if _ITEM.match(line):
            items.append(_ITEM.sub("", line).strip())
        elif items and line.startswith(" "):
            items[-1] += " " + line.strip()
        else:
            raise TemplateFailure(
                f"{source}: "
                + _("the section '{heading}' must be a list ('- ' items), found {line!r}").format(
                    heading=heading, line=line.strip()
                )
            )
    if not items:
        raise TemplateFailure(f"{source}: " + _("the section '{heading}' is empty").format(heading=heading))
    return tuple(plain(item) for item in items)


def _objections(lines: Sequence[str], source: str, heading: str) -> tuple[Objection, ...]:
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("### "):
            found.append((line[4:].strip(), []))
        elif found:
            found[-1][1].append(line)
        elif line.strip():
            raise TemplateFailure(
                f"{source}: "
                + _("the section '{heading}' must start with a '### ' objection, found {line!r}").format(
                    heading=heading, line=line.strip()
                )
            )
    if not found:
        raise TemplateFailure(
            f"{source}: " + _("the section '{heading}' has no '### ' objection").format(heading=heading)
        )
    objections = []
    for said, answer in found:
        text = _paragraphs(answer)
        if not text:
            raise TemplateFailure(
                f"{source}: " + _("the objection {objection!r} has no prepared answer").format(objection=said)
            )
        objections.append(Objection(plain(said), text))
    return tuple(objections)
