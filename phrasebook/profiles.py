"""Client profiles: saved recipient details, language, register and an A/B/C group.

A profiles file (``--clients FILE``; by default ``clients.yaml`` in the user
config directory, see :func:`default_clients_path`) looks like this::

    clients:
      mueller:
        name: Müller Logistik GmbH      # optional label for lists and reports
        group: A                        # A, B or C (default B)
        language: de                    # de, de_AT, de_CH, en, en_GB or en_US
        formality: formal               # formal or informal
        email: k.mueller@example.de
        region: BY                      # for regional holidays
        recipient:
          title: Dr.
          first_name: Katrin
          last_name: Müller
          gender: female
        params:                         # any other parameter values for this client
          sender.name: Anna Schäfer

``--client mueller`` fills the parameters from the profile. Later layers win:
profile < parameters file < ``--set``.

The group decides how a text treats the client. It reaches every template as
``client`` (see :func:`client_context`):

* **A — key clients.** ``client.tone`` is ``"warm"``, ``client.proactive`` is true:
  texts may offer more than was asked (an interim update, a call).
* **B — potential.** ``client.tone`` is ``"efficient"``: friendly and to the point.
* **C — costly.** ``client.tone`` is ``"firm"``, ``client.written_only`` is true and
  ``client.concessions`` is **false**: no fallback dates, discounts or extras are
  offered; agreements are confirmed in writing.

Without a profile, ``client.group`` is None, ``client.concessions`` is true and
the other flags are false, so templates read exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InvalidInput, did_you_mean
from .messages import _, ngettext

#: What each client group implies for the wording (seed: A/B/C client groups).
GROUPS: Mapping[str, Mapping[str, Any]] = {
    "A": {"tone": "warm", "concessions": True, "proactive": True, "written_only": False},
    "B": {"tone": "efficient", "concessions": True, "proactive": False, "written_only": False},
    "C": {"tone": "firm", "concessions": False, "proactive": False, "written_only": True},
}

_NO_CLIENT: Mapping[str, Any] = {
    "id": None,
    "name": None,
    "group": None,
    "region": None,
    "tone": None,
    "concessions": True,
    "proactive": False,
    "written_only": False,
}

_PROFILE_KEYS = ("name", "group", "language", "formality", "email", "region", "recipient", "params")
_RECIPIENT_KEYS = ("title", "first_name", "last_name", "gender", "email")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_REGION = re.compile(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")


class ProfilesError(InvalidInput):
    """The client profiles file is missing, unreadable or invalid."""


class UnknownClient(InvalidInput):
    """The client id is not in the profiles file."""

    def __init__(self, client_id: str, known: Sequence[str], source: str) -> None:
        self.client_id = client_id
        hint = did_you_mean(client_id, known)
        listing = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        super().__init__(
            _("unknown client {client!r}{hint} in {source}; known: {known}").format(
                client=client_id, hint=hint, source=source, known=listing or _("none")
            )
        )


def normalize_group(value: Any) -> str:
    """Return ``A``, ``B`` or ``C`` for a group given in any case, or raise ValueError.

    >>> normalize_group(" c ")
    'C'
    """
    text = str(value).strip().upper()
    if text not in GROUPS:
        raise ValueError(
            _("{value!r} is not a client group; expected A, B or C").format(value=value)
        )
    return text


def client_context(client: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the plain-data ``client`` variable templates see.

    ``client`` may hold ``id``, ``name``, ``group`` and ``region``; the group's
    traits (``tone``, ``concessions``, ``proactive``, ``written_only``) are added.

    >>> client_context({"group": "C"})["concessions"]
    False
    >>> client_context()["group"] is None
    True
    """
    data = dict(_NO_CLIENT)
    if client:
        for key in ("id", "name", "region"):
            if client.get(key):
                data[key] = str(client[key])
        if client.get("group"):
            group = normalize_group(client["group"])
            data["group"] = group
            data.update(GROUPS[group])
    return data


class ClientProfile(NamedTuple):
    """One client's saved details.

    Attributes:
        id: the name used with ``--client`` and in a ``client`` column.
        group: ``A``, ``B`` or ``C``.
        language: the language code for texts to this client (``de``, ``en``, ``en_US``), if set.
        values: parameter values by dotted name (recipient, formality, email, params);
            None for none.
        name: an optional label.
        region: an optional ISO 3166-2 region for holidays, e.g. ``DE-BY`` (``BY`` in the file).
    """

    id: str
    group: str = "B"
    language: str | None = None
    values: Mapping[str, Any] | None = None
    name: str | None = None
    region: str | None = None

    def params(self, known: AbstractSet[str] | None = None) -> dict[str, Any]:
        """Return the profile's parameter values, only those in ``known`` when given.

        A scenario that declares a ``region`` parameter receives the profile's region.
        """
        values = dict(self.values or {})
        if self.region:
            values.setdefault("region", self.region)
        if known is None:
            return values
        return {k: v for k, v in values.items() if k in known}

    def context(self) -> dict[str, Any]:
        """Return the ``client`` template variable for this profile."""
        return client_context(
            {"id": self.id, "name": self.name, "group": self.group, "region": self.region}
        )


class Profiles(Mapping[str, ClientProfile]):
    """The profiles of one file, by client id."""

    def __init__(self, profiles: Mapping[str, ClientProfile], source: str) -> None:
        self._profiles = dict(profiles)
        self.source = source

    def __getitem__(self, client_id: str) -> ClientProfile:
        return self._profiles[client_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._profiles)

    def __len__(self) -> int:
        return len(self._profiles)

    def provided_names(self) -> frozenset[str]:
        """The parameters that at least one profile gives a value for."""
        return frozenset(name for profile in self._profiles.values() for name in profile.params())

    def get_profile(self, client_id: str) -> ClientProfile:
        """Return the profile ``client_id`` or raise :class:`UnknownClient` with a hint."""
        key = str(client_id).strip()
        if key not in self._profiles:
            raise UnknownClient(key, sorted(self._profiles), self.source)
        return self._profiles[key]


