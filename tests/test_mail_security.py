"""Email drafts carry exactly the headers meant: strict addresses, IDNA 2008, folded encoded
words, and hostile values refused from every way in (parameters file, --set, batch cell,
client profile)."""

from __future__ import annotations

import email
import re
import unicodedata
from email import policy
from pathlib import Path

import pytest
import yaml
from batchkit import write_csv
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st
from samples import example

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import PhrasebookError

#: The CVE-2024-6923 shape: an encoded word that hides a line break and a Bcc header.
INJECTION = "=?utf-8?q?k=2Emueller=40example=2Ede=3E=0ABcc=3A=20evil=40attacker=2Eexample?=@example.de"
HOSTILE_ADDRESSES = [
    INJECTION,
    "=?utf-8?q?x?=@example.de",
    "k.mueller@example.de>",
    "k.mueller@example.de\nBcc: evil@attacker.example",
    "müller@example.de",
    "a\u202e@example.de",
    "kunde@@example.de",
    '"quoted"@example.de',
    "kunde@exa mple.de",
    "k@example.de, evil@attacker.example",
]
HOSTILE_NAMES = [
    "=?utf-8?q?x=0ABcc=3A_evil=40attacker=2Eexample?=",
    "Müller\nBcc: evil@attacker.example",
    "Mül\u200bler",
    "Mül\x00ler",
    "Müller\u2028Bcc: x",
]


def _parse(text: str) -> email.message.EmailMessage:
    return email.message_from_string(text, policy=policy.default)


def _draft(**changes: object) -> str:
    params = example("deadline-offer", "de")
    for key, value in changes.items():
        section, _, field = key.partition("__")
        params[section] = dict(params[section], **{field: value})
    return phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml").text


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
@pytest.mark.parametrize("field", ["recipient__email", "sender__email"])
def test_hostile_addresses_are_refused_before_any_header_is_built(field: str, address: str) -> None:
    with pytest.raises(PhrasebookError) as failure:
        _draft(**{field: address})
    assert field.replace("__", ".") in str(failure.value)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("field", ["recipient__last_name", "recipient__first_name", "recipient__title",
                                   "sender__name"])
def test_hostile_names_are_refused(field: str, name: str) -> None:
    with pytest.raises(PhrasebookError) as failure:
        _draft(**{field: name})
    assert field.replace("__", ".") in str(failure.value)


def test_the_injection_is_refused_from_every_way_in(runner, tmp_path: Path) -> None:
    base = ["render", "deadline-offer", "--lang", "de", "--example", "--today", "2026-11-24", "--format", "eml"]
    via_set = runner.invoke(cli, [*base, "--set", f"recipient.email={INJECTION}"])
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({"recipient": {"email": INJECTION}}), encoding="utf-8")
    via_file = runner.invoke(cli, [*base, "--params", str(params)])
    clients = tmp_path / "clients.yaml"
    clients.write_text(yaml.safe_dump({"clients": {"evil": {"email": INJECTION}}}), encoding="utf-8")
    via_profile = runner.invoke(cli, [*base, "--clients", str(clients), "--client", "evil"])
    for result in (via_set, via_file):
        assert result.exit_code == 2, result.output
        assert "recipient.email" in result.stderr and "=?" in result.stderr
    assert via_profile.exit_code == 2
    assert "evil: email" in via_profile.stderr
    rows = tmp_path / "rows.csv"
    write_csv(rows, [{"recipient.last_name": "Müller", "recipient.gender": "female", "recipient.email": INJECTION,
                      "sender.name": "Anna", "deliverable": "das Konzept", "deadline": "2026-12-02"}],
              columns=["recipient.last_name", "recipient.gender", "recipient.email", "sender.name",
                       "deliverable", "deadline"])
    batch = runner.invoke(cli, ["batch", "deadline-offer", str(rows), "--lang", "de", "-o", str(tmp_path / "out"),
                                "--format", "eml", "--today", "2026-11-24"])
    assert batch.exit_code == 1
    assert "recipient.email" in batch.stderr
    assert not list((tmp_path / "out").glob("*.eml"))


