"""Client profiles: the file, layering into parameters, the A/B/C group, prompting."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchkit import build_tree, write_csv
from conftest import TODAY

import phrasebook
from phrasebook import cli as cli_module
from phrasebook.catalog import catalog_with_packs
from phrasebook.cli import cli
from phrasebook.layering import split_client_keys as split_client_fields
from phrasebook.profiles import (
    GROUPS,
    ProfilesError,
    client_context,
    load_profiles,
    parse_profiles,
)

TODAY_ARG = ["--today", TODAY.isoformat()]

CLIENTS = """\
clients:
  mueller:
    name: Müller Logistik GmbH
    group: A
    language: de
    formality: formal
    email: k.mueller@example.de
    region: by
    recipient:
      title: Dr.
      first_name: Katrin
      last_name: Müller
      gender: female
    params:
      sender:
        name: Anna Schäfer
  miller:
    group: c
    language: en
    recipient: {first_name: James, last_name: Miller, gender: male}
  weber:
    recipient: {first_name: Jan, last_name: Weber, gender: male}
"""

GROUP_PACK = {
    "scenarios/group-note.yaml": (
        "title: {de: Gruppe, en: Group}\n"
        "summary: {de: Zeigt die Kundengruppe., en: Shows the client group.}\n"
        "params:\n"
        "  topic: {type: str, help: {de: Thema, en: Topic}}\n"
    ),
    "templates/de/group-note.jinja": (
        '{% extends "_letter.jinja" %}\n'
        "{% set subject_line %}{{ topic }}{% endset %}\n"
        "{% block body %}\n"
        "Gruppe {{ client.group or 'keine' }}, Ton {{ client.tone or 'neutral' }}.\n"
        "{% if client.concessions %}Als Ausweichtermin biete ich den Freitag an.{% endif %}\n"
        "{% endblock %}\n"
    ),
    "templates/en/group-note.jinja": (
        '{% extends "_letter.jinja" %}\n'
        "{% set subject_line %}{{ topic }}{% endset %}\n"
        "{% block body %}\n"
        "Group {{ client.group or 'none' }}.\n"
        "{% endblock %}\n"
    ),
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def clients_file(tmp_path: Path) -> Path:
    path = tmp_path / "clients.yaml"
    path.write_text(CLIENTS, encoding="utf-8")
    return path


# --- the file ----------------------------------------------------------------------------------


def test_profiles_are_read_and_normalised(clients_file):
    profiles = load_profiles(clients_file)
    assert sorted(profiles) == ["miller", "mueller", "weber"]
    mueller = profiles.get_profile("mueller")
    assert (mueller.group, mueller.language, mueller.region) == ("A", "de", "DE-BY")
    assert mueller.params() == {
        "formality": "formal",
        "recipient.title": "Dr.",
        "recipient.first_name": "Katrin",
        "recipient.last_name": "Müller",
        "recipient.gender": "female",
        "recipient.email": "k.mueller@example.de",
        "sender.name": "Anna Schäfer",
        "region": "DE-BY",
    }
    assert mueller.params({"recipient.last_name", "formality"}) == {
        "formality": "formal",
        "recipient.last_name": "Müller",
    }
    assert profiles.get_profile("miller").group == "C"
    assert profiles.get_profile("weber").group == "B"
    assert profiles.get_profile("weber").language is None


def test_every_problem_in_the_file_is_listed():
    data = {
        "clients": {
            "bad id!": {"group": "A"},
            "x": {
                "grup": "A",
                "group": "D",
                "language": "fr",
                "formality": "casual",
                "email": "a@@b",
                "region": "Bavaria",
                "recipient": {"nmae": "X"},
            },
        },
        "defaults": {},
    }
    with pytest.raises(ProfilesError) as failure:
        parse_profiles(data, "clients.yaml")
    assert str(failure.value) == (
        "clients.yaml: 9 problems with the client profiles\n"
        "  defaults: unknown top-level key\n"
        "  bad id!: ids use letters, digits, '-', '_' and '.' (at most 64)\n"
        "  x: unknown key 'grup' (did you mean 'group'?)\n"
        "  x: group: 'D' is not a client group; expected A, B or C\n"
        "  x: language: 'fr' expected one of: de, de_DE, de_AT, de_CH, en, en_GB, en_US\n"
        "  x: formality: 'casual' expected formal or informal\n"
        "  x: region: 'Bavaria' expected a code such as BY or DE-BY\n"
        "  x: recipient.nmae: unknown key\n"
        "  x: email: 'a@@b' expected an email address such as name@example.com"
    )


def test_missing_default_file_says_where_it_looked(tmp_path):
    with pytest.raises(ProfilesError) as failure:
        load_profiles()
    assert str(failure.value) == (
        f"{tmp_path / 'config' / 'clients.yaml'}: client profiles file not found; "
        "create it or pass --clients FILE"
    )


def test_profiles_file_is_read_safely(tmp_path):
    path = tmp_path / "clients.yaml"
    path.write_text("clients:\n  a: &x {group: A}\n  b: *x\n", encoding="utf-8")
    with pytest.raises(ProfilesError, match="aliases"):
        load_profiles(path)


# --- groups --------------------------------------------------------------------------------------


def test_group_traits():
    assert client_context() == {
        "id": None,
        "name": None,
        "group": None,
        "region": None,
        "tone": None,
        "concessions": True,
        "proactive": False,
        "written_only": False,
    }
    assert client_context({"group": "a"})["tone"] == "warm"
    assert client_context({"group": "A"})["proactive"] is True
    assert client_context({"group": "B"})["tone"] == "efficient"
    group_c = client_context({"group": "C", "id": "miller"})
    assert (group_c["concessions"], group_c["written_only"], group_c["tone"]) == (
        False,
        True,
        "firm",
    )
    assert set(GROUPS) == {"A", "B", "C"}


def test_split_client_fields():
    assert split_client_fields({"client": {"id": "x", "group": "B"}, "a": 1}) == (
        {"a": 1},
        "x",
        "B",
    )
    assert split_client_fields({"client": "", "a": 1}) == ({"a": 1}, None, None)


def test_templates_see_the_group(tmp_path):
    build_tree(tmp_path / "pack", GROUP_PACK)
    catalog = catalog_with_packs(["pack"], user_packs=False)
    params = {
        "recipient.last_name": "Weber",
        "recipient.gender": "male",
        "sender.name": "A",
        "topic": "Termin",
    }

    def body(client):
        return phrasebook.render(
            "group-note", "de", params, today=TODAY, catalog=catalog, client=client
        ).body

    assert "Gruppe keine, Ton neutral.\nAls Ausweichtermin biete ich den Freitag an." in body(None)
    assert "Gruppe A, Ton warm.\nAls Ausweichtermin biete ich den Freitag an." in body(
        {"group": "A"}
    )
    assert "Gruppe C, Ton firm.\n\nMit freundlichen" in body({"group": "C"})


# --- render --client -------------------------------------------------------------------------------


def test_render_with_client_layers_profile_params_and_set(runner, tmp_path, clients_file):
    (tmp_path / "params.yaml").write_text(
        "deliverable: das Konzept\ndeadline: 2026-12-02\nrecipient:\n  title: Prof.\n",
        encoding="utf-8",
    )
    base = [
        "render",
        "deadline-offer",
        "--client",
        "mueller",
        "--clients",
        "clients.yaml",
        *TODAY_ARG,
    ]
    from_params = runner.invoke(cli, [*base, "--params", "params.yaml"])
    assert from_params.exit_code == 0, from_params.stderr
    assert "Sehr geehrte Frau Professorin Müller," in from_params.stdout
    assert from_params.stdout.endswith("Mit freundlichen Grüßen\nAnna Schäfer\n")
    from_set = runner.invoke(cli, [*base, "--params", "params.yaml", "--set", "recipient.title="])
    assert "Sehr geehrte Frau Müller," in from_set.stdout
    from_profile = runner.invoke(
        cli,
        [
            *base,
            "--set",
            "deliverable=das Konzept",
            "--set",
            "deadline=2026-12-02",
            "--format",
            "eml",
        ],
    )
    assert from_profile.exit_code == 0, from_profile.stderr
    assert (
        "To: =?utf-8?q?Dr=2E?= Katrin =?utf-8?q?M=C3=BCller?= <k.mueller@example.de>\n" in from_profile.stdout
    )


def test_render_client_language_is_used_without_lang(runner, clients_file):
    result = runner.invoke(
        cli,
        [
            "render",
            "deadline-offer",
            "-c",
            "miller",
            "--clients",
            "clients.yaml",
            *TODAY_ARG,
            "--set",
            "deliverable=the concept",
            "--set",
            "deadline=2026-12-02",
            "--set",
            "sender.name=Anna",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Subject: ")
    assert "Dear Mr Miller," in result.stdout


def test_rehearse_client_language_is_used_without_lang(runner, clients_file):
    result = runner.invoke(
        cli,
        ["rehearse", "deadline-offer", "-c", "miller", "--clients", "clients.yaml", *TODAY_ARG,
         "--set", "deliverable=the concept", "--set", "deadline=2026-12-02",
         "--set", "sender.name=Anna", "--print"],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Phone call: delivery date for the concept\n\nCall with Mr Miller.")


def test_render_without_lang_or_client(runner):
    result = runner.invoke(cli, ["render", "deadline-offer", *TODAY_ARG])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Missing option '--lang'. Give --lang de or --lang en, or set a language once with 'phrasebook init'.\n"
    )


def test_unknown_client(runner, clients_file):
    result = runner.invoke(
        cli, ["render", "deadline-offer", "-c", "muller", "--clients", "clients.yaml", "-l", "de"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: unknown client 'muller' (did you mean 'mueller'?) in clients.yaml; "
        "known: miller, mueller, weber\n"
    )


def test_set_client_group_without_profiles(runner, tmp_path):
    build_tree(tmp_path / "pack", GROUP_PACK)
    result = runner.invoke(
        cli,
        [
            "--pack",
            "pack",
            "render",
            "group-note",
            "-l",
            "de",
            "--set",
            "client.group=c",
            "--set",
            "recipient.last_name=Weber",
            "--set",
            "recipient.gender=male",
            "--set",
            "sender.name=A",
            "--set",
            "topic=T",
            *TODAY_ARG,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Gruppe C, Ton firm." in result.stdout
    assert "Ausweichtermin" not in result.stdout


# --- batch with a client column ------------------------------------------------------------------------


def test_batch_rows_name_clients(runner, tmp_path, clients_file):
    build_tree(tmp_path / "pack", GROUP_PACK)
    write_csv(
        tmp_path / "rows.csv",
        [
            ["mueller", "", "Frist"],
            ["miller", "", "Deadline"],
            ["weber", "A", "Termin"],
            ["nobody", "", "x"],
        ],
        columns=["client", "client.group", "topic"],
    )
    result = runner.invoke(
        cli,
        [
            "batch",
            "group-note",
            "rows.csv",
            "-o",
            "out",
            "--clients",
            "clients.yaml",
            "--pack",
            "pack",
            "--set",
            "sender.name=Anna",
            "--format",
            "text",
            *TODAY_ARG,
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "rows.csv:4: no language for this row: give --lang, or a language in the client's profile\n"
        "rows.csv:5: unknown client 'nobody' in clients.yaml; known: miller, mueller, weber\n"
        "2 written, 2 failed, 0 skipped (4 rows); report: out/report.csv and out/report.json\n"
        "Error: 2 rows failed\n"
    )
    out = tmp_path / "out"
    assert "Gruppe A, Ton warm." in (out / "mueller-katrin.txt").read_text("utf-8")
    assert (out / "miller-james.txt").read_text("utf-8").startswith("Subject: Deadline")
    assert "Group C." in (out / "miller-james.txt").read_text("utf-8")
    with_lang = runner.invoke(
        cli,
        [
            "batch",
            "group-note",
            "rows.csv",
            "-o",
            "out2",
            "--clients",
            "clients.yaml",
            "-l",
            "de",
            "--pack",
            "pack",
            "--set",
            "sender.name=Anna",
            "--format",
            "text",
            *TODAY_ARG,
        ],
    )
    assert with_lang.exit_code == 1
    weber = (tmp_path / "out2" / "weber-jan.txt").read_text("utf-8")
    assert "Gruppe A, Ton warm." in weber
    assert "Gruppe C, Ton firm.\n\nMit" in (tmp_path / "out2" / "miller-james.txt").read_text(
        "utf-8"
    )


def test_batch_without_lang_needs_a_language_per_row(runner, tmp_path, clients_file):
    build_tree(tmp_path / "pack", GROUP_PACK)
    write_csv(tmp_path / "rows.csv", [["weber", "Termin"]], columns=["client", "topic"])
    result = runner.invoke(
        cli,
        [
            "batch",
            "group-note",
            "rows.csv",
            "-o",
            "out",
            "--clients",
            "clients.yaml",
            "--pack",
            "pack",
            "--set",
            "sender.name=Anna",
            *TODAY_ARG,
        ],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "rows.csv:2: no language for this row: give --lang, or a language in the client's profile\n"
    )


# --- prompting -------------------------------------------------------------------------------------


def test_missing_values_are_asked_for_on_a_terminal(runner, monkeypatch):
    monkeypatch.setattr(cli_module.session, "interactive", lambda: True)
    result = runner.invoke(
        cli,
        [
            "render",
            "deadline-offer",
            "-l",
            "de",
            *TODAY_ARG,
            "--set",
            "recipient.gender=female",
            "--set",
            "sender.name=Anna",
        ],
        input="das Konzept\nMüller\n02.13.2026\n2026-12-02\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "Sie erhalten das Konzept spätestens am Mittwoch, 2. Dezember 2026." in result.stdout
    assert "Sehr geehrte Frau Müller," in result.stdout
    assert "deliverable (What the client will receive" in result.stderr
    assert "Error: is not a calendar date" in result.stderr


def test_no_prompt_without_a_terminal(runner):
    result = runner.invoke(cli, ["render", "deadline-offer", "-l", "de", *TODAY_ARG], input="x\n")
    assert result.exit_code == 2
    assert "deadline or effort_days: missing; give one of them" in result.stderr


def test_a_profile_default_that_needs_a_partner_applies_only_with_it(tmp_path, runner):
    clients = tmp_path / "vat-clients.yaml"
    clients.write_text(
        "clients:\n  mueller:\n    language: de\n"
        "    recipient: {last_name: Müller, gender: female}\n"
        "    params:\n      sender: {name: Anna Schäfer}\n      vat: plus\n",
        encoding="utf-8",
    )
    base = ["render", "scope-decline", "--client", "mueller", "--clients", str(clients),
            "--today", "2026-11-24", "--set", "request=eine englische Version",
            "--set", "agreed_scope=die Startseite"]
    with_fee = runner.invoke(cli, [*base, "--set", "extra_price=1.500"])
    assert with_fee.exit_code == 0, with_fee.output
    assert "1.500,00\xa0€ zuzüglich Umsatzsteuer" in with_fee.stdout
    without_fee = runner.invoke(cli, [*base, "--set", "extra_days=3"])
    assert without_fee.exit_code == 0, without_fee.output
    assert "Umsatzsteuer" not in without_fee.stdout
    typed = runner.invoke(cli, [*base, "--set", "extra_days=3", "--set", "vat=plus"])
    assert typed.exit_code == 2
    assert "vat: only used together with extra_price" in typed.stderr
