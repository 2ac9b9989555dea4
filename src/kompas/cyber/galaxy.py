"""The MISP threat-actor galaxy: actor names, synonyms, suspected sponsor country, and its links to ATT&CK groups.

Source: ``../shared/data/cyber/misp-galaxy/clusters/threat-actor.json`` (MISP/misp-galaxy at commit 9434ace4,
galaxy version 349, 1,041 clusters; CC0 1.0 or BSD-2-Clause, see ``misp-galaxy/LICENSE.md`` and
``../shared/data/cyber/PROVENANCE.md``; the descriptions quote the CFR Cyber Operations Tracker and vendor reports,
which keep their own terms). Read from ../shared, not shipped.

Each cluster (:class:`Cluster`) keeps its ``value`` (name), ``meta.synonyms``, ``meta.country`` (ISO 3166 alpha-2,
the suspected sponsor), its string-valued ``meta`` fields (e.g. ``GRU: Military unit 74455``), ``related`` items
and the ATT&CK group ids the galaxy itself states. The galaxy links a cluster to ATT&CK in four ways, all read:

- ``related`` items whose ``dest-uuid`` is the UUID of an ATT&CK ``intrusion-set`` (MISP's ATT&CK galaxies reuse
  ATT&CK's STIX UUIDs; Sandworm's cluster is ``similar`` to ``381fcf73-...``, ATT&CK's G0034);
- ``meta.name-attribution`` entries ``G0034:<uuid>`` (a name and the organisation naming it; MITRE's for G-ids);
- ``meta.synonyms`` entries that are a G-id (``G0034``);
- ``meta.refs`` URLs ``https://attack.mitre.org/groups/G0034``.

:func:`attack_groups` gives a cluster's active ATT&CK groups with how each is linked. When the galaxy links a
cluster to no active group (e.g. "Callisto"), it falls back to names: the cluster's value or a synonym equal (any
case) to an ATT&CK group's name or alias ("Star Blizzard" -> G1033), and says so. A G-id that is not an active
ATT&CK group (revoked or deprecated, e.g. G0058 Charming Kitten) is reported, not followed. In version 349 with
ATT&CK v18.1: 942 of the 1,041 clusters state no ATT&CK id or UUID at all; 91 clusters link to an active group by
the galaxy's own statements and 91 more by name (the tests check these counts).

The parser (:func:`parse_galaxy`) is pure; :func:`read_galaxy` is the thin reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from kompas.cyber.attack import AttackIndex
from kompas.rejections import Rejection

__all__ = ["Cluster", "Galaxy", "GalaxyLink", "attack_groups", "clusters_of_group", "parse_galaxy", "read_galaxy"]

_GID = re.compile(r"^(G\d{4})\b")
_GROUP_URL = re.compile(r"attack\.mitre\.org/groups/(G\d{4})")


@dataclass(frozen=True)
class Cluster:
    """One threat-actor cluster of the galaxy."""

    uuid: str
    value: str  #: the cluster's name, e.g. ``Sandworm``
    synonyms: tuple[str, ...] = ()
    country: str = ""  #: ``meta.country``: suspected sponsor, ISO 3166 alpha-2 ("" when absent)
    stated: tuple[tuple[str, str], ...] = ()  #: (G-id, how the galaxy states it), in the order found
    related: tuple[tuple[str, str], ...] = ()  #: (dest-uuid, type) of its ``related`` items
    fields: Mapping[str, str] = field(default_factory=dict)  #: string-valued ``meta`` fields, e.g. GRU
    description: str = field(default="", repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The value and the synonyms, without duplicates (value first)."""
        return tuple(dict.fromkeys((self.value, *self.synonyms)))


