"""Answering a client's email: messages as real mail programs write them, read and quoted,
the thread kept, and defaults taken from the sender."""

from __future__ import annotations

import datetime as dt
import email
import email.utils
from email import policy
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from conftest import TODAY

from phrasebook.cli import cli
from phrasebook.l10n import resolve_language
from phrasebook.reply import html_to_text, quote, read_message, reply_subject

SENT = "Wed, 02 Dec 2026 19:30:00 +0100"
TEXT_DE = "Hallo Frau Schäfer,\n\nkönnen Sie uns das Konzept bis Freitag schicken?\n\nViele Grüße\nKatrin Müller"


def outlook(tmp: Path) -> Path:
    """Outlook: multipart/alternative, quoted-printable text, "Last, First" name, stacked AW:."""
    message = MIMEMultipart("alternative")
    message["From"] = email.utils.formataddr(("Müller, Katrin", "k.mueller@example.de"))
    message["To"] = "Anna Schäfer <anna@schaefer.example>"
    message["Subject"] = "AW: AW: Re: Angebot für den Relaunch der Unternehmenskommunikation 2026 mit neuer Website"
    message["Date"] = SENT
    message["Message-ID"] = "<AM0PR01MB1234@eurprd01.prod.outlook.com>"
    message["References"] = "<first@example.de> <second@example.de>"
    message["Thread-Index"] = "AQHZ"
    message.attach(MIMEText(TEXT_DE, "plain", "utf-8"))
    message.attach(MIMEText(f"<html><body><p>{TEXT_DE}</p></body></html>", "html", "utf-8"))
    path = tmp / "outlook.eml"
    path.write_bytes(message.as_bytes())
    return path


def gmail(tmp: Path) -> Path:
    """Gmail: base64 parts, a Reply-To that differs from From, English."""
    message = EmailMessage()
    message["From"] = "Kate Miller <kate.miller@gmail.example>"
    message["Reply-To"] = "Kate Miller <k.miller@example.co.uk>"
    message["Subject"] = "Re: Your quote"
    message["Date"] = SENT
    message["Message-ID"] = "<CAF=abc@mail.gmail.example>"
    message.set_content("Hi Anna,\n\nCould you send the concept by Friday?\n\nThanks,\nKate", cte="base64")
    message.add_alternative("<div dir=ltr>Hi Anna,<br><br>Could you send the concept by Friday?</div>",
                            subtype="html", cte="base64")
    path = tmp / "gmail.eml"
    path.write_bytes(message.as_bytes())
    return path


def apple(tmp: Path) -> Path:
    """Apple Mail: plain text, quoted-printable, du."""
    message = EmailMessage()
    message["From"] = "Jonas Weber <jonas@weber-digital.example>"
    message["Subject"] = "Konzept"
    message["Date"] = SENT
    message["Message-ID"] = "<8F1A@weber-digital.example>"
    message.set_content("Hallo Anna,\n\nkannst du mir das Konzept bis Freitag schicken? Das wäre super.\n\nJonas",
                        cte="quoted-printable")
    path = tmp / "apple.eml"
    path.write_bytes(message.as_bytes())
    return path


def thunderbird(tmp: Path) -> Path:
    """Thunderbird: ISO-8859-1, 8bit."""
    body = "Guten Tag Frau Schäfer,\n\nbitte schicken Sie mir die Übersicht.\n\nMit freundlichen Grüßen\nJürgen Groß"
    raw = (
        "From: =?ISO-8859-1?Q?J=FCrgen_Gro=DF?= <j.gross@example.de>\n"
        "Subject: =?ISO-8859-1?Q?=DCbersicht?=\n"
        f"Date: {SENT}\nMessage-ID: <tb-1@example.de>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=ISO-8859-1; format=flowed\n"
        "Content-Transfer-Encoding: 8bit\n\n"
    ).encode("ascii") + body.encode("latin-1")
    path = tmp / "thunderbird.eml"
    path.write_bytes(raw)
    return path


def html_only(tmp: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Katrin Müller <k.mueller@example.de>"
    message["Subject"] = "Frage"
    message["Date"] = SENT
    message.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>Guten Tag,</p>"
        "<p>k&ouml;nnen Sie &amp; Ihr Team<br>bis Freitag liefern?</p><ul><li>Konzept</li><li>Texte</li></ul>"
        "</body></html>",
        subtype="html",
    )
    path = tmp / "html.eml"
    path.write_bytes(message.as_bytes())
    return path


