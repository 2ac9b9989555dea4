"""Validation and conversion helpers shared by the intelligence engine's records (:mod:`kompas.intel.model`,
:mod:`kompas.intel.ach`, :mod:`kompas.intel.assumptions`).

``check_*`` append ``(field, reason)`` problems to a list; ``as_*`` convert one decoded-JSON value (appending a
problem when it has the wrong type); :func:`take` reads a mapping by a field spec and :func:`finish` builds the
record and runs its own ``problems()``.

Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from kompas.core.limits import text_problem

Problem = tuple[str, str]  #: ``(field, reason)``
MAX_ID = 64  #: characters of an id
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")  #: ids: event UUIDs, numbers, slugs


def check_text(out: list[Problem], name: str, value: object, limit: int, required: bool = True,
               lines: bool = False) -> None:
    """Check one text field: a string, within ``limit`` characters, not blank when ``required``, no control
    characters (no line breaks either unless ``lines``)."""
    if not isinstance(value, str):
        out.append((name, f"must be text, got {type(value).__name__}"))
        return
    if required and not value.strip():
        out.append((name, "required"))
    elif len(value) > limit:
        out.append((name, f"at most {limit} characters (got {len(value)})"))
    else:
        problem = text_problem(value)
        if problem:
            out.append((name, problem))
        elif not lines and ("\n" in value or "\r" in value):
            out.append((name, "a single line (no line breaks)"))


def check_day(out: list[Problem], name: str, value: object, required: bool = True) -> date | None:
    """Check an ISO day field; the date, or None when absent or wrong."""
    if value == "" and not required:
        return None
    if not isinstance(value, str) or len(value) != 10:
        out.append((name, f"an ISO day, YYYY-MM-DD (got {value!r})"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        out.append((name, f"an ISO day, YYYY-MM-DD (got {value!r})"))
        return None


def check_texts(out: list[Problem], name: str, values: object, limit: int, item_limit: int,
                pattern: re.Pattern[str] | None = None, what: str = "") -> None:
    """Check a list of short texts: at most ``limit`` items, each non-blank, within ``item_limit`` characters,
    matching ``pattern`` when given, no duplicates."""
    if not isinstance(values, tuple | list):
        out.append((name, "must be a list"))
        return
    if len(values) > limit:
        out.append((name, f"at most {limit} items (got {len(values)})"))
        return
    seen = set()
    for i, value in enumerate(values):
        where = f"{name}[{i}]"
        if pattern is not None and not (isinstance(value, str) and pattern.match(value)):
            out.append((where, f"{what} (got {value!r})"))
            continue
        check_text(out, where, value, item_limit)
        if value in seen:
            out.append((where, f"{value!r} is listed twice"))
        seen.add(value)


def check_id(out: list[Problem], name: str, value: object, required: bool = True) -> None:
    """Check an id (:data:`ID`, at most :data:`MAX_ID` characters; "" allowed unless ``required``)."""
    if value == "" and not required:
        return
    if not (isinstance(value, str) and 0 < len(value) <= MAX_ID and ID.match(value)):
        out.append((name, f"an id: 1 to {MAX_ID} letters, digits, '.', '_', ':' or '-' (got {value!r})"))


# from_dict: a mapping's fields converted to the dataclass's types, each wrong one reported, unknown ones too

T = TypeVar("T")
Convert = Callable[[object, str, list[Problem]], object]


def as_text(value: object, name: str, out: list[Problem]) -> object:
    """Text as it is."""
    if not isinstance(value, str):
        out.append((name, f"must be text, got {type(value).__name__}"))
    return value


def as_optional(value: object, name: str, out: list[Problem]) -> object:
    """Text, or JSON null for none ("")."""
    return "" if value is None else as_code(value, name, out)


def as_texts(value: object, name: str, out: list[Problem]) -> object:
    """A list of texts, as a tuple."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        out.append((name, "must be a list of texts"))
        return ()
    return tuple(value)


def as_code(value: object, name: str, out: list[Problem]) -> object:
    """Text, or a whole number written as text (credibility 2, an id 17)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return as_text(value, name, out)


def as_outcome(value: object, name: str, out: list[Problem]) -> object:
    """True, False or None (JSON null)."""
    if value is not None and not isinstance(value, bool):
        out.append((name, f"true, false or null, got {value!r}"))
    return value


def as_probability(value: object, name: str, out: list[Problem]) -> object:
    """A finite number (fraction of 1; the range is the record's rule) or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        out.append((name, f"a number in [0, 1] or null, got {value!r}"))
        return None
    return float(value)


def take(cls_name: str, data: object, spec: Mapping[str, tuple[Convert, object]],
         prefix: str) -> tuple[dict[str, object], list[Problem]]:
    """The keyword arguments for ``cls_name`` from ``data`` by ``spec`` (field -> (converter, default); the
    default ``...`` marks a required field), and the problems found on the way."""
    out: list[Problem] = []
    if not isinstance(data, Mapping):
        return {}, [(prefix.rstrip(".") or cls_name, f"a {cls_name} is an object, got {type(data).__name__}")]
    for key in data:
        if key not in spec:
            out.append((f"{prefix}{key}", f"unknown field (a {cls_name} has {', '.join(spec)})"))
    kwargs: dict[str, object] = {}
    for key, (convert, default) in spec.items():
        if key not in data:
            if default is ...:
                out.append((f"{prefix}{key}", "required"))
            else:
                kwargs[key] = default
            continue
        kwargs[key] = convert(data[key], f"{prefix}{key}", out)
    return kwargs, out


def nested(cls: Any, limit: int) -> Convert:  # noqa: ANN401 (a dataclass with _from)
    """A converter of a list of at most ``limit`` records of ``cls`` (each read by ``cls._from(item, prefix)``)."""
    def convert(value: object, name: str, out: list[Problem]) -> object:
        if not isinstance(value, list | tuple):
            out.append((name, "must be a list"))
            return ()
        if len(value) > limit:
            out.append((name, f"at most {limit} items (got {len(value)})"))
            return ()
        items = []
        for i, item in enumerate(value):
            made, problems = cls._from(item, f"{name}[{i}].")
            out.extend(problems)
            items.append(made)
        return tuple(items)

    return convert


def finish(cls: type[T], kwargs: dict[str, object], out: list[Problem],
           prefix: str = "") -> tuple[T | None, list[Problem]]:
    """``(record, [])`` built from ``kwargs`` when ``out`` is empty and the record's own ``problems()`` too;
    otherwise ``(None, problems)`` (the record's named with ``prefix``)."""
    if out:
        return None, out
    made = cls(**kwargs)
    problems = [(f"{prefix}{f}", r) for f, r in made.problems()]  # type: ignore[attr-defined]
    return (None, problems) if problems else (made, [])
