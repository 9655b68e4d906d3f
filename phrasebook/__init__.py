"""phrasebook: the hard sentences of client work, written for you in German and English.

Library use::

    import datetime as dt
    import phrasebook

    doc = phrasebook.render(
        "deadline-offer", "de", {...}, today=dt.date(2026, 11, 24), fmt="text"
    )
    print(doc.text)
"""

from __future__ import annotations

import sys

# Nothing is imported here beyond sys: ``phrasebook --help`` is answered before anything
# else loads (see phrasebook.cli.tophelp). ``typing.TYPE_CHECKING`` by its name, for mypy.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .catalog import Catalog, load_catalog
    from .errors import PhrasebookError
    from .paramtypes import Param
    from .render import Document, render
    from .spec import Scenario

#: Public names and their modules. They are imported on first use, so that commands
#: such as ``phrasebook --help`` do not pay for the rendering machinery.
_LAZY = {
    "Catalog": "catalog",
    "load_catalog": "catalog",
    "Document": "render",
    "render": "render",
    "Param": "paramtypes",
    "Scenario": "spec",
    "PhrasebookError": "errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    elif name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("phrasebook")
        except PackageNotFoundError:  # running from a checkout that is not installed
            value = "0.0.0+unknown"
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


class _Package(type(sys)):  # type: ignore[misc]  # types.ModuleType, without importing types
    """Keeps ``phrasebook.render`` the function once the module of the same name is loaded.

    Loading a submodule sets it as an attribute of its package; the function must win,
    as it did when this package imported everything eagerly.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "render" and isinstance(value, type(sys)):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "Catalog",
    "Document",
    "Param",
    "PhrasebookError",
    "Scenario",
    "__version__",
    "load_catalog",
    "render",
]
