"""MISP machine-tag taxonomies: the vocabularies MISP and OpenCTI users tag incidents and indicators with.

A machine tag (MISP taxonomy format, ``MISP/misp-rfc`` ``misp-taxonomy-format``) is ``namespace:predicate`` or
``namespace:predicate="value"``: ``tlp:amber``, ``rsit:fraud="phishing"``, ``admiralty-scale:source-reliability="b"``.
A taxonomy file (``<namespace>/machinetag.json``) lists a namespace's predicates and, per predicate, its values,
with their human-readable ``expanded`` names, descriptions, optional ``numerical_value`` (0-100, for scoring) and
whether the predicates (namespace-level ``exclusive``) or a predicate's values (predicate-level ``exclusive``) are
mutually exclusive.

Kompas reads nine of them (:data:`NAMESPACES`): ``tlp``, ``euci``, ``PAP``, ``admiralty-scale``,
``estimative-language``, ``rsit`` (ENISA's Reference Security Incident Taxonomy), ``nis2``, ``exercise`` and
``state-responsibility``. Copies ship in ``kompas/data/cyber/taxonomies/`` (byte-for-byte from MISP/misp-taxonomies
at commit ``7591c551``, CC0/BSD-2, see the PROVENANCE.md there), so :func:`default_taxonomies` works without
``../shared``; :func:`shared_folder` finds the originals in ``../shared/data/cyber/misp-taxonomies``.

The engine part (:func:`parse_taxonomy`, :class:`Taxonomy`, :class:`MachineTag`) is pure; :func:`read_taxonomy`,
:func:`read_taxonomies` and :func:`default_taxonomies` are the readers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["NAMESPACES", "Entry", "MachineTag", "Predicate", "Taxonomy", "TaxonomyError", "default_taxonomies",
           "packaged_folder", "parse_taxonomy", "read_taxonomies", "read_taxonomy", "shared_folder"]

#: The taxonomies Kompas reads (folder names in MISP/misp-taxonomies; ``PAP`` is spelled in capitals there).
NAMESPACES = ("PAP", "admiralty-scale", "estimative-language", "euci", "exercise", "nis2", "rsit",
              "state-responsibility", "tlp")
PACKAGED = "cyber/taxonomies"  #: the shipped copies, under ``kompas/data/``
SHARED = "cyber/misp-taxonomies"  #: the originals, under ``../shared/data/``


class TaxonomyError(ValueError):
    """A taxonomy file that is not in the MISP taxonomy format, or a tag that a taxonomy does not define."""


@dataclass(frozen=True)
class Entry:
    """One value of a predicate: ``rsit:fraud="phishing"`` is the entry ``phishing`` of the predicate ``fraud``."""

    value: str
    expanded: str = ""  #: human-readable name ("Phishing")
    description: str = ""
    numerical_value: float | None = None  #: 0-100 where the taxonomy gives one (admiralty scale, estimative language)
    colour: str = ""


@dataclass(frozen=True)
class Predicate:
    """One predicate of a taxonomy with its entries (none for predicate-only tags such as ``tlp:amber``)."""

    value: str
    expanded: str = ""
    description: str = ""
    exclusive: bool = False  #: at most one of its entries on one item
    numerical_value: float | None = None
    colour: str = ""
    entries: tuple[Entry, ...] = ()

    def entry(self, value: str) -> Entry | None:
        """The entry spelled ``value`` (exactly, else case-insensitively when that is unambiguous), or None."""
        return _find(self.entries, value)


@dataclass(frozen=True)
class Taxonomy:
    """A MISP machine-tag taxonomy (namespace, version, predicates and their entries)."""

    namespace: str
    version: int
    description: str
    predicates: tuple[Predicate, ...]
    expanded: str = ""
    exclusive: bool = False  #: at most one of its predicates on one item (``tlp``, ``euci``, ``PAP``)
    refs: tuple[str, ...] = ()
    uuid: str = ""

    def predicate(self, value: str) -> Predicate | None:
        """The predicate spelled ``value`` (exactly, else case-insensitively when unambiguous), or None."""
        return _find(self.predicates, value)

    @property
    def entry_count(self) -> int:
        """The number of predicate values (entries) over all predicates."""
        return sum(len(p.entries) for p in self.predicates)

    def resolve(self, tag: MachineTag) -> tuple[Predicate, Entry | None]:
        """The predicate and entry a tag of this namespace names; raises :class:`TaxonomyError` saying what is
        wrong (unknown predicate, unknown value, a value on a predicate that has none, or a missing value)."""
        predicate = self.predicate(tag.predicate)
        if predicate is None:
            raise TaxonomyError(f"{tag}: {self.namespace} has no predicate {tag.predicate!r} (expected one of "
                                f"{', '.join(p.value for p in self.predicates)})")
        if tag.value is None:
            if predicate.entries:
                raise TaxonomyError(f"{tag}: {self.namespace}:{predicate.value} needs a value (one of "
                                    f"{', '.join(e.value for e in predicate.entries)})")
            return predicate, None
        if not predicate.entries:
            raise TaxonomyError(f"{tag}: {self.namespace}:{predicate.value} takes no value")
        entry = predicate.entry(tag.value)
        if entry is None:
            raise TaxonomyError(f"{tag}: {self.namespace}:{predicate.value} has no value {tag.value!r} (expected one "
                                f"of {', '.join(e.value for e in predicate.entries)})")
        return predicate, entry

    def canonical(self, tag: MachineTag) -> MachineTag:
        """``tag`` spelled as the taxonomy spells it (``pap:red`` -> ``PAP:RED``); raises :class:`TaxonomyError`."""
        predicate, entry = self.resolve(tag)
        return MachineTag(self.namespace, predicate.value, entry.value if entry else None)

    def tags(self) -> list[MachineTag]:
        """Every tag the taxonomy defines: each entry, and each predicate that has no entries."""
        return [MachineTag(self.namespace, p.value, e.value) for p in self.predicates for e in p.entries] + \
            [MachineTag(self.namespace, p.value, None) for p in self.predicates if not p.entries]


_MACHINE_TAG = re.compile(r'^(?P<ns>[^\s:="]+):(?P<pred>[^\s="]+)(?:=(?:"(?P<quoted>.*)"|(?P<bare>[^\s"]+)))?$',
                          re.DOTALL)


@dataclass(frozen=True, order=True)
class MachineTag:
    """A parsed machine tag. ``str()`` gives the MISP spelling, ``ns:pred="value"`` or ``ns:pred``."""

    namespace: str
    predicate: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> MachineTag | None:
        """The machine tag in ``text``, or None when it is a free-text tag (``for_intelmq_processing``,
        ``PasteBin: MALWAREMESSIAGH``). The predicate is everything between the first ``:`` and ``=``: TLP's
        extension ``tlp:ex:chr`` has a colon in its predicate."""
        found = _MACHINE_TAG.match(text.strip())
        if not found:
            return None
        value = found.group("quoted") if found.group("quoted") is not None else found.group("bare")
        return cls(found.group("ns"), found.group("pred"), value)

    def __str__(self) -> str:
        return f"{self.namespace}:{self.predicate}" if self.value is None else \
            f'{self.namespace}:{self.predicate}="{self.value}"'


def _find(items: Iterable[Any], value: str) -> Any:  # noqa: ANN401 (an Entry or a Predicate)
    items = tuple(items)
    for item in items:
        if item.value == value:
            return item
    folded = [item for item in items if item.value.lower() == value.lower()]
    return folded[0] if len(folded) == 1 else None


def _text(data: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
    value = data.get(key, "")
    if required and (not isinstance(value, str) or not value):
        raise TaxonomyError(f"{where}: '{key}' must be a non-empty string")
    if not isinstance(value, str):
        raise TaxonomyError(f"{where}: '{key}' must be a string")
    return value


def _number(data: Mapping[str, Any], where: str) -> float | None:
    value = data.get("numerical_value")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TaxonomyError(f"{where}: 'numerical_value' must be a number")
    return float(value)


def _flag(data: Mapping[str, Any], where: str) -> bool:
    value = data.get("exclusive", False)
    if not isinstance(value, bool):
        raise TaxonomyError(f"{where}: 'exclusive' must be true or false")
    return value


def parse_taxonomy(data: Any, source: str = "machinetag.json") -> Taxonomy:  # noqa: ANN401 (decoded JSON)
    """A :class:`Taxonomy` from the decoded JSON of a ``machinetag.json`` file; raises :class:`TaxonomyError`
    naming ``source`` and the place when the document is not in the MISP taxonomy format (namespace, description,
    version and a non-empty ``predicates`` list required; ``values`` entries must name a known predicate)."""
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{source}: not a JSON object")
    namespace = _text(data, "namespace", source, required=True)
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise TaxonomyError(f"{source}: 'version' must be an unsigned integer")
    raw_predicates = data.get("predicates")
    if not isinstance(raw_predicates, list) or not raw_predicates:
        raise TaxonomyError(f"{source}: 'predicates' must be a non-empty list")
    values: dict[str, list[Entry]] = {}
    raw_values = data.get("values", [])
    if not isinstance(raw_values, list):
        raise TaxonomyError(f"{source}: 'values' must be a list")
    for i, block in enumerate(raw_values):
        where = f"{source}: values[{i}]"
        if not isinstance(block, Mapping) or not isinstance(block.get("entry"), list):
            raise TaxonomyError(f"{where}: needs 'predicate' and an 'entry' list")
        predicate = _text(block, "predicate", where, required=True)
        for j, entry in enumerate(block["entry"]):
            at = f"{where}.entry[{j}]"
            if not isinstance(entry, Mapping):
                raise TaxonomyError(f"{at}: not an object")
            values.setdefault(predicate, []).append(Entry(
                _text(entry, "value", at, required=True), _text(entry, "expanded", at),
                _text(entry, "description", at), _number(entry, at), _text(entry, "colour", at)))
    predicates = []
    for i, raw in enumerate(raw_predicates):
        where = f"{source}: predicates[{i}]"
        if not isinstance(raw, Mapping):
            raise TaxonomyError(f"{where}: not an object")
        value = _text(raw, "value", where, required=True)
        predicates.append(Predicate(value, _text(raw, "expanded", where), _text(raw, "description", where),
                                    _flag(raw, where), _number(raw, where), _text(raw, "colour", where),
                                    tuple(values.pop(value, []))))
    if values:
        raise TaxonomyError(f"{source}: 'values' names predicates that 'predicates' does not list: {sorted(values)}")
    refs = data.get("refs", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise TaxonomyError(f"{source}: 'refs' must be a list of strings")
    return Taxonomy(namespace, version, _text(data, "description", source, required=True), tuple(predicates),
                    _text(data, "expanded", source), _flag(data, source), tuple(refs), _text(data, "uuid", source))


def packaged_folder() -> Path:
    """``kompas/data/cyber/taxonomies``: the copies shipped with Kompas."""
    from kompas.files import packaged

    return packaged(PACKAGED)


def shared_folder() -> Path | None:
    """``../shared/data/cyber/misp-taxonomies`` (found by :mod:`kompas.locate`), or None when absent."""
    from kompas.locate import shared_data

    return shared_data(SHARED)


def read_taxonomy(namespace: str, folder: str | Path | None = None) -> Taxonomy:
    """Read ``<folder>/<namespace>/machinetag.json`` (default: the shipped copies). Raises
    :class:`kompas.files.NoSuchPath` when it is absent and :class:`TaxonomyError` when it is malformed."""
    from kompas.files import read_text

    path = Path(folder if folder is not None else packaged_folder()) / namespace / "machinetag.json"
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TaxonomyError(f"{path}: not JSON: {error.msg} (line {error.lineno})") from None
    return parse_taxonomy(data, str(path))


def read_taxonomies(folder: str | Path | None = None,
                    namespaces: Iterable[str] = NAMESPACES) -> dict[str, Taxonomy]:
    """Every taxonomy of ``namespaces`` in ``folder`` (default: the shipped copies), by namespace."""
    return {ns: read_taxonomy(ns, folder) for ns in namespaces}


@cache
def default_taxonomies() -> Mapping[str, Taxonomy]:
    """The shipped taxonomies (read once per process), by namespace as the files spell it (``PAP``, ``tlp``)."""
    return read_taxonomies()
