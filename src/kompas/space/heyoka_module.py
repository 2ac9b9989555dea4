"""heyoka, imported without its optional sympy interop.

heyoka converts expressions to and from sympy when sympy is installed, and to offer that it imports sympy (with
mpmath) as soon as heyoka itself is imported: 34 MB of resident memory in every process that propagates. Kompas
builds heyoka expressions directly and never converts from sympy, but sympy is often installed (torch needs it for
the embeddings extra). :func:`heyoka` therefore imports heyoka with sympy hidden **from the importing thread
only**: heyoka looks for sympy both with ``importlib.util.find_spec`` (answered None) and with an import (refused,
by a finder first on ``sys.meta_path``), and both answer normally for every other thread, so a concurrent
``import sympy`` elsewhere is never affected. heyoka's ``from_sympy``/``to_sympy`` are then unavailable; nothing
else changes. (Measured: importing heyoka 91 -> 58 MB with sympy installed.) When sympy or heyoka is already
imported, heyoka is imported plainly.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

_LOCK = threading.Lock()
_LOADED: list[ModuleType] = []  # heyoka, once its import has completed
_HIDDEN = "sympy"


def heyoka() -> ModuleType:
    """The heyoka module (imported on the first call, without sympy unless something imported either already)."""
    if _LOADED:
        return _LOADED[0]
    with _LOCK:
        if not _LOADED:
            _LOADED.append(_import())
    return _LOADED[0]


class _HideFromThread(importlib.abc.MetaPathFinder):
    """Refuses sympy to one thread's imports; defers to the other finders for everything else."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> None:
        if threading.get_ident() == self.thread and fullname.partition(".")[0] == _HIDDEN:
            raise ModuleNotFoundError(f"{fullname} is hidden while heyoka imports", name=fullname)
        return None


def _import() -> ModuleType:
    if _HIDDEN in sys.modules or "heyoka" in sys.modules:
        import heyoka as plain

        return plain
    thread = threading.get_ident()
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:  # noqa: ANN401 - ModuleSpec or None
        if threading.get_ident() == thread and name.partition(".")[0] == _HIDDEN:
            return None
        return real_find_spec(name, package)

    finder = _HideFromThread(thread)
    sys.meta_path.insert(0, finder)
    importlib.util.find_spec = find_spec
    try:
        import heyoka as module
    finally:
        importlib.util.find_spec = real_find_spec
        sys.meta_path.remove(finder)
    return module
