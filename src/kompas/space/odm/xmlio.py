"""XML encoding of the ODMs: parsed with defusedxml (no DTD, no entities, no external references), depth and size
bounded, each element's line kept, then translated into the KVN tokens of :mod:`kompas.space.odm.common` so the
message parsers see one form; and a small builder for the writers.

The translation follows the NDM/XML schema's shapes (``<oem>``/``<opm>``/``<ocm>`` with ``header``, ``body``,
``segment``, ``metadata``, ``data``): an element the schema does not allow where it stands is rejected with its
line, never skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from kompas.rejections import Rejection
from kompas.space.odm.common import MAX_LINES, OdmError, Token

#: Deepest element nesting read (an ODM in an NDM container nests 8 deep).
MAX_XML_DEPTH = 16


def local(tag: str) -> str:
    """The tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


class Tree:
    """A parsed XML message: the root element and the line of each element's start tag."""

    def __init__(self, root: ET.Element, lines: dict[int, int], source: str) -> None:
        self.root = root
        self.lines = lines
        self.source = source
        self.problems: list[Rejection] = []

    def line(self, element: ET.Element) -> int:
        return self.lines.get(id(element), 0)

    def reject(self, element: ET.Element, field: str, reason: str, value: str = "") -> None:
        self.problems.append(Rejection(self.source, self.line(element), field, reason, value))

    def children(self, element: ET.Element) -> list[ET.Element]:
        return list(element)

    def text(self, element: ET.Element) -> str:
        return (element.text or "").strip()

    def leaf_token(self, element: ET.Element) -> Token | None:
        """A leaf element as a ``kv`` or ``comment`` token (``USER_DEFINED parameter="P"`` -> USER_DEFINED_P);
        None (and a rejection) for an element with children."""
        tag = local(element.tag)
        if len(element):
            self.reject(element, tag, "expected a value, found nested elements")
            return None
        if tag == "COMMENT":
            return Token(self.line(element), "comment", "COMMENT", self.text(element))
        if tag == "USER_DEFINED":
            parameter = element.get("parameter", "").strip()
            if not parameter:
                self.reject(element, tag, "USER_DEFINED without its parameter attribute")
                return None
            tag = f"USER_DEFINED_{parameter}"
        return Token(self.line(element), "kv", tag, self.text(element), units=element.get("units", ""))

    def leaves(self, element: ET.Element) -> list[Token]:
        """The leaf children of ``element`` as tokens."""
        return self.leaves_of(list(element))

    def leaves_of(self, elements: Iterable[ET.Element]) -> list[Token]:
        """Leaf elements as tokens."""
        return [t for child in elements if (t := self.leaf_token(child)) is not None]

    def expect(self, element: ET.Element, names: tuple[str, ...]) -> Iterator[tuple[str, ET.Element]]:
        """The children whose tag is one of ``names``; a rejection for each other one."""
        for child in element:
            tag = local(child.tag)
            if tag in names:
                yield tag, child
            else:
                self.reject(child, tag, f"element not allowed in <{local(element.tag)}> (expected one of "
                                        f"{', '.join(names)})")

    def version_token(self, keyword: str) -> Token:
        return Token(self.line(self.root), "kv", keyword, (self.root.get("version") or "").strip())

    def body_segments(self) -> Iterator[ET.Element]:
        """The ``header`` is handled by the caller; yields each ``body/segment``."""
        for tag, child in self.expect(self.root, ("header", "body")):
            if tag == "body":
                for _, segment in self.expect(child, ("segment",)):
                    yield segment

    def header(self) -> ET.Element | None:
        found = [c for c in self.root if local(c.tag) == "header"]
        return found[0] if found else None

    def done(self) -> None:
        if self.problems:
            raise OdmError(self.problems)


def parse(text: str, source: str) -> Tree:
    """Parse an XML message safely, keeping line numbers; the root may be an ``<ndm>`` holding one message.
    Raises :class:`OdmError` for XML that is not well-formed, has a DTD or entities, is too deep or too long."""
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=("start", "end"), _parser=DefusedXMLParser(
        target=ET.TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True))
    lines: dict[int, int] = {}
    depth = 0
    root: ET.Element | None = None
    try:
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            if number > MAX_LINES:
                raise OdmError([Rejection(source, number, "XML", f"more than {MAX_LINES} lines; not read")])
            parser.feed(line)
            for item in parser.read_events():
                event, element = cast(tuple[str, ET.Element], item)
                if event == "start":
                    depth += 1
                    lines[id(element)] = number
                    if root is None:
                        root = element
                    if depth > MAX_XML_DEPTH:
                        raise OdmError([Rejection(source, number, "XML", f"nested deeper than {MAX_XML_DEPTH} "
                                                                         "elements (no ODM is); not read")])
                else:
                    depth -= 1
        parser.close()
    except ET.ParseError as err:
        raise OdmError([Rejection(source, err.position[0], "XML", f"not well-formed: {err}")]) from None
    except DefusedXmlException as err:
        raise OdmError([Rejection(source, 1, "XML", f"XML with a DTD or entities is refused "
                                                    f"({type(err).__name__})")]) from None
    if root is None:
        raise OdmError([Rejection(source, 1, "XML", "empty document")])
    if local(root.tag) == "ndm":
        messages = [c for c in root if local(c.tag) in ("oem", "opm", "ocm", "omm")]
        if len(messages) != 1 or len(root) != 1:
            raise OdmError([Rejection(source, lines.get(id(root), 1), "ndm", "an NDM container is read here only "
                                      f"when it holds exactly one ODM, found {len(root)} element(s)")])
        root = messages[0]
    return Tree(root, lines, source)


class Builder:
    """Builds an ODM XML document element by element (``with b.element(tag): ...``)."""

    def __init__(self, root: str, version_id: str, version: str) -> None:
        self.root = ET.Element(root, {"id": version_id, "version": version})
        self.stack = [self.root]

    @contextmanager
    def element(self, tag: str) -> Iterator[ET.Element]:
        node = ET.SubElement(self.stack[-1], tag)
        self.stack.append(node)
        try:
            yield node
        finally:
            self.stack.pop()

    def leaf(self, tag: str, value: str) -> None:
        if tag.startswith("USER_DEFINED_"):
            ET.SubElement(self.stack[-1], "USER_DEFINED", {"parameter": tag[len("USER_DEFINED_"):]}).text = value
        else:
            ET.SubElement(self.stack[-1], tag).text = value

    def leaves(self, pairs: Iterable[tuple[str, str]]) -> None:
        for tag, value in pairs:
            self.leaf(tag, value)

    def comments(self, comments: Iterable[str]) -> None:
        for comment in comments:
            self.leaf("COMMENT", comment)

    def text(self) -> str:
        ET.indent(self.root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(self.root, encoding="unicode") + "\n"
