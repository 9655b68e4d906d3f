"""The Jinja environment for template packs: untrusted templates, bounded rendering.

Template packs come from outside the project, so their templates are treated as
untrusted code. On top of Jinja's :class:`ImmutableSandboxedEnvironment` (no
private attributes, no mutation, no ``str.format`` escapes) this module adds
what the sandbox itself does not promise:

* **Confinement.** Templates are read only from inside the pack (or from the
  built-in templates); a template that resolves elsewhere, for instance through
  a symlink, is refused. Template names are plain file names.
* **Bounded output.** A document may be at most :data:`OUTPUT_LIMIT` characters.
  Operations that grow text (``*``, ``+``, ``~``, filters such as ``join``,
  ``replace``, ``indent``, ``center``) are checked *before* they allocate, and
  the output stream is counted while it is produced.
* **Bounded time.** A document must render within :data:`TIME_LIMIT` seconds
  (enforced with a timer signal when rendering on the main thread).
* **No string formatting.** ``str.format``, ``format_map`` and the ``%``
  operator on strings are not available; use the ``format`` filter with small
  widths, or plain ``~`` concatenation.
* **No missing values, no objects in the text.** ``None`` passed through a filter
  (``|string``, ``|join``, ``|e``, ``|title``, ``"%s"|format(x)``, ``listing`` …) is
  a missing value, as it is printed bare; printing anything but plain data (a
  function such as ``range``, a method, a generator) is refused instead of writing
  its Python representation into a letter.
* **Bounded input.** Templates larger than :data:`TEMPLATE_LIMIT` bytes, and files
  that are not regular files (a FIFO would block the read forever), are refused.

The context itself holds only plain data (str, int, Decimal, date, time,
bool, lists and dicts of those), built by :func:`phrasebook.render.build_context`.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import TemplateFailure
from .messages import _

#: Most characters one rendered document may have.
OUTPUT_LIMIT = 1_000_000
#: Most seconds one document may take to render.
TIME_LIMIT = 5.0
#: Largest whole number a filter argument may be (widths, counts, lengths).
ARG_LIMIT = 10_000
#: Longest string a filter argument may be (separators, replacement text).
STR_ARG_LIMIT = 10_000
#: Largest template file a pack may have, in bytes.
TEMPLATE_LIMIT = 256_000
#: Filters that may be given a missing value (they exist to replace it).
_NONE_ALLOWED = frozenset({"default", "d"})
#: Filters that make text of their input: they must get plain data, never an object.
_TEXT_FILTERS = frozenset({
    "string", "e", "escape", "forceescape", "pprint", "title", "capitalize", "upper", "lower",
    "trim", "striptags", "center", "indent", "wordwrap", "truncate", "urlencode", "replace",
    "format", "safe", "urlize", "xmlattr", "tojson",
})
#: Filters that make text of each item of their input.
_ITEM_FILTERS = frozenset({"join", "listing"})

_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_GROWING_STR_METHODS = frozenset(
    {"format", "format_map", "replace", "join", "center", "ljust", "rjust", "zfill", "expandtabs"}
)
_PRINTF_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _plain_types() -> tuple[type, ...]:
    import datetime as dt
    from decimal import Decimal

    return (str, int, float, Decimal, dt.date, dt.time)


#: What a template may print: text, numbers, dates and times (bool is an int).
_PLAIN = _plain_types()


class RenderTimeout(Exception):
    """Raised inside a render that ran past :data:`TIME_LIMIT`."""


def estimate_size(value: Any, budget: int = OUTPUT_LIMIT) -> int:
    """Estimate how many characters ``str(value)`` would have, stopping once past ``budget``.

    Containers are walked without converting them, so a list that refers to the
    same large string many times is measured, not built.

    >>> estimate_size("abc")
    3
    >>> estimate_size(["ab", "cd"]) > 4
    True
    """
    if type(value) is str:
        return len(value)
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= budget:
                stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            if total <= budget:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        else:
            total += 64
        if total > budget:
            return total
    return total


def _too_big(message: str, **names: Any) -> TemplateFailure:
    """The failure ``message`` (translated, with a ``{limit:,}`` for the output limit) describes."""
    return TemplateFailure(message.format(limit=OUTPUT_LIMIT, **names))


def _filter_too_big(name: str) -> TemplateFailure:
    return _too_big(_("filter {name!r} would exceed the output limit of {limit:,} characters"), name=name)


def _check_sized(value: Any, name: str) -> None:
    """Refuse an argument of filter ``name`` that is too large to print."""
    if estimate_size(value) > OUTPUT_LIMIT:
        raise _filter_too_big(name)


def _check_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, bool):
            continue
        if isinstance(arg, int) and abs(arg) > ARG_LIMIT:
            raise TemplateFailure(
                _("filter {name!r}: argument {value} is larger than the limit of {limit:,}").format(
                    name=name, value=arg, limit=ARG_LIMIT
                )
            )
        if isinstance(arg, str) and len(arg) > STR_ARG_LIMIT:
            raise TemplateFailure(
                _("filter {name!r}: a text argument is longer than {limit:,} characters").format(
                    name=name, limit=STR_ARG_LIMIT
                )
            )
        if isinstance(arg, (list, tuple, dict, set)):
            _check_sized(arg, name)


def _estimate_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Estimate the size of a growing filter's result before it runs."""
    base = estimate_size(value)
    text = value if isinstance(value, str) else ""
    if name == "join":
        sep = args[0] if args else kwargs.get("d", "")
        count = len(value) if isinstance(value, (list, tuple, set, dict, str)) else 0
        return base + len(str(sep)) * count
    if name == "replace":
        old = str(args[0] if args else kwargs.get("old", ""))
        new = str(args[1] if len(args) > 1 else kwargs.get("new", ""))
        hits = len(text) + 1 if not old else text.count(old)
        return base + hits * max(0, len(new) - len(old))
    if name == "indent":
        width = args[0] if args else kwargs.get("width", 4)
        per_line = len(width) if isinstance(width, str) else int(width or 0)
        return base + per_line * (text.count("\n") + 1)
    if name == "wordwrap":
        width = args[0] if args else kwargs.get("width", 79)
        wrap = args[3] if len(args) > 3 else kwargs.get("wrapstring") or "\n"
        return base + len(str(wrap)) * (len(text) // max(int(width or 1), 1) + 1)
    if name == "center":
        width = args[0] if args else kwargs.get("width", 80)
        return max(base, int(width or 0))
    if name == "format":
        widths = sum(
            int(w) for m in _PRINTF_WIDTH.finditer(text) for w in m.groups() if w and w != "*"
        )
        if any("*" in m.group() for m in _PRINTF_WIDTH.finditer(text)):
            raise TemplateFailure(_("filter 'format': '*' widths are not available in template packs"))
        return base + widths + sum(estimate_size(a) for a in (*args, *kwargs.values()))
    if name in (
        "tojson",
        "escape",
        "e",
        "forceescape",
        "urlize",
        "pprint",
        "string",
        "list",
        "xmlattr",
    ):
        return base * 6
    return base


def _missing_in_filter(name: str) -> TemplateFailure:
    return TemplateFailure(
        _("a value is missing: the template passed None to the filter {name!r}").format(name=name)
    )


def _object_refused(kind: str) -> TemplateFailure:
    return TemplateFailure(
        _("the template tried to print a {kind} object; templates print values, not objects").format(
            kind=kind
        )
    )


def refuse_objects(value: Any) -> None:
    """Raise when ``value`` (or anything in it) is not plain data that may become text.

    Plain data: text, numbers, dates, times, booleans, and lists and mappings of those.
    ``None`` is a missing value.
    """
    from jinja2 import Undefined

    stack = [value]
    while stack:
        item = stack.pop()
        if item is None:
            raise TemplateFailure(_("a value is missing: the template tried to print None"))
        if isinstance(item, Undefined):
            item._fail_with_undefined_error()
        if isinstance(item, _PLAIN):
            continue
        if isinstance(item, list) or type(item) is tuple:
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            raise _object_refused(type(item).__name__)


def plain_data(value: Any) -> Any:
    """``value`` as plain data for a template: named tuples become mappings of their fields
    and properties, sets sorted lists; methods (which could reach a holiday calendar) and
    what has no plain form are left out.

    >>> import datetime as dt
    >>> from typing import NamedTuple
    >>> class P(NamedTuple):
    ...     day: dt.date
    ...     days: frozenset[int]
    >>> plain_data(P(dt.date(2026, 12, 2), frozenset({2, 1})))
    {'day': datetime.date(2026, 12, 2), 'days': [1, 2]}
    """
    if value is None or isinstance(value, (*_PLAIN, bool)):
        return value
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        data = {key: plain_data(item) for key, item in value._asdict().items()}
        for name, member in vars(type(value)).items():  # computed fields (properties), not methods
            if isinstance(member, property) and not name.startswith("_"):
                data[name] = plain_data(getattr(value, name))
        return data
    if isinstance(value, (list, tuple)):
        return [plain_data(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain_data(item) for item in value)
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    return None


def _check_filter_input(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse None (a missing value) and objects where a filter would make text of them."""
    from jinja2 import Undefined

    if name in _NONE_ALLOWED or isinstance(value, Undefined):
        return  # an undefined value fails on use, naming the variable
    if value is None:
        raise _missing_in_filter(name)
    if callable(value) and not isinstance(value, _PLAIN):
        raise _object_refused(type(value).__name__)
    if name in _TEXT_FILTERS:
        refuse_objects(value)
    if name in _ITEM_FILTERS and isinstance(value, (list, tuple)):
        for item in value:
            if item is None:
                raise _missing_in_filter(name)
            refuse_objects(item)
    if name == "format":
        for arg in (*args, *kwargs.values()):
            if arg is None:
                raise _missing_in_filter(name)
            refuse_objects(arg)


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so its arguments and its result stay within the limits."""
    passes_context = getattr(func, "jinja_pass_arg", None) is not None

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        rest = args[1:] if passes_context else args
        value, extra = (rest[0], rest[1:]) if rest else (None, ())
        _check_filter_input(name, value, extra, kwargs)
        _check_args(name, extra, kwargs)
        if _estimate_filter(name, value, extra, kwargs) > OUTPUT_LIMIT:
            raise _filter_too_big(name)
        result = func(*args, **kwargs)
        if isinstance(result, str) and len(result) > OUTPUT_LIMIT:
            raise _filter_too_big(name)
        return result

    return guarded


def _operator_too_big(operator: str) -> str:
    return _("'{operator}' would exceed the output limit of {limit:,} characters").format(
        operator=operator, limit=OUTPUT_LIMIT
    )


def _binop_problem(operator: str, left: Any, right: Any) -> str | None:
    """Why ``left <operator> right`` may not run in a pack template, or None when it may."""
    sized = (str, bytes, list, tuple)
    numbers = isinstance(left, int) and isinstance(right, int)
    if operator == "%" and isinstance(left, (str, bytes)):
        return _("the {operator} operator on text is not available in template packs").format(operator=operator)
    if operator == "*" and numbers:
        return _("the product is too large a number") if (
            left.bit_length() + right.bit_length() > 64_000
        ) else None
    if operator == "*":
        seq, times = (left, right) if isinstance(left, sized) else (right, left)
        if isinstance(seq, sized) and isinstance(times, int):
            return _operator_too_big(operator) if estimate_size(seq) * max(times, 0) > OUTPUT_LIMIT else None
    if operator == "+" and isinstance(left, sized) and isinstance(right, sized):
        return _operator_too_big(operator) if estimate_size(left) + estimate_size(right) > OUTPUT_LIMIT else None
    if operator == "**" and numbers and right > 0 and abs(left) > 1:
        bits = right * max(abs(left).bit_length(), 1)
        return _("{left} ** {right} is too large a number").format(left=left, right=right) if bits > 64_000 else None
    return None


def _make_pack_environment_class() -> type:
    from jinja2.compiler import CodeGenerator
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class _BoundedCodeGenerator(CodeGenerator):
        """Compiles ``a ~ b`` into a call that checks the size before joining."""

        def visit_Concat(self, node: Any, frame: Any) -> None:
            self.write("environment.bounded_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    class PackEnvironment(ImmutableSandboxedEnvironment):
        """A sandbox whose text-growing operations are bounded; see the module docstring."""

        code_generator_class = _BoundedCodeGenerator
        intercepted_binops = frozenset({"*", "**", "+", "%"})
        output_limit = OUTPUT_LIMIT
        time_limit = TIME_LIMIT

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            problem = _binop_problem(operator, left, right)
            if problem is not None:
                if operator == "%":  # formatting text: refused like str.format
                    raise SecurityError(problem)
                raise TemplateFailure(problem)
            return super().call_binop(context, operator, left, right)

        def bounded_concat(self, pieces: tuple[Any, ...]) -> str:
            total = 0
            for piece in pieces:
                if piece is None:  # '~' would write "None" into the text
                    raise TemplateFailure(_("a value is missing: the template joined None into the text"))
                total += estimate_size(piece, OUTPUT_LIMIT - total)
                if total > OUTPUT_LIMIT:
                    raise TemplateFailure(_operator_too_big("~"))
            return "".join(map(str, pieces))

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if isinstance(obj, (str, bytes)) and attr in _GROWING_STR_METHODS:
                return False
            return bool(super().is_safe_attribute(obj, attr, value))

        def wrap_str_format(self, value: Any) -> Any:
            if super().wrap_str_format(value) is None:
                return None

            def refused(*args: Any, **kwargs: Any) -> Any:
                raise SecurityError(_("str.format is not available in template packs"))

            return refused

    return PackEnvironment


@functools.lru_cache(maxsize=1)
def pack_environment_class() -> type:
    """Return the (lazily built) sandbox class for template packs."""
    return _make_pack_environment_class()


def confined_loader(search: tuple[tuple[Path, Path], ...]) -> Any:
    """Return a loader that reads templates only from the given directories.

    ``search`` holds ``(directory, boundary)`` pairs, tried in order. A template
    whose real path is outside its boundary (for instance a symlink pointing out
    of the pack) is refused with :class:`TemplateFailure`; names with ``..``,
    absolute paths or unusual characters are not found.
    """
    from jinja2 import BaseLoader, TemplateNotFound

    places = tuple((Path(d), Path(b).resolve()) for d, b in search)

    class ConfinedLoader(BaseLoader):
        def get_source(
            self, environment: Any, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            parts = template.split("/")
            if not all(_TEMPLATE_NAME.match(p) for p in parts):
                raise TemplateNotFound(template)
            for directory, boundary in places:
                candidate = directory.joinpath(*parts)
                if not (candidate.is_symlink() or candidate.exists()):
                    continue
                real = candidate.resolve()
                if not real.is_relative_to(boundary):
                    raise TemplateFailure(
                        _("template {name!r} resolves outside the pack ({path} leads to a file elsewhere)").format(
                            name=template, path=candidate
                        )
                    )
                if not real.is_file():
                    raise TemplateNotFound(template)
                return read_template(real), str(candidate), lambda: True
            raise TemplateNotFound(template)

    return ConfinedLoader()


def read_template(path: Path) -> str:
    """Read a pack template: a regular file of at most :data:`TEMPLATE_LIMIT` bytes, UTF-8.

    Raises:
        TemplateFailure: naming the file and what is wrong with it.
    """
    import os
    import stat

    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise TemplateFailure(
            f"{path}: " + _("cannot be read ({reason})").format(reason=exc.strerror or exc)
        ) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise TemplateFailure(f"{path}: " + _("not a regular file; templates are text files"))
        data = handle.read(TEMPLATE_LIMIT + 1)
    if len(data) > TEMPLATE_LIMIT:
        raise TemplateFailure(
            f"{path}: " + _("more than {limit:,} bytes; templates are limited to {limit:,}").format(
                limit=TEMPLATE_LIMIT
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateFailure(
            f"{path}: " + _("byte {offset} is not UTF-8; save the file as UTF-8").format(offset=exc.start)
        ) from None


class _PackGuard:
    """Finalizer for packs: refuses ``None``, objects and values too large to print."""

    def __call__(self, value: Any) -> Any:
        if value is None:
            raise TemplateFailure(_("a value is missing: the template tried to print None"))
        if type(value) is not str:
            if estimate_size(value) > OUTPUT_LIMIT:
                raise _too_big(_("a printed value would exceed the output limit of {limit:,} characters"))
            refuse_objects(value)
        return value


def make_pack_environment(
    search: tuple[tuple[Path, Path], ...], filters: dict[str, Callable[..., Any]]
) -> Any:
    """Return a bounded sandbox reading templates from ``search`` (the pack first)."""
    from jinja2 import StrictUndefined

    env = pack_environment_class()(
        loader=confined_loader(search),
        undefined=StrictUndefined,
        finalize=_PackGuard(),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals.pop("lipsum", None)
    env.filters.update(filters)
    env.filters = {name: _guard_filter(name, func) for name, func in env.filters.items()}
    return env


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RenderTimeout` in the block after ``seconds`` (main thread, POSIX only)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
