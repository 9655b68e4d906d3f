"""`render --lang de,en`: both versions, written side by side, and the check that their facts agree."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from batchkit import PACK_DE, PACK_EN, PACK_SPEC, invoice_pack
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st
from samples import SCENARIOS, fixture_path

from phrasebook.cli import cli
from phrasebook.facts import FactsDisagree, compare_versions, read_facts
from phrasebook.l10n import LANGUAGES, format_date, format_money, format_time

TODAY_ARG = ("--today", TODAY.isoformat())
DE, DE_CH, EN, EN_US = (LANGUAGES[code] for code in ("de", "de_CH", "en", "en_US"))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def bilingual(scenario: str, lang: str, path: Path) -> str:
    """The fixed test parameters with amounts as plain numbers, so that every language reads them."""

    def plain(value: object) -> object:
        if isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}", value):
            return float(value.replace(".", "").replace(",", "."))
        if isinstance(value, str) and re.fullmatch(r"\d{1,3}([,’]\d{3})*\.\d{2}", value):
            return float(value.replace(",", "").replace("’", ""))
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    data = yaml.safe_load(Path(fixture_path(scenario, lang)).read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(plain(data), allow_unicode=True), encoding="utf-8")
    return str(path)


def render(runner, *args: str):
    return runner.invoke(cli, ["render", *args, *TODAY_ARG])


# --------------------------------------------------------------------------- on the command line


def test_two_files_with_the_language_before_the_extension(runner, tmp_path) -> None:
    params = bilingual("scope-decline", "de", tmp_path / "values.yaml")
    result = render(runner, "scope-decline", "--lang", "de,en", "-p", params, "-f", "text", "-o", "reply.txt")
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    assert sorted(p.name for p in tmp_path.glob("reply*")) == ["reply.de.txt", "reply.en.txt"]
    for code in ("de", "en"):
        single = render(runner, "scope-decline", "--lang", code, "-p", params, "-f", "text")
        assert (tmp_path / f"reply.{code}.txt").read_text(encoding="utf-8") == single.stdout
    assert "2.400,00\xa0€ zuzüglich Umsatzsteuer" in (tmp_path / "reply.de.txt").read_text(encoding="utf-8")
    assert "€2,400.00 plus VAT" in (tmp_path / "reply.en.txt").read_text(encoding="utf-8")


def test_both_versions_on_standard_output_under_a_separator(runner, tmp_path) -> None:
    params = bilingual("deadline-offer", "en", tmp_path / "values.yaml")
    result = render(runner, "deadline-offer", "--lang", "en,de", "-p", params, "-f", "text")
    assert result.exit_code == 0, result.stderr
    en = render(runner, "deadline-offer", "--lang", "en", "-p", params, "-f", "text").stdout
    de = render(runner, "deadline-offer", "--lang", "de", "-p", params, "-f", "text").stdout
    assert result.stdout == f"==> en <==\n{en}\n==> de <==\n{de}"
    assert "Wednesday, 2 December 2026" in en and "Mittwoch, 2. Dezember 2026" in de


def test_variants_side_by_side(runner, tmp_path) -> None:
    params = bilingual("payment-reminder", "de_CH", tmp_path / "values.yaml")
    result = render(runner, "payment-reminder", "--lang", "de_CH,en_US", "-p", params, "-o", "reminder.md")
    assert result.exit_code == 0, result.stderr
    swiss = (tmp_path / "reminder.de_CH.md").read_text(encoding="utf-8")
    american = (tmp_path / "reminder.en_US.md").read_text(encoding="utf-8")
    assert "2’380.00" in swiss and "2,380.00" in american
    assert "1. Dezember 2026" in swiss and "December 1, 2026" in american


def test_a_calendar_per_version(runner, tmp_path) -> None:
    params = bilingual("deadline-offer", "de", tmp_path / "values.yaml")
    result = render(runner, "deadline-offer", "--lang", "de,en", "-p", params, "-o", "offer.md", "--ics", "offer.ics")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("offer*")) == [
        "offer.de.ics", "offer.de.md", "offer.en.ics", "offer.en.md",
    ]


def test_an_existing_version_stops_both_without_force(runner, tmp_path) -> None:
    params = bilingual("scope-decline", "de", tmp_path / "values.yaml")
    (tmp_path / "reply.en.md").write_text("mine\n", encoding="utf-8")
    result = render(runner, "scope-decline", "--lang", "de,en", "-p", params, "-o", "reply.md")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: reply.en.md already exists; use --force to replace it\n")
    assert not (tmp_path / "reply.de.md").exists()
    assert (tmp_path / "reply.en.md").read_text(encoding="utf-8") == "mine\n"
    forced = render(runner, "scope-decline", "--lang", "de,en", "-p", params, "-o", "reply.md", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (tmp_path / "reply.en.md").read_text(encoding="utf-8").startswith("Subject: ")


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("de,", "Error: --lang: expected languages separated by commas, such as de,en; got 'de,'\n"),
        ("de,de_DE", "Error: --lang: de_DE is named twice\n"),
        ("de,fr", "Error: unknown language 'fr'"),
    ],
)
def test_bad_language_lists(runner, tmp_path, lang, message) -> None:
    params = bilingual("scope-decline", "de", tmp_path / "values.yaml")
    result = render(runner, "scope-decline", "--lang", lang, "-p", params)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- facts that disagree

DATE_SPEC = PACK_SPEC + """\
  due:
    type: date
    help:
      de: Fällig am
      en: Due on
