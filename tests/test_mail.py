"""Email output: RFC 5322 drafts that parse back to the same text; unsafe headers refused."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from conftest import TODAY
from samples import example

import phrasebook
from phrasebook.errors import InvalidInput, InvalidParams


def _parse(text: str):
    return email.message_from_bytes(text.encode("ascii"), policy=policy.default)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_eml_round_trip(lang: str) -> None:
    doc = phrasebook.render("deadline-offer", lang, example("deadline-offer", lang), today=TODAY, fmt="eml")
    message = _parse(doc.text)
    assert message["Subject"] == doc.subject
    assert message.get_body(("plain",)).get_content() == doc.body
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Language"] == doc.language.tag
    assert message["From"].addresses[0].display_name == "Anna Schäfer"
    assert len(message["To"].addresses) == 1


def test_display_names_with_commas_and_quotes_stay_one_recipient() -> None:
    params = example("deadline-offer", "de")
    params["recipient"] = dict(params["recipient"], last_name='Müller, "Jay"', title="")
    doc = phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml")
    to = _parse(doc.text)["To"]
    assert len(to.addresses) == 1
    assert to.addresses[0].display_name == 'Katrin Müller, "Jay"'


def test_eml_without_addresses_has_no_from_or_to() -> None:
    params = example("deadline-offer", "de")
    params["recipient"] = {k: v for k, v in params["recipient"].items() if k != "email"}
    params["sender"] = {k: v for k, v in params["sender"].items() if k != "email"}
    message = _parse(phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml").text)
    assert message["From"] is None
    assert message["To"] is None


@pytest.mark.parametrize("bad", ["Frist\nBcc: evil@example.com", "Fr\rist", "a\u2028b", "a\x85b", "a\x00b"])
def test_line_breaks_and_controls_in_the_subject_are_refused(bad: str) -> None:
    params = dict(example("deadline-offer", "de"), subject=bad)
    with pytest.raises(InvalidParams, match="subject: "):
        phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml")


def test_encoded_word_trick_is_refused() -> None:
    params = dict(example("deadline-offer", "de"), subject="=?UTF-8?Q?x=0ABcc:_evil@attacker.example?=")
    with pytest.raises(InvalidInput, match="contains '=\\?'"):
        phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml")


def test_idn_domain_is_punycoded() -> None:
    params = example("deadline-offer", "de")
    params["recipient"] = dict(params["recipient"], email="info@bücher.de")
    doc = phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml")
    assert "<info@xn--bcher-kva.de>" in doc.text
    assert _parse(doc.text)["To"].addresses[0].domain == "xn--bcher-kva.de"


def test_non_ascii_local_part_is_refused() -> None:
    params = example("deadline-offer", "de")
    params["recipient"] = dict(params["recipient"], email="müller@example.de")
    expected = re.escape("recipient.email: 'müller@example.de' expected an email address")
    with pytest.raises(InvalidParams, match=expected):
        phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml")


def test_a_problem_in_the_recipients_name_is_named_there() -> None:
    from phrasebook.errors import PhrasebookError

    params = example("deadline-offer", "de")
    params["recipient"] = {**params["recipient"], "last_name": "M=?x", "email": "m@example.de"}
    with pytest.raises(PhrasebookError) as exc:
        phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml")
    assert str(exc.value).startswith("recipient.last_name: 'M=?x' contains '=?'")
