"""Two vintages of the cable map compared: what was added, what was retired, what changed.

A cable is matched across vintages by its id (TeleGeography's slug, stable between 2021 and 2022). A cable only in
the new vintage was *added* (built, announced or newly mapped: its ready-for-service year and ``planned`` flag say
which: ``new`` is false for one ready for service before the older map was drawn, a cable *newly mapped* rather
than newly built); one only in the old vintage was *retired* (withdrawn from service, or dropped or renamed by the
map: the map
does not say which, so Kompas says "no longer on the map"); a retired and an added cable with the same landing
points are one cable *renamed* (AEConnect-1 -> AEC-1); one in both *changed* when its landing points, countries
or owners differ, or it went from planned to in service (the 2021 files have no planned flag: a cable counts as
planned there when its ready-for-service date lies after June 2021, when that map was drawn). The 2021 vintage
records no suppliers, so suppliers are never compared.
"""

from __future__ import annotations

from typing import Any

from kompas.infra.model import Cable, Network

OLD_VINTAGE_YEAR = 2021  #: the year the older map was drawn: an added cable ready for service before it was there


def _summary(cable: Cable) -> dict[str, Any]:
    return {"ref": cable.ref, "id": cable.id, "name": cable.name, "countries": list(cable.countries),
            "rfs_year": cable.rfs_year, "planned": cable.planned, "owners": list(cable.owners)}


def compare(old: Network, new: Network, countries: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The cables ``added``, ``retired`` and ``changed`` from ``old`` to ``new`` (only those landing in one of
    ``countries`` when given), with counts."""
    def keep(cable: Cable) -> bool:
        return not countries or bool(set(cable.countries) & countries)

    added_cables = [c for i, c in sorted(new.cables.items()) if i not in old.cables and keep(c)]
    retired_cables = [c for i, c in sorted(old.cables.items()) if i not in new.cables and keep(c)]
    renamed = []
    for gone in list(retired_cables):
        same = [c for c in added_cables if gone.landings and set(c.landings) == set(gone.landings)]
        if len(same) == 1:
            renamed.append({"before": _summary(gone), "after": _summary(same[0])})
            retired_cables.remove(gone)
            added_cables.remove(same[0])
    year = max((c.rfs_year or 0) for c in old.cables.values()) if old.cables else 0
    first = min(year, OLD_VINTAGE_YEAR)
    added = [_summary(c) | {"new": c.planned or c.rfs_year is None or c.rfs_year >= first} for c in added_cables]
    retired = [_summary(c) for c in retired_cables]
    changed = []
    for cable_id in sorted(set(old.cables) & set(new.cables)):
        before, after = old.cables[cable_id], new.cables[cable_id]
        if not (keep(before) or keep(after)):
            continue
        diff: dict[str, Any] = {}
        if set(before.landings) != set(after.landings):
            diff["landings_added"] = sorted(set(after.landings) - set(before.landings))
            diff["landings_removed"] = sorted(set(before.landings) - set(after.landings))
        if before.countries != after.countries:
            diff["countries"] = {"before": list(before.countries), "after": list(after.countries)}
        if set(before.owners) != set(after.owners):
            diff["owners"] = {"before": list(before.owners), "after": list(after.owners)}
        if before.rfs_year != after.rfs_year:
            diff["rfs_year"] = {"before": before.rfs_year, "after": after.rfs_year}
        if before.planned != after.planned:
            diff["planned"] = {"before": before.planned, "after": after.planned}
        if diff:
            changed.append({"ref": after.ref, "name": after.name, **diff})
    return {"added": added, "retired": retired, "changed": changed, "renamed": renamed,
            "counts": {"old": sum(1 for c in old.cables.values() if keep(c)),
                       "new": sum(1 for c in new.cables.values() if keep(c)),
                       "added": len(added), "retired": len(retired), "changed": len(changed),
                       "renamed": len(renamed), "newly_mapped": sum(1 for c in added if not c["new"])},
            "note": "Suppliers are not compared: the 2021 vintage records none. A retired cable is one no longer "
                    "on the map (withdrawn, or dropped by the map); one that reappears with the same landing points "
                    "under another name is listed as renamed."}
