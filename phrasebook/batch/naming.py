"""File names for batch documents: the recipient's name as a portable slug, one per row.

Output files are named after the recipient (``mueller-katrin.md``): ASCII, at most
60 characters plus the extension, never a path. When a name repeats within the
batch, the later row gets its line number (``mueller-katrin_17.md``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

#: File extension per output format.
EXTENSIONS = {"text": "txt", "md": "md", "eml": "eml", "html": "html", "pdf": "pdf"}
#: Longest slug before the extension and any line suffix.
MAX_SLUG = 60

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_TRANSLITERATE = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
        "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "Oe", "đ": "d", "Đ": "D",
        "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Return a portable file-name stem: lowercase ASCII letters, digits and ``-``.

    German umlauts are transliterated (``ü`` → ``ue``), other accents dropped;
    path separators, dots, controls and bidi characters disappear. Windows device
    names get a prefix. The result may be empty.

    >>> slugify("Dr. Jürgen Müller-Lüdenscheidt")
    'dr-juergen-mueller-luedenscheidt'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("CON")
    'client-con'
    """
    text = str(text)
    if text.isascii():
        ascii_text = text
    else:
        folded = unicodedata.normalize("NFKC", text).translate(_TRANSLITERATE)
        ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    if slug in _WINDOWS_RESERVED:
        slug = f"client-{slug}"
    return slug


def recipient_label(values: Mapping[str, Any]) -> str:
    """Return "First Last" from raw values, for reports."""
    parts = (values.get("recipient.first_name"), values.get("recipient.last_name"))
    return " ".join(
        str(p).strip() for p in parts if p not in (None, "") and not isinstance(p, (list, dict))
    )


class NameRegistry:
    """Hands out one distinct file name per row, in constant memory.

    The first row with a slug gets ``slug.ext``; any later row whose slug *may*
    have been used already gets ``slug_LINE.ext``. "May" comes from a Bloom
    filter: it never misses a repeat, and a rare false alarm only adds a line
    number. Plain slugs never contain ``_``, so the two forms cannot collide.
    The names depend only on the rows, so a re-run gives the same names.
    """

    BITS = 1 << 25
    HASHES = 4

    def __init__(self) -> None:
        self._bits = bytearray(self.BITS // 8)

    def _positions(self, slug: str) -> list[int]:
        digest = hashlib.blake2b(slug.encode("ascii"), digest_size=16).digest()
        first = int.from_bytes(digest[:8], "little")
        step = int.from_bytes(digest[8:], "little") | 1
        mask = self.BITS - 1
        return [(first + i * step) & mask for i in range(self.HASHES)]

    def name(self, values: Mapping[str, Any], line: int, ext: str) -> str:
        """Return the file name for a row with these raw values, starting on ``line``."""
        last = values.get("recipient.last_name")
        first = values.get("recipient.first_name")
        text = " ".join(str(v) for v in (last, first) if v and not isinstance(v, (list, dict)))
        slug = slugify(text) or f"row-{line}"
        bits = self._bits
        seen = True
        for pos in self._positions(slug):
            byte, bit = divmod(pos, 8)
            if not bits[byte] & (1 << bit):
                seen = False
                bits[byte] |= 1 << bit
        return f"{slug}_{line}.{ext}" if seen else f"{slug}.{ext}"
