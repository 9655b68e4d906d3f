"""The exception tree of phrasebook.

Every error a user can cause or meet derives from :class:`PhrasebookError`.
The class decides the exit code, so the command line has exactly one place
that turns an exception into a message and a status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from .messages import _, ngettext


class PhrasebookError(Exception):
    """Root of all phrasebook errors: a failure the user should read (exit code 1)."""

    exit_code: ClassVar[int] = 1


class InvalidInput(PhrasebookError):
    """Bad input or usage: a value, a name or a file the user gave (exit code 2)."""

    exit_code: ClassVar[int] = 2


class UnknownScenario(InvalidInput):
    """The scenario name is not in the catalogue."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        hint = did_you_mean(name, self.known)
        super().__init__(
            _("unknown scenario {name!r}{hint}; available: {known}").format(
                name=name, hint=hint, known=", ".join(self.known)
            )
        )


class UnknownLanguage(InvalidInput):
    """The language or locale is not supported."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        super().__init__(
            _("unknown language {name!r}; expected one of: {known}").format(
                name=name, known=", ".join(known)
            )
        )


class InvalidParams(InvalidInput):
    """One or more parameter values are missing, unknown or malformed.

    Attributes:
        scenario: the scenario being filled.
        problems: one line per problem, each naming the parameter.
        hint: a closing line on what to do about them, if any.
        values: the values that were valid, by name (None when not known).
    """

    def __init__(
        self,
        scenario: str,
        problems: Sequence[str],
        hint: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.problems = tuple(problems)
        self.hint = hint
        self.values = values
        count = len(self.problems)
        head = ngettext(
            "{scenario}: {count} problem with the parameters",
            "{scenario}: {count} problems with the parameters",
            count,
        ).format(scenario=scenario, count=count)
        lines = "\n".join(f"  {p}" for p in self.problems)
        closing = f"\n{hint}" if hint else ""
        super().__init__(f"{head}\n{lines}{closing}")


class PlanningError(InvalidInput):
    """One or more planning values are wrong; every problem names its parameter.

    Attributes:
        problems: one line per problem, each starting with the parameter's name.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


class ParamsFileError(InvalidInput):
    """A parameters file cannot be read: encoding, YAML syntax, size or structure."""


class UnsupportedFormat(InvalidInput):
    """The output format is not available for this scenario."""


class SpecError(PhrasebookError):
    """A scenario spec is broken: a defect of the catalogue or of a template pack."""


class TemplateFailure(PhrasebookError):
    """A template failed to render; the message names the template."""


class OutputError(PhrasebookError):
    """An output file could not be written."""


class OutputExists(OutputError):
    """The output file exists and ``force`` was not given."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(_("{path} already exists; use --force to replace it").format(path=path))


def did_you_mean(name: str, known: Sequence[str]) -> str:
    """Return a ``" (did you mean 'x'?)"`` hint, or an empty string.

    >>> did_you_mean("dedline", ["deadline", "points"])
    " (did you mean 'deadline'?)"
    >>> did_you_mean("zzz", ["deadline"])
    ''
    """
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return _(" (did you mean {name!r}?)").format(name=close[0]) if close else ""
