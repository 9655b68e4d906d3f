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

from .catalog import Catalog, load_catalog
from .errors import PhrasebookError
from .render import Document, render
from .spec import Param, Scenario


def __getattr__(name: str) -> str:
    # __version__ is read on first use: importlib.metadata costs start-up time.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("phrasebook")
    except PackageNotFoundError:  # running from a checkout that is not installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value


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