def test_an_internationalised_domain_is_encoded_by_idna_2008() -> None:
    message = _parse(_draft(recipient__email="info@straße.de"))
    assert message["To"].addresses[0].addr_spec == "info@xn--strae-oqa.de"  # not strasse.de
    assert _parse(_draft(recipient__email="info@bücher.de"))["To"].addresses[0].domain == "xn--bcher-kva.de"


def test_every_header_is_folded_and_every_encoded_word_is_short() -> None:
    subject = "Zahlungserinnerung: Rechnung RE-2026-0457 – Größenänderung äöü " + "ü" * 80
    text = _draft(recipient__title="Prof. Dr.", recipient__last_name="Müller-Lüdenscheidt-" + "ö" * 40)
    text = phrasebook.render(
        "deadline-offer", "de", dict(example("deadline-offer", "de"), subject=subject), today=TODAY, fmt="eml"
    ).text
    headers = text.split("\n\n")[0]
    assert all(len(line) <= 78 for line in headers.splitlines())
    assert all(len(word) <= 75 for word in re.findall(r"=\?[^?]+\?[qb]\?[^?]*\?=", headers, re.IGNORECASE))
    assert _parse(text)["Subject"] == subject


def test_a_draft_has_a_date_a_stable_message_id_and_stays_a_draft() -> None:
    first, second = _parse(_draft()), _parse(_draft())
    assert first["Date"].datetime.date() == TODAY
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"].endswith("@schaefer-kommunikation.example>")
    assert first["X-Unsent"] == "1"


def test_several_recipients_are_all_in_to() -> None:
    params = example("deadline-offer", "de")
    params["recipient"] = [
        {"gender": "female", "title": "Prof. Dr.", "first_name": "Katrin", "last_name": "Müller",
         "email": "k.mueller@example.de", "organisation": "Müller & Söhne"},
        {"gender": "male", "first_name": "Jonas", "last_name": "Weber", "email": "j.weber@example.de"},
    ]
    message = _parse(phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml").text)
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == [
        ("Prof. Dr. Katrin Müller (Müller & Söhne)", "k.mueller@example.de"),
        ("Jonas Weber", "j.weber@example.de"),
    ]


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn")), min_size=1, max_size=60
).map(lambda s: " ".join(s.split())).filter(lambda s: s and "=?" not in s)


@settings(max_examples=200, deadline=None)
@given(last=names, subject=names)
def test_any_name_and_subject_parse_back_exactly(last: str, subject: str) -> None:
    params = dict(example("deadline-offer", "de"), subject=subject)
    params["recipient"] = dict(params["recipient"], last_name=last)
    doc = phrasebook.render("deadline-offer", "de", params, today=TODAY, fmt="eml", allow_placeholders=True)
    message = _parse(doc.text)
    assert not message.defects
    assert sorted(k.lower() for k in message) == sorted([
        "subject", "from", "to", "date", "message-id", "x-unsent", "content-language", "mime-version",
        "content-type", "content-transfer-encoding",
    ])
    assert message["Subject"] == unicodedata.normalize("NFC", " ".join(subject.split()))
    assert len(message["To"].addresses) == 1
    assert message.get_body(("plain",)).get_content() == doc.body


@pytest.mark.parametrize(
    "value",
    ["[Name]", "Angebot für [Firma]", "<Projekt>", "TODO", "das Konzept (XXX)", "???", "{{ deliverable }}",
     "{project}", "…", "...", "TBD", "Lorem ipsum dolor"],
)
def test_values_that_look_unfilled_are_refused(runner, value: str) -> None:
    args = ["render", "deadline-offer", "--lang", "de", "--example", "--today", "2026-11-24",
            "--set", f"deliverable={value}"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 2
    assert "deliverable: " in refused.stderr and "--allow-placeholders" in refused.stderr
    allowed = runner.invoke(cli, [*args, "--allow-placeholders"])
    assert allowed.exit_code == 0, allowed.output


@pytest.mark.parametrize("value", ["den Entwurf [1]", "die Texte (v2)", "k.mueller@example.de", "<3 Seiten",
                                   "Kosten ca. 2.000 €", "das Konzept – ausführlich…"])
def test_ordinary_values_are_not_placeholders(value: str) -> None:
    from phrasebook.paramtypes import placeholder

    assert placeholder(value) is None
