"""Reading the texts the tone linter checks: a size limit, UTF-8, and UTF-16 recognised.

Texts come from files or standard input, in whatever the writer's program saved:
UTF-8 with or without a byte order mark, and UTF-16 (Windows editors, Word's "Unicode
text"), with or without one. Every read stops at :data:`MAX_LINT_BYTES`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InvalidInput
from .messages import _

#: Input larger than this is refused (files before reading, standard input once read).
MAX_LINT_BYTES = 10_000_000

def read_text_file(path: str | Path) -> str:
    """Read a text file for linting: UTF-8, or UTF-16 (detected, with or without BOM).

    Raises:
        InvalidInput: for a missing, unreadable, oversized or undecodable file.
    """
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_LINT_BYTES:
            raise InvalidInput(
                f"{name}: "
                + _("file is {size:,} bytes; {kind} are limited to {limit:,}").format(
                    size=size, kind=_("texts to lint"), limit=MAX_LINT_BYTES
                )
            )
        with Path(path).open("rb") as handle:
            return read_limited(handle, name)
    except FileNotFoundError:
        raise InvalidInput(f"{name}: " + _("no such file")) from None
    except IsADirectoryError:
        raise InvalidInput(f"{name}: " + _("is a directory, expected a file")) from None
    except OSError as exc:
        raise InvalidInput(
            f"{name}: " + _("cannot be read ({reason})").format(reason=exc.strerror)
        ) from None


def read_limited(stream: Any, name: str) -> str:
    """Read at most :data:`MAX_LINT_BYTES` from a binary stream (a file, standard input)
    and decode it (see :func:`decode_text`).

    Raises:
        InvalidInput: for more data than the limit, or text that cannot be decoded.
    """
    data = stream.read(MAX_LINT_BYTES + 1)
    if len(data) > MAX_LINT_BYTES:
        raise InvalidInput(
            f"{name}: "
            + _("more than {limit:,} bytes; {kind} are limited to {limit:,}").format(
                limit=MAX_LINT_BYTES, kind=_("texts to lint")
            )
        )
    return decode_text(data, name)


_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def utf16_encoding(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` looks like UTF-16, else None.

    A byte order mark says so; without one, text in a Latin script has a zero byte in
    every other place (half of its bytes), which UTF-8 text never has.

    >>> utf16_encoding("Hallo".encode("utf-16-le"))
    'utf-16-le'
    >>> utf16_encoding("Hallo".encode("utf-8")) is None
    True
    """
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom) and not data.startswith(b"\xff\xfe\x00\x00"):
            return encoding
    if len(data) < 2 or b"\x00" not in data:
        return None
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) strictly, naming the first bad byte's line;
    UTF-16 (with or without BOM) is recognised and decoded.

    Raises:
        InvalidInput: naming the file and what could not be decoded.
    """
    from .inputs import decode_utf8

    encoding = utf16_encoding(data)
    if encoding is None:
        return decode_utf8(data, name, InvalidInput)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{name}: "
            + _(
                "looks like UTF-16, but byte {offset} cannot be read as UTF-16; save the file as UTF-8"
            ).format(offset=exc.start)
        ) from None
    return text.removeprefix("\ufeff")
