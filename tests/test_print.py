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
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"


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


def _laid_out(name: str, lang: str, params: dict | None = None) -> list:
    """The pages WeasyPrint lays out for a scenario's HTML: the layout a PDF is drawn from."""
    from weasyprint import HTML

    doc = phrasebook.render(name, lang, params or example(name, lang), today=TODAY, fmt="html")
    return HTML(string=doc.text).render().pages


def _text_boxes(page) -> list:
    """The text of the page body (not the running lines), with its position."""
    from weasyprint.formatting_structure import boxes

    root = page._page_box.children[0]  # the <html> box; the margin boxes are its siblings
    return [box for box in root.descendants() if isinstance(box, boxes.TextBox) and box.text.strip()]


def _content_edges(page) -> tuple[float, float]:
    box = page._page_box
    left = box.margin_left + box.padding_left + box.border_left_width
    return left, left + box.width


@needs_pdf
@pytest.mark.parametrize(("name", "lang"), [("onboarding-pack", "de"), ("onboarding-pack", "en_US"),
                                            ("deadline-offer", "de"), ("scope-decline", "en")])
def test_no_text_runs_outside_the_page_margins(name: str, lang: str) -> None:
    params = example(name, lang.split("_")[0])
    for page in _laid_out(name, lang, params):
        left, right = _content_edges(page)
        for box in _text_boxes(page):
            assert box.position_x >= left - 0.5, box.text
            assert box.position_x + box.width <= right + 0.5, box.text


@needs_pdf
def test_a_printed_letter_has_the_din_5008_form_b_order() -> None:
    (page,) = _laid_out("deadline-offer", "de")
    left, right = _content_edges(page)
    assert round(left / 96 * 25.4) == 25  # the DIN 5008 left margin, in mm
    boxes = _text_boxes(page)
    sender, date = boxes[0], next(box for box in boxes if box.text == "24. November 2026")
    subject = next(box for box in boxes if box.text.startswith("Termin für"))
    salutation = next(box for box in boxes if box.text.startswith("Sehr geehrte"))
    assert sender.position_y < date.position_y < subject.position_y < salutation.position_y
    assert sender.style["font_size"] < subject.style["font_size"]
    assert abs(date.position_x + date.width - right) < 1  # the date on the right
    assert subject.style["font_weight"] >= 700 and salutation.style["font_weight"] < 700


@needs_pdf
def test_the_onboarding_pack_prints_its_tables_across_the_page() -> None:
    from weasyprint.formatting_structure import boxes

    pages = _laid_out("onboarding-pack", "de")
    tables = [box for page in pages for box in page._page_box.descendants() if isinstance(box, boxes.TableBox)]
    assert len(tables) == 3  # the steps, the fees, the contacts
    left, right = _content_edges(pages[0])
    for table in tables:
        assert abs(table.position_x - left) < 1 and abs(table.position_x + table.width - right) < 1
    words = [box.text for page in pages for box in _text_boxes(page)]
    assert "anna@schaefer-kommunikation.example" in words  # never hyphenated
    assert "+49 30 5550 1234" in words
