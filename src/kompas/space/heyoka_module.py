"""heyoka, imported without its optional sympy interop.

heyoka converts expressions to and from sympy when sympy is installed, and to build that table it imports sympy
(with mpmath) as soon as heyoka itself is imported: 34 MB of resident memory in every process that propagates.
Kompas builds heyoka expressions directly and never converts from sympy, but sympy is often installed (torch
needs it for the embeddings extra). :func:`heyoka` imports heyoka with sympy hidden for that one import, so
heyoka's ``from_sympy``/``to_sympy`` are unavailable and everything else is unchanged; sympy stays importable for
other code. (Measured: importing heyoka 91 -> 58 MB with sympy installed.)
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def heyoka() -> ModuleType:
    """The heyoka module (imported on the first call, without sympy unless something imported it already)."""
    loaded = sys.modules.get("heyoka")
    if loaded is not None:
        return loaded
    with _LOCK:
        hide = "sympy" not in sys.modules
        if hide:
            sys.modules["sympy"] = None  # type: ignore[assignment]  # find_spec('sympy') is then None
        try:
            import heyoka as module
        finally:
            if hide:
                del sys.modules["sympy"]
    return module
