"""Parsing the text of configuration and rule files, shared by the engines' parse functions.

The engines take text and the name of where it came from (a path, ``"posted"``, ...); reading the text is
:mod:`kompas.files`. Every error here is a ``ValueError`` whose message starts with that source name.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["NoAliases", "yaml_document", "yaml_mapping"]


class NoAliases(yaml.SafeLoader):
    """A safe loader that refuses aliases (``*name``): a few hundred bytes of nested aliases expand to gigabytes
    when the document is walked or printed (the "billion laughs"), so YAML from users (uploads, request bodies) is
    read with this. Anchors alone (``&name``) are harmless and accepted. Nesting deeper than :data:`MAX_DEPTH` is
    refused too (the composer recurses: ``[[[[...`` would exhaust the stack)."""

    MAX_DEPTH = 64
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted here",
                                              event.start_mark)
        if self._depth >= self.MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {self.MAX_DEPTH} levels",
                                              self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def yaml_document(text: str, source: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:  # noqa: ANN401
    """The YAML document in ``text`` (None when it is empty), read with a safe ``loader``; raises ``ValueError``
    ``SOURCE: not YAML: REASON (line N)`` when it is not YAML."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (loader is a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ValueError(f"{source}: not YAML: {problem}{where}") from None


def yaml_mapping(text: str, source: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> dict:
    """The YAML mapping in ``text`` (``{}`` for an empty document); raises ``ValueError`` naming ``source`` when
    the text is not YAML or its top level is not a mapping of keys to values."""
    data = yaml_document(text, source, loader)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{source}: not a YAML mapping (key: value) at the top level")
    return data
