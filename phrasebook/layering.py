"""How parameter values are layered: one place for every command.

``render``, ``rehearse`` and ``batch`` take values from several places. They are
layered here, lowest first; a higher layer wins per parameter:

0. your sender profile (``me.yaml``, see :mod:`phrasebook.sender`),
1. the shipped example (``--example``); its stand-in sender (Anna Schäfer) gives way
   to your own details when your profile has them,
2. what the message a text answers says (``--reply-to``: the sender's name and address,
   the register),
3. the client profile (``--client ID``, or a ``client`` value in any higher layer),
4. parameter files (``--params``, in the order given),
5. the batch row,
6. ``--set NAME=VALUE``.

Alternatives (a scenario's ``one_of`` group, such as ``deadline`` or ``effort_days``)
are layered as one: the alternative given in a higher layer replaces the others given
below it. So is the recipient: a layer that names one (last name, first name or
organisation) replaces every ``recipient.*`` value below it.

Values from your sender profile, the example, the message answered and the client profile
are *defaults*: an ``only_with`` value whose
partner is missing (a profile's ``vat: plus`` in a letter without an amount) is
dropped rather than reported. In a batch, the ``--params`` files are shared defaults
too. Everything else the user gave for this text is checked by the scenario.

``client`` and ``client.group`` are not parameters: they name the client profile and
override its group, and reach templates as ``client`` (see
:func:`phrasebook.profiles.client_context`).

Which required values are still absent is answered by :meth:`Scenario.missing
<phrasebook.spec.Scenario.missing>`, for validation, prompts and batch headers alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import InvalidInput
from .messages import _
from .paramnames import flatten
from .paramtypes import is_empty
from .spec import Scenario

if TYPE_CHECKING:
    from .catalog import ScenarioSource
    from .l10n import Language
    from .profiles import ClientProfile, Profiles
    from .reply import Incoming
    from .sender import Sender

#: The keys that name a client profile and its group rather than a parameter.
CLIENT_KEYS = ("client", "client.group")
#: Layers below the client profile: your sender profile, the shipped example, and what the
#: message a text answers says about its sender (``--reply-to``).
_BELOW_PROFILES = ("me", "example", "reply")


class Layer(NamedTuple):
    """Values from one place.

    Attributes:
        origin: where they come from: ``example``, ``client``, ``params``, ``row`` or ``set``.
        values: the values by dotted or nested name, as read.
        defaults: whether they are defaults (see the module docstring) rather than given.
    """

    origin: str
    values: Mapping[str, Any]
    defaults: bool = False


class Layered(NamedTuple):
    """The values for one text.

    Attributes:
        values: raw values by dotted name, ready for :meth:`Scenario.validate`.
        client: the client's id, name, group and region for templates, or None.
        profile: the client profile that was used, if any.
        language: the language the client profile, else the sender profile, asks for.
    """

    values: dict[str, Any]
    client: dict[str, Any] | None
    profile: ClientProfile | None
    language: str | None = None


def split_client_keys(values: Mapping[str, Any]) -> tuple[dict[str, Any], str | None, str | None]:
    """Take ``client`` (an id) and ``client.group`` out of flat values.

    Returns the remaining values, the client id and the group (each None when absent).

    >>> split_client_keys({"client": "mueller", "client.group": "a", "deadline": "x"})
    ({'deadline': 'x'}, 'mueller', 'a')
    """
    rest = dict(values)
    client_id = rest.pop("client", None)
    group = rest.pop("client.group", None)
    if isinstance(client_id, Mapping):  # client: {id: …, group: …}
        nested = client_id
        client_id = nested.get("id")
        group = group if group is not None else nested.get("group")
    client_id = str(client_id).strip() if not is_empty(client_id) else None
    group = str(group).strip() if not is_empty(group) else None
    return rest, client_id, group


class _Flat(NamedTuple):
    origin: str
    values: dict[str, Any]
    defaults: bool
    client: str | None
    group: str | None


class Layering:
    """The layers of one command, prepared once; :meth:`resolve` adds a row (batch) or none.

    Args:
        spec: the scenario the values are for.
        layers: the layers below and above the row, lowest first; a layer with origin
            ``set`` goes above the row, every other one below it.
        client: the client id given as an option (``--client``), if any.
        profiles: the client profiles, or a function that loads them when a client is
            named (so that ``render`` without a client never reads the profiles file).
        sender: your sender profile, the lowest layer.
    """

    def __init__(
        self,
        spec: Scenario,
        layers: Sequence[Layer] = (),
        *,
        client: str | None = None,
        profiles: Profiles | Callable[[], Profiles] | None = None,
        sender: Sender | None = None,
    ) -> None:
        self.spec = spec
        self._known = frozenset(p.name for p in spec.params)
        self._alternatives = _alternatives(spec)
        self._sender = sender
        prepared = [self._flatten(layer) for layer in layers]
        if sender is not None:
            from .sender import STAND_IN

            mine = sender.params(self._known)
            if any(name in sender.values for name in STAND_IN):
                prepared = [
                    f._replace(values={k: v for k, v in f.values.items() if k not in STAND_IN})
                    if f.origin == "example" else f
                    for f in prepared
                ]
            prepared.insert(0, _Flat("me", mine, True, None, None))
        self._below = [f for f in prepared if f.origin != "set"]
        self._above = [f for f in prepared if f.origin == "set"]
        self._option_client = client.strip() if client and client.strip() else None
        self._profiles = profiles
        self._loaded: Profiles | None = None

    def _update(self, values: dict[str, Any], layer: Mapping[str, Any]) -> None:
        """Lay ``layer`` over ``values``: per parameter, and per group of alternatives.

        A ``one_of`` alternative given here replaces the others given below it (a
        ``deadline`` set over an example that plans from ``effort_days``); both given in
        one layer stay, and validation reports them. A layer that names a recipient
        (``recipient.last_name``, ``first_name`` or ``organisation``) replaces the whole
        recipient below it: a batch row's Herr Weber never inherits the title, first name
        or address of the example's Dr. Katrin Müller.
        """
        if not values or not layer:  # nothing below to replace (a batch row over no defaults)
            values.update(layer)
            return
        for name in layer:
            for other in self._alternatives.get(name, ()):
                if other not in layer:
                    values.pop(other, None)
        if any(name in layer for name in _PERSON):
            for name in [n for n in values if n.startswith("recipient.") and n not in layer]:
                del values[name]
        values.update(layer)

    def _flatten(self, layer: Layer) -> _Flat:
        values, client_id, group = split_client_keys(flatten(layer.values, self._known))
        return _Flat(layer.origin, values, layer.defaults, client_id, group)

    def profiles(self) -> Profiles | None:
        """The client profiles (loaded on first use), or None when there are none."""
        if self._loaded is None and self._profiles is not None:
            source = self._profiles
            self._loaded = source() if callable(source) else source
        return self._loaded

    def profile(self, client_id: str, origin: str = "client") -> ClientProfile:
        """Return the profile ``client_id``; say clearly when no profiles are loaded."""
        profiles = self.profiles()
        if profiles is None:
            if origin == "row":
                raise InvalidInput(
                    _(
                        "the row names client {client!r} but no client profiles are loaded; "
                        "use --clients FILE"
                    ).format(client=client_id)
                )
            raise InvalidInput(
                _("client {client!r} given but no client profiles are loaded").format(
                    client=client_id
                )
            )
        return profiles.get_profile(client_id)

    def values_of(self, origin: str) -> dict[str, Any]:
        """The values of the layers from ``origin`` (``params``, ``set`` …), merged, by dotted name."""
        merged: dict[str, Any] = {}
        for flat in [*self._below, *self._above]:
            if flat.origin == origin:
                self._update(merged, flat.values)
        return merged

    def check_client_group(self) -> str | None:
        """Check the client group given outside any row; return the client named there.

        Raises:
            InvalidInput: the group is not A, B or C.
        """
        client_id, group = self._option_client, None
        for flat in [*self._below, *self._above]:
            client_id = flat.client or client_id
            group = flat.group or group
        _client(None, group)
        return client_id

    def resolve(self, row: Mapping[str, Any] | None = None) -> Layered:
        """Layer the prepared values with ``row`` (the values of one batch row, or None).

        Raises:
            InvalidInput: an unknown client, a client named without profiles, or a client
                group that is not A, B or C.
            ParamsFileError: a row names a parameter twice (dotted and nested).
        """
        flats = [*self._below]
        if row is not None:
            flats.append(self._flatten(Layer("row", row)))
        flats.extend(self._above)
        client_id, origin = self._option_client, "client"
        group = None
        for flat in flats:
            if flat.client:
                client_id, origin = flat.client, flat.origin
            if flat.group:
                group = flat.group
        profile = self.profile(client_id, origin) if client_id else None
        values: dict[str, Any] = {}
        keep: list[str] = []
        pending = profile
        for flat in flats:
            if pending is not None and flat.origin not in _BELOW_PROFILES:
                self._update(values, pending.params(self._known))
                pending = None
            self._update(values, flat.values)
            if not flat.defaults:
                keep.extend(flat.values)
        if pending is not None:
            self._update(values, pending.params(self._known))
        values = self.spec.without_unpaired(values, keep=keep)
        language = (profile.language if profile else None) or (self._sender.language if self._sender else None)
        return Layered(values, _client(profile, group), profile, language)


#: The values that name a recipient: a layer with one of them brings a whole new recipient.
_PERSON = ("recipient.last_name", "recipient.first_name", "recipient.organisation")


def _alternatives(spec: Scenario) -> dict[str, tuple[str, ...]]:
    """For each parameter of a ``one_of`` group, the others of its group."""
    found: dict[str, tuple[str, ...]] = {}
    for group in spec.one_of:
        for name in group:
            found[name] = tuple(other for other in group if other != name)
    return found


def _client(profile: ClientProfile | None, group: str | None) -> dict[str, Any] | None:
    """The ``client`` mapping for templates: the profile's, with the group given on top."""
    if group:
        from .profiles import normalize_group

        try:
            group = normalize_group(group)
        except ValueError as exc:
            raise InvalidInput(f"client.group: {exc}") from None
    if profile is None and not group:
        return None
    if profile is None:
        return {"id": None, "name": None, "group": group, "region": None}
    return {
        "id": profile.id,
        "name": profile.name,
        "group": group or profile.group,
        "region": profile.region,
    }