def default_clients_path() -> Path:
    """Return the default profiles file: ``clients.yaml`` in the config directory."""
    from .paths import clients_file

    return clients_file()


def load_profiles(path: str | Path | None = None) -> Profiles:
    """Read and check a profiles file (default: :func:`default_clients_path`).

    Raises:
        ProfilesError: listing every problem in the file, each naming the client and key.
    """
    from .errors import ParamsFileError
    from .inputs import read_params_file

    source = Path(path) if path is not None else default_clients_path()
    if not source.is_file():
        hint = "" if path is not None else _("; create it or pass --clients FILE")
        raise ProfilesError(
            f"{source}: " + _("client profiles file not found{hint}").format(hint=hint)
        )
    try:
        data = read_params_file(source)
    except ParamsFileError as exc:
        raise ProfilesError(str(exc)) from None
    return parse_profiles(data, str(source))


def parse_profiles(data: Mapping[str, Any], source: str = "<clients>") -> Profiles:
    """Check the structure read from a profiles file and build :class:`Profiles`."""
    problems: list[str] = []
    unknown = sorted(set(data) - {"clients"})
    for key in unknown:
        problems.append(
            f"{key}: " + _("unknown top-level key{hint}").format(hint=did_you_mean(key, ["clients"]))
        )
    clients = data.get("clients") or {}
    if not isinstance(clients, Mapping):
        problems.append("clients: " + _("expected a mapping of client ids to profiles"))
        clients = {}
    profiles: dict[str, ClientProfile] = {}
    for client_id, raw in clients.items():
        found: list[str] = []
        profile = _parse_profile(str(client_id), raw, found)
        problems.extend(f"{client_id}: {p}" for p in found)
        if profile is not None and not found:
            profiles[profile.id] = profile
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        head = ngettext(
            "{source}: {count} problem with the client profiles",
            "{source}: {count} problems with the client profiles",
            len(problems),
        ).format(source=source, count=len(problems))
        raise ProfilesError(f"{head}\n{lines}")
    return Profiles(profiles, source)


def _parse_profile(client_id: str, raw: Any, problems: list[str]) -> ClientProfile | None:
    from .l10n import LANGUAGES, resolve_language
    from .paramtypes import TYPES, Invalid, Param

    if not _CLIENT_ID.match(client_id):
        problems.append(_("ids use letters, digits, '-', '_' and '.' (at most 64)"))
    if not isinstance(raw, Mapping):
        problems.append(_("expected a mapping (group, language, recipient, ...)"))
        return None
    for key in sorted(set(raw) - set(_PROFILE_KEYS)):
        problems.append(
            _("unknown key {key!r}{hint}").format(key=key, hint=did_you_mean(key, _PROFILE_KEYS))
        )
    values: dict[str, Any] = {}
    english = resolve_language("en")
    group = "B"
    if raw.get("group") is not None:
        try:
            group = normalize_group(raw["group"])
        except ValueError as exc:
            problems.append(f"group: {exc}")
    language = None
    if raw.get("language"):
        try:
            language = resolve_language(str(raw["language"])).locale
            language = {"de_DE": "de", "en_GB": "en"}.get(language, language)
        except InvalidInput:
            problems.append(
                "language: "
                + _("{value!r} expected one of: {choices}").format(
                    value=raw["language"], choices=", ".join(LANGUAGES)
                )
            )
    if raw.get("formality") is not None:
        formality = str(raw["formality"]).strip()
        if formality not in ("formal", "informal"):
            hint = did_you_mean(formality, ["formal", "informal"])
            problems.append(
                "formality: "
                + _("{value!r} expected formal or informal{hint}").format(
                    value=formality, hint=hint
                )
            )
        values["formality"] = formality
    region = None
    if raw.get("region"):
        region = str(raw["region"]).strip().upper()
        if not _REGION.match(region):
            problems.append(
                "region: "
                + _("{value!r} expected a code such as BY or DE-BY").format(value=raw["region"])
            )
        elif "-" not in region and len(region) == 2 and region not in ("DE", "AT", "CH"):
            # A bare state code in a profile means a German state: BY is DE-BY.
            region = f"DE-{region}"
    recipient = raw.get("recipient") or {}
    if not isinstance(recipient, Mapping):
        problems.append("recipient: " + _("expected a mapping (first_name, last_name, ...)"))
        recipient = {}
    for key in sorted(set(recipient) - set(_RECIPIENT_KEYS)):
        problems.append(
            f"recipient.{key}: "
            + _("unknown key{hint}").format(hint=did_you_mean(key, _RECIPIENT_KEYS))
        )
    for key in _RECIPIENT_KEYS:
        if recipient.get(key) not in (None, ""):
            values[f"recipient.{key}"] = recipient[key]
    email = raw.get("email")
    if email not in (None, ""):
        try:
            values["recipient.email"] = TYPES["email"](email, Param("email", "email", {}), english)
        except Invalid as exc:
            problems.append(f"email: {email!r} {exc}")
    extra = raw.get("params") or {}
    if not isinstance(extra, Mapping):
        problems.append("params: " + _("expected a mapping of parameter names to values"))
        extra = {}
    for key, value in _flatten_plain(extra).items():
        values.setdefault(key, value)
    name = str(raw["name"]).strip() if raw.get("name") else None
    return ClientProfile(
        id=client_id, group=group, language=language, values=values, name=name, region=region
    )


def _flatten_plain(raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten_plain(value, f"{name}."))
        else:
            flat[name] = value
    return flat
