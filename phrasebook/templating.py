"""The Jinja environment of the shipped templates, and the guards every template runs with.

The shipped templates hold presentation only. They render in Jinja's immutable
sandbox with strict undefined values, and the finalizer :func:`guard` refuses to
print ``None`` or a container that holds an undefined value, so a missing value can
never become text. Template packs use a stricter, bounded sandbox of their own
(:mod:`phrasebook.sandbox`) with the same guards.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from .errors import TemplateFailure
from .filters import filters_for
from .l10n import Language
from .messages import _


def guard(value: Any) -> Any:
    """Finalizer that refuses to print ``None``: a missing value must never become text."""
    if value is None:
        raise TemplateFailure(_("a value is missing: the template tried to print None"))
    if type(value) in _CONTAINERS:
        refuse_undefined(value)
    return value


_CONTAINERS = (list, tuple, dict)


def refuse_undefined(value: Any) -> None:
    """Raise if a list or dict about to be printed holds an undefined value or None.

    ``{{ [missing] }}`` would otherwise print ``[Undefined]``.
    """
    from jinja2 import Undefined

    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Undefined):
            item._fail_with_undefined_error()
            raise TemplateFailure(_("a value is missing: the template tried to print Undefined"))
        if item is None:
            raise TemplateFailure(_("a value is missing: the template tried to print None"))
        if isinstance(item, list) or type(item) is tuple:  # a named tuple prints as itself
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


@functools.lru_cache(maxsize=16)
def environment(templates: Path, language: Language) -> Any:
    """Return the cached sandboxed Jinja environment for one language's templates.

    The shipped templates hold presentation only: they get the filters of
    :func:`~phrasebook.l10n.filters_for` and no global helpers (``range``, ``lipsum``,
    ``namespace`` …), which also spares every ``{% import %}`` a comparison of globals.
    Compiled templates are kept in the user's cache (see :mod:`phrasebook.cache`).
    """
    import sys

    import jinja2
    from jinja2 import FileSystemLoader, StrictUndefined

    from .cache import template_cache

    options = {
        "undefined": StrictUndefined,
        "finalize": guard,
        "autoescape": False,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    # What the compiled code depends on besides the template source.
    compiled_by = (
        f"jinja2 {jinja2.__version__}; python {sys.version_info[:2]}; sandboxed; "
        + "; ".join(f"{k}={getattr(v, '__name__', v)}" for k, v in sorted(options.items()))
    )
    env = _sandbox_class()(
        loader=FileSystemLoader(str(templates / language.code)),
        bytecode_cache=template_cache(compiled_by),
        auto_reload=False,
        **options,
    )
    env.globals.clear()
    env.filters.update(filters_for(language))
    return env


@functools.lru_cache(maxsize=1)
def _sandbox_class() -> type:
    from jinja2.environment import TemplateModule
    from jinja2.runtime import Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox, with shortcuts for what the shipped templates use most.

        ``recipient.last_name`` on a dict means the key whenever ``dict`` has no
        attribute of that name; that is what the sandbox does too, only after
        catching an AttributeError. A public name of an imported template
        (``address.salutation``) is one of its macros or exported variables, and
        macros are always safe to call: the sandbox answers the same after a few
        more checks.
        """

        def getattr(self, obj: Any, attribute: str) -> Any:
            kind = type(obj)
            if kind is dict:
                if attribute in obj and attribute not in dict_attributes:
                    return obj[attribute]
            elif kind is TemplateModule and attribute[:1] != "_":
                value = obj.__dict__.get(attribute, obj)
                if value is not obj and type(value) is Macro:
                    return value
            return super().getattr(obj, attribute)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            if type(__obj) is Macro:
                return __context.call(__obj, *args, **kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    dict_attributes = frozenset(dir(dict))

    return Sandbox
