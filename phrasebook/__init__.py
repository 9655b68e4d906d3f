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

from importlib.metadata import PackageNotFoundError, version

from .catalog import Catalog, load_catalog
from .errors import PhrasebookError
from .render import Document, render
from .spec import Param, Scenario

try:
    __version__ = version("phrasebook")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+unknown"

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
