"""Working days: regions, their public holidays, and the user's own days off.

A **working day** is Monday to Friday, except the public holidays of the region
(the ``holidays`` package; ``DE`` alone means the nationwide holidays only) and the
user's own closure days. :class:`WorkCalendar` answers which days those are; the
deadline arithmetic built on it is in :mod:`phrasebook.planning`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from .errors import PlanningError, did_you_mean
from .messages import _

#: The countries whose public holidays phrasebook knows, with their time zone.
COUNTRIES: dict[str, str] = {"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich"}

_ISO_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")


class Region(NamedTuple):
    """A country or one of its subdivisions (ISO 3166-2), e.g. ``DE-BY``.

    Attributes:
        code: the normalised code, ``DE`` or ``DE-BY``.
        country: ``DE``, ``AT`` or ``CH``.
        subdiv: the subdivision as the ``holidays`` package names it (``BY``, ``9``), or None.
        timezone: the IANA time zone used for timed calendar entries.
    """

    code: str
    country: str
    subdiv: str | None
    timezone: str

    @property
    def nationwide_only(self) -> bool:
        """Whether only the nationwide holidays apply (no subdivision given)."""
        return self.subdiv is None

    @property
    def name(self) -> str | None:
        """The subdivision's local name (``Bayern``, ``Wien``), or None for a whole country.

        >>> parse_region("DE-BY").name
        'Bayern'
        """
        return _subdivision_names(self.country).get(self.subdiv) if self.subdiv else None


@functools.cache
def _subdivisions(country: str) -> tuple[str, ...]:
    return tuple(_country_regions(country)["codes"])


@functools.cache
def _subdivision_names(country: str) -> dict[str, str]:
    return dict(_country_regions(country)["names"])


@functools.cache
def _country_regions(country: str) -> dict[str, Any]:
    """The ISO subdivision codes of ``country`` and a name for each, from ``holidays``.

    Remembered in the user's cache (see :mod:`phrasebook.cache`): importing
    ``holidays`` costs a fresh process more than everything else it does.
    """
    from . import cache

    identity = cache.package_identity("holidays")
    name = f"{cache.package_folder('holidays', identity)}/{country}-regions.json" if identity else ""
    stored = cache.load(name, identity) if identity else None
    if stored is not None and _is_regions(stored):
        return dict(stored)
    import holidays

    cls = type(holidays.country_holidays(country, years=2026))
    names: dict[str, str] = {}
    for alias, code in cls.subdivisions_aliases.items():
        names.setdefault(code, alias)
    regions = {
        "codes": [s for s in cls.subdivisions if _ISO_SUBDIVISION.match(s)],
        "names": names,
    }
    if identity:
        cache.store(name, identity, regions)
    return regions


def _is_regions(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("codes"), list)
        and all(isinstance(c, str) and _ISO_SUBDIVISION.match(c) for c in data["codes"])
        and isinstance(data.get("names"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in data["names"].items())
    )


def region_codes(country: str | None = None) -> list[str]:
    """Return the valid region codes, for one country or for all of them.

    >>> region_codes("AT")[:3]
    ['AT', 'AT-1', 'AT-2']
    """
    countries = [country] if country else list(COUNTRIES)
    codes: list[str] = []
    for name in countries:
        codes.append(name)
        codes.extend(f"{name}-{sub}" for sub in _subdivisions(name))
    return codes


def parse_region(text: str | Region) -> Region:
    """Return the :class:`Region` for a code such as ``DE``, ``de-by`` or ``AT-9``.

    A German state may be given on its own, as in client profiles: ``BY`` is ``DE-BY``.

    >>> parse_region("by").code, parse_region("CH-BE").code
    ('DE-BY', 'CH-BE')

    Raises:
        PlanningError: for an unknown code, with a "did you mean" hint and the valid codes.
    """
    if isinstance(text, Region):
        return text
    raw = str(text).strip()
    code = re.sub(r"[\s_]+", "-", raw).upper()
    if "-" not in code and code not in COUNTRIES and code in _subdivisions("DE"):
        code = f"DE-{code}"
    country, _dash, subdiv = code.partition("-")
    if country in COUNTRIES and (not subdiv or subdiv in _subdivisions(country)):
        return Region(code, country, subdiv or None, COUNTRIES[country])
    if country in COUNTRIES:
        valid = region_codes(country)
        hint = _region_hint(code, valid)
        raise PlanningError(
            [
                "region: "
                + _("{value!r} is not a region of {country}{hint}; valid codes: {codes}").format(
                    value=raw, country=country, hint=hint, codes=", ".join(valid)
                )
            ]
        )
    owners = [c for c in COUNTRIES if not subdiv and country in _subdivisions(c)]
    if len(owners) == 1:
        hint = _(" (did you mean {name!r}?)").format(name=f"{owners[0]}-{country}")
    else:
        hint = _region_hint(code, region_codes())
    raise PlanningError(
        [
            "region: "
            + _("{value!r} is not a known region{hint}; valid codes: {codes}").format(
                value=raw, hint=hint, codes=", ".join(region_codes())
            )
        ]
    )


def _region_hint(code: str, valid: Sequence[str]) -> str:
    """Suggest codes that differ in one character (``DE-BX`` → the four ``DE-B?``), else difflib's.

    >>> _region_hint("DE-BX", ["DE", "DE-BB", "DE-BY", "DE-HB"])
    " (did you mean 'DE-BB' or 'DE-BY'?)"
    """
    near = [
        v
        for v in valid
        if len(v) == len(code) and sum(a != b for a, b in zip(v, code, strict=True)) == 1
    ]
    if len(near) == 1:
        return _(" (did you mean {name!r}?)").format(name=near[0])
    if near:
        return _(" (did you mean {names} or {name!r}?)").format(
            names=", ".join(repr(n) for n in near[:-1]), name=near[-1]
        )
    return did_you_mean(code, list(valid))


# --- the working-day calendar ----------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _holiday_names(
    country: str, subdiv: str | None, year: int, language: str, catholic: bool
) -> dict[dt.date, str]:
    """The public holidays of one region and year, with their names in ``language``.

    Remembered in the user's cache (see :mod:`phrasebook.cache`) for as long as the
    same installation of ``holidays`` would compute them.
    """
    from . import cache

    identity = cache.package_identity("holidays")
    kind = "catholic" if catholic else "public"
    table_name = f"{country}-{subdiv or ''}-{year}-{language}-{kind}.json"
    name = f"{cache.package_folder('holidays', identity)}/{table_name}" if identity else ""
    stored = cache.load(name, identity) if identity else None
    if isinstance(stored, dict):
        try:
            return {dt.date.fromisoformat(day): str(title) for day, title in stored.items()}
        except (TypeError, ValueError):
            pass
    import holidays

    categories = ("public", "catholic") if catholic else ("public",)
    table = dict(
        holidays.country_holidays(
            country, subdiv=subdiv, years=year, language=language, categories=categories
        ).items()
    )
    if identity:
        cache.store(name, identity, {day.isoformat(): title for day, title in table.items()})
    return table


class Skipped(NamedTuple):
    """A weekday that is not a working day: a public holiday or a closure day.

    Attributes:
        day: the date.
        kind: ``holiday`` or ``closure``.
        name: the holiday's German name (empty for closure days).
        name_en: the holiday's English name (empty for closure days).
    """

    day: dt.date
    kind: str
    name: str = ""
    name_en: str = ""


class WorkCalendar(NamedTuple):
    """Working days of one region, minus the user's closure days.

    Attributes:
        region: the region whose public holidays apply.
        closures: extra days off (vacation), any weekday.
        catholic: also count the holidays of Catholic-majority municipalities
            (Mariä Himmelfahrt in Bayern, Fronleichnam in parts of Sachsen and Thüringen).
    """

    region: Region
    closures: frozenset[dt.date] = frozenset()
    catholic: bool = False

    def holiday(self, day: dt.date, language: str = "de") -> str | None:
        """Return the holiday's name (``language`` ``de`` or ``en``), or None.

        >>> WorkCalendar(parse_region("DE-SN")).holiday(dt.date(2026, 11, 18))
        'Buß- und Bettag'
        """
        code = "de" if language == "de" else "en_US"
        names = _holiday_names(
            self.region.country, self.region.subdiv, day.year, code, self.catholic
        )
        return names.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is Monday to Friday, not a holiday and not a closure day."""
        return day.weekday() < 5 and day not in self.closures and self.holiday(day) is None

    def skipped(self, day: dt.date) -> Skipped | None:
        """Describe why a weekday is not a working day (None for weekends and working days)."""
        if day.weekday() >= 5:
            return None
        name = self.holiday(day)
        if name is not None:
            return Skipped(day, "holiday", name, self.holiday(day, "en") or name)
        if day in self.closures:
            return Skipped(day, "closure")
        return None

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return the first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """Return the ``count``-th working day after ``day`` (exclusive count).

        With ``count == 0`` the result is ``day`` itself when it is a working day,
        otherwise the next working day.

        >>> cal = WorkCalendar(parse_region("DE"))
        >>> cal.add_working_days(dt.date(2026, 11, 23), 7)
        datetime.date(2026, 12, 2)
        """
        if count < 0:
            raise ValueError("count must not be negative")
        if count == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _step in range(count):
            day = self.next_working_day(day)
        return day

    def skipped_between(self, first: dt.date, last: dt.date) -> tuple[Skipped, ...]:
        """Return the holidays and closure days on weekdays in ``first..last`` (inclusive)."""
        found = []
        day = first
        while day <= last:
            entry = self.skipped(day)
            if entry is not None:
                found.append(entry)
            day += dt.timedelta(days=1)
        return tuple(found)