def example_layer(path: Path | None, scenario: str, lang: str) -> Layer:
    """The shipped example as the lowest layer.

    Raises:
        InvalidInput: the scenario has no example in this language.
    """
    from .inputs import read_params_file

    if path is None:
        raise InvalidInput(
            _("{scenario} has no example for {language}").format(scenario=scenario, language=lang)
        )
    return Layer("example", read_params_file(path), defaults=True)


def file_layers(paths: Iterable[str | Path], *, defaults: bool = False) -> list[Layer]:
    """One layer per parameters file, in the order given."""
    from .inputs import read_params_file

    return [Layer("params", read_params_file(path), defaults=defaults) for path in paths]


def set_layer(assignments: Iterable[str], spec: Scenario) -> Layer:
    """``--set NAME=VALUE`` as the top layer (list parameters collect repeated items)."""
    from .inputs import parse_assignments

    lists = [p.name for p in spec.params if p.type == "list"]
    records = [p.name for p in spec.params if p.type == "list" and p.fields]
    return Layer("set", parse_assignments(assignments, lists, records))


def layer_inputs(
    spec: Scenario,
    catalog: ScenarioSource,
    *,
    lang: str | None,
    example: bool = False,
    files: Sequence[str | Path] = (),
    assignments: Sequence[str] = (),
    client: str | None = None,
    clients: str | Path | None = None,
    reply: Incoming | None = None,
    sender: Sender | None = None,
) -> tuple[Language, Layered]:
    """Gather the values for one text from what a user gives on the command line.

    Args:
        spec: the scenario.
        catalog: where the shipped example is found.
        lang: the output language; without it, the client profile's language.
        example: start from the shipped example of the language.
        files: parameter files, lowest first.
        assignments: ``NAME=VALUE`` strings (``--set``).
        client: the client profile to fill values from (``--client``).
        clients: the profiles file (default: ``clients.yaml`` in the config directory).
        reply: the message the text answers (``--reply-to``): its sender's name and address
            and its register are defaults, and its language when none is chosen.
        sender: your sender profile: the lowest layer, and the language when nothing
            else chooses one.

    Returns:
        The language and the layered values.

    Raises:
        InvalidInput: no language, an unknown language, client or profiles file, no
            example for the language, an unreadable parameters file.
    """
    from .l10n import resolve_language
    from .profiles import load_profiles

    def profiles() -> Profiles:
        return load_profiles(clients)

    loaded = profiles() if client else None
    profile = loaded.get_profile(client) if loaded is not None and client else None
    code = (
        lang or (profile.language if profile else None) or (reply.language if reply else None)
        or (sender.language if sender else None)
    )
    if not code:
        raise InvalidInput(
            _("Missing option '--lang'. Give --lang de or --lang en, or set a language once with 'phrasebook init'.")
        )
    language = resolve_language(code)
    layers: list[Layer] = []
    if example:
        layers.append(example_layer(catalog.example_path(spec.name, language.locale), spec.name, language.code))
    if reply is not None:
        from .reply import recipient_defaults

        answered = recipient_defaults(reply)
        if reply.register and language.code == "de":
            answered["formality"] = reply.register
        layers.append(Layer("reply", answered, defaults=True))
    layers.extend(file_layers(files))
    layers.append(set_layer(assignments, spec))
    layering = Layering(
        spec, layers, client=client, profiles=loaded if loaded is not None else profiles, sender=sender
    )
    return language, layering.resolve()
