"""Dotted parameter names: flattening nested input, nesting values for templates.

Parameters have dotted names (``recipient.last_name``). Users may write them nested
(``recipient: {last_name: …}``), and a group of people may be given as a list or with
numbered names (``recipient2.last_name``); :func:`flatten` turns all of these into
dotted names, and :func:`nest` turns validated values back into nested mappings for
the templates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from .messages import _


def flat_already(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return ``flatten(raw, ...)`` when ``raw`` is a dict with plain string keys and no
    mapping values (then flattening changes nothing), else None."""
    if type(raw) is not dict:
        return None
    for key, value in raw.items():
        if key.__class__ is not str or (value.__class__ is not str and isinstance(value, Mapping)):
            return None
    return dict(raw)


def flatten(raw: Mapping[str, Any], known: AbstractSet[str]) -> dict[str, Any]:
    """Flatten nested mappings into dotted names, stopping at known parameter names.

    >>> flatten({"recipient": {"last_name": "Müller"}, "points": ["a"]}, {"recipient.last_name", "points"})
    {'recipient.last_name': 'Müller', 'points': ['a']}

    A group of people (a group with an ``others`` list, such as ``recipient``) may also
    be given as a list, or as numbered names (``recipient2.last_name``): the first
    person fills the group's own parameters, the others its ``others`` list.

    >>> known = {"recipient.last_name", "recipient.gender", "recipient.others"}
    >>> flatten({"recipient": [{"last_name": "Müller"}, {"last_name": "Weber"}]}, known)
    {'recipient.gender': None, 'recipient.last_name': 'Müller', 'recipient.others': [{'last_name': 'Weber'}]}
    >>> flatten({"recipient.last_name": "Müller", "recipient2.last_name": "Weber"}, known)
    {'recipient.last_name': 'Müller', 'recipient.others': [{'last_name': 'Weber'}]}
    """
    flat = _flatten(raw, known)
    for group in _people_groups(known):
        _expand_people(flat, group, known)
    return flat


@functools.lru_cache(maxsize=64)
def _groups_of(known: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(name.removesuffix(".others") for name in known if name.endswith(".others")))


def _people_groups(known: AbstractSet[str]) -> tuple[str, ...]:
    if isinstance(known, frozenset):
        return _groups_of(known)
    if not any(name.endswith(".others") for name in known):
        return ()
    return _groups_of(frozenset(known))


def _expand_people(flat: dict[str, Any], group: str, known: AbstractSet[str]) -> None:
    """Turn ``group: [person, …]`` and ``group2.field`` names into the group's parameters."""
    others = f"{group}.others"
    listed = flat.get(group)
    if isinstance(listed, list) and listed and all(isinstance(p, Mapping) for p in listed):
        del flat[group]
        first, *rest = listed
        fields = [name[len(group) + 1 :] for name in known if name.startswith(f"{group}.") and name != others]
        for field in sorted({*fields, *map(str, first)}):
            name = f"{group}.{field}"
            if name in flat:
                raise _given_twice(name)
            flat[name] = first.get(field)
        if rest:
            if others in flat:
                raise _given_twice(others)
            flat[others] = list(rest)
    numbered: dict[int, dict[str, Any]] = {}
    # only a digit after the group's name can start a numbered name (``recipient2.…``)
    size = len(group)
    for name in [n for n in flat if n.startswith(group) and n[size : size + 1].isdigit()]:
        match = re.fullmatch(rf"{re.escape(group)}([2-9]|[1-9]\d+)\.(\w+)", name)
        if match:
            numbered.setdefault(int(match.group(1)), {})[match.group(2)] = flat.pop(name)
    if numbered:
        if others in flat:
            raise _given_twice(others)
        flat[others] = [numbered[n] for n in sorted(numbered)]


def numbered_person(name: str, known: AbstractSet[str]) -> bool:
    """Whether ``name`` is a further person's field, such as ``recipient2.last_name``.

    >>> numbered_person("recipient2.last_name", {"recipient.last_name", "recipient.others"})
    True
    """
    head, _dot, field = name.partition(".")
    group = head.rstrip("0123456789")
    return (
        group != head and f"{group}.others" in known and f"{group}.{field}" in known
        and head[len(group):] not in ("0", "1")
    )


def _flatten(raw: Mapping[str, Any], known: AbstractSet[str], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if name not in known and isinstance(value, Mapping):
            for inner, item in _flatten(value, known, prefix=f"{name}.").items():
                if inner in flat:
                    raise _given_twice(inner)
                flat[inner] = item
        else:
            if name in flat:
                raise _given_twice(name)
            flat[name] = value
    return flat


def _given_twice(name: str) -> Exception:
    """``recipient.last_name`` and ``recipient: {last_name: …}`` in one place: which wins
    would depend on their order, so neither does."""
    from .errors import ParamsFileError

    return ParamsFileError(
        _("{name}: given twice, once as {name} and once nested; keep one").format(name=name)
    )


def nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn dotted names back into nested dicts for templates.

    >>> nest({"recipient.last_name": "Müller", "formality": "formal"})
    {'recipient': {'last_name': 'Müller'}, 'formality': 'formal'}
    """
    nested: dict[str, Any] = {}
    for name, value in values.items():
        if "." not in name:
            nested[name] = value
            continue
        head, _dot, tail = name.partition(".")
        if "." not in tail:
            nested.setdefault(head, {})[tail] = value
            continue
        parts = name.split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested
