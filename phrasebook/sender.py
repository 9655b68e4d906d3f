"""Your own details, given once: the sender profile ``me.yaml``.

``phrasebook init`` writes it into the configuration directory (see
:func:`phrasebook.paths.sender_file`); every command then uses it below everything given
for one text (the shipped example's stand-in sender, a client profile, ``--params``,
``--set``)::

    name: Anna Schäfer
    company: Schäfer Kommunikation
    email: anna@schaefer-kommunikation.example
    phone: +49 351 4567890
    region: DE-SN              # public holidays where you work (BY means DE-BY)
    closures:                  # your own days off: dates or periods
      - 2026-12-24..2027-01-01
    catholic: false            # also the holidays of Catholic-majority municipalities
    language: de               # the language when --lang is not given
    formality: formal          # formal (Sie) or informal (du) by default
    log: always                # record every text's promises (--log), see 'phrasebook promises'

Every key is optional. Each becomes the parameter of the same meaning in the scenarios
that have it: ``sender.name``, ``sender.company``, ``sender.email``, ``phone``,
``region``, ``closures``, ``catholic``, ``formality``.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InvalidInput, PlanningError, did_you_mean
from .messages import _, ngettext

#: The keys of ``me.yaml`` and the parameter each one fills.
PARAMETERS: Mapping[str, str] = {
    "name": "sender.name",
    "company": "sender.company",
    "email": "sender.email",
    "phone": "phone",
    "region": "region",
    "closures": "closures",
    "catholic": "catholic",
    "formality": "formality",
}
KEYS = ("name", "company", "email", "phone", "region", "closures", "catholic", "language", "formality", "log")

#: The parameters a shipped example fills only as a stand-in for the person writing:
#: with a sender profile, the profile's values take their place.
STAND_IN = ("sender.name", "sender.company", "sender.email", "phone")


class SenderError(InvalidInput):
    """The sender profile cannot be read or holds values that cannot be used."""


class Sender(NamedTuple):
    """The sender profile.

    Attributes:
        source: the file it was read from.
        values: parameter values by parameter name (``sender.name`` …), checked.
        language: the default output language (``de``, ``en``, ``en_US`` …), or None.
        log: whether every render, batch and plan records its promises (``log: always``).
    """

    source: str
    values: Mapping[str, Any]
    language: str | None = None
    log: bool = False

    def params(self, known: AbstractSet[str] | None = None) -> dict[str, Any]:
        """The parameter values, only those of ``known`` names when given."""
        if known is None:
            return dict(self.values)
        return {name: value for name, value in self.values.items() if name in known}

    def setting(self, key: str) -> Any:
        """The value of one key of the file (``region``, ``closures`` …), or None."""
        return self.values.get(PARAMETERS.get(key, key))


def load_sender(path: str | Path | None = None) -> Sender | None:
    """Read the sender profile; None when there is none.

    ``path`` None means the default place; a file named explicitly must exist.

    Raises:
        SenderError: the file cannot be read, or lists every problem in it.
    """
    from .errors import ParamsFileError
    from .inputs import read_params_file
    from .paths import sender_file

    source = Path(path) if path is not None else sender_file()
    if path is None and not source.is_file():
        return None
    try:
        data = read_params_file(source)
    except ParamsFileError as exc:
        raise SenderError(str(exc)) from None
    return parse_sender(data, str(source))


def parse_sender(data: Mapping[str, Any], source: str = "me.yaml") -> Sender:
    """Check the values read from a sender profile.

    Raises:
        SenderError: listing every problem, each naming its key.
    """
    problems: list[str] = []
    for key in sorted(set(data) - set(KEYS), key=str):
        problems.append(_("{key}: unknown key{hint}").format(key=key, hint=did_you_mean(str(key), KEYS)))
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in PARAMETERS or value is None or value == "":
            continue
        try:
            values[PARAMETERS[key]] = check_value(key, value)
        except ValueError as exc:
            problems.append(f"{key}: {exc}")
    language = None
    if data.get("language") not in (None, ""):
        from .l10n import resolve_language

        language = str(data["language"]).strip()
        try:
            resolve_language(language)
        except InvalidInput as exc:
            problems.append(f"language: {exc}")
    log = str(data.get("log") or "never").strip()
    if log not in ("always", "never"):
        problems.append("log: " + _("{value!r} expected always or never{hint}").format(
            value=data.get("log"), hint=did_you_mean(log, ["always", "never"])))
    if problems:
        head = ngettext(
            "{source}: {count} problem with your sender profile",
            "{source}: {count} problems with your sender profile",
            len(problems),
        ).format(source=source, count=len(problems))
        raise SenderError(head + "".join(f"\n  {problem}" for problem in problems))
    return Sender(source, values, language, log == "always")


def check_value(key: str, value: Any) -> Any:
    """``value`` of ``key`` as the scenarios expect it.

    Raises:
        ValueError: what is wrong with it.
    """
    from .l10n import resolve_language
    from .paramtypes import TYPES, Invalid, Param

    english = resolve_language("en")
    if key in ("name", "company", "phone"):
        if isinstance(value, (Mapping, list, bool)):
            raise ValueError(_("{value!r} expected text").format(value=value))
        return TYPES["str"](value, Param(key, "str", {}), english)
    if key == "email":
        try:
            return TYPES["email"](value, Param(key, "email", {}), english)
        except Invalid as exc:
            raise ValueError(f"{value!r} {exc}") from None
    if key == "region":
        from .workdays import parse_region

        try:
            return parse_region(str(value)).code
        except PlanningError as exc:
            raise ValueError(exc.problems[0].partition(": ")[2]) from None
    if key == "closures":
        from .planning import parse_closures

        items = value if isinstance(value, list) else [value]
        try:
            parse_closures(items)
        except PlanningError as exc:
            raise ValueError("; ".join(p.partition(": ")[2] for p in exc.problems)) from None
        return items
    if key == "catholic":
        try:
            return TYPES["bool"](value, Param(key, "bool", {}), english)
        except Invalid as exc:
            raise ValueError(f"{value!r} {exc}") from None
    formality = str(value).strip()
    if formality not in ("formal", "informal"):
        hint = did_you_mean(formality, ["formal", "informal"])
        raise ValueError(_("{value!r} expected formal or informal{hint}").format(value=value, hint=hint))
    return formality


def sender_yaml(answers: Mapping[str, Any]) -> str:
    """The text of a ``me.yaml`` holding ``answers`` (keys of :data:`KEYS`), with comments."""
    import yaml

    comments = {
        "region": _("public holidays where you work (BY means DE-BY)"),
        "closures": _("your own days off: dates or periods such as 2026-12-24..2027-01-01"),
        "language": _("the language when --lang is not given"),
        "formality": _("formal (Sie) or informal (du) by default"),
    }
    lines = [
        "# " + _("Your own details: phrasebook uses them in every text, below everything you give"),
        "# " + _("for one text (client profile, --params, --set). Edit freely; 'phrasebook config' shows it."),
    ]
    for key in KEYS:
        value = answers.get(key)
        if value is None or value == "" or value == []:
            continue
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False, sort_keys=False)
        text = dumped.rstrip("\n")
        if key in comments and "\n" not in text:
            text = f"{text}  # {comments[key]}"
        elif key in comments:
            text = f"# {comments[key]}\n{text}"
        lines.append(text)
    return "\n".join(lines) + "\n"


def example_for(text: str, sender: Sender | None) -> str:
    """A shipped example's text as a parameters file to start from.

    With a sender profile that names you, the example's stand-in sender (the ``sender:``
    block and ``phone:``) is left out, so that your own details apply; without one, a
    comment says how to replace it.
    """
    mine = sender is not None and any(name in sender.values for name in STAND_IN)
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    inside = False
    for line in lines:
        key = line.split(":", 1)[0] if line[:1].isalpha() else None
        if key is not None:
            inside = key == "sender"
            if key in ("sender", "phone") and mine:
                if key == "sender":
                    note = _("sender: your own details come from your sender profile ('phrasebook config')")
                    kept.append(f"# {note}\n")
                continue
            if key == "sender" and not mine:
                note = _("sender: replace with your own details, or give them once with 'phrasebook init'")
                kept.append(f"# {note}\n")
        elif inside and mine and line.startswith((" ", "\t")):
            continue
        kept.append(line)
    return "".join(kept)