"""
DE_WITH_DATE = PACK_DE.replace(
    "{% endblock %}", "Bitte überweisen Sie ihn bis {{ due | date }}, also in 14 Tagen.\n{% endblock %}"
)


@pytest.mark.parametrize(
    ("en", "problems"),
    [
        (
            PACK_EN.replace("{% endblock %}", "Please pay by Saturday, 5 December 2026, that is in 14 days.\n"
                            "{% endblock %}"),
            ["  4. Dezember 2026 (de) but 5 December 2026 (en)"],
        ),
        (
            PACK_EN.replace("amount | money }}.", "(amount + 1) | money }}.").replace(
                "{% endblock %}", "Please pay by {{ due | date }}, that is in 10 days.\n{% endblock %}"
            ),
            ["  €2,381.00 (en) is not in the de version", "  14 (de) but 10 (en)"],
        ),
        (
            PACK_EN.replace("{% endblock %}", "Please pay within 14 days.\n{% endblock %}"),
            ["  4. Dezember 2026 (de) is not in the en version"],
        ),
    ],
)
def test_a_version_with_other_facts_is_an_error_naming_both(runner, tmp_path, en, problems) -> None:
    invoice_pack(tmp_path / "pack", de=DE_WITH_DATE, en=en, spec=DATE_SPEC)
    args = ["invoice-reminder", "--pack", "pack", "--lang", "de,en", "-s", "amount=2380", "-s", "due=2026-12-04",
            "-s", "recipient.last_name=Weber", "-s", "recipient.gender=male", "-s", "sender.name=Anna Schäfer",
            "-f", "text"]
    result = render(runner, *args, "-o", "letter.txt")
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: the versions do not state the same facts:\n" + "\n".join(problems) + "\n"
    assert list(tmp_path.glob("letter*")) == []
    assert render(runner, *args).stdout == ""


# --------------------------------------------------------------------------- reading the facts


def values(text: str, language) -> list[object]:
    return [fact.value for fact in read_facts(text, language)]


def test_facts_are_read_in_each_notation() -> None:
    assert values("Mittwoch, 2. Dezember 2026, 16:00 Uhr: 1.234,50 € für acht Tage", DE) == [
        dt.date(2026, 12, 2), dt.time(16), (Decimal("1234.50"), "EUR"), Decimal(8),
    ]
    assert values("am 2.12.2026 um 9.30 Uhr: CHF 1’234.50, 40 %", DE_CH) == [
        dt.date(2026, 12, 2), dt.time(9, 30), (Decimal("1234.50"), "CHF"), Decimal(40),
    ]
    assert values("Wednesday, 2 December 2026 at 4:00 pm: £1,234.50 for eight days", EN) == [
        dt.date(2026, 12, 2), dt.time(16), (Decimal("1234.50"), "GBP"), Decimal(8),
    ]
    assert values("on 12/2/2026 at 12 noon: $1,234.50; call 555-0100", EN_US) == [
        dt.date(2026, 12, 2), dt.time(12), (Decimal("1234.50"), "USD"), Decimal(555), Decimal(100),
    ]


def test_a_date_without_its_year_is_the_same_day_in_any_year() -> None:
    compare_versions([(DE, "Bis 2. Dezember, also am 2. Dezember 2026."), (EN, "By 2 December 2026.")])
    with pytest.raises(FactsDisagree, match=r"3\. Dezember \(de\) but 2 December 2026 \(en\)"):
        compare_versions([(DE, "Bis 3. Dezember."), (EN, "By 2 December 2026.")], ["de", "en"])


def test_the_users_own_words_are_not_compared() -> None:
    german = "Wir besprechen die drei Kernbotschaften am Montag, 30. November 2026."
    english = "We will discuss die drei Kernbotschaften on Monday, 30 November 2026."
    with pytest.raises(FactsDisagree):
        compare_versions([(DE, german), (EN, english)])
    compare_versions([(DE, german), (EN, english)], verbatim=["die drei Kernbotschaften"])


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(("langs", "source"), [("de,en", "de"), ("en_US,de_CH", "en_US"), ("de_AT,en", "en")])
def test_the_shipped_templates_state_the_same_facts_in_every_language(runner, tmp_path, scenario, langs, source):
    params = bilingual(scenario, source, tmp_path / "values.yaml")
    result = render(runner, scenario, "--lang", langs, "-p", params, "-f", "text")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("==> ") == 2


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_example_renders_side_by_side(runner, tmp_path, scenario) -> None:
    # each language takes its own example (names, currency, phone numbers of its own): shown
    # side by side, not compared
    result = render(runner, scenario, "--lang", "de,en,en_US", "--example", "-f", "text")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("==> ") == 3


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    clock=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
    currency=st.sampled_from(["EUR", "CHF", "GBP", "USD"]),
    code=st.sampled_from(["de", "de_AT", "de_CH", "en", "en_US"]),
    style=st.sampled_from(["full", "long", "medium", "short"]),
)
def test_what_phrasebook_writes_reads_back_as_the_same_value(day, clock, amount, currency, code, style) -> None:
    language = LANGUAGES[code]
    text = (f"Am {format_date(day, style, language=language)} um {format_time(clock, language=language)}: "
            f"{format_money(amount, currency, language=language)}.")
    assert values(text, language) == [day, clock, (amount, currency)]


def test_a_note_is_shown_once_for_all_versions(runner, tmp_path) -> None:
    params = Path(bilingual("deadline-offer", "de", tmp_path / "values.yaml"))
    data = yaml.safe_load(params.read_text(encoding="utf-8"))
    del data["reason"]
    params.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = render(runner, "deadline-offer", "--lang", "de,en", "-p", str(params), "-o", "offer.txt")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Note: reason: none given; one sentence on why this date serves the client makes it credible\n"
    )


def test_a_calendar_on_standard_output_needs_one_language(runner, tmp_path) -> None:
    params = bilingual("deadline-offer", "de", tmp_path / "values.yaml")
    result = render(runner, "deadline-offer", "--lang", "de,en", "-p", params, "-o", "offer.md", "--ics", "-")
    assert result.exit_code == 2
    assert "--ics: each language has its own calendar; name a file, such as --ics offer.ics" in result.stderr
    assert list(tmp_path.glob("offer*")) == [] and not (tmp_path / "-").exists()


def test_the_calendar_on_standard_output_when_the_letter_goes_to_a_file(runner, tmp_path) -> None:
    params = fixture_path("deadline-offer", "en")
    result = render(runner, "deadline-offer", "--lang", "en", "-p", params, "-o", "offer.txt", "--ics", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("BEGIN:VCALENDAR\n") and result.stdout.endswith("END:VCALENDAR\n")
    assert (tmp_path / "offer.txt").is_file() and not (tmp_path / "-").exists()


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_letter_and_calendar_cannot_share_standard_output(runner, tmp_path, output) -> None:
    params = fixture_path("deadline-offer", "en")
    result = render(runner, "deadline-offer", "--lang", "en", "-p", params, *output, "--ics", "-")
    assert result.exit_code == 2
    assert "--ics: the text already goes to standard output" in result.stderr
    assert result.stdout == "" and not (tmp_path / "-").exists()