@dataclass(frozen=True)
class Galaxy:
    """The clusters of one galaxy file."""

    clusters: tuple[Cluster, ...]
    version: str = ""
    source: str = ""
    names: Mapping[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    #: lower-case value or synonym -> the clusters carrying it (positions in ``clusters``)


def _stated(raw: Mapping[str, Any], meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for item in raw.get("related") or ():
        if isinstance(item, dict) and item.get("dest-uuid"):
            found.append((f"uuid:{item['dest-uuid']}", f"related {item.get('type', '')}".strip()))
    for entry in meta.get("name-attribution") or ():
        if (m := _GID.match(str(entry))) is not None:
            found.append((m[1], "name-attribution"))
    for entry in meta.get("synonyms") or ():
        if re.fullmatch(r"G\d{4}", str(entry).strip()):
            found.append((str(entry).strip(), "synonym"))
    for entry in meta.get("refs") or ():
        if (m := _GROUP_URL.search(str(entry))) is not None:
            found.append((m[1], "refs"))
    return found


def parse_galaxy(text: str, source: str = "threat-actor.json") -> tuple[Galaxy, list[Rejection]]:
    """The clusters of a MISP galaxy cluster file. A cluster that is not an object, or has no value, is rejected
    (``SOURCE: item N: field: reason``) and the others kept; raises ``ValueError`` naming ``source`` when the text
    is not JSON or has no list ``values``. A ``related`` item is kept as ``uuid:<dest-uuid>`` in ``stated``;
    :func:`attack_groups` resolves those that are ATT&CK UUIDs."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source}: not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise ValueError(f"{source}: not a MISP galaxy cluster file (no list 'values')")
    bad: list[Rejection] = []
    clusters: list[Cluster] = []
    for number, raw in enumerate(data["values"], 1):
        if not isinstance(raw, dict):
            bad.append(Rejection(source, number, "", "not an object", unit="item"))
            continue
        value = str(raw.get("value") or "").strip()
        if not value:
            bad.append(Rejection(source, number, "value", "empty", unit="item"))
            continue
        meta = raw["meta"] if isinstance(raw.get("meta"), dict) else {}
        synonyms = tuple(str(s).strip() for s in meta.get("synonyms") or () if str(s).strip())
        fields = {str(k): str(v) for k, v in meta.items() if isinstance(v, str)}
        related = tuple((str(r.get("dest-uuid", "")), str(r.get("type", ""))) for r in raw.get("related") or ()
                        if isinstance(r, dict))
        clusters.append(Cluster(str(raw.get("uuid", "")), value, synonyms, str(meta.get("country") or ""),
                                tuple(_stated(raw, meta)), related, MappingProxyType(fields),
                                str(raw.get("description") or "")))
    names: dict[str, list[int]] = {}
    for k, cluster in enumerate(clusters):
        for name in dict.fromkeys(n.lower() for n in cluster.names):
            names.setdefault(name, []).append(k)
    return Galaxy(tuple(clusters), str(data.get("version", "")), source,
                  MappingProxyType({k: tuple(v) for k, v in names.items()})), bad


class GalaxyLink(NamedTuple):
    """A cluster's link to an ATT&CK group and how it is made."""

    group_id: str  #: active ATT&CK group id, or the G-id stated when ``active`` is False
    how: str  #: e.g. ``related similar, name-attribution, refs`` or ``by name: 'Star Blizzard' is ATT&CK's ...``
    active: bool = True  #: False: the galaxy names a G-id that is not an active ATT&CK group


@lru_cache(maxsize=4)
def _group_uuids(index: AttackIndex) -> Mapping[str, str]:
    """UUID of each ATT&CK intrusion-set's STIX id -> its G-id (once per index)."""
    return MappingProxyType({sid.split("--", 1)[1]: aid for sid, aid in index.by_stix.items()
                             if sid.startswith("intrusion-set--")})


def attack_groups(cluster: Cluster, index: AttackIndex) -> tuple[GalaxyLink, ...]:
    """The ATT&CK groups a cluster links to: the galaxy's own links (``related`` to an ATT&CK intrusion-set UUID,
    name-attribution, synonym or refs G-ids), each group once with every way it is stated; only when there is none,
    the ATT&CK groups whose name or alias equals the cluster's value or a synonym (any case). Sorted by group id.
    G-ids that are not active groups come last with ``active`` False."""
    by_uuid = _group_uuids(index)
    ways: dict[str, list[str]] = {}
    for target, how in cluster.stated:
        gid = by_uuid.get(target[5:], "") if target.startswith("uuid:") else target
        if gid:
            ways.setdefault(gid, []).append(how)
    links = [GalaxyLink(g, ", ".join(dict.fromkeys(w)), g in index.objects and index.objects[g].type ==
                        "intrusion-set") for g, w in sorted(ways.items())]
    if not any(link.active for link in links):
        by_name: dict[str, list[str]] = {}
        for name in cluster.names:
            for gid in index.names.get(name.strip().lower(), ()):
                if index.objects[gid].type == "intrusion-set":
                    by_name.setdefault(gid, []).append(repr(name))
        links += [GalaxyLink(g, f"by name: {', '.join(names)} {'is' if len(names) == 1 else 'are'} ATT&CK's name "
                                f"or alias of {g}") for g, names in sorted(by_name.items())]
    return tuple(sorted(links, key=lambda link: (not link.active, link.group_id)))


def clusters_of_group(galaxy: Galaxy, index: AttackIndex, group_id: str) -> tuple[Cluster, ...]:
    """The clusters :func:`attack_groups` links to an ATT&CK group (``G0034`` -> Sandworm, ...)."""
    return tuple(c for c in galaxy.clusters if any(link.group_id == group_id and link.active
                                                   for link in attack_groups(c, index)))


@lru_cache(maxsize=2)
def read_galaxy(path: str | None = None) -> tuple[Galaxy, tuple[Rejection, ...]]:
    """The threat-actor galaxy at ``path`` (default ``../shared/data/cyber/misp-galaxy/clusters/threat-actor.json``),
    read once per process, with the clusters rejected. Raises ``OSError`` naming what is missing, ``ValueError`` a
    file that is not a galaxy cluster file."""
    from kompas.files import NoSuchPath, read_text
    from kompas.locate import fallback_note, shared_data

    if path is None:
        folder = shared_data("cyber/misp-galaxy")
        if folder is None:
            raise NoSuchPath(fallback_note("cyber/misp-galaxy", "no threat-actor galaxy to read"), "cyber/misp-galaxy")
        path = str(folder / "clusters" / "threat-actor.json")
    galaxy, bad = parse_galaxy(read_text(path), path)
    return galaxy, tuple(bad)
