"""Template packs: layering, untrusted templates in a bounded sandbox, `check` and `new`."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
from pathlib import Path

import pytest
from batchkit import PACK_DE, PACK_EN, PACK_SPEC, build_tree, invoice_pack, pack_batch, snapshot, write_csv
from conftest import TODAY

import phrasebook
from phrasebook.catalog import LayeredCatalog, Pack, catalog_with_packs, load_catalog
from phrasebook.cli import cli
from phrasebook.errors import SpecError, TemplateFailure
from phrasebook.l10n import resolve_language
from phrasebook.render import build_context
from phrasebook.sandbox import OUTPUT_LIMIT, estimate_size, pack_environment_class

TODAY_ARG = ["--today", TODAY.isoformat()]
INVOICE = {
    "recipient": {"last_name": "Müller", "gender": "female"},
    "sender": {"name": "Anna Schäfer"},
    "amount": decimal.Decimal("1234.5"),
}
SECRET = "canary-4711-do-not-print"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PHRASEBOOK_CANARY_SECRET", SECRET)
    monkeypatch.chdir(tmp_path)


def render_pack(pack: Path, lang: str = "de", params: dict | None = None, fmt: str = "text"):
    catalog = catalog_with_packs([pack.relative_to(Path.cwd())], user_packs=False)
    return phrasebook.render(
        "invoice-reminder", lang, params or INVOICE, today=TODAY, fmt=fmt, catalog=catalog
    )


def evil_body(expression: str) -> str:
    return (
        '{% extends "_letter.jinja" %}\n'
        "{% set subject_line %}Betreff{% endset %}\n"
        "{% block body %}\n"
        f"{expression}\n"
        "{% endblock %}\n"
    )


# --- layering ---------------------------------------------------------------------------------


def test_a_pack_adds_a_scenario_that_extends_the_builtin_letter_frame(tmp_path):
    doc = render_pack(invoice_pack(tmp_path / "pack"))
    assert doc.subject == "Offener Betrag: 1.234,50 €"
    assert doc.text == "Betreff: Offener Betrag: 1.234,50 €\n\n" + doc.body
    assert doc.body == (
        "Sehr geehrte Frau Müller,\n\n"
        "ich erinnere Sie an den offenen Betrag von 1.234,50\xa0€.\n\n"
        "Mit freundlichen Grüßen\nAnna Schäfer\n"
    )


def test_a_pack_overrides_a_builtin_scenario_and_a_later_pack_wins(tmp_path):
    spec = (load_catalog().specs / "deadline-offer.yaml").read_text("utf-8")
    first = build_tree(
        tmp_path / "first",
        {
            "scenarios/deadline-offer.yaml": spec,
            "templates/de/deadline-offer.jinja": evil_body("Erstes Paket."),
            "templates/en/deadline-offer.jinja": evil_body("First pack."),
        },
    )
    second = build_tree(
        tmp_path / "second",
        {
            "scenarios/deadline-offer.yaml": spec,
            "templates/de/deadline-offer.jinja": evil_body("zweites Paket."),
            "templates/en/deadline-offer.jinja": evil_body("Second pack."),
        },
    )
    catalog = catalog_with_packs([first, second], user_packs=False)
    assert isinstance(catalog, LayeredCatalog)
    params = {
        "recipient.last_name": "Müller",
        "recipient.gender": "female",
        "sender.name": "A",
        "deliverable": "das Konzept",
        "deadline": "2026-12-02",
    }
    doc = phrasebook.render("deadline-offer", "de", params, today=TODAY, catalog=catalog)
    assert "zweites Paket." in doc.body
    assert catalog.names() == load_catalog().names()


def test_user_config_packs_are_used_by_the_cli(runner, tmp_path):
    invoice_pack(tmp_path / "config" / "packs" / "team")
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0, result.stderr
    assert "\nOther scenarios:\n  invoice-reminder " in result.stdout
    row = next(line for line in result.stdout.splitlines() if line.startswith("  invoice-reminder "))
    assert row.split(None, 1)[1] == "A friendly reminder of an open invoice."


def test_render_with_pack_option(runner, tmp_path):
    invoice_pack(tmp_path / "pack")
    result = runner.invoke(
        cli,
        [
            "--pack",
            "pack",
            "render",
            "invoice-reminder",
            "--lang",
            "en",
            *TODAY_ARG,
            "--set",
            "recipient.last_name=Miller",
            "--set",
            "recipient.gender=male",
            "--set",
            "sender.name=Anna",
            "--set",
            "amount=12.5",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Subject: Amount due: €12.50\n\nDear Mr Miller,\n\n"
        "This is a reminder of the amount due: €12.50.\n\nKind regards\nAnna\n"
    )


def test_missing_pack_directory_is_bad_input(runner, tmp_path):
    result = runner.invoke(cli, ["--pack", "nowhere", "list"])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for '--pack': Directory 'nowhere' does not exist.\n")
    (tmp_path / "file").write_text("x")
    result = runner.invoke(cli, ["--pack", str(tmp_path / "file"), "list"])
    assert result.exit_code == 2


# --- the sandbox ---------------------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id') }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ ('{0.__init__.__globals__[os].environ[PHRASEBOOK_CANARY_SECRET]}'|attr('format'))(cycler) }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{% set f = '{0.__class__}'.format %}{{ f|listing }}",
    "{{ '%s' % recipient }}",
    "{% set l = [1, 2] %}{{ l.pop() }}",
    "{{ recipient.update({'last_name': 'x'}) }}",
    "{{ amount.__class__.__base__.__subclasses__() }}",
    "{{ today.__class__.today() }}",
    "{{ recipient|attr('__class__') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ (recipient|dictsort|first).__class__ }}",
    "{% for c in recipient.__class__.__mro__ %}{{ c }}{% endfor %}",
    "{{ client.__class__ }}",
    "{{ 10 ** 100000 }}",
    "{{ range(10 ** 6) }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escapes_are_refused(tmp_path, payload, capfd):
    pack = invoice_pack(tmp_path / "pack", de=evil_body(payload))
    with pytest.raises(TemplateFailure) as failure:
        render_pack(pack)
    message = str(failure.value)
    assert message.startswith("pack/templates/de/invoice-reminder.jinja")
    out, err = capfd.readouterr()
    for text in (message, out, err):
        assert SECRET not in text
        assert "uid=" not in text
        assert "<class" not in text


def test_context_holds_only_plain_data():
    spec = load_catalog().scenario("deadline-offer")
    language = resolve_language("de")
    values = spec.validate(
        {
            "recipient.last_name": "Müller",
            "sender.name": "A",
            "recipient.first_name": "K",
            "deliverable": "x",
            "deadline": "2026-12-02",
            "points": ["a", "b"],
        },
        language,
    )
    context = build_context(spec, values, language, TODAY, "md", {"group": "C"})
    plain = (str, int, bool, decimal.Decimal, dt.date, dt.time, type(None))

    def check(value):
        if isinstance(value, dict):
            for key, item in value.items():
                assert type(key) is str
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)
        else:
            assert isinstance(value, plain), type(value)

    check(context)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{{ 'x' * 10 ** 9 }}", "'*' would exceed the output limit of 1,000,000 characters"),
        ("{{ ['x'] * 10 ** 7 }}", "'*' would exceed the output limit of 1,000,000 characters"),
        ("{% set s = 'x' * 900000 %}{{ s ~ s }}", "'~' would exceed the output limit"),
        ("{% set s = 'x' * 900000 %}{{ s + s }}", "'+' would exceed the output limit"),
        (
            "{% set s = 'x' * 900000 %}{{ [s, s, s] }}",
            "a printed value would exceed the output limit",
        ),
        (
            "{% set s = 'x' * 900000 %}{{ [s, s]|join }}",
            "filter 'join' would exceed the output limit",
        ),
        ("{{ ('x' * 1000)|replace('x', 'y' * 10000) }}", "filter 'replace' would exceed"),
        (
            "{{ 'x'|center(10 ** 8) }}",
            "filter 'center': argument 100000000 is larger than the limit",
        ),
        ("{{ '%099999999d'|format(1) }}", "filter 'format' would exceed the output limit"),
        ("{{ 'x'.center(10 ** 8) }}", "refused by the sandbox"),
        ("{{ 'ab'.replace('a', 'x' * 900000) }}", "refused by the sandbox"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
            "output limit of 1,000,000 characters exceeded",
        ),
    ],
)
def test_huge_output_is_refused_before_it_is_built(tmp_path, payload, message):
    pack = invoice_pack(tmp_path / "pack", de=evil_body(payload))
    with pytest.raises(TemplateFailure, match=re.escape(message)):
        render_pack(pack)


def test_a_render_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_environment_class(), "time_limit", 0.2)
    busy = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    pack = invoice_pack(tmp_path / "pack", de=evil_body(busy))
    with pytest.raises(TemplateFailure, match=r"took longer than 0\.2 s to render"):
        render_pack(pack)


def test_errors_in_pack_templates_name_the_line(tmp_path):
    pack = invoice_pack(tmp_path / "pack", de=evil_body("{{ recipient.nmae }}"))
    with pytest.raises(TemplateFailure) as failure:
        render_pack(pack)
    assert str(failure.value) == (
        "pack/templates/de/invoice-reminder.jinja:4: 'dict object' has no attribute 'nmae'"
    )


def test_estimate_does_not_build_what_it_measures():
    big = "x" * 1000
    nested: list = [big]
    for _ in range(30):
        nested = [nested, nested]
    assert estimate_size(nested) > OUTPUT_LIMIT


# --- confinement: links and paths ----------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "templates/de/invoice-reminder.jinja",
        "templates/de/partial.jinja",
        "scenarios/other.yaml",
        "examples/invoice-reminder.de.yaml",
        "templates/de/sub",
    ],
)
def test_a_link_out_of_the_pack_refuses_the_whole_pack(runner, tmp_path, link):
    canary = tmp_path / "canary.txt"
    canary.write_text(SECRET, encoding="utf-8")
    pack = invoice_pack(tmp_path / "pack")
    target = tmp_path / link
    (pack / link).unlink(missing_ok=True)
    (pack / link).parent.mkdir(parents=True, exist_ok=True)
    (pack / link).symlink_to(canary if not link.endswith("sub") else tmp_path)
    write_csv(
        tmp_path / "rows.csv",
        [["Müller", "female", "Anna", "12"]],
        columns=["recipient.last_name", "recipient.gender", "sender.name", "amount"],
    )
    before = snapshot(tmp_path, skip=tmp_path / "out")

    result = pack_batch(runner)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: pack: {link} is a link to a place outside the pack; packs may not link elsewhere\n"
    )
    assert SECRET not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
    assert snapshot(tmp_path, skip=tmp_path / "out") == before
    del target


def test_links_inside_the_pack_are_fine(tmp_path):
    pack = invoice_pack(tmp_path / "pack")
    (pack / "templates" / "en" / "invoice-reminder.jinja").unlink()
    (pack / "templates" / "en" / "invoice-reminder.jinja").symlink_to(
        "../de/invoice-reminder.jinja"
    )
    assert "Betrag" in render_pack(pack, "en").body


def test_a_link_planted_after_loading_is_still_refused(tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text(SECRET, encoding="utf-8")
    pack_dir = invoice_pack(tmp_path / "pack")
    pack = Pack(pack_dir)
    template = pack_dir / "templates" / "de" / "invoice-reminder.jinja"
    template.unlink()
    template.symlink_to(canary)
    catalog = LayeredCatalog(load_catalog(), [pack])
    with pytest.raises(TemplateFailure, match="resolves outside the pack"):
        phrasebook.render("invoice-reminder", "de", INVOICE, today=TODAY, catalog=catalog)


@pytest.mark.parametrize(
    "statement",
    [
        "{% include '../../../canary.txt' %}",
        "{% include '/etc/hostname' %}",
        "{% include 'sub/../../../canary.txt' %}",
        "{% import '../x.jinja' as x %}",
    ],
)
def test_includes_cannot_leave_the_pack(tmp_path, statement):
    (tmp_path / "canary.txt").write_text(SECRET, encoding="utf-8")
    pack = invoice_pack(tmp_path / "pack", de=evil_body(statement))
    with pytest.raises(TemplateFailure, match="not found") as failure:
        render_pack(pack)
    assert SECRET not in str(failure.value)


def test_extends_cannot_leave_the_pack(tmp_path):
    pack = invoice_pack(tmp_path / "pack", de='{% extends "../../base.jinja" %}\n')
    with pytest.raises(TemplateFailure, match=re.escape("template '../../base.jinja' not found")):
        render_pack(pack)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("a: &x [1]\nb: *x\n", "YAML aliases are not allowed"),
        ("title: x\ntitle: y\n", "duplicate key 'title'"),
        ("[" * 200, "nested too deeply"),
        (
            "title: !!python/object/apply:os.system ['touch CANARY']\n",
            "could not determine a constructor",
        ),
        ("x: " + "a" * 300_000, "spec files are limited to 256,000"),
        ("- just\n- a list\n", "expected a mapping at the top level"),
        ("title: 5\nsummary: {de: a, en: b}\n", "title must give the text per language"),
    ],
)
def test_hostile_specs_are_refused(tmp_path, spec, message):
    pack = invoice_pack(tmp_path / "pack", spec=spec)
    with pytest.raises(SpecError, match=re.escape(message)):
        render_pack(pack)
    assert not (tmp_path / "CANARY").exists()


def test_batch_with_a_malicious_pack_reports_rows_and_touches_nothing_outside(runner, tmp_path):
    payload = "{% if recipient.last_name == 'Evil' %}{{ 'x' * 10 ** 9 }}{% endif %}ok"
    invoice_pack(tmp_path / "pack", de=evil_body(payload))
    columns = ["recipient.last_name", "recipient.gender", "sender.name", "amount"]
    write_csv(
        tmp_path / "rows.csv",
        [["Good", "male", "A", "1"], ["Evil", "male", "A", "1"], ["Fine", "male", "A", "1"]],
        columns=columns,
    )
    before = snapshot(tmp_path, skip=tmp_path / "out")
    result = pack_batch(runner)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rows.csv:3: pack/templates/de/invoice-reminder.jinja:4: "
        "'*' would exceed the output limit of 1,000,000 characters\n"
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "fine.md",
        "good.md",
        "report.csv",
        "report.json",
    ]
    assert snapshot(tmp_path, skip=tmp_path / "out") == before


# --- phrasebook check / new ------------------------------------------------------------------------


def test_new_scaffolds_a_scenario_that_passes_check(runner, tmp_path):
    result = runner.invoke(cli, ["new", "enquiry-reply", "team"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "created team/scenarios/enquiry-reply.yaml\n"
        "created team/templates/de/enquiry-reply.jinja\n"
        "created team/templates/en/enquiry-reply.jinja\n"
        "created team/examples/enquiry-reply.de.yaml\n"
        "created team/examples/enquiry-reply.en.yaml\n"
        "next: edit the wording, then run: phrasebook check team\n"
    )
    check = runner.invoke(cli, ["check", "team", *TODAY_ARG])
    assert check.exit_code == 0, check.stdout
    lines = check.stdout.splitlines()
    assert lines[0] == "ok    files: no links lead outside the pack"
    assert "ok    enquiry-reply: spec scenarios/enquiry-reply.yaml" in lines
    assert "ok    enquiry-reply: templates in de, en" in lines
    assert "ok    enquiry-reply: every template variable is declared" in lines
    assert "ok    enquiry-reply: 12 sample renders" in lines
    assert lines[-1].startswith("team: ") and lines[-1].endswith(" checks passed, ok")


def test_check_reports_a_problem_once_for_all_the_samples_it_spoils(runner, tmp_path):
    assert runner.invoke(cli, ["new", "enquiry-reply", "team"]).exit_code == 0
    example = tmp_path / "team" / "examples" / "enquiry-reply.de.yaml"
    example.write_text(example.read_text("utf-8").replace("+3 working days", "2020-01-10"), "utf-8")
    check = runner.invoke(cli, ["check", "team", *TODAY_ARG])
    assert check.exit_code == 1
    failed = [line for line in check.stdout.splitlines() if line.startswith("fail")]
    assert failed == [
        "fail  enquiry-reply: 6 samples (de example formal text, de example formal md, de example formal eml,"
        " de example informal text, de example informal md, de example informal eml):"
        " enquiry-reply: 1 problem with the parameters"
    ]
    assert check.stdout.count("is in the past") == 1
    assert check.stdout.count("Dates can be written relative") == 1


def test_new_scaffold_reads_well(runner, tmp_path):
    assert runner.invoke(cli, ["new", "enquiry-reply", "team"]).exit_code == 0
    result = runner.invoke(
        cli,
        [
            "--pack",
            "team",
            "render",
            "enquiry-reply",
            "--lang",
            "de",
            "--example",
            *TODAY_ARG,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Betreff: Ihre Anfrage: Angebot für den Relaunch\n\n"
        "Sehr geehrte Frau Müller,\n\n"
        "vielen Dank für Ihre Anfrage zum Thema „Angebot für den Relaunch“. Ich kümmere mich darum: "
        "Eine ausführliche Antwort erhalten Sie spätestens am Freitag, 27. November 2026.\n\n"
        "Mit freundlichen Grüßen\nAnna Schäfer\n"
    )


def test_new_refuses_to_overwrite_and_checks_the_name(runner, tmp_path):
    assert runner.invoke(cli, ["new", "enquiry-reply", "team"]).exit_code == 0
    again = runner.invoke(cli, ["new", "enquiry-reply", "team"])
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: team/scenarios/enquiry-reply.yaml already exists; use --force to replace it\n"
    )
    bad = runner.invoke(cli, ["new", "Enquiry_Reply", "team"])
    assert bad.exit_code == 2
    assert bad.stderr.endswith(
        "Error: scenario name 'Enquiry_Reply': use lowercase words joined by '-', e.g. status-update\n"
    )


def test_check_reports_every_problem(runner, tmp_path):
    de = PACK_DE.replace("{{ amount | money }}.", "{{ amout | money }} an {{ recipient.nmae }}.")
    invoice_pack(tmp_path / "pack", de=de)
    (tmp_path / "pack" / "templates" / "en" / "invoice-reminder.jinja").unlink()
    build_tree(
        tmp_path / "pack",
        {
            "scenarios/second.yaml": PACK_SPEC,
            "templates/de/second.jinja": PACK_DE,
            "templates/en/second.jinja": PACK_EN.replace(
                "{% endblock %}", "{{ amount + }}\n{% endblock %}"
            ),
            "hooks/post_gen.py": "open('CANARY', 'w')\n",
        },
    )
    result = runner.invoke(cli, ["check", "pack", *TODAY_ARG])
    assert result.exit_code == 1
    assert result.stdout == (
        "ok    files: no links lead outside the pack\n"
        "warn  hooks: not part of a pack; ignored (nothing in a pack is run)\n"
        "ok    invoice-reminder: spec scenarios/invoice-reminder.yaml\n"
        "fail  invoice-reminder: templates/en/invoice-reminder.jinja is missing\n"
        "ok    second: spec scenarios/second.yaml\n"
        "ok    second: templates in de, en\n"
        "fail  second: templates/en/second.jinja:5: unexpected 'end of print statement'\n"
        "pack: 4 checks passed, 2 failed\n"
    )
    assert not (tmp_path / "CANARY").exists()


def test_check_finds_undeclared_variables(runner, tmp_path):
    de = PACK_DE.replace("{{ amount | money }}.", "{{ amout | money }} an {{ recipient.nmae }}.")
    invoice_pack(tmp_path / "pack", de=de)
    result = runner.invoke(cli, ["check", "pack", *TODAY_ARG])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3:] == [
        "fail  invoice-reminder: templates/de/invoice-reminder.jinja:4: 'amout' is not a "
        "parameter (did you mean 'amount'?)",
        "fail  invoice-reminder: templates/de/invoice-reminder.jinja:4: 'recipient.nmae' is "
        "not a parameter (did you mean 'recipient.email'?)",
        "pack: 3 checks passed, 2 failed",
    ]


def test_check_refuses_a_pack_with_an_outside_link(runner, tmp_path):
    pack = invoice_pack(tmp_path / "pack")
    (pack / "templates" / "de" / "leak.jinja").symlink_to("/etc/hostname")
    result = runner.invoke(cli, ["check", "pack"])
    assert result.exit_code == 1
    assert result.stdout == (
        "fail  pack: templates/de/leak.jinja is a link to a place outside the pack; "
        "packs may not link elsewhere\n"
        "pack: 0 checks passed, 1 failed\n"
    )


def test_check_runs_the_tone_linter(runner, tmp_path):
    de = PACK_DE.replace(
        "an den offenen Betrag von {{ amount | money }}.",
        "an den offenen Betrag von {{ amount | money }}. Ich melde mich zeitnah.",
    )
    invoice_pack(tmp_path / "pack", de=de)
    result = runner.invoke(cli, ["check", "pack", *TODAY_ARG])
    assert result.exit_code == 0
    assert "warn  invoice-reminder: lint de sample formal: line 5: zeitnah „zeitnah“" in result.stdout
    assert "lint clean" not in result.stdout

    hard = PACK_DE.replace("{% if formal %}", "Nein, das geht nicht. {% if formal %}")
    invoice_pack(tmp_path / "hard", de=hard)
    result = runner.invoke(cli, ["check", "hard", *TODAY_ARG])
    assert result.exit_code == 1
    assert "fail  invoice-reminder: lint de sample formal: line 5: nein-geht-nicht " in result.stdout


def test_pack_environment_is_used_only_for_packs(tmp_path):
    pack = Pack(invoice_pack(tmp_path / "pack"))
    env = pack.environment(resolve_language("de"))
    assert isinstance(env, pack_environment_class())
    assert "lipsum" not in env.globals
    builtin = load_catalog().environment(resolve_language("de"))
    assert not isinstance(builtin, pack_environment_class())
    assert os.path.basename(str(pack.root)) == "pack"


def test_check_flags_invisible_characters(runner, tmp_path):
    de = PACK_DE.replace("ich erinnere", "ich \u202eerinnere")
    invoice_pack(tmp_path / "pack", de=de)
    result = runner.invoke(cli, ["check", "pack", *TODAY_ARG])
    assert result.exit_code == 1
    assert (
        "fail  invoice-reminder: templates/de/invoice-reminder.jinja:4: contains the invisible "
        "control character U+202E; it can make the template read differently from what it does\n"
    ) in result.stdout


@pytest.mark.parametrize(
    "expression", ["{{ [missing] }}", "{{ {'a': missing} }}", "{{ (1, [nothing]) }}"]
)
def test_undefined_inside_a_literal_is_an_error_not_text(tmp_path, expression):
    pack = invoice_pack(tmp_path / "pack", de=evil_body(expression))
    with pytest.raises(TemplateFailure, match="is undefined"):
        render_pack(pack)


def test_sample_values_keep_the_spec_rules() -> None:
    import datetime as dt

    from phrasebook.catalog import load_catalog
    from phrasebook.packs import sample_values

    today = dt.date(2026, 11, 24)
    for name in ("payment-reminder", "farewell", "onboarding-pack"):
        spec = load_catalog().scenario(name)
        values = sample_values(spec, "de", today)
        spec.validate(values, resolve_language("de"), today=today)  # raises on a broken rule
    values = sample_values(load_catalog().scenario("payment-reminder"), "de", today)
    assert values["due_date"] < today and values["invoice_date"] <= values["due_date"]


def test_tied_sample_dates_meet_the_rules_of_either(tmp_path) -> None:
    import datetime as dt

    from phrasebook.packs import sample_values
    from phrasebook.specfile import parse_scenario

    help_text = {"de": "Hilfe", "en": "help"}
    data = {"title": help_text, "summary": help_text, "kind": "letter", "params": {
        "invoice_date": {"type": "date", "help": help_text},
        "due_date": {"type": "date", "not_before": "invoice_date", "not_after": "today", "help": help_text},
        "reply_by": {"type": "date", "not_before": "today", "help": help_text},
    }}
    spec = parse_scenario("dated", data, "dated.yaml", ("de", "en"))
    today = dt.date(2026, 11, 24)
    values = sample_values(spec, "de", today)
    assert values["invoice_date"] == values["due_date"] < today < values["reply_by"]
    spec.validate(values, resolve_language("de"), today=today)


def test_sample_dates_meet_an_after_rule(tmp_path) -> None:
    import datetime as dt

    from phrasebook.packs import sample_values
    from phrasebook.specfile import parse_scenario

    help_text = {"de": "Hilfe", "en": "help"}
    data = {"title": help_text, "summary": help_text, "kind": "letter", "params": {
        "start": {"type": "date", "after": "today", "help": help_text},
        "end": {"type": "date", "after": "start", "help": help_text},
    }}
    spec = parse_scenario("dated", data, "dated.yaml", ("de", "en"))
    today = dt.date(2026, 11, 24)
    values = sample_values(spec, "de", today)
    assert today < values["start"] < values["end"]
    spec.validate(values, resolve_language("de"), today=today)


def test_none_joined_into_the_text_is_a_missing_value(tmp_path):
    pack = invoice_pack(tmp_path / "pack", de=evil_body("{{ 'Titel: ' ~ recipient.title }}"))
    with pytest.raises(TemplateFailure, match=":4: a value is missing: the template joined None into the text"):
        render_pack(pack, params={**INVOICE, "recipient": {**INVOICE["recipient"], "title": None}})


def test_a_syntax_error_in_a_pack_template_names_its_line_in_render(tmp_path):
    pack = invoice_pack(tmp_path / "pack", de=evil_body("{{ recipient.last_name }"))
    with pytest.raises(TemplateFailure) as failure:
        render_pack(pack)
    assert str(failure.value).startswith("pack/templates/de/invoice-reminder.jinja:4: ")
