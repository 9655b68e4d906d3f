"""Email output: an RFC 5322 draft with a UTF-8, quoted-printable body, safe by construction.

The headers are written here rather than by Python's ``email`` package, whose folding
breaks long non-ASCII headers and which, on some Python releases, turns an encoded word
inside an address into a header of its own (CVE-2024-6923). Every value is checked first
(no line breaks, controls or encoded words); non-ASCII text becomes RFC 2047 encoded
words of at most 75 characters, and header lines are folded at 78. Each written message
is parsed back with the standard parser and must yield exactly the headers, addresses,
subject and body that were meant, without defects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from .errors import InvalidInput, TemplateFailure
from .l10n import Language
from .messages import _

#: Line breaks of any kind, NUL and other controls are refused in header values, and so
#: are RFC 2047 encoded words, which a mail client would decode into something else.
_UNSAFE_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ENCODED_WORD = re.compile(r"=\?", re.ASCII)
#: Longest header line written (RFC 5322 says SHOULD be at most 78), and encoded word.
_LINE = 78
_WORD = 75
#: Characters a Q-encoded word may carry as they are (RFC 2047, section 5 (3): phrases).
_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
#: Characters of an unquoted display name (RFC 5322 atext and spaces).
_ATEXT_PHRASE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+")


class Reply(NamedTuple):
    """What a reply takes from the message it answers.

    Attributes:
        message_id: the original ``Message-ID`` (with angle brackets), if it had one.
        references: the original ``References`` followed by its ``Message-ID``.
    """

    message_id: str | None
    references: tuple[str, ...]


def check_header(name: str, value: str) -> str:
    """Return ``value`` if it is safe as an email header, else raise :class:`InvalidInput`.

    >>> check_header("subject", "Ihr Konzept bis Mittwoch")
    'Ihr Konzept bis Mittwoch'
    """
    bad = _UNSAFE_HEADER.search(value)
    if bad:
        raise InvalidInput(
            f"{name}: "
            + _(
                "{value!r} contains {code}; line breaks and control characters are not allowed in an email header"
            ).format(value=value, code=f"U+{ord(bad.group()):04X}")
        )
    if len(value) > 900:
        raise InvalidInput(
            f"{name}: "
            + _("{count} characters is too long for an email header (at most {maximum})").format(
                count=len(value), maximum=900
            )
        )
    if _ENCODED_WORD.search(value):
        raise InvalidInput(
            f"{name}: "
            + _("{value!r} contains '=?', which mail programs decode as an encoded word").format(value=value)
        )
    return value


def recipient_display_name(values: Mapping[str, Any]) -> str:
    """The first recipient as an address names them: title as given, names, organisation."""
    from .address import display_name

    return display_name(_person(values, "recipient"))


# --- writing headers ----------------------------------------------------------------------


def _q_words(text: str, budget: int) -> list[str]:
    """``text`` as Q-encoded words of at most :data:`_WORD` characters; the first one fits
    in ``budget`` characters when it can. Whitespace between the words is not part of the
    text when it is decoded, so every space of ``text`` is inside a word."""
    words: list[str] = []
    current = ""
    limit = min(budget, _WORD)
    for char in text:
        data = char.encode("utf-8")
        piece = "".join(
            "_" if byte == 0x20 else chr(byte) if byte in _Q_SAFE else f"={byte:02X}" for byte in data
        )
        if current and len("=?utf-8?q?" + current + piece + "?=") > limit:
            words.append(f"=?utf-8?q?{current}?=")
            current = ""
            limit = _WORD
        current += piece
    if current or not words:
        words.append(f"=?utf-8?q?{current}?=")
    return words


def _plain(word: str) -> bool:
    """A word that an unstructured header (Subject) may carry as it is."""
    return bool(word) and word.isascii() and word.isprintable() and not word.startswith("=?")


def _atom(word: str) -> bool:
    """A word that a phrase (a display name) may carry as it is: RFC 5322 atext."""
    return bool(word) and _ATEXT_PHRASE.fullmatch(word) is not None and not word.startswith("=?")


def _tokens(text: str, budget: int, plain: Callable[[str], bool] = _plain) -> list[str]:
    """The header value as tokens joined by one space: plain words as they are, and each
    run of words that needs encoding as encoded words that keep its spaces."""
    tokens: list[str] = []
    words = text.split(" ")
    index = 0
    while index < len(words):
        if plain(words[index]):
            tokens.append(words[index])
            index += 1
            continue
        run = [words[index]]
        index += 1
        while index < len(words) and not plain(words[index]):
            run.append(words[index])
            index += 1
        used = len(" ".join(tokens)) + (1 if tokens else 0)
        tokens.extend(_q_words(" ".join(run), max(budget - used, 20)))
    return tokens


def _fold(name: str, tokens: Sequence[str]) -> str:
    """``Name: token token …`` folded before a token wherever a line would pass 78."""
    lines = [f"{name}:"]
    for token in tokens:
        if len(lines[-1]) + 1 + len(token) > _LINE and lines[-1] != f"{name}:":
            lines.append(f" {token}")
        else:
            lines[-1] += f" {token}"
    return "\n".join(lines)


def _unstructured(name: str, value: str) -> str:
    return _fold(name, _tokens(value, _LINE - len(name) - 2))


def _encoded_word(text: str) -> str:
    """``text`` as one encoded word: Q (readable) when it fits in 75 characters, else base64."""
    import base64

    data = text.encode("utf-8")
    q = "".join("_" if b == 0x20 else chr(b) if b in _Q_SAFE else f"={b:02X}" for b in data)
    b = base64.b64encode(data).decode("ascii")
    return f"=?utf-8?q?{q}?=" if len(q) + 12 <= _WORD or len(q) <= len(b) else f"=?utf-8?b?{b}?="


def _phrase(display: str) -> list[str] | None:
    """A display name as the tokens of an RFC 5322 phrase, or None when it cannot be written
    safely: each run of words that needs encoding must fit in one encoded word, because
    decoders disagree on the space between two encoded words in a name."""
    if not display:
        return []
    if display.isascii() and _ATEXT_PHRASE.fullmatch(display):
        return display.split(" ")
    if display.isascii() and display.isprintable():
        escaped = display.replace("\\", "\\\\").replace('"', '\\"')
        return [f'"{escaped}"']
    tokens: list[str] = []
    run: list[str] = []
    for word in [*display.split(" "), None]:
        if word is not None and not _atom(word):
            run.append(word)
            continue
        if run:
            encoded = _encoded_word(" ".join(run))
            if len(encoded) > _WORD:
                return None
            tokens.append(encoded)
            run = []
        if word is not None:
            tokens.append(word)
    return tokens


def _addresses(name: str, people: Sequence[tuple[Sequence[str], str]]) -> str:
    """An address header (``To``, ``From``) for (display names to try, address) pairs: the
    first name that can be written safely is used, else the address alone."""
    tokens: list[str] = []
    for number, (displays, address) in enumerate(people):
        phrase = next((p for p in map(_phrase, displays) if p is not None), [])
        angle = f"<{address}>" + ("," if number < len(people) - 1 else "")
        tokens.extend([*phrase, angle])
    return _fold(name, tokens)


def _names(person: Mapping[str, Any]) -> list[str]:
    """The ways to name a person in an address, fullest first (organisation, title, names)."""
    from .address import display_name

    full = display_name(person)
    without_organisation = display_name({**person, "organisation": None})
    names_only = display_name({**person, "organisation": None, "title": None})
    return list(dict.fromkeys([full, without_organisation, names_only]))


# --- the message ----------------------------------------------------------------------------


def _person(values: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {
        key: values.get(f"{prefix}.{key}")
        for key in ("title", "first_name", "last_name", "gender", "email", "organisation")
    }


def _recipients(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    others = values.get("recipient.others") or []
    return [_person(values, "recipient"), *[dict(o) for o in others if isinstance(o, Mapping)]]


def _checked_names(values: Mapping[str, Any]) -> None:
    """Every value that reaches a header is checked where the user gave it."""
    for part in ("recipient.title", "recipient.first_name", "recipient.last_name",
                 "recipient.organisation", "sender.name"):
        check_header(part, str(values.get(part) or ""))
    for number, other in enumerate(values.get("recipient.others") or [], start=1):
        for key in ("title", "first_name", "last_name", "organisation"):
            check_header(f"recipient.others: item {number}: {key}", str(other.get(key) or ""))


def message_id(subject: str, body: str, day: dt.date, to: Sequence[str], domain: str | None) -> str:
    """A ``Message-ID`` that stays the same for the same draft (so a re-run writes the same
    file), in the sender's domain.

    >>> message_id("S", "B", dt.date(2026, 12, 2), ["a@example.de"], "example.com")
    '<45294f188df36835bf05.draft@example.com>'
    """
    digest = hashlib.sha256("\x1f".join([subject, body, day.isoformat(), *to]).encode("utf-8")).hexdigest()
    return f"<{digest[:20]}.draft@{domain or 'phrasebook.invalid'}>"


def build_message(
    subject: str,
    body: str,
    values: Mapping[str, Any],
    language: Language,
    *,
    today: dt.date,
    reply: Reply | None = None,
) -> str:
    """Return a draft email (From/To when addresses are known) as 7-bit text.

    Raises:
        InvalidInput: a header value with a line break, control character or encoded word.
        TemplateFailure: the draft would not parse back to what was meant (never expected).
    """
    from email import policy, utils
    from email.message import EmailMessage

    check_header("subject", subject)
    _checked_names(values)
    sender_email = values.get("sender.email")
    from_header = None
    if sender_email:
        from_header = [([str(values.get("sender.name") or "")], str(sender_email))]
    to = [(_names(p), str(p["email"])) for p in _recipients(values) if p.get("email")]
    stamp = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    domain = str(sender_email).rpartition("@")[2] if sender_email else None
    headers = [_unstructured("Subject", subject)]
    if from_header:
        headers.append(_addresses("From", from_header))
    if to:
        headers.append(_addresses("To", to))
    headers.append(f"Date: {utils.format_datetime(stamp)}")
    ident = message_id(subject, body, today, [address for _names, address in to], domain)
    headers.append(_fold("Message-ID", [ident]) if len(ident) + 12 <= _LINE else f"Message-ID:\n {ident}")
    if reply is not None and reply.message_id:
        headers.append(f"In-Reply-To: {reply.message_id}")
    if reply is not None and reply.references:
        headers.append(_fold("References", reply.references))
    headers.append("X-Unsent: 1")
    headers.append(f"Content-Language: {language.tag}")
    part = EmailMessage(policy=policy.SMTP.clone(linesep="\n"))
    part.set_content(body, charset="utf-8", cte="quoted-printable")
    text = "\n".join(headers) + "\n" + part.as_string()
    _verify(text, subject, body, from_header, to, reply)
    return text


def _verify(
    text: str,
    subject: str,
    body: str,
    sender: Sequence[tuple[Sequence[str], str]] | None,
    to: Sequence[tuple[Sequence[str], str]],
    reply: Reply | None,
) -> None:
    """Parse the draft back: exactly the headers meant, the same subject, addresses and body."""
    import email
    from email import policy

    parsed = email.message_from_string(text, policy=policy.default)
    expected = {"subject", "date", "message-id", "x-unsent", "content-language", "mime-version",
                "content-type", "content-transfer-encoding"}
    expected |= {"from"} if sender else set()
    expected |= {"to"} if to else set()
    if reply is not None and reply.message_id:
        expected.add("in-reply-to")
    if reply is not None and reply.references:
        expected.add("references")
    names = [key.lower() for key in parsed]
    problems = []
    if sorted(names) != sorted(expected):
        problems.append(f"headers {sorted(names)}")
    if parsed.defects or any(parsed[key].defects for key in parsed):
        problems.append("defects")
    if str(parsed["Subject"]) != subject:
        problems.append("subject")
    for header, people in (("From", sender or ()), ("To", to)):
        if people:
            found = [(a.display_name, a.addr_spec) for a in parsed[header].addresses]
            meant = [address for _names, address in people]
            if [a for _n, a in found] != meant or any(
                name not in (*names, "") for (name, _a), (names, _b) in zip(found, people, strict=True)
            ):
                problems.append(header)
    part = parsed.get_body(("plain",))
    if part is None or part.get_content() != body:
        problems.append("body")
    if problems:
        raise TemplateFailure(
            _("the email draft would not read back as written ({problems})").format(problems=", ".join(problems))
        )
