"""What a written document promises, as its scenario spec declares it.

A spec lists its promises under ``promises:``, as data::

    promises:
      - kind: delivery          # what sort of promise (see KINDS)
        what: [deliverable]     # the parameter(s) naming what is promised; the first given wins
        due: deadline           # the date parameter: the promised date
        time: deadline_time     # optional: the time of day it is promised by
        each: next_dates        # optional: one promise per item of this list (due, time and
                                #   what then name the item's fields first)
        when: later_phase       # optional: only when this parameter is given
        kind_from: promise      # optional: a choice parameter whose value is the kind

The values are those after the spec's checks (a planned ``deadline``, a callback day
that defaults to today, a payment date counted from today). A promise whose date is
the plan's promised date also keeps the plan's internal target, fallback and planned
working days (see :func:`plan_promise` for the ``plan`` command). The capacity check
(:func:`collisions`) compares those working days with the other open promises'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .errors import SpecError
from .ledger import Entry, Promise
from .messages import N_, _, ngettext, translator

#: The sorts of promises, with their label (translated with the output language).
KINDS: Mapping[str, str] = {
    "delivery": N_("delivery"),
    "callback": N_("callback"),
    "answer": N_("answer"),
    "payment": N_("payment"),
    "appointment": N_("appointment"),
    "phase": N_("phase"),
    "later-phase": N_("later phase"),
    "final-invoice": N_("final invoice"),
    "handover": N_("handover"),
    "review": N_("review"),
}
_RULE_KEYS = {"kind", "what", "due", "time", "each", "when", "kind_from"}


class PromiseRule(NamedTuple):
    """One ``promises:`` entry of a spec (see the module docs)."""

    kind: str
    what: tuple[str, ...]
    due: str | None = None
    time: str | None = None
    each: str | None = None
    when: str | None = None
    kind_from: str | None = None


def kind_label(kind: str, code: str) -> str:
    """The label of ``kind`` in language ``code``."""
    return translator(code).gettext(KINDS[kind]) if kind in KINDS else kind


def parse_rules(
    data: Any, params: Sequence[Any], source: str, *, derived: Mapping[str, str] | None = None
) -> tuple[PromiseRule, ...]:
    """Check a spec's ``promises:`` list against its parameters and the values its checks
    derive (``derived``: name → type).

    Raises:
        SpecError: naming the first problem.
    """
    if data is None:
        return ()
    where = f"{source}: promises"
    if not isinstance(data, list):
        raise SpecError(f"{where}: " + _("expected a list of promises"))
    by_name = {p.name: p for p in params}
    rules = []
    for number, item in enumerate(data, start=1):
        at = f"{where}: " + _("item {number}").format(number=number)
        if not isinstance(item, Mapping) or set(item) - _RULE_KEYS:
            raise SpecError(f"{at}: " + _("expected a mapping with {keys}").format(keys=", ".join(sorted(_RULE_KEYS))))
        kind = str(item.get("kind") or "")
        if kind not in KINDS:
            raise SpecError(f"{at}: " + _("kind must be one of {kinds}, not {kind!r}").format(
                kinds=", ".join(KINDS), kind=kind))
        what = item.get("what") or []
        what = tuple(str(n) for n in (what if isinstance(what, list) else [what]))
        each = item.get("each")
        fields: dict[str, Any] = {}
        if each is not None:
            if each not in by_name or not by_name[each].fields:
                raise SpecError(f"{at}: " + _("each must name a list parameter with fields, not {name!r}").format(
                    name=each))
            fields = {field.name: field for field in by_name[each].fields}
        rule = PromiseRule(kind, what, item.get("due"), item.get("time"), each, item.get("when"), item.get("kind_from"))
        for key, expected in (("due", "date"), ("time", "time")):
            name = getattr(rule, key)
            if name is None:
                continue
            param = fields.get(name) or by_name.get(name)
            found = param.type if param is not None else (derived or {}).get(name)
            if found != expected:
                raise SpecError(f"{at}: " + _("{key} must name a parameter of type {type}, not {name!r}").format(
                    key=key, type=expected, name=name))
        for name in (*rule.what, rule.when, rule.kind_from):
            if name is not None and name not in by_name and name not in fields:
                raise SpecError(f"{at}: " + _("unknown parameter {name!r}").format(name=name))
        rules.append(rule)
    return tuple(rules)


def client_name(values: Mapping[str, Any], client: Mapping[str, Any] | None) -> str:
    """Who a document's promises are made to: the client profile's id, else the recipient as
    an address names them (title, names, organisation).

    >>> client_name({"recipient.title": "Dr.", "recipient.last_name": "Müller",
    ...              "recipient.organisation": "Weber Digital"}, None)
    'Dr. Müller (Weber Digital)'
    """
    if client and client.get("id"):
        return str(client["id"])
    get = values.get
    parts = []
    for value in (get("recipient.title"), get("recipient.first_name"), get("recipient.last_name")):
        if isinstance(value, str) and value.strip():
            parts.append(value.strip())
    name = " ".join(parts)
    organisation = get("recipient.organisation")
    organisation = organisation.strip() if isinstance(organisation, str) else ""
    if name and organisation:
        return f"{name} ({organisation})"
    return name or organisation


def document_key(scenario: str, client: str, file: str | None, subject: str) -> str:
    """The key of a document's entries: client, scenario and the file written, or what
    it promises when it went to standard output (writing it again updates them)."""
    if file:
        import os

        return f"{scenario}|{client}|file:{file if os.path.isabs(file) else os.path.abspath(file)}"
    return f"{scenario}|{client}|what:{subject}"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value if v not in (None, ""))
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def promises_of(
    spec: Any,
    values: Mapping[str, Any],
    *,
    plan: Any = None,
    client: Mapping[str, Any] | None = None,
    file: str | None = None,
    lang: str,
    today: dt.date,
) -> list[Promise]:
    """The promises a document of ``spec`` with these (checked) values makes."""
    found = _found(spec, values, plan)
    if not found:
        return []
    who = client_name(values, client)
    doc = document_key(spec.name, who, file, next((f[2] for f in found if f[2]), ""))
    title = spec.title.get(lang[:2], spec.name)
    return [
        Promise(doc, slot, who, spec.name, kind, what or title, due, time if isinstance(time, dt.time) else None,
                internal, fallback, days, lang, file, today)
        for slot, kind, what, due, time, internal, fallback, days in found
    ]


def rows_of(
    spec: Any,
    values: Mapping[str, Any],
    *,
    plan: Any = None,
    client: Mapping[str, Any] | None = None,
    file: str,
    lang: str,
    today: dt.date,
) -> tuple[tuple[Any, ...], ...]:
    """:func:`promises_of` as ledger rows (:func:`phrasebook.ledger.as_row`), made directly:
    what a worker of a logged batch sends for each row (``file`` is an absolute path), so
    kept to plain lookups."""
    found = _found(spec, values, plan)
    if not found:
        return ()
    who = client_name(values, client)
    name = spec.name
    doc = f"{name}|{who}|file:{file}"
    written = today.isoformat()
    rows = []
    for slot, kind, what, due, time, internal, fallback, days in found:
        rows.append((
            f"{doc}#{slot}", who, name, kind, what or spec.title.get(lang[:2], name),
            due.isoformat() if due is not None else None,
            f"{time.hour:02d}:{time.minute:02d}" if isinstance(time, dt.time) else None,
            internal.isoformat() if internal is not None else None,
            fallback.isoformat() if fallback is not None else None,
            ",".join([day.isoformat() for day in days]) if days else "", lang, file, written,
        ))
    return tuple(rows)


def _found(
    spec: Any, values: Mapping[str, Any], plan: Any
) -> list[tuple[str, str, str, Any, Any, Any, Any, tuple[dt.date, ...]]]:
    """(slot, kind, what, due, time, internal target, fallback, work days) of each promise."""
    rules: Sequence[PromiseRule] = getattr(spec, "promises", ())
    if not rules:
        return []
    found: list[tuple[str, str, str, Any, Any, Any, Any, tuple[dt.date, ...]]] = []
    for number, rule in enumerate(rules):
        if rule.when is not None and values.get(rule.when) in (None, "", False, []):
            continue
        if rule.each is None:
            scopes: list[tuple[str, Mapping[str, Any]]] = [(str(number), values)]
        else:
            scopes = [(f"{number}.{index}", {**values, **item})
                      for index, item in enumerate(values.get(rule.each) or (), start=1) if isinstance(item, Mapping)]
        for slot, scope in scopes:
            due = scope.get(rule.due) if rule.due else None
            if rule.due and not isinstance(due, dt.date):
                continue
            time = scope.get(rule.time) if rule.time else None
            what = ""
            for name in rule.what:
                what = _text(scope.get(name))
                if what:
                    break
            kind = rule.kind
            if rule.kind_from and scope.get(rule.kind_from) in KINDS:
                kind = str(scope[rule.kind_from])
            if plan is not None and due == plan.promised:
                found.append((slot, kind, what, due, time, plan.internal, plan.fallback, work_days(plan)))
            else:
                found.append((slot, kind, what, due, time, None, None, ()))
    return found


def work_days(plan: Any) -> tuple[dt.date, ...]:
    """The working days a plan sets aside for the work: after the receiving day, up to and
    including the internal target."""
    days = []
    day = plan.received
    while True:
        day = plan.calendar.next_working_day(day)
        if day > plan.internal:
            break
        days.append(day)
    return tuple(days)


def plan_promise(plan: Any, *, client: str, title: str, lang: str, today: dt.date) -> Promise:
    """The promise of ``phrasebook plan --log``: the promised date, with internal target and fallback."""
    return Promise(
        f"plan|{client}|what:{title}", "0", client, "plan", "delivery", title, plan.promised, None,
        plan.internal, plan.fallback, work_days(plan), lang, None, today,
    )


class Collision(NamedTuple):
    """Another open promise whose planned work falls on some of the same days."""

    entry: Entry
    days: tuple[dt.date, ...]


def collisions(new: Promise, entries: Sequence[Entry]) -> list[Collision]:
    """The open promises whose planned working days are also days of ``new``'s work
    (one person: more than one planned working day on a calendar day is too much)."""
    if not new.work_days:
        return []
    mine = set(new.work_days)
    found = []
    for entry in entries:
        if entry.status != "open" or entry.promise.key == new.key:
            continue
        shared = tuple(sorted(mine.intersection(entry.promise.work_days)))
        if shared:
            found.append(Collision(entry, shared))
    return found


def capacity_warning(new: Promise, found: Sequence[Collision]) -> str | None:
    """The warning of the capacity check, in the message language (None without collisions)."""
    if not found:
        return None
    days = sorted({day for collision in found for day in collision.days})
    names = "; ".join(
        _("#{id} {client}: {what} (promised for {due})").format(
            id=c.entry.id, client=c.entry.promise.client or "-", what=c.entry.promise.what,
            due=c.entry.promise.due.isoformat() if c.entry.promise.due else "-",
        )
        for c in found
    )
    span = days[0].isoformat()
    if len(days) > 1:
        span = _("{first} to {last}").format(first=span, last=days[-1].isoformat())
    return ngettext(
        "the work up to the internal target {internal} shares {count} day ({days}) with "
        "other open promises, more than one day of work on one day: {promises}",
        "the work up to the internal target {internal} shares {count} days ({days}) with "
        "other open promises, more than one day of work on one day: {promises}",
        len(days),
    ).format(internal=new.internal.isoformat() if new.internal else "-", count=len(days), days=span, promises=names)