def test_outlook_message_is_read(tmp_path: Path) -> None:
    incoming = read_message(outlook(tmp_path))
    assert incoming.name == "Müller, Katrin"
    assert incoming.address == "k.mueller@example.de"
    assert incoming.text == TEXT_DE
    assert incoming.sent == dt.datetime(2026, 12, 2, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert incoming.language == "de" and incoming.register == "formal"
    assert incoming.reply.references == ("<first@example.de>", "<second@example.de>",
                                         "<AM0PR01MB1234@eurprd01.prod.outlook.com>")


def test_gmail_reply_to_wins_and_base64_is_decoded(tmp_path: Path) -> None:
    incoming = read_message(gmail(tmp_path))
    assert incoming.address == "k.miller@example.co.uk"
    assert incoming.text.startswith("Hi Anna,\n\nCould you send")
    assert incoming.language == "en"


def test_du_suggests_the_informal_register(tmp_path: Path) -> None:
    assert read_message(apple(tmp_path)).register == "informal"


def test_latin_1_is_decoded(tmp_path: Path) -> None:
    incoming = read_message(thunderbird(tmp_path))
    assert incoming.name == "Jürgen Groß"
    assert incoming.subject == "Übersicht"
    assert "Übersicht" in incoming.text


def test_html_only_is_quoted_as_text(tmp_path: Path) -> None:
    incoming = read_message(html_only(tmp_path))
    assert incoming.text == "Guten Tag,\n\nkönnen Sie & Ihr Team\nbis Freitag liefern?\n\n- Konzept\n- Texte"
    assert "<" not in incoming.text and "color" not in incoming.text


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<div>a<br>b</div><p>c &lt;d&gt;</p>") == "a\nb\n\nc <d>"


@pytest.mark.parametrize(
    ("subject", "lang", "expected"),
    [("AW: AW: Re: Angebot", "de", "AW: Angebot"), ("Re: RE: Your quote", "en", "Re: Your quote"),
     ("WG: Aw: Frage", "de", "AW: Frage"), ("Angebot", "de", "AW: Angebot"), ("Quote", "en_US", "Re: Quote")],
)
def test_reply_subjects_do_not_stack(subject: str, lang: str, expected: str) -> None:
    assert reply_subject(subject, resolve_language(lang)) == expected


def test_attribution_lines(tmp_path: Path) -> None:
    incoming = read_message(outlook(tmp_path))
    assert quote(incoming, resolve_language("de")).startswith(
        "Am Mittwoch, 2. Dezember 2026 um 19:30 schrieb Müller, Katrin:\n> Hallo Frau Schäfer,\n>\n"
    )
    assert quote(incoming, resolve_language("en")).startswith(
        "On Wednesday, 2 December 2026 at 19:30, Müller, Katrin wrote:"
    )
    assert quote(incoming, resolve_language("en_US")).startswith(
        "On Wednesday, December 2, 2026 at 7:30\u202fPM, Müller, Katrin wrote:"
    ) or quote(incoming, resolve_language("en_US")).startswith("On Wednesday, December 2, 2026 at 7:30 PM")


def _params(tmp_path: Path) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        "recipient: {gender: female}\nsender: {name: Anna Schäfer, email: anna@schaefer.example}\n"
        "deliverable: das Konzept\ndeadline: 2026-12-04\nreason: Dann bleibt Ihnen Zeit zum Lesen.\n",
        encoding="utf-8",
    )
    return path


def test_an_eml_answer_stays_in_the_thread(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, [
        "render", "deadline-offer", "--lang", "de", "--today", TODAY.isoformat(), "--format", "eml",
        "--params", str(_params(tmp_path)), "--reply-to", str(outlook(tmp_path)),
    ])
    assert result.exit_code == 0, result.output
    message = email.message_from_string(result.stdout, policy=policy.default)
    assert not message.defects
    assert message["Subject"] == "AW: Angebot für den Relaunch der Unternehmenskommunikation 2026 mit neuer Website"
    assert message["In-Reply-To"] == "<AM0PR01MB1234@eurprd01.prod.outlook.com>"
    assert message["References"].split() == [
        "<first@example.de>", "<second@example.de>", "<AM0PR01MB1234@eurprd01.prod.outlook.com>"
    ]
    to = message["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("Katrin Müller", "k.mueller@example.de")
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Sehr geehrte Frau Müller,\n")
    assert "\n\nAm Mittwoch, 2. Dezember 2026 um 19:30 schrieb Müller, Katrin:\n> Hallo Frau Schäfer," in body


def test_a_text_answer_has_the_quote_below(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, [
        "render", "deadline-offer", "--lang", "de", "--today", TODAY.isoformat(),
        "--params", str(_params(tmp_path)), "--reply-to", str(thunderbird(tmp_path)),
    ])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Betreff: AW: Übersicht\n\nSehr geehrte Frau Groß,")
    assert result.stdout.rstrip().endswith("> Jürgen Groß")


def test_the_language_and_register_of_the_message_are_the_defaults(runner, tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("recipient: {gender: male}\nsender: {name: Anna}\ndeliverable: das Konzept\n"
                      "deadline: 2026-12-04\nreason: Dann hast du Zeit zum Lesen.\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", "deadline-offer", "--today", TODAY.isoformat(), "--params", str(params),
                                 "--reply-to", str(apple(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "\nLieber Jonas,\n" in result.stdout
    forced = runner.invoke(cli, ["render", "deadline-offer", "--today", TODAY.isoformat(), "--params", str(params),
                                 "--reply-to", str(apple(tmp_path)), "--set", "formality=formal",
                                 "--set", "reason=Dann haben Sie Zeit."])
    assert forced.exit_code == 0, forced.output
    assert "Note: formality: the client writes 'du'; answer with --set formality=informal?" in forced.stderr


def test_an_english_message_is_answered_in_english(runner, tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("recipient: {gender: female}\nsender: {name: Anna}\ndeliverable: the concept\n"
                      "deadline: 2026-12-04\nreason: That leaves you time to read it.\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", "deadline-offer", "--today", TODAY.isoformat(), "--params", str(params),
                                 "--reply-to", str(gmail(tmp_path)), "--format", "eml"])
    assert result.exit_code == 0, result.output
    message = email.message_from_string(result.stdout, policy=policy.default)
    assert message["Subject"] == "Re: Your quote"
    assert message["To"].addresses[0].addr_spec == "k.miller@example.co.uk"
    assert message.get_body(("plain",)).get_content().startswith("Dear Ms Miller,")


def test_not_an_email_is_a_clear_error(runner, tmp_path: Path) -> None:
    junk = tmp_path / "junk.eml"
    junk.write_text("hello\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", "deadline-offer", "--lang", "de", "--example", "--today",
                                 TODAY.isoformat(), "--reply-to", str(junk)])
    assert result.exit_code == 2
    assert "not an email message" in result.stderr
    missing = runner.invoke(cli, ["render", "deadline-offer", "--lang", "de", "--example", "--today",
                                  TODAY.isoformat(), "--reply-to", str(tmp_path / "nope.eml")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr


def test_rehearse_takes_the_defaults_too(runner, tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("recipient: {gender: male}\nsender: {name: Anna}\ndeliverable: das Konzept\n"
                      "deadline: 2026-12-04\n", encoding="utf-8")
    result = runner.invoke(cli, ["rehearse", "deadline-offer", "--today", TODAY.isoformat(), "--params", str(params),
                                 "--reply-to", str(apple(tmp_path)), "--print"])
    assert result.exit_code == 0, result.output
    assert "Hallo Jonas" in result.stdout


@pytest.mark.parametrize("charset", ["utf-8", "cp1252"])
def test_eight_bit_text_without_a_transfer_encoding_is_read(tmp_path: Path, charset: str) -> None:
    path = tmp_path / "saved.eml"
    head = (
        "From: Katrin Müller <k.mueller@example.de>\nSubject: Konzept\n"
        f"Content-Type: text/plain; charset={charset}\n\n"
    )
    path.write_bytes(head.encode("utf-8") + "Hallo,\n\nkönnen Sie uns das Konzept schicken? – Grüße\n".encode(charset))
    message = read_message(path)
    assert "können Sie uns das Konzept schicken? – Grüße" in message.text
    assert message.name == "Katrin Müller"


def test_raw_utf8_headers_keep_their_letters(tmp_path: Path) -> None:
    path = tmp_path / "saved.eml"
    path.write_bytes("From: Jürgen Groß <j@example.de>\nSubject: Übersicht für März\n\nHallo\n".encode())
    message = read_message(path)
    assert (message.name, message.subject) == ("Jürgen Groß", "Übersicht für März")
