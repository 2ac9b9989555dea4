"""Limits on what crosses the boundary: body sizes, JSON nesting depth and text, XML without entities.

Every input from outside (an API request body, a file the CLI reads) is checked here *before* it is parsed, so
that no parser meets a document built to exhaust it:

- **size**: :func:`body_limit` gives the largest body (bytes) a route class accepts: bulk imports
  (:data:`BULK_ROUTES`: STIX bundles, FIMI incidents, contributions, cyber files, infrastructure
  elements, forces registers) up to :data:`BULK_BODY_BYTES`,
  every other request up to :data:`SMALL_BODY_BYTES`;
- **depth**: :func:`json_depth` measures the nesting of a JSON text by scanning its brackets outside strings,
  iteratively (no recursion, no parsing), so that a document nested 100 000 deep never reaches ``json.loads`` and
  its recursion; :data:`MAX_JSON_DEPTH` is the deepest any input may be;
- **text**: :func:`json_text_problem` refuses a JSON text that is not UTF-8 or escapes a lone UTF-16 surrogate
  (``\\ud800`` without its pair: no UTF-8 form, so no database or answer can hold it), and with ``controls`` a
  control character other than tab, line feed and carriage return; :func:`text_problem` is the rule for one text
  field (titles, names: no control characters either). Request bodies are checked without ``controls``: a
  schema-valid document may carry them in free text, and the text fields that may not say so themselves;
- **XML**: :func:`parse_xml` parses with defusedxml and refuses any DTD, entity declaration or external reference
  (the billion-laughs bomb, XXE) and nesting deeper than :data:`MAX_XML_DEPTH`.

Pure: no HTTP and no database; the API applies it in :mod:`kompas.api.guard`, the CLI readers through
:func:`loads`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element

import numpy as np

MAX_XML_DEPTH = 32  #: Deepest nesting of XML elements in any XML input (CCSDS messages: under 8).
MAX_JSON_DEPTH = 32  #: Deepest nesting of arrays and objects in any JSON input (an event's own fields: 16).
BULK_BODY_BYTES = 16 * 1024 * 1024  #: Largest body of a bulk import (bytes).
SMALL_BODY_BYTES = 256 * 1024  #: Largest body of any other request (bytes).
#: Paths (exact) of the bulk imports; every other request body is small.
BULK_ROUTES = ("/api/v1/events/stix", "/api/v1/fimi/incidents", "/api/v1/fimi/incidents/stix",
               "/api/v1/contributions", "/api/v1/cyber/incidents", "/api/v1/cyber/inventory",
               "/api/v1/infra/elements", "/api/v1/forces/contributions")
ALLOWED_CONTROLS = frozenset({0x09, 0x0A, 0x0D})  #: Control characters a text may hold: tab, LF, CR.

_ANY_ESCAPE = re.compile(rb'\\.', re.DOTALL)  #: a backslash and the byte it escapes (left to right: ``\\\\`` is one)
#: Escapes that may hide a character a text may not hold (\\uXXXX, \\b, \\f): a quick test before the tokenizer.
_SUSPECT = re.compile(rb'\\(?:u[0-9a-fA-F]{4}|[bf])')
_SUSPECT_SURROGATE = re.compile(rb'\\u[dD][89a-fA-F][0-9a-fA-F]{2}')  #: the same for surrogates only
#: Escapes, left to right: an escaped backslash (consumed, so that ``\\\\u`` is no escape), ``\\uXXXX``,
#: ``\\b``, ``\\f``.
_ESCAPE = re.compile(rb'\\(?:\\|u([0-9a-fA-F]{4})|([bf]))')
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class LimitError(ValueError):
    """An input over a limit: its message says which limit and is safe to show to the sender."""


def body_limit(path: str, bulk: int = BULK_BODY_BYTES) -> int:
    """Largest request body (bytes) accepted on ``path``: ``bulk`` for :data:`BULK_ROUTES`, else
    :data:`SMALL_BODY_BYTES`."""
    return bulk if path.rstrip("/") in BULK_ROUTES else SMALL_BODY_BYTES


def json_depth(data: bytes | str) -> int:
    """Nesting depth of the arrays and objects of a JSON text (0 for a scalar), counted on its brackets outside
    string literals, without recursion and without parsing (a malformed text is measured as far as it goes): the
    escapes are dropped, then a running parity of the quotes tells which bytes lie inside strings (vectorised)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if b"\\" in raw:
        raw = _ANY_ESCAPE.sub(b"", raw)
    codes = np.frombuffer(raw, dtype=np.uint8)
    opens = (codes == ord("[")) | (codes == ord("{"))
    if int(np.count_nonzero(opens)) == 0:
        return 0
    steps = opens.astype(np.int8) - ((codes == ord("]")) | (codes == ord("}"))).astype(np.int8)
    steps[np.logical_xor.accumulate(codes == ord('"'))] = 0  # inside a string
    return max(0, int(np.cumsum(steps, dtype=np.int32).max()))


