"""Documents for print: one self-contained HTML file with the shipped stylesheet, and PDF.

A scenario is written as Markdown (its ``md`` form, values escaped) and laid out here: a
letter in DIN 5008 form B (sender line, the date on the right, the subject in bold), a
document with its title and "Stand: …" line; every page carries the sender in the footer
and "Seite 1 von 2" / "Page 1 of 2". PDF is written by WeasyPrint, an optional extra
(``pip install "phrasebook[pdf]"``); everything else needs no more than ``markdown-it-py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from .errors import PhrasebookError
from .l10n import Language, format_date
from .messages import translator

#: A backslash escape of Markdown (``\*``), as in a subject written for ``md``.
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>|~^$#+\-!@:=&.)])")

#: The install command the PDF message names.
PDF_EXTRA = 'python -m pip install "phrasebook[pdf]"'


class MissingExtra(PhrasebookError):
    """An optional part phrasebook needs for this is not installed (exit status 1)."""


@functools.cache
def stylesheet() -> str:
    """The shipped print stylesheet (A4; US Letter for documents marked ``us``)."""
    return resources.files("phrasebook").joinpath("print/print.css").read_text(encoding="utf-8")


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_rules(sender: str, language: Language) -> str:
    """The running lines of every page: the sender on the left, "Seite 1 von 2" on the right."""
    words = translator(language.code).gettext("Page {page} of {pages}")
    before, _page, rest = words.partition("{page}")
    middle, _pages, after = rest.partition("{pages}")
    parts = [_css_text(before) if before else "", "counter(page)", _css_text(middle) if middle else "",
             "counter(pages)", _css_text(after) if after else ""]
    page = " ".join(part for part in parts if part)
    return (
        "@page { @bottom-left { content: " + _css_text(sender) + "; } "
        "@bottom-right { content: " + page + "; } }"
    )


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # No raw HTML: what a user wrote is text, whatever it looks like.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


#: Text between two tags of the generated HTML.
_TEXT_NODE = re.compile(r">([^<]+)<")
#: An email address or an international phone number: never hyphenated or broken.
_UNBREAKABLE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+\d[\d ()/-]{4,}\d")


def _keep_whole(match: re.Match[str]) -> str:
    text = _UNBREAKABLE.sub(lambda m: f'<span class="whole">{m.group(0)}</span>', match.group(1))
    return f">{text}<"


def markdown_to_html(text: str) -> str:
    """Markdown (CommonMark with pipe tables, no raw HTML) as HTML.

    Email addresses and phone numbers are marked so that print never hyphenates them:

    >>> markdown_to_html("Mail: a@b.example")
    '<p>Mail: <span class="whole">a@b.example</span></p>\\n'
    """
    return _TEXT_NODE.sub(_keep_whole, str(_markdown().render(text)))


def html_document(
    *,
    title: str,
    body: str,
    values: Mapping[str, Any],
    language: Language,
    today: dt.date,
    letter: bool,
) -> str:
    """One self-contained HTML file: the Markdown ``body`` laid out for print.

    Args:
        title: the subject of a letter, or the title of a document.
        body: the text in Markdown, as the scenario writes it for ``md``.
        values: the validated values (the sender's name, company, email and phone).
        language: the language: ``lang``, hyphenation, dates and the page numbers.
        today: the day of writing, for the date line and the metadata.
        letter: lay out as a letter (DIN 5008 form B) rather than a document.
    """
    gettext = translator(language.code).gettext
    title = _MARKDOWN_ESCAPE.sub(r"\1", title)  # the subject was written as Markdown
    name, company = values.get("sender.name"), values.get("sender.company")
    sender = " · ".join(str(v) for v in (name, company) if v)
    contact = " · ".join(str(v) for v in (name, company, values.get("sender.email"), values.get("phone")) if v)
    date = format_date(today, "long", language=language)
    tag = language.locale.replace("_", "-")
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{tag}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
    ]
    if sender:
        head.append(f'<meta name="author" content="{html.escape(sender)}">')
    head += [
        f'<meta name="dcterms.created" content="{today.isoformat()}">',
        '<meta name="generator" content="phrasebook">',
        f"<style>\n{stylesheet()}\n{_page_rules(sender, language)}\n</style>",
        "</head>",
    ]
    classes = ["letter" if letter else "document"]
    if language.locale == "en_US":
        classes.append("us")
    parts = [f'<body class="{" ".join(classes)}">']
    if letter:
        if contact:
            parts.append(f'<p class="sender-line">{html.escape(contact)}</p>')
        address = values.get("recipient.address")
        if address:
            parts.append(f'<div class="address">{html.escape(str(address))}</div>')
        parts.append(f'<p class="date">{html.escape(date)}</p>')
        parts.append(f'<p class="subject">{html.escape(title)}</p>')
    else:
        as_of = gettext("As of {date}").format(date=date)
        parts.append('<header class="document-head">')
        parts.append(f'<h1 class="title">{html.escape(title)}</h1>')
        if sender:
            parts.append(f'<p class="author">{html.escape(sender)}</p>')
        parts.append(f'<p class="as-of">{html.escape(as_of)}</p>')
        parts.append("</header>")
    parts.append(f"<main>\n{markdown_to_html(body)}</main>")
    parts.append("</body>\n</html>\n")
    return "\n".join(head) + "\n" + "\n".join(parts)


def require_pdf() -> None:
    """Check that PDF output can be written, before a batch starts.

    Raises:
        MissingExtra: WeasyPrint (or the libraries it draws with) is not installed.
    """
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        raise MissingExtra(_missing_extra_message()) from None
    except OSError as exc:
        raise MissingExtra(_missing_extra_message() + f" ({exc})") from None


def pdf_bytes(document: str, *, title: str, today: dt.date) -> bytes:
    """The PDF of an HTML document from :func:`html_document`.

    The metadata (title, author, language) come from the HTML; the creation date is
    ``today``, so the same inputs give the same file.

    Raises:
        MissingExtra: WeasyPrint is not installed.
    """
    try:
        from weasyprint import HTML
    except ImportError:
        raise MissingExtra(_missing_extra_message()) from None
    except OSError as exc:  # the libraries WeasyPrint draws with (Pango) are missing
        raise MissingExtra(_missing_extra_message() + f" ({exc})") from None
    created = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).isoformat()
    rendered = HTML(string=document).render()
    rendered.metadata.title = title
    rendered.metadata.created = created
    rendered.metadata.modified = created
    data = rendered.write_pdf(pdf_identifier=f"phrasebook-{today.isoformat()}".encode())
    return bytes(data) if data is not None else b""


def _missing_extra_message() -> str:
    from .messages import _

    return _("PDF output needs WeasyPrint: {command}").format(command=PDF_EXTRA)
