"""Packages whose names load when first used.

A package `__init__` that imports its modules can deadlock two threads that each import one
of them for the first time (Python locks each module; the package's own import then waits on
a module the other thread holds). The UI thread and its workers import lazily, at any
moment, so every package here loads its modules only when a name is asked for.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def exports(package: str, homes: Mapping[str, Sequence[str]]) -> tuple[Callable[[str], Any], list[str]]:
    """The `__getattr__` and `__all__` of `package`, whose public names live in the modules
    `homes` lists them under (module name -> names)."""
    home_of = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = home_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # found once, then a plain attribute
        return value

    return __getattr__, sorted(home_of)