def json_text_problem(data: bytes | str, max_depth: int = MAX_JSON_DEPTH, controls: bool = False) -> str | None:
    """Why the JSON text ``data`` may not be parsed (nested deeper than ``max_depth``, not UTF-8, a lone
    surrogate escaped in a string, and with ``controls`` a control character but tab, LF and CR), or None.
    Scans the text; parses nothing."""
    if isinstance(data, str):
        text, raw = data, data.encode("utf-8", "surrogatepass")
    else:
        raw = bytes(data)
        if b"\x00" in raw:  # no JSON text in UTF-8 holds a NUL byte; UTF-16 and UTF-32 ones (which json.loads would
            return "not UTF-8 text (a NUL byte: UTF-16 or UTF-32?)"  # decode) do, and would hide from this scan
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return f"not UTF-8 text (byte {error.start})"
    problem = text_problem(text, controls)
    if problem:
        return problem
    depth = json_depth(raw)
    if depth > max_depth:
        return f"JSON nested deeper than {max_depth} levels"
    if not (_SUSPECT if controls else _SUSPECT_SURROGATE).search(raw):
        return None
    pending_high = -1  # end offset of a high surrogate escape still waiting for its low half
    for match in _ESCAPE.finditer(raw):
        if match.group(1) is None:
            if match.group(2) is None or not controls:
                continue  # an escaped backslash, or \b \f when control characters are allowed
            return "a text with a control character (only tab, line feed and carriage return are allowed)"
        code = int(match.group(1), 16)
        escape_start = match.start()
        if pending_high >= 0:
            if escape_start == pending_high and 0xDC00 <= code <= 0xDFFF:
                pending_high = -1
                continue
            return "a text with a lone UTF-16 surrogate (not Unicode text)"
        if 0xD800 <= code <= 0xDBFF:
            pending_high = match.end()
        elif 0xDC00 <= code <= 0xDFFF:
            return "a text with a lone UTF-16 surrogate (not Unicode text)"
        elif controls and ((code < 0x20 and code not in ALLOWED_CONTROLS) or code == 0x7F):
            return ("a text with a NUL character" if code == 0 else
                    "a text with a control character (only tab, line feed and carriage return are allowed)")
    if pending_high >= 0:
        return "a text with a lone UTF-16 surrogate (not Unicode text)"
    return None


def text_problem(text: str, controls: bool = True) -> str | None:
    """Why the text field ``text`` may not be stored (a lone surrogate; with ``controls`` a NUL or another control
    character but tab, LF, CR), or None."""
    if _SURROGATE.search(text):
        return "a text with a lone UTF-16 surrogate (not Unicode text)"
    found = _CONTROL_TEXT.search(text) if controls else None
    if found:
        return "a text with a NUL character" if found.group() == "\x00" else \
            "a text with a control character (only tab, line feed and carriage return are allowed)"
    return None


def check_json(data: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise :class:`LimitError` when :func:`json_text_problem` finds a problem in ``data`` (control characters
    allowed, as in request bodies)."""
    problem = json_text_problem(data, max_depth)
    if problem:
        raise LimitError(problem)


def loads(data: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` after :func:`check_json`: :class:`LimitError` for a text over the limits, ``ValueError``
    (``json.JSONDecodeError``) for one that is not JSON."""
    check_json(data, max_depth)
    return json.loads(data)


def parse_xml(text: str | bytes) -> Element:
    """The root element of an XML document, parsed by defusedxml: a DTD, an entity declaration or an external
    reference (the billion-laughs bomb, XXE) or nesting deeper than :data:`MAX_XML_DEPTH` is refused
    (:class:`LimitError`); ``xml.etree.ElementTree.ParseError`` for text that is not XML. (The CCSDS readers in
    :mod:`kompas.space` apply the same rules themselves: engines do not import the platform.)"""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise LimitError(f"XML with a DTD or entities is refused ({type(error).__name__})") from None
    stack = [(root, 1)]
    while stack:  # iterative: a document nested 100 000 deep is measured, not recursed into
        element, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise LimitError(f"XML nested deeper than {MAX_XML_DEPTH} elements")
        stack.extend((child, depth + 1) for child in element)
    return root
