"""``phrasebook init`` (your own details, once) and ``phrasebook config`` (what is in effect)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from ..messages import N_, _
from . import session
from .boundary import command

#: What ``init`` asks, in order: key, prompt.
_QUESTIONS = (
    ("name", N_("Your name")),
    ("company", N_("Company (empty for none)")),
    ("email", N_("Your email address")),
    ("phone", N_("Phone number (empty for none)")),
    ("region", N_("Region for public holidays (DE, BY or DE-BY, AT, CH-ZH ...)")),
    ("language", N_("Language of your texts (de, de_AT, de_CH, en, en_US)")),
    ("formality", N_("Default register: formal (Sie) or informal (du)")),
)


class _Answer(click.ParamType):  # type: ignore[type-arg]
    """An answer for one key of the sender profile, checked as the profile is."""

    name = "text"

    def __init__(self, key: str) -> None:
        self.key = key

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from ..errors import InvalidInput
        from ..sender import check_value

        text = str(value).strip()
        if not text:
            return ""
        try:
            if self.key == "language":
                from ..l10n import resolve_language

                resolve_language(text)
                return text
            return check_value(self.key, text)
        except (ValueError, InvalidInput) as exc:
            self.fail(str(exc), param, ctx)


@command("init")
@click.option("--name", default=None, help="Your name, as it stands under your texts.")
@click.option("--company", default=None, help="Your company, if any.")
@click.option("--email", default=None, help="Your email address (the From: of .eml drafts).")
@click.option("--phone", default=None, help="Your phone number (callback promises).")
@click.option(
    "--region", default=None, metavar="CODE", help="Public holidays where you work: DE, BY or DE-BY, AT, CH-ZH ..."
)
@click.option("--closed", "closures", multiple=True, metavar="DATE|FIRST..LAST",
              help="Your own days off; repeat for more.")
@click.option("--lang", "language", default=None, metavar="LANG", help="The language when --lang is not given.")
@click.option("--formality", default=None, type=click.Choice(["formal", "informal"]),
              help="The register when none is given: formal (Sie) or informal (du).")
@click.option("--force", is_flag=True, help="Replace an existing sender profile.")
def init_command(
    name: str | None,
    company: str | None,
    email: str | None,
    phone: str | None,
    region: str | None,
    closures: Sequence[str],
    language: str | None,
    formality: str | None,
    force: bool,
) -> None:
    """Write your sender profile (me.yaml): your name, company, email, phone, region,
    days off, language and register, used by every command from then on.

    Asks for what the options do not give when run at a terminal; otherwise writes
    exactly what the options give.
    """
    from ..errors import OutputExists
    from ..output import write_atomic
    from ..paths import sender_file
    from ..sender import PARAMETERS, load_sender, parse_sender, sender_yaml

    path = sender_file()
    if path.exists() and not force:
        raise OutputExists(str(path))
    given: dict[str, Any] = {
        "name": name, "company": company, "email": email, "phone": phone, "region": region,
        "language": language, "formality": formality, "closures": list(closures) or None,
    }
    if session.interactive():
        old = load_sender() if path.exists() else None
        for key, question in _QUESTIONS:
            if given.get(key) is None:
                default = (old.language if key == "language" else old.values.get(PARAMETERS[key])) if old else None
                given[key] = click.prompt(
                    _(question), default=default or "", show_default=bool(default), type=_Answer(key), err=True,
                )
    answers = {key: value for key, value in given.items() if value not in (None, "", [])}
    checked = parse_sender(answers, str(path))  # every problem at once, before anything is written
    answers = {key: checked.setting(key) for key in answers if key != "language"} | (
        {"language": checked.language} if checked.language else {}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, sender_yaml(answers), force=force, private=True)
    click.echo(_("wrote {path}; every command uses it from now on ('phrasebook config' shows it)").format(path=path))


@command("config")
def config_command() -> None:
    """Show which of your files are in effect and where they are: the sender profile,
    client profiles, template packs, the promise ledger and the cache."""
    from ..configuration import report

    click.echo(report(), nl=False)
