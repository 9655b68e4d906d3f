"""The examples in the library's docstrings are true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import phrasebook

MODULES = sorted(m.name for m in pkgutil.iter_modules(phrasebook.__path__) if m.name != "__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"phrasebook.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
