"""Published changes since the public data was drawn, applied to the network (pure: the table's text in).

GridKit's extract of the ENTSO-E map is of March 2022: the AC lines between the Baltic states and Russia and Belarus
are on it as in service, though the Baltic grids left the Russian system on 8 February 2025; the Finland-Russia
lines too, though imports stopped on 14 May 2022. ``src/kompas/data/infra/corrections.yaml`` lists such changes,
each with its date and public basis; :func:`apply` sets the matching elements' status (they stay on the map with
the note, and no longer count as carriers) and returns one note per correction, which answers repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import yaml

from kompas.infra.model import Network


class CorrectionError(ValueError):
    """A correction table that cannot be used (the message names the entry and field)."""


@dataclass(frozen=True)
class Correction:
    """Links of ``link_kind`` between any of ``pairs`` of countries get ``status`` from ``since``."""

    what: str
    link_kind: str
    pairs: frozenset[frozenset[str]]
    status: str
    since: str
    basis: str


def parse(text: str, source: str = "corrections.yaml") -> list[Correction]:
    """The corrections of a YAML table (``corrections: [{what, link_kind, pairs, status, since, basis}]``)."""
    document: Any = yaml.safe_load(text) or {}
    entries = document.get("corrections") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise CorrectionError(f"{source}: a list under 'corrections' is expected")
    out = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CorrectionError(f"{source}: entry {number}: not a mapping")
        missing = [k for k in ("what", "link_kind", "pairs", "status", "since", "basis") if not entry.get(k)]
        if missing:
            raise CorrectionError(f"{source}: entry {number}: {', '.join(missing)} missing")
        pairs = entry["pairs"]
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise CorrectionError(f"{source}: entry {number}: pairs must be a list of [country, country]")
        out.append(Correction(str(entry["what"]), str(entry["link_kind"]),
                              frozenset(frozenset(str(c).upper() for c in p) for p in pairs), str(entry["status"]),
                              str(entry["since"]), " ".join(str(entry["basis"]).split())))
    return out


def apply(network: Network, corrections: list[Correction]) -> list[str]:
    """Set the status of every link the ``corrections`` match, in place (the network is being built); one note per
    correction that matched something: ``"<what>: <status> since <since> (<n> links; <basis>)"``."""
    notes = []
    for correction in corrections:
        hits = [link for link in network.links.values() if link.link_kind == correction.link_kind
                and frozenset(link.countries) in correction.pairs and link.status == "operating"]
        for link in hits:
            note = f"{correction.status} since {correction.since}: {correction.basis}"
            network.add(replace(link, status=correction.status,
                                note="; ".join(p for p in (link.note, note) if p)))
        if hits:
            notes.append(f"{correction.what}: {correction.status} since {correction.since} ({len(hits)} links; "
                         f"{correction.basis})")
    return notes
