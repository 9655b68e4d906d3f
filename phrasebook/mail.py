"""Email output: an RFC 5322 draft message with a UTF-8, quoted-printable body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import InvalidInput
from .l10n import Language
from .messages import _

#: Line breaks of any kind, NUL and other controls are refused in header values, and so
#: are RFC 2047 encoded words, which a mail client would decode into something else.
_UNSAFE_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ENCODED_WORD = re.compile(r"=\?", re.ASCII)


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


def _address(display: str, addr: str, field: str) -> Any:
    from email.headerregistry import Address

    local, _at, domain = addr.rpartition("@")
    try:
        return Address(display_name=display, username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise InvalidInput(
            f"{field}: " + _("{address!r} is not a usable address ({problem})").format(address=addr, problem=exc)
        ) from None


def recipient_display_name(values: Mapping[str, Any]) -> str:
    """Return "First Last" (or just "Last") for the To header."""
    parts = [values.get("recipient.title"), values.get("recipient.first_name"), values.get("recipient.last_name")]
    return " ".join(str(p) for p in parts if p)


def build_message(subject: str, body: str, values: Mapping[str, Any], language: Language) -> str:
    """Return a draft email (From/To when addresses are known) as 7-bit-safe text."""
    from email import policy
    from email.message import EmailMessage

    message = EmailMessage(policy=policy.SMTP.clone(linesep="\n"))
    message["Subject"] = check_header("subject", subject)
    sender_email = values.get("sender.email")
    if sender_email:
        name = check_header("sender.name", str(values.get("sender.name") or ""))
        message["From"] = _address(name, sender_email, "sender.email")
    recipient_email = values.get("recipient.email")
    if recipient_email:
        for part in ("recipient.title", "recipient.first_name", "recipient.last_name"):
            check_header(part, str(values.get(part) or ""))  # the problem is named where it is
        message["To"] = _address(recipient_display_name(values), recipient_email, "recipient.email")
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = language.tag
    # Headers may be up to RFC 5322's 998 characters: Python folds a long ASCII subject
    # right after "Subject:", which parses back with a leading space. The body keeps
    # quoted-printable's 76-character lines, encoded above with the default policy.
    return message.as_string(policy=message.policy.clone(max_line_length=998))
