"""The SPARTA technique vocabulary for ISAC reports: id -> name and tactic, and the check of a report's ids.

SPARTA (Space Attack Research and Tactic Analysis, The Aerospace Corporation, sparta.aerospace.org) as the MISP
galaxy packages it: ``../shared/data/space-threats/sparta/sparta-techniques.json`` (258 entries: 83 techniques,
131 sub-techniques, 44 ``SV-*`` related-work threats; counts in that folder's PROVENANCE.md). The galaxy is parsed
by :func:`kompas.response.techniques.parse_sparta` (reused, not rewritten); SPARTA's own terms of use are not
verified, so the file is read from ``../shared`` only and never shipped.

:func:`check_ids` validates the SPARTA ids of a report: an id of the right shape (:data:`kompas.isac.model.
SPARTA_ID`) that the vocabulary does not hold is a :class:`~kompas.rejections.Rejection` naming the nearest known
id (``difflib``'s ratio, the standard library's sequence matcher: no need for more for 258 short ids). Without the
vocabulary (``vocabulary=None``), ids matching the pattern are accepted and the answer says the vocabulary was not
checked.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kompas.isac.model import SPARTA_ID
from kompas.rejections import Rejection

__all__ = ["SPARTA_URL", "Checked", "Technique", "Vocabulary", "check_ids", "parse_vocabulary",
           "technique_url"]

SPARTA_URL = "https://sparta.aerospace.org/"
_EMPTY_GALAXY = '{"values": []}'


@dataclass(frozen=True)
class Technique:
    """A SPARTA technique, sub-technique or related-work threat: id, name, tactics (``execution`` ...), kind."""

    id: str
    name: str
    tactics: tuple[str, ...]
    kind: str  #: "technique", "sub-technique" or "threat"
    uuid: str = ""  #: the galaxy cluster's uuid (for MISP galaxy references)


@dataclass(frozen=True)
class Vocabulary:
    """The SPARTA ids Kompas knows, and the galaxy entries that could not be read."""

    techniques: Mapping[str, Technique]
    source: str = ""
    rejected: tuple[Rejection, ...] = ()

    def name(self, technique_id: str) -> str:
        """The name of a technique ("" when unknown)."""
        found = self.techniques.get(technique_id)
        return found.name if found else ""

    def counts(self) -> dict[str, int]:
        """Entries per kind (technique, sub-technique, threat) and in all."""
        out = {"technique": 0, "sub-technique": 0, "threat": 0}
        for t in self.techniques.values():
            out[t.kind] += 1
        out["all"] = len(self.techniques)
        return out


def technique_url(technique_id: str) -> str:
    """SPARTA's page of an id, as the galaxy's ``refs`` spell them: ``technique/EX-0016/03/`` for a sub-technique,
    ``related-work/threats/SV-AV-1`` for a threat."""
    if technique_id.startswith("SV-"):
        return f"{SPARTA_URL}related-work/threats/{technique_id}"
    return f"{SPARTA_URL}technique/{technique_id.replace('.', '/')}/"


def parse_vocabulary(text: str, source: str = "sparta-techniques.json") -> Vocabulary:
    """The vocabulary from the text of the galaxy's technique cluster file. Raises ``ValueError`` naming
    ``source`` when it is not a galaxy cluster file; entries without an id or name, or seen twice, are rejected."""
    from kompas.response.techniques import parse_sparta

    sparta, bad = parse_sparta(text, _EMPTY_GALAXY, source, "(no mitigations read)")
    return Vocabulary({k: Technique(k, e.name, e.tactics, e.kind, e.uuid) for k, e in sparta.entries.items()}, source,
                      tuple(bad))


@dataclass(frozen=True)
class Checked:
    """The ids accepted, the rejections, and whether they were checked against the vocabulary."""

    accepted: tuple[str, ...]
    rejections: tuple[Rejection, ...]
    vocabulary_checked: bool
    note: str = ""


def check_ids(ids: Iterable[str], vocabulary: Vocabulary | None, source: str = "", item: int = 0,
              field: str = "sparta_ids") -> Checked:
    """Validate SPARTA ids: each must match the SPARTA id pattern and, with a vocabulary, be one of its ids.
    A bad id is rejected (``source``, ``item``, ``field[i]``, reason naming the nearest known id) and the others
    accepted."""
    accepted: list[str] = []
    rejections: list[Rejection] = []
    for i, raw in enumerate(ids):
        text = str(raw).strip()
        where = f"{field}[{i}]"
        if not SPARTA_ID.match(text):
            rejections.append(Rejection(source, item, where, f"{text!r} is not a SPARTA id (e.g. EX-0016.03, "
                                        "IMP-0002, SV-AV-1)", text, unit="item"))
            continue
        if vocabulary is not None and text not in vocabulary.techniques:
            near = difflib.get_close_matches(text, list(vocabulary.techniques), n=1, cutoff=0.0)
            hint = f"; nearest known id: {near[0]} ({vocabulary.techniques[near[0]].name})" if near else ""
            rejections.append(Rejection(source, item, where, f"{text} is not in the SPARTA vocabulary "
                                        f"({vocabulary.source}){hint}", text, unit="item"))
            continue
        accepted.append(text)
    note = "" if vocabulary is not None else ("SPARTA vocabulary not checked (no galaxy file given): ids were "
                                              "accepted on their pattern only")
    return Checked(tuple(dict.fromkeys(accepted)), tuple(rejections), vocabulary is not None, note)
