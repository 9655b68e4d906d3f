"""Answering a client's email: read the message, quote it, keep the thread.

:func:`read_message` reads an ``.eml`` file as mail programs write it (multipart with
text and HTML, quoted-printable or base64, any charset; an HTML-only message is turned
into text). A reply then gets the subject „AW: …“ / "Re: …" (without stacking prefixes),
``In-Reply-To`` and ``References`` for the thread, the original quoted below the answer
(„Am Mittwoch, 2. Dezember 2026 um 19:30 schrieb Katrin Müller:“), and defaults for the
recipient's name and address, the language and the register (a client who writes *du*
is probably answered with *du*).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InvalidInput
from .l10n import Language
from .mail import Reply
from .messages import _

#: Largest message file read.
MAX_MESSAGE_BYTES = 10_000_000
#: Reply and forward prefixes mail programs put before a subject, in several languages.
_PREFIX = re.compile(r"^\s*(?:(?:re|aw|antw|sv|vs|wg|fw|fwd|r)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"^(?:(?:prof|dr|dipl|mag|ing)[.\-\w]*\.?\s+)+", re.IGNORECASE)
_DU = re.compile(r"\b(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure)\b", re.IGNORECASE)
_SIE = re.compile(r"\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")


class Incoming(NamedTuple):
    """The message a reply answers.

    Attributes:
        subject: its subject as written (decoded).
        name: the sender's name ("" when the message has none).
        address: where the answer goes (``Reply-To``, else ``From``), if known.
        sent: when it was sent, in the sender's time zone, if the message says.
        message_id: its ``Message-ID``, if any.
        references: its ``References``, if any.
        text: its text (the plain part, or the HTML part turned into text).
        language: ``de`` or ``en``, as far as the text tells.
        register: ``informal`` when a German text says *du*, ``formal`` when it says *Sie*.
    """

    subject: str
    name: str
    address: str | None
    sent: dt.datetime | None
    message_id: str | None
    references: tuple[str, ...]
    text: str
    language: str | None
    register: str | None

    @property
    def reply(self) -> Reply:
        """What the answer's headers take from this message."""
        references = tuple(r for r in (*self.references, self.message_id) if r)
        return Reply(self.message_id, references)


def read_message(path: str | Path) -> Incoming:
    """Read an ``.eml`` file.

    Raises:
        InvalidInput: the file cannot be read, or holds no email message.
    """
    from .inputs import read_bytes

    data = read_bytes(path, limit=MAX_MESSAGE_BYTES, kind=_("email messages"), error=InvalidInput)
    message = _parse(data)
    if not any(key.lower() in ("from", "subject", "message-id", "date") for key in message):
        raise InvalidInput(f"{path}: " + _("not an email message (no From, Subject or Date header)"))
    name, address = _sender(message)
    text = _text_of(message)
    return Incoming(
        subject=" ".join(_unescaped(str(message.get("Subject", ""))).split()),
        name=name,
        address=address,
        sent=_date(message),
        message_id=_one_id(message.get("Message-ID")),
        references=tuple(re.findall(r"<[^<>\s]+>", str(message.get("References", "")))),
        text=text,
        language=_language_of(text),
        register=_register_of(text),
    )


def _header_addresses(message: Any, name: str) -> list[Any]:
    try:
        header = message.get(name)
        return list(header.addresses) if header is not None else []
    except (AttributeError, IndexError, ValueError):
        return []


def _sender(message: Any) -> tuple[str, str | None]:
    senders = _header_addresses(message, "From")
    answer_to = _header_addresses(message, "Reply-To") or senders
    name = senders[0].display_name if senders else ""
    address = answer_to[0].addr_spec if answer_to and "@" in answer_to[0].addr_spec else None
    return " ".join(_unescaped(str(name)).split()), address


def _date(message: Any) -> dt.datetime | None:
    try:
        header = message.get("Date")
        return header.datetime if header is not None and header.datetime else None
    except (AttributeError, ValueError, TypeError):
        return None


def _parse(data: bytes) -> Any:
    """The message in ``data``."""
    import email
    from email import policy

    return email.message_from_bytes(data, policy=policy.default)


