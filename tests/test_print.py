"""Documents for print: self-contained HTML and PDF with the shipped stylesheet."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import LANGS, SCENARIOS, example

import phrasebook
from phrasebook.cli import cli

TODAY = dt.date(2026, 11, 24)

pypdf = pytest.importorskip("pypdf", reason="the test extra installs pypdf")


def _weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


needs_pdf = pytest.mark.skipif(not _weasyprint(), reason="WeasyPrint (the pdf extra) is not installed")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.external.append(value)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_is_one_self_contained_html_file(name: str, lang: str) -> None:
    doc = phrasebook.render(name, lang, example(name, lang), today=TODAY, fmt="html")
    links = _Links()
    links.feed(doc.text)
    assert links.external == []  # stylesheet inline, nothing fetched
    assert "script" not in links.tags
    assert doc.text.startswith("<!DOCTYPE html>\n<html lang=\"")
    assert f"<title>{doc.subject}</title>" in doc.text
    assert "@bottom-right" in doc.text
    assert "None" not in re.sub(r"<style>.*?</style>", "", doc.text, flags=re.DOTALL)


def test_user_values_never_become_markup() -> None:
    params = example("deadline-offer", "de") | {"reason": "<script>alert(1)</script> **fett** [Link](http://x.example)"}
    doc = phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="html", allow_placeholders=True)
    assert "<script>" not in doc.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **fett** [Link](http://x.example)" in doc.text


def test_a_letter_follows_din_5008_form_b() -> None:
    doc = phrasebook.render("deadline-offer", "de", example("deadline-offer", "de"), today=TODAY, fmt="html")
    body = doc.text[doc.text.index("<body"):]
    assert body.index('class="sender-line"') < body.index('class="date"') < body.index('class="subject"')
    assert '<p class="date">24. November 2026</p>' in body
    assert "Seite " in doc.text and '" von "' in doc.text  # "Seite 1 von 2"


def test_the_onboarding_pack_lays_out_its_steps_as_a_table() -> None:
    doc = phrasebook.render("onboarding-pack", "de", example("onboarding-pack", "de"), today=TODAY, fmt="html")
    assert "<th>Schritt</th>" in doc.text and "<th>Datum</th>" in doc.text and "<th>Inhalt</th>" in doc.text
    assert "<td>Dienstag, 1. Dezember 2026</td>" in doc.text
    assert '<p class="as-of">Stand: 24. November 2026</p>' in doc.text
    markdown = phrasebook.render("onboarding-pack", "de", example("onboarding-pack", "de"), today=TODAY, fmt="md")
    assert "| Schritt |" not in markdown.text  # the Markdown stays as it was


def test_the_stylesheet_is_printed_for_pandoc(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["stylesheet"])
    assert result.exit_code == 0
    assert "@page" in result.stdout and "size: A4" in result.stdout and "header#title-block-header" in result.stdout


def _pdf(name: str, lang: str, params: dict | None = None) -> tuple[phrasebook.Document, object]:
    doc = phrasebook.render(name, lang, params or example(name, lang), today=TODAY, fmt="pdf")
    assert doc.data is not None and doc.data.startswith(b"%PDF-")
    return doc, pypdf.PdfReader(io.BytesIO(doc.data))


@needs_pdf
def test_the_german_onboarding_pack_is_two_a4_pages() -> None:
    doc, reader = _pdf("onboarding-pack", "de")
    assert len(reader.pages) <= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "9.600,00 €" in text
    assert "Herzliche Grüße\nAnna Schäfer" in text
    assert "Seite 1 von 2" in text and "Seite 2 von 2" in text
    assert "Anna Schäfer · Schäfer Kommunikation" in text
    assert reader.metadata.title == doc.subject
    assert reader.metadata["/Author"] == "Anna Schäfer · Schäfer Kommunikation"
    assert reader.metadata["/CreationDate"].startswith("D:20261124")


@needs_pdf
def test_a_title_never_breaks_inside_a_word() -> None:
    params = example("onboarding-pack", "de") | {"project": "Neuausrichtung der Unternehmenskommunikationsstrategie"}
    _doc, reader = _pdf("onboarding-pack", "de", params)
    first = reader.pages[0].extract_text().splitlines()
    title_lines = []
    for line in first:
        title_lines.append(line)
        if "Unternehmenskommunikationsstrategie" in line or len(title_lines) > 3:
            break
    words = " ".join(title_lines).split()
    assert "Unternehmenskommunikationsstrategie" in words  # whole, not "Unternehmenskommunikations-"
    assert not any(line.endswith(("-", "\u2010")) for line in title_lines)


@needs_pdf
def test_american_english_prints_on_letter_paper() -> None:
    _doc, reader = _pdf("deadline-offer", "en_US", example("deadline-offer", "en"))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert "Page 1 of 1" in page.extract_text()


@needs_pdf
def test_the_same_inputs_give_the_same_pdf() -> None:
    first, _reader = _pdf("farewell", "en")
    second, _reader = _pdf("farewell", "en")
    assert first.data == second.data


@needs_pdf
def test_pdf_from_the_command_line_and_in_a_batch(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "offer.pdf"
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", "--example", "--format", "pdf",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    rows = tmp_path / "rows.csv"
    rows.write_text("recipient.last_name,recipient.gender\nWeber,male\nLang,female\n", encoding="utf-8")
    batch = runner.invoke(cli, ["batch", "deadline-offer", str(rows), "-o", str(tmp_path / "out"), "-l", "de",
                                "-p", "phrasebook/examples/deadline-offer.de.yaml", "--format", "pdf"])
    assert batch.exit_code == 0, batch.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["lang.pdf", "weber.pdf"]


def test_without_weasyprint_the_message_says_how_to_install_it(runner: CliRunner, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", "--example", "--format", "pdf", "-o", "x.pdf"])
    assert result.exit_code == 1
    assert result.stderr == 'Error: PDF output needs WeasyPrint: python -m pip install "phrasebook[pdf]"\n'


def test_a_pdf_is_not_written_to_a_terminal(monkeypatch) -> None:
    from phrasebook.cli import scenarios

    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(scenarios, "binary_stdout", Terminal)
    monkeypatch.setattr("phrasebook.printing.pdf_bytes", lambda *args, **kwargs: b"%PDF-1.7")
    result = CliRunner(env={"PHRASEBOOK_LANG": "en"}).invoke(
        cli, ["render", "deadline-offer", "-l", "de", "--example", "--format", "pdf"]
    )
    assert result.exit_code == 2
    assert "a PDF is not for the terminal: write it to a file with -o FILE.pdf" in result.stderr