def _unescaped(text: str) -> str:
    """A header with raw 8-bit bytes (as many programs save them, RFC 6532) as the text it
    means: UTF-8, else Windows-1252."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
    for charset in ("utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")  # pragma: no cover - latin-1 reads every byte


def _one_id(value: Any) -> str | None:
    found = re.findall(r"<[^<>\s]+>", str(value or ""))
    return found[0] if found else None


def _text_of(message: Any) -> str:
    """The plain text of a message; HTML turned into text when there is no plain part."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # a charset Python does not know
        content = _decoded(part, ("latin-1",))
    if not isinstance(content, str):
        return ""
    try:
        content.encode("utf-8")
    except UnicodeEncodeError:  # 8-bit text without a transfer encoding: read as bytes
        content = _decoded(part, (part.get_content_charset() or "utf-8", "utf-8", "cp1252", "latin-1"))
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    lines = [line.rstrip() for line in content.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _decoded(part: Any, charsets: tuple[str, ...]) -> str:
    """The payload of ``part`` as text: the first of ``charsets`` that reads it (latin-1 always does)."""
    payload = part.get_payload(decode=True) or b""
    for charset in (*charsets, "latin-1"):
        try:
            return str(payload.decode(charset))
        except (LookupError, UnicodeDecodeError):
            continue
    return ""  # pragma: no cover - latin-1 reads every byte


class _HtmlText(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                         "ul", "ol", "table", "section", "article", "header", "footer"})
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self._BLOCKS and tag not in ("br", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    """The text of an HTML message: paragraphs and line breaks kept, tags and styles gone.

    >>> html_to_text("<p>Hallo <b>Anna</b>,</p><p>bis morgen!<br>Katrin</p>")
    'Hallo Anna,\\n\\nbis morgen!\\nKatrin'
    """
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _language_of(text: str) -> str | None:
    if not text.strip():
        return None
    from .lint import detect_language

    return detect_language(text)


def _register_of(text: str) -> str | None:
    """``informal`` when a German text says *du*, ``formal`` when it says *Sie*, else None."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    du, sie = len(_DU.findall(body)), len(_SIE.findall(body))
    if du > sie:
        return "informal"
    if sie:
        return "formal"
    return None


def reply_subject(subject: str, language: Language) -> str:
    """„AW: …“ in German, "Re: …" in English, whatever prefixes the subject had.

    >>> reply_subject("AW: AW: Re: Angebot Relaunch", Language("de", "de_DE"))
    'AW: Angebot Relaunch'
    >>> reply_subject("Your quote", Language("en", "en_GB"))
    'Re: Your quote'
    """
    rest = _PREFIX.sub("", subject).strip()
    return f"{'AW' if language.code == 'de' else 'Re'}: {rest}"


def quote(incoming: Incoming, language: Language) -> str:
    """The original below the answer, with the usual attribution line.

    >>> when = dt.datetime(2026, 12, 2, 19, 30, tzinfo=dt.timezone.utc)
    >>> print(quote(Incoming("x", "Katrin Müller", None, when, None, (), "Bis morgen?", None, None),
    ...             Language("de", "de_DE")))
    Am Mittwoch, 2. Dezember 2026 um 19:30 schrieb Katrin Müller:
    > Bis morgen?
    """
    from babel import dates

    from .l10n import babel_locale, format_date

    sender = "die Absenderin oder der Absender" if language.code == "de" else "the sender"
    who = incoming.name or incoming.address or sender
    if incoming.sent is not None:
        day = format_date(incoming.sent.date(), "full", language=language)
        pattern = "h:mm a" if language.locale == "en_US" else "HH:mm"
        time = dates.format_time(incoming.sent.time(), pattern, locale=babel_locale(language.locale))
        german = f"Am {day} um {time} schrieb {who}:"
        head = german if language.code == "de" else f"On {day} at {time}, {who} wrote:"
    else:
        head = f"{who} schrieb:" if language.code == "de" else f"{who} wrote:"
    lines = [f"> {line}" if line else ">" for line in incoming.text.split("\n")]
    return "\n".join([head, *lines])


def recipient_defaults(incoming: Incoming) -> dict[str, Any]:
    """The recipient as the message names them: name parts and the address to answer to.

    >>> recipient_defaults(Incoming("", "Müller, Katrin", "k@example.de", None, None, (), "", None, None))
    {'recipient.first_name': 'Katrin', 'recipient.last_name': 'Müller', 'recipient.email': 'k@example.de'}
    """
    values: dict[str, Any] = {}
    name = incoming.name.strip().strip('"')
    if "," in name:
        last, _comma, first = name.partition(",")
        first, last = first.strip(), last.strip()
    else:
        name = _TITLE_WORDS.sub("", name).strip()
        first, _space, last = name.rpartition(" ")
    if last:
        if first:
            values["recipient.first_name"] = first
        values["recipient.last_name"] = last
    if incoming.address:
        values["recipient.email"] = incoming.address
    return values


def register_note(incoming: Incoming, values: Mapping[str, Any]) -> str | None:
    """A note when the client writes *du* and the answer says *Sie*, or the other way round."""
    chosen = values.get("formality") or "formal"
    if incoming.register and chosen != incoming.register:
        if incoming.register == "informal":
            return "formality: " + _("the client writes 'du'; answer with --set formality=informal?")
        return "formality: " + _("the client writes 'Sie'; answer with --set formality=formal?")
    return None
